"""What pages and the API share: reading filters from a query string, marking spans in text.

Marked text is returned as (text, css class) segments that templates escape
like anything else; no document text ever passes through ``|safe``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import Query as QueryParam
from fastapi import Request
from markupsafe import Markup

from ..ontology import REVIEW_STATUSES
from ..ontology import ROME_STATUTE as ROME_STATUTE
from ..records import ReviewedIncident
from ..review.visibility import View
from ..store.database import Store
from ..store.incidents import SORTS, IncidentFilter, facets
from ..store.memo import since_last_change
from .filters import FilterError as FilterError
from .filters import country_code, event_type, free_date, grade, regions

FILTER_KEYS = (
    "type",
    "country",
    "admin1",
    "near",
    "since",
    "until",
    "side",
    "grade",
    "min_sources",
    "review",
    "bbox",
    "q",
    "id",  # one incident: the incident page's download buttons
)


@dataclass(frozen=True)
class Query:
    filter: IncidentFilter
    text: str
    sort: str
    page: int
    params: dict[str, str]  # the non-empty filter parameters, for links that keep them


MAX_PAGE = 1_000_000  # far past any real list; keeps offsets inside SQLite's 64-bit integers
MAX_COUNT = 1_000_000
MAX_OFFSET = 1_000_000_000
# bounded numeric query parameters of the routes; a value outside is a 400, not a 500
Offset = Annotated[int, QueryParam(ge=0, le=MAX_OFFSET)]
Limit = Annotated[int, QueryParam(ge=0, le=MAX_OFFSET, description="Clamped to the route's most.")]
Page = Annotated[int, QueryParam(ge=1, le=MAX_PAGE)]
MAX_KM = 20_038.0  # half the Earth's circumference: every point is nearer than this


def _floats(name: str, value: str, n: int) -> tuple[float, ...]:
    try:
        parts = tuple(float(x) for x in value.split(","))
    except ValueError:
        parts = ()
    if len(parts) != n:
        raise FilterError(f"{name} must be {n} comma-separated numbers, got {value[:100]!r}", name)
    if not all(math.isfinite(x) for x in parts):
        raise FilterError(f"{name} must be finite numbers, got {value[:100]!r}", name)
    return parts


def _in_range(name: str, what: str, x: float, lo: float, hi: float) -> None:
    if not lo <= x <= hi:
        raise FilterError(f"{name}: {what} must be between {lo:g} and {hi:g}, got {x:g}", name)


def _near(value: str) -> tuple[float, float, float]:
    lat, lon, km = _floats("near", value, 3)
    _in_range("near", "lat", lat, -90, 90)
    _in_range("near", "lon", lon, -180, 180)
    _in_range("near", "km", km, 0, MAX_KM)
    return lat, lon, km


def _bbox(value: str) -> tuple[float, float, float, float]:
    south, west, north, east = _floats("bbox", value, 4)  # IncidentFilter's order
    # a zoomed-out map's view runs past the antimeridian; clamping keeps what it shows
    return (
        min(max(south, -90.0), 90.0),
        min(max(west, -180.0), 180.0),
        min(max(north, -90.0), 90.0),
        min(max(east, -180.0), 180.0),
    )


def _whole(name: str, value: str, lo: int, hi: int) -> int:
    if not value.isascii() or not value.isdigit() or not lo <= int(value) <= hi:
        raise FilterError(
            f"{name} must be a whole number from {lo} to {hi}, got {value[:100]!r}", name
        )
    return int(value)


def policy(request: Request) -> View:
    """The visibility policy for this request's account, built once per request."""
    cached: View | None = getattr(request.state, "policy", None)
    if cached is None:
        account = getattr(request.state, "account", None)
        cached = View(request.app.state.store, account.role if account else None)
        request.state.policy = cached
    return cached


def parse_query(store: Store, args: Mapping[str, Any], *, view: View) -> Query:
    """Read the filters of ``dossier incidents`` (plus q, bbox, sort, page) from ``args``.

    They forgive (``web.filters``): a country by name or code, a region by
    part of its name in any case or accents, a type or grade in any case,
    dates as "April 2022" or "2022-04". A value that cannot be read raises
    ``FilterError`` naming its field.

    The filter comes back narrowed by ``view`` to the incidents its role may
    see, and ``q`` matches only what that role may read.
    """
    p = {k: str(args[k]).strip() for k in FILTER_KEYS if args.get(k) not in (None, "")}
    near = _near(p["near"]) if "near" in p else None
    bbox = _bbox(p["bbox"]) if "bbox" in p else None
    min_sources = None
    if "min_sources" in p:
        min_sources = _whole("min_sources", p["min_sources"], 0, MAX_COUNT)
    if p.get("review") and p["review"] not in REVIEW_STATUSES:
        raise FilterError(f"review must be one of {', '.join(REVIEW_STATUSES)}", "review")
    sort = str(args.get("sort") or "-date")
    if sort not in SORTS:
        raise FilterError(f"sort must be one of {', '.join(SORTS)}", "sort")
    page = _whole("page", str(args.get("page") or "1").strip(), 1, MAX_PAGE)
    region = None
    if "admin1" in p:
        region = regions(p["admin1"], facets(store, view.scope(IncidentFilter()))["admin1"])
        if not region:
            raise FilterError(
                f"admin1: no region of the incidents you may see is called {p['admin1'][:60]!r}",
                "admin1",
            )
    f = IncidentFilter(
        type=event_type(p["type"]) if "type" in p else None,
        country=country_code(p["country"]) if "country" in p else None,
        regions=region,
        near=(near[0], near[1], near[2]) if near else None,
        since=free_date(p["since"], "since") if "since" in p else None,
        until=free_date(p["until"], "until") if "until" in p else None,
        side=country_code(p["side"], "side") if "side" in p else None,
        grade=grade(p["grade"]) if "grade" in p else None,
        min_sources=min_sources,
        review=p.get("review"),
        bbox=(bbox[0], bbox[1], bbox[2], bbox[3]) if bbox else None,
    )
    if "id" in p:
        f = replace(f, ids=(p["id"],))
    text = p.get("q", "")
    if text:
        found = view.matching_incident_ids(text)
        f = replace(f, ids=tuple(sorted(found if f.ids is None else found & set(f.ids))))
    f = view.scope(f)
    return Query(f, text, sort, page, p)


