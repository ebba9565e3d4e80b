"""Many writers into one store at once: no error, no duplicate, a chain that verifies.

Each test runs on SQLite and on PostgreSQL (tests/conftest.py). Two
``dossier ingest`` processes share one home and database; two processes save
the same extraction batch (the per-home flock of ``dossier extract`` is
bypassed: the database itself must stay right); twenty review calls run at
once on threads of one process, each its own connection.
"""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from dossier.config import Settings
from dossier.evidence.custody import check_chain
from dossier.records import Analysis
from dossier.review.accounts import Account
from dossier.review.actions import review
from dossier.store import custody_log, extractions, tables
from dossier.store.database import Store
from dossier.store.incidents import replace_incidents
from dossier.store.integrity import verify_store

PIPELINE = "extract.concurrency-test.v1"


def _write_reports(folder: Path, n: int) -> None:
    folder.mkdir()
    for i in range(n):
        (folder / f"report-{i:03d}.txt").write_text(
            f"Report {i}: shelling hit a school in Kharkiv on day {i}, residents said.\n",
            encoding="utf-8",
        )


def _actions(store: Store) -> Counter[str]:
    return Counter(e.action for e in custody_log.entries(store))


def _assert_verifies(store: Store) -> None:
    report = verify_store(store)
    assert report.ok, report


def test_two_ingests_at_once_store_and_log_every_file_once(
    run_cli, home: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("init").exit_code == 0
    n = 40
    folder = tmp_path / "inputs"
    _write_reports(folder, n)
    env = {**os.environ, "DOSSIER_HOME": str(home), "DOSSIER_ACTOR": "tester"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "dossier.cli", "ingest", str(folder)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
    store = Store.open(Settings(home=home), create=False)
    assert store.count("artifacts") == n and store.count("documents") == n
    actions = _actions(store)
    assert actions["acquired"] == n and actions["ingested"] == n
    _assert_verifies(store)
    assert run_cli("verify").exit_code == 0


def _save_pending(barrier: Any, queue: Any) -> None:
    """In a child process: read the pending batch, wait for the other, save it."""
    try:
        store = Store.open(Settings(), create=False)
        batch = next(extractions.pending(store, PIPELINE, 1000))
        barrier.wait(timeout=60)  # both have read the same batch before either saves
        analyses = [Analysis(document=meta, pipeline=PIPELINE) for _text, meta in batch]
        queue.put(("saved", extractions.save(store, analyses, "tester")))
    except Exception as exc:  # reported to the test, which fails naming it
        queue.put(("error", repr(exc)))


def test_two_processes_saving_one_extraction_batch_save_each_run_once(
    run_cli, home: Path, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("init").exit_code == 0
    n = 20
    _write_reports(tmp_path / "inputs", n)
    assert run_cli("ingest", str(tmp_path / "inputs")).exit_code == 0
    monkeypatch.setenv("DOSSIER_HOME", str(home))
    ctx = multiprocessing.get_context("fork")
    barrier, queue = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_save_pending, args=(barrier, queue)) for _ in range(2)]
    for p in procs:
        p.start()
    outcomes = [queue.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    assert all(kind == "saved" for kind, _ in outcomes), outcomes
    assert sum(count for _, count in outcomes) == n, outcomes
    store = Store.open(Settings(home=home), create=False)
    r = tables.extraction_runs
    with store.engine.connect() as conn:
        runs = conn.execute(
            select(func.count()).select_from(r).where(r.c.pipeline == PIPELINE)
        ).scalar_one()
    assert runs == n
    assert _actions(store)["extracted"] == n
    _assert_verifies(store)


def _incident(i: int) -> dict[str, Any]:
    return {
        "id": f"inc_{i:03d}",
        "type": "attack_on_civilians",
        "types": ["attack_on_civilians"],
        "place": {
            "name": "Kharkiv",
            "lat": 50.0,
            "lon": 36.2,
            "country": "UA",
            "admin1": "Kharkiv Oblast",
            "precision": "locality",
        },
        "time": {"start": "2022-03-01", "end": "2022-03-01"},
        "perpetrator": {"side": "RU", "text": "Russian forces"},
        "harm": [],
        "sources": [],
        "independent_sources": 1,
        "contested": False,
        "denied_by": [],
        "grade": "single_source",
        "review": "unreviewed",
    }


def test_twenty_reviews_at_once_each_log_one_entry_in_one_chain(store: Store) -> None:
    n = 20
    replace_incidents(store, [_incident(i) for i in range(n)], [], "tester")
    barrier = threading.Barrier(n)
    errors: list[str] = []
    reviewer = Account("rev", "reviewer")

    def one(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            review(store, reviewer, [f"inc_{i:03d}"], "confirm", f"checked {i}")
        except Exception as exc:  # collected: the test names every failure
            errors.append(f"review {i}: {exc!r}")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    entries = list(custody_log.entries(store))
    assert check_chain(entries) is None
    reviewed = [e for e in entries if e.object_id.startswith("inc_") and e.actor == "rev"]
    assert sorted(e.object_id for e in reviewed) == [f"inc_{i:03d}" for i in range(n)]
    with store.engine.connect() as conn:
        assert (
            conn.execute(select(func.count()).select_from(tables.incident_reviews)).scalar_one()
            == n
        )
    _assert_verifies(store)


def test_two_inits_at_once_make_one_schema_and_one_key_pair(  # type: ignore[no-untyped-def]
    run_cli, home: Path
) -> None:
    env = {**os.environ, "DOSSIER_HOME": str(home), "DOSSIER_ACTOR": "tester"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "dossier.cli", "init"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
    assert sorted(f.name for f in (home / "keys").iterdir()) == ["ed25519.key", "ed25519.pub"]
    store = Store.open(Settings(home=home), create=False)  # refuses a schema not at head
    assert store.count("custody") == 0
    assert run_cli("verify").exit_code == 0
