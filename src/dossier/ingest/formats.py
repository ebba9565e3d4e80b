"""Choose the reader for an input by its name, then by its first bytes."""

from __future__ import annotations

from collections.abc import Callable

from ..errors import UnsupportedInput
from .draft import Parsed
from .feed import looks_like_feed, read_feed
from .html import read_html
from .jsonl import read_jsonl
from .text import read_text
from .warc import read_warc

Reader = Callable[[bytes, str, int], Parsed]

SUFFIXES = (
    ".txt",
    ".text",
    ".html",
    ".htm",
    ".warc",
    ".warc.gz",
    ".jsonl",
    ".rss",
    ".atom",
    ".xml",
)


def reader_for(name: str, data: bytes) -> Reader:
    """The reader for ``name``; UnsupportedInput names the formats Dossier reads."""
    lower = name.lower()
    if lower.endswith((".warc", ".warc.gz")):
        return read_warc
    if lower.endswith(".jsonl"):
        return lambda d, n, _cap: read_jsonl(d, n)
    if lower.endswith((".rss", ".atom")) or (lower.endswith(".xml") and looks_like_feed(data)):
        return lambda d, n, _cap: read_feed(d, n)
    if lower.endswith((".html", ".htm")):
        return lambda d, n, _cap: read_html(d, n)
    if lower.endswith((".txt", ".text")):
        return lambda d, n, _cap: read_text(d, n)
    raise UnsupportedInput(
        name,
        f"unsupported file type; Dossier reads {', '.join(SUFFIXES)} (feeds as .xml/.rss/.atom)",
    )
