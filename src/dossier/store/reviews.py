"""Review state in the store: the rows of analysts' decisions and what the visibility policy reads.

``review/`` holds the rules (who may do what, what a merge means, who sees
what); this module holds the SQL. A review action runs inside one
transaction, so its reads and writes go through a ``ReviewWriter`` opened by
``writing(store)``; the policy's reads go through a ``ReviewReader`` opened
by ``reading(store)``, one connection for all of them.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, delete, insert, or_, select

from ..evidence.canonical import canonical_json
from ..evidence.custody import utc_now
from ..records import CustodyEntry
from . import custody_log, memo, tables
from .accounts_tables import accounts, document_flags, incident_links
from .database import Store

_CHUNK = 500


@dataclass(frozen=True)
class ReviewState:
    """An incident's review: status, assignee, sensitivity flags and edited values."""

    status: str = "unreviewed"
    assigned_to: str | None = None
    flags: tuple[str, ...] = ()
    edits: dict[str, Any] = field(default_factory=dict)

    def json(self) -> dict[str, Any]:
        """The state as the custody log hashes it."""
        return {
            "status": self.status,
            "assigned_to": self.assigned_to,
            "flags": list(self.flags),
            "edits": dict(self.edits),
        }


@dataclass(frozen=True)
class Judgement:
    """One analyst's decision that two events are (positive) or are not the same incident."""

    id: int
    time: str
    left_id: str
    right_id: str
    kind: str


@dataclass(frozen=True)
class Link:
    """A link between two incidents as stored: left is the one it was made on."""

    left_id: str
    right_id: str
    kind: str
    user: str
    time: str
    reason: str | None


@dataclass(frozen=True)
class StoredEvent:
    """An event record as extraction stored it, with its document and pipeline."""

    id: str
    pipeline: str
    document_id: str
    record: dict[str, Any]


@dataclass(frozen=True)
class DocumentText:
    """The strings of a document the visibility policy may have to redact elsewhere."""

    id: str
    title: str | None
    author: str | None
    publisher: str | None
    text: str | None


