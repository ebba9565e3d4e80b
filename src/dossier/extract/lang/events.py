"""Violation events in Ukrainian and Russian text: lexicon triggers read in their sentence.

The English rules read a dependency parse; here a trigger's sentence is read
as a window of lemmas. A trigger qualifies when its sentence has what its
entry requires (a victim, a civilian or protected target, a violent cause,
civilian property); soldiers killed in combat, accidents and natural
disasters give no event. Harm comes from counts next to victim words
("щонайменше 11 голів громад", "двоє дітей", "5 поранених"), with the kind
of the nearest harm word; figures for a whole war or year ("з початку
війни") are aggregates, never a toll. The perpetrator is the side named
nearest the trigger (a side noun, or a side adjective on a military noun),
else the document's most-named one. A sentence that reports speech
("повідомила, що ...") makes its events alleged by the speaker.
Reports of one violation in several sentences merge as in English.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ...records import Actor, Event, EventType, Harm, HarmKind, Place, Span, TimeRange
from ..events.event_place import compatible_place, place_rank
from ..events.finder import event_id
from ..events.harm import merge_harm
from ..times import event_time
from .lexicon import Lexicon, Trigger
from .places import CyrillicPlace
from .speech import Said, Speakers
from .tokens import Token

_UNREAL = ("hypothetical", "negated")
# Scope words that make a figure an aggregate ("since the start of the war", "this year").
_AGGREGATE = frozenset(
    [
        "початок",
        "загалом",
        "всього",
        "усього",
        "загальний",
        "станом",
        "вторгнення",
        "начало",
        "всего",
        "общий",
        "итого",
        "вторжение",
    ]
)


@dataclass
class _Found:
    trigger: Trigger
    first: int
    last: int
    sent: int
    type: EventType
    harm: list[Harm]
    status: str
    asserted_by: list[Actor]
    perpetrator: Actor | None
    place: Place | None
    explicit: bool  # the place is named in the trigger's sentence, not the document's
    reports: list[tuple[int, int]] = field(default_factory=list)


def _index(lexicon: Lexicon) -> dict[str, list[Trigger]]:
    out: dict[str, list[Trigger]] = {}
    for trig in lexicon.triggers:
        out.setdefault(trig.lemmas[0], []).append(trig)
    for found in out.values():
        found.sort(key=lambda t: -len(t.lemmas))
    return out


def _matches(
    tokens: list[Token], index: dict[str, list[Trigger]]
) -> list[tuple[Trigger, int, int]]:
    out: list[tuple[Trigger, int, int]] = []
    i, n = 0, len(tokens)
    while i < n:
        tok = tokens[i]
        hit: tuple[Trigger, int, int] | None = None
        for lemma in tok.lemmas:
            for trig in index.get(lemma, ()):
                k = len(trig.lemmas)
                fits = i + k <= n and all(
                    trig.lemmas[j] in tokens[i + j].lemmas and tokens[i + j].sent == tok.sent
                    for j in range(1, k)
                )
                if fits and (hit is None or k > hit[2] - hit[1] + 1):
                    hit = (trig, i, i + k - 1)
        if hit is not None:
            out.append((hit[0], tokens[hit[1]].i, tokens[hit[2]].i))  # document positions
            i = hit[2] + 1
        else:
            i += 1
    return out


class CyrillicEvents:
    """Finds the events of one tokenised document."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.index = _index(lexicon)

    # --- counts ----------------------------------------------------------------

    def _count_at(self, toks: list[Token], k: int) -> tuple[int | None, int | None, int] | None:
        """(min, max, last index) of a count starting at position ``k`` of ``toks``."""
        lex = self.lexicon
        tok = toks[k]
        value: int | None = None
        last = k
        if tok.value is not None:
            if k + 1 < len(toks) and toks[k + 1].text in ("-", "–") and k + 2 < len(toks):
                other = toks[k + 2]
                if other.value is not None:  # "30-40"
                    return tok.value, other.value, k + 2
                return None  # "43-річний": an age, not a count
            value = tok.value
        else:
            words = [lem for lem in tok.lemmas if lem in lex.numbers]
            if words:
                value = lex.numbers[words[0]]
                j = k + 1  # "двадцять п'ять"
                while j < len(toks):
                    more = [lem for lem in toks[j].lemmas if lem in lex.numbers]
                    if not more or lex.numbers[more[0]] >= value:
                        break
                    value += lex.numbers[more[0]]
                    last = j
                    j += 1
            else:
                vague = [lem for lem in tok.lemmas if lem in lex.vague]
                if vague:
                    return lex.vague[vague[0]], None, k
        if value is None:
            return None
        prev = [t.lower for t in toks[max(0, k - 3) : k]]
        if prev and prev[-1] in lex.at_least or prev[-2:] in (["не", "менше"], ["не", "менее"]):
            return value, None, last
        if prev[-3:] == ["по", "меньшей", "мере"]:
            return value, None, last
        if prev and (prev[-1] in lex.more_than or prev[-2:-1] and prev[-2] in lex.more_than):
            return value + 1, None, last
        if prev and prev[-1] in lex.up_to and not (len(prev) > 2 and prev[-3] in ("від", "от")):
            return None, value, last
        return value, value, last

    def harm(self, sentence: list[Token], trigger: Trigger, first: int) -> list[Harm]:
        """Counts of victims in the sentence, each with its kind and category."""
        lex = self.lexicon
        if any(t.lemmas & _AGGREGATE for t in sentence):
            return []  # a running total, not this event's toll
        out: list[Harm] = []
        used: set[int] = set()
        kinds = [
            (t.i, lex.harm_verbs[lem])
            for t in sentence
            for lem in sorted(t.lemmas)
            if lem in lex.harm_verbs
        ]
        for k, tok in enumerate(sentence):
            counted = self._count_at(sentence, k)
            if counted is None:
                continue
            low, high, last = counted
            head = next(
                (
                    sentence[j]
                    for j in range(last + 1, min(len(sentence), last + 4))
                    if self._category(sentence[j])
                    or sentence[j].lemmas & set(lex.harm_nouns)
                    or sentence[j].lemmas & lex.body_nouns
                ),
                None,
            )
            if head is None:
                continue
            kind = next((lex.harm_nouns[lem] for lem in head.lemmas if lem in lex.harm_nouns), None)
            if kind is None and head.lemmas & lex.body_nouns:
                kind = "killed"
            if kind is None:
                kind = self._nearest_kind(kinds, head.i, trigger)
            if kind is None:
                continue
            category = self._category(head) or "people"
            text = " ".join(t.text for t in sentence[k : head.i - sentence[0].i + 1])
            out.append(Harm(kind, category, low, high, text))
            used.update(range(tok.i, head.i + 1))
        if not out and trigger.harm is not None:
            victim = self._victim(sentence, first, used)
            if victim is not None:
                category = self._category(victim) or "people"
                if victim.has("plur") and not victim.has("sing"):
                    # "вбивали цивільних": victims, but no figure (as English "killed civilians")
                    out.append(Harm(trigger.harm, category, None, None, victim.text))
                else:
                    out.append(Harm(trigger.harm, category, 1, 1, victim.text))
        return out

    def _victim(self, sentence: list[Token], first: int, used: set[int]) -> Token | None:
        """The victim word of an uncounted trigger: after it ("вбивали цивільних"), else
        before it ("голову ... було вбито"); soldiers only when no one else is named."""
        after = [t for t in sentence if first < t.i <= first + 6 and t.i not in used]
        before = [t for t in reversed(sentence) if first - 8 <= t.i < first and t.i not in used]
        candidates = [
            t
            for t in after + before
            if self._category(t) and not (self._category(t) == "people" and not t.has("NOUN"))
        ]
        civilians = [t for t in candidates if self._category(t) != "combatants"]
        # Soldiers are the victims only as the trigger's direct object ("вбили двох військових").
        soldiers = [t for t in candidates if t not in civilians and first < t.i <= first + 2]
        chosen = civilians or soldiers
        return chosen[0] if chosen else None

    def _nearest_kind(
        self, kinds: list[tuple[int, HarmKind]], at: int, trigger: Trigger
    ) -> HarmKind | None:
        if kinds:
            return min(kinds, key=lambda k: abs(k[0] - at))[1]
        return trigger.harm

    def _category(self, tok: Token) -> str | None:
        for lemma in (tok.lower, *sorted(tok.lemmas)):
            if lemma in self.lexicon.categories:
                return self.lexicon.categories[lemma]
        return None

    # --- context ---------------------------------------------------------------

    def _qualifies(
        self, trig: Trigger, sentence: list[Token], places: list[CyrillicPlace]
    ) -> EventType | None:
        lex = self.lexicon
        lemmas = set().union(*(t.lemmas for t in sentence))
        categories = {c for t in sentence if (c := self._category(t))}
        accident = lemmas & lex.accident_words and trig.requires in ("cause", "target")
        if accident and trig.type in ("killing", "attack_on_civilians"):
            return None  # a crash, a fire, a flood
        if trig.type == "killing" and categories == {"combatants"}:
            return None
        if trig.requires == "none":
            return trig.type
        if trig.requires == "person":
            pronoun = any(t.lower in ("його", "її", "їх", "его", "её", "их") for t in sentence)
            return trig.type if categories - {"combatants"} or pronoun else None
        if trig.requires == "person_or_many":
            counted = any(self._count_at(sentence, k) for k in range(len(sentence)))
            return trig.type if categories - {"combatants"} or counted else None
        if trig.requires == "cause":
            people = bool(categories - {"combatants"})
            cause = bool(lemmas & lex.attack_words) or self._side_mentions(sentence) != []
            return trig.type if people and cause else None
        if trig.requires == "property":
            if lemmas & lex.attack_words:
                return None
            return trig.type if lemmas & lex.property_objects else None
        # target
        if lemmas & lex.protected_objects:
            return "attack_on_protected"
        casualties = bool(lemmas & (set(lex.harm_nouns) | set(lex.harm_verbs)))
        town = any(
            p.mention.place.precision in ("locality", "point") and not p.affiliation for p in places
        )
        if lemmas & lex.civilian_objects or casualties or town:
            return trig.type
        return None

    def _side_mentions(self, sentence: list[Token]) -> list[tuple[int, int, str]]:
        """(first, last, side) of each perpetrator phrase in the sentence."""
        lex = self.lexicon
        out: list[tuple[int, int, str]] = []
        for k, tok in enumerate(sentence):
            side = next((lex.sides[lem] for lem in tok.lemmas if lem in lex.sides), None)
            if side is not None and (tok.capital or tok.upper or tok.has("NOUN")):
                first = k
                if k > 0 and sentence[k - 1].lemmas & lex.military:  # "сили Кремля"
                    first = k - 1
                out.append((sentence[first].i, tok.i, side))
                continue
            side = next(
                (lex.side_adjectives[lem] for lem in tok.lemmas if lem in lex.side_adjectives), None
            )
            if side is not None:
                nxt = sentence[k + 1 : k + 3]
                mil = next((t for t in nxt if t.lemmas & lex.military), None)
                if mil is not None:
                    out.append((tok.i, mil.i, side))
        return out

    def _perpetrator(
        self,
        sentence: list[Token],
        first: int,
        speaker: Said | None,
        text: str,
        tokens: list[Token],
    ) -> Actor | None:
        mentions = [
            m
            for m in self._side_mentions(sentence)
            if speaker is None or not (speaker.first <= m[0] <= speaker.last)
        ]
        if not mentions:
            return None
        a, b, side = min(mentions, key=lambda m: min(abs(m[0] - first), abs(m[1] - first)))
        return Actor(text[tokens[a].start : tokens[b].end], side)

    def _status(
        self, sentence: list[Token], first: int, speakers: Speakers
    ) -> tuple[str, list[Actor], Said | None]:
        lex = self.lexicon
        trig = next(t for t in sentence if t.i == first)
        prev = [t for t in sentence if first - 2 <= t.i < first]
        if any(t.lower in lex.negations for t in prev):
            return "negated", [], None
        before = [t for t in sentence if t.i < first]
        if any(t.lemmas & lex.hypothetical for t in before) or trig.has("futr"):
            return "hypothetical", [], None
        if any(t.lemmas & (lex.deny | lex.deny_names) for t in sentence):
            return "asserted", [], None  # its speaker denies: a claim, read by speech.py
        said = speakers.according_to(sentence)
        saying = lex.reporting | lex.accuse | lex.speech
        if said is None:
            verb = next((t for t in reversed(before) if t.lemmas & saying and t.has("VERB")), None)
            if verb is None:
                # "Окупанти затримали ..., повідомила міська рада": attribution after a comma.
                verb = next(
                    (
                        t
                        for t in sentence
                        if t.i > first
                        and t.lemmas & saying
                        and t.has("VERB")
                        and any(u.text == "," for u in sentence if first < u.i < t.i)
                        and sentence[t.i - sentence[0].i - 1].text in (",", "—", "–")
                    ),
                    None,
                )
            if verb is not None:
                said = speakers.of_verb(verb.i)
        if said is not None:
            return (
                "alleged",
                [Actor(said.speaker.name or said.speaker.role or "", said.speaker.side)],
                said,
            )
        return "asserted", [], None

    def _circumstance(
        self, sentence: list[Token], first: int, matches: list[tuple[Trigger, int, int]]
    ) -> bool:
        """A detention in a "коли/when" clause of a killing's sentence is the killing's setting."""
        if not any(m[0].type == "killing" for m in matches):
            return False
        clause = [t for t in sentence if t.i < first][-4:]
        return any(t.lower in self.lexicon.subordinate for t in clause)

    # --- the document ----------------------------------------------------------

    def find(
        self,
        tokens: list[Token],
        sentence_spans: list[tuple[int, int]],
        places: list[CyrillicPlace],
        times: list[tuple[int, int, TimeRange]],
        speakers: Speakers,
        document_id: str,
        published: dt.date | None,
        text: str,
    ) -> tuple[list[Event], list[tuple[int, int, str]]]:
        """The document's events, merged per violation, and every trigger's span with its event."""
        by_sent: dict[int, list[Token]] = {}
        for tok in tokens:
            by_sent.setdefault(tok.sent, []).append(tok)
        found: list[_Found] = []
        doc_place = _document_place(places)
        last_country: Place | None = None
        for n, sentence in sorted(by_sent.items()):
            sent_places = [p for p in places if p.sent == n]
            matches = [m for m in _matches(sentence, self.index)]
            here: list[_Found] = []
            for trig, first, last in matches:
                if trig.type == "detention" and self._circumstance(sentence, first, matches):
                    continue
                type_ = self._qualifies(trig, sentence, sent_places)
                if type_ is None:
                    if trig.requires == "cause":
                        # "Загинули троє цивільних" after the strike's sentence: its toll.
                        attack = _recent_attack(found, n)
                        if attack is not None:
                            attack.harm.extend(self.harm(sentence, trig, first))
                            attack.reports.append((tokens[first].start, tokens[last].end))
                    continue
                status, asserted, said = self._status(sentence, first, speakers)
                place = _event_place(sent_places, first, sentence, self.lexicon, last_country)
                here.append(
                    _Found(
                        trig,
                        first,
                        last,
                        n,
                        type_,
                        self.harm(sentence, trig, first),
                        status,
                        asserted,
                        self._perpetrator(sentence, first, said, text, tokens),
                        place if place is not None else doc_place,
                        place is not None,
                        [(tokens[first].start, tokens[last].end)],
                    )
                )
            found.extend(_fold_sentence(here))
            for p in sent_places:
                if p.mention.place.precision == "country":
                    last_country = p.mention.place
        merged = _merge(found)
        dominant = _dominant(merged)
        events: list[Event] = []
        mentions: list[tuple[int, int, str]] = []
        doc_times = [t for _, _, t in times]
        for item in merged:
            s, e = sentence_spans[item.sent]
            sent_times = [t for a, b, t in times if a >= s and b <= e]
            start, end = tokens[item.first].start, tokens[item.last].end
            ev = Event(
                id=event_id(document_id, item.type, start),
                type=item.type,
                trigger=Span(text[start:end], start, end),
                sentence=Span(text[s:e].rstrip(), s, s + len(text[s:e].rstrip())),
                place=item.place,
                time=event_time(sent_times, doc_times, published),
                perpetrator=item.perpetrator or dominant,
                harm=merge_harm(item.harm),
                status=item.status,  # type: ignore[arg-type]
                asserted_by=tuple(dict.fromkeys(item.asserted_by)),
                denied_by=(),
            )
            events.append(ev)
            mentions.extend((a, b, ev.id) for a, b in item.reports)
        return events, sorted(mentions)


