"""HTML pages: main text and metadata (title, date, site, author) with trafilatura.

libxml2, under trafilatura, stops building the tree past 255 levels of
nesting and everything deeper is lost. A page nested deeper (hostile, or a
broken generator) is read by a plain-text pass over its tokens instead,
which keeps every word of it, and the document carries a note saying so.
"""

from __future__ import annotations

import logging
import re
from html.parser import HTMLParser

import lxml.etree
import lxml.html
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
    meta = {} if doc is None else doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    notes: tuple[str, ...] = ()
    if nested_too_deep(html):
        plain = PlainText.of(html)
        meta["text"] = plain.text
        meta["title"] = meta.get("title") or plain.title
        notes = (DEEP_NOTE,)
    elif doc is None:
        raise MalformedInput(name, "no article text found in the HTML")
    text, removed = remove_furniture(meta.get("text") or "")
    if not text.strip():
        raise MalformedInput(name, "no article text found in the HTML")
    return DocumentDraft(
        text=text,
        locator=locator,
        notes=notes,
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


DEEP_NOTE = (
    "text by plain-text fallback: the HTML is nested deeper than the parser's "
    "255-level limit, so page furniture may remain"
)


def nested_too_deep(html: str) -> bool:
    """Whether libxml2 stops at its nesting limit on ``html`` (and so would lose text)."""
    parser = lxml.html.HTMLParser()
    try:
        lxml.html.document_fromstring(html, parser=parser)
    except (lxml.etree.LxmlError, ValueError):
        return False  # trafilatura copes with what lxml refuses; the error is not depth
    return any("Excessive depth" in entry.message for entry in parser.error_log)


class PlainText(HTMLParser):
    """Every text node of a page, block elements as line breaks; no tree, so no depth limit."""

    # Code, not text. Nothing else is skipped: an unclosed <head> or <noscript>
    # must not swallow the article after it.
    SKIP = frozenset({"script", "style"})
    BLOCK = frozenset(
        [
            "address",
            "article",
            "aside",
            "blockquote",
            "br",
            "dd",
            "div",
            "dl",
            "dt",
            "figcaption",
            "figure",
            "footer",
            "form",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "header",
            "hr",
            "li",
            "main",
            "nav",
            "ol",
            "p",
            "pre",
            "section",
            "table",
            "td",
            "th",
            "tr",
            "ul",
        ]
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.in_title = False
        self.title_parts: list[str] = []

    @classmethod
    def of(cls, html: str) -> PlainText:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        elif tag in self.SKIP:
            self.skipping.append(tag)
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        elif self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        elif tag in self.BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        elif not self.skipping:
            self.parts.append(data)

    @property
    def text(self) -> str:
        lines = (_SPACE.sub(" ", line).strip() for line in "".join(self.parts).split("\n"))
        return "\n".join(line for line in lines if line)

    @property
    def title(self) -> str | None:
        return _SPACE.sub(" ", "".join(self.title_parts)).strip() or None


_SPACE = re.compile(r"\s+")
