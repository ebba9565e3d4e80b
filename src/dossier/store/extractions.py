"""Reading documents to extract and saving extraction runs with their events."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select

from ..evidence.canonical import canonical_json, sha256_hex
from ..evidence.custody import utc_now
from ..records import Analysis, DocumentMeta
from . import custody_log, tables
from .database import Store, insert_new

log = logging.getLogger(__name__)


def _no_run(pipeline: str, only_new: bool) -> Any:
    """The join condition of a document and the runs that make it not pending: its runs
    of ``pipeline`` (a run of an older pipeline is re-extracted), or with ``only_new``
    any run at all."""
    d, r = tables.documents, tables.extraction_runs
    return (
        r.c.document_id == d.c.id
        if only_new
        else and_(r.c.document_id == d.c.id, r.c.pipeline == pipeline)
    )


def pending(
    store: Store, pipeline: str, batch: int, *, only_new: bool = False
) -> Iterator[list[tuple[str, DocumentMeta]]]:
    """Batches of (text, meta) for documents without a run of ``pipeline`` (with
    ``only_new``: without any run), in id order.

    Keyset pagination on the document id, so a long run never holds a huge
    result set and a resumed run starts where the last one stopped.
    """
    last = ""
    d, r = tables.documents, tables.extraction_runs
    while True:
        q = (
            select(d.c.id, d.c.text, d.c.title, d.c.published, d.c.publisher, d.c.language, d.c.url)
            .outerjoin(r, _no_run(pipeline, only_new))
            .where(r.c.id.is_(None), d.c.id > last)
            .order_by(d.c.id)
            .limit(batch)
        )
        with store.engine.connect() as conn:
            rows = conn.execute(q).all()
        if not rows:
            return
        last = rows[-1].id
        yield [document_item(row) for row in rows]


def document_item(row: Any) -> tuple[str, DocumentMeta]:
    """(text, meta) of a documents row: what the extraction stage takes."""
    meta = DocumentMeta(
        id=row.id,
        title=row.title,
        published=row.published,
        publisher=row.publisher,
        language=row.language,
        url=row.url,
    )
    return row.text, meta


def count_pending(store: Store, pipeline: str, *, only_new: bool = False) -> int:
    """How many documents ``pending`` would give (counted by the database)."""
    d, r = tables.documents, tables.extraction_runs
    q = (
        select(func.count())
        .select_from(d)
        .outerjoin(r, _no_run(pipeline, only_new))
        .where(r.c.id.is_(None))
    )
    with store.engine.connect() as conn:
        return int(conn.execute(q).scalar_one())


def save(store: Store, analyses: Iterable[Analysis], actor: str) -> int:
    """Save a batch of analyses in one transaction, each with its ``extracted`` custody entry.

    An analysis whose document already has a run of its pipeline (another
    process saved the same batch first) is skipped, not saved twice; the count
    is of the runs saved here.
    """
    n = 0
    with store.transaction() as conn:
        for analysis in analyses:
            n += _save_one(conn, analysis, actor)
    return n


def _save_forms(conn: Connection, analysis: Analysis) -> None:
    """The document's search forms (lemmas, transliterations), replaced by the newest run's."""
    if not analysis.search_forms:
        return
    forms = tables.document_forms
    conn.execute(delete(forms).where(forms.c.document_id == analysis.document.id))
    conn.execute(
        insert(forms).values(
            document_id=analysis.document.id, forms=" ".join(analysis.search_forms)
        )
    )


def _save_one(conn: Connection, analysis: Analysis, actor: str) -> bool:
    payload = analysis.to_json()
    blob = canonical_json(payload)
    digest = sha256_hex(blob)
    r = tables.extraction_runs
    values = {
        "document_id": analysis.document.id,
        "pipeline": analysis.pipeline,
        "status": analysis.status,
        "analysis": blob.decode(),
        "analysis_sha256": digest,
        "created_at": utc_now(),
    }
    if not insert_new(conn, r, values):
        log.info(
            "%s: already has a run of %s (saved by another process); skipped",
            analysis.document.id,
            analysis.pipeline,
        )
        return False
    run_id = conn.execute(
        select(r.c.id).where(
            r.c.document_id == analysis.document.id, r.c.pipeline == analysis.pipeline
        )
    ).scalar_one()
    _save_forms(conn, analysis)
    for event, ev in zip(analysis.events, payload["events"], strict=True):
        place = event.place
        conn.execute(
            insert(tables.events).values(
                id=event.id,
                pipeline=analysis.pipeline,
                run_id=run_id,
                document_id=analysis.document.id,
                type=event.type,
                status=event.status,
                place_name=place.name if place else None,
                lat=place.lat if place else None,
                lon=place.lon if place else None,
                country=place.country if place else None,
                admin1=place.admin1 if place else None,
                time_start=event.time.start,
                time_end=event.time.end,
                perpetrator_side=event.perpetrator.side if event.perpetrator else None,
                subtype=event.subtype,
                record=canonical_json(ev).decode(),
            )
        )
    custody_log.append(
        conn,
        actor,
        "extracted",
        analysis.document.id,
        digest,
        {
            "pipeline": analysis.pipeline,
            "status": analysis.status,
            "events": [e.id for e in analysis.events],
        },
    )
    return True


def latest_analysis(store: Store, document_id: str) -> dict[str, Any] | None:
    """The newest run's analysis JSON for a document, or None."""
    import json

    r = tables.extraction_runs
    q = select(r.c.analysis).where(r.c.document_id == document_id).order_by(r.c.id.desc()).limit(1)
    with store.engine.connect() as conn:
        row = conn.execute(q).first()
    return None if row is None else json.loads(row[0])
