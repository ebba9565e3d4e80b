"""The artifact store: original bytes, content-addressed by SHA-256, write-once.

Layout is git-like: ``artifacts/ab/cdef…`` for a blob whose hash starts with
``ab``. Writes go to a temporary file in the same folder, are fsynced, then
renamed into place, so a crash leaves either the whole blob or nothing under
its name. Every read checks the hash; a mismatch raises IntegrityError.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from ..errors import IntegrityError, NotFound


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
        incoming = self.root / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
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
            path.parent.mkdir(parents=True, exist_ok=True)
            os.chmod(tmp, 0o444)
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
