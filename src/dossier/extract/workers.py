"""Process hygiene for extraction: one Ray run per home; spaCy's workers die with their parent.

A Ray run takes ``<home>/extract.lock`` (``fcntl.flock``, non-blocking) and a
second one is refused with the first one's pid (its driver reads the pending
documents without claiming them); local runs claim their documents
(``store.extraction_claims``) and need no lock. spaCy's
``nlp.pipe(n_process=…)`` forks worker processes of about 400 MB each that
block on their queue forever once the parent is gone; a fork hook makes each
child ask the kernel for SIGKILL when its parent dies
(Linux ``prctl(PR_SET_PDEATHSIG)``), and a run that stops on an error ends
the workers it started before it returns. Elsewhere (no ``prctl``, or a
``spawn`` start method) only the second half applies.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

from ..errors import Busy

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1
LOCK_NAME = "extract.lock"

# Set while an extraction runs: (parent pid, lock file descriptor or -1).
_guarded: tuple[int, int] | None = None


def _after_fork_in_child() -> None:
    if _guarded is None:
        return
    parent, lock_fd = _guarded
    if lock_fd >= 0:
        # The lock is the parent's; a worker must never keep it held.
        with contextlib.suppress(OSError):
            os.close(lock_fd)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


@contextlib.contextmanager
def extraction_lock(home: Path) -> Iterator[int]:
    """Hold ``<home>/extract.lock`` for the block; Busy naming the holder's pid if taken."""
    import fcntl

    home.mkdir(parents=True, exist_ok=True)
    path = home / LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise Busy(
                f"another dossier extract is running (pid {holder}) on {home}; wait for it "
                "to finish, or stop it and run `dossier extract` again: it goes on with the "
                "documents still pending"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        yield fd
    finally:
        os.close(fd)  # releases the lock


@contextlib.contextmanager
def workers_die_with_parent(lock_fd: int = -1) -> Iterator[None]:
    """Children forked in the block die with this process (SIGKILL when it dies)."""
    global _guarded
    _guarded = (os.getpid(), lock_fd)
    try:
        yield
    finally:
        _guarded = None


def stop_workers(keep: set[multiprocessing.process.BaseProcess], timeout: float = 5.0) -> None:
    """Terminate, then kill, the child processes started since ``keep`` was taken."""
    started = [p for p in multiprocessing.active_children() if p not in keep]
    for proc in started:
        proc.terminate()
    for proc in started:
        proc.join(timeout)
        if proc.is_alive():
            log.warning("worker %s ignored SIGTERM; killing it", proc.pid)
            proc.kill()
            proc.join(timeout)
