"""Status: who says so, who denies it, and whether what is reported happened at all.

An act a trigger names is asserted, alleged (a source is given: "X said",
"according to X", a hedge), denied, negated ("no civilians were killed") or
hypothetical (threatened, demanded, under a modal). The sources are actors read
as ``sides.py`` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...records import Actor, EventStatus
from .sides import DENIAL, DISCOURSE, REPORTING, actors_in_coordination, sentence_of
from .triggers import words

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_MODALS = frozenset(words("would could might may will shall should can must ought 'll 'd"))
# Verbs under which an act is intended, feared or prevented, not done.
_UNREAL = frozenset(
    words(
        "threaten plan intend vow prepare risk fear prevent avoid want seek amount "
        "aim propose consider likely order direct demand urge ask need try attempt "
        "expect allow permit authorise authorize empower grant"
    )
)
_CLAUSAL = frozenset(words("ccomp xcomp advcl conj pcomp csubj parataxis"))
# Verbs and nouns under which a named act is asked for, not done ("demanded the arrest").
_DEMANDS = frozenset(words("demand urge seek want ask press appeal plea"))
_NEGATORS = frozenset({"not", "n't", "never", "no", "none", "nobody", "neither", "nor"})
_HEDGES = frozenset({"reportedly", "allegedly", "purportedly", "apparently", "supposedly"})
_ORDER = {"asserted": 0, "alleged": 1, "denied": 2, "negated": -1, "hypothetical": -2}


@dataclass
class StatusReading:
    """What the text says about a reported act: real or not, and whose word it is."""

    status: EventStatus = "asserted"
    asserted_by: list[Actor] = field(default_factory=list)
    denied_by: list[Actor] = field(default_factory=list)

    def combine(self, other: StatusReading) -> StatusReading:
        """Two reports of one act: the more contested status, all parties."""
        status = max(self.status, other.status, key=_ORDER.__getitem__)
        return StatusReading(
            status,
            _unique(self.asserted_by + other.asserted_by),
            _unique(self.denied_by + other.denied_by),
        )


def _unique(actors: list[Actor]) -> list[Actor]:
    seen: dict[str, Actor] = {}
    for actor in actors:
        seen.setdefault(actor.text.lower(), actor)
    return list(seen.values())


def is_negated(token: Token) -> bool:
    """Whether a word's clause says the act did not happen ("not", "no civilians", "nobody")."""
    for child in token.children:
        if child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ == "no"):
            return True
        if child.dep_ in ("nsubjpass", "dobj", "nsubj") and any(
            g.dep_ == "det" and g.lower_ == "no" for g in child.children
        ):
            return True
        if child.dep_ in ("nsubjpass", "dobj", "nsubj") and child.lower_ in (
            "nobody",
            "none",
            "noone",
        ):
            return True
    return False


def _unreal(token: Token) -> bool:
    for child in token.children:
        if child.dep_ in ("aux", "auxpass") and child.lower_ in _MODALS:
            return True
        if child.dep_ == "mark" and child.lower_ in ("if", "unless", "whether"):
            return True
    return token.lemma_.lower() in _UNREAL


def subjects(verb: Token) -> list[Actor]:
    """The parties a reporting verb or noun gives as its source."""
    if verb.pos_ == "NOUN":  # "allegations by Kyiv", "Ukraine's claims": only its own source
        for child in verb.children:
            if child.dep_ == "poss" or (
                child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from")
            ):
                head = next((g for g in child.children if g.dep_ == "pobj"), child)
                return actors_in_coordination(head)
        return []
    cur = verb
    for _ in range(3):
        # Of two subjects ("the minister, Melanie Joly, said") the named person speaks.
        for child in sorted(cur.children, key=lambda c: c.ent_type_ != "PERSON"):
            if child.dep_ in ("nsubj", "poss") or (child.dep_ == "agent"):
                head = next((g for g in child.children if g.dep_ == "pobj"), child)
                if head.pos_ == "PRON" and head.lower_ in ("she", "he", "they", "it", "we"):
                    # "The UN office said it had documented …": the source named above it.
                    for anc in cur.ancestors:
                        if anc.lemma_.lower() in REPORTING:
                            named = [
                                c for c in anc.children if c.dep_ == "nsubj" and c.pos_ != "PRON"
                            ]
                            if named:
                                return actors_in_coordination(named[0])
                    earlier = earlier_speaker(verb)
                    if earlier is not None:
                        return earlier
                return actors_in_coordination(head)
        if cur.dep_ not in _CLAUSAL and cur.dep_ not in ("dobj", "pobj", "prep"):
            break
        cur = cur.head
    return []


