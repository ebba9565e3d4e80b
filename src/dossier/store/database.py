"""Open the data directory: database (migrated by Alembic), artifact store, keys.

``Store`` is the thin layer every stage's runner uses to read and write
records; only this package speaks SQL.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, select, text

from ..config import Settings
from ..errors import StoreError
from ..evidence.artifacts import ArtifactStore
from ..evidence.keys import ensure_keys
from . import tables
from .home import prepare_dir, prepare_sqlite, private_umask

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=FULL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


class Store:
    """The data directory: database, artifact store and keys."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.artifacts = ArtifactStore(settings.artifacts_dir)

    @classmethod
    def open(cls, settings: Settings, *, create: bool = True) -> Store:
        """Open (and on first use create and migrate) the store of ``settings``."""
        home = settings.home
        if not home.exists() and not create:
            raise StoreError(f"{home}: no Dossier data directory; run `dossier init`")
        private_umask()  # everything written from here on is the owner's alone
        prepare_dir(home)
        prepare_dir(settings.artifacts_dir)
        prepare_dir(settings.keys_dir)
        ensure_keys(settings.keys_dir)
        try:
            sqlite_path = settings.db_url.removeprefix("sqlite:///")
            if sqlite_path != settings.db_url and sqlite_path and ":memory:" not in sqlite_path:
                prepare_sqlite(Path(sqlite_path.split("?")[0]))
            engine = make_engine(settings.db_url)
            migrate(engine)
        except Exception as exc:  # a broken URL or database file: say which
            raise StoreError(f"{settings.db_url}: cannot open the database ({exc})") from exc
        return cls(settings, engine)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction; SQLite locks for writing at once: the custody chain stays linear."""
        with self.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.begin()
            try:
                yield conn
            except BaseException:
                conn.rollback()
                raise
            conn.commit()

    def connect(self) -> Any:
        return self.engine.connect()

    def count(self, table: str) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())

    def schema_revision(self) -> str | None:
        with self.engine.connect() as conn:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


def row_dict(row: Any) -> dict[str, Any]:
    return dict(row._mapping)


def loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


__all__ = ["Store", "make_engine", "migrate", "row_dict", "loads", "select", "tables"]
