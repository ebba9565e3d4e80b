"""Open the data directory: database (migrated by Alembic), artifact store, keys.

``Store`` is the thin layer every stage's runner uses to read and write
records; only this package speaks SQL. Only ``dossier init`` (``create=True``)
makes a database, and never in a home that already holds evidence: a lost
database is restored from a backup, not silently replaced by an empty one
that would start a new custody chain. ``read_only=True`` (``dossier verify``)
opens SQLite with ``mode=ro`` and never migrates, creates or writes anything.

Schema changes run only in ``dossier init`` and ``dossier migrate``
(``migrate=True``), under a lock, so two of them never race; any other
command refuses an older schema and names the command that upgrades it.

Writers are serialised as SQLite serialises them: ``Store.transaction``
takes the database's write lock first (``BEGIN IMMEDIATE`` on SQLite, retried
while another process holds it; a transaction-scoped advisory lock on
PostgreSQL), so the custody chain stays linear and a check-then-insert sees
every committed row, however many processes write into one database.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, Table, create_engine, event, inspect, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import IntegrityError as ConstraintError

from ..config import Settings
from ..errors import NoStore, StoreError
from ..evidence.artifacts import ArtifactStore
from ..evidence.keys import ensure_keys
from . import tables
from .home import prepare_dir, prepare_sqlite, private_umask

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"
# Keys of ``Connection.info`` inside ``Store.transaction``.
STORE_KEY = "dossier.store"
BEFORE_COMMIT = "dossier.before_commit"
AFTER_COMMIT = "dossier.after_commit"  # callables run once the transaction has committed
# PostgreSQL advisory lock keys (any bigint; these spell "DOSSWRIT" and "DOSSMIGR").
WRITE_LOCK = 0x444F535357524954
MIGRATE_LOCK = 0x444F53534D494752
# SQLite: how long BEGIN IMMEDIATE waits for another writer, in all (busy timeout, then retries).
SQLITE_LOCK_RETRIES = 8


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """An engine for ``url``; SQLite gets WAL, foreign keys and a busy timeout.

    ``read_only`` opens a SQLite file with ``mode=ro`` (a missing file is an
    error, never a new database) and a PostgreSQL session read-only.
    """
    path = sqlite_path(url)
    if path is not None:
        if read_only:
            uri = f"file:{quote(str(path))}?mode=ro"
            engine = create_engine(
                "sqlite://",
                creator=lambda: sqlite3.connect(uri, uri=True, timeout=30),
            )
        else:
            engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            if read_only:
                cur.execute("PRAGMA query_only=ON")
            else:
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=FULL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    if read_only:
        return create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"options": "-c default_transaction_read_only=on"},
        )
    return create_engine(url, pool_pre_ping=True)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, None for another database or an in-memory one."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def head_revision() -> str:
    """The newest Alembic revision this version of Dossier knows."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    head = ScriptDirectory.from_config(cfg).get_current_head()
    return str(head)


