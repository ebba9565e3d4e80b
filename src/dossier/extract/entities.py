"""Named entities of a document, each with a canonical name and, for people, a role.

Reads spaCy's entities (PERSON, ORG, GPE, LOC, NORP, FAC) and the dependency
parse; writes ``records.Entity`` with character offsets into ``doc.text``.

- Noise: a mention made only of lower-case common nouns ("state" tagged ORG
  inside "secretary of state") is not a name; English capitalises names.
- Canonical names are per document: a shorter person mention that is a run of
  tokens of a longer one ("Zelensky" in "Volodymyr Zelensky") takes the longer
  name; a leading "the" is dropped ("the Kremlin" -> "Kremlin").
- Roles come from the noun phrase next to a person's name: before it as a
  compound or comma apposition ("Ukraine president Volodymyr Zelensky",
  "Canada's foreign affairs minister, Melanie Joly") or after it as an
  apposition ("John Smith, a spokesman for the ministry"). A role's head is a
  singular common noun that is not itself a name, so "NATO countries, X" or
  "On Monday, X" give no role.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ..records import Entity

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

logger = logging.getLogger(__name__)


LABELS: frozenset[str] = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC"})
# Tags that may make up a role phrase ("the U.S. secretary of state", "Canada's minister").
_ROLE_TAGS: frozenset[str] = frozenset(
    {"DT", "NN", "NNS", "NNP", "NNPS", "JJ", "JJR", "JJS", "POS", "HYPH", "PRP$", "VBN"}
)
# Prepositions inside a role ("head of", "spokesman for", "ambassador to").
_ROLE_PREPS: frozenset[str] = frozenset({"of", "for", "to"})
_DETERMINERS: frozenset[str] = frozenset({"the", "a", "an"})
# Leading words of a person mention that are a title, not part of the name.
_HONORIFICS: frozenset[str] = frozenset(
    # A word list reads best as words.
    "mr mr. mrs mrs. ms ms. dr dr. sir dame madam president prime minister general gen. "  # noqa: SIM905
    "colonel col. lieutenant lt. sergeant sgt. captain capt. major maj. senator sen. "
    "representative rep. governor gov. mayor judge justice chancellor secretary king queen "
    "prince princess pope father rev. reverend sheikh ambassador commander".split()
)
_APOSTROPHES = ("'s", "’s", "'", "’")


def is_noise(span: Span) -> bool:
    """Whether an entity span is tagging noise: only lower-case common nouns, no name."""
    return all(t.is_lower and t.tag_ not in ("NNP", "NNPS") for t in span if not t.is_punct)


def _name_tokens(span: Span, label: str) -> list[Token]:
    """The tokens of a mention that make up the name itself (no article, title, possessive)."""
    tokens = [t for t in span if t.tag_ != "POS"]
    while len(tokens) > 1 and tokens[0].lower_ in _DETERMINERS:
        tokens = tokens[1:]
    if label == "PERSON":
        # NER sometimes swallows the title ("President Zelensky", "Ukraine president X").
        while len(tokens) > 1 and (tokens[0].lower_ in _HONORIFICS or tokens[0].is_lower):
            tokens = tokens[1:]
    return tokens


def _clean(text: str) -> str:
    for suffix in _APOSTROPHES:
        if text.endswith(suffix) and len(text) > len(suffix):
            text = text[: -len(suffix)]
            break
    text = " ".join(text.split())
    # Transcribed speech gives "the united states": a name is written capitalised.
    if text.islower():
        text = " ".join(w[:1].upper() + w[1:] for w in text.split())
    return text


def _is_role_head(token: Token) -> bool:
    """A singular common noun that is not a name: "minister", "secretary", "spokesman"."""
    if token.tag_ not in ("NN", "NNP") or not token.is_alpha:
        return False
    # A token inside a real name (not NER noise) is the name, not a role.
    return token.ent_type_ == "" or bool(token.is_lower)


def _role_from_tokens(tokens: list[Token]) -> str | None:
    """Role text for a candidate phrase, or None when its head is not a role noun."""
    while tokens and (
        tokens[0].lower_ in _DETERMINERS or tokens[0].is_punct or tokens[0].tag_ in ("IN", "CC")
    ):
        tokens = tokens[1:]
    while tokens and (tokens[-1].is_punct or tokens[-1].tag_ in ("IN", "CC")):
        tokens = tokens[:-1]
    if not tokens:
        return None
    head = tokens[-1]
    for tok in tokens:  # the head comes before a preposition: "secretary of state"
        if tok.lower_ in _ROLE_PREPS and tok.tag_ == "IN":
            head = tokens[tokens.index(tok) - 1] if tokens.index(tok) > 0 else head
            break
    if not _is_role_head(head):
        return None
    doc = head.doc
    return str(doc[tokens[0].i : tokens[-1].i + 1].text)


def _role_token(tok: Token) -> bool:
    return tok.tag_ in _ROLE_TAGS or (tok.tag_ == "IN" and tok.lower_ in _ROLE_PREPS)


def _starts_clause(doc: Doc, i: int) -> bool:
    """Whether token ``i`` begins a clause: sentence start, after punctuation or "and"/"that"."""
    if i == 0 or doc[i].is_sent_start:
        return True
    before = doc[i - 1]
    return bool(
        before.is_punct
        or before.is_space
        or before.tag_ == "CC"
        or before.pos_ in ("VERB", "AUX")  # "said the chief veterinary officer, Debby Reynolds"
        or before.lower_ in ("that", "while", "as")
    )


def _walk_left(doc: Doc, end: int) -> list[Token]:
    """The noun-phrase tokens ending just before token index ``end``."""
    tokens: list[Token] = []
    i = end - 1
    while i >= 0:
        tok = doc[i]
        if _role_token(tok) or (tok.lower_ == "and" and tokens):
            tokens.insert(0, tok)
            if tok.tag_ == "DT":
                break
            i -= 1
            continue
        break
    return tokens


def _walk_right(doc: Doc, start: int) -> list[Token]:
    """The noun-phrase tokens starting at token index ``start`` (an apposition)."""
    tokens: list[Token] = []
    i = start
    while i < len(doc):
        tok = doc[i]
        # A determiner starts a phrase, so it ends the role unless it follows "of".
        if tok.tag_ == "DT" and tokens and tokens[-1].lower_ not in _ROLE_PREPS:
            break
        # "planning and zoning director": a coordination inside the role.
        if _role_token(tok) or (tok.lower_ == "and" and tokens):
            tokens.append(tok)
            i += 1
            continue
        break
    return tokens


def _is_possessor(tokens: list[Token]) -> bool:
    return any(t.tag_ == "POS" for t in tokens[:4])


def role_of(span: Span) -> str | None:
    """The role the text gives next to a person mention, or None."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    # A title in the name's own phrase hangs on it: "Kremlin spokesman Dmitry Peskov",
    # but not "the reason Baker chose".
    if before is not None and span.start <= before.head.i < span.end:
        # Only the part of the phrase that hangs on the name: "at the request of First
        # Selectman Jeremy Shingleton" gives "First Selectman", not "request of ...".
        left = _walk_left(doc, span.start)
        while left and not span.root.is_ancestor(left[0]):
            left = left[1:]
        role = _role_from_tokens(left)
        if role:
            return role
    if span.start >= 2 and doc[span.start - 1].text == ",":
        left = _walk_left(doc, span.start - 1)
        # "Canada's foreign minister, Melanie Joly called": the role opens the clause;
        # "Around the time of the murder, Taylor told" is no role.
        role = _role_from_tokens(left) if left and _starts_clause(doc, left[0].i) else None
        if role:
            return role
    end = span.end
    if end < len(doc) and doc[end].tag_ == "POS":
        return None
    if end + 1 < len(doc) and doc[end].text == ",":
        after = end + 1
        # "Olena Petrenko, 34, a teacher": an age between commas comes before the role.
        if after + 1 < len(doc) and doc[after].like_num and doc[after + 1].text == ",":
            after += 2
        right = _walk_right(doc, after)
        # An apposition opens with a determiner or possessive ("a spokesman", "the city's
        # director") or is parsed as one; a bare noun after a comma is usually a list.
        linked = any(t.dep_ == "appos" and span.start <= t.head.i < span.end for t in right)
        if right and (right[0].tag_ in ("DT", "PRP$") or _is_possessor(right) or linked):
            return _role_from_tokens(right)
    return None


