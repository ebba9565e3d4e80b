"""People, organisations, speakers, quotes and claims in Ukrainian and Russian text.

No offline parser reads these languages, so a speaker is the phrase that
stands before its verb in the verb's clause ("Віцепрем'єр-міністерка України
повідомила"), or after it ("заявили в Офісі генпрокурора"), or after "за
словами"; a pronoun ("Вона додала") is the speaker named last. People are
runs of capitalised words that pymorphy3 reads as first names, surnames or
patronymics (and, for Russian, natasha's PER spans); their canonical name is
the nominative, in the original script.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any

from ...records import Claim, Entity, Event, Quote, Speaker, Stance
from ...translit import transliterate
from .lexicon import Lexicon
from .places import CyrillicPlace
from .regions import COUNTRIES
from .tokens import Token, inflect_nominative

_BOUNDARY = frozenset(',;:—–-«»"“”„()')
_CLAUSE_WORDS = frozenset(
    ["що", "що,", "але", "а", "проте", "однак", "чтобы", "что", "но", "однако"]
)
_PREPOSITIONS = frozenset(
    [
        "у",
        "в",
        "з",
        "із",
        "зі",
        "на",
        "під",
        "до",
        "від",
        "для",
        "про",
        "по",
        "за",
        "над",
        "між",
        "через",
        "о",
        "об",
        "к",
        "с",
        "со",
        "из",
        "от",
        "при",
    ]
)
_AND = frozenset(["і", "й", "та", "и"])
_QUOTE = re.compile(r"«([^«»]{3,})»|„([^„“”]{3,})[“”]|“([^“”]{3,})”|\"([^\"]{3,})\"")


@dataclass
class Person:
    first: int
    last: int
    canonical: str


@functools.lru_cache(maxsize=8)
def natasha_spans(text: str) -> tuple[tuple[int, int, str], ...]:
    """Character spans natasha tags PER, ORG or LOC (Russian only; cached for the
    document being analysed, which asks once for people and once for the rest)."""
    from natasha import Doc

    segmenter, tagger = _natasha()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(tagger)
    return tuple((s.start, s.stop, s.type) for s in doc.spans)


@functools.lru_cache(maxsize=1)
def _natasha() -> tuple[Any, Any]:
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


def _is_name(tok: Token) -> bool:
    return tok.capital and not tok.upper and (tok.has("Name") or tok.has("Surn") or tok.has("Patr"))


def _person_pair(a: Token, b: Token) -> bool:
    """Two capitalised words that read as a first name and a surname, where the dictionary
    tags neither: the uk dictionary knows "Володимир" only as an animate noun and
    "Зеленський" as an adjective."""
    return (
        a.capital
        and b.capital
        and not a.upper
        and not b.upper
        and a.sent == b.sent
        and any("anim" in t and t.startswith("NOUN") for t in a.tags)
        and (b.has("Surn") or b.has("ADJF") or any("anim" in t for t in b.tags))
    )


def find_people(tokens: list[Token], lexicon: Lexicon, text: str) -> list[Person]:
    """Runs of capitalised name words (two or more, or one after a role noun)."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(tokens)
    while i < n:
        paired = (
            i + 1 < n
            and _person_pair(tokens[i], tokens[i + 1])
            and not (tokens[i].lemmas & lexicon.role_nouns)
        )
        if not _is_name(tokens[i]) and not paired:
            i += 1
            continue
        j = i
        # Surnames may be nouns or adjectives in the dictionary ("Зеленський" is an ADJF).
        while (
            j + 1 < n
            and tokens[j + 1].sent == tokens[i].sent
            and tokens[j + 1].capital
            and (
                _is_name(tokens[j + 1])
                or tokens[j + 1].has("NOUN")
                or tokens[j + 1].has("UNKN")
                or tokens[j + 1].has("ADJF")
            )
            and not tokens[j + 1].upper
        ):
            j += 1
        after_role = i > 0 and bool(tokens[i - 1].lemmas & lexicon.role_nouns)
        if j > i or (after_role and tokens[i].has("Surn")):
            spans.append((i, j))
        i = j + 1
    if lexicon.code == "ru":
        by_start = {t.start: t.i for t in tokens}
        by_end = {t.end: t.i for t in tokens}
        for s, e, _kind in (span for span in natasha_spans(text) if span[2] == "PER"):
            if s in by_start and e in by_end:
                a, b = by_start[s], by_end[e]
                if not any(x <= b and a <= y for x, y in spans):
                    spans.append((a, b))
    out = []
    for a, b in sorted(spans):
        words = []
        for tok in tokens[a : b + 1]:
            want = "Surn" if tok.has("Surn") and tok is not tokens[a] else "Name"
            words.append(inflect_nominative(tok.text, lexicon.code, want))
        out.append(Person(a, b, " ".join(words)))
    return out


