"""A readable summary of one Analysis for the terminal (``dossier analyze`` without --json)."""

from __future__ import annotations

from rich.console import Console

from ..records import Analysis
from ..terminal import printable


def print_analysis(console: Console, analysis: Analysis, text: str) -> None:
    """Events with their evidence sentence, then quotes and claims."""
    doc = analysis.document
    console.print(
        f"[bold]{printable(doc.title or doc.id)}[/bold]  "
        f"({doc.published or 'date unknown'}, {doc.language or '?'})"
    )
    if analysis.status != "ok":
        console.print(f"  status: {printable(analysis.status)}")
    console.print(f"  {len(analysis.events)} event(s)")
    for ev in analysis.events:
        place = ev.place.name if ev.place else "place unknown"
        prec = f" ({ev.place.precision})" if ev.place else ""
        side = ev.perpetrator.side if ev.perpetrator and ev.perpetrator.side else "?"
        harm = ", ".join(
            f"{h.kind} {h.category} {h.min if h.min is not None else '?'}"
            + (f"-{h.max}" if h.max is not None and h.max != h.min else "")
            for h in ev.harm
        )
        console.print(
            f"  - [bold]{ev.type}[/bold] in {printable(place)}{prec}, "
            f"{ev.time.start or '?'}..{ev.time.end or '?'}"
            f", perpetrator {side}, status {ev.status}"
            + (f", harm: {printable(harm)}" if harm else "")
        )
        if ev.denied_by:
            console.print("    denied by: " + printable(", ".join(a.text for a in ev.denied_by)))
        sentence = text[ev.sentence.start : ev.sentence.end] if text else ""
        if sentence:
            console.print(f'    evidence: "{printable(sentence)}"')
    for q in analysis.quotes:
        who = q.speaker.name or q.speaker.role or "unknown speaker"
        console.print(f'  quote ({q.kind}) {printable(who)}: "{printable(q.text[:160])}"')
    for c in analysis.claims:
        who = c.speaker.name or c.speaker.role or "unknown speaker"
        console.print(f"  claim: {printable(who)} {c.stance}: {printable(c.text[:160])}")
