"""Shared fixtures: a fresh store in tmp_path, the CLI runner, the shared samples folder.

Every test that touches a store runs twice, on SQLite and on PostgreSQL
(``database_url``, parametrized by ``pytest_generate_tests``), each time in a
fresh database. The PostgreSQL run needs ``DOSSIER_TEST_POSTGRES_URL``, a
superuser DSN (``scripts/postgres-test-server`` starts a throwaway server and
sets it; ``.ci/run`` does so); without it those runs are skipped, saying so.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from click.testing import CliRunner

from databases import POSTGRES_URL, create_database, drop_database
from dossier.cli import main
from dossier.config import Settings
from dossier.store.database import Store

if TYPE_CHECKING:
    from spacy.language import Language

    from dossier.extract.analyzer import Analyzer
    from dossier.extract.places.gazetteer import Gazetteer

REPO = Path(__file__).resolve().parents[1]
BACKENDS = ["sqlite", "postgres"]
# A test touches the store when it or one of its fixtures opens one.
_STORE_FIXTURES = {"home", "settings", "store", "run_cli"}
_STORE_WORDS = ("Store.open", "run_cli", "Settings(home", "dossier.db")


def _source(func: object) -> str:
    try:
        return inspect.getsource(func)  # type: ignore[arg-type]
    except (OSError, TypeError):
        return ""


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Run every store-touching test on each backend."""
    if "database_url" not in metafunc.fixturenames:
        return
    names = set(metafunc.fixturenames)
    defs = metafunc.definition._fixtureinfo.name2fixturedefs
    funcs = [metafunc.function, *(d.func for name in names for d in defs.get(name, ()))]
    sources = [_source(f) for f in funcs]
    # A test that copies a built SQLite home (the web tests' session home, the Cyrillic
    # search store) runs on SQLite only until it clones the database too (clone_database).
    if any("copytree(" in src for src in sources) and not any(
        "clone_database" in src for src in sources
    ):
        return
    touches = bool(names & _STORE_FIXTURES) or any(
        word in src for src in sources for word in _STORE_WORDS
    )
    if touches and metafunc.definition.get_closest_marker("sqlite_only") is None:
        metafunc.parametrize("database_url", BACKENDS, indirect=True)


@pytest.fixture(autouse=True)
def database_url(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The backend of this test: "sqlite" (the home's file) or a fresh PostgreSQL database.

    A PostgreSQL database is made for the test and dropped after it; its URL is
    set as ``DOSSIER_DATABASE_URL``, so every ``Settings`` and ``dossier``
    command of the test uses it.
    """
    backend = getattr(request, "param", "sqlite")
    if backend == "sqlite":
        yield "sqlite"
        return
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL: set DOSSIER_TEST_POSTGRES_URL (scripts/postgres-test-server)")
    url = create_database()
    monkeypatch.setenv("DOSSIER_DATABASE_URL", url)
    try:
        yield url
    finally:
        drop_database(url)


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
def run_cli(home: Path, monkeypatch: pytest.MonkeyPatch, database_url: str) -> RunCli:
    """Run ``dossier --home <home> ARGS`` in-process; stdout and stderr kept apart."""
    # Environment settings of the developer's shell must not leak into the tests.
    for key in list(os.environ):
        if key.startswith("DOSSIER_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("DOSSIER_ACTOR", "tester")
    if database_url != "sqlite":
        monkeypatch.setenv("DOSSIER_DATABASE_URL", database_url)

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


# --- extraction: one spaCy pipeline, one analyser and one gazetteer per session ---------
# Loading the model costs seconds and about 1 GB, so every test module shares these (they
# live here, not in tests/extract/conftest.py, because tests import this module as
# ``conftest`` for RunCli). The gazetteer is the installation's prebuilt file (``make
# install`` builds it; ``Gazetteer.load`` builds it when missing); only the slow build
# test of tests/extract/test_gazetteer.py builds one of its own.


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """The English analyser with its spaCy pipeline and gazetteer loaded."""
    from dossier.extract.analyzer import Analyzer

    instance = Analyzer(Settings())
    instance.setup()
    return instance


@pytest.fixture(scope="session")
def nlp(analyzer: Analyzer) -> Language:
    """The spaCy pipeline the analyser parses with (loaded once, by the analyser)."""
    assert analyzer.nlp is not None
    return analyzer.nlp


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    """The installation's gazetteer, opened once."""
    from dossier.extract.places.gazetteer import get_gazetteer

    return get_gazetteer()