def earlier_speaker(verb: Token) -> list[Actor] | None:
    """A pronoun source ("She adds …") stands for the last named source before it."""
    sentence = sentence_of(verb)
    doc = verb.doc
    index = sentence.start - 1
    while index > max(0, sentence.start - 400):
        tok = doc[index]
        if tok.lemma_.lower() in REPORTING and tok.pos_ in ("VERB", "NOUN"):
            for child in tok.children:
                if child.dep_ == "nsubj" and child.pos_ != "PRON":
                    return actors_in_coordination(child)
        index -= 1
    return None


def _according_to(sentence: Span) -> list[Actor]:
    for tok in sentence:
        if tok.lower_ == "according":
            for prep in tok.children:
                for pobj in prep.children:
                    if pobj.dep_ == "pobj":
                        return actors_in_coordination(pobj)
            for prep in tok.head.children if tok.head.lower_ == "to" else ():
                if prep.dep_ == "pobj":
                    return actors_in_coordination(prep)
        if tok.lower_ == "to" and tok.head.lower_ == "according":
            for pobj in tok.children:
                if pobj.dep_ == "pobj":
                    return actors_in_coordination(pobj)
    return []


def _demanded(trigger: Token) -> bool:
    """An act named as what someone asks for: "demanded the arrest", "called for a ban on
    the party and arrest of its leaders"."""
    if trigger.pos_ != "NOUN":
        return False
    tok = trigger.head if trigger.dep_ == "conj" else trigger
    if tok.dep_ == "dobj":  # "demanded the arrest"; not "called the attack a crime"
        return tok.head.lemma_.lower() in _DEMANDS
    if tok.dep_ == "pobj" and tok.head.lower_ in ("for", "of"):  # "called for the arrest"
        return tok.head.head.lemma_.lower() in _DEMANDS | {"call"}
    return False


def read_status(trigger: Token, sentence: Span) -> StatusReading:
    """Status of the act a trigger names: negated, hypothetical, denied, alleged or asserted."""
    reading = StatusReading()
    if is_negated(trigger):
        reading.status = "negated"
    elif _demanded(trigger) or (_unreal(trigger) and trigger.pos_ == "VERB"):
        reading.status = "hypothetical"
    clausal, prev = True, trigger
    for anc in trigger.ancestors:
        # A noun in an act's clause shares its reality ("would kill the hostages"); a noun
        # talked about ("will investigate the killings") does not.
        clausal = clausal and (
            prev.dep_ in _CLAUSAL
            or prev.dep_ in ("acl", "acomp")  # "orders to arrest", "not able to arrest"
            or (
                prev.pos_ in ("NOUN", "PROPN")
                and prev.dep_ in ("dobj", "nsubj", "nsubjpass")
                and anc.lemma_.lower() not in DISCOURSE
            )
        )
        lemma = anc.lemma_.lower()
        if lemma in DENIAL:
            reading.denied_by = subjects(anc)
            if reading.status == "asserted":
                reading.status = "denied"
            break
        if lemma in REPORTING and anc.pos_ in ("VERB", "NOUN"):
            if reading.status == "asserted":
                reading.status = "alleged"
            reading.asserted_by = subjects(anc)
            if reading.asserted_by:
                break
            # "soldiers suspected of torturing …", said the prosecutors: the source is higher up.
        if clausal and reading.status == "asserted":
            if is_negated(anc):
                reading.status = "negated"
            elif _unreal(anc):
                reading.status = "hypothetical"
        prev = anc
    if reading.status == "asserted":
        if any(t.lower_ in _HEDGES for t in sentence):
            reading.status = "alleged"
        source = _according_to(sentence)
        if source:
            reading.asserted_by, reading.status = source, "alleged"
    return reading
