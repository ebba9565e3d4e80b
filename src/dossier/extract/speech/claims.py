"""Claims: who says what about which events (accuses, denies, confirms, condemns, calls for
an investigation).

A claim is a stance word (``STANCES``) with its speaker (the grammatical
subject, or the "from" of a nominal: "condemnation from NATO countries") and
the clause it heads. Its target events are the events reported inside that
clause; a claim that points back ("rejecting the claims", "called it a
murder", "demanded an investigation") targets the events reported before it.

A reported denial changes what the record says about its targets: their
status becomes ``denied`` and the denier joins ``denied_by``. A denial of
"the claims"/"the accusations" targets the events the document attributes to
an accusing party (status alleged), of the denier's side or of no known side.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from ...records import Actor, Claim, Event, Speaker, Stance
from ..events.sides import REPORTING, actor_for, side_of
from ..events.status import earlier_speaker
from ..events.triggers import words
from ..parsed import covering_span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

log = logging.getLogger(__name__)

STANCES: dict[str, Stance] = {
    **dict.fromkeys(words("accuse allege blame accusation allegation"), "accuses"),
    **dict.fromkeys(words("deny reject dismiss refute rebuff denial"), "denies"),
    **dict.fromkeys(words("confirm verify corroborate confirmation"), "confirms"),
    **dict.fromkeys(words("condemn denounce condemnation decry"), "condemns"),
}
_INVESTIGATION = frozenset({"investigation", "probe", "inquiry", "investigate", "tribunal"})
_DEMAND = frozenset({"demand", "call", "urge", "request", "seek", "want", "ask", "push"})
# Words a speaker calls an act by when condemning it ("called it a senseless murder").
_CONDEMNING_NAMES = frozenset(
    words(
        "murder crime atrocity massacre genocide barbarism terror terrorism outrage "
        "slaughter butchery"
    )
)
# Words a denier calls the accusation by ("calling it a provocation").
_DENYING_NAMES = frozenset(words("provocation fake hoax staging lie lies fabrication forgery"))
# Nouns that point back at accusations already reported.
_ACCUSATION_NOUNS = frozenset(
    words("claim accusation allegation report charge it this that them these")
)


def _stance(token: Token) -> Stance | None:
    lemma = token.lemma_.lower()
    if token.pos_ not in ("VERB", "NOUN"):
        return None
    if lemma in STANCES:
        return STANCES[lemma]
    if lemma == "call":  # "called it a senseless murder" / "calling it a provocation"
        named = {c.lemma_.lower() for c in token.children if c.dep_ in ("oprd", "dobj", "attr")}
        if named & _CONDEMNING_NAMES:
            return "condemns"
        if named & _DENYING_NAMES:
            return "denies"
    if lemma in _DEMAND and _INVESTIGATION & _objects(token):
        return "calls_for_investigation"
    return None


def _objects(token: Token) -> set[str]:
    """Lemmas of what a verb asks for: its object, "for" complement or infinitive."""
    out: set[str] = set()
    for child in token.children:
        if child.dep_ in ("dobj", "xcomp", "ccomp"):
            out.add(child.lemma_.lower())
        elif child.dep_ == "prep" and child.lower_ == "for":
            out.update(g.lemma_.lower() for g in child.children if g.dep_ == "pobj")
    return out


def _speaker_token(token: Token) -> Token | None:
    cur = token
    for _ in range(4):
        subjects = [c for c in cur.children if c.dep_ in ("nsubj", "agent")]
        # "Canada's foreign affairs minister, Melanie Joly called": the named subject speaks.
        subjects.sort(key=lambda c: c.ent_type_ != "PERSON")
        for child in subjects:
            return next((g for g in child.children if g.dep_ == "pobj"), child)
        if cur.pos_ == "NOUN":  # "condemnation from NATO countries"
            for child in list(cur.children) + list(cur.head.children):
                if child.dep_ in ("prep", "agent") and child.lower_ in ("from", "by"):
                    return next((g for g in child.children if g.dep_ == "pobj"), None)
        if cur.dep_ in ("ROOT",):
            break
        cur = cur.head
    return None


def speaker_of(token: Token) -> tuple[Speaker, Actor] | None:
    """The speaker of a stance word: a named person with role, or the party's phrase."""
    head = _speaker_token(token)
    if head is None:
        return None
    if head.pos_ == "PRON":
        earlier = earlier_speaker(token)
        if earlier:
            actor = earlier[0]
            return Speaker(name=actor.text, side=actor.side), actor
    actor = actor_for(head)
    name, role = actor.text, None
    named = next((c for c in head.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"), None)
    if head.ent_type_ != "PERSON" and named is not None:
        # "Canada's foreign minister, Melanie Joly, condemned …": the apposition names her.
        name = " ".join(t.text for t in named.subtree if t.ent_type_ == "PERSON")
        role = actor.text
    elif head.ent_type_ == "PERSON":
        words = [t for t in head.doc[actor_span(head)] if t.i <= head.i]
        name = " ".join(t.text for t in words if t.ent_type_ == "PERSON")
        # "Ukraine president Volodymyr Zelensky": the words before the name are the role.
        role = (
            " ".join(t.text for t in words if t.ent_type_ != "PERSON" and t.dep_ != "det") or None
        )
        # "Canada's foreign affairs minister, Melanie Joly": the other subject is the role.
        others = [c for c in head.head.children if c.dep_ in ("nsubj", "appos") and c.i != head.i]
        others += [c for c in head.children if c.dep_ == "appos"]
        if others and role is None:
            role = actor_for(others[0]).text
    side = side_of(f"{role or ''} {actor.text}")
    return Speaker(name=name, role=role, side=side), Actor(actor.text, side)


def actor_span(head: Token) -> slice:
    """Token slice of the phrase headed by ``head`` (as ``sides.phrase`` reads it)."""
    from ..events.sides import phrase

    _, start, end = phrase(head)
    span = covering_span(head.doc, start, end)
    return slice(span.start, span.end)


def _clause(token: Token) -> tuple[int, int]:
    tokens = [token]
    stack = [c for c in token.children]
    while stack:
        tok = stack.pop()
        if (
            tok.dep_ == "conj"
            and tok.head.i == token.i
            and any(c.dep_ == "nsubj" for c in tok.children)
        ):
            continue  # another clause with its own subject
        tokens.append(tok)
        stack.extend(tok.children)
    first = min(t.i for t in tokens)
    last = max(t.i for t in tokens)
    span = token.doc[first : last + 1]
    return span.start_char, span.end_char


def find_claims(doc: Doc, events: list[Event], mentions: list[tuple[int, int, str]]) -> list[Claim]:
    """Claims of a parsed document, each with the ids of the events it is about."""
    out: list[Claim] = []
    done: set[int] = set()  # tokens inside a clause already read as a claim
    by_id = {e.id: e for e in events}
    for token in doc:
        stance = _stance(token)
        if token.i in done:
            continue
        if stance is None and token.lemma_.lower() in REPORTING and token.pos_ == "VERB":
            stance = "accuses"  # reported speech that carries a violation
            inside = _inside(mentions, *_clause(token))
            if not inside:
                continue
            if all(by_id[i].status == "negated" for i in inside):
                stance = "denies"  # "Russia said it did not target civilians"
        if stance is None:
            continue
        who = speaker_of(token)
        if who is None:
            continue
        speaker, _ = who
        start, end = _clause(token)
        targets = _inside(mentions, start, end)
        if not targets:
            targets = _earlier(by_id, mentions, start, stance, speaker.side, token)
        done.update(t.i for t in covering_span(doc, start, end))
        text = doc.text[start:end].rstrip()
        out.append(Claim(speaker, stance, text, start, start + len(text), tuple(targets)))
    return out


def _inside(mentions: list[tuple[int, int, str]], start: int, end: int) -> list[str]:
    return list(dict.fromkeys(i for s, e, i in mentions if s >= start and e <= end))


def _earlier(
    by_id: dict[str, Event],
    mentions: list[tuple[int, int, str]],
    start: int,
    stance: Stance,
    side: str | None,
    token: Token,
) -> list[str]:
    """Events a backward-pointing claim is about: those reported before it."""
    earlier = [by_id[i] for i in dict.fromkeys(i for s, _, i in mentions if s < start)]
    real = [e for e in earlier if e.status not in ("hypothetical", "negated")]
    if stance != "denies":
        return [e.id for e in real]
    objects = {t.lemma_.lower() for t in token.subtree}
    if not objects & _ACCUSATION_NOUNS and token.lemma_.lower() != "call":
        return []
    return [
        e.id
        for e in real
        if e.asserted_by or e.status in ("alleged", "denied")
        if side is None or e.perpetrator is None or e.perpetrator.side in (None, side)
    ]


def apply_denials(events: list[Event], claims: list[Claim]) -> list[Event]:
    """Mark each event a reported denial targets as denied, naming the denier."""
    deniers: dict[str, list[Actor]] = {}
    for claim in claims:
        if claim.stance != "denies":
            continue
        actor = Actor(claim.speaker.name or claim.speaker.role or "", claim.speaker.side)
        for event_id in claim.events:
            deniers.setdefault(event_id, []).append(actor)
    out = []
    for event in events:
        extra = [a for a in deniers.get(event.id, []) if a not in event.denied_by]
        if extra and event.status not in ("hypothetical", "negated"):
            event = replace(event, status="denied", denied_by=event.denied_by + tuple(extra))
        out.append(event)
    return out
