"""``dossier report``: one incident's dossier as HTML, or as PDF through headless Chromium.

Summary, map, timeline, harm table with sources, evidence excerpts, denials,
review history and hashes. Every string that comes from a document goes
through Jinja2's autoescaping; only the map, built here with its own
escaping, is inserted as markup. Restricted documents are redacted as in
bundles unless ``include_restricted`` is set.
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from ..errors import NotFound
from ..evidence.canonical import sha256_hex
from ..evidence.custody import utc_now
from ..ontology import ROME_STATUTE_SHORT
from ..records import CustodyEntry, Incident
from ..review.visibility import MARK, View, redact_event
from ..store import custody_log
from ..store.database import Store
from .acled import ACLED_TYPES, country_name
from .collect import EvidenceSet, collect
from .map_svg import points_of, render_map
from .pdf import html_to_pdf
from .redaction import redact_text, redact_value

log = logging.getLogger(__name__)
# the report's styles as a file: linked from a served report (no inline style
# under the web app's CSP), inlined in a written one so it stays self-contained
REPORT_CSS = resources.files(__package__).joinpath("templates", "report.css").read_text("utf-8")


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("dossier.export", "templates"), autoescape=True)
    env.filters["country"] = country_name
    return env


def _seen(evidence: EvidenceSet, view: View) -> set[str]:
    """Narrow ``evidence`` to what ``view``'s role may see; return its personal documents."""
    hidden = {d for d in evidence.documents if view.document_state(d) == "hidden"}
    evidence.incidents = [view.incident(i) for i in evidence.incidents]
    evidence.members = [m for m in evidence.members if m.document not in hidden]
    evidence.documents = {k: v for k, v in evidence.documents.items() if k not in hidden}
    evidence.analyses = {k: v for k, v in evidence.analyses.items() if k[0] not in hidden}
    return {d for d in evidence.documents if view.document_state(d) == "personal"}


def report_context(
    store: Store, incident_id: str, *, include_restricted: bool = False, view: View | None = None
) -> dict[str, Any]:
    """Everything the report template shows, gathered from the store.

    With ``view``, the report shows only what that role may see: hidden
    documents are absent and personal ones keep their metadata only.
    """
    evidence = collect(store, [incident_id])
    personal = set() if view is None or view.full else _seen(evidence, view)
    reviewed = evidence.incidents[0]
    incident = reviewed.incident
    redact = (set() if include_restricted else evidence.restricted()) | personal
    analyses = _analyses(evidence, redact)
    restricted = evidence.restricted()
    sources = {d: _source(evidence.documents[d], d in restricted, d in redact) for d, _ in analyses}
    excerpts, harms, events = [], [], []
    for member, _ in evidence.events():
        text, analysis = analyses[(member.document, member.pipeline)]
        event = next((e for e in analysis.get("events", []) if e["id"] == member.event_id), None)
        if event is None:
            continue
        if member.document in personal:
            event = redact_event(event)
            excerpt = {"before": MARK, "trigger": "", "after": ""}
        else:
            excerpt = _excerpt(text, event)
        events.append(event)
        source = sources[member.document]
        excerpts.append({"source": source, "event": event, **excerpt})
        harms += [
            {"harm": h, "source": source, "status": event["status"]} for h in event.get("harm", [])
        ]
    claims, quotes = [], []
    for (doc_id, _), (_, analysis) in sorted(analyses.items()):
        if doc_id in personal:
            continue  # a personal document's claims and quotes are its words: withheld
        source = sources[doc_id]
        claims += [{"claim": c, "source": source} for c in analysis.get("claims", [])]
        quotes += [{"quote": q, "source": source} for q in analysis.get("quotes", [])]
    history = list(custody_log.entries(store, object_ids=[incident_id]))
    if view is not None:
        history = [CustodyEntry(**e) for e in view.custody(asdict(x) for x in history)]
    checkpoints = custody_log.checkpoints(store)
    return {
        "incident": incident,
        "reviewed": reviewed,
        "acled": ACLED_TYPES.get(incident.type),
        "rome": ROME_STATUTE_SHORT.get(incident.type),
        "map": Markup(render_map(points_of(incident, events), f"Map of {incident.id}")),  # noqa: S704 - built with escaping
        "timeline": _timeline(incident, excerpts, history),
        "harms": harms,
        "excerpts": excerpts,
        "denials": [c for c in claims if c["claim"].get("stance") == "denies"],
        "claims": claims,
        "quotes": quotes,
        "history": [asdict(e) for e in history],
        "documents": _hashes(evidence),
        "checkpoint": checkpoints[-1] if checkpoints else None,
        "redacted": sorted(redact),
        "generated": utc_now(),
        "generated_by": store.settings.who,
    }


