"""Every bad input: one clear line naming it, the batch goes on, the original is kept."""

from __future__ import annotations

import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dossier.store import tables
from dossier.store.database import Store

RunCli = Callable[..., Any]

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"


@pytest.fixture(autouse=True)
def _initialised(run_cli: RunCli) -> None:
    """Only `dossier init` creates a store; every test here starts from a fresh one."""
    assert run_cli("init").exit_code == 0


GOOD = (
    "Shells hit the railway station in the city on Friday, "
    "killing dozens of people who waited to leave.\n"
)


def write_batch(folder: Path) -> dict[str, str]:
    """Bad inputs beside one good file; returns file name -> expected reason fragment."""
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "latin1.txt").write_bytes(
        "Café owners in Kherson said the shelling began at dawn.\n".encode("latin-1")
    )
    (folder / "notext.html").write_bytes(
        b"<html><head><script>var a=1;</script></head><body><div> </div></body></html>"
    )
    (folder / "slides.pdf").write_bytes(b"%PDF-1.4 not really")
    shutil.copy(DATA / "broken.rss", folder / "broken.rss")
    return {
        "empty.txt": "empty: no text to read",
        "binary.txt": "binary data (NUL bytes), not text",
        "latin1.txt": "not valid UTF-8 (byte 0xe9 at offset 3)",
        "notext.html": "no article text found in the HTML",
        "slides.pdf": "unsupported file type",
        "broken.rss": "not a readable RSS/Atom feed",
    }


def artifact_rows(store: Store) -> dict[str, dict[str, object]]:
    with store.connect() as conn:
        rows = conn.execute(select(tables.artifacts)).all()
    return {Path(str(r.source_path)).name: dict(r._mapping) for r in rows}


def test_each_bad_input_is_reported_preserved_and_the_batch_goes_on(
    run_cli: RunCli, tmp_path: Path, store: Store
) -> None:
    folder = tmp_path / "batch"
    reasons = write_batch(folder)
    missing = tmp_path / "nowhere.txt"
    result = run_cli("ingest", str(folder), str(missing))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    for name, reason in reasons.items():
        [line] = [x for x in lines if x.startswith(f"error: {folder / name}: ")]
        assert reason in line
    assert f"error: {missing}: no such file or directory" in lines
    assert len(lines) == len(reasons) + 1
    assert result.stdout == (
        "ingested 8 file(s): 1 new document(s), 0 already present, 7 failed, 7 error(s)\n"
    )

    artifacts = artifact_rows(store)
    assert artifacts["good.txt"]["status"] == "document"
    for name, reason in reasons.items():
        assert artifacts[name]["status"] == "rejected"
        assert reason in str(artifacts[name]["reason"])
        data = (folder / name).read_bytes()
        assert store.artifacts.get(str(artifacts[name]["sha256"])) == data
    with store.connect() as conn:
        custody = conn.execute(
            select(tables.custody).where(tables.custody.c.action == "acquired")
        ).all()
    details = {
        Path(json.loads(c.detail)["source_path"]).name: json.loads(c.detail) for c in custody
    }
    for name, reason in reasons.items():
        assert any(reason in r for r in details[name]["rejected"])
    assert "rejected" not in details["good.txt"]
    assert store.count("documents") == 1


