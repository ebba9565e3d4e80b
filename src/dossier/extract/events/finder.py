"""Violation events: find triggers, check their context, and build Event records.

For each lexicon match (``triggers.py``) the parse decides whether it is a
violation at all (an ambiguous word needs a person, civilian or protected
target), what happened to whom (``harm.py``), who did it and who says so
(``sides.py``, ``status.py``), where
(``event_place``) and when (``times.event_time``). Reports of one violation in
several sentences of a document are merged into one event.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from ...records import (
    Actor,
    DetentionSubtype,
    Event,
    EventType,
    Harm,
    Place,
    PlaceMention,
    Span,
    TimeRange,
)
from ..times import event_time
from . import harm as harm_mod
from .clauses import clause_times
from .event_place import DocumentPlaces, compatible_place, place_rank
from .sides import is_armed, is_police, perpetrator_of, sentence_of, state_force_before
from .status import StatusReading, is_negated, read_status
from .triggers import (
    ACCIDENTS,
    AREA_WEAPONS,
    ATTACK_WORDS,
    CIVILIAN_OBJECTS,
    HORS_DE_COMBAT,
    PERSON_HEADS,
    PROPERTY_OBJECTS,
    PROTECTED_OBJECTS,
    REMOTE_STRIKES,
    RULES,
    TriggerRule,
    forms,
    words,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan


log = logging.getLogger(__name__)

_INJURE = frozenset({"injure", "wound", "hurt", "maim"})
_KILL = frozenset({"kill", "murder", "die", "dead"})
# Verbs whose subject is the one who dies ("four people died", "he succumbed").
_UNACCUSATIVE = frozenset({"die", "succumb", "perish"})
# Compounds that make an explosion an accident ("a gas cylinder blast").
_ACCIDENTAL_BLASTS = frozenset(words("gas cylinder boiler pipeline factory firecracker"))
# Heads whose "fire" is shooting, not a blaze ("opened fire", "returned fire").
_SHOOTING_FIRE = frozenset(words("open return exchange"))
# Medical and legal senses of detention words: no one is deprived of liberty by them.
_NOT_DETENTION = frozenset(words("cardiac heart respiratory warrant court"))


@dataclass
class _Found:
    """An event under construction, before merging."""

    rule: TriggerRule
    trigger: SpacySpan
    type: EventType
    harm: list[Harm]
    reading: StatusReading
    perpetrator: Actor | None
    place: Place | None
    place_rank: int  # 3: attached to trigger, 2: in sentence, 1: document fallback
    reports: list[tuple[int, int]] = field(default_factory=list)  # every trigger merged in
    subtype: DetentionSubtype | None = None


@dataclass(frozen=True)
class FoundEvents:
    """A document's events and, for each trigger merged into one, which event it joined."""

    events: list[Event]
    mentions: list[tuple[int, int, str]]  # (start char, end char, event id)


def _matches(doc: Doc) -> list[tuple[int, int, int]]:
    """(rule index, start, end) of every lexicon match, longest first at each start."""
    out = []
    for token in doc:
        for index, forms_ in _rules_for(token):
            end = token.i + len(forms_)
            if end <= len(doc) and all(
                doc[token.i + k].lower_ in forms_[k] or doc[token.i + k].lemma_.lower() in forms_[k]
                for k in range(1, len(forms_))
            ):
                out.append((index, token.i, end))
            elif len(forms_) == 2 and any(
                c.dep_ in ("prt", "advmod") and c.lower_ in forms_[1] for c in token.children
            ):
                # A phrasal verb split by its object: "took him away", "led the men away".
                out.append((index, token.i, token.i + 1))
    return out


def _rules_for(token: Token) -> list[tuple[int, list[frozenset[str]]]]:
    """Rules whose first word this token can be (single words must also have the right POS)."""
    found = []
    for key in {token.lower_, token.lemma_.lower()}:
        for index, forms_ in _FIRST.get(key, ()):
            rule = RULES[index]
            if len(forms_) == 1 and token.pos_ not in rule.pos:
                continue
            found.append((index, forms_))
    return found


