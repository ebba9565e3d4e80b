"""Find the places a document names and resolve each to a gazetteer entry.

Detection: spaCy's GPE, LOC and FAC entities, extended by a following
region word ("the Kyiv region", "Donetsk oblast", "Rapides Parish"), plus
capitalised "X Oblast/Region/Province" phrases the model missed. Adjectives
("Ukrainian troops") are not places: NORP entities are never read, and a
GPE made only of adjectives is skipped.

Resolution scores every candidate of a mention by general evidence, then
rescores with what the rest of the document says:

- prior: log population, the entry's own name over an alternate spelling,
  the kind the phrase asks for (a region word wants a region);
- "X, Y" apposition: Y (a region or country) must contain X ("Paris, Texas");
- document context: the countries and first-level regions of the other
  mentions, and distance to the other places ("Bucha, outside Kyiv").
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...geo import haversine_km
from ...records import Place, PlaceMention
from .gazetteer import Candidate, Gazetteer, get_gazetteer

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

ENTITY_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Region words of English news, by the administrative level they name.
ADMIN1_WORDS = frozenset(
    {"region", "oblast", "province", "governorate", "krai", "state", "prefecture"}
)
ADMIN2_WORDS = frozenset({"county", "parish", "district", "raion", "municipality", "borough"})
_REGION_PHRASE = re.compile(
    r"\b([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,2}) "
    r"(?:[Oo]blast|[Rr]egion|[Pp]rovince|[Gg]overnorate|[Kk]rai)\b"
)
_APPOSITION = re.compile(r"^,\s?$")
# A proper noun after one of these is a place far more often than not
# ("in Bucha", "outside Kyiv"), whatever label the model gave it.
# Person names follow "of", "to" or "at" as often as places do, so only
# the strictly spatial prepositions rescue a PERSON.
SPATIAL_PREPOSITIONS = frozenset(
    {
        "in",
        "near",
        "outside",
        "into",
        "across",
        "around",
        "toward",
        "towards",
        "through",
        "inside",
        "within",
        "throughout",
    }
)
LOCATIVE_PREPOSITIONS = SPATIAL_PREPOSITIONS | {"from", "at", "to", "of", "between", "via"}
# "of" introduces a place when the noun it hangs on is one that only places
# have ("the mayor of X", "residents of X", "the outskirts of X"); then it is
# as strong a cue as "in", even for a name the model took for a person.
PLACE_OF_HEADS = frozenset(
    {
        "mayor",
        "governor",
        "resident",
        "outskirt",
        "suburb",
        "centre",
        "center",
        "city",
        "town",
        "village",
        "district",
        "region",
        "province",
        "oblast",
        "municipality",
        "people",
    }
)
RESCUE_LABELS = frozenset({"PERSON", "ORG", "NORP", "PRODUCT", ""})
RESCUE_MIN_POPULATION = 100_000
# A hamlet's name is more often a surname or a word than a place.
RESCUE_MIN_LOCALITY = 1_000
# Organisations named after their place ("Ohio State University", "Gainesville
# Police Department"): the leading name locates the organisation.
ORG_PREFIX_LABELS = frozenset({"ORG", "FAC"})
# Directions and generic geographic nouns head many organisation names
# ("Northwest Airlines", "Gulf Oil") and are places only in GeoNames.
GENERIC_WORDS = frozenset(
    {
        "north",
        "south",
        "east",
        "west",
        "northeast",
        "northwest",
        "southeast",
        "southwest",
        "central",
        "northern",
        "southern",
        "eastern",
        "western",
        "gulf",
        "coast",
        "bay",
        "river",
        "lake",
        "city",
        "county",
        "state",
        "metro",
        "police",
        "naval",
        "national",
        "union",
    }
)
ROUNDS = 2


@dataclass
class _Mention:
    text: str
    start: int
    end: int
    lookup: str
    want: str | None  # "admin1", "admin2" or None: the kind a region word asks for
    candidates: list[Candidate]
    scores: list[float] = field(default_factory=list)
    container: _Mention | None = None  # Y of "X, Y"

    @property
    def best(self) -> Candidate | None:
        if not self.candidates:
            return None
        return self.candidates[max(range(len(self.candidates)), key=self.scores.__getitem__)]


def _km(a: Place, b: Place) -> float:
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _prior(c: Candidate, want: str | None) -> float:
    score = math.log10(c.population + 1) + (2.5 if c.primary else 0.0) + (1.5 if c.capital else 0.0)
    if want is not None:
        return score + (5.0 if c.kind == want else 0.0)
    # A bare name is a country or a town far more often than a district.
    return (
        score
        + {"continent": 2.0, "country": 2.0, "admin1": 0.0, "locality": 0.5, "admin2": -1.0}[c.kind]
    )


def _contains(outer: Candidate, inner: Candidate) -> bool:
    o, i = outer.place, inner.place
    if o.country != i.country or outer is inner:
        return False
    if outer.kind in ("country", "continent"):
        return inner.kind not in ("country", "continent")
    if outer.kind == "admin1":
        return inner.admin1_code == outer.admin1_code and inner.kind in ("admin2", "locality")
    return outer.kind == "admin2" and inner.kind == "locality" and i.admin2 == o.admin2


def _context_score(c: Candidate, others: Sequence[Candidate]) -> float:
    if not others:
        return 0.0
    countries = Counter(o.place.country for o in others)
    regions = Counter(o.region_key for o in others if o.kind not in ("country", "continent"))
    score = 2.5 * min(countries[c.place.country], 2) / 2 if c.place.country else 0.0
    if c.kind not in ("country", "continent") and regions[c.region_key]:
        score += 2.0
    near = min(
        (_km(c.place, o.place) for o in others if o.kind in ("locality", "admin2")), default=1e9
    )
    if c.kind in ("locality", "admin2"):
        score += 2.0 if near < 100 else 1.0 if near < 300 else 0.0
    return score


def _rank(mentions: list[_Mention]) -> None:
    for m in mentions:
        m.scores = [_prior(c, m.want) for c in m.candidates]
    # Each mention is rescored against the others' *current* best, one at a
    # time: updating all at once let two ambiguous names flip each other's
    # country every round ("London" and "Brampton": both English towns and
    # both Ontario cities), and the last round's flip decided the answer.
    for _ in range(ROUNDS):
        for m in mentions:
            norm = m.lookup.casefold()
            others = [
                b
                for b in (n.best for n in mentions if n.lookup.casefold() != norm)
                if b is not None
            ]
            holder = m.container.best if m.container else None
            m.scores = [
                _prior(c, m.want)
                + _context_score(c, others)
                + (6.0 if holder is not None and _contains(holder, c) else 0.0)
                for c in m.candidates
            ]


def _strip(text: str, start: int) -> tuple[str, int]:
    """Drop a leading article and a trailing possessive from an entity's text."""
    if text.lower().startswith("the "):
        text, start = text[4:], start + 4
    for tail in ("'s", "’s"):
        if text.endswith(tail):
            text = text[: -len(tail)]
    return text, start


