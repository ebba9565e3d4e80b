"""What the store holds about some incidents' evidence: member events, their documents,
the artifacts behind those, the documents' flags and the exact stored extraction runs.

Read-only; ``export/collect.py`` turns it into the evidence set a bundle or a
report is made of.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select

from . import tables
from .accounts_tables import document_flags
from .database import Store


@dataclass
class Member:
    """One event of an incident, with the run (pipeline) and document it comes from."""

    incident: str
    event_id: str
    pipeline: str
    document: str


@dataclass
class StoredEvidence:
    members: list[Member]
    documents: dict[str, dict[str, Any]]  # id -> documents row
    artifacts: dict[str, dict[str, Any]]  # sha256 -> artifacts row
    flags: dict[str, list[str]] = field(default_factory=dict)  # document id -> its flags
    analyses: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (doc, pipeline) -> JSON


def read_evidence(store: Store, incident_ids: list[str]) -> StoredEvidence:
    """Members, documents, artifacts, flags and runs behind ``incident_ids``."""
    ie, d, a, r = tables.incident_events, tables.documents, tables.artifacts, tables.extraction_runs
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(ie)
            .where(ie.c.incident_id.in_(incident_ids))
            .order_by(ie.c.incident_id, ie.c.document_id, ie.c.event_id)
        ).all()
        members = [Member(x.incident_id, x.event_id, x.pipeline, x.document_id) for x in rows]
        doc_ids = sorted({m.document for m in members})
        documents = {
            row.id: dict(row._mapping) for row in conn.execute(select(d).where(d.c.id.in_(doc_ids)))
        }
        shas = sorted({row["artifact_sha256"] for row in documents.values()})
        artifacts = {
            row.sha256: dict(row._mapping)
            for row in conn.execute(select(a).where(a.c.sha256.in_(shas)))
        }
        flags = {
            row.document_id: list(json.loads(row.flags or "[]"))
            for row in conn.execute(
                select(document_flags).where(document_flags.c.document_id.in_(doc_ids))
            )
        }
        analyses: dict[tuple[str, str], bytes] = {}
        for doc, pipeline in sorted({(m.document, m.pipeline) for m in members}):
            raw = conn.execute(
                select(r.c.analysis).where(and_(r.c.document_id == doc, r.c.pipeline == pipeline))
            ).scalar_one_or_none()
            if raw is not None:
                analyses[(doc, pipeline)] = raw.encode("utf-8")
    return StoredEvidence(members, documents, artifacts, flags, analyses)
