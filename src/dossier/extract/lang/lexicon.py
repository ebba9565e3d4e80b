"""The shape of a language's resources for the Cyrillic analyser.

A ``Lexicon`` holds, for one language, every word list the rules read: event
triggers by lemma, perpetrator sides, victim categories, harm words, number
words and bounds, stance and speech verbs, and the small stoplists that keep
common words out of places and dates. ``uk.py`` and ``ru.py`` fill one each;
the analyser (``cyrillic.py``) never names a word of either language itself.
Lemmas are pymorphy3's normal forms; where the dictionary's lemma of an
inflected form is odd, the surface form is listed too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from ...records import EventType, HarmKind

# What a trigger needs around it to be a violation:
#   none     - the word is one ("murdered", "mass grave")
#   person   - a person or victim category in the sentence ("took away the mayor")
#   target   - a civilian or protected object, a settlement, or casualties ("shelled Kharkiv")
#   cause    - a death put down to violence in its sentence ("died in the shelling")
#   property - a civilian property object and no attack word ("houses burned")
#   person_or_many - victims named, or a count ("тіла цивільних", "численні тіла"): bodies
Requirement = str
V = TypeVar("V")


@dataclass(frozen=True)
class Trigger:
    """One lexicon entry: the lemmas (one word or a phrase) and what they stand for."""

    lemmas: tuple[str, ...]
    type: EventType
    harm: HarmKind | None = None
    requires: Requirement = "none"
    subtype: str | None = None  # detentions: arrest, abduction, captivity, disappearance


@dataclass(frozen=True)
class Lexicon:
    """Every word list of one language."""

    code: str
    triggers: tuple[Trigger, ...]
    # lemma -> ISO side; phrases as space-joined lemmas ("збройний сила україна")
    sides: dict[str, str]
    # lemmas that only name a side when a military word is next to them ("російський" + "війська")
    side_adjectives: dict[str, str]
    military: frozenset[str]
    # lemma -> victim category (civilians, children, officials, people, combatants, ...)
    categories: dict[str, str]
    # lemma -> harm kind of a word that itself names the victims ("загиблі", "поранені")
    harm_nouns: dict[str, HarmKind]
    # lemma -> harm kind of a verb or participle that governs victims
    harm_verbs: dict[str, HarmKind]
    numbers: dict[str, int]
    # lemmas of vague quantities: (min) ("десятки" -> 20)
    vague: dict[str, int]
    at_least: frozenset[str]
    more_than: frozenset[str]
    up_to: frozenset[str]
    about: frozenset[str]
    body_nouns: frozenset[str]  # "тіла": a mass grave's dead
    civilian_objects: frozenset[str]
    protected_objects: frozenset[str]
    property_objects: frozenset[str]
    attack_words: frozenset[str]
    accident_words: frozenset[str]  # a crash, fire, flood: no violation
    negations: frozenset[str]
    hypothetical: frozenset[str]
    reporting: frozenset[str]  # said, reported, claimed
    according_to: tuple[tuple[str, ...], ...]  # "за словами", "за даними" (surface forms)
    accuse: frozenset[str]
    deny: frozenset[str]
    deny_names: frozenset[str]  # "провокація", "фейк"
    accusation_nouns: frozenset[str]  # "звинувачення": what a denial points back at
    condemn: frozenset[str]
    investigate: frozenset[str]
    demand: frozenset[str]
    speech: frozenset[str]  # verbs that introduce a quote
    naming: frozenset[str]  # "назвати": called it a fake (a denial) or a murder
    role_nouns: frozenset[str]  # minister, president, spokesman: heads of a speaker's role
    org_heads: frozenset[str]  # ministry, service, council: heads of organisation names
    pronouns: frozenset[str]  # he, she, they: a speaker named before
    near_words: frozenset[str]  # "під Києвом", "поблизу": near, not in
    country_words: frozenset[str]  # "у країні": the country already named
    subordinate: frozenset[str]  # "коли", "поки": a circumstance clause
    months: dict[str, int]  # lemma or genitive -> month
    weekdays: dict[str, int]  # lemma -> 0 (Monday) .. 6
    relative_days: dict[str, int]  # "вчора" -> -1
    last_words: frozenset[str]  # "минулого" (last)
    this_words: frozenset[str]  # "цього" (this)
    week_words: frozenset[str]
    weekend_words: frozenset[str]
    night_words: frozenset[str]  # "у ніч на 3 квітня"
    year_words: frozenset[str]  # "року": the number before is a year
    not_places: frozenset[str]  # common words that are also GeoNames alternate names
    region_nouns: frozenset[str]  # "область", "район"
    extra: dict[str, str] = field(default_factory=dict)


def phrase(text: str) -> tuple[str, ...]:
    """The lemmas of a space-separated phrase as a tuple."""
    return tuple(text.split())


def entries(text: str, value: V) -> dict[str, V]:
    """Every space-separated word of ``text`` mapped to ``value``."""
    return dict.fromkeys(text.split(), value)


__all__ = ["Lexicon", "Trigger", "entries", "phrase"]
