"""Incidents in the store: save a corroboration result, list with filters, fetch one.

The filters are shared by ``dossier incidents``, ``dossier export``, the web
list and the API, so all four always agree on what a filter means.

The store keeps and returns what was stored: the machine's record and the
review row beside it (``StoredIncident``). The review rules live above it:
``review.incidents`` lays the reviewed values over the record, and
corroboration passes the rule that carries reviews over to renamed, merged
or split incidents (``corroborate.carry``) into ``update_incidents``.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Connection, Select, and_, delete, func, insert, select

from .. import ontology
from ..errors import InvalidRequest, StoreError
from ..evidence.canonical import canonical_json, hash_value
from ..evidence.custody import utc_now
from ..evidence.recorded import members_hash
from ..geo import haversine_km
from ..ontology import fatalities
from ..records import Incident, incident_from_json
from . import custody_log, tables
from .database import Store
from .memo import since_last_change
from .reviews import ReviewState

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

Member = tuple[str, str, str, str]  # incident id, event id, pipeline, document id
# incident id -> its member (event id, pipeline) pairs
Membership = dict[str, set[tuple[str, str]]]


@dataclass(frozen=True)
class StoredIncident:
    """An incident as stored: the machine's contract record and its review row.

    ``edits`` is the review's stored edits text, unparsed: which of them are
    still valid is the review layer's rule (``review.incidents``).
    """

    record: dict[str, Any]
    status: str = "unreviewed"
    assigned_to: str | None = None
    flags: tuple[str, ...] = ()
    edits: str | None = None

    @property
    def id(self) -> str:
        return str(self.record["id"])

    @property
    def incident(self) -> Incident:
        """The machine's record, typed (review edits are not in it: see ``review.incidents``).

        A stored record corroboration did not write (a field missing or of the
        wrong shape) is a StoreError naming the incident, not a page that breaks.
        """
        try:
            return incident_from_json(self.record)
        except (KeyError, TypeError, AttributeError) as exc:
            raise StoreError(
                f"the stored record of incident {self.id} is not an incident record "
                f"({type(exc).__name__}: {exc}); run `dossier corroborate` again to rewrite it"
            ) from exc

    @property
    def review(self) -> ReviewState:
        """The review state, with the edits as stored (unchecked; an unreadable text is none)."""
        try:
            edits = json.loads(self.edits) if self.edits else {}
        except ValueError:
            edits = {}
        return ReviewState(
            self.status,
            self.assigned_to,
            self.flags,
            edits if isinstance(edits, dict) else {},
        )


@dataclass(frozen=True)
class CarriedReview:
    """A review state written onto ``target`` at re-corroboration, and its custody detail."""

    target: str
    state: ReviewState
    detail: dict[str, Any]


# the rule deciding which reviews follow incidents that re-clustering renamed,
# merged or split: (membership before, incident ids now, members now, reviews)
CarryRule = Callable[
    [Membership, set[str], list[Member], dict[str, ReviewState]], list[CarriedReview]
]


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


def list_stored(
    store: Store,
    f: IncidentFilter = IncidentFilter(),
    *,
    sort: str = "-date",
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[StoredIncident], int]:
    """Incidents matching ``f`` (stored record and review row) and the total count.

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
        by_id: dict[str, StoredIncident] = {}
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            for row in conn.execute(_base().where(i.c.id.in_(part))):
                by_id[row.id] = _incident(row)
    return [by_id[x] for x in ids], total


def _incident(row: Any) -> StoredIncident:
    m = row._mapping
    return StoredIncident(
        record=json.loads(m["record"]),
        status=m["review_status"] or "unreviewed",
        assigned_to=m["assigned_to"],
        flags=tuple(json.loads(m["flags"])) if m["flags"] else (),
        edits=m["edits"],
    )


def get_stored(store: Store, incident_id: str) -> StoredIncident | None:
    """The stored incident ``incident_id`` (None: there is none)."""
    q = _base().where(tables.incidents.c.id == incident_id)
    with store.engine.connect() as conn:
        row = conn.execute(q).first()
    return None if row is None else _incident(row)


@dataclass(frozen=True)
class IncidentReport:
    """One member event of an incident with its document's metadata and evidence sentence."""

    event: dict[str, Any]  # the event record as extraction stored it
    document: str
    title: str | None
    publisher: str | None
    url: str | None
    published: str | None
    restricted: bool
    sentence: str

    def json(self) -> dict[str, Any]:
        """The report as ``dossier show --json`` and the incident page give it."""
        return asdict(self)