def mark(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[str, str]]:
    """Cut ``text`` into (piece, css class) segments; of overlapping spans the earlier wins."""
    out: list[tuple[str, str]] = []
    pos = 0
    for start, end, cls in sorted(spans, key=lambda s: (s[0], -(s[1] - s[0]))):
        if start < pos or end <= start or end > len(text):
            continue
        if start > pos:
            out.append((text[pos:start], ""))
        out.append((text[start:end], cls))
        pos = end
    if pos < len(text):
        out.append((text[pos:], ""))
    return out


def evidence(
    text: str, sentence: dict[str, int], trigger: dict[str, int] | None, context: int = 300
) -> list[tuple[str, str]]:
    """The evidence sentence in context: sentence and trigger marked, cut at word breaks."""
    s, e = int(sentence.get("start", 0)), int(sentence.get("end", 0))
    lo, hi = max(0, s - context), min(len(text), e + context)
    lo = text.find(" ", lo) + 1 if lo else 0
    spans = [(s - lo, e - lo, "evidence")]
    marked = mark(text[lo:hi], spans)
    if trigger and s <= trigger.get("start", -1) < trigger.get("end", -1) <= e:
        # split the sentence piece around the trigger
        t0, t1 = trigger["start"] - lo, trigger["end"] - lo
        pieces: list[tuple[str, str]] = []
        pos = 0
        for piece, cls in marked:
            a, b = pos, pos + len(piece)
            if cls == "evidence" and a <= t0 < t1 <= b:
                pieces += [
                    (piece[: t0 - a], cls),
                    (piece[t0 - a : t1 - a], "evidence trigger"),
                    (piece[t1 - a :], cls),
                ]
            else:
                pieces.append((piece, cls))
            pos = b
        marked = [p for p in pieces if p[0]]
    prefix = [("… ", "")] if lo else []
    suffix = [(" …", "")] if hi < len(text) else []
    return prefix + marked + suffix


def analysis_spans(analysis: dict[str, Any] | None) -> list[tuple[int, int, str]]:
    """Spans of entities, places and event triggers in a document's latest analysis."""
    if not analysis:
        return []
    spans = [
        (int(x["start"]), int(x["end"]), "event")
        for x in (ev.get("trigger") or {} for ev in analysis.get("events", []))
        if x.get("end")
    ]
    spans += [
        (int(p["start"]), int(p["end"]), "place")
        for p in analysis.get("places", [])
        if p.get("end")
    ]
    spans += [
        (int(e["start"]), int(e["end"]), "entity")
        for e in analysis.get("entities", [])
        if e.get("end")
    ]
    return spans


def row(reviewed: ReviewedIncident) -> dict[str, Any]:
    """One line of the incident list, formatted here: Jinja attribute lookups dominate page time."""
    incident = reviewed.incident
    place, time, perp = incident.place, incident.time, incident.perpetrator
    start, end = time.start or "", time.end or ""
    where = ", ".join(x for x in (place.name, place.admin1) if x) if place else ""
    killed = [
        f"{h.min if h.min is not None else '?'}" + (f"–{h.max}" if h.max and h.max != h.min else "")
        for h in incident.harm
        if h.kind == "killed"
    ]
    return {
        "id": incident.id,
        "type": incident.type,
        # a type filter matches secondary types too: show them, or the match looks wrong
        "also": ", ".join(t for t in incident.types if t != incident.type),
        "grade": incident.grade,
        "contested": incident.contested,
        "review": incident.review,
        "assigned_to": reviewed.assigned_to,
        "sources": incident.independent_sources,
        "date": (start or ("?" if end else "")) + (f" – {end}" if end and end != start else ""),
        "place": where + (f" ({place.country})" if place and place.country else ""),
        "perpetrator": ((perp.text if perp else "") or "")
        + (f" [{perp.side}]" if perp and perp.side else ""),
        "killed": ", ".join(killed),
    }


def datalists(store: Store, scope: IncidentFilter) -> Markup:
    """The filter form's suggestion lists (``<datalist>``) for ``scope``, escaped, built once.

    A store's regions run to thousands; rendering them on every list page was
    a fifth of the page's time, so the HTML is kept until the store changes.
    """

    def build() -> Markup:
        offered = facets(store, scope)
        return Markup("").join(
            Markup('<datalist id="f-{}">{}</datalist>').format(
                name,
                Markup("").join(
                    Markup('<option value="{}"></option>').format(v) for v in offered[name]
                ),
            )
            for name in ("country", "admin1", "side", "grade")
        )

    return since_last_change(store, ("datalists", scope), build)
