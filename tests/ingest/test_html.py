"""HTML pages: the article text and its metadata, without navigation, footer or banners."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from sqlalchemy import select

from dossier.ingest import ingest_paths
from dossier.ingest.html import DEEP_NOTE
from dossier.store import tables
from dossier.store.database import Store

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"

STORY = [
    "Rockets struck a residential district in the north of Kharkiv on Monday morning",
    "Emergency services said four civilians were killed and at least eleven were wounded",
    "Residents who sheltered in basements overnight described hearing a series of explosions",
    "The regional governor called the attack a deliberate strike on civilians",
]
FURNITURE = [
    "We use cookies",
    "Accept all cookies",
    "Politics",
    "Sport",
    "Markets close lower",
    "Football league postpones",
    "All rights reserved",
    "Privacy policy",
    "Terms of use",
]


def stored_document(store: Store) -> dict[str, object]:
    with store.connect() as conn:
        return dict(conn.execute(select(tables.documents)).one()._mapping)


def test_html_page_keeps_the_article_and_drops_page_furniture(store: Store, tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    shutil.copy(DATA / "article-with-furniture.html", page)
    [result] = ingest_paths(store, [str(page)])
    assert result.failures == [] and len(result.new) == 1
    text = str(stored_document(store)["text"])
    for sentence in STORY:
        assert sentence in text
    for piece in FURNITURE:
        assert piece not in text


def test_html_metadata_is_extracted(store: Store) -> None:
    ingest_paths(store, [str(DATA / "article-with-furniture.html")])
    doc = stored_document(store)
    assert doc["title"] == "Shelling hits residential district in Kharkiv"
    assert doc["published"] == "2022-03-07"
    assert doc["publisher"] == "Northern Ledger"
    assert doc["author"] == "Maria Kovalenko"
    assert doc["url"] == "https://ledger.example.org/world/kharkiv-shelling"
    with store.connect() as conn:
        artifact = conn.execute(select(tables.artifacts)).one()._mapping
    assert artifact["media_type"] == "text/html" and artifact["status"] == "document"


def test_legacy_charset_declared_in_the_page_is_honoured(store: Store, tmp_path: Path) -> None:
    body = (
        '<html><head><meta charset="windows-1251"><title>Звіт</title></head><body><article>'
        + "<p>Обстріл пошкодив школу та лікарню в центрі міста у понеділок вранці.</p>" * 3
        + "</article></body></html>"
    )
    page = tmp_path / "cp1251.html"
    page.write_bytes(body.encode("windows-1251"))
    [result] = ingest_paths(store, [str(page)])
    assert result.failures == []
    assert "Обстріл пошкодив школу" in str(stored_document(store)["text"])


def deep_page(depth: int) -> str:
    story = "".join(f"<p>{s}.</p>" for s in STORY)
    return (
        "<html><head><title>Strike on Kharkiv</title><script>var x = 'hidden';</script>"
        "</head><body><p>Rockets struck Kharkiv; the full report follows below.</p>"
        + "<div>" * depth
        + story
        + "</div>" * depth
        + "</body></html>"
    )


def test_html_nested_past_the_parser_limit_keeps_its_text_with_a_note(
    store: Store, tmp_path: Path
) -> None:
    # Regression: past ~256 levels libxml2 dropped the deep text and the page was
    # rejected with "no article text found".
    for depth in (300, 5000):
        path = tmp_path / f"deep-{depth}.html"
        path.write_text(deep_page(depth), encoding="utf-8")
        [result] = ingest_paths(store, [str(path)])
        assert result.failures == [] and len(result.new) == 1
    with store.connect() as conn:
        docs = conn.execute(select(tables.documents)).all()
        notes = [
            json.loads(r.detail).get("notes")
            for r in conn.execute(
                select(tables.custody).where(tables.custody.c.action == "ingested")
            )
        ]
    for doc in docs:
        for sentence in STORY:
            assert sentence in doc.text
        assert "hidden" not in doc.text and "<div>" not in doc.text
        assert doc.title == "Strike on Kharkiv"
        assert doc.status == f"ok; {DEEP_NOTE}"
    assert notes == [[DEEP_NOTE], [DEEP_NOTE]]


def test_deep_html_with_an_unclosed_head_keeps_its_text(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "unclosed.html"
    page = deep_page(400).replace("</head>", "").replace("</script>", "</script><noscript>")
    path.write_text(page, encoding="utf-8")
    [result] = ingest_paths(store, [str(path)])
    assert result.failures == []
    doc = stored_document(store)
    assert all(sentence in str(doc["text"]) for sentence in STORY)


def test_html_within_the_parser_limit_is_read_as_usual(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "shallow.html"
    path.write_text(deep_page(200), encoding="utf-8")
    [result] = ingest_paths(store, [str(path)])
    assert result.failures == []
    doc = stored_document(store)
    assert doc["status"] == "ok"
    assert all(sentence in str(doc["text"]) for sentence in STORY)