def _index_rules() -> dict[str, list[tuple[int, list[frozenset[str]]]]]:
    index: dict[str, list[tuple[int, list[frozenset[str]]]]] = {}
    for number, rule in enumerate(RULES):
        forms_ = [frozenset(forms(lemma)) for lemma in rule.lemmas]
        for first in forms_[0]:
            index.setdefault(first, []).append((number, forms_))
    return index


_FIRST = _index_rules()


def _scope(token: Token) -> list[Token]:
    """Tokens whose words can say what a trigger was aimed at."""
    tokens = list(token.subtree)
    if (
        token.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj", "pcomp", "compound")
        or token.pos_ == "NOUN"
    ):
        head = token.head
        # "destroyed in an air strike", "damaged by shelling": the clause the phrase sits in.
        while head.pos_ == "ADP" and head.head is not head:
            head = head.head
        tokens.extend(head.subtree)
    return tokens


def _victims(root: Token) -> list[Token]:
    """Who a trigger acts on, with the subject of a death ("two died", "one dead")."""
    victims = harm_mod.victims_of(root)
    lemma = root.lemma_.lower()
    if (
        root.tag_ == "VBN"
        and root.pos_ == "VERB"
        and not any(c.dep_ in ("aux", "auxpass") for c in root.children)
    ):
        # A headline's passive without its auxiliary: "Two civilians killed in shelling",
        # "one militant killed on the spot": the subject is the victim, not the doer.
        victims += [c for c in root.children if c.dep_ == "nsubj" and c not in victims]
    if lemma in _UNACCUSATIVE:
        victims += [c for c in root.children if c.dep_ == "nsubj" and c not in victims]
    if root.lower_ == "dead" or lemma == "dead":
        if root.dep_ == "amod" and root.head.pos_ in ("NOUN", "PROPN", "NUM"):
            victims.append(root.head)
        elif root.dep_ in ("acomp", "oprd", "ccomp", "ROOT"):
            head = root.head if root.dep_ != "ROOT" else root
            victims += [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
        victims += [c for c in root.children if c.dep_ in ("nsubj", "npadvmod", "nummod")]
    return victims


def _armed_doer(token: Token) -> bool:
    """An armed actor named as the doer: "by soldiers", "at the hands of the police"."""
    if token.dep_ != "pobj" or not is_armed(token):
        return False
    prep = token.head
    return prep.dep_ == "agent" or (
        prep.lower_ == "of" and prep.head.lemma_.lower() in ("hand", "hands")
    )


def _held_person(custody: Token) -> bool:
    """Whether the one "in custody" is a person: "he was taken into police custody"."""
    verb = custody.head.head if custody.head.pos_ == "ADP" else custody.head
    held = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    if custody.head.pos_ == "ADP" and custody.head.dep_ == "prep" and verb.pos_ == "NOUN":
        held.append(verb)  # "the men in custody"
    return any(harm_mod.category_of(h) or h.lower_ in PERSON_HEADS for h in held)


def _accidental(root: Token, sentence: SpacySpan) -> bool:
    """The sentence puts the harm down to a disaster or an accident, and to no attack.

    "Floods killed 40", "died in a fire", "a gas cylinder blast killed three":
    deaths that are no violation. An attack word in the sentence ("the blaze
    started by the shelling") keeps the event.
    """
    accident = False
    for tok in sentence:
        lemma = tok.lemma_.lower()
        if lemma in ("explosion", "blast", "explode") and any(
            c.lower_ in _ACCIDENTAL_BLASTS for c in tok.subtree
        ):
            accident = True
        elif lemma in ATTACK_WORDS or tok.lower_ in ATTACK_WORDS:
            return False
        elif lemma == "fire" and (tok.head.lemma_.lower() in _SHOOTING_FIRE or tok.pos_ == "VERB"):
            return False  # "police opened fire": shooting
        elif lemma in ACCIDENTS or tok.lower_ in ACCIDENTS:
            accident = True
    return accident


def _subtype(rule: TriggerRule, root: Token, perpetrator: Actor | None) -> DetentionSubtype | None:
    """A detention's subtype: the rule's, or read from the doer ("detained by police": arrest)."""
    if rule.type != "detention":
        return None
    if rule.subtype is not None:
        return rule.subtype
    if perpetrator is None or is_police(perpetrator.text):
        return "arrest"
    return "captivity"


def _combatants_only(victims: list[Token]) -> bool:
    """Victims are all soldiers, and nothing says they were out of the fight."""
    categories = {harm_mod.category_of(v) for v in victims} - {None}
    if categories != {"combatants"}:
        return False
    context = _lemmas([t for v in victims for t in v.subtree] + list(sentence_of(victims[0])))
    return not context & HORS_DE_COMBAT


def _lemmas(tokens: list[Token]) -> set[str]:
    return {t.lemma_.lower() for t in tokens} | {t.lower_ for t in tokens}


def _qualifies(rule: TriggerRule, root: Token, victims: list[Token]) -> EventType | None:
    """The event type a match stands for in context, or None when it is no violation."""
    # Soldiers killed in combat, or wounded, are casualties of war; soldiers executed or
    # shot once captive ("person" rules that kill) are victims and stay events.
    wounding = rule.requires == "person" and rule.harm == "injured"
    if (
        rule.type == "killing"
        and _combatants_only(victims)
        and (rule.requires == "none" or wounding)
    ):
        return None  # soldiers killed in combat are casualties of war, not a violation
    if rule.requires == "none":
        return rule.type
    if rule.requires == "violent_cause":
        # The death must be of people and put down to an attack in its own clause
        # ("died in police firing", "deaths in the air strike", "wounded by shrapnel").
        people = any(harm_mod.category_of(v) or v.lower_ in PERSON_HEADS for v in victims)
        cause = (
            any(t.lemma_.lower() in ATTACK_WORDS or t.lower_ in ATTACK_WORDS for t in root.subtree)
            or (
                root.dep_ in ("amod", "acl")
                and any(t.lemma_.lower() in ATTACK_WORDS for t in root.head.subtree)
            )
            or any(_armed_doer(t) for t in root.subtree)
        )
        return rule.type if people and cause else None
    if rule.requires == "person":
        ok = any(harm_mod.category_of(v) or v.lower_ in PERSON_HEADS for v in victims)
        return rule.type if ok else None
    # The trigger's own words are not its target: the car of "a car bomb" is the weapon.
    # Nor is an active verb's subject: "a car bomb exploded" names the weapon, not a car hit.
    doer = {t.i for c in root.children if c.dep_ == "nsubj" for t in c.subtree}
    scope = [t for t in _scope(root) if t.i not in doer]
    words = _lemmas(scope) - set(rule.lemmas) - _weapon_compounds(root)
    own = _lemmas(list(root.subtree))
    if not own & (CIVILIAN_OBJECTS | PROTECTED_OBJECTS) and any(
        is_negated(t) for t in (root.head, root.head.head)
    ):
        return None  # "no civilians were killed in the attack": nothing civilian was hit
    if rule.requires == "property":
        # Destruction by a strike is that attack's damage (its harm "damaged"), not
        # wanton destruction; military hardware is not property.
        if _lemmas(list(sentence_of(root))) & ATTACK_WORDS:
            return None
        return rule.type if words & PROPERTY_OBJECTS else None
    if words & PROTECTED_OBJECTS:
        return "attack_on_protected"
    if words & CIVILIAN_OBJECTS:
        return rule.type
    # Area weapons on a named town or city ("shelled Kharkiv") strike where civilians live.
    if rule.lemmas[0] in AREA_WEAPONS and any(
        t.pos_ == "PROPN"
        and t.ent_type_ in ("GPE", "LOC", "NORP", "FAC")
        and t.dep_ in ("dobj", "pobj")
        for t in root.subtree
    ):
        return rule.type
    # So do strikes from the air or from afar that hit the town itself ("air strikes hit
    # Gaza", "a missile strike on Odesa"), not a target near it.
    if " ".join(rule.lemmas) in REMOTE_STRIKES and _hits_a_town(root):
        return rule.type
    return None


_PHRASES = frozenset(" ".join(r.lemmas) for r in RULES if len(r.lemmas) > 1)


def _weapon_compounds(root: Token) -> set[str]:
    """Compounds that make the trigger a weapon's name ("car bomb"), not its target."""
    out = set()
    for child in root.children:
        if child.dep_ == "compound" and (
            f"{child.lemma_.lower()} {root.lemma_.lower()}" in _PHRASES
            or f"{child.lower_} {root.lower_}" in _PHRASES
        ):
            out |= {child.lemma_.lower(), child.lower_}
    return out


def _hits_a_town(root: Token) -> bool:
    """A named town is the strike's own target: "air strikes hit Gaza", "a missile strike
    on Odesa"; not a place where soldiers were killed ("killed three soldiers in Donetsk")."""
    places = root.doc.user_data.get(_PLACE_TOKENS, set())
    holders: list[tuple[Token, tuple[str, ...]]] = [(root, ("on", "in", "at", "against"))]
    if root.dep_ in ("nsubj", "nsubjpass") and root.head.pos_ == "VERB":
        holders.append((root.head, ("on",)))  # "air strikes hit Gaza"
        if _combatants_only(harm_mod.victims_of(root.head)):
            return False
    for holder, preps in holders:
        for child in holder.children:
            targets = [child] if child.dep_ == "dobj" else []
            if child.dep_ == "prep" and child.lower_ in preps:
                targets = [g for g in child.children if g.dep_ == "pobj"]
            if any(
                t.pos_ == "PROPN" and (t.ent_type_ in ("GPE", "LOC", "FAC") or t.i in places)
                for t in targets
            ):
                return True
    return False


_PLACE_TOKENS = "dossier.events.place_tokens"  # tokens of the document's resolved places


def _generic(root: Token, victims: list[Token]) -> bool:
    """A plural act noun with no determiner, number or date, and no harm told: a pattern.

    "The junta has stepped up air attacks on villages", "groups documented dozens
    of strikes on churches" speak of a campaign, not of one act (ACE's generic
    events): no place, day or toll of one occurrence can be read from them.
    """
    if root.pos_ != "NOUN" or root.tag_ not in ("NNS", "NNPS"):
        return False
    if any(harm_mod.category_of(v) or v.lower_ in PERSON_HEADS for v in victims):
        return False
    if any(c.dep_ in ("det", "poss", "nummod") for c in root.children):
        return False
    sentence = sentence_of(root)
    if any(t.ent_type_ in ("DATE", "TIME") for t in sentence):
        return False
    return not any(t.lemma_.lower() in _KILL | _INJURE for t in sentence)


def _harm_of(
    rule: TriggerRule, type_: EventType, root: Token, victims: list[Token], sentence: SpacySpan
) -> list[Harm]:
    out = list(harm_mod.sentence_harm(rule.harm, type_, root, victims, sentence))
    if type_ in ("attack_on_civilians", "attack_on_protected", "prohibited_weapon"):
        out.extend(_damage(tok for tok in sentence if tok.lemma_.lower() in _DAMAGE))
    if type_ == "pillage_destruction":
        out.extend(_damage([root]))
    return out


# Words of damage to objects: "destroyed", "damaged", "burned down", "flattened".
_DAMAGE = frozenset(
    words("destroy damage burn torch raze demolish flatten gut wreck loot ransack pillage")
)


def _damage(acts: Iterable[Token]) -> list[Harm]:
    """Harm "damaged" for the civilian or protected objects an act of damage hits."""
    out: list[Harm] = []
    objects = PROPERTY_OBJECTS | CIVILIAN_OBJECTS | PROTECTED_OBJECTS
    for act in acts:
        for head in harm_mod.victims_of(act):
            inner = next(  # "dozens of homes": the count's complement is what was hit
                (g for c in head.children if c.lower_ == "of" for g in c.children), None
            )
            if head.lemma_.lower() not in objects and inner is not None:
                low, high = harm_mod.count_range(head)
                if inner.lemma_.lower() in objects or inner.lower_ in objects:
                    text = head.doc[head.left_edge.i : inner.i + 1].text
                    out.append(Harm("damaged", inner.lemma_.lower(), low, high, text))
                continue
            if head.lemma_.lower() in objects or head.lower_ in objects:
                low, high = harm_mod.count_range(head)
                span = head.doc[head.left_edge.i : head.i + 1]  # "the maternity hospital"
                out.append(Harm("damaged", head.lemma_.lower(), low, high, span.text))
    return out


def event_id(document_id: str, type_: str, start: int) -> str:
    """A deterministic id: the same document and pipeline give the same ids."""
    digest = hashlib.sha256(f"{document_id}|{type_}|{start}".encode()).hexdigest()
    return f"ev_{digest[:16]}"


def find_events(
    doc: Doc,
    document_id: str,
    places: list[PlaceMention],
    times: list[tuple[int, int, TimeRange]],
    published: date | None,
) -> FoundEvents:
    """The violation events of one parsed document, merged per violation, in text order."""
    doc_places = DocumentPlaces(doc, places)
    doc.user_data[_PLACE_TOKENS] = {
        t.i for p in places for t in (doc.char_span(p.start, p.end, alignment_mode="expand") or ())
    }
    found: list[_Found] = []
    seen: set[int] = set()
    matches = sorted(set(_matches(doc)), key=lambda m: (m[1], -(m[2] - m[1]), m[0]))
    for key, start, end in matches:
        if any(i in seen for i in range(start, end)):
            continue
        rule = RULES[key]
        span = doc[start:end]
        root = span.root
        victims = _victims(root)
        type_ = _qualifies(rule, root, victims)
        if type_ is None or (rule.type == "attack_on_civilians" and _generic(root, victims)):
            continue
        sentence = sentence_of(span.root)
        if rule.type == "detention" and any(
            c.lower_ in _NOT_DETENTION for c in list(root.children) + [root.head]
        ):
            continue  # "cardiac arrest", "an arrest warrant"
        if rule.lemmas == ("custody",) and not _held_person(root):
            continue  # "the stones landed in the custody of the magistrate": no one is held
        if rule.type in ("killing", "attack_on_civilians", "pillage_destruction") and _accidental(
            root, sentence
        ):
            continue
        seen.update(range(start, end))
        reading = read_status(root, sentence)
        place, rank = doc_places.place_for(root, sentence)
        # Damage told after a strike ("Forces shelled the district. Houses were damaged.")
        # is that strike's damage: its doer comes from the merge, not the sentence before.
        previous = rule.type != "pillage_destruction"
        perpetrator = perpetrator_of(root, sentence, victims, previous)
        if perpetrator is None and rule.type == "detention" and rule.subtype in ("arrest", None):
            # An arrest is a state act: the arresting force named before it is its doer.
            perpetrator = state_force_before(root)
            if rule.subtype is None and perpetrator and not is_police(perpetrator.text):
                # "civilians were detained" near "troops" elsewhere: no arrest, doer unknown
                perpetrator = None
        found.append(
            _Found(
                rule,
                span,
                type_,
                _harm_of(rule, type_, root, victims, sentence),
                reading,
                perpetrator,
                place,
                rank,
                [(span.start_char, span.end_char)],
                _subtype(rule, root, perpetrator),
            )
        )
    kept = _without_redundant_injuries(found)
    taken = {sentence_of(m.trigger.root).start for m in kept}
    events = _merge(kept)
    for start, figures in harm_mod.loose_figures(doc, taken):  # "She died at the hospital"
        casualties = [e for e in events if e.type in harm_mod.CASUALTY_TYPES]
        earlier = [e for e in casualties if e.reports[0][0] < start] or casualties[:1]  # headline
        if earlier and earlier[-1].reading.status not in ("hypothetical", "negated"):
            earlier[-1].harm.extend(figures)
    dominant = _dominant_perpetrator(events)
    country = _document_country(places)
    out: list[Event] = []
    mentions: list[tuple[int, int, str]] = []
    for item in events:
        sentence = sentence_of(item.trigger.root)
        in_sentence = [
            (s, e, t) for s, e, t in times if s >= sentence.start_char and e <= sentence.end_char
        ]
        sent_times, bound = clause_times(item.trigger.root, in_sentence)
        doc_times = [t for _, _, t in times]
        perpetrator = item.perpetrator or dominant
        # "police": the police of the state where the document is set (an army may
        # be a foreign one, so only the police take the place's country).
        if perpetrator and perpetrator.side is None and country and is_police(perpetrator.text):
            perpetrator = Actor(perpetrator.text, country)
        out.append(
            Event(
                id=event_id(document_id, item.type, item.trigger.start_char),
                type=item.type,
                trigger=Span(item.trigger.text, item.trigger.start_char, item.trigger.end_char),
                sentence=_trimmed(sentence),
                place=item.place,
                time=event_time(sent_times, doc_times, published, bound),
                perpetrator=perpetrator,
                harm=harm_mod.merge_harm(item.harm),
                status=item.reading.status,
                asserted_by=tuple(item.reading.asserted_by),
                denied_by=tuple(item.reading.denied_by),
                subtype=item.subtype,
            )
        )
        mentions.extend((start, end, out[-1].id) for start, end in item.reports)
    log.debug("%s: %d triggers, %d events", document_id, len(found), len(out))
    return FoundEvents(out, sorted(mentions))


def _without_redundant_injuries(found: list[_Found]) -> list[_Found]:
    """A wounding told beside another violation, or after the document's first attack, is
    that attack's harm (its sentence's figures, ``harm.loose_figures``), not an event."""
    out = []
    for item in found:
        if item.rule.harm == "injured":
            at = sentence_of(item.trigger.root).start
            others = [o for o in found if o.rule.harm != "injured"]
            if any(
                sentence_of(o.trigger.root).start == at
                or (o.type in harm_mod.CASUALTY_TYPES and o.trigger.start < item.trigger.start)
                for o in others
            ):
                continue
        out.append(item)
    return out


def _trimmed(sentence: SpacySpan) -> Span:
    """The sentence's span without the line breaks the parser leaves at its end."""
    text = sentence.text.rstrip()
    return Span(text, sentence.start_char, sentence.start_char + len(text))


def _document_country(places: list[PlaceMention]) -> str | None:
    """The one country all the document's resolved places lie in, if there is one."""
    countries = {p.place.country for p in places if p.place.country}
    return next(iter(countries)) if len(countries) == 1 else None


def _dominant_perpetrator(events: list[_Found]) -> Actor | None:
    """The document's most-named perpetrator, for events whose sentence names none."""
    sides = [
        e.perpetrator
        for e in events
        if e.perpetrator
        and e.perpetrator.side
        and e.reading.status not in ("hypothetical", "negated")
    ]
    if not sides:
        return None
    counts: dict[str, int] = {}
    for actor in sides:
        counts[actor.side or ""] = counts.get(actor.side or "", 0) + 1
    best = max(counts, key=counts.__getitem__)
    return next(a for a in sides if a.side == best)


def _categories(item: _Found) -> set[str]:
    return {h.category for h in item.harm if h.category not in harm_mod.UNSPECIFIED}


def _merge(found: list[_Found]) -> list[_Found]:
    """One event per violation: same type, compatible place and victims, both reported as real."""
    merged: list[_Found] = []
    for item in found:
        target = next((old for old in merged if _same_violation(old, item)), None)
        if target is None and _refers_back(item):
            # The attack itself before the deaths it caused, the latest first.
            earlier = [old for old in reversed(merged) if _antecedent(old, item)]
            target = next((old for old in earlier if old.type != "killing"), None) or next(
                iter(earlier), None
            )
        if target is None:
            merged.append(item)
        else:
            _absorb(target, item)
    return merged


# A strike told in a headline and again in the body with what it hit ("Theatre in
# Mariupol bombed" / "bombed the theatre where civilians sheltered") is one strike.
_ATTACK_KINDS = frozenset({"attack_on_civilians", "attack_on_protected"})


def _same_type(a: str, b: str) -> bool:
    return a == b or {a, b} <= _ATTACK_KINDS


def _same_violation(old: _Found, new: _Found) -> bool:
    unreal = ("hypothetical", "negated")
    if not _same_type(old.type, new.type):
        return False
    if old.reading.status in unreal or new.reading.status in unreal:
        return False
    if old.subtype and new.subtype and old.subtype != new.subtype:
        return False  # an arrest and an abduction are two acts
    cats_old, cats_new = _categories(old), _categories(new)
    if cats_old and cats_new and not cats_old & cats_new:
        return False
    return compatible_place(old.place, new.place)


# Violent acts a later "the attack", "the shells" or an agentless "burned down" can refer to.
_STRIKES = frozenset({"attack_on_civilians", "attack_on_protected", "prohibited_weapon", "killing"})
# Modifiers that make a definite phrase name a different act ("the other attack").
_DISJOINT = frozenset(words("another other separate new earlier previous similar such"))
_DEFINITE = frozenset(words("the this that these those its their"))


def _refers_back(item: _Found) -> bool:
    """A definite mention of an attack ("the strike hit ...", "the shells came from ..."),
    or damage with no doer of its own ("the library burned down"): the document has
    already reported the act, so this sentence adds to it rather than telling a new one."""
    if item.reading.status in ("hypothetical", "negated"):
        return False
    root = item.trigger.root
    if item.type == "pillage_destruction":
        doers = [c for c in root.children if c.dep_ in ("agent", "dobj")]
        return item.perpetrator is None and root.pos_ == "VERB" and not doers
    if item.type not in _STRIKES:
        return False
    nouns = (
        [root]
        if root.pos_ == "NOUN"
        else [
            c
            for c in root.children
            if c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in ATTACK_WORDS
        ]
    )
    for noun in nouns:
        mods = {c.lower_ for c in noun.children if c.dep_ in ("det", "poss", "amod")}
        if mods & _DEFINITE and not mods & _DISJOINT:
            return True
    return False


def _antecedent(old: _Found, item: _Found) -> bool:
    """An earlier act a back-reference can be about: violent, real, at a compatible place."""
    return (
        old.type in _STRIKES
        and old.reading.status not in ("hypothetical", "negated")
        and compatible_place(old.place, item.place)
    )


def _absorb(target: _Found, item: _Found) -> None:
    """Fold a second report of the same violation into the first."""
    if item.type == "attack_on_protected":
        target.type = item.type  # what it hit is the finer reading of the strike
    # Merged places are compatible (one contains the other): the finer one says
    # where it happened, whichever sentence it came from; then the closer-attached.
    better_place = item.place is not None and (
        target.place is None
        or place_rank(item.place) > place_rank(target.place)
        or (
            place_rank(item.place) == place_rank(target.place)
            and item.place_rank > target.place_rank
        )
    )
    if better_place:
        # The sentence that locates the violation is the better evidence.
        target.trigger, target.place, target.place_rank = item.trigger, item.place, item.place_rank
    target.harm.extend(item.harm)
    target.reports.extend(item.reports)
    target.perpetrator = target.perpetrator or item.perpetrator
    target.subtype = target.subtype or item.subtype
    target.reading = target.reading.combine(item.reading)


__all__ = ["find_events", "event_id", "replace"]
