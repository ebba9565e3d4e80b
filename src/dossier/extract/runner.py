"""The extraction stage's runner: analyse every document not yet seen by this pipeline.

Batches go through ``Analyzer.analyze_many`` (spaCy ``nlp.pipe``) and each
batch is saved in one transaction, so an interrupted run loses at most the
batch in flight and a re-run resumes with the documents still pending.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..store import custody_log, extractions
from ..store.database import Store


@dataclass
class ExtractSummary:
    pipeline: str
    documents: int = 0
    events: int = 0
    not_analysed: int = 0
    failed: int = 0


def run_extraction(
    store: Store,
    on_batch: Callable[[int], None] | None = None,
) -> ExtractSummary:
    """Extract every pending document; return counts."""
    from .analyzer import PIPELINE_VERSION, Analyzer

    settings = store.settings
    analyzer = Analyzer(settings)
    analyzer.setup()
    summary = ExtractSummary(PIPELINE_VERSION)
    for batch in extractions.pending(store, PIPELINE_VERSION, settings.extract_batch_size):
        analyses = list(
            analyzer.analyze_many(
                batch, batch_size=settings.extract_batch_size, n_process=settings.extract_processes
            )
        )
        extractions.save(store, analyses, settings.who)
        for analysis in analyses:
            summary.documents += 1
            summary.events += len(analysis.events)
            if analysis.status.startswith("not analysed"):
                summary.not_analysed += 1
            elif analysis.status.startswith("failed"):
                summary.failed += 1
        custody_log.checkpoint(store)
        if on_batch:
            on_batch(len(analyses))
    custody_log.checkpoint(store, force=True)
    return summary
