"""Every vocabulary of Dossier, once: event types, harm kinds, statuses, review
statuses, roles, flags, and the mappings of the event types to ACLED and the
Rome Statute (DESIGN.md, "Event ontology").

Each vocabulary is a ``Literal`` (for the type checker) and a tuple of its
values taken from it with ``get_args`` (for code that lists or checks them,
typed ``tuple[str, ...]`` because it checks strings from outside), so the two
cannot disagree. Every other module imports from here; records.py
re-exports the record vocabularies for older imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal, get_args

# --- what a document reports ----------------------------------------------------

EventType = Literal[
    "killing",
    "mass_grave",
    "torture",
    "sexual_violence",
    "detention",
    "deportation",
    "attack_on_civilians",
    "attack_on_protected",
    "pillage_destruction",
    "prohibited_weapon",
]
EVENT_TYPES: tuple[str, ...] = get_args(EventType)

HarmKind = Literal[
    "killed",
    "injured",
    "detained",
    "missing",
    "tortured",
    "sexual_violence",
    "displaced",
    "damaged",
]
HARM_KINDS: tuple[str, ...] = get_args(HarmKind)

DetentionSubtype = Literal["arrest", "abduction", "captivity", "disappearance"]
DETENTION_SUBTYPES: tuple[str, ...] = get_args(DetentionSubtype)

EventStatus = Literal["asserted", "alleged", "denied", "hypothetical", "negated"]
EVENT_STATUSES: tuple[str, ...] = get_args(EventStatus)
# The statuses of an event that the text reports as having happened.
HAPPENED: tuple[str, ...] = ("asserted", "alleged", "denied")

Stance = Literal["accuses", "denies", "confirms", "calls_for_investigation", "condemns"]
STANCES: tuple[str, ...] = get_args(Stance)

QuoteKind = Literal["direct", "partial"]
QUOTE_KINDS: tuple[str, ...] = get_args(QuoteKind)

PlacePrecision = Literal["point", "locality", "admin2", "admin1", "country"]
PLACE_PRECISIONS: tuple[str, ...] = get_args(PlacePrecision)

TimePrecision = Literal["day", "week", "month", "year", "unknown"]
TIME_PRECISIONS: tuple[str, ...] = get_args(TimePrecision)

# --- review ---------------------------------------------------------------------

ReviewStatus = Literal["unreviewed", "in_review", "confirmed", "rejected", "discounted"]
REVIEW_STATUSES: tuple[str, ...] = get_args(ReviewStatus)
# The review statuses that decide an incident (a reviewer's verdict; corroboration
# honours them); the others are a state of work.
Verdict = Literal["confirmed", "rejected", "discounted"]
VERDICTS: tuple[str, ...] = get_args(Verdict)

# Ordered: each role may do everything the roles before it may.
Role = Literal["viewer", "analyst", "reviewer", "admin"]
ROLES: tuple[str, ...] = get_args(Role)

Flag = Literal["graphic_violence", "personal_information", "restricted"]
FLAGS: tuple[str, ...] = get_args(Flag)

LinkKind = Literal["part_of", "same_perpetrator", "follow_up"]
LINK_KINDS: tuple[str, ...] = get_args(LinkKind)

# --- the ontology's mappings (DESIGN.md's table) -----------------------------------

# Event type -> (ACLED event_type, sub_event_type), for the ACLED export.
ACLED_TYPES: dict[str, tuple[str, str]] = {
    "killing": ("Violence against civilians", "Attack"),
    "mass_grave": ("Strategic developments", "Other"),
    "torture": ("Violence against civilians", "Attack"),
    "sexual_violence": ("Violence against civilians", "Sexual violence"),
    "detention": ("Violence against civilians", "Abduction/forced disappearance"),
    "deportation": ("Strategic developments", "Other"),
    "attack_on_civilians": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "attack_on_protected": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "pillage_destruction": ("Strategic developments", "Looting/property destruction"),
    "prohibited_weapon": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
}
# (Dossier type, subtype) -> ACLED types where the subtype decides: ACLED files an arrest
# by state forces under Strategic developments, not under violence against civilians.
ACLED_SUBTYPES: dict[tuple[str, str], tuple[str, str]] = {
    ("detention", "arrest"): ("Strategic developments", "Arrests"),
}

# Event type -> the Rome Statute articles an analyst would consider, each with what
# it names ("" where the first article's name covers it): a hint for review, never a
# finding. A mass grave is evidence of a killing, not a crime of its own.
ROME_STATUTE_ARTICLES: dict[str, tuple[tuple[str, str], ...]] = {
    "killing": (("8(2)(a)(i)", "wilful killing"),),
    "mass_grave": (("8(2)(a)(i)", "wilful killing"),),
    "torture": (("8(2)(a)(ii)", "torture or inhuman treatment"),),
    "sexual_violence": (("8(2)(b)(xxii)", "rape and sexual violence"),),
    "detention": (("8(2)(a)(vii)", "unlawful confinement"), ("8(2)(a)(viii)", "taking hostages")),
    "deportation": (("8(2)(a)(vii)", "unlawful deportation or transfer"), ("8(2)(b)(viii)", "")),
    "attack_on_civilians": (("8(2)(b)(i)", "intentionally directing attacks against civilians"),),
    "attack_on_protected": (
        ("8(2)(b)(ix)", "attacks on protected buildings"),
        ("8(2)(b)(xxiv)", ""),
    ),
    "pillage_destruction": (("8(2)(b)(xvi)", "pillage"), ("8(2)(a)(iv)", "extensive destruction")),
    "prohibited_weapon": (
        ("8(2)(b)(xviii)", "asphyxiating gases"),
        ("8(2)(b)(xx)", "indiscriminate weapons"),
    ),
}
EVIDENCE_ONLY: frozenset[str] = frozenset({"mass_grave"})


def _rome_hint(event_type: str) -> str:
    text = "; ".join(
        f"{article} {name}" if name else article
        for article, name in ROME_STATUTE_ARTICLES[event_type]
    )
    return f"evidence of {text}" if event_type in EVIDENCE_ONLY else text


def _rome_articles(event_type: str) -> str:
    text = "Art. " + ", ".join(article for article, _ in ROME_STATUTE_ARTICLES[event_type])
    return f"evidence for {text}" if event_type in EVIDENCE_ONLY else text


# Event type -> the articles with their names (the incident page) ...
ROME_STATUTE: dict[str, str] = {t: _rome_hint(t) for t in EVENT_TYPES}
# ... and the articles alone (the PDF report).
ROME_STATUTE_SHORT: dict[str, str] = {t: _rome_articles(t) for t in EVENT_TYPES}


# --- ACLED's fatalities -----------------------------------------------------------


def fatalities(incident: Mapping[str, Any]) -> int | None:
    """The largest lower bound of people killed among the incident's harm entries.

    Categories overlap ("39 people, including four children"), so entries are
    not summed; the lower bound keeps the count conservative, as ACLED's is.
    The store fills its sort column with it, and the exports and the map use
    it on the incident as reviewed, so the rule lives once, here.
    """
    return killed_lower_bound((h.get("kind"), h.get("min")) for h in incident.get("harm", []))


def killed_lower_bound(harm: Iterable[tuple[Any, Any]]) -> int | None:
    """``fatalities`` over (kind, min) pairs: what ``records.Incident.fatalities`` reads too."""
    known = [m for kind, m in harm if kind == "killed" and isinstance(m, int)]
    return max(known) if known else None
