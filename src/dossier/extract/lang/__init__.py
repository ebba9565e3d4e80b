"""Per-language analysers: English through spaCy (``extract.analyzer``), Ukrainian and
Russian through the Cyrillic rules here (``cyrillic.CyrillicAnalyzer``).

``ANALYSED`` lists the languages Dossier reads; any other is preserved and
reported "not analysed". ``sentence_languages`` splits a document that mixes
scripts into the language of each sentence.
"""

from __future__ import annotations

import re

from .tokens import sentences

ANALYSED = ("en", "uk", "ru")
CYRILLIC = ("uk", "ru")

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_UK_ONLY = re.compile(r"[іїєґІЇЄҐ]")
_RU_ONLY = re.compile(r"[ыэъёЫЭЪЁ]")
# A sentence needs this many letters of a script to be read in that script's language.
MIN_LETTERS = 12


def sentence_language(sentence: str, document: str | None) -> str | None:
    """The language to read one sentence in: by script, Ukrainian and Russian by their letters."""
    cyrillic = len(_CYRILLIC.findall(sentence))
    latin = len(_LATIN.findall(sentence))
    if max(cyrillic, latin) < MIN_LETTERS:
        return None
    if latin >= cyrillic:
        return "en" if document in (None, "en", *CYRILLIC) else document
    uk, ru = len(_UK_ONLY.findall(sentence)), len(_RU_ONLY.findall(sentence))
    if uk > ru:
        return "uk"
    if ru > uk:
        return "ru"
    return document if document in CYRILLIC else "ru" if document != "uk" else "uk"


def sentence_languages(text: str, document: str | None) -> list[tuple[int, int, str]]:
    """(start, end, language) of each sentence that has enough letters to tell."""
    out = []
    for start, end in sentences(text):
        language = sentence_language(text[start:end], document)
        if language is not None:
            out.append((start, end, language))
    return out


__all__ = ["ANALYSED", "CYRILLIC", "sentence_language", "sentence_languages"]
