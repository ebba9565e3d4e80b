"""Harm: who was hurt by a violation, how, and how many, read off the parse.

The victims of a trigger are the phrases it acts on (object of an active verb,
subject of a passive one, ``of``-complement of a noun, the noun a relative
clause hangs from). Each victim phrase gives a category ("civilians",
"officials", "children"…) from its head noun and a count range from its
modifiers: "at least 11" is min 11, "more than 50" min 51, "up to 30" max 30,
"dozens" min 24, "multiple" min 2, "a mayor" exactly 1. Numbers come as digits
or words.
"""

from __future__ import annotations

import re
from typing import Any

from ..records import Harm, HarmKind
from .triggers import words

Token = Any  # spacy.tokens.Token; spaCy ships no type stubs

# Head lemma -> victim category; unknown heads that are still people give "people".
CATEGORIES: dict[str, str] = {
    **dict.fromkeys(
        words(
            "civilian resident villager innocent inhabitant local passer-by passerby "
            "pensioner evacuee refugee family"
        ),
        "civilians",
    ),
    **dict.fromkeys(words("people person man victim body corpse"), "people"),
    **dict.fromkeys(words("woman women"), "women"),
    **dict.fromkeys(
        words("child children kid boy girl baby infant teenager toddler minor"), "children"
    ),
    **dict.fromkeys(
        words(
            "mayor official leader councillor councilor governor administrator head chief "
            "deputy elder"
        ),
        "officials",
    ),
    **dict.fromkeys(words("journalist reporter photographer cameraman"), "journalists"),
    **dict.fromkeys(words("doctor medic nurse paramedic"), "medics"),
    **dict.fromkeys(words("volunteer worker"), "aid workers"),
    **dict.fromkeys(words("prisoner detainee pow captive"), "prisoners"),
    **dict.fromkeys(words("soldier serviceman troop fighter"), "combatants"),
}
# Categories that say nothing beyond "someone": they merge with any other.
UNSPECIFIED: frozenset[str] = frozenset({"people"})

_WORDS = {
    w: i
    for i, w in enumerate(
        words(
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen"
        )
    )
}
_TENS = {
    w: 10 * i
    for i, w in enumerate(words("_ _ twenty thirty forty fifty sixty seventy eighty ninety"))
    if w != "_"
}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
# Vague plural quantities, read as their smallest plausible value.
_VAGUE: dict[str, int] = {
    "dozen": 12,
    "dozens": 24,
    "scores": 40,
    "score": 20,
    "hundreds": 200,
    "thousands": 2000,
    "millions": 2_000_000,
}
_FEW: dict[str, int] = {
    "multiple": 2,
    "several": 3,
    "many": 2,
    "numerous": 2,
    "some": 2,
    "various": 2,
    "couple": 2,
    "few": 2,
}
_AT_LEAST = ("at least", "no fewer than", "no less than", "a minimum of", "not less than")
_MORE_THAN = ("more than", "over", "upwards of", "in excess of", "above")
_UP_TO = ("up to", "as many as", "at most", "no more than", "not more than", "nearly", "almost")
_FEWER_THAN = ("fewer than", "less than", "under")


def parse_number(text: str) -> int | None:
    """An integer from digits ("1,200", "1.5 million") or words ("twenty-five")."""
    text = text.lower().replace(",", "").replace("-", " ").strip()
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(hundred|thousand|million)?", text)
    if match:
        value = float(match.group(1)) * _SCALES.get(match.group(2) or "", 1)
        return int(value)
    total, current = 0, 0
    for word in text.split():
        if word in ("and", "a"):
            continue
        if word in _WORDS:
            current += _WORDS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total, current = total + current, 0
        else:
            return None
    result = total + current
    return result if text else None