def _chunks(items: Iterable[str]) -> Iterator[list[str]]:
    items = sorted(items)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class ReviewReader:
    """Reads of review state and memberships over one open connection."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def flagged_incidents(self, flags: Collection[str]) -> dict[str, set[str]]:
        """The flags of every incident whose review holds any of ``flags``."""
        r = tables.incident_reviews
        rows = self.conn.execute(
            select(r.c.incident_id, r.c.flags).where(
                or_(*(r.c.flags.like(f'%"{flag}"%') for flag in flags))
            )
        )
        return {iid: set(json.loads(value or "[]")) for iid, value in rows}

    def document_flags(self) -> dict[str, set[str]]:
        """The flags of every flagged document."""
        t = document_flags
        rows = self.conn.execute(select(t.c.document_id, t.c.flags))
        return {doc: set(json.loads(value or "[]")) for doc, value in rows}

    def restricted_documents(self) -> set[str]:
        """Documents restricted at ingest."""
        d = tables.documents
        return {x[0] for x in self.conn.execute(select(d.c.id).where(d.c.restricted.is_(True)))}

    def documents_of(self, incident_ids: Iterable[str]) -> set[str]:
        """The documents holding a member event of any of ``incident_ids``."""
        ie = tables.incident_events
        out: set[str] = set()
        for part in _chunks(incident_ids):
            q = select(ie.c.document_id).where(ie.c.incident_id.in_(part)).distinct()
            out |= {x[0] for x in self.conn.execute(q)}
        return out

    def incidents_of(self, document_ids: Iterable[str]) -> set[str]:
        """The incidents holding an event of any of ``document_ids``."""
        ie = tables.incident_events
        out: set[str] = set()
        for part in _chunks(document_ids):
            q = select(ie.c.incident_id).where(ie.c.document_id.in_(part)).distinct()
            out |= {x[0] for x in self.conn.execute(q)}
        return out

    def memberships(self, incident_ids: Iterable[str]) -> list[tuple[str, str]]:
        """(incident, document) for each member event of ``incident_ids``."""
        ie = tables.incident_events
        out: list[tuple[str, str]] = []
        for part in _chunks(incident_ids):
            q = select(ie.c.incident_id, ie.c.document_id).where(ie.c.incident_id.in_(part))
            out += [(x[0], x[1]) for x in self.conn.execute(q)]
        return out

    def artifacts_of(self, document_ids: Iterable[str]) -> set[str]:
        """The artifact hashes (bare hex) the documents were cut from."""
        d = tables.documents
        out: set[str] = set()
        for part in _chunks(document_ids):
            q = select(d.c.artifact_sha256).where(d.c.id.in_(part))
            out |= {x[0] for x in self.conn.execute(q)}
        return out

    def documents_of_artifacts(self, sha256s: Iterable[str]) -> list[tuple[str, str]]:
        """(artifact hash, document) for every document of the artifacts."""
        d = tables.documents
        out: list[tuple[str, str]] = []
        for part in _chunks(sha256s):
            q = select(d.c.artifact_sha256, d.c.id).where(d.c.artifact_sha256.in_(part))
            out += [(x[0], x[1]) for x in self.conn.execute(q)]
        return out


class ReviewWriter(ReviewReader):
    """Reads and writes of one review action, all inside its transaction."""

    def state(self, incident_id: str) -> ReviewState:
        r = tables.incident_reviews
        row = self.conn.execute(select(r).where(r.c.incident_id == incident_id)).first()
        if row is None:
            return ReviewState()
        m = row._mapping
        return ReviewState(
            m["status"], m["assigned_to"], tuple(json.loads(m["flags"])), json.loads(m["edits"])
        )

    def save(self, incident_id: str, state: ReviewState, who: str) -> None:
        r = tables.incident_reviews
        self.conn.execute(delete(r).where(r.c.incident_id == incident_id))
        self.conn.execute(
            insert(r).values(
                incident_id=incident_id,
                status=state.status,
                assigned_to=state.assigned_to,
                flags=json.dumps(sorted(state.flags)),
                edits=canonical_json(state.edits).decode(),
                updated_at=utc_now(),
                updated_by=who,
            )
        )

    def exists(self, incident_id: str) -> bool:
        i = tables.incidents
        return self.conn.execute(select(i.c.id).where(i.c.id == incident_id)).first() is not None

    def account_exists(self, name: str) -> bool:
        q = select(accounts.c.name).where(accounts.c.name == name)
        return self.conn.execute(q).first() is not None

    def members(self, incident_id: str) -> list[str]:
        """The incident's member event ids, sorted."""
        ie = tables.incident_events
        q = select(ie.c.event_id).where(ie.c.incident_id == incident_id).order_by(ie.c.event_id)
        return [r[0] for r in self.conn.execute(q)]

    def pipeline(self, incident_id: str) -> str | None:
        """The extraction pipeline of the incident's events (None: no members)."""
        ie = tables.incident_events
        q = select(ie.c.pipeline).where(ie.c.incident_id == incident_id).limit(1)
        row = self.conn.execute(q).first()
        return None if row is None else str(row[0])

    def with_status(self, events: list[str], statuses: Collection[str]) -> set[str]:
        """The ``events`` whose status is one of ``statuses``."""
        ev = tables.events
        q = select(ev.c.id).where(ev.c.id.in_(events), ev.c.status.in_(list(statuses)))
        return set(self.conn.execute(q).scalars())

    def judgements_among(self, events: list[str]) -> list[Judgement]:
        """Every judgement between two of ``events``."""
        j = tables.judgements
        inside = set(events)
        out = []
        for chunk in range(0, len(events), 400):
            part = events[chunk : chunk + 400]
            q = select(j.c.id, j.c.time, j.c.left_id, j.c.right_id, j.c.kind).where(
                j.c.left_id.in_(part)
            )
            out += [
                Judgement(r.id, r.time, r.left_id, r.right_id, r.kind)
                for r in self.conn.execute(q)
                if r.right_id in inside
            ]
        return out

    def add_judgements(
        self, pairs: list[tuple[str, str, str]], user: str, reason: str, time: str
    ) -> None:
        """Record (left, right, kind) judgements by ``user``."""
        self.conn.execute(
            insert(tables.judgements),
            [
                {
                    "kind": k,
                    "left_id": a,
                    "right_id": b,
                    "user": user,
                    "time": time,
                    "reason": reason,
                }
                for a, b, k in pairs
            ],
        )

    def add_link(self, left_id: str, right_id: str, kind: str, user: str, reason: str) -> None:
        self.conn.execute(
            insert(incident_links).values(
                left_id=left_id,
                right_id=right_id,
                kind=kind,
                user=user,
                time=utc_now(),
                reason=reason,
            )
        )

    def document_flags_of(self, document_id: str) -> set[str]:
        t = document_flags
        row = self.conn.execute(select(t.c.flags).where(t.c.document_id == document_id)).first()
        return set(json.loads(row[0])) if row else set()

    def save_document_flags(self, document_id: str, flags: list[str], who: str) -> None:
        t = document_flags
        self.conn.execute(delete(t).where(t.c.document_id == document_id))
        self.conn.execute(
            insert(t).values(
                document_id=document_id,
                flags=json.dumps(sorted(flags)),
                updated_at=utc_now(),
                updated_by=who,
            )
        )

    def log(
        self,
        actor: str,
        action: str,
        object_id: str,
        object_hash: str | None,
        detail: dict[str, Any],
    ) -> CustodyEntry:
        """Append a custody entry inside this transaction."""
        return custody_log.append(self.conn, actor, action, object_id, object_hash, detail)


