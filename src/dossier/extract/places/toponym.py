"""Normalise place names so spellings that differ only in form meet.

Case, diacritics, apostrophes (Khar'kov, Vinnyts'ka), periods (U.S., St.)
and hyphens (Ivano-Frankivsk) are not what tells two places apart; the
gazetteer stores every name in this form and looks mentions up in it.
"""

from __future__ import annotations

import re
import unicodedata

_DROP = re.compile(r"[.'’ʼ`´\u02bb\u02bc]")
_SPACE = re.compile(r"[\s\-‐‑–—_/,]+")
_LEADING_ARTICLE = re.compile(r"^the ")


def normalize_name(name: str) -> str:
    """Lower-case, strip diacritics and punctuation, collapse spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    # Cyrillic й and ё decompose into a base letter and a combining mark;
    # dropping the mark matches GeoNames' own transliterations.
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    text = _DROP.sub("", text)
    text = _SPACE.sub(" ", text).strip()
    return _LEADING_ARTICLE.sub("", text)