def count_range(head: Token) -> tuple[int | None, int | None]:
    """The (min, max) a noun phrase's modifiers give for how many its head denotes."""
    numbers = [c for c in head.children if c.dep_ == "nummod" or (c.like_num and c.i < head.i)]
    if numbers:
        num = numbers[0]
        before = [t for t in num.subtree if t.i <= num.i]
        values = [v for v in (parse_number(t.text) for t in num.subtree if t.like_num) if v]
        prefix = " ".join(t.lower_ for t in before if not t.like_num)
        whole = "-".join(t.text for t in num.subtree if t.like_num or t.lower_ in _SCALES)
        value = parse_number(whole) or (values[0] if values else None)
        if value is None:
            return None, None
        # "between 30 and 50", "30-50", "30 to 50": two figures that do not read as one number.
        if len(values) >= 2 and (parse_number(whole) is None or "between" in prefix):
            return min(values), max(values)
        return _bounded(prefix, value)
    for child in head.children:
        if child.lower_ in _FEW and child.dep_ in ("amod", "det", "nummod"):
            return _FEW[child.lower_], None
        if child.dep_ == "det" and child.lower_ in ("a", "an", "one", "the", "this", "that"):
            return (1, 1) if head.tag_ in ("NN", "NNP") else (None, None)
        if child.dep_ == "det" and child.lower_ == "no":
            return 0, 0
    if head.tag_ in ("NN", "NNP") and head.lemma_.lower() in CATEGORIES:
        return 1, 1
    return None, None


def _bounded(prefix: str, value: int) -> tuple[int | None, int | None]:
    if any(p in prefix for p in _AT_LEAST):
        return value, None
    if any(re.search(rf"\b{p}\b", prefix) for p in _MORE_THAN):
        return value + 1, None
    if any(p in prefix for p in _UP_TO):
        return None, value
    if any(re.search(rf"\b{p}\b", prefix) for p in _FEWER_THAN):
        return None, value - 1
    return value, value


def category_of(head: Token) -> str | None:
    """The victim category of a noun phrase head, or None when it is not a person."""
    lemma = head.lemma_.lower()
    if lemma in ("body", "corpse", "remains"):
        inner = _of_complement(head)
        return category_of(inner) if inner is not None else "people"
    if lemma in CATEGORIES:
        return CATEGORIES[lemma]
    if head.lower_ in CATEGORIES:
        return CATEGORIES[head.lower_]
    if head.ent_type_ == "PERSON" or head.lower_ in ("he", "she", "him", "her"):
        return "people"
    if head.like_num or head.pos_ == "NUM":
        return "people"
    return None