@contextmanager
def writing(store: Store) -> Iterator[ReviewWriter]:
    """One write transaction for a review action; it commits when the block ends."""
    with store.transaction() as conn:
        yield ReviewWriter(conn)


@contextmanager
def reading(store: Store) -> Iterator[ReviewReader]:
    """One connection for a batch of reads."""
    with store.engine.connect() as conn:
        yield ReviewReader(conn)


# -- reads of their own ------------------------------------------------------


def custody_entry(store: Store, seq: int) -> CustodyEntry | None:
    """The custody entry numbered ``seq``."""
    entry = next(custody_log.entries(store, after=seq - 1, limit=1), None)
    return entry if entry is not None and entry.seq == seq else None


def custody_head(store: Store) -> int | None:
    """The sequence number of the latest custody entry (None: the log is empty)."""
    return memo.head(store)


def event_statuses(store: Store, pipeline: str, events: list[str]) -> dict[str, str]:
    """The status in the text of each of ``events`` under ``pipeline``."""
    ev = tables.events
    q = select(ev.c.id, ev.c.status).where(ev.c.pipeline == pipeline, ev.c.id.in_(events))
    with store.engine.connect() as conn:
        return {r[0]: r[1] for r in conn.execute(q)}


def assigned_ids(store: Store, name: str) -> tuple[str, ...]:
    """Incidents assigned to ``name``."""
    r = tables.incident_reviews
    with store.engine.connect() as conn:
        rows = conn.execute(select(r.c.incident_id).where(r.c.assigned_to == name))
        return tuple(x[0] for x in rows)


def ids_with_status_before(store: Store, status: str, cutoff: str) -> tuple[str, ...]:
    """Incidents whose review has had ``status`` since before ``cutoff`` (ISO time)."""
    r = tables.incident_reviews
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(r.c.incident_id).where(r.c.status == status, r.c.updated_at < cutoff)
        )
        return tuple(x[0] for x in rows)


def links(store: Store, incident_id: str) -> list[Link]:
    """Links from and to an incident, in the order they were made."""
    t = incident_links
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(t)
            .where(or_(t.c.left_id == incident_id, t.c.right_id == incident_id))
            .order_by(t.c.id)
        ).all()
    return [Link(r.left_id, r.right_id, r.kind, r.user, r.time, r.reason) for r in rows]