def _canonical_people(names: list[tuple[str, ...]]) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Map each person name to the longest name in the document that contains it."""
    out: dict[tuple[str, ...], tuple[str, ...]] = {}
    for name in names:
        best = name
        for other in names:
            if len(other) <= len(best):
                continue
            n = len(name)
            if any(other[i : i + n] == name for i in range(len(other) - n + 1)):
                best = other
        out[name] = best
    return out


def extract_entities(doc: Doc) -> list[Entity]:
    """Entities of ``doc`` with per-document canonical names and people's roles."""
    mentions: list[tuple[Span, str, list[Token]]] = []
    for ent in doc.ents:
        if ent.label_ not in LABELS or is_noise(ent):
            continue
        tokens = _name_tokens(ent, ent.label_)
        # A person's name ends in a capitalised word; "Queen drummer" is a role, not a name.
        if tokens and not (ent.label_ == "PERSON" and tokens[-1].is_lower):
            mentions.append((ent, ent.label_, tokens))
    people = [tuple(t.text for t in toks) for _, label, toks in mentions if label == "PERSON"]
    person_canon = _canonical_people(people)
    # The written form of each name, so "Ferrero-Waldner" keeps its hyphen.
    written = {
        tuple(t.text for t in toks): doc[toks[0].i : toks[-1].i + 1].text
        for _, label, toks in mentions
        if label == "PERSON"
    }
    # One spelling per other name: the first capitalised form wins over "the united states".
    spelling: dict[str, str] = {}
    roles: dict[str, str] = {}
    staged: list[tuple[Span, str, str, str | None]] = []
    for ent, label, tokens in mentions:
        raw = doc[tokens[0].i : tokens[-1].i + 1].text
        if label == "PERSON":
            canonical = _clean(written[person_canon[tuple(t.text for t in tokens)]])
            role = role_of(ent)
            if role and canonical not in roles:
                roles[canonical] = role
        else:
            cleaned = _clean(raw)
            canonical = spelling.setdefault(cleaned.lower(), cleaned)
            role = None
        staged.append((ent, label, canonical, role))
    out: list[Entity] = []
    for ent, label, canonical, role in staged:
        if label == "PERSON" and role is None:
            role = roles.get(canonical)
        out.append(
            Entity(
                text=ent.text,
                label=label,
                start=ent.start_char,
                end=ent.end_char,
                canonical=canonical,
                role=role,
            )
        )
    logger.debug("extracted %d entities", len(out))
    return out
