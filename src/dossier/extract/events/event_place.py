"""Where an event happened: which of the places a document names locates each trigger.

A place in the trigger's sentence, nearest in the parse, wins; a country or
region that only situates a finer place named with it ("the town of Lyman,
Ukraine") gives way to that place; landmarks ("near X") and destinations
("fled to X") are not where the act took place, though a landmark town still
locates it better than the country. A sentence with no place takes the
document's most-named place, finest level first. Places inside an actor's name
("Kyiv said", "the Donetsk regional administration") are left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ...records import Place, PlaceMention
from .sides import PARTY_HEADS
from .triggers import words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# Prepositions that name a landmark or a destination, not where the act took place.
_REFERENCE = frozenset(words("outside near nearby toward towards to into"))
# "north of X", "30 km from X": the head word before "of"/"from" makes X a landmark.
_BEARING = frozenset(
    words(
        "north south east west northeast northwest southeast southwest outskirts "
        "km kilometres kilometers miles"
    )
)
# Words that put the act close to a landmark rather than in it.
_NEAR = frozenset(words("near nearby outside outskirts vicinity"))
_COUNTRY_WORDS = frozenset({"country", "nation"})
_PRECISE = ("point", "locality", "admin2")


class DocumentPlaces:
    """The place of each event: its own sentence's place, else the document's main place."""

    def __init__(self, doc: Doc, mentions: list[PlaceMention]) -> None:
        self.doc = doc
        self.mentions = [m for m in mentions if not self._inside_actor(m)]
        counted = [m.place for m in self.mentions if not self._reference(m)]
        named = [m.place for m in self.mentions]
        # A town named only as a landmark ("near X") still locates the story better
        # than the country it is in.
        self.dominant = (
            self._most_named([p for p in counted if p.precision in _PRECISE])
            or self._most_named([p for p in named if p.precision in _PRECISE])
            or self._most_named(counted)
            or self._most_named(named)
        )
        countries = [p for p in counted if p.precision == "country"]
        # "the country" is the country the story happens in: that of its main place.
        self.country = (self._country_of(self.dominant) if self.dominant else None) or (
            self._most_named(countries)
        )

    def _token(self, mention: PlaceMention) -> Token | None:
        span = self.doc.char_span(mention.start, mention.end, alignment_mode="expand")
        return span.root if span is not None else None

    def _inside_actor(self, mention: PlaceMention) -> bool:
        """A state or city named as an actor ("Kyiv said", "Ukraine's minister", "by Russia")."""
        tok = self._token(mention)
        if tok is None:
            return False
        head = tok.head
        if tok.dep_ in ("poss", "compound", "amod", "nmod"):
            return head.lemma_.lower() in PARTY_HEADS or head.lower_ in PARTY_HEADS
        if tok.dep_ == "nsubj":  # a place that acts is a government ("Moscow denies")
            return True
        if tok.dep_ == "dobj" and head.lemma_.lower() in ("accuse", "blame", "charge", "urge"):
            return True
        return bool(tok.dep_ == "pobj" and head.dep_ == "agent")

    def _reference(self, mention: PlaceMention) -> bool:
        """A place named as a landmark ("outside Kyiv", "from Russia") is not where it happened."""
        tok = self._token(mention)
        if tok is None:
            return False
        head = tok.head
        return head.lower_ in _REFERENCE or (
            head.lower_ in ("of", "from") and head.head.lower_ in _BEARING
        )

    @staticmethod
    def _most_named(places: list[Place]) -> Place | None:
        for level in (_PRECISE, ("admin1",), ("country",)):
            pool = [p for p in places if p.precision in level]
            if pool:
                names = [p.name for p in pool]
                best = max(dict.fromkeys(names), key=names.count)
                return next(p for p in pool if p.name == best)
        return None

    def _country_of(self, place: Place) -> Place | None:
        if place.precision == "country":
            return place
        for m in self.mentions:
            if m.place.precision == "country" and m.place.country == place.country:
                return m.place
        return None

    def place_for(self, trigger: Token, sentence: Span) -> tuple[Place | None, int]:
        """The event's place and how it was found (3 attached, 2 same sentence, 1 document)."""
        own = [
            m
            for m in self.mentions
            if m.start >= sentence.start_char and m.end <= sentence.end_char
        ]
        usable = _finest(m for m in own if not self._reference(m))
        if usable:
            best = min(
                usable,
                key=lambda m: (
                    _distance(trigger, self._token(m)),
                    -["country", "admin1", "admin2", "locality", "point"].index(m.place.precision),
                ),
            )
            attached = _distance(trigger, self._token(best)) <= 3
            return best.place, 3 if attached else 2
        if (
            any(
                t.lemma_.lower() in _COUNTRY_WORDS and any(c.lower_ == "the" for c in t.children)
                for t in sentence
            )
            and self.country is not None
        ):
            return self.country, 2  # "in the country"
        # "near X", "outside X": the act is within a few kilometres of X, which
        # locates it better than the country the document is about.
        landmarks = [m for m in own if self._proximity(m)]
        if landmarks and (self.dominant is None or self.dominant.precision not in _PRECISE):
            return landmarks[0].place, 2
        if self.dominant is not None:
            return self.dominant, 1
        return None, 0

    def _proximity(self, mention: PlaceMention) -> bool:
        """A fine place named as the act's surroundings ("near X", "on the outskirts of X")."""
        tok = self._token(mention)
        if tok is None or mention.place.precision not in _PRECISE:
            return False
        head = tok.head
        return head.lower_ in _NEAR or (head.lower_ == "of" and head.head.lower_ in _NEAR)


def _finest(mentions: Iterable[PlaceMention]) -> list[PlaceMention]:
    """The mentions left once a country or region is dropped for a place named inside it.

    "in the town of Lyman, Ukraine" and "Nova Kakhovka in the Kherson region":
    the coarser name only situates the finer one, which is where it happened.
    """
    pool = list(mentions)
    return [m for m in pool if not any(_contains(m.place, o.place) for o in pool)]


def _contains(coarse: Place, fine: Place) -> bool:
    if place_rank(coarse) >= place_rank(fine) or coarse.precision not in ("country", "admin1"):
        return False
    if coarse.country != fine.country:
        return False
    return coarse.precision == "country" or coarse.admin1 == fine.admin1


def _distance(a: Token, b: Token | None) -> int:
    """Edges between two tokens in the dependency tree."""
    if b is None:
        return 99
    up_a = [a, *a.ancestors]
    up_b = [b, *b.ancestors]
    index_b = {t.i: n for n, t in enumerate(up_b)}
    for n, tok in enumerate(up_a):
        if tok.i in index_b:
            return n + int(index_b[tok.i])
    return 50 + abs(int(a.i) - int(b.i))


def compatible_place(a: Place | None, b: Place | None) -> bool:
    if a is None or b is None:
        return True
    if a.name == b.name and a.precision == b.precision:
        return True
    coarse, fine = (a, b) if place_rank(a) <= place_rank(b) else (b, a)
    if coarse.precision == "country":
        return coarse.country == fine.country
    if coarse.precision == "admin1":
        return coarse.country == fine.country and coarse.admin1 == fine.admin1
    return False


def place_rank(place: Place) -> int:
    return ["country", "admin1", "admin2", "locality", "point"].index(place.precision)


__all__ = ["DocumentPlaces", "compatible_place", "place_rank"]