def find_organisations(tokens: list[Token], lexicon: Lexicon) -> list[tuple[int, int]]:
    """Abbreviations (НАТО, ЗСУ, ООН) and capitalised names headed by an organisation noun."""
    out: list[tuple[int, int]] = []
    n = len(tokens)
    for tok in tokens:
        if (
            tok.upper
            and tok.text.isalpha()
            and tok.lower not in COUNTRIES
            and (tok.has("Abbr") or tok.has("UNKN") or len(tok.text) <= 4)
        ):
            out.append((tok.i, tok.i))
        elif tok.capital and tok.lemmas & lexicon.org_heads:
            j = tok.i
            while (
                j + 1 < n
                and tokens[j + 1].sent == tok.sent
                and tokens[j + 1].text[:1].isalpha()
                and (tokens[j + 1].has("gent") or tokens[j + 1].capital)
                and j - tok.i < 4
            ):
                j += 1
            out.append((tok.i, j))
    return out


def entities(
    tokens: list[Token],
    people: list[Person],
    orgs: list[tuple[int, int]],
    places: list[CyrillicPlace],
    text: str,
    language: str,
) -> list[Entity]:
    """Entity records with canonical names in the original script and a transliteration."""
    out: list[Entity] = []
    for p in people:
        s, e = tokens[p.first].start, tokens[p.last].end
        out.append(
            Entity(
                text[s:e], "PERSON", s, e, p.canonical, None, transliterate(p.canonical, language)
            )
        )
    for a, b in orgs:
        s, e = tokens[a].start, tokens[b].end
        name = text[s:e]
        out.append(Entity(name, "ORG", s, e, name, None, transliterate(name, language)))
    for m in places:
        label = "GPE" if m.mention.place.precision in ("country", "admin1", "locality") else "LOC"
        canonical = m.mention.place.name
        out.append(
            Entity(
                m.mention.text, label, m.mention.start, m.mention.end, canonical, None, canonical
            )
        )
    if language == "ru":
        # natasha's organisations and the places the gazetteer cannot resolve (streets, areas)
        for s, e, kind in natasha_spans(text):
            # an organisation's name often holds a place ("мэрия Москвы"): both are kept
            others = [x for x in out if kind != "ORG" or x.label in ("PERSON", "ORG")]
            if kind == "PER" or any(x.start < e and s < x.end for x in others):
                continue
            name = text[s:e]
            label = "ORG" if kind == "ORG" else "LOC"
            out.append(Entity(name, label, s, e, name, None, transliterate(name, language)))
    out.sort(key=lambda e: e.start)
    return out


# --- speakers ------------------------------------------------------------------------


@dataclass
class Said:
    """Who says something: the speaker record and the phrase it came from."""

    speaker: Speaker
    first: int
    last: int