_ATTACKS = ("attack_on_civilians", "attack_on_protected", "prohibited_weapon")


def _recent_attack(found: list[_Found], sent: int) -> _Found | None:
    """An attack reported in one of the two sentences before ``sent``."""
    for item in reversed(found):
        if item.sent < sent - 2:
            return None
        if item.type in _ATTACKS and item.status not in _UNREAL:
            return item
    return None


def _fold_sentence(here: list[_Found]) -> list[_Found]:
    """One sentence, one act: deaths in a strike's sentence are its toll ("удар ..., погиб
    один житель"), and a strike with a banned weapon is that weapon's use."""
    weapon = next((f for f in here if f.type == "prohibited_weapon"), None)
    attack = weapon or next((f for f in here if f.type in _ATTACKS), None)
    if attack is None:
        return here
    out = []
    for item in here:
        folds = item is not attack and (
            (item.type == "killing" and item.trigger.requires == "cause")
            or (weapon is not None and item.type == "attack_on_civilians")
        )
        if folds:
            attack.harm.extend(item.harm)
            attack.reports.extend(item.reports)
            attack.perpetrator = attack.perpetrator or item.perpetrator
        else:
            out.append(item)
    return out


def _document_place(places: list[CyrillicPlace]) -> Place | None:
    """The town the document is most about: its most-named locality that is not "near"."""
    counts: dict[str, tuple[int, Place]] = {}
    for p in places:
        if p.near or p.affiliation or p.mention.place.precision not in ("locality", "point"):
            continue
        key = p.mention.place.name
        counts[key] = (counts.get(key, (0, p.mention.place))[0] + 1, p.mention.place)
    if not counts:
        return None
    return max(counts.values(), key=lambda c: c[0])[1]


