"""The artifact store: original bytes, content-addressed by SHA-256, write-once.

Layout is git-like: ``artifacts/ab/cdef…`` for a blob whose hash starts with
``ab``. Writes go to a temporary file in the same folder, are fsynced, then
renamed into place, so a crash leaves either the whole blob or nothing under
its name. Every read checks the hash; a mismatch raises IntegrityError.

A new blob is written before its custody entry (the bytes are safe first),
so ``put`` leaves a marker ``.unlogged/<sha>`` that the ingest removes once
the entry is committed: a blob without an entry but with a marker was left
by an ingest killed in between (at most one per interrupted ingest, which
the same ingest run again completes); one without a marker was put there
by something other than Dossier, and ``dossier verify`` fails on it.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from ..errors import IntegrityError, NotFound

UNLOGGED = ".unlogged"
INCOMING = "incoming"  # put_stream's temporary files, never blobs
_HEX = re.compile(r"^[0-9a-f]+$")


class ArtifactStore:
    """Write-once blobs under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256[2:]

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()

    def put(self, data: bytes) -> str:
        """Store ``data`` unless present; return its SHA-256 hex."""
        digest = hashlib.sha256(data).hexdigest()
        path = self.path_for(digest)
        if path.exists():
            return digest
        marker = self.root / UNLOGGED / digest
        marker.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        marker.touch()
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o400)  # write-once, and the owner's alone
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        _fsync_dir(path.parent)
        return digest

    def put_stream(self, source: BinaryIO, chunk_size: int = 1 << 20) -> tuple[str, int]:
        """Store what ``source`` yields, hashing while copying in chunks; return (SHA-256, size).

        For inputs too large to hold in memory (over the size cap): the bytes go to
        a temporary file in ``incoming/``, are fsynced, then renamed under their
        hash, so a crash leaves the whole blob or nothing under its name.
        """
        incoming = self.root / INCOMING
        incoming.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=incoming, prefix=".tmp-")
        digest = hashlib.sha256()
        size = 0
        try:
            with os.fdopen(fd, "wb") as fh:
                while chunk := source.read(chunk_size):
                    digest.update(chunk)
                    fh.write(chunk)
                    size += len(chunk)
                fh.flush()
                os.fsync(fh.fileno())
            sha = digest.hexdigest()
            path = self.path_for(sha)
            if path.exists():
                os.unlink(tmp)
                return sha, size
            marker = self.root / UNLOGGED / sha  # as ``put``: unlogged until ingest commits
            marker.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            marker.touch()
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.chmod(tmp, 0o400)  # write-once, and the owner's alone
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
        _fsync_dir(path.parent)
        return sha, size

    def get(self, sha256: str) -> bytes:
        """Return the blob's bytes after checking them against ``sha256``."""
        path = self.path_for(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise NotFound(f"artifact sha256:{sha256} is missing from {self.root}") from exc
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise IntegrityError(
                f"artifact sha256:{sha256} at {path} does not match its hash (now sha256:{actual})"
            )
        return data

    def check(self, sha256: str) -> str | None:
        """Return None when the blob is intact, else what is wrong with it."""
        try:
            self.get(sha256)
        except (IntegrityError, NotFound) as exc:
            return str(exc)
        return None

    def logged(self, sha256: str) -> None:
        """The blob's custody entry is committed: drop its ``put`` marker."""
        (self.root / UNLOGGED / sha256).unlink(missing_ok=True)

    def unlogged_markers(self) -> set[str]:
        """Blobs ``put`` wrote whose ingest has not (yet) logged them."""
        folder = self.root / UNLOGGED
        return {p.name for p in folder.iterdir()} if folder.is_dir() else set()

    def files(self) -> Iterator[tuple[Path, str | None]]:
        """Every file in the store but temporary ones: (path, the hash its place names or None)."""
        if not self.root.is_dir():
            return
        for folder in sorted(self.root.iterdir()):
            if folder.name == UNLOGGED:
                continue
            if not folder.is_dir():
                yield folder, None
                continue
            for path in sorted(folder.iterdir()):
                if path.name.startswith(".tmp-"):
                    continue
                name = folder.name + path.name
                ok = len(folder.name) == 2 and len(name) == 64 and _HEX.match(name) is not None
                yield path, name if ok and path.is_file() else None

    def leftovers(self) -> list[Path]:
        """Temporary files a killed write left behind (harmless; never read)."""
        return sorted(self.root.glob("*/.tmp-*")) if self.root.exists() else []


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
