"""The data directory is private to its owner whatever the umask: 0700 directories, 0600 files."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from dossier.config import Settings
from dossier.store.database import Store
from dossier.web.security import load_secret


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The common default umask, which makes new files 0644 unless the code says otherwise."""
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _modes(home: Path) -> dict[str, int]:
    out = {".": stat.S_IMODE(home.stat().st_mode)}
    for path in sorted(home.rglob("*")):
        out[str(path.relative_to(home))] = stat.S_IMODE(path.lstat().st_mode)
    return out


@pytest.mark.sqlite_only  # the database file itself
def test_a_new_home_and_everything_in_it_is_private(umask_022: None, run_cli, home: Path) -> None:  # type: ignore[no-untyped-def]
    statement = home.parent / "statement.html"
    statement.write_text(
        "<html><head><title>Witness statement</title></head><body><p>A restricted witness "
        "statement: soldiers detained the village mayor on 3 March 2022.</p></body></html>"
    )
    assert run_cli("init").exit_code == 0
    assert run_cli("ingest", str(statement)).exit_code == 0
    store = Store.open(Settings(home=home))
    assert load_secret(store, None)  # what `dossier serve` keeps (in the database)
    store.engine.dispose()
    modes = _modes(home)
    names = set(modes)
    assert {"dossier.db", "keys/ed25519.key", "keys/ed25519.pub"} <= names
    assert any(n.startswith("artifacts/") and home.joinpath(n).is_file() for n in names)
    # the WAL and SHM exist while a connection is open: open one and look again
    store = Store.open(Settings(home=home))
    with store.engine.connect() as conn:
        conn.exec_driver_sql("SELECT count(*) FROM custody").scalar_one()
        modes = _modes(home)
        assert {"dossier.db-wal", "dossier.db-shm"} <= set(modes)
    store.engine.dispose()
    wide = {}
    for name, mode in modes.items():
        path = home if name == "." else home / name
        allowed = {0o700} if path.is_dir() else {0o600, 0o400}
        if mode not in allowed:
            wide[name] = oct(mode)
    assert not wide, f"readable by others or wrong mode: {wide}"
    blobs = [n for n in names if n.startswith("artifacts/") and home.joinpath(n).is_file()]
    assert all(modes[n] == 0o400 for n in blobs)  # write-once originals


@pytest.mark.sqlite_only  # the database file itself
def test_an_older_home_open_to_others_is_tightened_on_open(umask_022: None, tmp_path: Path) -> None:
    home = tmp_path / "old-home"
    Store.open(Settings(home=home)).engine.dispose()
    home.chmod(0o755)
    (home / "dossier.db").chmod(0o644)
    (home / "keys").chmod(0o755)
    Store.open(Settings(home=home)).engine.dispose()
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "dossier.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((home / "keys").stat().st_mode) == 0o700


def test_files_written_after_open_are_private_too(umask_022: None, tmp_path: Path) -> None:
    store = Store.open(Settings(home=tmp_path / "home"))
    later = tmp_path / "home" / "cache" / "state.bin"
    later.parent.mkdir()
    later.write_bytes(b"x")
    assert stat.S_IMODE(later.stat().st_mode) == 0o600
    assert stat.S_IMODE(later.parent.stat().st_mode) == 0o700
    store.engine.dispose()
