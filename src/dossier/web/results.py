"""Search results as a person reads them: incidents titled by their summary, copies grouped.

An incident hit's stored snippet is cut from its indexed record (JSON); the
page shows instead a one-line summary of the incident as the role sees it,
with the query's words marked. A document hit is titled by its title,
publisher and date, and documents with the same text (syndicated copies)
are shown as one result that lists the other publishers.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from typing import Any

from ..records import Incident
from ..review import queries
from ..review.visibility import View
from ..store.search import Hit, terms
from .filters import fold
from .history import harm_words


def incident_summary(incident: Incident) -> str:
    """ "killing in Bucha, Kyiv Oblast, UA · 2022-04-02 · killed 2+ civilians · contested" """
    place = incident.place
    named = (place.name, place.admin1, place.country) if place else ()
    where = ", ".join(str(x) for x in named if x)
    time = incident.time
    when = time.start or ""
    if time.end and time.end != when:
        when += f" to {time.end}"
    perp = incident.perpetrator
    by = (perp.text or perp.side or "") if perp else ""
    parts = [
        incident.type.replace("_", " ") + (f" in {where}" if where else ""),
        when,
        "; ".join(harm_words(asdict(h)) for h in incident.harm),
        f"by {by}" if by else "",
        incident.grade.replace("_", " "),
    ]
    return " · ".join(p for p in parts if p)


def marked(text: str, query: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, matched) segments where a word of ``query`` occurs."""
    words = [w for w in terms(query) if w]
    if not words:
        return [(text, False)]
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append((text[pos : m.start()], False))
        out.append((m.group(0), True))
        pos = m.end()
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def results(view: View, hits: list[Hit], query: str) -> list[dict[str, Any]]:
    """The page's results for ``hits``, in their order, copies of one text merged into one."""
    out: list[dict[str, Any]] = []
    by_text: dict[str, dict[str, Any]] = {}
    for hit in hits:
        if hit.kind == "incident":
            incident = view.get_incident(hit.id)
            if incident is None:
                continue
            summary = incident_summary(incident.incident)
            out.append(
                {
                    "kind": "incident",
                    "href": f"/incidents/{hit.id}",
                    "title": " · ".join(summary.split(" · ")[:2]),  # what, where, when
                    "snippet": marked(summary, query),
                    "copies": [],
                }
            )
            continue
        found = queries.get_document(view.store, hit.id)
        doc = None if found is None else view.document(found)
        if doc is None:
            continue
        source = ", ".join(str(x) for x in (doc.get("publisher"), doc.get("published")) if x)
        key = str(doc.get("text_sha256") or "") or fold(str(doc.get("title") or hit.id))
        if key in by_text:
            by_text[key]["copies"].append(
                {"href": f"/documents/{hit.id}", "source": source or hit.id}
            )
            continue
        result = {
            "kind": "document",
            "href": f"/documents/{hit.id}",
            "title": str(doc.get("title") or hit.title or hit.id),
            "source": source,
            "snippet": [(str(t), bool(m)) for t, m in hit.snippet],
            "copies": [],
        }
        by_text[key] = result
        out.append(result)
    return out
