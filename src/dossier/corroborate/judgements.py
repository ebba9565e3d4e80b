"""Analysts' decisions, kept apart from the machine's links.

Like nomenklatura, corroboration never merges destructively: a cluster is
derived from machine links plus judgements. A judgement relates two events,
or an event and an incident, and says ``positive`` (one occurrence: merge),
``negative`` (two occurrences: never merge) or ``unsure`` (recorded, no
effect). A review pins an incident-level status (``confirmed``, ``rejected``,
``discounted``) to an incident id; ids derive from the incident's earliest
member event, so both survive re-clustering.

Events are named ``"<document id>#<event id>"`` (``event_ref``); an incident
is named by its id (``"inc_…"``), which resolves to its anchor event.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from ..ontology import ReviewStatus
from ..records import Report

JudgementKind = Literal["positive", "negative", "unsure"]


@dataclass(frozen=True)
class Judgement:
    """An analyst's decision on whether two events (or event and incident) are one."""

    left: str
    right: str
    judgement: JudgementKind
    user: str
    time: str  # ISO 8601; the latest judgement on a pair wins

    def pair(self) -> tuple[str, str]:
        return (self.left, self.right) if self.left <= self.right else (self.right, self.left)


@dataclass(frozen=True)
class Review:
    """An analyst's status for a whole incident, pinned to the incident id."""

    incident: str
    status: ReviewStatus
    user: str
    time: str
    note: str = ""


def event_ref(report: Report) -> str:
    """The stable name of a report's event: document id and event id."""
    return f"{report.document_id}#{report.event.id}"


def incident_id(anchor: Report) -> str:
    """The id of an incident whose earliest member event is ``anchor``."""
    return "inc_" + hashlib.sha256(event_ref(anchor).encode()).hexdigest()[:16]


def sort_key(report: Report) -> tuple[str, str, str]:
    """Earliest first: by publication, then document id, then event id."""
    return (report.published or "9999", report.document_id, report.event.id)


def latest(judgements: tuple[Judgement, ...] | list[Judgement]) -> dict[tuple[str, str], Judgement]:
    """The decision in force for each pair: the latest (ties: the last given)."""
    out: dict[tuple[str, str], Judgement] = {}
    for j in sorted(judgements, key=lambda j: j.time):
        out[j.pair()] = j
    return out


def latest_reviews(reviews: tuple[Review, ...] | list[Review]) -> dict[str, Review]:
    """The review in force for each incident id."""
    out: dict[str, Review] = {}
    for r in sorted(reviews, key=lambda r: r.time):
        out[r.incident] = r
    return out