def _analyses(
    evidence: EvidenceSet, redact: set[str]
) -> dict[tuple[str, str], tuple[str, dict[str, Any]]]:
    """(text, analysis) per run, redacted where the document is."""
    out = {}
    for doc_id, pipeline in sorted(evidence.analyses):
        text = evidence.documents[doc_id]["text"]
        analysis = evidence.analysis(doc_id, pipeline)
        if doc_id in redact:
            redaction = redact_text(text, evidence.identities(doc_id))
            text, analysis = redaction.text, redact_value(analysis, redaction)
        out[(doc_id, pipeline)] = (text, analysis)
    return out


def _source(doc: dict[str, Any], restricted: bool, redacted: bool) -> dict[str, Any]:
    title = doc["title"]
    return {
        "publisher": doc["publisher"],
        "title": "[restricted document]" if redacted else title,
        "published": doc["published"],
        "url": None if redacted else doc["url"],
        "document": doc["id"],
        "restricted": restricted,
        "redacted": redacted,
    }


def _excerpt(text: str, event: dict[str, Any]) -> dict[str, str]:
    """The event's sentence split around its trigger, so the template can mark it safely."""
    s, t = event.get("sentence") or {}, event.get("trigger") or {}
    start, end = s.get("start", 0), s.get("end", 0)
    ts, te = t.get("start", start), t.get("end", start)
    if not start <= ts <= te <= end:
        ts = te = start
    return {"before": text[start:ts], "trigger": text[ts:te], "after": text[te:end]}


def _timeline(
    incident: Incident, excerpts: list[dict[str, Any]], history: list[Any]
) -> list[dict[str, str]]:
    items = []
    start, end = incident.time.start, incident.time.end
    if start:
        span = start if end in (None, start) else f"{start} to {end}"
        items.append({"date": start[:10], "what": f"incident ({span})", "kind": "incident"})
    seen = set()
    for x in excerpts:
        src = x["source"]
        if src["document"] in seen:
            continue  # one line per report, however many of its events joined the incident
        seen.add(src["document"])
        if src["published"]:
            items.append(
                {
                    "date": src["published"][:10],
                    "kind": "report",
                    "what": f"reported by {src['publisher'] or 'unknown publisher'}: "
                    f"{src['title'] or src['document']}",
                }
            )
    for e in history:
        items.append({"date": e.time[:10], "kind": "custody", "what": f"{e.action} by {e.actor}"})
    return sorted(items, key=lambda x: (x["date"], x["kind"]))


def _hashes(evidence: EvidenceSet) -> list[dict[str, Any]]:
    out = []
    restricted = evidence.restricted()
    for (doc_id, pipeline), raw in sorted(evidence.analyses.items()):
        row = evidence.documents[doc_id]
        out.append(
            {
                "document": doc_id,
                "artifact": row["artifact_sha256"],
                "text": row["text_sha256"],
                "analysis": sha256_hex(raw),
                "pipeline": pipeline,
                "restricted": doc_id in restricted,
            }
        )
    return out


def render_html(
    store: Store,
    incident_id: str,
    *,
    include_restricted: bool = False,
    view: View | None = None,
    stylesheet: str | None = None,
) -> str:
    """The report as one HTML page (as ``view``'s role may see it, when given).

    Self-contained, its styles inlined, unless ``stylesheet`` names the URL of
    ``REPORT_CSS`` to link instead (the web app's CSP refuses inline styles).
    """
    context = report_context(store, incident_id, include_restricted=include_restricted, view=view)
    template = _environment().get_template("report.html.j2")
    return template.render(**context, stylesheet=stylesheet, css=Markup(REPORT_CSS))  # noqa: S704 - our own file


def write_report(
    store: Store,
    incident_id: str,
    out: Path,
    *,
    include_restricted: bool = False,
    view: View | None = None,
) -> Path:
    """Write ``out`` as HTML, or as PDF when it ends in .pdf; return the path written.

    Showing restricted documents unredacted is a disclosure, so it is logged
    in custody first, as for bundles. With ``view`` the report holds what
    that role may see, and an incident hidden from it is not found.
    """
    if view is not None and view.get_incident(incident_id) is None:
        raise NotFound(f"no incident {incident_id!r}; list them with `dossier incidents`")
    if include_restricted:
        evidence = collect(store, [incident_id])
        with store.transaction() as conn:
            for doc in sorted(evidence.restricted()):
                row = evidence.documents[doc]
                detail = {"report": out.name, "incidents": [incident_id]}
                custody_log.append(
                    conn,
                    store.settings.who,
                    "disclosed_restricted",
                    doc,
                    row["text_sha256"],
                    detail,
                )
        custody_log.checkpoint(store, force=True)
    html = render_html(store, incident_id, include_restricted=include_restricted, view=view)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".pdf":
        html_to_pdf(html, out)
    else:
        out.write_text(html, encoding="utf-8")
    log.info("report on %s written to %s", incident_id, out)
    return out
