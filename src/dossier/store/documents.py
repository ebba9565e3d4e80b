"""Artifacts and documents in the store: what ingest writes, and what corroboration reads.

Each write is one transaction with its custody entry, so a row never exists
without the entry that logs it. Inserts are idempotent: a row another writer
stored first is left as it is (with the entry that writer made).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update

from ..evidence.recorded import artifact_record_hash, document_metadata_hash
from . import custody_log, tables
from .database import Store, insert_new


@dataclass(frozen=True)
class ArtifactRow:
    """An artifact's row as ingest records it (``tables.artifacts``)."""

    sha256: str
    media_type: str
    size: int
    acquired_at: str
    acquired_by: str
    source_path: str
    source_url: str | None
    status: str  # "document", "container" or "rejected"
    reason: str | None

    def values(self) -> dict[str, Any]:
        return {
            "sha256": self.sha256,
            "media_type": self.media_type,
            "size": self.size,
            "acquired_at": self.acquired_at,
            "acquired_by": self.acquired_by,
            "source_path": self.source_path,
            "source_url": self.source_url,
            "status": self.status,
            "reason": self.reason,
        }


def record_artifact(store: Store, row: ArtifactRow, detail: Mapping[str, Any]) -> str:
    """Record an artifact (its blob already stored) with its ``acquired`` entry; or, for
    known bytes, promote a rejected row whose bytes now yield documents (``reassessed``).

    ``detail`` is added to the ``acquired`` entry's detail. Returns what happened:
    ``"acquired"``, ``"reassessed"`` or ``"present"``.
    """
    with store.transaction() as conn:
        outcome = _record_artifact(conn, store.settings.who, row, detail)
    store.artifacts.logged(row.sha256)
    return outcome


def _record_artifact(
    conn: Connection, actor: str, row: ArtifactRow, detail: Mapping[str, Any]
) -> str:
    a = tables.artifacts
    known = conn.execute(select(a.c.status).where(a.c.sha256 == row.sha256)).first()
    if known is not None:
        if known.status == "rejected" and row.status != "rejected":
            # The same bytes yield documents now (a raised size cap, a fixed reader):
            # the row must not keep calling an artifact with documents "rejected".
            # Never the other way: the same bytes under an unreadable name (x.pdf)
            # must not demote an artifact whose documents exist.
            conn.execute(
                update(a)
                .where(a.c.sha256 == row.sha256)
                .values(status=row.status, reason=row.reason)
            )
            now = conn.execute(select(a).where(a.c.sha256 == row.sha256)).one()
            custody_log.append(
                conn,
                actor,
                "reassessed",
                f"sha256:{row.sha256}",
                row.sha256,
                {
                    "previous_status": known.status,
                    "status": row.status,
                    "reason": row.reason,
                    "record_sha256": artifact_record_hash(now._mapping),
                },
            )
            return "reassessed"
        return "present"
    values = row.values()
    if not insert_new(conn, a, values):
        # Another writer stored these bytes first (and logged them): nothing to add.
        return "present"
    custody_log.append(
        conn,
        actor,
        "acquired",
        f"sha256:{row.sha256}",
        row.sha256,
        {**detail, "record_sha256": artifact_record_hash(values)},
    )
    return "acquired"


def has_document(store: Store, document_id: str) -> bool:
    """Whether a document with this id is stored."""
    d = tables.documents
    with store.engine.connect() as conn:
        return conn.execute(select(d.c.id).where(d.c.id == document_id)).first() is not None


def add_document(store: Store, row: Mapping[str, Any], detail: Mapping[str, Any]) -> bool:
    """Store a document row (``tables.documents``) with its ``ingested`` entry, in one
    transaction; False when it was stored already (by this or another writer)."""
    values = dict(row)
    with store.transaction() as conn:
        if not insert_new(conn, tables.documents, values):
            return False  # another writer stored it first, with its custody entry
        custody_log.append(
            conn,
            store.settings.who,
            "ingested",
            values["id"],
            values["text_sha256"],
            {**detail, "metadata_sha256": document_metadata_hash(values)},
        )
    return True


def document_ids(store: Store) -> set[str]:
    """Every stored document's id."""
    d = tables.documents
    with store.engine.connect() as conn:
        return {row[0] for row in conn.execute(select(d.c.id))}


def document_texts(store: Store) -> list[tuple[str, str]]:
    """(id, clean text) of every stored document."""
    d = tables.documents
    with store.engine.connect() as conn:
        return [(row.id, row.text) for row in conn.execute(select(d.c.id, d.c.text))]