def _make(gaz: Gazetteer, text: str, start: int, region_word: str | None) -> _Mention | None:
    want = (
        "admin1"
        if region_word in ADMIN1_WORDS
        else "admin2"
        if region_word in ADMIN2_WORDS
        else None
    )
    full = gaz.candidates(text)
    if want and region_word and text.lower().endswith(" " + region_word):
        base = text[: -len(region_word) - 1]
        wanted = [c for c in gaz.candidates(base) if c.kind == want]
        if wanted or not full:
            full = wanted + [c for c in full if c not in wanted] or gaz.candidates(base)
    if not full:
        return None
    if want is None and any(c.primary and c.kind in ("country", "admin1") for c in full):
        # A country's or region's own name ("Mexico", "Oregon") means it;
        # a town known by that name only as an alternate ("Mexico" for
        # Mexico City) is a spelling, not a rival.
        full = [c for c in full if c.primary or c.kind != "locality"]
    lookup = text if want is None else text.rsplit(" ", 1)[0]
    return _Mention(text, start, start + len(text), lookup, want, full)


def _proper_noun_runs(doc: Doc) -> list[Span]:
    """Runs of singular proper nouns outside any entity (the model left them unlabelled)."""
    runs: list[Span] = []
    start: int | None = None
    for tok in doc:
        inside = tok.tag_ == "NNP" and not tok.ent_type_
        if inside and start is None:
            start = tok.i
        elif not inside and start is not None:
            runs.append(doc[start : tok.i])
            start = None
    if start is not None:
        runs.append(doc[start:])
    return runs


