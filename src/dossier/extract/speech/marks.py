"""Quotation marks: where a quotation begins and ends in a text.

A quotation is text between matching marks: curly double (“…”), straight
double ("…") or curly single (‘…’). A mark counts only
where a quotation mark can stand: an opening mark begins a word, a closing
mark ends one, so the apostrophes of "Canada’s" or "don't" are never marks. A
mark left unmatched before the next opening mark, or a quote longer than
MAX_QUOTE characters, is not a quote: a stray mark must not swallow the page.
A quotation nested inside another is part of the outer one.

quotes.py turns the regions into quotes; speakers.py reads them to leave a speech
verb inside a quotation uncounted. Both import this module, neither the other.
"""

from __future__ import annotations

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
