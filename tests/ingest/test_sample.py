"""The shared sample article: furniture out, every story sentence kept, ingest idempotent."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from dossier.ingest import IngestOptions, document_id, ingest_paths
from dossier.store import tables
from dossier.store.database import Store

FURNITURE = ["LATEST STORIES:", "Share this story..."]


def sentences(text: str) -> list[str]:
    """Story sentences: every non-empty line split after sentence-final punctuation."""
    out: list[str] = []
    for line in text.splitlines():
        out += [
            s.strip() for s in re.split(r"(?:(?<=[.!?])|(?<=[.!?][”\"’]))\s+", line) if s.strip()
        ]
    return out


def test_sample_keeps_every_story_sentence_and_drops_the_furniture(
    store: Store, shared_dir: Path
) -> None:
    sample = shared_dir / "samples" / "bucha-article.txt"
    original = sample.read_text(encoding="utf-8")
    [result] = ingest_paths(store, [str(sample)], IngestOptions(published="2022-04-04"))
    assert result.failures == [] and len(result.new) == 1
    with store.connect() as conn:
        doc = conn.execute(select(tables.documents)).one()._mapping
    stored = sentences(doc["text"])
    expected = [s for s in sentences(original) if s not in FURNITURE]
    assert stored == expected
    for line in FURNITURE:
        assert line in original and line not in doc["text"]
    assert doc["published"] == "2022-04-04"
    assert doc["language"] == "en"
    assert doc["id"] == document_id(result.artifact or "", "")


def test_ingesting_the_sample_again_adds_nothing(store: Store, shared_dir: Path) -> None:
    sample = str(shared_dir / "samples" / "bucha-article.txt")
    [first] = ingest_paths(store, [sample])
    counts = {t: store.count(t) for t in ("artifacts", "documents", "custody", "checkpoints")}
    # one checkpoint per transaction: the artifact's, then the document's
    assert counts == {"artifacts": 1, "documents": 1, "custody": 2, "checkpoints": 2}
    [again] = ingest_paths(store, [sample])
    assert again.artifact == first.artifact
    assert again.new == [] and again.present == first.new
    assert {t: store.count(t) for t in counts} == counts


def test_furniture_removed_is_recorded_in_custody(store: Store, shared_dir: Path) -> None:
    from dossier.store import custody_log

    ingest_paths(store, [str(shared_dir / "samples" / "bucha-article.txt")])
    acquired, ingested = custody_log.entries(store)
    assert acquired.action == "acquired" and ingested.action == "ingested"
    assert ingested.detail["removed_furniture"] == FURNITURE
