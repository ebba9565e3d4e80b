"""Shared fixtures: a fresh store in tmp_path, the CLI runner, the shared samples folder."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from dossier.cli import main
from dossier.config import Settings
from dossier.store.database import Store

REPO = Path(__file__).resolve().parents[1]


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


RunCli = Callable[..., CliResult]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A data directory that does not exist yet; commands create it."""
    return tmp_path / "home"


@pytest.fixture
def settings(home: Path) -> Settings:
    return Settings(home=home)


@pytest.fixture
def store(settings: Settings) -> Store:
    return Store.open(settings)


@pytest.fixture
def run_cli(home: Path, monkeypatch: pytest.MonkeyPatch) -> RunCli:
    """Run ``dossier --home <home> ARGS`` in-process; stdout and stderr kept apart."""
    # Environment settings of the developer's shell must not leak into the tests.
    for key in list(os.environ):
        if key.startswith("DOSSIER_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("DOSSIER_ACTOR", "tester")

    def run(*args: str, env: dict[str, str] | None = None) -> CliResult:
        runner = CliRunner()
        result = runner.invoke(main, ["--home", str(home), *args], env=env, catch_exceptions=False)
        return CliResult(result.exit_code, result.stdout, result.stderr)

    return run


@pytest.fixture
def shared_dir() -> Path:
    """The project's shared folder (samples, evaluation data) beside the repository."""
    shared = (REPO / ".." / "shared").resolve()
    if not (shared / "samples").is_dir():
        pytest.skip(f"shared folder with samples/ not found at {shared}")
    return shared
