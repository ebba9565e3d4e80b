"""The extraction stage and its local runner: analyse every document not yet seen by
this pipeline (documents extracted by an older pipeline version included).

``ExtractionStage`` is the stage of ``dossier.pipeline``: documents in, one
``Analysis`` or ``Rejection`` out per document. It never touches the store;
this runner (and ``scale/ray.py``, which runs the same stage on Ray) saves
what it returns through ``store/extractions``. A rejection is kept as an
extraction run whose status says why, never dropped.

Batches go through ``Analyzer.analyze_many`` (spaCy ``nlp.pipe``) and each
batch is saved in one transaction, so an interrupted run loses at most the
batch in flight and a re-run resumes with the documents still pending.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from ..config import Settings
from ..pipeline import Rejection
from ..records import Analysis, DocumentMeta
from ..store import custody_log, extraction_claims, extractions
from ..store.database import Store
from .workers import stop_workers, workers_die_with_parent

Document = tuple[str, DocumentMeta]  # a document's clean text and its metadata
Outcome = Analysis | Rejection


class ExtractionStage:
    """The extraction stage: one Analysis per document, or the Rejection that says why not.

    The same object runs in this process (``stream``) and in each Ray actor
    (``process_batch``); its name is the pipeline version of the components.
    """

    def __init__(self, settings: Settings | None = None) -> None:
        from .analyzer import Analyzer

        self.analyzer = Analyzer(settings)

    @property
    def name(self) -> str:
        return pipeline_version()

    def setup(self) -> None:
        """Load spaCy and the gazetteer once per process."""
        self.analyzer.setup()

    def process_batch(self, items: Sequence[Document]) -> list[Outcome]:
        """One outcome per document, in input order; a failing document is a Rejection."""
        return [outcome(a) for a in self.analyzer.process_batch(items)]

    def stream(
        self, items: Iterable[Document], batch_size: int, n_process: int
    ) -> Generator[Outcome, None, None]:
        """``process_batch`` over a lazy stream (spaCy's workers start once for all of it)."""
        analyses = self.analyzer.analyze_many(items, batch_size=batch_size, n_process=n_process)
        try:
            for analysis in analyses:
                yield outcome(analysis)
        finally:
            # Closes nlp.pipe now, not at garbage collection: spaCy stops and joins its workers.
            close = getattr(analyses, "close", None)
            if close is not None:
                close()


def pipeline_version() -> str:
    """The name the analyser stamps on every analysis (``extract/versions.py``'s, read
    where the analyser reads it, so the stage's name and its records never differ)."""
    from . import analyzer

    return analyzer.PIPELINE_VERSION


def outcome(analysis: Analysis) -> Outcome:
    """The stage's view of an analysis: itself, or the Rejection its status names."""
    rejection = Rejection.from_status(
        analysis.pipeline, analysis.document.id, analysis.status, analysis.extra
    )
    if rejection is None:
        return analysis
    # Left for want of an installed dictionary (the analyser lists those in the notes):
    # the same document is analysed once the dictionary is there.
    wanting = rejection.kind == "not_analysed" and bool(analysis.extra.get("not_analysed"))
    return replace(rejection, retryable=wanting)


def outcome_id(result: Outcome) -> str:
    """The id of the document an outcome is about."""
    return result.input_hash if isinstance(result, Rejection) else result.document.id


def outcome_stage(result: Outcome) -> str:
    """The versioned name of the stage that produced an outcome."""
    return result.stage if isinstance(result, Rejection) else result.pipeline


def stored(result: Outcome, meta: DocumentMeta) -> Analysis:
    """What the store keeps of an outcome: a rejection as a run whose status says why."""
    if not isinstance(result, Rejection):
        return result
    return Analysis(
        document=meta, status=result.status, pipeline=result.stage, extra=dict(result.detail)
    )


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
    pending = extractions.count_pending(store, pipeline_version(), only_new=only_new)
    if pending < AUTO_PROCESSES_FROM:
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
    settings = store.settings
    stage = ExtractionStage(settings)
    stage.setup()
    summary = ExtractSummary(stage.name)
    size = settings.extract_batch_size
    metas: dict[str, DocumentMeta] = {}
    worker = extraction_claims.worker_id()

    def documents() -> Iterator[Document]:
        # One stream through nlp.pipe (spaCy's worker processes start once);
        # results are saved a batch at a time, each batch one transaction. Each
        # batch is claimed first, so runs at once split the pending documents.
        batches = extraction_claims.claimed(
            store,
            stage.name,
            size,
            worker=worker,
            lease_seconds=settings.extract_lease_seconds,
            only_new=only_new,
        )
        for batch in batches:
            for text, meta in batch:
                metas[meta.id] = meta
                yield text, meta

    before = set(multiprocessing.active_children())
    outcomes = stage.stream(
        documents(),
        batch_size=size,
        n_process=processes(settings.extract_processes, store, only_new),
    )
    try:
        while chunk := list(itertools.islice(outcomes, size)):
            save_batch(store, [(o, metas.pop(outcome_id(o))) for o in chunk], summary, on_batch)
    except BaseException:
        # A failed save (or Ctrl-C) ends the workers now: left alone they would
        # finish their queued batches first, or block the exit for ever.
        stop_workers(before)
        raise
    finally:
        try:
            outcomes.close()
        finally:  # whatever closing does, the leases go back at once
            extraction_claims.release(store, stage.name, worker)
    custody_log.checkpoint(store, force=True)
    return summary


def save_batch(
    store: Store,
    chunk: list[tuple[Outcome, DocumentMeta]],
    summary: ExtractSummary,
    on_batch: Callable[[int], None] | None,
) -> None:
    """Save one batch of outcomes (with their documents) in one transaction, count it,
    sign a checkpoint: the local runner's half of the stage contract, shared with Ray's."""
    extractions.save(store, [stored(result, meta) for result, meta in chunk], store.settings.who)
    for result, _ in chunk:
        summary.documents += 1
        if isinstance(result, Rejection):
            if result.kind == "not_analysed":
                summary.not_analysed += 1
            else:
                summary.failed += 1
        else:
            summary.events += len(result.events)
    custody_log.checkpoint(store)
    if on_batch:
        on_batch(len(chunk))
