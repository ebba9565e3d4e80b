"""The store: Alembic-migrated SQLite, transactions, the custody log and its checkpoints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from dossier.config import Settings
from dossier.errors import NoStore, StoreError
from dossier.evidence.custody import check_chain
from dossier.evidence.keys import PUBLIC_NAME, load_public_key, verify_signature
from dossier.evidence.merkle import merkle_root
from dossier.store import custody_log
from dossier.store.database import MIGRATIONS, Store


def test_open_creates_and_migrates_everything(store: Store, home: Path) -> None:
    names = set(inspect(store.engine).get_table_names())
    assert {"artifacts", "documents", "custody", "checkpoints", "alembic_version"} <= names
    assert store.schema_revision() is not None
    assert (home / "artifacts").is_dir() and (home / "keys" / PUBLIC_NAME).is_file()
    again = Store.open(store.settings)
    assert again.schema_revision() == store.schema_revision()


def test_open_without_create_refuses_a_missing_home(tmp_path: Path) -> None:
    absent = tmp_path / "absent"
    with pytest.raises(
        NoStore, match=re.escape(f"no Dossier store at {absent}; run `dossier init`")
    ):
        Store.open(Settings(home=absent), create=False)


@pytest.mark.sqlite_only  # the database file itself
def test_open_without_create_refuses_a_home_without_a_database(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    db = home / "dossier.db"
    with pytest.raises(StoreError, match="no database; run `dossier init` for a new store"):
        Store.open(Settings(home=home), create=False)
    assert not db.exists(), "refusing must not leave an empty file behind"
    db.write_bytes(b"")
    with pytest.raises(StoreError, match="the database file is empty; run `dossier init`"):
        Store.open(Settings(home=home), create=False)
    assert db.stat().st_size == 0


@pytest.mark.sqlite_only  # the database file itself
def test_create_refuses_a_home_that_lost_its_database(store: Store, home: Path) -> None:
    store.engine.dispose()
    (home / "dossier.db").unlink()
    with pytest.raises(StoreError, match="holds artifacts or keys: the database was lost"):
        Store.open(Settings(home=home))
    assert not (home / "dossier.db").exists()


def test_read_only_open_never_migrates_or_writes(store: Store, home: Path) -> None:
    head = store.schema_revision()
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0001'")
    with pytest.raises(
        StoreError, match="schema 0001 is not this Dossier's .*; run `dossier init`"
    ):
        Store.open(Settings(home=home), read_only=True)
    assert store.schema_revision() == "0001", "verify must not migrate"
    with store.engine.begin() as conn:
        conn.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{head}'")
    reader = Store.open(Settings(home=home), read_only=True)
    with (
        pytest.raises(Exception, match="readonly|read-only|query_only"),
        reader.engine.begin() as conn,
    ):
        conn.exec_driver_sql("DELETE FROM custody")


def test_a_failed_transaction_leaves_no_custody_entry(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as conn:
        custody_log.append(conn, "tester", "acquired", "sha256:" + "a" * 64, "a" * 64)
        raise RuntimeError("crash inside the transaction")
    assert store.count("custody") == 0


def test_appended_entries_form_a_chain(store: Store) -> None:
    for i in range(5):
        with store.transaction() as conn:
            custody_log.append(
                conn, "tester", "acquired", f"sha256:{i:064x}", f"{i:064x}", {"i": i}
            )
    entries = list(custody_log.entries(store))
    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert check_chain(entries) is None
    assert [e.seq for e in custody_log.entries(store, object_ids=[f"sha256:{3:064x}"])] == [4]
    assert [e.seq for e in custody_log.entries(store, after=3)] == [4, 5]


def test_every_transaction_that_appends_signs_a_checkpoint_as_it_commits(tmp_path: Path) -> None:
    store = Store.open(Settings(home=tmp_path / "home", checkpoint_every=3))
    for i in range(4):
        with store.transaction() as conn:
            for j in range(i + 1):
                custody_log.append(conn, "tester", "note", f"obj-{i}-{j}", None)
    # A transaction that rolls back takes its entries and its checkpoint with it,
    # and the cached Merkle frontier must not carry its entries into the next root.
    with pytest.raises(RuntimeError), store.transaction() as conn:
        custody_log.append(conn, "tester", "note", "rolled-back", None)
        raise RuntimeError("crash inside the transaction")
    with store.transaction() as conn:
        custody_log.append(conn, "tester", "note", "after", None)
    assert [cp.size for cp in custody_log.checkpoints(store)] == [1, 3, 6, 10, 11]
    assert custody_log.checkpoint(store, force=True) is None, "nothing left to cover"
    # Entries appended outside Store.transaction are covered by the forced checkpoint.
    with store.engine.begin() as conn:
        custody_log.append(conn, "tester", "note", "raw", None)
    assert custody_log.checkpoint(store) is None, "one entry is fewer than checkpoint_every"
    forced = custody_log.checkpoint(store, force=True)
    assert forced is not None and forced.size == 12
    public = load_public_key(store.settings.keys_dir / PUBLIC_NAME)
    leaves = [bytes.fromhex(e.entry_hash) for e in custody_log.entries(store)]
    for cp in custody_log.checkpoints(store):
        assert verify_signature(public, cp.signature, cp.message())
        assert cp.root == merkle_root(leaves[: cp.size]).hex()


def test_the_stored_frontier_lets_a_new_process_sign_without_rereading_the_log(
    store: Store, home: Path
) -> None:
    for i in range(5):
        with store.transaction() as conn:
            custody_log.append(conn, "tester", "note", f"obj-{i}", None)
    stored = custody_log.stored_frontier(store)
    leaves = [bytes.fromhex(e.entry_hash) for e in custody_log.entries(store)]
    assert stored is not None and stored.size == 5 and stored.root() == merkle_root(leaves)
    # A new process (no cache) signs from the stored frontier and reads only the new
    # entry: an old entry hash changed behind its back does not enter the new root.
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE custody SET entry_hash = :h WHERE seq = 1"), {"h": "ff" * 32})
    fresh = Store.open(Settings(home=home), create=False)
    with fresh.transaction() as conn:
        entry = custody_log.append(conn, "tester", "note", "obj-5", None)
    last = custody_log.checkpoints(store)[-1]
    assert (last.size, last.root) == (
        6,
        merkle_root([*leaves, bytes.fromhex(entry.entry_hash)]).hex(),
    )
    after = custody_log.stored_frontier(store)
    assert after is not None and after.size == 6


def test_a_stale_or_broken_stored_frontier_is_rebuilt(store: Store) -> None:
    for i in range(3):
        with store.transaction() as conn:
            custody_log.append(conn, "tester", "note", f"obj-{i}", None)
    for nodes in ("not json", '[[2, "' + "00" * 32 + '"]]'):
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE custody_frontier SET nodes = :n"), {"n": nodes})
        store.cache.clear()
        with store.transaction() as conn:
            custody_log.append(conn, "tester", "note", "next", None)
        leaves = [bytes.fromhex(e.entry_hash) for e in custody_log.entries(store)]
        last = custody_log.checkpoints(store)[-1]
        if nodes == "not json":
            assert last.root == merkle_root(leaves).hex(), "an unreadable row is rebuilt"
        else:
            # A well-formed row with forged nodes is trusted by the writer: the wrong
            # root it signs is what verify then reports (tests/evidence/test_tampering.py).
            assert last.root != merkle_root(leaves).hex()


def test_only_migrate_upgrades_an_older_schema(run_cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("init").exit_code == 0
    store = Store.open(Settings(home=home), create=False)
    head = store.schema_revision()
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    older = ScriptDirectory.from_config(cfg).get_revision(head).down_revision
    with store.engine.begin() as conn:  # the schema of the Dossier before this one
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, str(older))
    store.engine.dispose()
    refused = run_cli("ingest", str(home / "keys"))
    assert refused.exit_code == 2
    assert f"schema {older} is older than this Dossier's {head}; run `dossier migrate`" in (
        refused.stderr
    )
    migrated = run_cli("migrate")
    assert migrated.exit_code == 0, migrated.stderr
    assert migrated.stdout.endswith(f"(schema {head})\n")
    again = Store.open(Settings(home=home), create=False)
    assert again.schema_revision() == head
    again.engine.dispose()
