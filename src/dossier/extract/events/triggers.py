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

from ...records import DetentionSubtype, EventType, HarmKind


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
    subtype: DetentionSubtype | None = None  # detentions only; None there: read from the doer


def _rules(
    type_: EventType,
    harm: HarmKind | None,
    words: str,
    requires: Requirement = "none",
    pos: tuple[str, ...] = ("VERB", "NOUN"),
    subtype: DetentionSubtype | None = None,
) -> list[TriggerRule]:
    return [
        TriggerRule(tuple(w.split()), type_, pos, requires, harm, subtype)
        for w in words.split(",")
        if w
    ]


# Unambiguous words count anywhere; ambiguous ones carry a requirement. Each frame is
# written in its verbal, nominal and passive forms, and the short forms of headlines
# ("gunned down", "lynched", "air raid"), since the lemmatizer does not relate them.
RULES: tuple[TriggerRule, ...] = tuple(
    _rules(
        "killing",
        "killed",
        "kill,killing,murder,massacre,slaughter,assassinate,assassination,lynch,lynching,"
        "shoot dead,gun down,beat to death,burn alive,burn to death,hack to death,"
        "stab to death,bludgeon to death,lynch mob",
    )
    + _rules("killing", "killed", "execute,execution,shoot,gun,behead,strangle", "person")
    + _rules("killing", "killed", "extrajudicial execution,summary execution,extrajudicial killing")
    + _rules("killing", "killed", "body,corpse", pos=("NOUN",))
    # "died when a drone hit", "died in the shelling", "succumbed to bullet wounds",
    # "deaths in the air strike": a death the sentence puts down to an attack.
    + _rules("killing", "killed", "die,succumb,perish", "violent_cause", ("VERB",))
    + _rules("killing", "killed", "death,dead", "violent_cause", ("NOUN", "ADJ"))
    # A shooting or stabbing that wounds is ACLED's "Violence against civilians/Attack":
    # filed with killings, harm injured (beside a strike it becomes the strike's harm).
    + _rules("killing", "injured", "wound,injure,stab", "person", ("VERB",))
    # Injury by an attack where no person is named ("injuring dozens"): that attack's victims.
    + _rules("attack_on_civilians", "injured", "injure,wound,maim", "violent_cause")
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
        "abduct,abduction,kidnap,kidnapping,hostage,take hostage,hold hostage,take prisoner",
        subtype="abduction",
    )
    + _rules(
        "detention",
        "detained",
        "captivity,hold captive,filtration camp,keep captive",
        subtype="captivity",
    )
    + _rules("detention", "detained", "imprison,imprisonment", "person", subtype="captivity")
    + _rules(
        "detention",
        "detained",
        "enforced disappearance,forcibly disappear,forced disappearance",
        subtype="disappearance",
    )
    + _rules("detention", "detained", "disappear", "person", subtype="disappearance")
    + _rules(
        "detention",
        "detained",
        "arrest,take into custody,round up,nab,put behind bars",
        subtype="arrest",
    )
    + _rules("detention", "detained", "detain,detention,take away,lead away", "person")
    + _rules("detention", "detained", "apprehend", "person", ("VERB",), subtype="arrest")
    + _rules("detention", "detained", "custody", "person", ("NOUN",), subtype="arrest")
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
        "missile strike,drone strike,attack,hit,target,fire on,rocket attack,missile attack,"
        "air raid,airstrike,drone attack,artillery fire,rocket fire,missile,rocket,drone,"
        "explosion,blast,explode,detonate,car bomb,suicide bombing,suicide bomber,"
        "open fire,fire at,barrage,gunfire",
        "civilian_target",
    )
    + _rules(
        "pillage_destruction",
        "damaged",
        "loot,looting,pillage,plunder,ransack,set ablaze,set on fire,set fire,reduce to rubble,"
        "raze to the ground",
    )
    + _rules(
        "pillage_destruction",
        "damaged",
        "burn,torch,raze,destroy,demolish,damage,destruction,flatten,gut,wreck",
        "property",
    )
    + _rules(
        "prohibited_weapon",
        None,
        "cluster munition,cluster bomb,chemical weapon,white phosphorus,phosphorus munition,"
        "phosphorus bomb,phosphorus,"
        "incendiary weapon,anti - personnel mine,antipersonnel mine,butterfly mine,"
        "sarin,chlorine gas,nerve agent,toxic gas,mustard gas,poison gas,chemical attack,"
        "chemical agent,chemical munition,chemical strike,chlorine,nerve gas,vx,"
        "incendiary munition,incendiary bomb,napalm,thermite,cluster munitions,submunition",
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
# Strikes from the air or from afar (trigger phrases): on a named town they hit where
# civilians live; alone ("the strike"), a word that also means a walk-out, they do not.
REMOTE_STRIKES: frozenset[str] = frozenset(
    {
        "air strike",
        "airstrike",
        "air raid",
        "missile strike",
        "missile attack",
        "rocket attack",
        "drone strike",
        "drone attack",
        "artillery fire",
        "rocket fire",
        "barrage",
    }
)
# Words of a strike: destruction they cause is the strike's damage.
ATTACK_WORDS: frozenset[str] = frozenset(
    words(
        "shell shelling strike airstrike missile rocket bomb bombing drone artillery attack "
        "raid explosion blast firing gunfire bullet shooting gunshot grenade mortar shrapnel "
        "sniper bombardment barrage"
    )
)
# Disasters and accidents: a death or destruction they cause is no violation, unless
# the sentence also tells of an attack ("killed when the shell set the depot on fire").
ACCIDENTS: frozenset[str] = frozenset(
    words(
        "earthquake quake flood floods flooding landslide mudslide tsunami cyclone hurricane "
        "typhoon storm tornado avalanche drought lightning heatwave blaze wildfire fire "
        "crash collision accident derailment derail stampede drowning drown electrocution "
        "collapse short-circuit leak epidemic disease illness"
    )
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
