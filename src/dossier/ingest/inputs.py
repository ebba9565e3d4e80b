"""Which files are inputs, and how they are opened: inside the folders given, never the home.

Everything under an ingested folder is hostile, its links included. A
symbolic link is not followed unless ``--follow-links`` is given; then its
target is resolved first and refused when it lies inside the Dossier home
(the database, the artifacts, the signing keys), and a link back to a folder
being walked is named as a loop. Only regular files are read, judged by type
(``stat.S_ISREG`` on the opened file, not by size), and kernel pseudo-files
(``/proc``, ``/sys``, ``/dev``), whose stat size says nothing, are refused
too. Every file not read is one named line: a problem (an error) or a skip
(a link not followed, a loop already being walked).
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ..errors import MalformedInput, UnsupportedInput

NOT_FOLLOWED = "symbolic link, not followed (give --follow-links to follow it)"
# File systems whose files are the kernel talking, not evidence: their stat size
# is 0 or 4096 whatever they hold, and reading them can change them.
PSEUDO_ROOTS = ("/proc", "/sys", "/dev")


@dataclass(frozen=True)
class InputFile:
    """One path found under the inputs given: a file to read, or why it is not read."""

    name: str  # the path as given (or as found in a folder): shown and recorded
    path: Path | None = None  # what to open; a followed link's resolved target
    link_target: str | None = None  # the resolved target when a link was followed
    problem: str | None = None  # why it cannot be an input: an error line
    skipped: str | None = None  # why it was left alone on purpose: a skip line
    device: int = 0
    inode: int = 0


class _Walker:
    def __init__(self, follow_links: bool, home: Path | None) -> None:
        self.follow_links = follow_links
        self.home = home.resolve() if home is not None else None
        self.protected = protected_inodes(home)
        self.pseudo_devices = pseudo_devices()

    def top(self, raw: str) -> Iterator[InputFile]:
        # Depth first, sorted, with an explicit stack: a hostile folder nested
        # thousands deep must not exhaust Python's recursion limit.
        found = False
        stack: list[Iterator[_Item]] = [iter([_Item(raw, Path(raw), Path(raw), {}, top=True)])]
        while stack:
            item = next(stack[-1], None)
            if item is None:
                stack.pop()
                continue
            kind = self.classify(item)
            if isinstance(kind, InputFile):
                found = True
                yield kind
                continue
            try:
                children = sorted(os.listdir(item.path))
            except OSError as exc:
                found = True
                yield InputFile(item.name, problem=f"unreadable folder ({exc.strerror or exc})")
                continue
            walking = {**item.walking, kind: item.name}
            stack.append(
                iter(
                    [
                        _Item(
                            str(Path(item.name) / c),
                            item.path / c,
                            item.real / c,
                            walking,
                            via_link=item.via_link,
                        )
                        for c in children
                        # Hidden files (".git", editor swap files) are not inputs.
                        if not c.startswith(".")
                    ]
                )
            )
        if not found:
            yield InputFile(raw, problem="folder holds no input files")

    def classify(self, item: _Item) -> InputFile | tuple[int, int]:
        """The file ``item`` names, or why it is not read; a folder to walk: its (device, inode)."""
        name, path = item.name, item.path
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return InputFile(name, problem="no such file or directory")
        except OSError as exc:
            return InputFile(name, problem=f"unreadable ({exc.strerror or exc})")
        link_target: str | None = None
        real = item.real
        if stat.S_ISLNK(st.st_mode):
            if not self.follow_links:
                return InputFile(name, skipped=NOT_FOLLOWED)
            try:
                target = path.resolve(strict=True)
                st = os.stat(target)
            except RuntimeError:  # pathlib's "Symlink loop" (Python 3.11)
                return InputFile(name, problem="symbolic link loop: it never reaches a file")
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    return InputFile(name, problem="symbolic link loop: it never reaches a file")
                return InputFile(
                    name, problem=f"dangling symbolic link (to {_readlink(path)}): no file"
                )
            real = target
            link_target = str(target)
        elif item.top:
            # Parent folders given on the command line may be links; what they
            # lead to decides whether a path is inside the home.
            real = path.resolve()
        item.real = real
        item.via_link = item.via_link or link_target is not None
        if self.home is not None and (real == self.home or self.home in real.parents):
            via = f"a symbolic link to {real}, " if link_target else ""
            return InputFile(
                name, problem=f"{via}inside the Dossier home ({self.home}): never ingested"
            )
        if stat.S_ISDIR(st.st_mode):
            key = (st.st_dev, st.st_ino)
            if key in item.walking:
                return InputFile(
                    name,
                    skipped=(
                        f"symbolic link loop: leads back to {item.walking[key]}, already being read"
                    ),
                )
            return key
        if not stat.S_ISREG(st.st_mode):
            return InputFile(name, problem=f"not a regular file ({file_kind(st.st_mode)})")
        if (st.st_dev, st.st_ino) in self.protected:
            return InputFile(name, problem="a hard link to a Dossier signing key: never ingested")
        if st.st_dev in self.pseudo_devices or any(
            real == Path(root) or Path(root) in real.parents for root in PSEUDO_ROOTS
        ):
            return InputFile(name, problem="a kernel pseudo-file (/proc, /sys, /dev), not a file")
        return InputFile(
            name,
            path=real if item.via_link else path,
            # Where the path leads when a link on the way (the file's or a folder's) was followed.
            link_target=str(real) if item.via_link else None,
            device=st.st_dev,
            inode=st.st_ino,
        )


@dataclass
class _Item:
    """A path to classify: its name as shown, where to find it, what it resolves to."""

    name: str
    path: Path
    real: Path  # the resolved path: where a followed link led, for the home check
    walking: dict[tuple[int, int], str]  # the folders above it: (device, inode) -> name
    top: bool = False
    via_link: bool = False  # whether a followed link leads to it


def expand(
    paths: Iterable[str], *, follow_links: bool = False, home: Path | None = None
) -> Iterator[InputFile]:
    """Every input under ``paths``, folders recursively, each file or its reason not to read it."""
    walker = _Walker(follow_links, home)
    for raw in paths:
        yield from walker.top(raw)


def protected_inodes(home: Path | None) -> set[tuple[int, int]]:
    """(device, inode) of every file in the home's keys folder: refused under any name."""
    if home is None:
        return set()
    found = set()
    try:
        for entry in os.scandir(home / "keys"):
            st = entry.stat(follow_symlinks=False)
            found.add((st.st_dev, st.st_ino))
    except OSError:
        pass
    return found


