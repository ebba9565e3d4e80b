"""The trigger lexicon: words and phrases that name a violation of DESIGN.md's ontology.

Each entry is a sequence of lemmas (matched by lemma or by regular inflection,
since the lemmatizer misreads some words), the event type it signals, and a
*requirement* that the context must meet before the match counts:
ambiguous words ("shot", "executed", "attack", "destroyed") name a violation
only when what they act on is a person, a civilian object or a protected
object. The requirements are checked in ``events.py``; this module only holds
the vocabulary, so extending coverage means adding rows here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from ..records import EventType, HarmKind


def words(text: str) -> tuple[str, ...]:
    """The words of a lexicon line: word lists are written as prose-like lines to read easily."""
    return tuple(text.split())


Requirement = Literal["none", "person", "civilian_target", "property", "violent_cause"]


@dataclass(frozen=True)
class TriggerRule:
    """One lexicon row: a lemma sequence, the event type, and what it needs to count."""

    lemmas: tuple[str, ...]
    type: EventType
    pos: tuple[str, ...] = ("VERB", "NOUN")
    requires: Requirement = "none"
    harm: HarmKind | None = None


def _rules(
    type_: EventType,
    harm: HarmKind | None,
    words: str,
    requires: Requirement = "none",
    pos: tuple[str, ...] = ("VERB", "NOUN"),
) -> list[TriggerRule]:
    return [
        TriggerRule(tuple(w.split()), type_, pos, requires, harm) for w in words.split(",") if w
    ]


# Unambiguous words count anywhere; ambiguous ones carry a requirement.
RULES: tuple[TriggerRule, ...] = tuple(
    _rules("killing", "killed", "kill,killing,murder,massacre,slaughter,assassinate,assassination")
    + _rules("killing", "killed", "execute,execution,shoot,gun,behead,strangle", "person")
    + _rules("killing", "killed", "extrajudicial execution,summary execution,extrajudicial killing")
    + _rules("killing", "killed", "body,corpse", pos=("NOUN",))
    # A shooting or stabbing that wounds is still ACLED's "Violence against civilians/Attack".
    + _rules("killing", "injured", "wound,injure,stab", "person", ("VERB",))
    # "died when a drone hit", "died in the shelling": a death the sentence puts down to an attack.
    + _rules("killing", "killed", "die", "violent_cause", ("VERB",))
    + _rules("mass_grave", "killed", "mass grave,mass burial,exhumation,exhume,burial pit")
    + _rules("torture", "tortured", "torture,mutilate,mutilation,ill - treatment,ill-treatment")
    + _rules("torture", "tortured", "beat,electrocute,abuse,maltreat", "person", ("VERB",))
    + _rules(
        "sexual_violence",
        "sexual_violence",
        "rape,sexual violence,sexual assault,sexually assault,gang - rape,sexual abuse",
    )
    + _rules(
        "detention",
        "detained",
        "abduct,abduction,kidnap,kidnapping,captivity,hostage,hold captive,hold hostage,"
        "take hostage,take prisoner,enforced disappearance,forcibly disappear,"
        "filtration camp",
    )
    + _rules(
        "detention", "detained", "detain,detention,imprison,disappear,take away,lead away", "person"
    )
    + _rules(
        "deportation",
        "displaced",
        "deport,deportation,forcibly transfer,forcible transfer,forcibly displace,"
        "forcible displacement",
    )
    + _rules(
        "attack_on_civilians",
        None,
        "shell,shelling,bomb,bombing,bombard,bombardment,strike,airstrike,air strike,"
        "missile strike,drone strike,attack,hit,target,fire on,rocket attack,missile attack",
        "civilian_target",
    )
    + _rules(
        "pillage_destruction",
        "damaged",
        "loot,looting,pillage,plunder,ransack",
    )
    + _rules("pillage_destruction", "damaged", "burn,torch,raze,destroy,demolish", "property")
    + _rules(
        "prohibited_weapon",
        None,
        "cluster munition,cluster bomb,chemical weapon,white phosphorus,phosphorus munition,"
        "phosphorus bomb,phosphorus,"
        "incendiary weapon,anti - personnel mine,antipersonnel mine,butterfly mine,"
        "sarin,chlorine gas,nerve agent,toxic gas",
    )
)

# Objects whose attack is an attack on civilians; the protected ones make it attack_on_protected.
CIVILIAN_OBJECTS: frozenset[str] = frozenset(
    words(
        "civilian civilians home house apartment residential market shop supermarket mall "
        "street neighbourhood neighborhood village town city centre center station train "
        "bus car convoy queue crowd people resident residents family families block "
        "building playground park evacuation evacuee evacuees refugee refugees"
    )
)
PROTECTED_OBJECTS: frozenset[str] = frozenset(
    words(
        "hospital clinic maternity school kindergarten university shelter church mosque "
        "synagogue cathedral monastery museum theatre theater library ambulance aid "
        "humanitarian orphanage dam nuclear"
    )
)
# Indiscriminate weapons: used on a populated place they are an attack on civilians.
AREA_WEAPONS: frozenset[str] = frozenset(words("shell shelling bomb bombing bombard bombardment"))
# Words of a strike: destruction they cause is the strike's damage.
ATTACK_WORDS: frozenset[str] = frozenset(
    words("shell shelling strike airstrike missile rocket bomb bombing drone artillery attack")
)
# Words that put soldiers out of the fight: killing them is a violation.
HORS_DE_COMBAT: frozenset[str] = frozenset(
    words("surrender surrendered captive captured prisoner pow wounded unarmed detained")
)
# Objects whose burning or destruction is pillage_destruction (not military hardware).
PROPERTY_OBJECTS: frozenset[str] = frozenset(
    words(
        "home house houses apartment property village shop farm church school hospital "
        "building buildings crop crops granary museum library"
    )
)
# Heads of phrases that denote people who can be victims.
PERSON_HEADS: frozenset[str] = frozenset(
    words(
        "civilian people person man woman child kid boy girl baby infant resident villager "
        "mayor official leader journalist reporter doctor medic nurse volunteer priest "
        "prisoner detainee hostage family teenager pensioner elderly innocent victim "
        "he she they them him her we us farmer worker driver student teacher"
    )
)


def forms(lemma: str) -> list[str]:
    """Regular inflections of a lemma, as the lemmatizer misreads some ("raped" -> "rap")."""
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    doubled = lemma + lemma[-1] if re.fullmatch(r".*[^aeiou][aeiou][bdgmnprt]", lemma) else lemma
    return sorted(
        {
            lemma,
            lemma + "s",
            lemma + "es",
            stem + "ed",
            stem + "ing",
            doubled + "ed",
            doubled + "ing",
            lemma[:-1] + "ies" if lemma.endswith("y") else lemma,
        }
    )
