"""Who is speaking: the speaker of a clause, resolved to a person, a role or a group.

The speaker of a span is the subject of the speech verb nearest to it in its
sentence ("X says", "said X", "X is accusing", "according to X"), a speech verb
inside a quotation never counting. The subject is resolved to:

- a named person, with the role the document gives them (entities.py);
- a role alone when the subject is a singular common noun naming a person
  ("Ukraine's deputy prime minister is reporting");
- a group when it is plural, collective or a non-person name ("Residents",
  "the Kremlin", "Ukrainian authorities and residents");
- for a personal pronoun, the most recent compatible speaker or person of the
  same or previous sentences ("She adds" after a minister's report). No
  coreference model runs offline, so this is a rule over the parse.

Sentences are spaCy's, further cut at line breaks: a scraped page's
paragraphs are often run together by the parser.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...records import Entity, Speaker
from ..events.sides import side_of
from ..parsed import doc_text
from .marks import quoted_regions

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

logger = logging.getLogger(__name__)

Region = tuple[int, int]

SPEECH_LEMMAS: frozenset[str] = frozenset(
    # A word list reads best as words.
    "say add claim allege accuse deny reject report state tell call demand condemn insist "  # noqa: SIM905
    "warn note write explain announce confirm argue declare describe urge stress tweet "
    "post comment respond reply acknowledge admit maintain suggest dismiss blame speak "
    "testify recall recount estimate assert charge caution ask answer chant shout yell "
    "scream cry plead press bark retort quip snap counter continue conclude observe remark "
    "mention point predict promise vow joke boast complain concede lament wonder exclaim "
    "retaliate interject reiterate emphasise emphasize contend inform advise".split()
)
# Collective nouns: a singular subject that is a body of people, not one person.
COLLECTIVE: frozenset[str] = frozenset(
    # A word list reads best as words.
    "ministry government office army police military commission council agency committee "  # noqa: SIM905
    "court administration department service authority parliament cabinet presidency "
    "kremlin command staff mission embassy union alliance organisation organization group "
    "team regime media press newspaper channel broadcaster network party force".split()
)
_SINGULAR_PRONOUNS = frozenset({"he", "she"})
_GROUP_PRONOUNS = frozenset({"they", "it"})
_GROUP_LABELS = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC"})
_PHRASE_SKIP = frozenset({"relcl", "acl", "advcl", "parataxis", "ccomp", "punct", "appos"})
_LOOKBACK = 5  # sentences searched for a pronoun's antecedent or an earlier speaker


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """Token ranges of sentences, cut again at line breaks; cached on the Doc."""
    cached = doc.user_data.get("dossier.sentences")
    if cached is not None:
        return list(cached)
    out: list[tuple[int, int]] = []
    for sent in doc.sents:
        start = sent.start
        for tok in sent:
            if "\n" in tok.text or "\n" in tok.whitespace_:
                if tok.i + 1 > start:
                    out.append((start, tok.i + 1))
                start = tok.i + 1
        if start < sent.end:
            out.append((start, sent.end))
    doc.user_data["dossier.sentences"] = out
    return list(out)


def sentence_index(doc: Doc, char: int) -> int:
    """Index (into sentence_bounds) of the sentence holding character ``char``."""
    bounds = sentence_bounds(doc)
    starts = [doc[s].idx for s, _ in bounds]
    return max(0, bisect.bisect_right(starts, char) - 1)


def _inside(char: int, regions: Sequence[Region]) -> bool:
    return any(s <= char < e for s, e in regions)


def _entity_at(token: Token, entities: Sequence[Entity]) -> Entity | None:
    for ent in entities:
        if ent.start <= token.idx < ent.end:
            return ent
    return None


def subject_phrase(head: Token) -> tuple[str, int, int]:
    """Text and char span of a subject phrase, conjuncts kept, clauses left out."""
    keep, stack = [], [head]
    while stack:
        tok = stack.pop()
        keep.append(tok)
        stack.extend(c for c in tok.children if c.dep_ not in _PHRASE_SKIP)
    keep.sort(key=lambda t: t.i)
    while len(keep) > 1 and (keep[-1].is_punct or keep[-1].dep_ == "cc"):
        keep.pop()
    start, end = keep[0].idx, keep[-1].idx + len(keep[-1].text)
    return doc_text(head.doc)[start:end], start, end


def _strip_article(text: str) -> str:
    first, _, rest = text.partition(" ")
    return rest if first.lower() in ("the", "a", "an") and rest else text


def _person_near(subject: Token, entities: Sequence[Entity]) -> Entity | None:
    """A named person the subject phrase stands for: inside it or apposed with a comma."""
    _, start, end = subject_phrase(subject)
    doc = subject.doc
    text = doc_text(doc)
    for ent in entities:
        if ent.label != "PERSON":
            continue
        span = doc.char_span(ent.start, ent.end, alignment_mode="expand")
        # The subject itself or a name apposed to it, not a possessor: in "Ian's wife
        # Cynthia added" Ian is not the speaker.
        if span is not None and start <= ent.start < end and _names_subject(span.root, subject):
            return ent
        # "The U.S. secretary of state, Antony Blinken says": role, comma, name.
        if 0 <= ent.start - end <= 3 and text[end : ent.start].strip() == ",":
            return ent
    return None


def _names_subject(root: Token, subject: Token) -> bool:
    if root.i == subject.i:
        return True
    return root.head.i == subject.i and root.dep_ in ("compound", "appos", "nmod", "npadvmod")


def resolve_subject(subject: Token, entities: Sequence[Entity]) -> Speaker | None:
    """A Speaker for a subject token that is not a pronoun."""
    person = _person_near(subject, entities)
    if person is not None:
        return _with_side(Speaker(name=person.canonical, role=person.role))
    entity = _entity_at(subject, entities)
    text, _, _ = subject_phrase(subject)
    named = _person_named(text, entities)
    if named is not None:  # the parser missed a surname the document names in full
        return _with_side(Speaker(name=named.canonical, role=named.role))
    if entity is not None and entity.label in _GROUP_LABELS:
        return _with_side(Speaker(name=text))
    if subject.tag_ == "NN" and subject.lemma_.lower() not in COLLECTIVE:
        return _with_side(Speaker(name=None, role=_strip_article(text)))
    if subject.pos_ in ("NOUN", "PROPN"):
        return _with_side(Speaker(name=text))
    return None


def _person_named(text: str, entities: Sequence[Entity]) -> Entity | None:
    """The person whose canonical name ends with ``text`` ("Hightower" -> "Ed Hightower")."""
    if not text[:1].isupper() or " " in text.strip():
        return None
    for ent in entities:
        if ent.label == "PERSON" and ent.canonical.split()[-1] == text:
            return ent
    return None


def _with_side(speaker: Speaker) -> Speaker:
    side = side_of(" ".join(p for p in (speaker.name, speaker.role) if p))
    return Speaker(name=speaker.name, role=speaker.role, side=side)


def _subjects(verb: Token) -> list[Token]:
    """Subjects of a speech verb, borrowed from the verb it is coordinated with."""
    tok = verb
    for _ in range(4):
        subs = [c for c in tok.children if c.dep_ in ("nsubj", "csubj")]
        subs += [g for c in tok.children if c.dep_ == "agent" for g in c.children]
        if subs:
            return subs
        if tok.i == verb.i:
            # "… ?” asked the organisation's head, Yasmine Kacha": an inverted subject
            # the parser read as an object.
            after = [c for c in tok.children if c.i > tok.i and c.dep_ in _INVERTED]
            if after and tok.i > 0 and _quote_before(tok):
                return after[:1]
        if tok.dep_ not in ("conj", "xcomp", "advcl", "pcomp") or tok.head is tok:
            break
        tok = tok.head
    return []


_INVERTED = frozenset({"dobj", "attr", "npadvmod", "appos", "nsubjpass"})


def _quote_before(verb: Token) -> bool:
    """Whether a closing quotation mark (and maybe a comma) comes just before ``verb``."""
    prev = doc_text(verb.doc)[max(0, verb.idx - 4) : verb.idx].rstrip()
    return prev.endswith(("”", '"', "’", "”,", '",'))


def _speech_verbs(doc: Doc, lo: int, hi: int, quoted: Sequence[Region]) -> list[Token]:
    out = []
    for tok in doc[lo:hi]:
        if _inside(tok.idx, quoted):
            continue
        speech = tok.lemma_.lower() in SPEECH_LEMMAS and tok.pos_ in ("VERB", "AUX")
        according = tok.lower_ == "according" and tok.i + 1 < len(doc)
        if speech or (according and doc[tok.i + 1].lower_ == "to"):
            out.append(tok)
    return out


def _subject_tokens(verb: Token) -> list[Token]:
    if verb.lower_ == "according":
        return [c for c in verb.doc[verb.i + 1].children if c.dep_ == "pobj"]
    return _subjects(verb)


def _speaker_of_verb(verb: Token, entities: Sequence[Entity]) -> Speaker | None:
    lo, hi = sentence_bounds(verb.doc)[sentence_index(verb.doc, verb.idx)]
    # The parser may hang a subject on a verb across a paragraph break: not a subject.
    subjects = [t for t in _subject_tokens(verb) if lo <= t.i < hi]
    subjects.sort(key=lambda t: _entity_at(t, entities) is None)  # named people first
    for subject in subjects:
        if subject.pos_ == "PRON":
            return _antecedent(subject, entities)
        speaker = resolve_subject(subject, entities)
        if speaker is not None:
            return speaker
    return None


def _candidates(doc: Doc, lo: int, hi: int, entities: Sequence[Entity]) -> list[Speaker]:
    """Speakers, other subjects, then people of a sentence; each group latest first."""
    quoted = _quoted(doc)
    speakers: list[Speaker] = []
    subjects: list[Speaker] = []
    people: list[Speaker] = []
    for tok in doc[lo:hi]:
        if _inside(tok.idx, quoted) or tok.pos_ == "PRON":
            continue
        according = tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.i > 0
        according = according and doc[tok.head.i - 1].lower_ == "according"
        if tok.dep_ in ("nsubj", "nsubjpass") or according:
            speaker = resolve_subject(tok, entities)
            speech = according or any(v.lemma_.lower() in SPEECH_LEMMAS for v in _verbs_of(tok))
            # A bare noun is taken for a person only as a speaker: "the major challenge
            # is" must not become the referent of "he".
            if speaker is not None and (speech or speaker.name is not None):
                (speakers if speech else subjects).append(speaker)
        ent = _entity_at(tok, entities)
        if ent is not None and ent.label == "PERSON" and ent.start == tok.idx:
            people.append(Speaker(name=ent.canonical, role=ent.role))
    return speakers[::-1] + subjects[::-1] + people[::-1]


def _verbs_of(subject: Token) -> list[Token]:
    """The verb a subject belongs to and the verbs coordinated with it."""
    verb = subject.head
    return [verb, *verb.conjuncts]


def _antecedent(pronoun: Token, entities: Sequence[Entity]) -> Speaker | None:
    """The most recent speaker or person a personal pronoun can refer to."""
    word = pronoun.lower_
    if word not in _SINGULAR_PRONOUNS | _GROUP_PRONOUNS:
        return None
    doc = pronoun.doc
    bounds = sentence_bounds(doc)
    index = sentence_index(doc, pronoun.idx)
    for k in range(index, max(-1, index - _LOOKBACK - 1), -1):
        lo, hi = bounds[k]
        hi = min(hi, pronoun.i) if k == index else hi
        for speaker in _candidates(doc, lo, hi, entities):
            person = speaker.role is not None or _is_named_person(speaker, entities)
            if (word in _SINGULAR_PRONOUNS) == person:
                return _with_side(speaker)
    return None


def _is_named_person(speaker: Speaker, entities: Sequence[Entity]) -> bool:
    return any(e.label == "PERSON" and e.canonical == speaker.name for e in entities)


def _quoted(doc: Doc) -> list[Region]:
    cached = doc.user_data.get("dossier.quoted")
    if cached is None:
        cached = [(s, e) for s, e, _ in quoted_regions(doc_text(doc))]
        doc.user_data["dossier.quoted"] = cached
    return list(cached)


def _bare_speech_verb(tok: Token) -> bool:
    """A speech verb with nothing said after it: "Smith said." attributes the quote before it."""
    if tok.lemma_.lower() not in SPEECH_LEMMAS:
        return False
    return not any(c.dep_ in ("ccomp", "dobj", "xcomp") for c in tok.children)


def _stands_alone(doc: Doc, span_start: int, sentence_start: int) -> bool:
    """Whether the quote opens its sentence (nothing but marks and spaces before it)."""
    return not doc_text(doc)[doc[sentence_start].idx : span_start].strip(" \t\n“\"‘'")


def find_speaker(
    doc: Doc, span_start: int, span_end: int, entities: Sequence[Entity], *, quote: bool = False
) -> Speaker | None:
    """The speaker of a span; for a quote, attribution may follow it or precede it."""
    bounds = sentence_bounds(doc)
    first = sentence_index(doc, span_start)
    last = sentence_index(doc, max(span_start, span_end - 1))
    if quote and last + 1 < len(bounds):
        # "… rebuild.” said the mayor": the attribution may be parsed as a sentence of its own.
        lo, hi = bounds[last + 1]
        gap = doc_text(doc)[span_end : doc[lo].idx]
        head = [t for t in doc[lo : min(hi, lo + 4)] if not t.is_punct]
        attribution = gap.strip(" ”\"’'") == "," or (
            gap.strip(" ”\"’'") == ""
            and bool(head)
            and (head[0].is_lower or any(_bare_speech_verb(t) for t in head))
        )
        if attribution and "\n" not in gap:
            last += 1
    lo, hi = bounds[first][0], bounds[last][1]
    quoted = _quoted(doc)
    verbs = _speech_verbs(doc, lo, hi, quoted)

    def distance(tok: Token) -> int:
        if span_start <= tok.idx < span_end:
            return 0
        return min(abs(int(tok.idx) - span_start), abs(int(tok.idx) - span_end))

    # A speech verb in a relative clause ("the email, which was first reported by the AP")
    # tells of another saying: the main clause's verb goes first.
    for verb in sorted(verbs, key=lambda v: (v.dep_ in ("relcl", "acl"), distance(v))):
        speaker = _speaker_of_verb(verb, entities)
        if speaker is not None:
            return _named(doc, speaker, span_start, entities)
    if quote:
        labelled = _colon_speaker(doc, span_start, entities)  # 'Mark Cuban: “…”'
        if labelled is not None:
            return labelled
    if quote and _stands_alone(doc, span_start, lo):
        # A quoted sentence standing alone continues the speaker of the sentences before
        # it; a quoted phrase in a sentence with no speech verb is a term or a scare quote.
        for k in range(first - 1, max(-1, first - _LOOKBACK - 1), -1):
            s, e = bounds[k]
            for verb in reversed(_speech_verbs(doc, s, e, quoted)):
                speaker = _speaker_of_verb(verb, entities)
                if speaker is not None:
                    return _named(doc, speaker, span_start, entities)
    return None


# "WASHINGTON (AP) —", "KYIV, Ukraine —": a dateline opens a story; it never speaks.
_DATELINE = re.compile(
    r"(?:^|\n)[ \t]*([A-Z][A-Z .'-]+)(?:,[^\n(—–-]{0,40})?[ \t]*(?:\(|—|–|--| - )"
)
# 'Mark Cuban: “…”', 'Pew Research: “…”' at the head of a line or after a dash.
_LABEL = re.compile(r"(?:^|\n|[-–—]\s)[ \t]*((?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*):\s")


def is_dateline(doc: Doc, speaker: Speaker) -> bool:
    """Whether a speaker's name is the story's dateline ("WASHINGTON (AP) —")."""
    name = (speaker.name or "").strip()
    if not name or not name.replace(" ", "").replace(".", "").isupper():
        return False
    return any(m.group(1).strip() == name for m in _DATELINE.finditer(doc_text(doc)))


def _colon_speaker(doc: Doc, span_start: int, entities: Sequence[Entity]) -> Speaker | None:
    """The person named before a colon on the quote's line, when the document names them."""
    text = doc_text(doc)
    line_start = text.rfind("\n", 0, span_start) + 1
    for match in _LABEL.finditer(text, line_start, span_start):
        label = match.group(1)
        person = next(
            (
                e
                for e in entities
                if e.label == "PERSON" and (e.text == label or e.canonical == label)
            ),
            None,
        ) or _person_named(label.split()[-1], entities)
        if person is not None:
            return _with_side(Speaker(name=person.canonical, role=person.role))
    return None


