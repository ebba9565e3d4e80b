"""Ingest stays in its folders: links, the home, special and pseudo files, oversized files."""

from __future__ import annotations

import inspect
import json
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from dossier.errors import MalformedInput
from dossier.ingest.inputs import InputFile, open_input, read_all
from dossier.store import tables
from dossier.store.database import Store

RunCli = Callable[..., Any]
GOOD = (
    "Shells hit the railway station in the city on Friday, "
    "killing dozens of people who waited to leave.\n"
)
NOT_FOLLOWED = "symbolic link, not followed (give --follow-links to follow it)"


def custody(store: Store, action: str) -> list[dict[str, Any]]:
    with store.connect() as conn:
        rows = conn.execute(select(tables.custody).where(tables.custody.c.action == action)).all()
    return [json.loads(r.detail) for r in rows]


def all_blobs(store: Store) -> list[bytes]:
    with store.connect() as conn:
        shas = [r.sha256 for r in conn.execute(select(tables.artifacts.c.sha256))]
    return [store.artifacts.get(sha) for sha in shas]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A secret outside the folder to be ingested."""
    secret = tmp_path / "elsewhere" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("The informant's name and address, never to be shared.\n")
    return secret


def test_a_link_out_of_the_folder_is_skipped_by_default_with_a_named_line(
    run_cli: RunCli, tmp_path: Path, store: Store, outside: Path
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.txt").write_text(GOOD)
    (batch / "leak.txt").symlink_to(outside)
    (batch / "up").symlink_to(outside.parent, target_is_directory=True)
    result = run_cli("ingest", str(batch))
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"skipped: {batch / 'leak.txt'}: {NOT_FOLLOWED}",
        f"skipped: {batch / 'up'}: {NOT_FOLLOWED}",
    ]
    assert result.stdout == (
        "ingested 1 file(s): 1 new document(s), 0 already present, 0 failed, 0 error(s), "
        "2 skipped\n"
    )
    assert outside.read_bytes() not in all_blobs(store)
    assert store.count("artifacts") == 1


def test_a_link_given_on_the_command_line_is_not_followed_either(
    run_cli: RunCli, tmp_path: Path, store: Store, outside: Path
) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(outside)
    result = run_cli("ingest", "--json", str(link))
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["summary"]["skipped"] == 1 and report["summary"]["files"] == 0
    assert report["files"][0]["status"] == "skipped"
    assert report["files"][0]["skipped"] == f"{link}: {NOT_FOLLOWED}"
    assert store.count("artifacts") == 0


def test_a_followed_link_records_the_path_given_and_its_target(
    run_cli: RunCli, tmp_path: Path, store: Store, outside: Path
) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "report.txt").symlink_to(outside)
    (outside.parent / "other.txt").write_text(GOOD)
    (batch / "up").symlink_to(outside.parent, target_is_directory=True)
    result = run_cli("ingest", "--follow-links", str(batch))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    acquired = {a["source_path"]: a.get("link_target") for a in custody(store, "acquired")}
    assert acquired == {
        str(batch / "report.txt"): str(outside.resolve()),
        str(batch / "up" / "other.txt"): str((outside.parent / "other.txt").resolve()),
    }  # batch/up/secret.txt: the same bytes as report.txt, one artifact
    with store.connect() as conn:
        rows = {r.source_path: r for r in conn.execute(select(tables.artifacts)).all()}
    row = rows[str(batch / "report.txt")]
    assert store.artifacts.get(row.sha256) == outside.read_bytes()


def test_a_plain_file_records_no_link_target(run_cli: RunCli, tmp_path: Path, store: Store) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(GOOD)
    run_cli("ingest", "--follow-links", str(path))
    [acquired] = custody(store, "acquired")
    assert "link_target" not in acquired and acquired["source_path"] == str(path)


@pytest.mark.sqlite_only  # links to the home's database file
def test_links_into_the_home_are_refused_even_when_following_links(
    run_cli: RunCli, tmp_path: Path, home: Path, store: Store
) -> None:
    key = home / "keys" / "ed25519.key"
    assert key.exists()
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "key.txt").symlink_to(key)
    (batch / "keys").symlink_to(home / "keys", target_is_directory=True)
    (batch / "db.txt").symlink_to(home / "dossier.db")
    os.link(key, batch / "hard.txt")
    result = run_cli("ingest", "--follow-links", str(batch), str(key))
    assert result.exit_code == 1
    real_home = home.resolve()
    assert result.stderr.splitlines() == [
        f"error: {batch / 'db.txt'}: a symbolic link to {real_home / 'dossier.db'}, "
        f"inside the Dossier home ({real_home}): never ingested",
        f"error: {batch / 'hard.txt'}: a hard link to a Dossier signing key: never ingested",
        f"error: {batch / 'key.txt'}: a symbolic link to {real_home / 'keys' / 'ed25519.key'}, "
        f"inside the Dossier home ({real_home}): never ingested",
        f"error: {batch / 'keys'}: a symbolic link to {real_home / 'keys'}, "
        f"inside the Dossier home ({real_home}): never ingested",
        f"error: {key}: inside the Dossier home ({real_home}): never ingested",
    ]
    assert store.count("artifacts") == 0
    assert custody(store, "acquired") == []


def test_a_folder_holding_the_home_skips_the_home(
    run_cli: RunCli, tmp_path: Path, home: Path, store: Store
) -> None:
    (tmp_path / "story.txt").write_text(GOOD)
    result = run_cli("ingest", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {home}: inside the Dossier home ({home.resolve()}): never ingested"
    ]
    [acquired] = custody(store, "acquired")
    assert acquired["source_path"] == str(tmp_path / "story.txt")


def test_link_loops_are_named(run_cli: RunCli, tmp_path: Path, store: Store) -> None:
    batch = tmp_path / "batch"
    (batch / "sub").mkdir(parents=True)
    (batch / "sub" / "story.txt").write_text(GOOD)
    (batch / "sub" / "again").symlink_to(batch, target_is_directory=True)
    (batch / "a.txt").symlink_to(batch / "b.txt")
    (batch / "b.txt").symlink_to(batch / "a.txt")
    result = run_cli("ingest", "--follow-links", str(batch))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {batch / 'a.txt'}: symbolic link loop: it never reaches a file",
        f"error: {batch / 'b.txt'}: symbolic link loop: it never reaches a file",
        f"skipped: {batch / 'sub' / 'again'}: symbolic link loop: leads back to {batch}, "
        "already being read",
    ]
    assert store.count("documents") == 1


def test_a_dangling_link_is_named_when_following_links(run_cli: RunCli, tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "deleted.txt")
    assert run_cli("init").exit_code == 0
    result = run_cli("ingest", "--follow-links", str(link))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {link}: dangling symbolic link (to {tmp_path / 'deleted.txt'}): no file\n"
    )


def test_special_files_are_refused_by_type(run_cli: RunCli, tmp_path: Path, store: Store) -> None:
    batch = tmp_path / "batch"
    batch.mkdir()
    os.mkfifo(batch / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(batch / "sock.txt"))
    try:
        result = run_cli("ingest", str(batch), "/dev/null", "/proc/self/status")
    finally:
        sock.close()
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {batch / 'pipe.txt'}: not a regular file (a FIFO)",
        f"error: {batch / 'sock.txt'}: not a regular file (a socket)",
        "error: /dev/null: not a regular file (a character device)",
        "error: /proc/self/status: a kernel pseudo-file (/proc, /sys, /dev), not a file",
    ]
    assert store.count("artifacts") == 0


def test_a_file_that_grows_while_read_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "growing.txt"
    path.write_text(GOOD)
    st = path.stat()
    entry = InputFile(str(path), path=path, device=st.st_dev, inode=st.st_ino)
    fh, opened = open_input(entry)
    with fh, path.open("a") as writer:
        writer.write(GOOD)
        writer.flush()
        with pytest.raises(MalformedInput, match="its size changed while it was read"):
            read_all(fh, opened, str(path))


def test_an_oversized_file_is_streamed_into_the_store_and_read_once_the_cap_allows(
    run_cli: RunCli, tmp_path: Path, store: Store
) -> None:
    path = tmp_path / "long.txt"
    path.write_text(GOOD * 12_000)  # 1.2 MB: more than one 1 MiB chunk of the streaming copy
    size = path.stat().st_size
    refused = run_cli("ingest", str(path), env={"DOSSIER_MAX_INPUT_BYTES": "100000"})
    assert refused.exit_code == 1 and "preserved, not read" in refused.stderr
    assert store.artifacts.leftovers() == []
    [row] = store_rows(store)
    assert (row.status, row.size) == ("rejected", size)
    assert store.artifacts.get(row.sha256) == path.read_bytes()
    accepted = run_cli("ingest", str(path))
    assert accepted.exit_code == 0, accepted.stderr
    [row] = store_rows(store)
    assert (row.status, row.reason) == ("document", None)
    assert store.count("documents") == 1
    assert run_cli("verify").exit_code == 0


def store_rows(store: Store) -> list[Any]:
    with store.connect() as conn:
        return list(conn.execute(select(tables.artifacts)).all())


def test_analyze_refuses_a_fifo_instead_of_waiting_on_it(run_cli: RunCli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = run_cli("analyze", "--json", str(fifo))
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"error: {fifo}: not a regular file (a FIFO)\n"


def test_a_folder_nested_deeper_than_the_recursion_limit_is_walked(
    run_cli: RunCli, tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    depth = 500  # deeper than the recursion limit set below, shallow enough to clean up
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("d", dir_fd=fd)
            deeper = os.open("d", os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = deeper
        story = os.open("story.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(story, GOOD.encode())
        os.close(story)
    finally:
        os.close(fd)
    # A walk that recursed once per level would need `depth` frames more than this.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(len(inspect.stack()) + 400)
    try:
        result = run_cli("ingest", str(tmp_path / "d"))
    finally:
        sys.setrecursionlimit(limit)
    assert result.exit_code == 0, result.stderr[:300]
    assert store.count("documents") == 1
    [acquired] = custody(store, "acquired")
    assert acquired["source_path"].split("/").count("d") == depth
