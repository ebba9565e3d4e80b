"""Quotations: the quoted words, who said them, and whether the quote is direct or partial.

A quotation is text between matching quotation marks (marks.py finds them).

A quote is DIRECT when it stands as a clause of its own: it opens a sentence
or follows a colon or comma ("says, “what we see…”") and holds a verb. It is
PARTIAL when it is woven into the reporter's sentence ("called it a ‘senseless
murder of the innocent’").

The speaker is found by speakers.py over the sentences the quote touches, the
attribution before or after the quote, or in the sentences before it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Literal

from ...records import Entity, Quote, Speaker
from ..parsed import doc_text
from .marks import quoted_regions
from .speakers import find_speaker

if TYPE_CHECKING:
    from spacy.tokens import Doc


logger = logging.getLogger(__name__)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return start, end


def quote_kind(doc: Doc, start: int, end: int) -> Literal["direct", "partial"]:
    """DIRECT for a quoted clause standing on its own, PARTIAL for a phrase in a sentence."""
    text = doc_text(doc)
    k = start - 2  # the character before the opening mark
    while k >= 0 and text[k] in " \t":
        k -= 1
    before = text[k] if k >= 0 else "\n"
    embedded = before.isalnum()
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not any(t.pos_ in ("VERB", "AUX") for t in span):
        return "partial"
    if not embedded:
        return "direct"
    # 'told AFP "We are trying…"': a capitalised clause with its own subject is whole.
    if text[max(0, k - 4) : k + 1].lower().endswith("that"):
        return "partial"  # 'she said that "China is big"': reported speech with quoted words
    first = next((t for t in span if not t.is_punct), None)
    has_subject = any(t.dep_ in ("nsubj", "nsubjpass") for t in span)
    return "direct" if first is not None and first.is_title and has_subject else "partial"


def extract_quotes(doc: Doc, entities: list[Entity]) -> list[Quote]:
    """Quotations in ``doc`` with their speaker, span (marks excluded) and kind."""
    out: list[Quote] = []
    text = doc_text(doc)
    for inner_start, inner_end, _ in quoted_regions(text):
        start, end = _trim(text, inner_start, inner_end)
        if start >= end:
            continue
        speaker = find_speaker(doc, start, end, entities, quote=True)
        out.append(
            Quote(
                speaker=speaker if speaker is not None else Speaker(name=None),
                text=text[start:end],
                start=start,
                end=end,
                kind=quote_kind(doc, inner_start, inner_end),
            )
        )
    logger.debug("extracted %d quotes", len(out))
    return out
