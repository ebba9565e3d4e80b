"""Incidents in the store: save a corroboration result, list with filters, fetch one.

The filters are shared by ``dossier incidents``, ``dossier export``, the web
list and the API, so all four always agree on what a filter means.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, and_, delete, func, insert, select

from .. import ontology
from ..edit_values import EditValueError, check_edit
from ..errors import InvalidRequest
from ..evidence.canonical import canonical_json, hash_value
from ..evidence.custody import utc_now
from ..evidence.recorded import members_hash
from ..geo import haversine_km
from . import custody_log, tables
from .database import Store
from .memo import since_last_change

SORTS = {
    "date": (tables.incidents.c.time_start, False),
    "-date": (tables.incidents.c.time_start, True),
    "sources": (tables.incidents.c.independent_sources, False),
    "-sources": (tables.incidents.c.independent_sources, True),
    "fatalities": (tables.incidents.c.fatalities, False),
    "-fatalities": (tables.incidents.c.fatalities, True),
    "id": (tables.incidents.c.id, False),
}
REVIEW_STATUSES = ontology.REVIEW_STATUSES  # re-exported for older imports


@dataclass(frozen=True)
class IncidentFilter:
    """What ``dossier incidents`` and friends can filter on; None means any."""

    type: str | None = None
    country: str | None = None
    admin1: str | None = None
    near: tuple[float, float, float] | None = None  # lat, lon, km
    since: str | None = None  # ISO date: incident ends on or after
    until: str | None = None  # ISO date: incident starts on or before
    side: str | None = None
    grade: str | None = None
    min_sources: int | None = None
    review: str | None = None
    ids: tuple[str, ...] | None = None
    regions: tuple[str, ...] | None = None  # any of these admin1 names, exactly
    bbox: tuple[float, float, float, float] | None = None  # south, west, north, east
    # never these (review.visibility hides restricted incidents here, so totals agree)
    exclude: tuple[str, ...] = ()


def facets(store: Store, f: IncidentFilter) -> dict[str, list[str]]:
    """The countries, regions, sides, grades and types present among the incidents of ``f``.

    What a filter form offers; ``f`` carries the caller's visibility scope, so
    a value only a hidden incident holds is not offered. Every page of the
    list shows them, so they are computed once per state of the store
    (``memo.since_last_change``) and per scope, in two queries.
    """
    return since_last_change(store, ("facets", f), lambda: _facets(store, f))


def _facets(store: Store, f: IncidentFilter) -> dict[str, list[str]]:
    i, t = tables.incidents, tables.incident_types
    names = ("country", "admin1", "side", "grade")
    columns = (i.c.country, i.c.admin1, i.c.perpetrator_side, i.c.grade)
    found: dict[str, set[str]] = {name: set() for name in (*names, "type")}
    with store.engine.connect() as conn:
        for row in conn.execute(_where(select(*columns).distinct(), f)):
            for name, value in zip(names, row, strict=True):
                if value:
                    found[name].add(str(value))
        scope = _where(select(i.c.id), f)
        q = select(t.c.type).distinct().where(t.c.incident_id.in_(scope))
        found["type"] = {str(v) for (v,) in conn.execute(q) if v}
    return {name: sorted(values) for name, values in found.items()}


def _where(q: Select[Any], f: IncidentFilter) -> Select[Any]:
    i, r = tables.incidents, tables.incident_reviews
    if f.type:
        # an incident matches a type when any of its reports gave that type
        t = tables.incident_types
        q = q.where(i.c.id.in_(select(t.c.incident_id).where(t.c.type == f.type)))
    if f.country:
        q = q.where(i.c.country == f.country.upper())
    if f.admin1:
        q = q.where(func.lower(i.c.admin1) == f.admin1.lower())
    if f.regions is not None:
        q = q.where(i.c.admin1.in_(f.regions))
    if f.since:
        q = q.where(func.coalesce(i.c.time_end, i.c.time_start, i.c.last_report) >= f.since)
    if f.until:
        q = q.where(func.coalesce(i.c.time_start, i.c.first_report) <= f.until + "~")
    if f.side:
        q = q.where(i.c.perpetrator_side == f.side.upper())
    if f.grade == "discounted":
        q = q.where(i.c.id.in_(select(r.c.incident_id).where(r.c.status == "discounted")))
    elif f.grade:
        q = q.where(i.c.grade == f.grade).where(
            i.c.id.not_in(select(r.c.incident_id).where(r.c.status == "discounted"))
        )
    if f.min_sources is not None:
        q = q.where(i.c.independent_sources >= f.min_sources)
    if f.review == "unreviewed":
        reviewed = select(r.c.incident_id).where(r.c.status != "unreviewed")
        q = q.where(i.c.id.not_in(reviewed))
    elif f.review:
        q = q.where(i.c.id.in_(select(r.c.incident_id).where(r.c.status == f.review)))
    if f.ids is not None:
        q = q.where(i.c.id.in_(f.ids))
    if f.exclude:
        q = q.where(i.c.id.not_in(f.exclude))
    if f.bbox:
        south, west, north, east = f.bbox
        q = q.where(and_(i.c.lat >= south, i.c.lat <= north, i.c.lon >= west, i.c.lon <= east))
    if f.near:
        lat, lon, km = f.near
        dlat = km / 111.0
        dlon = km / (111.0 * max(math.cos(math.radians(lat)), 0.01))
        q = q.where(
            and_(i.c.lat.between(lat - dlat, lat + dlat), i.c.lon.between(lon - dlon, lon + dlon))
        )
    return q


def _base() -> Select[Any]:
    i, r = tables.incidents, tables.incident_reviews
    return select(
        i, r.c.status.label("review_status"), r.c.assigned_to, r.c.flags, r.c.edits
    ).outerjoin(r, r.c.incident_id == i.c.id)


def list_incidents(
    store: Store,
    f: IncidentFilter = IncidentFilter(),
    *,
    sort: str = "-date",
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """Incidents matching ``f`` (as contract JSON with review state) and the total count.

    Two steps: the filter and sort run over the narrow indexed columns and
    return ids only; then the page's full records are read. Sorting rows that
    carry the whole JSON record made a filtered page of 20k incidents 4x slower.
    """
    if sort not in SORTS:
        raise InvalidRequest(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}", "sort")
    col, desc = SORTS[sort]
    i = tables.incidents
    order = (col.desc() if desc else col.asc(), i.c.id)
    with store.engine.connect() as conn:
        if f.near:
            # The bounding box narrows in SQL; the exact circle is checked here,
            # before paging, so counts and pages agree.
            lat, lon, km = f.near
            rows = conn.execute(_where(select(i.c.id, i.c.lat, i.c.lon), f).order_by(*order)).all()
            ids = [r.id for r in rows if haversine_km(lat, lon, r.lat, r.lon) <= km]
            total = len(ids)
            ids = ids[offset : None if limit is None else offset + limit]
        else:
            total = int(conn.execute(_where(select(func.count()).select_from(i), f)).scalar_one())
            q = _where(select(i.c.id), f).order_by(*order)
            if limit is not None:
                q = q.limit(limit).offset(offset)
            ids = [r.id for r in conn.execute(q)]
        by_id = {}
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            for row in conn.execute(_base().where(i.c.id.in_(part))):
                by_id[row.id] = _incident(row)
    return [by_id[x] for x in ids], total


def _incident(row: Any) -> dict[str, Any]:
    m = row._mapping
    record: dict[str, Any] = json.loads(m["record"])
    record["review"] = m["review_status"] or "unreviewed"
    record["assigned_to"] = m["assigned_to"]
    record["flags"] = json.loads(m["flags"]) if m["flags"] else []
    edits, warnings = _valid_edits(m["edits"])
    if edits:
        record["machine"] = {k: record.get(k) for k in edits}
        record.update(edits)
        record["edited"] = sorted(edits)
    if warnings:
        record["warnings"] = warnings
    if record["review"] == "discounted":
        record["grade"] = "discounted"
    return record


def _valid_edits(stored: str | None) -> tuple[dict[str, Any], list[str]]:
    """The stored review edits that still pass ``check_edit``, and a warning for each other.

    A bad value (written before edits were checked, or by hand) is left out
    and the machine's value shown, so one record cannot break a page or an
    export; it stays in the store and the custody log as it was.
    """
    try:
        edits = json.loads(stored) if stored else {}
    except ValueError:
        return {}, ["the stored review edits are not JSON; none is shown"]
    if not isinstance(edits, dict):
        return {}, ["the stored review edits are not an object; none is shown"]
    good, warnings = {}, []
    for field, value in edits.items():
        try:
            good[field] = check_edit(field, value)
        except EditValueError as exc:
            warnings.append(f"the reviewed {field} is invalid and not shown ({exc})")
    return good, warnings


def get_incident(store: Store, incident_id: str) -> dict[str, Any] | None:
    q = _base().where(tables.incidents.c.id == incident_id)
    with store.engine.connect() as conn:
        row = conn.execute(q).first()
    return None if row is None else _incident(row)


def incident_events(store: Store, incident_id: str) -> list[dict[str, Any]]:
    """The member events of an incident: event record, its document's metadata and text span."""
    ie, ev, d = tables.incident_events, tables.events, tables.documents
    q = (
        select(
            ev.c.record,
            ev.c.document_id,
            d.c.title,
            d.c.publisher,
            d.c.url,
            d.c.published,
            d.c.text,
            d.c.restricted,
        )
        .select_from(
            ie.join(ev, and_(ev.c.id == ie.c.event_id, ev.c.pipeline == ie.c.pipeline)).join(
                d, d.c.id == ev.c.document_id
            )
        )
        .where(ie.c.incident_id == incident_id)
        .order_by(d.c.published, ev.c.document_id, ev.c.id)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(q).all()
    out = []
    for row in rows:
        event = json.loads(row.record)
        s = event.get("sentence") or {}
        out.append(
            {
                "event": event,
                "document": row.document_id,
                "title": row.title,
                "publisher": row.publisher,
                "url": row.url,
                "published": row.published,
                "restricted": bool(row.restricted),
                "sentence": row.text[s.get("start", 0) : s.get("end", 0)],
            }
        )
    return out


def replace_incidents(
    store: Store,
    incidents: Iterable[dict[str, Any]],
    members: Iterable[tuple[str, str, str, str]],
    actor: str,
) -> str:
    """Replace the derived incident tables with a new corroboration result.

    ``incidents`` are contract JSON dicts; ``members`` are (incident id, event
    id, pipeline, document id). The result's hash goes into the custody log,
    so every corroboration run is on record. Reviews and judgements are not
    touched: they are keyed by stable ids and apply to the new result.
    """
    return update_incidents(store, incidents, members, None, actor)


def update_incidents(
    store: Store,
    incidents: Iterable[dict[str, Any]],
    members: Iterable[tuple[str, str, str, str]],
    removed: Iterable[str] | None,
    actor: str,
    *,
    state: Callable[[Connection, str], None] | None = None,
    detail: dict[str, Any] | None = None,
) -> str:
    """Write a corroboration result: everything (``removed`` None) or only what changed.

    With ``removed`` given, only the incidents in ``incidents`` (created or
    changed) and ``removed`` are rewritten; every other incident, its id and
    its review stay as they are. ``members`` are the member rows of the
    written incidents. ``state`` runs inside the same transaction (the
    Corroborator saves its state there, so state and incidents never part);
    it gets the connection and the new table hash.
    Returns the hash of the whole incident table, which the custody log keeps.
    """
    items = sorted(incidents, key=lambda x: x["id"])
    members = sorted(set(members))
    now = utc_now()
    with store.transaction() as conn:
        if removed is None:
            before = _membership(conn)
            conn.execute(delete(tables.incident_events))
            conn.execute(delete(tables.incident_types))
            conn.execute(delete(tables.incidents))
        else:
            gone = sorted({inc["id"] for inc in items} | set(removed))
            before = _membership(conn, gone)
            for chunk in range(0, len(gone), 500):
                part = gone[chunk : chunk + 500]
                conn.execute(
                    delete(tables.incident_events).where(
                        tables.incident_events.c.incident_id.in_(part)
                    )
                )
                conn.execute(
                    delete(tables.incident_types).where(
                        tables.incident_types.c.incident_id.in_(part)
                    )
                )
                conn.execute(delete(tables.incidents).where(tables.incidents.c.id.in_(part)))
        _insert(conn, items, members, now)
        now_ids = {r[0] for r in conn.execute(select(tables.incidents.c.id))}
        _carry_reviews(conn, before, now_ids, members, actor)
        digest, count = _table_digest(conn)
        ie = tables.incident_events
        table_members = [
            (r.incident_id, r.event_id, r.pipeline, r.document_id)
            for r in conn.execute(
                select(ie.c.incident_id, ie.c.event_id, ie.c.pipeline, ie.c.document_id)
            )
        ]
        if state is not None:
            state(conn, digest)
        custody_log.append(
            conn,
            actor,
            "corroborated",
            "incidents",
            digest,
            {
                "incidents": count,
                "events": len(table_members),
                # the whole membership table, written or kept: what verify recomputes
                "members_sha256": members_hash(table_members),
                **(detail or {}),
            },
        )
    return digest


def _insert(
    conn: Connection,
    items: list[dict[str, Any]],
    members: list[tuple[str, str, str, str]],
    now: str,
) -> None:
    for inc in items:
        place = inc.get("place") or {}
        time = inc.get("time") or {}
        perp = inc.get("perpetrator") or {}
        conn.execute(
            insert(tables.incidents).values(
                id=inc["id"],
                type=inc["type"],
                types=json.dumps(inc.get("types", [inc["type"]])),
                place_name=place.get("name"),
                lat=place.get("lat"),
                lon=place.get("lon"),
                country=(place.get("country") or "").upper() or None,
                admin1=place.get("admin1"),
                precision=place.get("precision"),
                time_start=time.get("start"),
                time_end=time.get("end"),
                perpetrator_side=(perp.get("side") or "").upper() or None,
                grade=inc["grade"],
                independent_sources=inc["independent_sources"],
                contested=bool(inc["contested"]),
                fatalities=fatalities(inc),
                first_report=inc.get("first_report"),
                last_report=inc.get("last_report"),
                record=canonical_json(inc).decode(),
                updated_at=now,
            )
        )
    type_rows = [
        {"incident_id": inc["id"], "type": t}
        for inc in items
        for t in sorted(set(inc.get("types") or [inc["type"]]))
    ]
    if type_rows:
        conn.execute(insert(tables.incident_types), type_rows)
    rows = [
        {"incident_id": a, "event_id": b, "pipeline": c, "document_id": d} for a, b, c, d in members
    ]
    if rows:
        conn.execute(insert(tables.incident_events), rows)


def _table_digest(conn: Connection) -> tuple[str, int]:
    """SHA-256 of the canonical JSON array of every stored incident, by id, and their count.

    Records are stored as canonical JSON, so the array's canonical form is
    their concatenation; nothing is parsed.
    """
    h = hashlib.sha256(b"[")
    count = 0
    i = tables.incidents
    for (record,) in conn.execute(select(i.c.record).order_by(i.c.id)):
        if count:
            h.update(b",")
        h.update(record.encode("utf-8"))
        count += 1
    h.update(b"]")
    return h.hexdigest(), count


def _membership(conn: Any, ids: list[str] | None = None) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    ie = tables.incident_events
    q = select(ie.c.incident_id, ie.c.event_id, ie.c.pipeline)
    chunks = [None] if ids is None else [ids[k : k + 500] for k in range(0, len(ids), 500)]
    for part in chunks:
        for row in conn.execute(q if part is None else q.where(ie.c.incident_id.in_(part))):
            out.setdefault(row.incident_id, set()).add((row.event_id, row.pipeline))
    return out


def _carry_reviews(
    conn: Any,
    before: dict[str, set[tuple[str, str]]],
    now_ids: set[str],
    members: list[tuple[str, str, str, str]],
    actor: str,
) -> None:
    """Keep analysts' reviews when re-clustering renames, merges or splits incidents.

    An incident's id derives from its earliest report, so a merge (or a report
    published earlier) renames it. The review of a vanished id goes to the
    new incident sharing most of its events. When that incident has a review
    of its own (or gets several), the reviews fold into one: flags and edits
    add up (the target's edits win a clash), and differing verdicts become
    ``in_review``, so a person looks again. Flags also spread to every new
    incident holding events of a flagged one (a split must not unrestrict the
    part it splits off). Each carry-over is custody-logged.
    """
    r = tables.incident_reviews
    reviewed = {row.incident_id: dict(row._mapping) for row in conn.execute(select(r))}
    new_members: dict[tuple[str, str], str] = {(e, p): i for i, e, p, _ in members}
    carried: dict[str, list[str]] = {}
    for old_id in sorted(reviewed):
        if old_id in now_ids or old_id not in before:
            continue
        counts: dict[str, int] = {}
        for key in before[old_id]:
            if key in new_members:
                counts[new_members[key]] = counts.get(new_members[key], 0) + 1
        if counts:
            target = min(counts, key=lambda i: (-counts[i], i))
            carried.setdefault(target, []).append(old_id)
    spread: dict[str, set[str]] = {}
    for old_id, keys in before.items():
        flags = set(json.loads(reviewed[old_id]["flags"])) if old_id in reviewed else set()
        for key in keys if flags else ():
            into = new_members.get(key)
            if into is not None and into != old_id:
                spread.setdefault(into, set()).update(flags)
    for target in sorted(set(carried) | set(spread)):
        sources = carried.get(target, [])
        own = reviewed.get(target)
        rows = ([own] if own else []) + [reviewed[s] for s in sources]
        flags = set(spread.get(target, set()))
        edits: dict[str, Any] = {}
        for row in reversed(rows):  # the target's own edits applied last, so they win
            flags |= set(json.loads(row["flags"]))
            edits.update(json.loads(row["edits"]))
        statuses = {row["status"] for row in rows} - {"unreviewed"}
        status = (
            "unreviewed" if not statuses else statuses.pop() if len(statuses) == 1 else "in_review"
        )
        assigned = next((row["assigned_to"] for row in rows if row["assigned_to"]), None)
        merged = {
            "incident_id": target,
            "status": status,
            "assigned_to": assigned,
            "flags": json.dumps(sorted(flags)),
            "edits": canonical_json(edits).decode(),
            "updated_at": utc_now(),
            "updated_by": actor,
        }
        if own and all(merged[k] == own[k] for k in ("status", "assigned_to", "flags", "edits")):
            continue
        conn.execute(delete(r).where(r.c.incident_id == target))
        conn.execute(insert(r).values(**merged))
        reviewed[target] = merged
        # the carried state's hash, as review entries hash theirs: verify checks the row
        state = {"status": status, "assigned_to": assigned, "flags": sorted(flags), "edits": edits}
        custody_log.append(
            conn,
            actor,
            "review_carried",
            target,
            hash_value(state),
            {
                "from": sources[0] if len(sources) == 1 else sources,
                "shared_events": sum(
                    1 for s in sources for key in before[s] if new_members.get(key) == target
                ),
                "status": status,
                "flags": sorted(flags),
            },
        )


def fatalities(incident: dict[str, Any]) -> int | None:
    """The largest lower bound of people killed among the incident's harm entries.

    Categories overlap ("39 people, including four children"), so entries are
    not summed; the lower bound keeps the count conservative, as ACLED's is.
    """
    mins = [h.get("min") for h in incident.get("harm", []) if h.get("kind") == "killed"]
    known = [m for m in mins if isinstance(m, int)]
    return max(known) if known else None


def last_corroboration_digest(store: Store) -> str | None:
    """The table hash the latest ``corroborated`` custody entry recorded (None: never)."""
    c = tables.custody
    with store.engine.connect() as conn:
        row = conn.execute(
            select(c.c.object_hash)
            .where(c.c.action == "corroborated")
            .order_by(c.c.seq.desc())
            .limit(1)
        ).first()
    return None if row is None else row[0]


def stored_records(store: Store, ids: list[str]) -> dict[str, str]:
    """The stored canonical JSON record of each of ``ids`` that exists."""
    i = tables.incidents
    out: dict[str, str] = {}
    with store.engine.connect() as conn:
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            out.update(conn.execute(select(i.c.id, i.c.record).where(i.c.id.in_(part))).all())
    return out