def test_jsonl_bad_lines_are_named_and_the_other_lines_go_on(
    run_cli: RunCli, tmp_path: Path, store: Store
) -> None:
    path = tmp_path / "articles.jsonl"
    lines = [
        json.dumps({"text": GOOD, "title": "Station strike", "published": "2022-04-08"}),
        "{this is not json",
        json.dumps({"title": "No body at all"}),
        json.dumps({"html": "<html><body><article><p>" + GOOD + "</p></article></body></html>"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("ingest", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {path}:2: not JSON "
        "(Expecting property name enclosed in double quotes at column 2)",
        f"error: {path}:3: needs a non-empty 'text' or 'html' field",
    ]
    assert result.stdout == (
        "ingested 1 file(s): 2 new document(s), 0 already present, 0 failed, 2 error(s)\n"
    )
    with store.connect() as conn:
        docs = conn.execute(select(tables.documents).order_by(tables.documents.c.locator)).all()
        artifact = conn.execute(select(tables.artifacts)).one()
    assert [d.locator for d in docs] == ["line:1", "line:4"]
    assert docs[0].title == "Station strike" and docs[0].published == "2022-04-08"
    assert artifact.status == "container"
    assert f"{path}:2: not JSON" in artifact.reason and f"{path}:3: needs" in artifact.reason


def test_oversized_input_is_preserved_but_not_read_naming_the_limit(
    run_cli: RunCli, tmp_path: Path, store: Store
) -> None:
    path = tmp_path / "long.txt"
    path.write_text(GOOD * 20, encoding="utf-8")
    result = run_cli("ingest", str(path), env={"DOSSIER_MAX_INPUT_BYTES": "1000"})
    assert result.exit_code == 1
    reason = (
        f"{path}: {path.stat().st_size} bytes is over the 1000-byte limit "
        "(DOSSIER_MAX_INPUT_BYTES); preserved, not read"
    )
    assert result.stderr == f"error: {reason}\n"
    [artifact] = artifact_rows(store).values()
    assert (artifact["status"], artifact["reason"]) == ("rejected", reason)
    assert artifact["size"] == path.stat().st_size
    assert store.artifacts.get(str(artifact["sha256"])) == path.read_bytes()
    with store.connect() as conn:
        [acquired] = conn.execute(select(tables.custody)).all()
    assert acquired.action == "acquired" and json.loads(acquired.detail)["rejected"] == [reason]
    assert store.count("documents") == 0


def test_a_fifo_is_not_read(run_cli: RunCli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    result = run_cli("ingest", str(fifo))
    assert result.exit_code == 1
    assert result.stderr == f"error: {fifo}: not a regular file (a FIFO)\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_reported(run_cli: RunCli, tmp_path: Path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text(GOOD, encoding="utf-8")
    path.chmod(0)
    try:
        result = run_cli("ingest", str(path))
    finally:
        path.chmod(0o644)
    assert result.exit_code == 1
    assert result.stderr == f"error: {path}: unreadable (Permission denied)\n"


def test_rss_and_atom_feeds_become_one_document_per_entry(run_cli: RunCli, store: Store) -> None:
    result = run_cli("ingest", str(DATA / "news.rss"), str(DATA / "updates.atom"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "ingested 2 file(s): 3 new document(s), 0 already present, 0 failed, 0 error(s)\n"
    )
    with store.connect() as conn:
        docs = {d.title: d for d in conn.execute(select(tables.documents)).all()}
    hospital = docs["Hospital damaged in overnight strike"]
    assert hospital.publisher == "Eastern Wire" and hospital.published == "2022-03-10"
    assert hospital.url == "https://wire.example.net/2022/03/10/hospital"
    assert hospital.text.startswith("A maternity hospital in Mariupol was badly damaged")
    assert "<p>" not in hospital.text
    village = docs["Bodies found in village after withdrawal"]
    assert village.author == "Taras Melnyk" and village.published == "2022-04-04"
    assert village.publisher == "Field Notes"


def test_a_rejected_artifact_that_yields_documents_later_is_reassessed(
    run_cli: RunCli, tmp_path: Path, store: Store
) -> None:
    # Regression: after the error's own advice (raise DOSSIER_MAX_INPUT_BYTES) the
    # documents were stored but the artifact stayed "rejected" as a gzip bomb.
    path = tmp_path / "feed.warc.gz"
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    body = ("<html><body><article><p>" + GOOD * 3 + "</p></article></body></html>").encode()
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    writer.write_record(
        writer.create_warc_record(
            "https://x.example.org/a", "response", payload=io.BytesIO(body), http_headers=headers
        )
    )
    path.write_bytes(buf.getvalue())
    refused = run_cli("ingest", str(path), env={"DOSSIER_MAX_INPUT_BYTES": "600"})
    assert refused.exit_code == 1 and "possible gzip bomb" in refused.stderr
    accepted = run_cli("ingest", str(path))
    assert accepted.exit_code == 0, accepted.stderr
    [artifact] = artifact_rows(store).values()
    assert (artifact["status"], artifact["reason"]) == ("container", None)
    with store.connect() as conn:
        actions = [r.action for r in conn.execute(select(tables.custody.c.action))]
    assert actions == ["acquired", "reassessed", "ingested"]
    assert run_cli("verify").exit_code == 0


def test_the_same_bytes_under_an_unreadable_name_do_not_demote_an_artifact(
    run_cli: RunCli, tmp_path: Path, store: Store
) -> None:
    good, renamed = tmp_path / "report.txt", tmp_path / "report.pdf"
    good.write_text(GOOD, encoding="utf-8")
    renamed.write_text(GOOD, encoding="utf-8")
    run_cli("ingest", str(good))
    assert run_cli("ingest", str(renamed)).exit_code == 1
    [artifact] = artifact_rows(store).values()
    assert artifact["status"] == "document"


def test_feed_artifacts_carry_their_media_type(run_cli: RunCli, store: Store) -> None:
    # Regression: Atom feeds were typed RSS and a broken .rss file application/octet-stream.
    run_cli("ingest", str(DATA / "news.rss"), str(DATA / "updates.atom"), str(DATA / "broken.rss"))
    types = {name: row["media_type"] for name, row in artifact_rows(store).items()}
    assert types == {
        "news.rss": "application/rss+xml",
        "updates.atom": "application/atom+xml",
        "broken.rss": "application/rss+xml",
    }


def test_an_unreadable_date_names_file_and_line_and_is_recorded(
    run_cli: RunCli, tmp_path: Path, store: Store
) -> None:
    # Regression: the error named the document hash, and the artifact row said nothing.
    path = tmp_path / "dated.jsonl"
    lines = [
        json.dumps({"text": GOOD, "published": "2022-04-08"}),
        json.dumps({"text": GOOD + " Again.", "published": "not a date at all"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("ingest", str(path))
    assert result.exit_code == 1
    reason = f"{path}:2: cannot read the date 'not a date at all'; give it as YYYY-MM-DD"
    assert result.stderr == f"error: {reason}\n"
    [artifact] = artifact_rows(store).values()
    assert (artifact["status"], artifact["reason"]) == ("container", reason)
    assert store.count("documents") == 1


def test_an_empty_folder_and_special_files_in_a_folder_are_reported(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # Regression: both were skipped without a word and the command exited 0.
    empty = tmp_path / "empty-folder"
    empty.mkdir()
    batch = tmp_path / "batch"
    batch.mkdir()
    (batch / "good.txt").write_text(GOOD, encoding="utf-8")
    os.mkfifo(batch / "pipe.txt")
    (batch / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    result = run_cli("ingest", str(empty), str(batch))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {empty}: folder holds no input files",
        f"skipped: {batch / 'gone.txt'}: symbolic link, not followed "
        "(give --follow-links to follow it)",
        f"error: {batch / 'pipe.txt'}: not a regular file (a FIFO)",
    ]
    assert result.stdout == (
        "ingested 3 file(s): 1 new document(s), 0 already present, 2 failed, 2 error(s), "
        "1 skipped\n"
    )
