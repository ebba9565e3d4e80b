"""Extraction on a local 2-worker Ray instance gives the local runner's records exactly."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from conftest import REPO, RunCli
from dossier.config import Settings
from dossier.store import tables
from dossier.store.database import Store

LANG = (
    "en-kharkiv-strike",
    "ru-bucha-denial",
    "uk-irpin-detention",
    "uk-izium-torture",
    "ru-melitopol-abduction",
)


def _documents(shared: Path) -> list[str]:
    """The shared sample, the web texts and English, Ukrainian and Russian reports."""
    files = [shared / "samples" / "bucha-article.txt"]
    files += sorted((REPO / "tests" / "data" / "web").glob("*.txt"))
    files += [REPO / "tests" / "data" / "lang" / f"{name}.txt" for name in LANG]
    return [str(f) for f in files]


def _records(home: Path) -> dict[str, Any]:
    store = Store.open(Settings(home=home))
    r, e, c = tables.extraction_runs, tables.events, tables.custody
    with store.engine.connect() as conn:
        runs = conn.execute(
            select(r.c.document_id, r.c.pipeline, r.c.status, r.c.analysis_sha256).order_by(
                r.c.document_id
            )
        ).all()
        events = conn.execute(select(e.c.id, e.c.document_id, e.c.record).order_by(e.c.id)).all()
        custody = conn.execute(
            select(c.c.object_id, c.c.object_hash, c.c.detail)
            .where(c.c.action == "extracted")
            .order_by(c.c.seq)
        ).all()
    store.engine.dispose()
    return {
        "runs": [tuple(row) for row in runs],
        "events": [tuple(row) for row in events],
        "custody": [tuple(row) for row in custody],
    }


@pytest.mark.slow
def test_ray_extraction_equals_local_runner(
    run_cli: RunCli, home: Path, tmp_path: Path, shared_dir: Path
) -> None:
    assert run_cli("init").exit_code == 0
    files = _documents(shared_dir)
    ingested = run_cli("ingest", "--published", "2022-04-04", *files)
    assert ingested.exit_code == 0, ingested.stderr
    # The same store contents twice: one for each engine.
    ray_home = tmp_path / "ray-home"
    shutil.copytree(home, ray_home)

    local = run_cli("extract")
    assert local.exit_code == 0, local.stderr
    on_ray = run_cli("--home", str(ray_home), "extract", "--engine", "ray", "--workers", "2")
    assert on_ray.exit_code == 0, on_ray.stderr
    assert on_ray.stdout == local.stdout
    assert f"extracted {len(files)} document(s)" in on_ray.stdout

    want, got = _records(home), _records(ray_home)
    assert len(want["runs"]) == len(files)
    assert all(status == "ok" for _, _, status, _ in want["runs"])
    assert want["events"], "the sample reports events; none were extracted"
    # Same analysis hashes, same event ids and records, custody entries in the same order.
    assert got == want

    # Nothing pending is left: a second Ray run extracts nothing and adds nothing.
    again = run_cli("--home", str(ray_home), "extract", "--engine", "ray", "--workers", "2")
    assert again.exit_code == 0, again.stderr
    assert again.stdout.startswith("extracted 0 document(s)")
    assert _records(ray_home) == want


def test_local_engine_refuses_ray_options(run_cli: RunCli) -> None:
    assert run_cli("init").exit_code == 0
    result = run_cli("extract", "--workers", "2")
    assert result.exit_code == 2
    assert "--address and --workers go with --engine ray" in result.stderr


def test_ray_engine_names_an_unreachable_cluster(run_cli: RunCli, shared_dir: Path) -> None:
    assert run_cli("init").exit_code == 0
    sample = str(shared_dir / "samples" / "bucha-article.txt")
    assert run_cli("ingest", "--published", "2022-04-04", sample).exit_code == 0
    with socket.socket() as sock:  # a port nobody listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"127.0.0.1:{port}"
    result = run_cli("extract", "--engine", "ray", "--address", address)
    assert result.exit_code == 2
    assert f"cannot connect to the Ray cluster at '{address}'" in result.stderr
    assert "ray start --head" in result.stderr
    # Nothing was extracted: the document is still pending for the next run.
    again = run_cli("extract")
    assert again.stdout.startswith("extracted 1 document(s)")
