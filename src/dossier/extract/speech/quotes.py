"""Quotations: the quoted words, who said them, and whether the quote is direct or partial.

A quotation is text between matching marks: curly double (“…”), straight
double ("…") or curly single (‘…’). A mark counts only
where a quotation mark can stand: an opening mark begins a word, a closing
mark ends one, so the apostrophes of "Canada’s" or "don't" are never marks. A
mark left unmatched before the next opening mark, or a quote longer than
MAX_QUOTE characters, is not a quote: a stray mark must not swallow the page.
A quotation nested inside another is part of the outer one.

A quote is DIRECT when it stands as a clause of its own: it opens a sentence
or follows a colon or comma ("says, “what we see…”") and holds a verb. It is
PARTIAL when it is woven into the reporter's sentence ("called it a ‘senseless
murder of the innocent’").

The speaker is found by speakers.py over the sentences the quote touches, the
attribution before or after the quote, or in the sentences before it.
"""

from __future__ import annotations

import logging
from typing import Any, Literal

from ...records import Entity, Quote, Speaker
from .speakers import doc_text, find_speaker

logger = logging.getLogger(__name__)

Doc = Any  # spacy.tokens.Doc

MAX_QUOTE = 2000
# Opening mark -> closing mark; a straight mark closes itself.
# Straight single marks are left out: they are far more often apostrophes
# ("the soldiers' homes", "the '90s") than quotation marks.
_PAIRS: dict[str, str] = {"“": "”", '"': '"', "‘": "’"}
_OPEN_BEFORE = set(" \t\n([{—–-/“‘\"'")  # what may stand before an opening mark
_CLOSE_AFTER = set(" \t\n)]}.,;:!?—–-/”’\"'")  # what may stand after a closing mark


def _can_open(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return before in _OPEN_BEFORE and not after.isspace()


def _can_close(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not before.isspace() and (after in _CLOSE_AFTER or not after.isalnum())


def _regions_for(text: str, opener: str) -> list[tuple[int, int]]:
    """Inner (start, end) of every well-formed quotation opened by ``opener``."""
    closer = _PAIRS[opener]
    single = opener == "‘"  # single-quoted phrases do not run across paragraphs
    out: list[tuple[int, int]] = []
    i = text.find(opener)
    while i != -1:
        if not _can_open(text, i):
            i = text.find(opener, i + 1)
            continue
        j, end = i + 1, -1
        limit = min(len(text), i + 1 + MAX_QUOTE)
        while j < limit:
            ch = text[j]
            if single and text.startswith("\n", j):
                break
            if ch == closer and _can_close(text, j) and j > i + 1:
                end = j
                break
            if ch == opener and opener != closer and _can_open(text, j):
                break  # a new opening mark first: this one was never closed
            j += 1
        if end == -1:
            i = text.find(opener, i + 1)
            continue
        out.append((i + 1, end))
        i = text.find(opener, end + 1)
    return out


def quoted_regions(text: str) -> list[tuple[int, int, str]]:
    """Inner (start, end, opening mark) of the outermost quotations in ``text``."""
    found = [(s, e, mark) for mark in _PAIRS for s, e in _regions_for(text, mark)]
    found.sort(key=lambda r: (r[0], -r[1]))
    out: list[tuple[int, int, str]] = []
    for start, end, mark in found:
        if out and start - 1 <= out[-1][1]:
            continue  # its opening mark is inside (or is the closing mark of) an earlier quotation
        out.append((start, end, mark))
    return out


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
