"""Corroboration quality on the annotated corpus (tests/data/corroboration).

Clusters the corpus's reports and scores the grouping against expected.json:
pairwise precision/recall/F1 and B-cubed F1, over events (each event carries
the incident label of its document) and over documents (a document goes to
the incident holding most of its events). Two inputs:

- ``gold``: one hand-annotated event per document (a perfect extraction), so
  the score is the clustering's own;
- ``extracted``: the real extraction (``Analyzer``), end to end.

Each with MinHash sentence similarity, and with all-MiniLM-L6-v2 embeddings
when torch and the model package are installed. Prints a table and writes
benchmarks/results/corroboration_quality.json.

    PYTHONPATH=src python benchmarks/corroboration_quality.py [--no-extraction]
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from dossier.corroborate import cluster, near_duplicate_groups
from dossier.corroborate.evaluation import (
    bcubed_scores,
    gold_reports,
    load_corpus,
    pairwise_scores,
    report_of,
)
from dossier.records import DocumentMeta, Report

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "corroboration"
OUT = ROOT / "benchmarks" / "results" / "corroboration_quality.json"
HAPPENED = ("asserted", "alleged", "denied")


def extracted_reports(docs: list[dict[str, Any]]) -> list[Report]:
    """Reports of every event the real extraction finds (hypothetical and negated left out)."""
    from dossier.extract.analyzer import Analyzer

    analyzer = Analyzer()
    metas = [
        DocumentMeta(d["id"], d["title"], d["published"], d["publisher"], "en", d["url"])
        for d in docs
    ]
    out = []
    failed = 0
    for doc, analysis in zip(
        docs,
        analyzer.analyze_many([(d["text"], m) for d, m in zip(docs, metas, strict=True)]),
        strict=True,
    ):
        if analysis.status != "ok":
            failed += 1
            logging.warning("extraction of %s: %s", doc["id"], analysis.status)
        out.extend(report_of(doc, e) for e in analysis.events if e.status in HAPPENED)
    if failed:
        logging.warning("extraction failed on %d of %d documents", failed, len(docs))
    return out


def with_embeddings(reports: list[Report]) -> list[Report] | None:
    """The reports with sentence embeddings, or None when torch is not installed."""
    try:
        from dossier.corroborate import SentenceEmbedder

        vectors = SentenceEmbedder().embed([r.event.sentence.text for r in reports])
    except Exception as exc:  # the embedding run is optional: report why it was skipped
        logging.warning("embeddings skipped: %s", exc)
        return None
    return [replace(r, embedding=v) for r, v in zip(reports, vectors, strict=True)]


def score(
    reports: list[Report], expected: dict[str, str], groups: dict[str, str]
) -> dict[str, Any]:
    """Cluster and score over events and documents."""
    started = time.perf_counter()
    incidents = cluster(reports, duplicate_groups=groups)
    seconds = time.perf_counter() - started
    by_event = {ref: inc.id for inc in incidents for ref in inc.events}
    gold_events = {ref: expected[ref.split("#")[0]] for ref in by_event}
    votes: dict[str, Counter[str]] = {}
    for ref, iid in by_event.items():
        votes.setdefault(ref.split("#")[0], Counter())[iid] += 1
    by_doc = {d: min(c, key=lambda i: (-c[i], i)) for d, c in votes.items()}
    gold_docs = {d: expected[d] for d in by_doc}
    return {
        "events": len(by_event),
        "documents_with_events": len(by_doc),
        "documents_without_events": sorted(set(expected) - set(by_doc)),
        "incidents": len(incidents),
        "expected_incidents": len(set(expected.values())),
        "seconds": round(seconds, 3),
        "event_pairwise": pairwise_scores(gold_events, by_event),
        "event_bcubed": bcubed_scores(gold_events, by_event),
        "document_pairwise": pairwise_scores(gold_docs, by_doc),
        "document_bcubed": bcubed_scores(gold_docs, by_doc),
        "grades": dict(sorted(Counter(i.grade for i in incidents).items())),
        "clusters": sorted(
            sorted({expected[s.document] + ":" + s.document for s in inc.sources})
            for inc in incidents
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-extraction", action="store_true", help="score gold events only")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    docs, expected = load_corpus(CORPUS)
    groups = near_duplicate_groups([(d["id"], d["text"]) for d in docs])
    inputs = {"gold": gold_reports(CORPUS)}
    if not args.no_extraction:
        inputs["extracted"] = extracted_reports(docs)
    results: dict[str, Any] = {}
    for name, reports in inputs.items():
        results[f"{name}/minhash"] = score(reports, expected, groups)
        embedded = with_embeddings(reports)
        if embedded is not None:
            results[f"{name}/embedding"] = score(embedded, expected, groups)
    print(
        f"{'run':22} {'events':>6} {'inc':>4}/{'exp':<3} {'ev-pair-P':>9} {'ev-pair-R':>9} "
        f"{'ev-pair-F1':>10} {'ev-B3-F1':>8} {'doc-B3-F1':>9}"
    )
    for name, r in results.items():
        print(
            f"{name:22} {r['events']:>6} {r['incidents']:>4}/{r['expected_incidents']:<3} "
            f"{r['event_pairwise']['precision']:9.3f} {r['event_pairwise']['recall']:9.3f} "
            f"{r['event_pairwise']['f1']:10.3f} {r['event_bcubed']['f1']:8.3f} "
            f"{r['document_bcubed']['f1']:9.3f}"
        )
    dup = Counter(groups.values())
    report = {
        "benchmark": "corroboration_quality",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "corpus": {
            "documents": len(docs),
            "incidents": len(set(expected.values())),
            "near_duplicate_groups_of_2_or_more": sum(1 for c in dup.values() if c > 1),
        },
        "results": results,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
