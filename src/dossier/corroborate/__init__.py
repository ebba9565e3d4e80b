"""Corroborate: group the events of many documents into incidents.

Public API::

    cluster(reports, judgements=(), reviews=(), duplicate_groups=None) -> list[Incident]
    Corroborator(judgements, reviews, duplicate_groups).add(reports) -> Changes
    near_duplicate_groups([(doc_id, text), ...]) -> {doc_id: group_id}
    incident_json(incident) -> dict   # the `dossier incidents --json` contract

Modules: compatibility (hard rules), blocking (candidate pairs), similarity
(MinHash, embeddings), links (machine links), judgements (analysts'
decisions), clusters (deriving incidents), independence (sources), grade,
incidents (the Incident record and its JSON).
"""

from .clusters import Changes, Corroborator, cluster
from .grade import grade
from .incidents import build_incident, incident_json
from .independence import assign_sources, near_duplicate_groups
from .judgements import Judgement, Review, event_ref, incident_id
from .similarity import SentenceEmbedder

__all__ = [
    "Changes",
    "Corroborator",
    "Judgement",
    "Review",
    "SentenceEmbedder",
    "assign_sources",
    "build_incident",
    "cluster",
    "event_ref",
    "grade",
    "incident_id",
    "incident_json",
    "near_duplicate_groups",
]
