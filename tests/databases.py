"""Test access to a store's database, whichever backend it is, without SQLite assumptions.

``Raw`` is what tests used ``sqlite3.connect(home / "dossier.db")`` for: a
raw autocommit connection through the store's own engine, taking SQL with
``?`` placeholders on either backend. ``clone_database`` copies a built
database into a test's own, as ``shutil.copytree`` copies a SQLite home;
``BuiltHomes`` builds a home once per backend and ``copy_home`` hands each
test its own copy (folder and database).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.engine import make_url

from dossier.store.database import make_engine

# Read at import: run_cli clears every DOSSIER_* variable of the developer's shell.
POSTGRES_URL = os.environ.get("DOSSIER_TEST_POSTGRES_URL")


def home_database_url(home: Path) -> str:
    """The database of ``home`` as the test's settings see it (DOSSIER_DATABASE_URL or SQLite)."""
    return os.environ.get("DOSSIER_DATABASE_URL") or f"sqlite:///{(home / 'dossier.db').resolve()}"


def _admin() -> Engine:
    assert POSTGRES_URL, "DOSSIER_TEST_POSTGRES_URL is not set"
    return create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")


def create_database() -> str:
    """A new, empty PostgreSQL database on the test server; its URL."""
    name = f"dossier_test_{uuid.uuid4().hex[:16]}"
    admin = _admin()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    assert POSTGRES_URL
    return make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop a test database, closing whatever connections are left on it."""
    admin = _admin()
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    admin.dispose()


class Raw:
    """An autocommit connection to ``url`` that runs tests' hand-written SQL."""

    def __init__(self, url: str) -> None:
        self.engine: Engine = make_engine(url)
        self.conn: Connection = self.engine.connect().execution_options(
            isolation_level="AUTOCOMMIT"
        )
        self.postgres = self.conn.dialect.name == "postgresql"
        if self.postgres:  # a tamperer with the database's password skips its constraints,
            # as sqlite3, which leaves foreign keys off, does
            self.conn.exec_driver_sql("SET session_replication_role = replica")
        else:
            self.conn.exec_driver_sql("PRAGMA foreign_keys=OFF")

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> Any:
        if self.postgres:  # psycopg's placeholder is %s, and % is its escape
            sql = sql.replace("%", "%%").replace("?", "%s")
        return self.conn.exec_driver_sql(sql, tuple(params))

    def close(self) -> None:
        self.conn.close()
        self.engine.dispose()


def clone_database(source: str, target: str) -> None:
    """Replace PostgreSQL database ``target`` by a copy of ``source`` (CREATE ... TEMPLATE)."""
    src, dst = make_url(source).database, make_url(target).database
    admin = _admin()
    with admin.connect() as conn:
        conn.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            f" WHERE datname IN ('{src}', '{dst}') AND pid <> pg_backend_pid()"
        )
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{dst}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{dst}" TEMPLATE "{src}"')
    admin.dispose()


class BuiltHomes:
    """A home built once per backend by ``build(store)``, kept for the session or module.

    On PostgreSQL the home's database is a database of its own on the test
    server (dropped by ``close``), which ``copy_home`` clones for each test.
    """

    def __init__(self, root: Path, build: Callable[[Any], Any]) -> None:
        self.root, self.build = root, build
        self.built: dict[str, tuple[Path, str | None, Any]] = {}

    def get(self, database_url: str) -> tuple[Path, str | None, Any]:
        """(home, its PostgreSQL URL or None, what ``build`` returned) for the test's backend."""
        backend = "sqlite" if database_url == "sqlite" else "postgres"
        if backend not in self.built:
            from dossier.config import Settings
            from dossier.store.database import Store

            home = self.root / backend / "home"
            url = create_database() if backend == "postgres" else None
            store = Store.open(Settings(home=home, database_url=url))
            try:
                self.built[backend] = (home, url, self.build(store))
            finally:
                store.engine.dispose()
        return self.built[backend]

    def close(self) -> None:
        for _, url, _ in self.built.values():
            if url:
                drop_database(url)


def copy_home(source: tuple[Path, str | None, Any], target: Path) -> Path:
    """Copy a built home's folder to ``target`` and its database into the test's own."""
    home, url, _ = source
    shutil.copytree(home, target)
    if url:  # the test's database: the one its DOSSIER_DATABASE_URL names
        clone_database(url, os.environ["DOSSIER_DATABASE_URL"])
    return target
