"""Tokens, sentences and morphology of a Ukrainian or Russian text.

There is no offline parser for either language, so the Cyrillic analyser
reads a text as a list of tokens with their character spans, sentence index
and every lemma pymorphy3 offers (the dictionaries have no usable frequency
model for Ukrainian, so all readings are kept and the rules match any of
them). Sentences come from razdel within each line; a line break always ends
one, since headlines and paragraphs carry no full stop.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from ...errors import ConfigError

_TOKEN = re.compile(
    r"\d+-[^\W\d_]+|\d+(?:[.,\s]\d{3})+(?!\d)|\d+|[^\W\d_]+(?:['’ʼ\-][^\W\d_]+)*|[^\w\s]"
)
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "´": "'"})
_DICTIONARY_PACKAGES = {"uk": "pymorphy3-dicts-uk", "ru": "pymorphy3-dicts-ru"}


@dataclass(frozen=True)
class Token:
    """One word, number or mark, with its readings."""

    i: int
    text: str
    start: int
    end: int
    sent: int
    lower: str
    lemmas: frozenset[str]
    lemma: str  # the first reading's lemma
    tags: tuple[str, ...]  # the readings' grammemes, as pymorphy3 writes them
    value: int | None  # a number written in digits

    @property
    def capital(self) -> bool:
        return self.text[:1].isupper()

    @property
    def upper(self) -> bool:
        return len(self.text) > 1 and self.text.isupper()

    def has(self, grammeme: str) -> bool:
        """Whether any reading carries ``grammeme`` ("Name", "Surn", "Geox", "plur", ...)."""
        return any(grammeme in tag for tag in self.tags)


@functools.lru_cache(maxsize=2)
def morphology(language: str) -> Any:
    """pymorphy3's analyser for ``language``, loaded once per process."""
    try:
        import pymorphy3
    except ImportError as exc:  # a declared dependency: a broken install, say how to mend it
        raise ConfigError(
            "the Cyrillic analyser needs pymorphy3: run `pip install 'pymorphy3[fast]'`"
        ) from exc
    try:
        return pymorphy3.MorphAnalyzer(lang=language)
    except (ValueError, ImportError, OSError) as exc:
        package = _DICTIONARY_PACKAGES.get(language, f"pymorphy3-dicts-{language}")
        raise ConfigError(
            f"no pymorphy3 dictionary for language {language!r}: run `pip install {package}` "
            f"(or `pip install 'dossier[{language}]'`)"
        ) from exc


def available(language: str) -> bool:
    """Whether the morphology dictionary of ``language`` is installed."""
    try:
        morphology(language)
    except ConfigError:
        return False
    return True


@functools.lru_cache(maxsize=1 << 18)
def _readings(language: str, word: str) -> tuple[frozenset[str], str, tuple[str, ...]]:
    parses = morphology(language).parse(word)[:8]
    lemmas = frozenset(p.normal_form.translate(_APOSTROPHES) for p in parses) | {word}
    first = parses[0].normal_form.translate(_APOSTROPHES) if parses else word
    return lemmas, first, tuple(str(p.tag) for p in parses)


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: razdel within each line."""
    from razdel import sentenize

    out: list[tuple[int, int]] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            lead = offset + line.index(stripped[0])
            for sent in sentenize(stripped):
                out.append((lead + sent.start, lead + sent.stop))
        offset += len(line)
    return out


def tokenize(
    text: str, language: str, spans: list[tuple[int, int]] | None = None
) -> tuple[list[Token], list[tuple[int, int]]]:
    """Tokens of ``text`` (only inside ``spans`` when given) and the sentence spans they index."""
    sents = [
        (s, e)
        for s, e in sentences(text)
        if spans is None or any(a <= s and e <= b for a, b in spans)
    ]
    tokens: list[Token] = []
    for n, (s, e) in enumerate(sents):
        for m in _TOKEN.finditer(text, s, e):
            word = m.group(0)
            lower = word.lower().translate(_APOSTROPHES)
            value: int | None = None
            tags: tuple[str, ...]
            digits = re.sub(r"[.,\s]", "", word)
            if digits.isdigit():
                value = int(digits)
                lemmas, lemma, tags = frozenset({lower}), lower, ("NUMB",)
            elif word[0].isalpha():
                lemmas, lemma, tags = _readings(language, lower)
            else:
                lemmas, lemma, tags = frozenset({word}), word, ("PNCT",)
            tokens.append(
                Token(len(tokens), word, m.start(), m.end(), n, lower, lemmas, lemma, tags, value)
            )
    return tokens, sents


def inflect_nominative(word: str, language: str, want: str | None = None) -> str:
    """``word`` in the nominative singular, keeping its capitalisation ("Бучі" -> "Буча").

    ``want`` picks the reading with that grammeme first ("Surn", "Name", "Geox").
    """
    parses = morphology(language).parse(word.lower())
    if any("nomn" in str(p.tag) for p in parses):
        return word  # already a nominative (foreign names do not decline: "Мелані Жолі")
    if want is not None:
        parses = sorted(parses, key=lambda p: want not in str(p.tag))
    for parse in parses:
        form = parse.inflect({"nomn", "sing"}) or parse.inflect({"nomn"})
        if form is not None:
            out: str = form.word
            return out[:1].upper() + out[1:] if word[:1].isupper() else out
    return word


__all__ = ["Token", "available", "inflect_nominative", "morphology", "sentences", "tokenize"]
