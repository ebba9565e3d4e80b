"""Web test fixtures: a store built once from a real ingest and extraction, copied per test.

A test that touches the store runs on SQLite and on PostgreSQL, as the store
tests do (tests/conftest.py): the home is built once per backend and each
test gets its own copy of it.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from databases import BuiltHomes, copy_home
from dossier.config import Settings
from dossier.store.database import Store
from dossier.web import create_app
from dossier.web.settings import WebSettings

from .builder import PASSWORD, add_accounts, build

DATA = Path(__file__).resolve().parents[1] / "data" / "web"
SHARED = Path(__file__).resolve().parents[2].parent / "shared"


@pytest.fixture(scope="session")
def built_homes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltHomes]:
    """Data directories (one per backend, built when first asked for) with ingested,
    extracted, grouped reports and one account per role."""
    for key in list(os.environ):
        # the developer's settings must not leak in; the gazetteer location is a machine fact, kept
        if key.startswith("DOSSIER_") and key != "DOSSIER_GAZETTEER":
            del os.environ[key]

    def make(store: Store) -> dict[str, str]:
        build(store, DATA, SHARED if SHARED.is_dir() else None)
        return add_accounts(store)

    homes = BuiltHomes(tmp_path_factory.mktemp("web"), make)
    yield homes
    homes.close()


@pytest.fixture
def built_home(built_homes: BuiltHomes, database_url: str) -> tuple[Path, str | None, Any]:
    """The built home of this test's backend: (home, PostgreSQL URL or None, tokens)."""
    return built_homes.get(database_url)


@pytest.fixture
def web_home(built_home: tuple[Path, str | None, Any], tmp_path: Path) -> Path:
    """This test's own copy of the built home (folder and database, clone_database)."""
    return copy_home(built_home, tmp_path / "home")


@pytest.fixture
def tokens(built_home: tuple[Path, str | None, Any]) -> dict[str, str]:
    tokens: dict[str, str] = built_home[2]
    return tokens


@pytest.fixture
def app(web_home: Path) -> FastAPI:
    return create_app(
        Settings(home=web_home), WebSettings(secret_key="test-secret", login_attempts=5)
    )


@pytest.fixture
def store(app: FastAPI) -> Store:
    s: Store = app.state.store
    return s


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def login(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": token, "next": "/incidents"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return client


@pytest.fixture
def as_role(app: FastAPI) -> Iterator[Callable[[str | None], TestClient]]:
    """A logged-in browser-like client for a role (None: anonymous)."""
    clients: list[TestClient] = []

    def make(role: str | None) -> TestClient:
        client = TestClient(app)
        clients.append(client)
        return login(client, role) if role else client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def api(app: FastAPI, tokens: dict[str, str]) -> Callable[[str | None], TestClient]:
    """An API client sending the bearer token of a role (None: no token)."""

    def make(role: str | None) -> TestClient:
        headers = {"Authorization": f"Bearer {tokens[role]}"} if role else {}
        return TestClient(app, headers=headers)

    return make


@contextmanager
def serving(app: FastAPI, config: Callable[[int], Any] | None = None) -> Iterator[str]:
    """``app`` on a real uvicorn on a free loopback port, for the block; its base URL.

    ``config(port)`` gives the uvicorn config (default: the app, quiet logs).
    """
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    made = config(port) if config else None
    srv = uvicorn.Server(
        made or uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(10)
