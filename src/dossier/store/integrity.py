"""``dossier verify`` over a store: read the log and every table, feed evidence's checks.

``evidence/verify.py`` and ``evidence/completeness.py`` hold the checks and
never read the store; this module is their store-reading half. It opens the
store read-only and never creates, migrates or repairs anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..config import Settings
from ..errors import NoStore, StoreError
from ..evidence.completeness import (
    Check,
    CustodyIndex,
    check_artifacts,
    check_blobs,
    check_documents,
    check_extractions,
    check_flags,
    check_incidents,
    check_reviews,
)
from ..evidence.verify import (
    VerifyReport,
    check_anchor,
    check_checkpoints,
    check_custody_chain,
    check_keys,
    key_ring,
    notes_for,
)
from . import custody_log, tables, timestamps
from .accounts_tables import document_flags, incident_links
from .database import Store

Row = dict[str, Any]


def verify_home(settings: Settings, *, anchor: Path | None = None) -> VerifyReport:
    """Open the home of ``settings`` read-only and verify it; a missing home raises StoreError."""
    if not settings.home.is_dir():
        raise NoStore(settings.home)
    try:
        store = Store.open(settings, create=False, read_only=True)
    except StoreError as exc:
        # A missing, emptied or foreign database in an existing home is evidence lost.
        return VerifyReport(checks=[Check("database", problems=[str(exc)])])
    return verify_store(store, anchor=anchor)


def verify_store(store: Store, *, anchor: Path | None = None) -> VerifyReport:
    """Run every integrity check over ``store``."""
    entries = list(custody_log.entries(store))
    log = CustodyIndex(entries)
    keys, public = check_keys(store.settings.keys_dir)
    ring = key_ring(store.settings.trusted_keys_dir, keys, public)
    chain = check_custody_chain(entries)
    checkpoints, head = check_checkpoints(
        custody_log.checkpoints(store),
        lambda: custody_log.stored_frontier(store),
        entries,
        ring,
        chain_ok=chain.ok,
    )
    runs, events = extraction_rows(store)
    reviews, n_judgements, n_links = review_rows(store)
    incidents, members, types = incident_rows(store)
    checks = [
        keys,
        check_artifacts(artifact_rows(store), store.artifacts, log),
        check_blobs(store.artifacts, log),
        check_documents(document_rows(store), log),
        check_flags(flag_rows(store), log),
        check_extractions(runs, events, log),
        check_reviews(reviews, n_judgements, n_links, log),
        check_incidents(incidents, members, types, log),
        chain,
        checkpoints,
    ]
    # always: stored tokens are checked whatever this installation's own TSA settings say
    checks.append(timestamps.check(store, custody_log.checkpoints(store)))
    if anchor is not None:
        checks.append(check_anchor(anchor, entries, ring))
    notes = notes_for(store.artifacts, checks, log)
    return VerifyReport(checks=checks, notes=notes, head=head, size=len(entries))


def artifact_rows(store: Store) -> dict[str, Row]:
    """Every artifact row, by sha256 (in that order)."""
    a = tables.artifacts
    with store.engine.connect() as conn:
        return {r.sha256: dict(r._mapping) for r in conn.execute(select(a).order_by(a.c.sha256))}


def document_rows(store: Store) -> dict[str, Row]:
    """Every document row, by id (in that order)."""
    d = tables.documents
    with store.engine.connect() as conn:
        return {r.id: dict(r._mapping) for r in conn.execute(select(d).order_by(d.c.id))}


def flag_rows(store: Store) -> dict[str, str]:
    """Every document's stored flags (a JSON list), by document id."""
    f = document_flags
    with store.engine.connect() as conn:
        return {r.document_id: r.flags for r in conn.execute(select(f.c.document_id, f.c.flags))}


def extraction_rows(
    store: Store,
) -> tuple[dict[tuple[str, str], Row], dict[int, dict[str, Row]]]:
    """Every extraction run by (document, pipeline), and every event row by run and id."""
    r, ev = tables.extraction_runs, tables.events
    with store.engine.connect() as conn:
        runs = {(x.document_id, x.pipeline): dict(x._mapping) for x in conn.execute(select(r))}
        events: dict[int, dict[str, Row]] = {}
        for x in conn.execute(select(ev)):
            events.setdefault(x.run_id, {})[x.id] = dict(x._mapping)
    return runs, events


def review_rows(store: Store) -> tuple[dict[str, Row], int, int]:
    """Every incident's review row by incident id; how many judgements and links."""
    rv = tables.incident_reviews
    with store.engine.connect() as conn:
        rows = {x.incident_id: dict(x._mapping) for x in conn.execute(select(rv))}
        n_judgements = len(conn.execute(select(tables.judgements.c.id)).all())
        n_links = len(conn.execute(select(incident_links.c.left_id)).all())
    return rows, n_judgements, n_links


def incident_rows(
    store: Store,
) -> tuple[list[Row], list[tuple[Any, ...]], set[tuple[str, str]]]:
    """Incident rows by id; member rows (incident, event, pipeline, document); type rows."""
    i, ie, it = tables.incidents, tables.incident_events, tables.incident_types
    with store.engine.connect() as conn:
        rows = [dict(x._mapping) for x in conn.execute(select(i).order_by(i.c.id))]
        members = [
            tuple(x)
            for x in conn.execute(
                select(ie.c.incident_id, ie.c.event_id, ie.c.pipeline, ie.c.document_id)
            )
        ]
        types = {(x.incident_id, x.type) for x in conn.execute(select(it))}
    return rows, members, types


__all__ = ["VerifyReport", "verify_home", "verify_store"]
