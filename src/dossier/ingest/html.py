"""HTML pages: main text and metadata (title, date, site, author) with trafilatura."""

from __future__ import annotations

import logging

import trafilatura

from ..errors import MalformedInput
from .decode import decode_text
from .draft import DocumentDraft, Parsed
from .furniture import remove_furniture

log = logging.getLogger(__name__)
logging.getLogger("trafilatura").setLevel(logging.ERROR)


def extract_html(
    html: str, name: str, *, url: str | None = None, locator: str = ""
) -> DocumentDraft:
    """The article in one HTML page; MalformedInput when no main text is found."""
    doc = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, favor_recall=True
    )
    if doc is None:
        raise MalformedInput(name, "no article text found in the HTML")
    meta = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text, removed = remove_furniture(meta.get("text") or "")
    if not text.strip():
        raise MalformedInput(name, "no article text found in the HTML")
    return DocumentDraft(
        text=text,
        locator=locator,
        title=meta.get("title") or None,
        url=meta.get("url") or url,
        publisher=meta.get("sitename") or meta.get("hostname") or None,
        author=meta.get("author") or None,
        published=meta.get("date") or None,
        removed_furniture=tuple(removed),
    )


def read_html(data: bytes, name: str) -> Parsed:
    return Parsed("text/html", [extract_html(decode_html(data, name), name)])


def decode_html(data: bytes, name: str) -> str:
    """UTF-8 first; a legacy charset declared in the page is honoured."""
    try:
        return decode_text(data, name)
    except MalformedInput:
        head = data[:4096].decode("ascii", "ignore").lower()
        for marker in ("charset=", "encoding="):
            if marker in head:
                charset = head.split(marker, 1)[1].strip("\"' ").split('"')[0].split("'")[0]
                charset = charset.split(";")[0].split(">")[0].split()[0].strip("\"'/")
                try:
                    return data.decode(charset)
                except (LookupError, UnicodeDecodeError):
                    break
        raise