def open_input(entry: InputFile) -> tuple[BinaryIO, os.stat_result]:
    """Open ``entry`` for reading without following a link swapped in since it was found.

    Raises InputError when what is opened is not the regular file that was
    found (a FIFO does not block: it is opened non-blocking and refused).
    """
    assert entry.path is not None
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(entry.path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise MalformedInput(
                entry.name, "became a symbolic link while being read; not followed"
            ) from exc
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise UnsupportedInput(entry.name, f"not a regular file ({file_kind(st.st_mode)})")
        if entry.inode and (st.st_dev, st.st_ino) != (entry.device, entry.inode):
            raise MalformedInput(entry.name, "was replaced by another file while being read")
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), st
    except BaseException:
        os.close(fd)
        raise


def read_all(fh: BinaryIO, st: os.stat_result, name: str) -> bytes:
    """The file's bytes, refused when they do not match the size it claimed (a growing file)."""
    data = fh.read(st.st_size + 1)
    if len(data) != st.st_size:
        raise MalformedInput(
            name,
            f"its size changed while it was read ({st.st_size} bytes by stat, "
            f"{len(data)} read); ingest it when nothing is writing to it",
        )
    return data


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    for test, kind in (
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISLNK, "a symbolic link"),
    ):
        if test(mode):
            return kind
    return "not a file"


def pseudo_devices() -> set[int]:
    """The devices of the kernel's file systems, where mounted apart from the root."""
    try:
        root = os.stat("/").st_dev
    except OSError:
        return set()
    found = set()
    for path in PSEUDO_ROOTS:
        try:
            device = os.stat(path).st_dev
        except OSError:
            continue
        if device != root:
            found.add(device)
    return found


def _readlink(path: Path) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return "?"