def _of_complement(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for grand in child.children:
                if grand.dep_ == "pobj":
                    return grand
    return None


def _phrase_text(head: Token, members: list[Token]) -> tuple[str, int, int]:
    """Text of a coordinated victim phrase: modifiers left of the first head to the last head."""
    skip = {"relcl", "acl", "prep", "punct", "appos", "advcl"}
    tokens: list[Token] = []
    for member in members:
        stack = [member]
        while stack:
            tok = stack.pop()
            tokens.append(tok)
            stack.extend(
                c for c in tok.children if c.dep_ not in skip and c.dep_ not in ("conj", "cc")
            )
    first = min(t.i for t in tokens)
    last = max(t.i for t in tokens)
    doc = head.doc
    span = doc[first : last + 1]
    return span.text, span.start_char, span.end_char


def harm_for(head: Token, kind: HarmKind) -> list[Harm]:
    """Harm entries for one victim phrase (its conjuncts and "including …" inside it)."""
    # "dozens of civilians": the quantity noun carries the count, the complement the category.
    if head.lemma_.lower() in _VAGUE or head.lower_ in _VAGUE or head.lower_ in ("number",):
        inner = _of_complement(head)
        if inner is not None and category_of(inner):
            vague = _VAGUE.get(head.lower_, _VAGUE.get(head.lemma_.lower() + "s", 2))
            text, _, _ = _phrase_text(head, [head, inner])
            lo, hi = count_range(head)
            return [Harm(kind, category_of(inner) or "people", lo or vague, hi, text)]
    category = category_of(head)
    if category is None:
        return []
    members = [head] + [c for c in head.conjuncts if c.i > head.i and not _has_count(c)]
    text, _, _ = _phrase_text(head, members)
    lo, hi = count_range(head)
    if lo is None and hi is None:
        for member in members[1:]:
            if category_of(member) and category != category_of(member):
                category = (
                    category if category not in UNSPECIFIED else category_of(member) or category
                )
    out = [Harm(kind, category, lo, hi, text)]
    for conj in head.conjuncts:
        if conj.i > head.i and _has_count(conj):
            out.extend(harm_for(conj, kind))
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in ("including", "among"):
            for inner in child.children:
                if inner.dep_ == "pobj":
                    out.extend(harm_for(inner, kind))
    return out


def victims_of(token: Token) -> list[Token]:
    """Heads of the phrases a trigger acts on."""
    out: list[Token] = []
    passive = (
        any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children)
        or token.tag_ == "VBN"
        and token.dep_ in ("acl", "amod")
    )
    for child in token.children:
        if child.dep_ == "nsubj" and token.lemma_.lower() == "die":
            out.append(child)  # "four people died": the subject of an unaccusative is its victim
        elif child.dep_ in ("dobj", "nsubjpass") or (child.dep_ == "attr" and token.pos_ == "NOUN"):
            out.append(child)
        elif child.dep_ == "prep" and child.lower_ in ("of", "against", "on"):
            out.extend(g for g in child.children if g.dep_ == "pobj")
        elif (
            child.dep_ in ("amod", "compound")
            and token.pos_ == "NOUN"
            and category_of(child)
            or child.dep_ == "poss"
            and token.pos_ == "NOUN"
            and category_of(child)
        ):
            out.append(child)
    if token.dep_ == "amod" and token.head.pos_ in ("NOUN", "PROPN") and passive:
        out.append(token.head)  # "the killed civilians"
    if token.dep_ == "acl" and token.tag_ == "VBN":
        out.append(token.head)  # "civilians killed in the strike"
    # "mayors that are under captivity": the relative clause's noun is the victim.
    cur = token
    for _ in range(4):
        if cur.dep_ == "relcl":
            out.append(cur.head)
            break
        if cur.dep_ in ("ROOT", "ccomp", "advcl", "conj"):
            break
        cur = cur.head
    if token.pos_ == "NOUN" and token.lemma_.lower() in ("body", "corpse"):
        out.append(token)
    # A relative pronoun stands for the noun its clause modifies.
    return [t.head.head if t.tag_ in ("WP", "WDT") and t.head.dep_ == "relcl" else t for t in out]


def _has_count(token: Token) -> bool:
    return any(c.dep_ == "nummod" for c in token.children)


def merge_harm(entries: list[Harm]) -> tuple[Harm, ...]:
    """One entry per (kind, category): the most informative figure wins."""
    best: dict[tuple[str, str], Harm] = {}
    for harm in entries:
        key = (harm.kind, harm.category)
        old = best.get(key)
        if old is None or _information(harm) > _information(old):
            best[key] = harm
    # "killed civilians" and "multiple bodies" in one report: the figure counts the civilians.
    for (kind, category), harm in list(best.items()):
        if category not in UNSPECIFIED or (harm.min is None and harm.max is None):
            continue
        specific = [k for k in best if k[0] == kind and k[1] not in UNSPECIFIED]
        if len(specific) == 1 and best[specific[0]].min is None and best[specific[0]].max is None:
            best[specific[0]] = Harm(harm.kind, specific[0][1], harm.min, harm.max, harm.text)
            del best[(kind, category)]
    # An unspecified "people" entry adds nothing next to a figure of the same kind.
    kinds_specific = {k for (k, c), h in best.items() if c not in UNSPECIFIED}
    return tuple(
        h
        for (k, c), h in best.items()
        if not (c in UNSPECIFIED and k in kinds_specific and h.min is None and h.max is None)
    )


def _information(harm: Harm) -> tuple[int, int]:
    known = (harm.min is not None) + (harm.max is not None)
    return known, harm.min or harm.max or 0
