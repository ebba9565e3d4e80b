"""Restore the case of lower-case and all-caps text before it is parsed.

Wire copy, headlines, transcripts and some corpora come in one case. The
parser and the entity recogniser read capitals as the sign of a name, so
"russian troops shelled kharkiv" loses its places and "RUSSIAN TROOPS
SHELLED KHARKIV" its verbs. Such a text is parsed in a restored case built
from what Dossier already knows, never from a guess about the sample:

- the first letter of a sentence or a line;
- the lexicons: countries, demonyms and seats of government (``events.sides``),
  months and weekdays, "I";
- the gazetteer: a word or a run of up to three words that names a country,
  a region or a town (a word that is also a common English word, per the
  spaCy lemmatizer's word index, only when the place is large);
- a word that is neither in the word index nor a regular inflection of one
  ("stoltenberg", "melanie"): a name.

The restored text has exactly the original's length, character for
character, so every offset into it is an offset into the original; the
analyzer puts the original's characters back into every span it returns
(``restore_spans``): evidence quotes the text as it was received.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.pipeline import Lemmatizer

    from .places.gazetteer import Gazetteer

# Share of the letters that are capitals below which a text counts as lower case,
# and above which it counts as all caps.
LOWER_SHARE = 0.01
UPPER_SHARE = 0.85
# A place whose name is also a common word ("police", "bar", "of") restores its
# capital only when it is at least this large.
COMMON_WORD_POPULATION = 500_000
_WORD = re.compile(r"[^\W\d_]+(?:['’.][^\W\d_]+)*\.?", re.UNICODE)
_SENTENCE_END = re.compile(r"[.!?:\n\"“”]\s*$")
_FIXED = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
# Inflectional endings and what the base may end in once they are cut.
_SUFFIXES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("men", ("man",)),
    ("ies", ("y",)),
    ("ied", ("y",)),
    ("ing", ("", "e")),
    ("ed", ("", "e")),
    ("es", ("", "e")),
    ("s", ("",)),
    ("ly", ("", "le")),
    ("er", ("", "e")),
    ("est", ("", "e")),
    ("'s", ("",)),
    ("’s", ("",)),
)
_PREFIXES = (
    "re",
    "un",
    "non",
    "over",
    "under",
    "counter",
    "pre",
    "anti",
    "co",
    "mis",
    "out",
    "sub",
)
# Acronyms an all-caps or lower-case text keeps in capitals.
_ACRONYMS = frozenset(
    ["un", "nato", "eu", "icc", "osce", "unicef", "unhcr", "ohchr", "usa", "uae", "ussr"]
)


def needs_truecasing(text: str) -> bool:
    """Whether a text is in one case (lower or upper) throughout."""
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 20:
        return False
    upper = sum(c.isupper() for c in letters) / len(letters)
    return upper < LOWER_SHARE or upper > UPPER_SHARE


def _title(word: str) -> str:
    out = word[:1].upper() + word[1:]
    return out if len(out) == len(word) else word


@functools.lru_cache(maxsize=1)
def _lexicon_words() -> frozenset[str]:
    from .events.sides import _DEMONYMS, _country_names

    names: set[str] = set(_FIXED)
    names.update(_DEMONYMS)
    for name in _country_names():
        names.update(name.split())
    names -= {"the", "of", "and", "us", "u.s", "u.s."}
    return frozenset(names)


class Truecaser:
    """Restores case with the gazetteer, the lexicons and the spaCy model's vocabulary."""

    def __init__(self, nlp: Language, gazetteer: Gazetteer) -> None:
        self.nlp = nlp
        self.gazetteer = gazetteer
        self.common = _common_words(nlp)
        self._places: dict[str, int | None] = {}

    def _place_size(self, name: str) -> int | None:
        """Population of the largest place called ``name`` (countries and regions: large)."""
        if name not in self._places:
            size: int | None = None
            try:
                found = self.gazetteer.candidates(name) if self.gazetteer else []
            except Exception:  # a broken gazetteer must not stop parsing: case stays as is
                found = []
            for candidate in found:
                big = 10**8 if candidate.kind in ("country", "admin1") else candidate.population
                size = max(size or 0, big)
            self._places[name] = size
        return self._places[name]

    def _known(self, word: str) -> bool:
        """A common English word or a regular inflection of one ("roads", "scattered")."""
        if word in self.common or word in self.irregular:
            return True
        for prefix in _PREFIXES:  # "resupply", "unarmed", "counteroffensive"
            rest = word[len(prefix) :].lstrip("-")
            if word.startswith(prefix) and len(rest) > 3 and self._known(rest):
                return True
        for suffix, stems in _SUFFIXES:
            if word.endswith(suffix) and len(word) > len(suffix) + 2:
                base = word[: -len(suffix)]
                if any(base + tail in self.common for tail in stems):
                    return True
                if len(base) > 2 and base[-1] == base[-2] and base[:-1] in self.common:
                    return True  # "stopped", "shelling" from doubled consonants
        return False

    @functools.cached_property
    def irregular(self) -> frozenset[str]:
        """Irregular inflections the lemmatizer lists ("fled", "children")."""
        try:
            table = _lemmatizer(self.nlp).lookups.get_table("lemma_exc")
        except (KeyError, ValueError):
            return frozenset()
        return frozenset(w for key in table for w in table[key])

    def restore(self, text: str) -> str:
        """``text`` in restored case, of the same length."""
        lower = text.lower()
        if len(lower) != len(text):
            lower = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
        out = list(lower)
        matches = list(_WORD.finditer(lower))
        words = [m.group().rstrip(".") for m in matches]
        capital = [False] * len(matches)
        skip = 0
        for i, match in enumerate(matches):
            if skip:
                skip -= 1
                continue
            word = words[i]
            # Runs of two and three words that name a place: "new york", "bila tserkva".
            for n in (3, 2):
                run = words[i : i + n]
                if (
                    len(run) == n
                    and all(len(w) > 1 for w in run)
                    and not set(run) & self.common_stop
                ):
                    gap = lower[match.start() : matches[i + n - 1].end()]
                    if "\n" not in gap and (self._place_size(" ".join(run)) or 0) >= 10_000:
                        capital[i : i + n] = [True] * n
                        skip = n - 1
                        break
            if skip:
                continue
            if word in self.common_stop:
                continue
            if word in _lexicon_words() or word == "i":
                capital[i] = True
                continue
            size = self._place_size(word) if len(word) > 2 else None
            if size is not None and (not self._known(word) or size >= COMMON_WORD_POPULATION):
                capital[i] = True
            elif len(word) > 2 and word.isalpha() and not self._known(word):
                capital[i] = True  # no English word nor an inflection of one: a name
        for i, match in enumerate(matches):
            word = words[i]
            start = match.start()
            before = lower[max(0, start - 3) : start]
            first = (
                i == 0
                or bool(_SENTENCE_END.search(lower[max(0, start - 4) : start]))
                or (not before.strip() and "\n" in lower[max(0, start - 2) : start])
            )
            if word in _ACRONYMS:
                cased = word.upper()
            elif capital[i] or first:
                cased = _title(word)
            else:
                continue
            out[start : start + len(word)] = list(cased)
        restored = "".join(out)
        return restored if len(restored) == len(text) else text

    @functools.cached_property
    def common_stop(self) -> frozenset[str]:
        defaults = getattr(self.nlp, "Defaults", None)
        return frozenset(getattr(defaults, "stop_words", ()) or ())