def _rescue(span: Span, gaz: Gazetteer) -> bool:
    """Whether a span the model did not call a place names one anyway.

    Only singular proper nouns qualify (demonyms are adjectives or plurals),
    a multi-word person name only after a spatial preposition and spelt as an
    entry's own name; and the name must be a gazetteer entry's
    name (any spelling after a locative preposition; otherwise the entry's
    own name, of a country, a region or a large city).
    """
    if not all(t.tag_ == "NNP" and t.text[:1].isupper() for t in span):
        return False
    found = [
        c
        for c in gaz.candidates(span.text)
        if c.kind != "locality" or c.population >= RESCUE_MIN_LOCALITY
    ]
    prev = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    if (
        prev == "of"
        and span.start > 1
        and span.doc[span.start - 2].lemma_.lower() in PLACE_OF_HEADS
    ):
        prev = "in"  # "the mayor of X" situates X as surely as "in X"
    if span.label_ == "PERSON" and len(span) > 1:
        # A multi-word "person" is a place only right after a spatial preposition
        # and spelt exactly as a gazetteer entry's own name ("in Nova Kakhovka").
        return prev in SPATIAL_PREPOSITIONS and any(c.place.name == span.text for c in found)
    allowed = SPATIAL_PREPOSITIONS if span.label_ == "PERSON" else LOCATIVE_PREPOSITIONS
    if found and prev in allowed:
        return True
    # Without a preposition, only the entry's own name as written (no folded
    # diacritics: "Bush" is not Būsh) counts.
    own = [c for c in found if c.place.name == span.text]
    return span.text.lower() not in GENERIC_WORDS and any(
        c.kind in ("country", "admin1") or c.population >= RESCUE_MIN_POPULATION for c in own
    )


def _org_prefix(ent: Span, gaz: Gazetteer) -> _Mention | None:
    """The place an organisation is named after, when its name starts with one."""
    if ent[0].lower_ == "the":
        ent = ent[1:]
    for n in (3, 2, 1):
        if n >= len(ent):
            continue
        head = ent[:n]
        if not all(t.tag_ == "NNP" for t in head):
            continue
        if head.text.lower() in GENERIC_WORDS:
            continue
        own = [c for c in gaz.candidates(head.text) if c.place.name == head.text]
        if any(
            c.kind in ("country", "admin1") or c.population >= ORG_PREFIX_MIN_POPULATION
            for c in own
        ):
            return _make(gaz, head.text, head.start_char, None)
    return None


ORG_PREFIXES = True
ORG_PREFIX_MIN_POPULATION = 10_000


