"""What the review pages and the API read: work queues, links, flags, history, documents, events."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select

from ..store import custody_log, tables
from ..store.accounts_tables import document_flags, incident_links
from ..store.database import Store
from ..store.incidents import IncidentFilter, list_incidents

if TYPE_CHECKING:
    from .visibility import View


def assigned_ids(store: Store, name: str) -> tuple[str, ...]:
    r = tables.incident_reviews
    with store.engine.connect() as conn:
        return tuple(
            x[0] for x in conn.execute(select(r.c.incident_id).where(r.c.assigned_to == name))
        )


def stale_ids(store: Store, days: int) -> tuple[str, ...]:
    """Incidents left ``in_review`` for more than ``days`` days."""
    r = tables.incident_reviews
    cutoff = (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S")
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(r.c.incident_id).where(r.c.status == "in_review", r.c.updated_at < cutoff)
        )
        return tuple(x[0] for x in rows)


def queue(store: Store, name: str, days: int) -> dict[str, list[dict[str, Any]]]:
    """Work assigned to ``name`` and incidents in review too long."""
    mine, _ = list_incidents(store, IncidentFilter(ids=assigned_ids(store, name)), limit=500)
    stale, _ = list_incidents(
        store, IncidentFilter(ids=stale_ids(store, days)), sort="date", limit=500
    )
    return {"assigned": mine, "stale": stale}


def links(store: Store, incident_id: str) -> list[dict[str, Any]]:
    """Links from and to an incident, each seen from this incident's side."""
    t = incident_links
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(t)
            .where(or_(t.c.left_id == incident_id, t.c.right_id == incident_id))
            .order_by(t.c.id)
        ).all()
    return [
        {
            "kind": r.kind,
            "other": r.right_id if r.left_id == incident_id else r.left_id,
            "direction": "to" if r.left_id == incident_id else "from",
            "user": r.user,
            "time": r.time,
            "reason": r.reason,
        }
        for r in rows
    ]


def document_flag_list(store: Store, document_id: str) -> list[str]:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(document_flags.c.flags).where(document_flags.c.document_id == document_id)
        ).first()
    return [] if row is None else list(json.loads(row[0]))


def history(store: Store, object_ids: list[str]) -> list[dict[str, Any]]:
    """Custody entries about ``object_ids``, oldest first, as plain dicts."""
    return [
        {
            "seq": e.seq,
            "time": e.time,
            "actor": e.actor,
            "action": e.action,
            "object_id": e.object_id,
            "object_hash": e.object_hash,
            "detail": e.detail,
            "entry_hash": e.entry_hash,
        }
        for e in custody_log.entries(store, object_ids=object_ids)
    ]


def custody(
    store: Store,
    view: View,
    *,
    object_ids: list[str] | None = None,
    after: int = 0,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """A page of custody entries as ``view`` may see them, full even when entries are withheld."""
    out: list[dict[str, Any]] = []
    while len(out) < limit:
        batch = list(custody_log.entries(store, object_ids=object_ids, after=after, limit=limit))
        if not batch:
            break
        out += view.custody(asdict(e) for e in batch)
        after = batch[-1].seq
        if len(batch) < limit:
            break
    return out[:limit]


def get_document(store: Store, document_id: str) -> dict[str, Any] | None:
    """A document's metadata and clean text, its artifact, and its sensitivity flags."""
    d, a = tables.documents, tables.artifacts
    q = (
        select(d, a.c.media_type, a.c.size, a.c.source_url, a.c.acquired_at)
        .join(a, a.c.sha256 == d.c.artifact_sha256)
        .where(d.c.id == document_id)
    )
    with store.engine.connect() as conn:
        row = conn.execute(q).first()
    if row is None:
        return None
    doc = dict(row._mapping)
    flags = set(document_flag_list(store, document_id))
    if doc.get("restricted"):
        flags.add("restricted")
    doc["flags"] = sorted(flags)
    return doc


def document_incidents(store: Store, document_id: str) -> list[str]:
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
) -> list[dict[str, Any]]:
    """Stored event records with their document and pipeline, none of ``hide``'s documents."""
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
    return [
        {**json.loads(r.record), "document": r.document_id, "pipeline": r.pipeline} for r in rows
    ]


def flags_of(store: Store, kind: str, ids: list[str]) -> dict[str, list[str]]:
    """Sensitivity flags of documents or incidents by id (absent: none)."""
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