class Speakers:
    """Finds the speaker of a verb and remembers the last one, for pronouns."""

    def __init__(
        self, tokens: list[Token], lexicon: Lexicon, people: list[Person], text: str
    ) -> None:
        self.tokens, self.lexicon, self.text = tokens, lexicon, text
        self.person_at = {i: p for p in people for i in range(p.first, p.last + 1)}
        self.last: Said | None = None
        self.last_sent = -1

    def _clause_start(self, v: int) -> int:
        sent = self.tokens[v].sent
        k = v - 1
        while k >= 0 and self.tokens[k].sent == sent:
            tok = self.tokens[k]
            if tok.text in _BOUNDARY or tok.lower in _CLAUSE_WORDS:
                return k + 1
            k -= 1
        return k + 1

    def _clause_end(self, v: int) -> int:
        sent = self.tokens[v].sent
        k = v + 1
        while k < len(self.tokens) and self.tokens[k].sent == sent:
            tok = self.tokens[k]
            if tok.text in _BOUNDARY or tok.lower in _CLAUSE_WORDS:
                return k - 1
            k += 1
        return k - 1

    def _time_word(self, tok: Token) -> bool:
        lex = self.lexicon
        return bool(
            tok.lemmas & (set(lex.weekdays) | set(lex.relative_days) | lex.last_words)
            or tok.lower in lex.relative_days
        )

    def _phrase(self, first: int, last: int, any_case: bool = False) -> Said | None:
        toks = [t for t in self.tokens[first : last + 1] if t.text[:1].isalnum()]
        if not toks or toks[0].lower in _PREPOSITIONS:
            return None
        if len(toks) == 1 and toks[0].lemmas & self.lexicon.pronouns:
            if self.last is None:
                return None
            return Said(self.last.speaker, toks[0].i, toks[0].i)
        nouns = [t for t in toks if t.has("NOUN") or t.has("UNKN") or t.upper]
        if not any_case and not any(
            t.has("nomn") or t.has("Fixd") or t.upper or t.i in self.person_at for t in nouns
        ):
            return None  # no subject: the phrase is an object or an adverbial
        person = next((self.person_at[t.i] for t in toks if t.i in self.person_at), None)
        side = _side_of(toks, self.lexicon)
        if person is not None:
            role_toks = [t for t in self.tokens[toks[0].i : person.first] if t.text[:1].isalnum()]
            while role_toks and not role_toks[0].has("nomn"):
                role_toks = role_toks[1:]  # "розповів журналістам мешканець ...": not the role
            role = _text(self.text, role_toks) if role_toks else None
            return Said(Speaker(person.canonical, role, side), toks[0].i, person.last)
        # The first conjunct of "Українська влада та мешканці" names a party enough.
        if len(toks) > 8:
            return None
        return Said(Speaker(_text(self.text, toks), None, side), toks[0].i, toks[-1].i)

    def of_verb(self, v: int) -> Said | None:
        """The speaker of the verb at token ``v``: left of it in its clause, else right of it.

        A verb joined to an earlier one ("звинувачують ... і стверджують") shares its subject;
        a nominal stance ("засудження країн НАТО") has its speaker in the genitive after it.
        """
        tok = self.tokens[v]
        if v > 0 and self.tokens[v - 1].lower in _AND and self.last_sent == tok.sent:
            return self.last
        if tok.has("NOUN") and not tok.has("VERB"):
            end = self._clause_end(v)
            said = self._genitive(v + 1, end)
            if said is not None:
                self._remember(said, tok.sent)
            return said
        start = self._clause_start(v)
        said = self._phrase(start, v - 1) if start < v else None
        if said is None:
            end = self._clause_end(v)
            k = v + 1
            located = False  # "повідомили в Офісі генпрокурора": the office speaks
            while k <= end and (
                self.tokens[k].lower in ("в", "у", "во") or self._time_word(self.tokens[k])
            ):
                located = located or self.tokens[k].lower in ("в", "у", "во")
                k += 1
            said = self._phrase(k, end, any_case=located) if k <= end else None
        if said is not None:
            self._remember(said, tok.sent)
        return said

    def _remember(self, said: Said, sent: int) -> None:
        self.last, self.last_sent = said, sent

    def _genitive(self, first: int, last: int) -> Said | None:
        toks = [t for t in self.tokens[first : last + 1] if t.text[:1].isalnum()]
        if not toks or not (toks[0].has("gent") or toks[0].upper):
            return None
        side = _side_of(toks, self.lexicon)
        return Said(Speaker(_text(self.text, toks), None, side), toks[0].i, toks[-1].i)

    def according_to(self, sent_tokens: list[Token]) -> Said | None:
        """The X of "за словами X" / "по данным X" in a sentence, if any."""
        for k, tok in enumerate(sent_tokens[:-1]):
            pair = (tok.lower, sent_tokens[k + 1].lower)
            if pair in self.lexicon.according_to:
                first = sent_tokens[k + 1].i + 1
                end = self._clause_end(sent_tokens[k + 1].i)
                said = self._phrase(first, end) if first <= end else None
                if said is not None:
                    self._remember(said, tok.sent)
                return said
        return None


def _text(text: str, toks: list[Token]) -> str:
    return text[toks[0].start : toks[-1].end]


def _side_of(toks: list[Token], lexicon: Lexicon) -> str | None:
    for tok in toks:
        for lemma in tok.lemmas:
            if lemma in lexicon.sides:
                return lexicon.sides[lemma]
            if lemma in lexicon.side_adjectives:
                return lexicon.side_adjectives[lemma]
            if lemma in COUNTRIES and tok.capital:
                return COUNTRIES[lemma]
    return None


# --- quotes ------------------------------------------------------------------------


