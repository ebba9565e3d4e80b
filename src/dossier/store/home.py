"""The data directory on disk, private to its owner whatever the umask.

The home holds every text Dossier has read (restricted statements
included), the password and token hashes and the signing key, so nobody
else on the machine may read any of it: directories are 0700 and files 0600
(artifacts 0400, being write-once). ``private_umask`` makes that hold for
every file any part of Dossier creates later (WAL and SHM files, caches,
keys, artifacts, exports), and ``prepare_home`` tightens a home made by an
older version: a 0700 home already closes everything inside it.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)
PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
SQLITE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def private_umask() -> None:
    """Add 077 to the process umask, so files are created for the owner alone."""
    old = os.umask(0o077)
    os.umask(old | 0o077)


def _tighten(path: Path, mode: int) -> None:
    try:
        current = stat.S_IMODE(path.stat().st_mode)
        if current & 0o077:
            path.chmod(mode)
    except FileNotFoundError:
        pass
    except PermissionError:  # not ours to change: say so rather than fail to open
        log.warning("%s is readable by others and not ours to chmod; restrict it", path)


def prepare_dir(path: Path) -> None:
    """``path`` as a 0700 directory (created, or tightened when it is wider)."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    _tighten(path, PRIVATE_DIR)


def prepare_sqlite(database: Path) -> None:
    """Create the SQLite file 0600 before SQLite does; its WAL and SHM copy its mode."""
    database.parent.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if not database.exists():
        os.close(os.open(database, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE))
    for suffix in SQLITE_SUFFIXES:
        _tighten(database.with_name(database.name + suffix), PRIVATE_FILE)
