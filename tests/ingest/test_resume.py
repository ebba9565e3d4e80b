"""A run killed with SIGKILL leaves nothing half-written, and running it again completes it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError

from databases import home_database_url
from dossier.cli import main
from dossier.config import Settings
from dossier.store import tables
from dossier.store.database import Store, make_engine
from dossier.store.integrity import verify_store


def write_inputs(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"report-{i:04d}.txt").write_text(
            f"Report {i}: shelling damaged {i % 17 + 2} houses in a village east of the river "
            f"on day {i} of the offensive, residents told volunteers.\n",
            encoding="utf-8",
        )


def documents_so_far(engine: Engine) -> int:
    try:
        with engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT count(*) FROM documents").scalar_one())
    except DBAPIError:  # no database or not migrated yet, or busy
        return 0


def start_and_kill(home: Path, folder: Path) -> bool:
    """Start ``dossier ingest`` and SIGKILL it once some documents are stored.

    Returns False when the run finished before it could be killed.
    """
    env = {**os.environ, "DOSSIER_HOME": str(home), "DOSSIER_ACTOR": "tester"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "dossier.cli", "ingest", str(folder)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    engine = make_engine(home_database_url(home), read_only=True)
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if documents_so_far(engine) >= 3:
                os.kill(proc.pid, signal.SIGKILL)
                proc.wait()
                return True
            time.sleep(0.02)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        engine.dispose()
    return False


@pytest.mark.slow
def test_killed_ingest_resumes_without_duplicates_or_orphans(tmp_path: Path) -> None:
    home = tmp_path / "home"
    folder = tmp_path / "inputs"
    n = 30
    write_inputs(folder, n)
    init = ["--home", str(home), "init"]
    assert CliRunner().invoke(main, init).exit_code == 0
    while not start_and_kill(home, folder):
        # The run finished before we could kill it: start over with more work.
        assert n < 5000, "ingest always finished before it could be killed"
        n *= 4
        write_inputs(folder, n)
        shutil.rmtree(home)
        assert CliRunner().invoke(main, init).exit_code == 0
    store = Store.open(Settings(home=home, actor="tester"))
    assert 0 < store.count("documents") < n
    assert verify_store(store).ok, "a killed run must leave an intact chain"

    # The same command again, in-process: resuming is about the store, not the process.
    rerun = CliRunner().invoke(main, ["--home", str(home), "ingest", str(folder)])
    assert rerun.exit_code == 0, rerun.output
    with store.connect() as conn:
        artifacts = conn.execute(select(tables.artifacts)).all()
        docs = conn.execute(select(tables.documents)).all()
    assert len(artifacts) == n and len(docs) == n
    assert len({Path(str(a.source_path)).name for a in artifacts}) == n
    by_sha = {a.sha256: a for a in artifacts}
    for doc in docs:
        assert doc.artifact_sha256 in by_sha
        assert store.artifacts.check(doc.artifact_sha256) is None
    assert {d.artifact_sha256 for d in docs} == {
        a.sha256 for a in artifacts if a.status == "document"
    }
    assert all(a.status == "document" for a in artifacts)
    for action, expected in (("acquired", n), ("ingested", n)):
        with store.connect() as conn:
            rows = conn.execute(
                select(tables.custody.c.object_id).where(tables.custody.c.action == action)
            ).all()
        assert len(rows) == len({r[0] for r in rows}) == expected
    report = verify_store(store)
    assert report.ok, report.first_problem
    result = CliRunner().invoke(main, ["--home", str(home), "verify"])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.endswith("verify: all checks passed\n")
