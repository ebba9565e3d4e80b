"""Violation events: find triggers, check their context, and build Event records.

For each lexicon match (``triggers.py``) the parse decides whether it is a
violation at all (an ambiguous word needs a person, civilian or protected
target), what happened to whom (``harm.py``), who did it and who says so
(``actors.py``), where
(``event_place``) and when (``times.event_time``). Reports of one violation in
several sentences of a document are merged into one event.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from ..records import Actor, Event, EventType, Harm, Place, PlaceMention, Span, TimeRange
from . import harm as harm_mod
from .actors import (
    StatusReading,
    is_negated,
    perpetrator_of,
    read_status,
    sentence_of,
)
from .clauses import clause_times
from .event_place import DocumentPlaces, compatible_place, place_rank
from .times import event_time
from .triggers import (
    AREA_WEAPONS,
    ATTACK_WORDS,
    CIVILIAN_OBJECTS,
    HORS_DE_COMBAT,
    PERSON_HEADS,
    PROPERTY_OBJECTS,
    PROTECTED_OBJECTS,
    RULES,
    TriggerRule,
    forms,
    words,
)

log = logging.getLogger(__name__)
Token = Any  # spacy.tokens.Token

_INJURE = frozenset({"injure", "wound", "hurt", "maim"})
_KILL = frozenset({"kill", "murder", "die", "dead"})


@dataclass
class _Found:
    """An event under construction, before merging."""

    rule: TriggerRule
    trigger: Any  # spacy Span
    type: EventType
    harm: list[Harm]
    reading: StatusReading
    perpetrator: Actor | None
    place: Place | None
    place_rank: int  # 3: attached to trigger, 2: in sentence, 1: document fallback
    reports: list[tuple[int, int]] = field(default_factory=list)  # every trigger merged in


@dataclass(frozen=True)
class FoundEvents:
    """A document's events and, for each trigger merged into one, which event it joined."""

    events: list[Event]
    mentions: list[tuple[int, int, str]]  # (start char, end char, event id)


def _matches(doc: Any) -> list[tuple[int, int, int]]:
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
    if rule.type == "killing" and _combatants_only(victims) and rule.requires == "none":
        return None  # soldiers killed in combat are casualties of war, not a violation
    if rule.requires == "none":
        return rule.type
    if rule.requires == "violent_cause":
        # The death must be of people and put down to an attack in its own clause.
        people = any(harm_mod.category_of(v) or v.lower_ in PERSON_HEADS for v in victims)
        cause = any(t.lemma_.lower() in ATTACK_WORDS for t in root.subtree)
        return rule.type if people and cause else None
    if rule.requires == "person":
        ok = any(harm_mod.category_of(v) or v.lower_ in PERSON_HEADS for v in victims)
        return rule.type if ok else None
    words = _lemmas(_scope(root))
    own = _lemmas(list(root.subtree))
    if not own & (CIVILIAN_OBJECTS | PROTECTED_OBJECTS) and any(
        is_negated(t) for t in (root.head, root.head.head)
    ):
        return None  # "no civilians were killed in the attack": nothing civilian was hit
    if rule.requires == "property":
        # Destruction by a strike is that attack's damage, not wanton destruction.
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
    return None


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
    rule: TriggerRule, type_: EventType, root: Token, victims: list[Token], sentence: Any
) -> list[Harm]:
    out: list[Harm] = []
    if rule.harm is not None and type_ not in ("mass_grave",):
        for victim in victims:
            out.extend(harm_mod.harm_for(victim, rule.harm))
    if type_ in ("attack_on_civilians", "attack_on_protected", "prohibited_weapon", "mass_grave"):
        for tok in sentence:  # "the shelling killed five and wounded 12"
            lemma = tok.lemma_.lower()
            kind = "killed" if lemma in _KILL else "injured" if lemma in _INJURE else None
            if kind is not None:
                dying = (
                    [c for c in tok.children if c.dep_ == "nsubj"]
                    if lemma in ("die", "dead")
                    else []
                )
                for victim in harm_mod.victims_of(tok) + dying:
                    out.extend(harm_mod.harm_for(victim, kind))  # type: ignore[arg-type]
            if type_ == "mass_grave" and lemma in ("body", "corpse") and tok.i != root.i:
                out.extend(harm_mod.harm_for(tok, "killed"))
    return out


def event_id(document_id: str, type_: str, start: int) -> str:
    """A deterministic id: the same document and pipeline give the same ids."""
    digest = hashlib.sha256(f"{document_id}|{type_}|{start}".encode()).hexdigest()
    return f"ev_{digest[:16]}"


def find_events(
    doc: Any,
    document_id: str,
    places: list[PlaceMention],
    times: list[tuple[int, int, TimeRange]],
    published: date | None,
) -> FoundEvents:
    """The violation events of one parsed document, merged per violation, in text order."""
    doc_places = DocumentPlaces(doc, places)
    found: list[_Found] = []
    seen: set[int] = set()
    matches = sorted(set(_matches(doc)), key=lambda m: (m[1], -(m[2] - m[1]), m[0]))
    for key, start, end in matches:
        if any(i in seen for i in range(start, end)):
            continue
        rule = RULES[key]
        span = doc[start:end]
        root = span.root
        victims = harm_mod.victims_of(root)
        type_ = _qualifies(rule, root, victims)
        if type_ is None or (rule.type == "attack_on_civilians" and _generic(root, victims)):
            continue
        seen.update(range(start, end))
        sentence = sentence_of(span.root)
        reading = read_status(root, sentence)
        place, rank = doc_places.place_for(root, sentence)
        found.append(
            _Found(
                rule,
                span,
                type_,
                _harm_of(rule, type_, root, victims, sentence),
                reading,
                perpetrator_of(root, sentence, victims),
                place,
                rank,
                [(span.start_char, span.end_char)],
            )
        )
    events = _merge(found)
    dominant = _dominant_perpetrator(events)
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
            )
        )
        mentions.extend((start, end, out[-1].id) for start, end in item.reports)
    log.debug("%s: %d triggers, %d events", document_id, len(found), len(out))
    return FoundEvents(out, sorted(mentions))


def _trimmed(sentence: Any) -> Span:
    """The sentence's span without the line breaks the parser leaves at its end."""
    text = sentence.text.rstrip()
    return Span(text, sentence.start_char, sentence.start_char + len(text))


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


def _same_violation(old: _Found, new: _Found) -> bool:
    unreal = ("hypothetical", "negated")
    if old.type != new.type or old.reading.status in unreal or new.reading.status in unreal:
        return False
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
    target.reading = target.reading.combine(item.reading)


__all__ = ["find_events", "event_id", "replace"]