def incident_events(store: Store, incident_id: str) -> list[IncidentReport]:
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
            IncidentReport(
                event=event,
                document=row.document_id,
                title=row.title,
                publisher=row.publisher,
                url=row.url,
                published=row.published,
                restricted=bool(row.restricted),
                sentence=row.text[s.get("start", 0) : s.get("end", 0)],
            )
        )
    return out


def replace_incidents(
    store: Store,
    incidents: Iterable[dict[str, Any]],
    members: Iterable[Member],
    actor: str,
    *,
    carry: CarryRule | None = None,
) -> str:
    """Replace the derived incident tables with a new corroboration result.

    ``incidents`` are contract JSON dicts; ``members`` are (incident id, event
    id, pipeline, document id). The result's hash goes into the custody log,
    so every corroboration run is on record. Reviews and judgements are kept:
    they are keyed by stable ids and apply to the new result; ``carry`` (as in
    ``update_incidents``) moves those of incidents that lost their id.
    """
    return update_incidents(store, incidents, members, None, actor, carry=carry)


def update_incidents(
    store: Store,
    incidents: Iterable[dict[str, Any]],
    members: Iterable[Member],
    removed: Iterable[str] | None,
    actor: str,
    *,
    carry: CarryRule | None = None,
    state: Callable[[Connection, str], None] | None = None,
    detail: dict[str, Any] | None = None,
) -> str:
    """Write a corroboration result: everything (``removed`` None) or only what changed.

    With ``removed`` given, only the incidents in ``incidents`` (created or
    changed) and ``removed`` are rewritten; every other incident, its id and
    its review stay as they are. ``members`` are the member rows of the
    written incidents. ``state`` runs inside the same transaction (the
    Corroborator saves its state there, so state and incidents never part);
    it gets the connection and the new table hash. ``carry`` decides which
    reviews follow incidents that lost their id (without it, a review stays
    under the old id, kept but attached to nothing); what it returns is
    written and custody-logged in the same transaction.
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
        if carry is not None:
            reviewed = _reviews(conn, _carry_candidates(before, members))
            _write_carried(conn, carry(before, now_ids, members, reviewed), actor)
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
    members: list[Member],
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


def _membership(conn: Any, ids: list[str] | None = None) -> Membership:
    out: Membership = {}
    ie = tables.incident_events
    q = select(ie.c.incident_id, ie.c.event_id, ie.c.pipeline)
    chunks = [None] if ids is None else [ids[k : k + 500] for k in range(0, len(ids), 500)]
    for part in chunks:
        for row in conn.execute(q if part is None else q.where(ie.c.incident_id.in_(part))):
            out.setdefault(row.incident_id, set()).add((row.event_id, row.pipeline))
    return out


def _carry_candidates(before: Membership, members: list[Member]) -> set[str]:
    """The incidents whose review a carry rule can touch: those some of whose events now
    sit in another incident, and those incidents."""
    into = {(e, p): i for i, e, p, _ in members}
    moved = {
        old
        for old, keys in before.items()
        for key in keys
        if into.get(key) is not None and into[key] != old
    }
    return moved | {into[key] for old in moved for key in before[old] if key in into}


def _reviews(conn: Connection, ids: set[str]) -> dict[str, ReviewState]:
    """The reviews of ``ids``; one that cannot be read stops the write, naming the incident."""
    r = tables.incident_reviews
    out: dict[str, ReviewState] = {}
    for part in [sorted(ids)[k : k + 500] for k in range(0, len(ids), 500)]:
        for row in conn.execute(select(r).where(r.c.incident_id.in_(part))):
            try:
                flags, edits = json.loads(row.flags), json.loads(row.edits)
            except ValueError as exc:
                raise StoreError(
                    f"the stored review of incident {row.incident_id} is not JSON ({exc}); "
                    "it must be carried over to the incident's new id, so fix the row in "
                    "incident_reviews (the custody log holds every review entry) and run "
                    "`dossier corroborate` again"
                ) from exc
            out[row.incident_id] = ReviewState(row.status, row.assigned_to, tuple(flags), edits)
    return out


def _write_carried(conn: Connection, carried: list[CarriedReview], actor: str) -> None:
    """Write each carried review over its target's and log it, hashed as review entries are."""
    r = tables.incident_reviews
    for item in carried:
        state = item.state
        conn.execute(delete(r).where(r.c.incident_id == item.target))
        conn.execute(
            insert(r).values(
                incident_id=item.target,
                status=state.status,
                assigned_to=state.assigned_to,
                flags=json.dumps(sorted(state.flags)),
                edits=canonical_json(state.edits).decode(),
                updated_at=utc_now(),
                updated_by=actor,
            )
        )
        # the carried state's hash, as review entries hash theirs: verify checks the row
        custody_log.append(
            conn, actor, "review_carried", item.target, hash_value(state.json()), item.detail
        )


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
