"""Process hygiene: the home lock (of Ray runs); spaCy workers die with their extract."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dossier.errors import Busy
from dossier.extract.workers import LOCK_NAME, extraction_lock
from dossier.ingest import ingest_paths
from dossier.store.database import Store

RunCli = Callable[..., Any]
REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO.parent / "shared" / "samples" / "bucha-article.txt"


def test_the_lock_names_its_holder_and_is_released_after_the_run(tmp_path: Path) -> None:
    with extraction_lock(tmp_path):
        assert (tmp_path / LOCK_NAME).read_text() == f"{os.getpid()}\n"
        with pytest.raises(Busy, match=f"pid {os.getpid()}"), extraction_lock(tmp_path):
            pass
    with extraction_lock(tmp_path):  # free again
        pass


def children(pid: int) -> set[int]:
    """Live (not zombie) child processes of ``pid``, from /proc."""
    found = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        state, ppid = fields[0], int(fields[1])
        if ppid == pid and state != "Z":
            found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_the_workers_of_a_running_extract_die_when_it_is_killed(
    run_cli: RunCli, home: Path, store: Store, tmp_path: Path
) -> None:
    # Regression: after kill -9 of `dossier extract`, its 2 spaCy workers (about
    # 400 MB each) kept running, blocked on their queues for ever.
    text = SAMPLE.read_text(encoding="utf-8")
    folder = tmp_path / "reports"
    folder.mkdir()
    for i in range(120):
        (folder / f"report-{i:03d}.txt").write_text(f"{text}\nReport {i}.\n", encoding="utf-8")
    ingest_paths(store, [str(folder)])
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DOSSIER_")},
        "PYTHONPATH": str(REPO / "src"),
        "DOSSIER_ACTOR": "tester",
        "DOSSIER_EXTRACT_PROCESSES": "2",
        "DOSSIER_EXTRACT_BATCH_SIZE": "2",
        "DOSSIER_DATABASE_URL": store.settings.database_url or "",  # the test's backend
    }
    extract = subprocess.Popen(
        [sys.executable, "-m", "dossier.cli", "--home", str(home), "extract"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 300  # loading the model on a busy machine
        while len(workers) < 2:
            assert extract.poll() is None, f"extract ended first: {extract.stderr.read()!r}"
            assert time.monotonic() < deadline, "spaCy's workers never started"
            time.sleep(0.2)
            workers = children(extract.pid)
        os.kill(extract.pid, signal.SIGKILL)
        extract.wait()
        deadline = time.monotonic() + 30
        while any(alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [w for w in workers if alive(w)] == [], "workers outlived the killed extract"
    finally:
        if extract.poll() is None:
            extract.kill()
            extract.wait()
        for w in workers:
            if alive(w):
                os.kill(w, signal.SIGKILL)
        if extract.stderr:
            extract.stderr.close()