def _detect(doc: Doc, gaz: Gazetteer) -> list[_Mention]:
    found: list[_Mention] = []
    spans = [*doc.ents, *_proper_noun_runs(doc)]
    for ent in sorted(spans, key=lambda e: e.start):
        if not _strip(ent.text, 0)[0][:1].isupper():
            continue  # English writes toponyms capitalised; "metro", "gulf" are words
        if ent.label_ in ENTITY_LABELS:
            if all(t.tag_ == "JJ" for t in ent):
                continue
        elif ent.label_ not in RESCUE_LABELS or not _rescue(ent, gaz):
            if ent.label_ in ORG_PREFIX_LABELS and ORG_PREFIXES:
                prefix = _org_prefix(ent, gaz)
                if prefix is not None:
                    found.append(prefix)
            continue
        text, start = _strip(ent.text, ent.start_char)
        last = text.rsplit(" ", 1)[-1].lower()
        region_word = last if " " in text and last in ADMIN1_WORDS | ADMIN2_WORDS else None
        nxt = doc[ent.end] if ent.end < len(doc) else None
        if region_word is None and nxt is not None and nxt.lower_ in ADMIN1_WORDS | ADMIN2_WORDS:
            text, region_word = doc.text[start : nxt.idx + len(nxt.text)], nxt.lower_
        parts = [(text, start)]
        if region_word is None and ", " in text:  # "Paris, Texas" as one entity
            head, _, tail = text.partition(", ")
            parts = [(head, start), (tail, start + len(head) + 2)]
        for part, pstart in parts:
            m = _make(gaz, part, pstart, region_word)
            if m is not None:
                found.append(m)
    taken = [(m.start, m.end) for m in found]
    for match in _REGION_PHRASE.finditer(doc.text):
        s, e = match.span()
        if any(s < b and a < e for a, b in taken):
            continue
        word = match.group(0).rsplit(" ", 1)[-1].lower()
        m = _make(gaz, match.group(0), s, word)
        if m is not None:
            found.append(m)
    found.sort(key=lambda m: m.start)
    for a, b in zip(found, found[1:], strict=False):
        if _APPOSITION.match(doc.text[a.end : b.start]):
            a.container = b
    return found


def resolve_places(doc: Doc, gazetteer: Gazetteer | None = None) -> list[PlaceMention]:
    """The document's place mentions in text order, each resolved with the document's context."""
    gaz = gazetteer or get_gazetteer()
    mentions = _detect(doc, gaz)
    _rank(mentions)
    out = []
    for m in mentions:
        best = m.best
        if best is not None:
            out.append(PlaceMention(text=m.text, start=m.start, end=m.end, place=best.place))
    return out


def resolve_spans(
    text: str, spans: Sequence[tuple[int, int]], gazetteer: Gazetteer | None = None
) -> list[Place | None]:
    """Resolve given toponym spans of ``text`` together (None where the gazetteer has no entry)."""
    gaz = gazetteer or get_gazetteer()
    mentions: list[_Mention | None] = []
    for start, end in spans:
        name, s = _strip(text[start:end], start)
        last = name.rsplit(" ", 1)[-1].lower()
        mentions.append(_make(gaz, name, s, last if " " in name else None))
    found = [m for m in mentions if m is not None]
    ordered = sorted(found, key=lambda m: m.start)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if _APPOSITION.match(text[a.end : b.start]):
            a.container = b
    _rank(found)
    return [None if m is None or m.best is None else m.best.place for m in mentions]


def resolve_name(
    name: str, context: list[Place] | None = None, gazetteer: Gazetteer | None = None
) -> Place | None:
    """Resolve one place name, preferring entries near or inside the ``context`` places."""
    gaz = gazetteer or get_gazetteer()
    text, _ = _strip(name.strip(), 0)
    last = text.rsplit(" ", 1)[-1].lower()
    mention = _make(gaz, text, 0, last if " " in text else None)
    if mention is None:
        return None
    others = [_as_candidate(p) for p in context or []]
    scores = [_prior(c, mention.want) + _context_score(c, others) for c in mention.candidates]
    return mention.candidates[max(range(len(scores)), key=scores.__getitem__)].place


def _as_candidate(place: Place) -> Candidate:
    kind = place.precision if place.precision != "point" else "locality"
    return Candidate(place=place, kind=kind, population=0, admin1_code=place.admin1, primary=True)
