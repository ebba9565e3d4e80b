"""Places in Ukrainian and Russian text: inflected names back to the gazetteer.

A capitalised word (or two: "Часовому Яру") is looked up under every
nominative reading pymorphy3 gives it ("у Бучі" -> "Буча", "Харкова" ->
"Харків"); the gazetteer's GeoNames data carries the Cyrillic alternate
names of towns. Countries and first-level regions, for which GeoNames has
English names only, come from ``regions.py`` ("Донецької області",
"на Харківщині"). Among a name's candidates the rank prefers the countries
and regions the document names, the candidate whose Latin name matches the
word's transliteration, and then population. Two readings are kept beside the
place: a name right after "near" ("під Києвом") and a name that is part of a
title ("Міністерка закордонних справ Канади") are not where an event happened.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass

from ...records import Place, PlaceMention
from ...translit import transliterate
from ..places.gazetteer import Candidate, Gazetteer
from ..places.toponym import normalize_name
from .lexicon import Lexicon
from .regions import COUNTRIES, COUNTRY_PHRASES, REGIONS, region_country
from .tokens import Token

# Words after which a capitalised name is a place: "у Бучі", "село Журавлівка".
_PLACE_PREPOSITIONS = frozenset(
    [
        "у",
        "в",
        "з",
        "із",
        "зі",
        "під",
        "до",
        "біля",
        "поблизу",
        "біля",
        "через",
        "по",
        "во",
        "из",
        "под",
        "около",
    ]
)
_SETTLEMENTS = frozenset(
    [
        "місто",
        "село",
        "селище",
        "смт",
        "містечко",
        "город",
        "посёлок",
        "поселок",
        "деревня",
        "станица",
    ]
)
_NOT_NAMES = frozenset(
    ["NPRO", "PREP", "CONJ", "PRCL", "INTJ", "ADVB", "VERB", "INFN", "PRED", "COMP", "GRND", "ADJF"]
)


@dataclass
class CyrillicPlace:
    """A place mention with what the event rules need to know about its context."""

    mention: PlaceMention
    first: int  # token indexes
    last: int
    sent: int
    near: bool = False  # "під Києвом": near, not in
    affiliation: bool = False  # "міністр ... Канади": part of a title


# Countries and regions are few and looked up often (the gazetteer has no index for them).
_COARSE: dict[tuple[str, str, str], Place | None] = {}


def _country(gaz: Gazetteer, code: str) -> Place | None:
    key = (str(gaz.path), "country", code)
    if key not in _COARSE:
        _COARSE[key] = gaz.country(code)
    return _COARSE[key]


def _region(gaz: Gazetteer, admin1: str) -> Place | None:
    key = (str(gaz.path), "admin1", admin1)
    if key not in _COARSE:
        _COARSE[key] = gaz.admin1(admin1, region_country(admin1))
    return _COARSE[key]


def _candidates(gaz: Gazetteer, names: list[str]) -> list[Candidate]:
    for name in names:
        found = [c for c in gaz.candidates(name) if c.kind in ("locality", "admin2")]
        if found:
            return found
    return []


def _readings(tokens: list[Token]) -> list[str]:
    """Names to look a run of tokens up under: each word's lemmas, then the words as written."""
    options: list[list[str]] = []
    for tok in tokens:
        forms = [lemma for lemma in sorted(tok.lemmas) if lemma != tok.lower] + [tok.lower]
        options.append(forms[:4])
    names: list[str] = []
    if len(options) == 1:
        names = options[0]
    else:
        names = [f"{a} {b}" for a in options[0] for b in options[1]]
    names.append(" ".join(t.lower for t in tokens))
    return list(dict.fromkeys(names))


def _score(c: Candidate, word: str, language: str, countries: set[str], regions: set[str]) -> float:
    latin = normalize_name(transliterate(word, language))
    similarity = difflib.SequenceMatcher(None, latin, normalize_name(c.place.name)).ratio()
    score = math.log10(c.population + 10) + 3 * similarity
    if c.place.country in countries:
        score += 2
    if c.place.admin1 in regions:
        score += 2
    return score


