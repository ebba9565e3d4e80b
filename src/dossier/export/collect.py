"""Gather what a bundle or report needs about some incidents from the store.

Reads incidents, their member events, the documents those come from, the
artifacts behind the documents and the exact stored extraction runs. The
queries are read-only; they belong with the store's other queries and live
here only until ``store/`` grows document and run lookups.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, select

from ..errors import NotFound
from ..review.incidents import get_incident
from ..store import tables
from ..store.accounts_tables import document_flags
from ..store.database import Store


@dataclass
class Member:
    incident: str
    event_id: str
    pipeline: str
    document: str


@dataclass
class EvidenceSet:
    incidents: list[dict[str, Any]]
    members: list[Member]
    documents: dict[str, dict[str, Any]]  # id -> documents row
    artifacts: dict[str, dict[str, Any]]  # sha256 -> artifacts row
    analyses: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (doc, pipeline) -> JSON
    flagged: set[str] = field(default_factory=set)  # documents a reviewer flagged restricted
    flagged_personal: set[str] = field(default_factory=set)  # ... flagged personal_information

    def analysis(self, document: str, pipeline: str) -> dict[str, Any]:
        raw = self.analyses.get((document, pipeline))
        return {} if raw is None else dict(json.loads(raw))

    def events(self) -> list[tuple[Member, dict[str, Any]]]:
        """Each member with its event record, as the stored analysis holds it."""
        out = []
        for m in self.members:
            by_id = {e["id"]: e for e in self.analysis(m.document, m.pipeline).get("events", [])}
            if m.event_id in by_id:
                out.append((m, by_id[m.event_id]))
        return out

    def pipelines(self, document: str) -> list[str]:
        """The pipelines whose runs of ``document`` the incidents draw on."""
        return sorted({p for d, p in self.analyses if d == document})

    def identities(self, document: str) -> dict[str, Any]:
        """Entities, claims and quotes of every run of ``document``: what redaction reads."""
        runs = [self.analysis(document, p) for p in self.pipelines(document)]
        return {
            k: [x for run in runs for x in run.get(k, [])] for k in ("entities", "claims", "quotes")
        }

    def restricted(self) -> set[str]:
        """Documents restricted at ingest, flagged by a reviewer, or in a restricted incident."""
        out = {d for d, row in self.documents.items() if row["restricted"]} | self.flagged
        for incident in self.incidents:
            if "restricted" in (incident.get("flags") or []):
                out |= {m.document for m in self.members if m.incident == incident["id"]}
        return out & set(self.documents)

    @property
    def personal(self) -> set[str]:
        """Documents flagged personal_information, or in an incident flagged so."""
        out = set(self.flagged_personal)
        for incident in self.incidents:
            if "personal_information" in (incident.get("flags") or []):
                out |= {m.document for m in self.members if m.incident == incident["id"]}
        return out & set(self.documents)


def analysis_path(document: str, pipeline: str) -> str:
    """Where a run's analysis lies in a bundle: one file per (document, pipeline)."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", pipeline) or "_"
    return f"analyses/{document.split(':', 1)[-1]}/{safe}.json"


def collect(store: Store, incident_ids: list[str]) -> EvidenceSet:
    """Everything stored about ``incident_ids``; NotFound names an unknown id."""
    incidents = []
    for incident_id in incident_ids:
        incident = get_incident(store, incident_id)
        if incident is None:
            raise NotFound(f"no incident {incident_id!r}; list them with `dossier incidents`")
        incidents.append(incident)
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
            row.document_id: json.loads(row.flags or "[]")
            for row in conn.execute(
                select(document_flags).where(document_flags.c.document_id.in_(doc_ids))
            )
        }
        flagged = {d for d, f in flags.items() if "restricted" in f}
        personal = {d for d, f in flags.items() if "personal_information" in f}
        analyses: dict[tuple[str, str], bytes] = {}
        for doc, pipeline in sorted({(m.document, m.pipeline) for m in members}):
            raw = conn.execute(
                select(r.c.analysis).where(and_(r.c.document_id == doc, r.c.pipeline == pipeline))
            ).scalar_one_or_none()
            if raw is not None:
                analyses[(doc, pipeline)] = raw.encode("utf-8")
    return EvidenceSet(incidents, members, documents, artifacts, analyses, flagged, personal)
