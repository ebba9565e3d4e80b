"""``dossier verify`` catches every kind of tampering and names the object or entry."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

RunCli = Callable[..., Any]

STORIES = [
    "Shelling destroyed the school in the northern district on Monday, officials said.",
    "A convoy of evacuees came under fire on the road south of the city, witnesses said.",
    "Investigators exhumed bodies from a mass grave near the church on Friday.",
]


@pytest.fixture
def filled(run_cli: RunCli, home: Path, tmp_path: Path) -> Iterator[sqlite3.Connection]:
    """A store with three documents and several signed checkpoints; returns a raw connection."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    for i, story in enumerate(STORIES):
        (folder / f"story-{i}.txt").write_text(story + "\n", encoding="utf-8")
    result = run_cli("ingest", str(folder), env={"DOSSIER_CHECKPOINT_EVERY": "2"})
    assert result.exit_code == 0, result.stderr
    assert run_cli("verify").exit_code == 0
    conn = sqlite3.connect(home / "dossier.db", isolation_level=None)
    yield conn
    conn.close()


def failed_verify(run_cli: RunCli) -> str:
    result = run_cli("verify")
    assert result.exit_code == 1, result.stdout
    last = result.stdout.splitlines()[-1]
    assert last.startswith("verify: FAILED; first break: ")
    return str(result.stdout)


def custody_row(conn: sqlite3.Connection, seq: int) -> tuple[Any, ...]:
    return tuple(conn.execute("SELECT * FROM custody WHERE seq = ?", (seq,)).fetchone())


def test_a_flipped_byte_in_an_artifact_blob_names_the_artifact(
    run_cli: RunCli, filled: sqlite3.Connection, home: Path
) -> None:
    sha = filled.execute("SELECT sha256 FROM artifacts ORDER BY sha256 LIMIT 1").fetchone()[0]
    blob = home / "artifacts" / sha[:2] / sha[2:]
    blob.chmod(0o644)
    data = bytearray(blob.read_bytes())
    data[5] ^= 0x01
    blob.write_bytes(bytes(data))
    out = failed_verify(run_cli)
    assert "artifacts: 3 checked, FAILED\n" in out
    assert f"first break: artifact sha256:{sha} at {blob} does not match its hash" in out


@pytest.mark.parametrize("column", ["detail", "actor"])
def test_an_edited_custody_row_is_named(
    run_cli: RunCli, filled: sqlite3.Connection, column: str
) -> None:
    value = json.dumps({"forged": True}) if column == "detail" else "mallory"
    filled.execute(f"UPDATE custody SET {column} = ? WHERE seq = 3", (value,))
    out = failed_verify(run_cli)
    assert "first break: custody entry 3: content does not match its entry_hash (edited)" in out


def test_a_deleted_custody_row_is_named(run_cli: RunCli, filled: sqlite3.Connection) -> None:
    filled.execute("DELETE FROM custody WHERE seq = 2")
    out = failed_verify(run_cli)
    assert (
        "custody chain: 5 checked, FAILED\n"
        "  custody entry 3: sequence jumps from 1 to 3 (entry missing)\n" in out
    )


def test_deleting_the_last_custody_row_breaks_the_checkpoint(
    run_cli: RunCli, filled: sqlite3.Connection
) -> None:
    n = filled.execute("SELECT max(seq) FROM custody").fetchone()[0]
    filled.execute("DELETE FROM custody WHERE seq = ?", (n,))
    out = failed_verify(run_cli)
    assert f"checkpoint at size {n}: covers {n} entries but the log has only {n - 1}" in out


def test_two_swapped_custody_rows_are_named(run_cli: RunCli, filled: sqlite3.Connection) -> None:
    cols = "time, actor, action, object_id, object_hash, detail, prev_hash, entry_hash"
    two, three = custody_row(filled, 2), custody_row(filled, 3)
    # entry_hash is unique: park row 2 on a placeholder while moving row 3's content.
    filled.execute("UPDATE custody SET entry_hash = 'x' WHERE seq = 2")
    for seq, row in ((3, two), (2, three)):
        filled.execute(
            f"UPDATE custody SET ({cols}) = (?, ?, ?, ?, ?, ?, ?, ?) WHERE seq = ?", (*row[1:], seq)
        )
    out = failed_verify(run_cli)
    assert "first break: custody entry 2: prev_hash does not match the previous entry" in out


def test_a_replaced_checkpoint_signature_is_named(
    run_cli: RunCli, filled: sqlite3.Connection
) -> None:
    size, signature = filled.execute(
        "SELECT size, signature FROM checkpoints ORDER BY size LIMIT 1"
    ).fetchone()
    forged = ("0" if signature[0] != "0" else "1") + signature[1:]
    filled.execute("UPDATE checkpoints SET signature = ? WHERE size = ?", (forged, size))
    out = failed_verify(run_cli)
    assert f"first break: checkpoint at size {size}: signature does not verify" in out


def test_an_edited_document_text_is_named(run_cli: RunCli, filled: sqlite3.Connection) -> None:
    doc_id = filled.execute("SELECT id FROM documents ORDER BY id LIMIT 1").fetchone()[0]
    filled.execute(
        "UPDATE documents SET text = text || ' Nobody was hurt.' WHERE id = ?", (doc_id,)
    )
    out = failed_verify(run_cli)
    assert f"first break: document {doc_id}: text does not match its text_sha256" in out


def test_document_text_edited_with_a_fresh_hash_is_caught_by_the_custody_log(
    run_cli: RunCli, filled: sqlite3.Connection
) -> None:
    # Regression: verify compared the text only with its own row's hash, so an
    # edit that also rewrote text_sha256 passed.
    import hashlib

    doc_id, text = filled.execute("SELECT id, text FROM documents ORDER BY id LIMIT 1").fetchone()
    forged = (
        text.replace("Shelling", "An accident")
        .replace("A convoy", "A bus")
        .replace("Investigators", "Farmers")
    )
    digest = hashlib.sha256(forged.encode()).hexdigest()
    filled.execute(
        "UPDATE documents SET text = ?, text_sha256 = ? WHERE id = ?", (forged, digest, doc_id)
    )
    out = failed_verify(run_cli)
    assert (
        f"first break: document {doc_id}: text_sha256 does not match its custody 'ingested' entry"
        in out
    )


def test_an_artifact_row_unknown_to_the_custody_log_is_named(
    run_cli: RunCli, filled: sqlite3.Connection, home: Path
) -> None:
    from dossier.evidence.artifacts import ArtifactStore

    sha = ArtifactStore(home / "artifacts").put(b"slipped in later")
    filled.execute(
        "INSERT INTO artifacts (sha256, media_type, size, acquired_at, acquired_by, status) "
        "VALUES (?, 'text/plain', 16, '2022-01-01T00:00:00Z', 'mallory', 'document')",
        (sha,),
    )
    out = failed_verify(run_cli)
    assert f"first break: artifact sha256:{sha}: no custody 'acquired' entry with this hash" in out
