"""Hand-built reports for the corroboration tests.

A plain module, not a conftest, so that its import name is unique in tests/.
"""

from __future__ import annotations

import hashlib
from typing import Any

from dossier.records import Actor, Event, Harm, Place, Report, Span, TimeRange

KRAMATORSK = Place("Kramatorsk", 48.7231, 37.5563, "UA", "Donetsk Oblast", "locality", 704147)
SLOVIANSK = Place("Sloviansk", 48.8542, 37.6099, "UA", "Donetsk Oblast", "locality", 700569)
DONETSK_OBLAST = Place("Donetsk Oblast", 48.0, 37.8, "UA", "Donetsk Oblast", "admin1", 709716)
POKROVSK = Place("Pokrovsk", 48.2801, 37.1771, "UA", "Donetsk Oblast", "locality", 704422)
KHARKIV = Place("Kharkiv", 49.9808, 36.2527, "UA", "Kharkiv Oblast", "locality", 706483)


def make_report(
    doc: str,
    *,
    event: str = "e1",
    type: str = "attack_on_civilians",
    place: Place | None = KRAMATORSK,
    day: str | None = "2022-04-08",
    published: str = "2022-04-08",
    publisher: str = "Outlet",
    sentence: str = "A missile struck the railway station in Kramatorsk, killing civilians.",
    side: str | None = "RU",
    harm: tuple[Harm, ...] = (),
    denied_by: tuple[Actor, ...] = (),
    asserted_by: tuple[Actor, ...] = (),
    origin: str | None = None,
    text: str | None = None,
    **extra: Any,
) -> Report:
    """One report; the document text defaults to something unique per document."""
    time = TimeRange(day, day, "day") if day else TimeRange(None, None, "unknown")
    ev = Event(
        id=event,
        type=type,  # type: ignore[arg-type]
        trigger=Span("struck", 0, 6),
        sentence=Span(sentence, 0, len(sentence)),
        place=place,
        time=time,
        perpetrator=Actor("Russian forces", side) if side else None,
        harm=harm,
        status="denied" if denied_by else "alleged",
        asserted_by=asserted_by,
        denied_by=denied_by,
    )
    body = text if text is not None else f"document {doc}"
    return Report(
        event=ev,
        document_id=doc,
        publisher=publisher,
        url=f"https://example.org/{doc}",
        published=published,
        text_sha256=hashlib.sha256(body.encode()).hexdigest(),
        origin=origin,
        **extra,
    )