def _lemmatizer(nlp: Language) -> Lemmatizer:
    """The pipeline's lookup lemmatizer; KeyError when it has none (or another kind)."""
    from spacy.pipeline import Lemmatizer

    pipe = nlp.get_pipe("lemmatizer")
    if not isinstance(pipe, Lemmatizer):
        raise KeyError("lemmatizer")
    return pipe


def _common_words(nlp: Language) -> frozenset[str]:
    """The English word index of the model's lemmatizer (WordNet's lemmas), lower case."""
    try:
        table = _lemmatizer(nlp).lookups.get_table("lemma_index")
    except (KeyError, ValueError):
        return frozenset()
    out: set[str] = set()
    for key in table:
        out.update(w for w in table[key] if "_" not in w)
    return frozenset(out)


R = TypeVar("R")


def restore_spans(record: R, original: str) -> R:
    """``record`` with every (text, start, end) span's text read from ``original`` again."""
    if isinstance(record, tuple):
        return type(record)(restore_spans(r, original) for r in record)
    if isinstance(record, list):
        return [restore_spans(r, original) for r in record]  # type: ignore[return-value]
    if not dataclasses.is_dataclass(record) or isinstance(record, type):
        return record
    changes: dict[str, Any] = {}
    for f in dataclasses.fields(record):
        value = getattr(record, f.name)
        if isinstance(value, (tuple, list)) or (
            dataclasses.is_dataclass(value) and not isinstance(value, type)
        ):
            new = restore_spans(value, original)
            if new is not value:
                changes[f.name] = new
    names = {f.name for f in dataclasses.fields(record)}
    if {"text", "start", "end"} <= names:
        start, end = record.start, record.end  # type: ignore[attr-defined]
        if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(original):
            text = record.text  # type: ignore[attr-defined]
            if isinstance(text, str) and len(text) == end - start:
                changes["text"] = original[start:end]
    return dataclasses.replace(record, **changes) if changes else record
