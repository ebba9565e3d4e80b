"""Search forms of Ukrainian and Russian text: lemmas and Latin transliterations.

Full-text search matches words as written, so "Буча" would not find "у Бучі"
and "Bucha" would find no Cyrillic text. For each Cyrillic document the
analyser records every word's lemmas and the transliteration of each; the
search index holds them beside the text, and a query is expanded the same
way (``query_forms``).
"""

from __future__ import annotations

import functools
import re

from ...translit import transliterate
from ..places.toponym import normalize_name
from .tokens import Token, available, tokenize

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Forms longer than this are not words anyone searches for.
_MAX_FORM = 40


@functools.lru_cache(maxsize=1 << 18)
def _latin(word: str, language: str) -> str:
    return normalize_name(transliterate(word, language))


def search_forms(tokens: list[Token], language: str) -> tuple[str, ...]:
    """Every word's lemmas and their transliterations, once each, in first-seen order."""
    out: dict[str, None] = {}
    for tok in tokens:
        if not tok.text[:1].isalpha():
            continue
        for form in (tok.lower, *sorted(tok.lemmas)):
            if 1 < len(form) <= _MAX_FORM:
                out.setdefault(form, None)
                out.setdefault(_latin(form, language), None)
    return tuple(out)


def query_forms(word: str) -> set[str]:
    """What one query word may match in the forms index: itself and, for a Cyrillic word,
    its lemmas in Ukrainian and Russian."""
    found = {word.lower()}
    if _CYRILLIC.search(word):
        for language in ("uk", "ru"):
            if available(language):
                tokens, _ = tokenize(word, language)
                for tok in tokens:
                    found.update(tok.lemmas)
    return {f for f in found if f}


__all__ = ["query_forms", "search_forms"]
