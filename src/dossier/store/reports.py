"""What corroboration reads from the store: reported events with their documents, and
the analysts' decisions (judgements and review verdicts) in the order they were made."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select

from . import tables
from .database import Store


@dataclass(frozen=True)
class ReportedEvent:
    """One stored event of a document's newest extraction run, with its document's facts."""

    record: str  # the event's JSON record, as its run stored it
    pipeline: str
    document_id: str
    publisher: str | None
    url: str | None
    published: str | None
    text_sha256: str
    head: str  # the first characters of the document's text (where a wire credit stands)


@dataclass(frozen=True)
class JudgementRow:
    """One stored judgement, numbered in the order it was made."""

    id: int
    left_id: str
    right_id: str
    kind: str
    user: str
    time: str


@dataclass(frozen=True)
class ReviewRow:
    """One incident's stored review status and who last set it."""

    incident_id: str
    status: str
    updated_by: str
    updated_at: str


def reported_events(
    store: Store, statuses: Collection[str], head_chars: int
) -> list[ReportedEvent]:
    """Events whose status is in ``statuses``, of each document's newest extraction run only,
    by document and event id.

    A document re-extracted by a newer pipeline keeps its older run beside the new
    one; reading the newest only, one document is never counted twice.
    """
    ev, d, r = tables.events, tables.documents, tables.extraction_runs
    newest = select(func.max(r.c.id)).group_by(r.c.document_id)
    q = (
        select(
            ev.c.record,
            ev.c.pipeline,
            ev.c.document_id,
            d.c.publisher,
            d.c.url,
            d.c.published,
            d.c.text_sha256,
            func.substr(d.c.text, 1, head_chars).label("head"),
        )
        .join(d, d.c.id == ev.c.document_id)
        .where(ev.c.run_id.in_(newest), ev.c.status.in_(list(statuses)))
        .order_by(ev.c.document_id, ev.c.id)
    )
    with store.engine.connect() as conn:
        return [
            ReportedEvent(
                record=row.record,
                pipeline=row.pipeline,
                document_id=row.document_id,
                publisher=row.publisher,
                url=row.url,
                published=row.published,
                text_sha256=row.text_sha256,
                head=row.head or "",
            )
            for row in conn.execute(q)
        ]


def decisions(store: Store) -> tuple[list[JudgementRow], list[ReviewRow]]:
    """Every judgement (in the order made) and every incident's review row (by incident)."""
    j, r = tables.judgements, tables.incident_reviews
    with store.engine.connect() as conn:
        jrows = conn.execute(select(j).order_by(j.c.id)).all()
        rrows = conn.execute(select(r).order_by(r.c.incident_id)).all()
    return (
        [
            JudgementRow(row.id, row.left_id, row.right_id, row.kind, row.user, row.time)
            for row in jrows
        ],
        [ReviewRow(row.incident_id, row.status, row.updated_by, row.updated_at) for row in rrows],
    )
