"""Extract workers claim pending documents, so two extractors split the work.

A worker takes a batch of pending documents in one write transaction (the
store's write lock: ``BEGIN IMMEDIATE`` on SQLite, the advisory lock on
PostgreSQL, so two claims never overlap) and records a lease for each in
``extraction_leases``: (document, pipeline) → worker, expiry. Another worker
skips a leased document until the lease expires, so a crashed worker's
documents are taken over once its leases run out; a worker that ends (or
fails) gives its leases back at once. Every claim renews the claiming
worker's leases, so a long run keeps what it holds.

Expiry times are UTC ISO strings of the claiming machine's clock: machines
that share a database should keep their clocks in step (NTP) to well within
the lease (``extract_lease_seconds``, 15 minutes by default).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.exc import SQLAlchemyError

from ..records import DocumentMeta
from . import extractions, tables
from .database import Store
from .extractions import _no_run

log = logging.getLogger(__name__)


def worker_id() -> str:
    """A name for this extract run, unique across machines: host, pid, random part."""
    return f"{socket.gethostname()[:100]}:{os.getpid()}:{secrets.token_hex(4)}"


def _iso(moment: datetime) -> str:
    # the format of custody.utc_now, so expiry times compare as strings
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def claim(
    store: Store,
    pipeline: str,
    worker: str,
    batch: int,
    *,
    lease_seconds: float,
    only_new: bool = False,
    after: str = "",
) -> list[tuple[str, DocumentMeta]]:
    """Claim up to ``batch`` pending documents with ids above ``after``; their (text, meta).

    Pending as in ``extractions.pending``, and not leased to another worker
    (or leased, but the lease has expired). The claimed documents are leased
    to ``worker`` for ``lease_seconds``, and so are those it already held.
    """
    now = datetime.now(UTC)
    now_iso, until = _iso(now), _iso(now + timedelta(seconds=lease_seconds))
    d, r, lease = tables.documents, tables.extraction_runs, tables.extraction_leases
    mine = and_(lease.c.worker == worker, lease.c.pipeline == pipeline)
    with store.transaction() as conn:
        # the documents this worker has saved since its last claim need no lease any more
        done = select(r.c.document_id).where(r.c.pipeline == pipeline)
        conn.execute(delete(lease).where(mine, lease.c.document_id.in_(done)))
        conn.execute(update(lease).where(mine).values(expires_at=until))
        q = (
            select(d.c.id, d.c.text, d.c.title, d.c.published, d.c.publisher, d.c.language, d.c.url)
            .outerjoin(r, _no_run(pipeline, only_new))
            .outerjoin(lease, and_(lease.c.document_id == d.c.id, lease.c.pipeline == pipeline))
            .where(
                r.c.id.is_(None),
                d.c.id > after,
                or_(lease.c.document_id.is_(None), lease.c.expires_at <= now_iso),
            )
            .order_by(d.c.id)
            .limit(batch)
        )
        rows = conn.execute(q).all()
        if rows:
            ids = [row.id for row in rows]
            taken = conn.execute(
                select(lease.c.document_id, lease.c.worker).where(
                    lease.c.pipeline == pipeline, lease.c.document_id.in_(ids)
                )
            ).all()
            for doc, other in taken:
                log.warning("%s: the lease of worker %s expired; taken over", doc, other)
            conn.execute(
                delete(lease).where(lease.c.pipeline == pipeline, lease.c.document_id.in_(ids))
            )
            conn.execute(
                insert(lease),
                [
                    {"document_id": i, "pipeline": pipeline, "worker": worker, "expires_at": until}
                    for i in ids
                ],
            )
    return [extractions.document_item(row) for row in rows]


def claimed(
    store: Store,
    pipeline: str,
    batch: int,
    *,
    worker: str,
    lease_seconds: float,
    only_new: bool = False,
) -> Iterator[list[tuple[str, DocumentMeta]]]:
    """Batches of documents claimed by ``worker``, in id order, until none is left to claim.

    Keyset pagination on the id, as ``extractions.pending``; at the end one
    more pass from the start takes over documents whose leases expired
    meanwhile (each pass ends when a claim finds nothing).
    """
    last = ""
    while True:
        got = claim(
            store,
            pipeline,
            worker,
            batch,
            lease_seconds=lease_seconds,
            only_new=only_new,
            after=last,
        )
        if not got:
            if last == "":
                return
            last = ""  # once more from the start
            continue
        last = got[-1][1].id
        yield got


def release(store: Store, pipeline: str, worker: str) -> None:
    """Give back ``worker``'s leases (its run ended): what it did not save is pending again.

    A failure here is logged, not raised: the leases expire on their own.
    """
    lease = tables.extraction_leases
    try:
        with store.transaction() as conn:
            conn.execute(
                delete(lease).where(lease.c.worker == worker, lease.c.pipeline == pipeline)
            )
    except SQLAlchemyError as exc:
        log.warning("could not give back the leases of %s (they expire): %s", worker, exc)


def leases(store: Store, pipeline: str) -> dict[str, str]:
    """Leased document id → worker, for ``pipeline`` (expired leases included)."""
    lease = tables.extraction_leases
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(lease.c.document_id, lease.c.worker).where(lease.c.pipeline == pipeline)
        ).all()
    return {row.document_id: row.worker for row in rows}