def find_quotes(tokens: list[Token], speakers: Speakers, text: str) -> list[Quote]:
    """Quoted words with the speaker of the speech verb before or after them."""
    lexicon = speakers.lexicon
    out: list[Quote] = []
    by_start = {t.start: t.i for t in tokens}
    for m in _QUOTE.finditer(text):
        group = next(g for g in range(1, 5) if m.group(g) is not None)
        inner_start, inner_end = m.start(group), m.end(group)
        if len(m.group(group).split()) < 3 or m.start() not in by_start:
            continue
        q = by_start[m.start()]
        before = text[: m.start()].rstrip()
        after = text[m.end() :].lstrip()
        direct = before.endswith(":") or bool(re.match(r"^[,.]?\s*[—–-]", after))
        said: Said | None = None
        sent = tokens[q].sent
        verbs_before = [t for t in tokens[:q] if t.sent == sent and t.lemmas & lexicon.speech]
        if verbs_before:
            said = speakers.of_verb(verbs_before[-1].i)
        else:
            close = next((t.i for t in tokens[q + 1 :] if t.start >= m.end()), None)
            if close is not None:
                verbs_after = [t for t in tokens[close : close + 4] if t.lemmas & lexicon.speech]
                if verbs_after:
                    said = speakers.of_verb(verbs_after[0].i)
        speaker = said.speaker if said is not None else Speaker(None)
        out.append(
            Quote(
                speaker,
                text[inner_start:inner_end],
                inner_start,
                inner_end,
                "direct" if direct else "partial",
            )
        )
    return out


# --- claims ------------------------------------------------------------------------


def _stance(tok: Token, sentence: list[Token], lexicon: Lexicon) -> Stance | None:
    lemmas = tok.lemmas
    if lemmas & lexicon.deny:
        return "denies"
    if lemmas & lexicon.naming and any(t.lemmas & lexicon.deny_names for t in sentence):
        return "denies"  # "назвав повідомлення постановкою"
    if lemmas & lexicon.accuse and not tok.has("NOUN"):
        return "accuses"
    if lemmas & lexicon.condemn:
        return "condemns"
    if lemmas & lexicon.demand and any(t.lemmas & lexicon.investigate for t in sentence):
        return "calls_for_investigation"
    return None


def find_claims(
    tokens: list[Token],
    sentence_spans: list[tuple[int, int]],
    speakers: Speakers,
    events: list[Event],
    mentions: list[tuple[int, int, str]],
    text: str,
) -> list[Claim]:
    """Claims of the document, each with the ids of the events it is about."""
    lexicon = speakers.lexicon
    by_sent: dict[int, list[Token]] = {}
    for tok in tokens:
        by_sent.setdefault(tok.sent, []).append(tok)
    by_id = {e.id: e for e in events}
    out: list[Claim] = []
    seen: set[tuple[int, str | None, str]] = set()
    for n, sent_tokens in sorted(by_sent.items()):
        for tok in sent_tokens:
            stance = _stance(tok, sent_tokens, lexicon)
            if stance is None and tok.lemmas & lexicon.reporting and tok.has("VERB"):
                end_char = sentence_spans[n][1]
                if not [i for s, _, i in mentions if tok.end <= s < end_char]:
                    continue
                stance = "accuses"
            if stance is None:
                continue
            said = speakers.of_verb(tok.i)
            if said is None or (n, said.speaker.name, stance) in seen:
                continue
            seen.add((n, said.speaker.name, stance))
            start = min(tokens[said.first].start, tok.start)
            end = sentence_spans[n][1]
            targets = list(dict.fromkeys(i for s, _, i in mentions if tok.end <= s < end))
            if not targets:
                earlier = [by_id[i] for i in dict.fromkeys(i for s, _, i in mentions if s < start)]
                real = [e for e in earlier if e.status not in ("hypothetical", "negated")]
                if stance == "denies":
                    points_back = any(
                        t.lemmas & (lexicon.accusation_nouns | lexicon.deny_names)
                        for t in sent_tokens
                    )
                    targets = [
                        e.id
                        for e in real
                        if points_back and (e.asserted_by or e.status == "alleged")
                    ]
                else:
                    targets = [e.id for e in real]
            claim_text = text[start:end].rstrip()
            out.append(
                Claim(
                    said.speaker, stance, claim_text, start, start + len(claim_text), tuple(targets)
                )
            )
    return out


__all__ = [
    "Person",
    "Said",
    "Speakers",
    "entities",
    "find_claims",
    "find_organisations",
    "find_people",
    "find_quotes",
]
