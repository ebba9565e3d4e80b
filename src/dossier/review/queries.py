"""What the review pages and the API read: work queues, links, flags, history, documents, events."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from ..records import ReviewedIncident
from ..store import custody_log, reviews
from ..store.database import Store
from ..store.incidents import IncidentFilter
from .incidents import list_reviewed

if TYPE_CHECKING:
    from .visibility import View


def assigned_ids(store: Store, name: str) -> tuple[str, ...]:
    return reviews.assigned_ids(store, name)


def stale_ids(store: Store, days: int) -> tuple[str, ...]:
    """Incidents left ``in_review`` for more than ``days`` days."""
    cutoff = (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M:%S")
    return reviews.ids_with_status_before(store, "in_review", cutoff)


def queue(store: Store, name: str, days: int) -> dict[str, list[ReviewedIncident]]:
    """Work assigned to ``name`` and incidents in review too long."""
    mine, _ = list_reviewed(store, IncidentFilter(ids=assigned_ids(store, name)), limit=500)
    stale, _ = list_reviewed(
        store, IncidentFilter(ids=stale_ids(store, days)), sort="date", limit=500
    )
    return {"assigned": mine, "stale": stale}


def links(store: Store, incident_id: str) -> list[dict[str, Any]]:
    """Links from and to an incident, each seen from this incident's side."""
    return [
        {
            "kind": r.kind,
            "other": r.right_id if r.left_id == incident_id else r.left_id,
            "direction": "to" if r.left_id == incident_id else "from",
            "user": r.user,
            "time": r.time,
            "reason": r.reason,
        }
        for r in reviews.links(store, incident_id)
    ]


def document_flag_list(store: Store, document_id: str) -> list[str]:
    return reviews.document_flag_list(store, document_id)


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
    doc = reviews.document_row(store, document_id)
    if doc is None:
        return None
    flags = set(document_flag_list(store, document_id))
    if doc.get("restricted"):
        flags.add("restricted")
    doc["flags"] = sorted(flags)
    return doc


def document_incidents(store: Store, document_id: str) -> list[str]:
    return reviews.document_incidents(store, document_id)


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
    rows = reviews.events(
        store,
        document_id=document_id,
        event_id=event_id,
        limit=limit,
        offset=offset,
        hide=hide,
    )
    return [{**r.record, "document": r.document_id, "pipeline": r.pipeline} for r in rows]


def flags_of(store: Store, kind: str, ids: list[str]) -> dict[str, list[str]]:
    """Sensitivity flags of documents or incidents by id (absent: none)."""
    return reviews.flags_of(store, kind, ids)