def _revision(engine: Engine) -> str | None:
    """The schema revision stored in the database; None when it has no Dossier schema."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def _holds_evidence(settings: Settings) -> bool:
    """Whether the home already has blobs or keys (so a missing database was lost, not new)."""
    keys = settings.keys_dir
    if keys.is_dir() and any(keys.iterdir()):
        return True
    root = settings.artifacts_dir
    return root.is_dir() and any(
        f.is_file() and not f.name.startswith(".tmp-")
        for d in root.iterdir()
        if d.is_dir()
        for f in d.iterdir()
    )


def migrate(engine: Engine, lock_file: Path | None = None) -> None:
    """Bring the schema to the newest Alembic revision, once however many processes try.

    PostgreSQL: inside one transaction holding an advisory lock (its DDL is
    transactional; the second process waits, then finds the schema at head).
    SQLite: under an exclusive ``flock`` on ``lock_file``, the database's folder (a
    lock on the database file itself would be dropped with SQLite's own locks).
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    if engine.dialect.name != "sqlite" or lock_file is None:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": MIGRATE_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
        return
    fd = os.open(lock_file, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    finally:
        os.close(fd)  # closing releases the lock


def lock_for_writing(conn: Connection) -> None:
    """Take the database's write lock for ``conn``'s transaction (PostgreSQL; reentrant).

    SQLite's ``BEGIN IMMEDIATE`` in ``Store.transaction`` already holds it;
    other dialects have nothing to take.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": WRITE_LOCK})


def insert_new(conn: Connection, table: Table, values: dict[str, Any]) -> bool:
    """Insert ``values`` unless a row with the same key exists; whether it was inserted.

    ``INSERT ... ON CONFLICT DO NOTHING`` (SQLite and PostgreSQL): a second
    writer of the same artifact, document or run finds it there and does not
    fail, and the caller re-reads instead of logging it twice.
    """
    dialect: Any = postgresql if conn.dialect.name == "postgresql" else sqlite
    key = list(table.primary_key.columns)[0]
    # RETURNING, not rowcount: psycopg reports -1 for a single-row INSERT ... ON CONFLICT
    stmt = dialect.insert(table).values(**values).on_conflict_do_nothing().returning(key)
    return conn.execute(stmt).first() is not None


def _begin_immediate(conn: Connection) -> None:
    """``BEGIN IMMEDIATE``, retried with backoff while another process writes."""
    for attempt in range(SQLITE_LOCK_RETRIES):
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == SQLITE_LOCK_RETRIES - 1:
                raise
            log.info("database is locked by another writer; retrying (%d)", attempt + 1)
            time.sleep(0.05 * 2**attempt)


class Store:
    """The data directory: database, artifact store and keys."""

    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.artifacts = ArtifactStore(settings.artifacts_dir)
        # Per-process caches of custody_log (signing key, Merkle frontier); never evidence.
        self.cache: dict[str, Any] = {}

    @classmethod
    def open(
        cls,
        settings: Settings,
        *,
        create: bool = True,
        read_only: bool = False,
        migrate: bool = False,
    ) -> Store:
        """Open the store of ``settings``; ``create`` makes (and migrates) a new one.

        Without ``create`` a home without a database is refused; with it, a
        home that holds blobs or keys but lost its database is refused too.
        Only ``create`` or ``migrate`` changes the schema; without them an
        older schema is refused with the command that upgrades it.
        ``read_only`` neither migrates nor writes and needs the newest schema.
        """
        home = settings.home
        if not home.exists() and (not create or read_only):
            raise NoStore(home)
        if not read_only:
            private_umask()  # everything written from here on is the owner's alone
            prepare_dir(home)
        where = redact_url(settings.db_url)
        try:
            engine = make_engine(settings.db_url, read_only=read_only)
        except Exception as exc:  # a broken URL: say which, never with its password
            raise StoreError(_cannot_open(exc, settings.db_url)) from exc
        path = sqlite_path(settings.db_url)
        revision: str | None = None
        if path is None or (path.is_file() and path.stat().st_size > 0):
            try:
                revision = _revision(engine)
            except Exception as exc:  # a broken file or unreachable server: say which
                raise StoreError(_cannot_open(exc, settings.db_url)) from exc
        if revision is None:
            what = "no database" if path is not None and not path.exists() else "no Dossier schema"
            if path is not None and path.exists() and path.stat().st_size == 0:
                what = "the database file is empty"
            if read_only or not create:
                raise StoreError(f"{where}: {what}; run `dossier init` for a new store")
            if _holds_evidence(settings):
                raise StoreError(
                    f"{where}: {what}, but {home} holds artifacts or keys: the database was "
                    "lost; restore it from a backup (a new one would start a new custody chain)"
                )
        if read_only:
            head = head_revision()
            if revision != head:
                raise StoreError(
                    f"{where}: schema {revision} is not this Dossier's {head}; "
                    "run `dossier init` to migrate it, then verify"
                )
            return cls(settings, engine)
        if revision is not None and not (create or migrate):
            head = head_revision()
            if revision != head:
                raise StoreError(
                    f"{where}: schema {revision} is older than this Dossier's {head}; "
                    "run `dossier migrate`"
                )
            prepare_dir(settings.artifacts_dir)
            prepare_dir(settings.keys_dir)
            return cls(settings, engine)
        # One init or migrate at a time per home: the schema, and the key pair (two
        # inits must not each write half of one).
        with _home_lock(home):
            try:
                if path is not None:
                    prepare_sqlite(path)  # 0600 before SQLite makes it, or tightened
                # the home's lock covers a database inside it ("--home dh" is relative,
                # the database path absolute: compare the folders, not the spellings)
                inside = path is not None and path.parent.resolve() == home.resolve()
                lock = path.parent if path is not None and not inside else None
                _upgrade(engine, lock)
            except Exception as exc:  # a broken database file: say which
                raise StoreError(_cannot_open(exc, settings.db_url)) from exc
            prepare_dir(settings.artifacts_dir)
            prepare_dir(settings.keys_dir)
            # a new database, or a new installation joining a team's database
            if create and (revision is None or not any(settings.keys_dir.iterdir())):
                ensure_keys(settings.keys_dir)
        return cls(settings, engine)

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction; SQLite locks for writing at once: the custody chain stays linear.

        Work registered in ``conn.info[BEFORE_COMMIT]`` (custody_log signs a
        checkpoint there) runs last inside the transaction, so it commits or
        rolls back with the rest; work in ``conn.info[AFTER_COMMIT]`` runs once it
        has committed, and never after a rollback. A database error that leaves the
        block is a ``StoreError`` (``translate_errors``); inside it, the driver's own.
        """
        with self.translated(), self.engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                _begin_immediate(conn)
            else:
                conn.begin()
                lock_for_writing(conn)
            conn.info[STORE_KEY] = self
            try:
                yield conn
                for hook in list(conn.info.pop(BEFORE_COMMIT, {}).values()):
                    hook(conn)
                after = conn.info.pop(AFTER_COMMIT, {})
            except BaseException:
                conn.rollback()
                raise
            finally:
                conn.info.pop(STORE_KEY, None)
                conn.info.pop(BEFORE_COMMIT, None)
                conn.info.pop(AFTER_COMMIT, None)
            conn.commit()
        for done in list(after.values()):  # e.g. a timestamp asked for the new checkpoint
            done()

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """One connection for reading; a database error leaves it as a ``StoreError``."""
        with self.translated(), self.engine.connect() as conn:
            yield conn

    @contextmanager
    def translated(self) -> Iterator[None]:
        """The block's database errors as ``StoreError``: what failed, where, no password."""
        with translate_errors(self.settings.db_url):
            yield

    def count(self, table: str) -> int:
        with self.connect() as conn:
            return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())

    def schema_revision(self) -> str | None:
        with self.connect() as conn:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        return None if row is None else str(row[0])


