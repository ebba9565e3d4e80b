"""WARC files written with warcio: one document per HTML response, truncation and bombs reported."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from sqlalchemy import select
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dossier.config import Settings
from dossier.ingest import ingest_paths
from dossier.ingest.runner import FileResult
from dossier.store import tables
from dossier.store.database import Store

TOWNS = ["Irpin", "Hostomel", "Borodianka"]


def page(town: str) -> bytes:
    return f"""<html><head><title>Strike reported in {town}</title></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Strike reported in {town}</h1>
<p>Artillery shells hit the central market of {town} on Tuesday morning,
witnesses told reporters.</p>
<p>Local officials in {town} said several civilians were killed
and many more wounded in the attack.</p>
<p>Emergency crews worked through the night to search for survivors
under collapsed buildings.</p>
</article>
<footer>Copyright 2022 Example News. All rights reserved.</footer></body></html>""".encode()


def response(writer: WARCWriter, uri: str, body: bytes, ctype: str) -> None:
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", ctype), ("Content-Length", str(len(body)))], protocol="HTTP/1.1"
    )
    writer.write_record(
        writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=headers)
    )


def make_warc(gz: bool, *, image_last: bool = False) -> bytes:
    """Three HTML responses and one PNG response (first, or last when ``image_last``)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    png = b"\x89PNG\r\n\x1a\n" + bytes(200)
    if not image_last:
        response(writer, "https://news.example.org/logo.png", png, "image/png")
    for town in TOWNS:
        response(
            writer,
            f"https://news.example.org/{town.lower()}",
            page(town),
            "text/html; charset=utf-8",
        )
    if image_last:
        response(writer, "https://news.example.org/logo.png", png, "image/png")
    return buf.getvalue()


def documents(store: Store) -> list[dict[str, object]]:
    with store.connect() as conn:
        rows = conn.execute(select(tables.documents).order_by(tables.documents.c.url)).all()
    return [dict(r._mapping) for r in rows]


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_one_document_per_html_response(store: Store, tmp_path: Path, gz: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    path.write_bytes(make_warc(gz))
    [result] = ingest_paths(store, [str(path)])
    assert result.failures == []
    assert len(result.new) == 3
    docs = documents(store)
    assert sorted(str(d["url"]) for d in docs) == sorted(
        f"https://news.example.org/{t.lower()}" for t in TOWNS
    )
    for doc in docs:
        town = str(doc["url"]).rsplit("/", 1)[1].title()
        assert doc["title"] == f"Strike reported in {town}"
        assert f"Artillery shells hit the central market of {town}" in str(doc["text"])
        assert "Sport" not in str(doc["text"]) and "All rights reserved" not in str(doc["text"])
        assert str(doc["locator"]).startswith("record:")
    with store.connect() as conn:
        artifact = conn.execute(select(tables.artifacts)).one()._mapping
    assert artifact["status"] == "container" and artifact["media_type"] == "application/warc"


def ingest_cut(store: Store, tmp_path: Path, data: bytes, name: str) -> FileResult:
    path = tmp_path / name
    path.write_bytes(data)
    [result] = ingest_paths(store, [str(path)])
    return result


@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_truncated_warc_keeps_complete_records_and_names_the_cut_one(
    store: Store, tmp_path: Path, gz: bool
) -> None:
    data = make_warc(gz)
    name = "cut.warc.gz" if gz else "cut.warc"
    # Cut in the middle of the last HTML record's body (the fourth response, after the PNG).
    result = ingest_cut(store, tmp_path, data[: len(data) - 150], name)
    assert len(result.new) == 2
    assert result.failures, "the truncated record must be reported"
    assert all(str(tmp_path / name) in f for f in result.failures)
    assert any("truncated record" in f and "record:3@" in f for f in result.failures)
    assert result.status == "partial"


@pytest.mark.parametrize(
    "cut_after_start", [3, 40, 150, -10], ids=["version", "header", "http", "body"]
)
def test_warc_cut_inside_a_trailing_non_html_record_is_reported(
    store: Store, tmp_path: Path, cut_after_start: int
) -> None:
    # Regression: a record cut inside its WARC header used to vanish without a word
    # (or, cut at the very start of the header, crash the whole batch with OSError).
    data = make_warc(False, image_last=True)
    last_start = data.rfind(b"WARC/1.")
    cut = last_start + cut_after_start if cut_after_start > 0 else len(data) + cut_after_start
    result = ingest_cut(store, tmp_path, data[:cut], "tail.warc")
    assert len(result.new) == 3
    assert len(result.failures) == 1
    assert result.failures[0].startswith(str(tmp_path / "tail.warc"))
    assert "truncated" in result.failures[0] or "unreadable WARC record" in result.failures[0]


def test_gzip_bomb_is_refused_with_no_documents(tmp_path: Path) -> None:
    store = Store.open(Settings(home=tmp_path / "home", max_input_bytes=5 * 1024 * 1024))
    record = make_warc(False)
    bomb = gzip.compress(record + bytes(200 * 1024 * 1024), compresslevel=1)
    assert len(bomb) < 1024 * 1024
    result = ingest_cut(store, tmp_path, bomb, "bomb.warc.gz")
    assert result.new == []
    [failure] = result.failures
    assert failure.startswith(str(tmp_path / "bomb.warc.gz"))
    assert "possible gzip bomb" in failure and "DOSSIER_MAX_INPUT_BYTES" in failure
    assert store.count("documents") == 0
    with store.connect() as conn:
        artifact = conn.execute(select(tables.artifacts)).one()._mapping
    assert artifact["status"] == "rejected" and "gzip bomb" in artifact["reason"]
