"""The extraction stage's runner: analyse every document not yet seen by this pipeline
(documents extracted by an older pipeline version included).

Batches go through ``Analyzer.analyze_many`` (spaCy ``nlp.pipe``) and each
batch is saved in one transaction, so an interrupted run loses at most the
batch in flight and a re-run resumes with the documents still pending.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable
from dataclasses import dataclass

from ..records import Analysis
from ..store import custody_log, extraction_claims, extractions
from ..store.database import Store
from .workers import stop_workers, workers_die_with_parent


@dataclass
class ExtractSummary:
    pipeline: str
    documents: int = 0
    events: int = 0
    not_analysed: int = 0
    failed: int = 0


# Below this many pending documents, spaCy's worker processes cost more to start
# (each loads the model) than they save.
AUTO_PROCESSES_FROM = 256


def processes(setting: int, store: Store, only_new: bool = False) -> int:
    """The n_process to use: the setting, or for 0 every core (up to 4) on a large run."""
    if setting > 0:
        return setting
    from .analyzer import PIPELINE_VERSION

    if extractions.count_pending(store, PIPELINE_VERSION, only_new=only_new) < AUTO_PROCESSES_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def run_extraction(
    store: Store,
    on_batch: Callable[[int], None] | None = None,
    *,
    only_new: bool = False,
) -> ExtractSummary:
    """Extract every pending document; return counts.

    Pending: no run of the current pipeline, so a document extracted by an older
    pipeline version is extracted again and its old run kept beside the new one;
    with ``only_new``, only documents never extracted at all.

    Runs at once on one database split the pending documents: each claims its
    batches (``store.extraction_claims``). spaCy's worker processes die with
    this one, and a run that fails ends them before it returns.
    """
    with workers_die_with_parent():
        return _extract(store, on_batch, only_new)


def _extract(
    store: Store, on_batch: Callable[[int], None] | None, only_new: bool
) -> ExtractSummary:
    from .analyzer import PIPELINE_VERSION, Analyzer

    settings = store.settings
    analyzer = Analyzer(settings)
    analyzer.setup()
    summary = ExtractSummary(PIPELINE_VERSION)
    size = settings.extract_batch_size
    # One stream through nlp.pipe (spaCy's worker processes start once);
    # results are saved a batch at a time, each batch one transaction.
    worker = extraction_claims.worker_id()
    documents = (
        item
        for batch in extraction_claims.claimed(
            store,
            PIPELINE_VERSION,
            size,
            worker=worker,
            lease_seconds=settings.extract_lease_seconds,
            only_new=only_new,
        )
        for item in batch
    )
    before = set(multiprocessing.active_children())
    analyses = analyzer.analyze_many(
        documents, batch_size=size, n_process=processes(settings.extract_processes, store, only_new)
    )
    try:
        while chunk := list(itertools.islice(analyses, size)):
            save_batch(store, chunk, summary, on_batch)
    except BaseException:
        # A failed save (or Ctrl-C) ends the workers now: left alone they would
        # finish their queued batches first, or block the exit for ever.
        stop_workers(before)
        raise
    finally:
        # Closes nlp.pipe now, not at garbage collection: spaCy stops and joins its workers.
        close = getattr(analyses, "close", None)
        if close is not None:
            close()
        extraction_claims.release(store, PIPELINE_VERSION, worker)
    custody_log.checkpoint(store, force=True)
    return summary


def save_batch(
    store: Store,
    chunk: list[Analysis],
    summary: ExtractSummary,
    on_batch: Callable[[int], None] | None,
) -> None:
    """Save one batch of analyses in one transaction, count it, sign a checkpoint."""
    extractions.save(store, chunk, store.settings.who)
    for analysis in chunk:
        summary.documents += 1
        summary.events += len(analysis.events)
        if analysis.status.startswith("not analysed"):
            summary.not_analysed += 1
        elif analysis.status.startswith("failed"):
            summary.failed += 1
    custody_log.checkpoint(store)
    if on_batch:
        on_batch(len(chunk))
