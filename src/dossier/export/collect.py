"""Gather what a bundle or report needs about some incidents from the store.

Reads incidents, their member events, the documents those come from, the
artifacts behind the documents and the exact stored extraction runs, all
through ``store/`` (``store/evidence_sets.py``), read-only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import NotFound
from ..records import ReviewedIncident
from ..review.incidents import get_reviewed
from ..store.database import Store
from ..store.evidence_sets import Member, read_evidence

__all__ = ["EvidenceSet", "Member", "analysis_path", "collect"]


@dataclass
class EvidenceSet:
    incidents: list[ReviewedIncident]
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
            if "restricted" in incident.flags:
                out |= {m.document for m in self.members if m.incident == incident.id}
        return out & set(self.documents)

    @property
    def personal(self) -> set[str]:
        """Documents flagged personal_information, or in an incident flagged so."""
        out = set(self.flagged_personal)
        for incident in self.incidents:
            if "personal_information" in incident.flags:
                out |= {m.document for m in self.members if m.incident == incident.id}
        return out & set(self.documents)


def analysis_path(document: str, pipeline: str) -> str:
    """Where a run's analysis lies in a bundle: one file per (document, pipeline)."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", pipeline) or "_"
    return f"analyses/{document.split(':', 1)[-1]}/{safe}.json"


def collect(store: Store, incident_ids: list[str]) -> EvidenceSet:
    """Everything stored about ``incident_ids``; NotFound names an unknown id."""
    incidents = []
    for incident_id in incident_ids:
        incident = get_reviewed(store, incident_id)
        if incident is None:
            raise NotFound(f"no incident {incident_id!r}; list them with `dossier incidents`")
        incidents.append(incident)
    stored = read_evidence(store, incident_ids)
    flagged = {d for d, f in stored.flags.items() if "restricted" in f}
    personal = {d for d, f in stored.flags.items() if "personal_information" in f}
    return EvidenceSet(
        incidents,
        stored.members,
        stored.documents,
        stored.artifacts,
        stored.analyses,
        flagged,
        personal,
    )