def find_places(
    tokens: list[Token],
    lexicon: Lexicon,
    gaz: Gazetteer,
    text: str,
    people: set[int] | frozenset[int] = frozenset(),
) -> list[CyrillicPlace]:
    """Every place the tokens name, resolved, in text order (``people``: tokens of names)."""
    found: list[CyrillicPlace] = []
    pending: list[tuple[int, int, list[Candidate]]] = []
    used: set[int] = set(people)
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if i in used or not tok.text[:1].isalpha():
            continue
        nxt = tokens[i + 1] if i + 1 < n and tokens[i + 1].sent == tok.sent else None
        # A region: "Донецької області", "на Харківщині"; a country: "України", "США".
        if nxt is not None and nxt.lemmas & lexicon.region_nouns and "область" in nxt.lemmas:
            admin1 = next((REGIONS[lem] for lem in tok.lemmas if lem in REGIONS), None)
            if admin1 is not None:
                place = _region(gaz, admin1)
                if place is not None:
                    found.append(_mention(text, tokens, i, i + 1, place))
                    used.update((i, i + 1))
                    continue
        if not tok.capital:
            continue
        if nxt is not None and nxt.capital:
            code = next(
                (
                    COUNTRY_PHRASES[(a, b)]
                    for a in tok.lemmas
                    for b in nxt.lemmas
                    if (a, b) in COUNTRY_PHRASES
                ),
                None,
            )
            if code is not None and (place := _country(gaz, code)) is not None:
                found.append(_mention(text, tokens, i, i + 1, place))
                used.update((i, i + 1))
                continue
        code = next((COUNTRIES[lem] for lem in tok.lemmas if lem in COUNTRIES), None)
        if code is not None and (place := _country(gaz, code)) is not None:
            found.append(_mention(text, tokens, i, i, place))
            used.add(i)
            continue
        admin1 = next((REGIONS[lem] for lem in tok.lemmas if lem in REGIONS), None)
        if admin1 is not None and not tok.has("ADJF"):  # "Харківщина", "Крим"
            place = _region(gaz, admin1)
            if place is not None:
                found.append(_mention(text, tokens, i, i, place))
                used.add(i)
                continue
        prev = tokens[i - 1] if i > 0 and tokens[i - 1].sent == tok.sent else None
        placed = prev is not None and (
            prev.lower in _PLACE_PREPOSITIONS or bool(prev.lemmas & _SETTLEMENTS)
        )
        # Towns: two capitalised words first ("Часів Яр", "Кривий Ріг"), then one.
        if nxt is not None and nxt.capital and not nxt.upper and nxt.i not in used:
            two = _candidates(gaz, _readings([tok, nxt]))
            if two:
                pending.append((i, i + 1, two))
                used.update((i, i + 1))
                continue
        # The Ukrainian dictionary orders readings arbitrarily, so any reading counts:
        # a capitalised pronoun, verb, adverb or adjective ("Мене", "Так", "Українська")
        # starts a sentence or a name; a lone first name is rarely a town. Either is a
        # place only right after "у", "під", "село" ...
        kinds = {tag.split(",")[0].split(" ")[0] for tag in tok.tags}
        if (
            not tok.has("Geox")
            and not placed
            and (
                tok.upper
                or tok.lemmas & lexicon.not_places
                or kinds & _NOT_NAMES
                or any("Name" in tag for tag in tok.tags[:1])
            )
        ):
            continue
        one = _candidates(gaz, _readings([tok]))
        if one:
            pending.append((i, i, one))
            used.add(i)
    countries = {m.mention.place.country or "" for m in found}
    regions = {m.mention.place.admin1 or "" for m in found if m.mention.place.precision == "admin1"}
    # Ukrainian- and Russian-language reports of this war are mostly about places in
    # Ukraine: its towns win a tie with namesakes elsewhere unless the text says otherwise.
    countries.add("UA")
    language = lexicon.code
    for first, last, cands in pending:
        word = " ".join(t.text for t in tokens[first : last + 1])
        best = max(cands, key=lambda c: _score(c, word, language, countries, regions))  # noqa: B023
        found.append(_mention(text, tokens, first, last, best.place))
    found.sort(key=lambda m: m.first)
    for m in found:
        m.near = _after(tokens, m.first, lexicon.near_words, 2)
        m.affiliation = _after(tokens, m.first, lexicon.role_nouns | {"справа", "дело"}, 3)
    return found


def _after(tokens: list[Token], first: int, words: frozenset[str], window: int) -> bool:
    """Whether one of ``words`` stands within ``window`` tokens before ``first``, same sentence."""
    sent = tokens[first].sent
    for k in range(max(0, first - window), first):
        if tokens[k].sent == sent and tokens[k].lemmas & words:
            return True
    return False


def _mention(text: str, tokens: list[Token], first: int, last: int, place: Place) -> CyrillicPlace:
    start, end = tokens[first].start, tokens[last].end
    return CyrillicPlace(
        PlaceMention(text[start:end], start, end, place), first, last, tokens[first].sent
    )


__all__ = ["CyrillicPlace", "find_places"]
