"""Turn a cluster of reports into an Incident record, and an Incident into JSON.

The incident summarises its reports without hiding their differences: every
type reported (one primary), the most precise place, the narrowest time,
the perpetrator side most reports name, harm as a range across reports with
each figure traceable to the report that gave it, the sources and how many of
them are independent, who asserts and who denies, and the grade.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from ..records import (
    Actor,
    Harm,
    HarmFigure,
    Incident,
    IncidentSource,
    Place,
    Report,
    SourceChain,
    TimeRange,
)
from .compatibility import PRECISION_RANK, TYPE_PRIORITY, day_range, iso_day
from .grade import grade
from .independence import assign_sources
from .judgements import Review, event_ref, incident_id, sort_key

T = TypeVar("T")


def _tally(items: Iterable[T]) -> dict[T, int]:
    # A plain dict: Counter's Mapping check costs more than the counting here.
    out: dict[T, int] = {}
    for item in items:
        out[item] = out.get(item, 0) + 1
    return out


def _primary_type(members: Sequence[Report]) -> tuple[str, tuple[str, ...]]:
    votes = _tally(r.event.type for r in members)
    rank = {t: i for i, t in enumerate(TYPE_PRIORITY)}
    types = tuple(sorted(votes, key=lambda t: rank.get(t, len(rank))))
    primary = min(types, key=lambda t: (-votes[t], rank.get(t, len(rank))))
    return primary, types


def _place(members: Sequence[Report]) -> Place | None:
    places = [r.event.place for r in members if r.event.place is not None]
    if not places:
        return None
    best = min(PRECISION_RANK[p.precision] for p in places)
    finest = [p for p in places if PRECISION_RANK[p.precision] == best]
    votes = _tally((p.name, p.country) for p in finest)
    # Most reported name at the finest precision; the earliest report breaks ties.
    top = max(votes.values())
    return next(p for p in finest if votes[(p.name, p.country)] == top)


def _time(members: Sequence[Report]) -> TimeRange:
    ranged = [(day_range(r), r) for r in members]
    known = [(d, r) for d, r in ranged if d is not None]
    if not known:
        return TimeRange(None, None, "unknown")
    explicit = [(d, r) for d, r in known if d.explicit] or known
    narrowest = min(d.days for d, _ in explicit)
    chosen = [(d, r) for d, r in explicit if d.days == narrowest]
    precision = chosen[0][1].event.time.precision if chosen[0][0].explicit else "unknown"
    text = next((r.event.time.text for _, r in chosen if r.event.time.text), None)
    return TimeRange(
        iso_day(min(d.start for d, _ in chosen)),
        iso_day(max(d.end for d, _ in chosen)),
        precision,
        text,
    )


def _perpetrator(members: Sequence[Report]) -> Actor | None:
    actors = [r.event.perpetrator for r in members if r.event.perpetrator is not None]
    if not actors:
        return None
    sides = _tally(a.side for a in actors if a.side)
    side = min(sides, key=lambda s: (-sides[s], s)) if sides else None
    texts = _tally(a.text for a in actors if a.side == side)
    return Actor(min(texts, key=lambda t: (-texts[t], t)), side)


def _harm(
    members: Sequence[Report], origins: Sequence[str]
) -> tuple[tuple[Harm, ...], tuple[HarmFigure, ...]]:
    figures = [
        HarmFigure(h.kind, h.category, h.min, h.max, h.text, r.document_id, origin)
        for r, origin in zip(members, origins, strict=True)
        for h in r.event.harm
    ]
    by_kind: dict[tuple[str, str], list[HarmFigure]] = {}
    for f in figures:
        by_kind.setdefault((f.kind, f.category), []).append(f)
    ranges = []
    for (kind, category), group in sorted(by_kind.items()):
        lows = [f.min for f in group if f.min is not None]
        highs = [f.max if f.max is not None else f.min for f in group]
        known_highs = [h for h in highs if h is not None]
        lo = min(lows) if lows else None
        # One open-ended figure ("at least 11") stays open; several figures
        # span from the lowest to the highest any report gives.
        hi = (
            max(known_highs)
            if known_highs and (len(group) > 1 or group[0].max is not None)
            else None
        )
        text = "; ".join(sorted({f.text for f in group}))
        ranges.append(Harm(kind, category, lo, hi, text))  # type: ignore[arg-type]
    return tuple(ranges), tuple(figures)


def _actors(groups: Sequence[Sequence[Actor]]) -> tuple[Actor, ...]:
    return tuple(
        sorted(
            {(a.text, a.side): a for g in groups for a in g}.values(),
            key=lambda a: (a.text, a.side or ""),
        )
    )


def source_chains(members: Sequence[Report], origins: Sequence[str]) -> tuple[SourceChain, ...]:
    """Each independent source with the outlets that carried it, most reports first."""
    pairs = [(o, r.publisher or r.document_id) for r, o in zip(members, origins, strict=True)]
    return chains_of(pairs)


def chains_of(pairs: Sequence[tuple[str, str]]) -> tuple[SourceChain, ...]:
    """Source chains from (origin, outlet) per report, most reports first."""
    outlets: dict[str, list[str]] = {}
    counts: dict[str, int] = {}
    for origin, outlet in pairs:
        carried = outlets.setdefault(origin, [])
        if outlet not in carried:
            carried.append(outlet)
        counts[origin] = counts.get(origin, 0) + 1
    chains = []
    for origin in sorted(outlets, key=lambda o: (-counts[o], o)):
        via = outlets[origin]
        relayed = len(via) > 1 or via != [origin]
        n = f"{len(via)} outlet" + ("" if len(via) == 1 else "s")
        text = f"{origin}, via {n}" if relayed else origin
        chains.append(SourceChain(origin, tuple(via), counts[origin], text))
    return tuple(chains)


def build_incident(
    reports: Sequence[Report],
    duplicate_groups: Mapping[str, str] | None = None,
    reviews: Mapping[str, Review] | None = None,
) -> Incident:
    """Summarise one cluster of reports as an Incident."""
    members = sorted(reports, key=sort_key)
    iid = incident_id(members[0])
    origins = assign_sources(members, duplicate_groups)
    primary, types = _primary_type(members)
    harm, figures = _harm(members, origins)
    denied_by = _actors([r.event.denied_by for r in members])
    asserted_by = _actors([r.event.asserted_by for r in members])
    contested = bool(denied_by) or any(r.event.status == "denied" for r in members)
    review = reviews.get(iid) if reviews else None
    status = review.status if review else "unreviewed"
    level, reason = grade(origins, asserted_by, denied_by, status)
    if contested and not denied_by and level not in ("discounted", "contested"):
        level, reason = "contested", "a report says the event is denied; " + reason
    published = [r.published for r in members if r.published]
    return Incident(
        id=iid,
        type=primary,
        types=types,
        place=_place(members),
        time=_time(members),
        perpetrator=_perpetrator(members),
        harm=harm,
        harm_figures=figures,
        sources=tuple(
            IncidentSource(r.document_id, r.publisher, r.url, r.published, o, event_ref(r))
            for r, o in zip(members, origins, strict=True)
        ),
        independent_sources=len(set(origins)),
        contested=contested,
        denied_by=denied_by,
        asserted_by=asserted_by,
        grade=level,
        grade_reason=reason,
        review=status,
        first_report=min(published) if published else None,
        last_report=max(published) if published else None,
        events=tuple(event_ref(r) for r in members),
        source_chains=source_chains(members, origins),
    )


def incident_json(incident: Incident) -> dict[str, Any]:
    """The ``dossier incidents --json`` contract of DESIGN.md (``Incident.to_json``)."""
    return incident.to_json()