def document_flag_list(store: Store, document_id: str) -> list[str]:
    """The flags a review set on a document (not its restriction at ingest)."""
    t = document_flags
    with store.engine.connect() as conn:
        row = conn.execute(select(t.c.flags).where(t.c.document_id == document_id)).first()
    return [] if row is None else list(json.loads(row[0]))


def document_row(store: Store, document_id: str) -> dict[str, Any] | None:
    """A document's row with its artifact's media type, size, source URL and acquisition time."""
    d, a = tables.documents, tables.artifacts
    q = (
        select(d, a.c.media_type, a.c.size, a.c.source_url, a.c.acquired_at)
        .join(a, a.c.sha256 == d.c.artifact_sha256)
        .where(d.c.id == document_id)
    )
    with store.engine.connect() as conn:
        row = conn.execute(q).first()
    return None if row is None else dict(row._mapping)


def document_texts(store: Store, document_ids: Iterable[str]) -> dict[str, DocumentText]:
    """Title, author, publisher and text of each of the documents that exists."""
    d = tables.documents
    out: dict[str, DocumentText] = {}
    with store.engine.connect() as conn:
        for part in _chunks(document_ids):
            q = select(d.c.id, d.c.title, d.c.author, d.c.publisher, d.c.text).where(
                d.c.id.in_(part)
            )
            for x in conn.execute(q):
                out[x.id] = DocumentText(x.id, x.title, x.author, x.publisher, x.text)
    return out


def document_incidents(store: Store, document_id: str) -> list[str]:
    """The incidents holding an event of the document, sorted."""
    ie = tables.incident_events
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(ie.c.incident_id).where(ie.c.document_id == document_id).distinct()
        )
        return sorted(r[0] for r in rows)


def events(
    store: Store,
    *,
    document_id: str | None = None,
    event_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
    hide: Collection[str] = (),
) -> list[StoredEvent]:
    """Stored events by document and id, none of ``hide``'s documents."""
    ev = tables.events
    q = select(ev.c.id, ev.c.pipeline, ev.c.document_id, ev.c.record).order_by(
        ev.c.document_id, ev.c.id
    )
    if document_id is not None:
        q = q.where(ev.c.document_id == document_id)
    if event_id is not None:
        q = q.where(ev.c.id == event_id)
    if hide:
        q = q.where(ev.c.document_id.not_in(sorted(hide)))
    with store.engine.connect() as conn:
        rows = conn.execute(q.limit(limit).offset(offset)).all()
    return [StoredEvent(r.id, r.pipeline, r.document_id, json.loads(r.record)) for r in rows]


def event_records(store: Store, ids: list[str]) -> dict[str, dict[str, Any]]:
    """One stored record for each of the event ids (any pipeline's)."""
    ev = tables.events
    out: dict[str, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        for start in range(0, len(ids), _CHUNK):
            rows = conn.execute(
                select(ev.c.id, ev.c.record).where(ev.c.id.in_(ids[start : start + _CHUNK]))
            )
            for row in rows:
                out.setdefault(row.id, json.loads(row.record))
    return out


def flags_of(store: Store, kind: str, ids: list[str]) -> dict[str, list[str]]:
    """Sensitivity flags of documents (restricted at ingest counts) or incidents by id."""
    out: dict[str, set[str]] = {}
    with store.engine.connect() as conn:
        if kind == "document":
            d = tables.documents
            for doc_id, restricted in conn.execute(
                select(d.c.id, d.c.restricted).where(d.c.id.in_(ids))
            ):
                if restricted:
                    out.setdefault(doc_id, set()).add("restricted")
            t = document_flags
            for doc_id, flags in conn.execute(
                select(t.c.document_id, t.c.flags).where(t.c.document_id.in_(ids))
            ):
                out.setdefault(doc_id, set()).update(json.loads(flags))
        else:
            r = tables.incident_reviews
            for inc_id, flags in conn.execute(
                select(r.c.incident_id, r.c.flags).where(r.c.incident_id.in_(ids))
            ):
                out.setdefault(inc_id, set()).update(json.loads(flags or "[]"))
    return {k: sorted(v) for k, v in out.items()}