def _definite(text: str, role: str, near: int) -> bool:
    """Whether the role nearest to ``near`` is written definite ("the spokesman", "Kyiv's
    mayor"): a definite role refers to someone the document has already named."""
    lo = max(0, near - 400)
    found = [m.start() for m in re.finditer(re.escape(role), text[lo : near + 400])]
    if not found:
        return False
    at = lo + min(found, key=lambda k: abs(lo + k - near))
    before = text[max(0, at - 6) : at].lower()
    return before.endswith(("the ", "’s ", "'s ", "his ", "her ", "its ", "their "))


def _named(doc: Doc, speaker: Speaker, before: int, entities: Sequence[Entity]) -> Speaker | None:
    """A role alone ("the spokesman", "the two-term president") resolved to the person the
    document last named with that title before the span; else the role as it is. A dateline
    is no speaker at all."""
    if is_dateline(doc, speaker):
        return None
    if speaker.name is not None or not speaker.role:
        return speaker
    head = speaker.role.split()[-1].strip(".,\xa0 ")
    text = doc_text(doc)
    if not head.islower() or not _definite(text, speaker.role, before):
        return speaker  # "a Democratic strategist who spoke on condition of anonymity"
    for ent in sorted(entities, key=lambda e: -e.start):
        if ent.label != "PERSON" or ent.start >= before:
            continue
        word = f"(?i:{re.escape(head)})"
        # "President Barack Obama", "Kremlin spokesman Dmitry Peskov" or "Peskov, the
        # Kremlin's spokesman": the title on the name itself, not a word nearby.
        before_name = re.search(
            rf"\b{word}\s+(?:[A-Z][\w.’'-]*\s+)*$", text[max(0, ent.start - 60) : ent.start]
        )
        after_name = re.match(
            rf"\s*,\s*(?:the |a |an )?(?:[\w’'-]+\s+){{0,5}}{word}\b",
            text[ent.end : ent.end + 80],
            re.I,
        )
        if before_name or after_name or (ent.role and head in ent.role.lower().split()):
            return _with_side(Speaker(name=ent.canonical, role=speaker.role))
    return speaker


def speaker_for(doc: Doc, span_start: int, span_end: int, entities: list[Entity]) -> Speaker | None:
    """Who is speaking in the sentence holding the character span, or None."""
    return find_speaker(doc, span_start, span_end, entities)