def _event_place(
    sent_places: list[CyrillicPlace],
    first: int,
    sentence: list[Token],
    lexicon: Lexicon,
    last_country: Place | None,
) -> Place | None:
    usable = [p for p in sent_places if not p.near and not p.affiliation]
    if usable:
        finest = max(place_rank(p.mention.place) for p in usable)
        best = min(
            (p for p in usable if place_rank(p.mention.place) == finest),
            key=lambda p: abs(p.first - first),
        )
        return best.mention.place
    if any(t.lemmas & lexicon.country_words for t in sentence):
        here = [p for p in sent_places if p.mention.place.precision == "country"]
        return here[-1].mention.place if here else last_country
    return None


def _dominant(events: list[_Found]) -> Actor | None:
    sides = [e.perpetrator for e in events if e.perpetrator and e.status not in _UNREAL]
    if not sides:
        return None
    counts: dict[str | None, int] = {}
    for actor in sides:
        counts[actor.side] = counts.get(actor.side, 0) + 1
    best = max(counts, key=counts.__getitem__)
    return next(a for a in sides if a.side == best)


def _categories(item: _Found) -> set[str]:
    return {h.category for h in item.harm if h.category != "people"}


def _merge(found: list[_Found]) -> list[_Found]:
    merged: list[_Found] = []
    for item in found:
        target = next((old for old in merged if _same(old, item)), None)
        if target is None:
            merged.append(item)
            continue
        # The sentence that names where it happened is the better evidence (and says when).
        if item.place is not None and (
            target.place is None
            or place_rank(item.place) > place_rank(target.place)
            or (item.explicit and not target.explicit)
        ):
            target.place, target.explicit = item.place, item.explicit
            target.first, target.last, target.sent = item.first, item.last, item.sent
        target.harm.extend(item.harm)
        target.reports.extend(item.reports)
        target.perpetrator = target.perpetrator or item.perpetrator
        target.asserted_by.extend(a for a in item.asserted_by if a not in target.asserted_by)
        if item.status == "alleged" or target.status == "alleged":
            target.status = "alleged" if target.asserted_by else target.status
    return merged


def _same(old: _Found, new: _Found) -> bool:
    if old.type != new.type or old.status in _UNREAL or new.status in _UNREAL:
        return False
    a, b = _categories(old), _categories(new)
    if a and b and not a & b:
        return False
    return compatible_place(old.place, new.place)


__all__ = ["CyrillicEvents"]