_upgrade = migrate  # Store.open's ``migrate`` argument hides the function there


@contextmanager
def _home_lock(home: Path) -> Iterator[None]:
    """An exclusive ``flock`` on the home folder for the block (waits for the holder)."""
    fd = os.open(home, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def refresh_statistics(store: Store) -> None:
    """Give SQLite's query planner table statistics (PostgreSQL's autovacuum keeps its own).

    Without them SQLite looks incidents up by id through the primary key and
    reads each whole JSON record, where the covering ``ix_incidents_narrow``
    answers the list's filters from the index alone (10x faster at 20k
    incidents). ``analysis_limit`` bounds the cost on a large store.
    """
    if store.engine.dialect.name != "sqlite":
        return
    with store.engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA analysis_limit=1000")
        conn.exec_driver_sql("ANALYZE")


@contextmanager
def translate_errors(url: str) -> Iterator[None]:
    """Raise the block's database errors as ``StoreError`` naming the database, never its password.

    The message is the driver's own first line (what the server or SQLite
    said), not SQLAlchemy's, which quotes the statement and its parameters:
    text from ingested documents, and on a failed connection the DSN.
    """
    try:
        yield
    except DBAPIError as exc:
        raise StoreError(describe_error(exc, url)) from exc


def describe_error(exc: DBAPIError, url: str) -> str:
    """One line for people: the database (password hidden), what kind of failure, the reason."""
    if isinstance(exc, ConstraintError):
        what = "the database refused the change (a constraint)"
    elif isinstance(exc, OperationalError):
        what = "the database cannot be reached or used"
    else:
        what = "the database reported an error"
    return f"{redact_url(url)}: {what} ({_reason(exc, url)})"


def _cannot_open(exc: Exception, url: str) -> str:
    return f"{redact_url(url)}: cannot open the database ({_reason(exc, url)})"


def _reason(exc: Exception, url: str) -> str:
    """The driver's first line about ``exc`` (SQLAlchemy's adds the statement and a link)."""
    orig = getattr(exc, "orig", None)
    lines = str(orig if orig is not None else exc).strip().splitlines()
    return scrub(lines[0], url) if lines else type(exc).__name__


def redact_url(url: str) -> str:
    """``url`` for people: its password, if any, as ``***``; an unparsable one not at all."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # whatever is in a URL we cannot parse may be a password
        return "the database URL (not a valid SQLAlchemy URL; check DOSSIER_DATABASE_URL)"


def scrub(message: str, url: str) -> str:
    """``message`` without the password of ``url`` (a driver may quote its DSN in an error)."""
    try:
        password = make_url(url).password
    except Exception:  # an unparsable URL has no password we could name
        return message
    if not password:
        return message
    return message.replace(str(password), "***")


def row_dict(row: Any) -> dict[str, Any]:
    return dict(row._mapping)


def loads(value: str | None) -> Any:
    return None if value is None else json.loads(value)


__all__ = ["Store", "make_engine", "migrate", "row_dict", "loads", "select", "tables"]
