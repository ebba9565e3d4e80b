"""Extract workers claim the pending documents: two extractors split them, a crashed one's
documents are taken over once its leases expire."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from databases import Raw, home_database_url
from dossier.extract.analyzer import PIPELINE_VERSION
from dossier.ingest import ingest_paths
from dossier.store import extraction_claims
from dossier.store.database import Store

REPO = Path(__file__).resolve().parents[2]
PIPELINE = "extract.test"


def reports(folder: Path, n: int) -> Path:
    """``n`` short, distinct news reports as text files."""
    folder.mkdir(parents=True)
    for i in range(n):
        (folder / f"report-{i:03d}.txt").write_text(
            f"Report {i}. Russian troops shelled a market in Bucha on 3 April 2022, "
            f"killing {i + 2} civilians, Ukrainian officials said.\n",
            encoding="utf-8",
        )
    return folder


def test_two_workers_claiming_in_turn_split_the_pending_documents(
    store: Store, tmp_path: Path
) -> None:
    ingest_paths(store, [str(reports(tmp_path / "in", 10))])
    a = extraction_claims.claimed(store, PIPELINE, 3, worker="a", lease_seconds=60)
    b = extraction_claims.claimed(store, PIPELINE, 3, worker="b", lease_seconds=60)
    got: dict[str, list[str]] = {"a": [], "b": []}
    for name, batches in (("a", a), ("b", b), ("a", a), ("b", b)):
        got[name] += [meta.id for _, meta in next(batches)]
    assert (len(got["a"]), len(got["b"])) == (6, 4)
    assert not set(got["a"]) & set(got["b"]), "a document was claimed by both"
    assert next(a, None) is None and next(b, None) is None, "nothing is left to claim"
    leased = extraction_claims.leases(store, PIPELINE)
    assert len(leased) == 10, "together they claimed every document"
    assert leased == {d: name for name, ids in got.items() for d in ids}


def test_a_live_lease_is_respected_and_an_expired_one_is_taken_over(
    store: Store, tmp_path: Path
) -> None:
    ingest_paths(store, [str(reports(tmp_path / "in", 4))])
    held = extraction_claims.claim(store, PIPELINE, "crashed", 2, lease_seconds=0.5)
    assert len(held) == 2
    live = extraction_claims.claim(store, PIPELINE, "other", 10, lease_seconds=60)
    assert {m.id for _, m in live}.isdisjoint({m.id for _, m in held}), "a live lease was taken"
    assert len(live) == 2
    time.sleep(0.6)
    later = extraction_claims.claim(store, PIPELINE, "other", 10, lease_seconds=60)
    assert {m.id for _, m in later} == {m.id for _, m in held}, "expired leases not taken over"
    assert set(extraction_claims.leases(store, PIPELINE).values()) == {"other"}
    extraction_claims.release(store, PIPELINE, "other")
    assert extraction_claims.leases(store, PIPELINE) == {}
    again = extraction_claims.claim(store, PIPELINE, "third", 10, lease_seconds=60)
    assert len(again) == 4, "released documents are pending again"


# --- two real `dossier extract` processes -----------------------------------------


@pytest.fixture(scope="module")
def small_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A blank English spaCy pipeline with a sentencizer (a few MB, not the 1 GB model):
    these tests are about who extracts what, not how well."""
    import spacy

    path = tmp_path_factory.mktemp("model") / "blank-en"
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.to_disk(path)
    return path


def extract_env(store: Store, model: Path, lease: float) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_")},
        "PYTHONPATH": str(REPO / "src"),
        "DOSSIER_ACTOR": "tester",
        "DOSSIER_SPACY_MODEL": str(model),
        "DOSSIER_EXTRACT_PROCESSES": "1",
        "DOSSIER_EXTRACT_BATCH_SIZE": "2",
        "DOSSIER_EXTRACT_LEASE_SECONDS": str(lease),
        "DOSSIER_DATABASE_URL": store.settings.database_url or "",  # the test's backend
    }


def start_extract(home: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "dossier.cli", "--home", str(home), "extract"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def processed(out: str) -> int:
    match = re.search(r"extracted (\d+) document", out)
    assert match, out
    return int(match.group(1))


def runs_per_document(home: Path) -> dict[str, int]:
    raw = Raw(home_database_url(home))
    try:
        rows = raw.execute(
            "SELECT d.id, COUNT(r.id) FROM documents d LEFT JOIN extraction_runs r"
            " ON r.document_id = d.id AND r.pipeline = ? GROUP BY d.id",
            (PIPELINE_VERSION,),
        ).all()
        extracted = raw.execute(
            "SELECT COUNT(*) FROM custody WHERE action = 'extracted'"
        ).scalar_one()
    finally:
        raw.close()
    counts = {row[0]: int(row[1]) for row in rows}
    assert extracted == sum(counts.values()), "one custody entry per saved run"
    return counts


@pytest.mark.slow
def test_two_extract_processes_extract_each_document_once(
    store: Store, home: Path, tmp_path: Path, small_model: Path
) -> None:
    n = 120
    ingest_paths(store, [str(reports(tmp_path / "in", n))])
    env = extract_env(store, small_model, 900)
    procs = [start_extract(home, env) for _ in range(2)]
    outs = [p.communicate(timeout=600) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
    done = [processed(out) for out, _ in outs]
    counts = runs_per_document(home)
    assert len(counts) == n
    assert set(counts.values()) == {1}, "a document has no run, or two"
    # Without claiming both processes analyse every document (2n in all); with it, n.
    assert sum(done) == n, f"the two processes analysed {done} documents"
    assert extraction_claims.leases(store, PIPELINE_VERSION) == {}, "leases not given back"


@pytest.mark.slow
def test_a_killed_extracts_documents_are_finished_by_the_next_after_expiry(
    store: Store, home: Path, tmp_path: Path, small_model: Path
) -> None:
    n = 60
    ingest_paths(store, [str(reports(tmp_path / "in", n))])
    lease = 3.0
    first = start_extract(home, extract_env(store, small_model, lease))
    deadline = time.monotonic() + 120
    try:
        while not extraction_claims.leases(store, PIPELINE_VERSION):
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first extract claimed nothing"
            time.sleep(0.05)
    finally:
        os.kill(first.pid, signal.SIGKILL)
        first.communicate()
    held = set(extraction_claims.leases(store, PIPELINE_VERSION))
    saved = sum(runs_per_document(home).values())
    assert saved < n, "the first extract finished before it was killed"
    assert held, "the killed extract left no leases"
    time.sleep(lease)
    second = start_extract(home, extract_env(store, small_model, 900))
    out, err = second.communicate(timeout=600)
    assert second.returncode == 0, err
    counts = runs_per_document(home)
    assert set(counts.values()) == {1}, "a document has no run, or two"
    assert len(counts) == n
    assert processed(out) == n - saved, "the second redid saved work or left some"
    assert extraction_claims.leases(store, PIPELINE_VERSION) == {}
