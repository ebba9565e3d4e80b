"""Plain-text files: decode, drop page furniture, take the first line as title."""

from __future__ import annotations

from ..errors import MalformedInput
from .decode import decode_text
from .draft import DocumentDraft, Parsed
from .furniture import remove_furniture


def read_text(data: bytes, name: str) -> Parsed:
    """One document from a plain-text scrape."""
    text, removed = remove_furniture(decode_text(data, name))
    if not text:
        raise MalformedInput(name, "nothing but page furniture: no story text")
    return Parsed(
        "text/plain",
        [DocumentDraft(text=text, title=_title(text), removed_furniture=tuple(removed))],
    )


def _title(text: str) -> str | None:
    """The first line when it reads like a headline (short, no final full stop)."""
    first = text.split("\n", 1)[0].strip()
    if 0 < len(first) <= 200 and not first.endswith((".", "?", "!", ":")):
        return first
    return None
