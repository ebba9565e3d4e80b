"""Cached reads of a parsed spaCy Doc that every room of extract/ shares."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span


def doc_text(doc: Doc) -> str:
    """``doc.text``, cached on the Doc: spaCy rebuilds the string on every access."""
    text = doc.user_data.get("dossier.text")
    if text is None:
        text = str(doc.text)
        doc.user_data["dossier.text"] = text
    return str(text)


def covering_span(doc: Doc, start: int, end: int) -> Span:
    """The tokens that cover characters ``start``..``end`` (spaCy's "expand" alignment)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:  # only offsets outside the text have no tokens
        raise ValueError(f"characters {start}..{end} lie outside the document")
    return span
