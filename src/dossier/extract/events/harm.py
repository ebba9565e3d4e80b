"""Harm: who was hurt by a violation, how, and how many, read off the parse.

The victims of a trigger are the phrases it acts on (object of an active verb,
subject of a passive one, ``of``-complement of a noun, the noun a relative
clause hangs from). Each victim phrase gives a category ("civilians",
"officials", "children"…) from its head noun and a count range from its
modifiers: "at least 11" is min 11, "more than 50" min 51, "up to 30" max 30,
"dozens" min 24, "multiple" min 2, "a mayor" exactly 1, "a man and a woman" 2,
"45 adults and 5 children" a total of 50 beside its parts. Numbers come as
digits or words; a number that is an age, a date, a time, money or a measure
("a 43-year-old", "2016", "6 p.m.") is never a count.

The kind comes from the word that governs the figure: "shot", "wounded",
"hospitalised" are ``injured`` unless the text says "shot dead", "fatally",
"to death" or "shot and killed"; "died of his wounds" is ``killed``. Bare
figures count too: a headline "3 killed", "over 100 injured", "two dead",
"the death toll rose to 50" (the last figure of an update).

A figure whose clause gives it a wider scope ("since the start of the war",
"this year", "so far", "in total", "over the past week", "nationwide") covers
many incidents: ``aggregates.py`` records it, and it is never an event's harm.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ...records import Harm, HarmKind
from ..parsed import doc_text
from .triggers import words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


# Head lemma -> victim category; unknown heads that are still people give "people".
CATEGORIES: dict[str, str] = {
    **dict.fromkeys(
        words(
            "civilian resident villager innocent inhabitant local passer-by passerby "
            "pensioner evacuee refugee family"
        ),
        "civilians",
    ),
    **dict.fromkeys(
        words(
            "people person man men victim body corpse adult individual bystander other "
            "others another officer deputy trooper agent cop guard self son daughter father "
            "mother brother sister wife husband girlfriend boyfriend grandson granddaughter "
            "grandmother grandfather nephew niece cousin friend relative neighbor neighbour "
            "student teacher customer employee patron clerk driver passenger owner"
        ),
        "people",
    ),
    **dict.fromkeys(words("woman women"), "women"),
    **dict.fromkeys(words("teen"), "children"),
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
# Pronouns (and "shot himself") that stand for one person.
_ONE_PERSON = frozenset(words("he she him her himself herself another self"))
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


# Entity labels and following words that make a number something other than a count.
_NOT_COUNT_LABELS = frozenset({"TIME", "MONEY", "PERCENT", "QUANTITY", "ORDINAL"})
_MEASURE = re.compile(
    r"\s*-?\s*(?:years?\b|yrs?\b|y/o|yo\b|-?year|months?\b|weeks?\b|days?\b|hours?\b|"
    r"minutes?\b|a\.m\.|p\.m\.|am\b|pm\b|miles?\b|feet\b|foot\b|km\b|meters?\b|metres?\b|"
    r"mm\b|caliber|calibre|%|percent\b|block\b|dollars?\b|rounds?\b|shots?\b|"
    r"shell casings?\b|times\b)",
    re.IGNORECASE,
)


def is_count(num: Token) -> bool:
    """A number token that can count people: not an age, date, time, sum of money or measure."""
    if num.ent_type_ in _NOT_COUNT_LABELS:
        return False
    if num.ent_type_ == "DATE":  # the tagger dates "between 30 and 40"; a month or year is one
        rest = re.sub(
            r"\b(?:between|and|to|or|about|some|around)\b", "", _entity_text(num), flags=re.I
        )
        if re.search(r"[A-Za-z]", rest):
            return False
    doc = num.doc
    text = doc_text(doc)  # cached: Doc.text rebuilds the whole string on every access
    end = num.idx + len(num.text)
    if _MEASURE.match(text, end, end + 16):
        return False
    before = text[max(0, num.idx - 2) : num.idx]
    if "$" in before or "#" in before:
        return False
    return not (num.text.isdigit() and len(num.text) == 4 and 1800 <= int(num.text) <= 2100)


def _entity_text(num: Token) -> str:
    """The text of the named entity a token is part of."""
    doc = num.doc
    first = num.i
    while first > 0 and doc[first].ent_iob_ == "I":
        first -= 1
    last = num.i + 1
    while last < len(doc) and doc[last].ent_iob_ == "I":
        last += 1
    return str(doc[first:last].text)


def _number_value(num: Token) -> tuple[str, list[int], int | None]:
    """The words before a number token, every figure in it, and the number it reads as."""
    before = [t for t in num.subtree if t.i <= num.i]
    values = [v for v in (parse_number(t.text) for t in num.subtree if t.like_num) if v]
    prefix = " ".join(t.lower_ for t in before if not t.like_num)
    # "about 50" and "around 50" keep the point figure; "some 50" too.
    whole = "-".join(t.text for t in num.subtree if t.like_num or t.lower_ in _SCALES)
    return prefix, values, parse_number(whole) if parse_number(whole) is not None else None


def _range_of_number(num: Token) -> tuple[int | None, int | None]:
    prefix, values, whole = _number_value(num)
    value = whole if whole is not None else (values[0] if values else None)
    if value is None:
        return None, None
    # "between 30 and 50", "30-50", "30 to 40": two figures that do not read as one number.
    if len(values) >= 2 and (whole is None or "between" in prefix or _has_to(num)):
        return min(values), max(values)
    return _bounded(prefix, value)


def _has_to(num: Token) -> bool:
    return any(t.lower_ in ("to", "-", "or") for t in num.subtree if t.i > num.i)


def count_range(head: Token) -> tuple[int | None, int | None]:
    """The (min, max) a noun phrase's modifiers give for how many its head denotes."""
    if head.like_num:  # "3 killed", "killing four": the number is the phrase
        return _range_of_number(head) if is_count(head) else (None, None)
    numbers = [
        c
        for c in head.children
        if (c.dep_ == "nummod" or (c.like_num and c.i < head.i)) and is_count(c)
    ]
    if numbers:
        return _range_of_number(numbers[0])
    for child in head.children:
        if child.lower_ in _FEW and child.dep_ in ("amod", "det", "nummod"):
            return _FEW[child.lower_], None
        if child.dep_ == "det" and child.lower_ in ("a", "an", "one", "the", "this", "that"):
            return (1, 1) if head.tag_ in ("NN", "NNP") else (None, None)
        if child.dep_ == "det" and child.lower_ == "no":
            return 0, 0
    if head.tag_ in ("NN", "NNP") and head.lemma_.lower() in CATEGORIES:
        return 1, 1
    if head.lower_ in _ONE_PERSON or (head.ent_type_ == "PERSON" and head.tag_ == "NNP"):
        return 1, 1  # a pronoun or a named person is one
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
        if any(c.lower_ in ("upper", "lower") for c in head.children):
            return None  # "struck in the upper body": a wound's place, not a corpse
        inner = _of_complement(head)
        return category_of(inner) if inner is not None else "people"
    if lemma in CATEGORIES:
        return CATEGORIES[lemma]
    if head.lower_ in CATEGORIES:
        return CATEGORIES[head.lower_]
    if head.ent_type_ == "PERSON" or head.lower_ in _ONE_PERSON:
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
            text, start, end = _phrase_text(head, [head, inner])
            lo, hi = count_range(head)
            of = category_of(inner) or "people"
            return [Harm(kind, of, lo or vague, hi, text, start, end)]
    category = category_of(head)
    if category is None:
        return []
    # A conjunct with a harm word of its own ("four injured and one dead") is another figure.
    members = [head] + [
        c
        for c in head.conjuncts
        if c.i > head.i and not _has_count(c) and not any(g.lower_ in _BARE for g in c.children)
    ]
    text, _, _ = _phrase_text(head, members)
    lo, hi = count_range(head)
    if lo is None and hi is None:
        for member in members[1:]:
            if category_of(member) and category != category_of(member):
                category = (
                    category if category not in UNSPECIFIED else category_of(member) or category
                )
    start, end = _phrase_text(head, members)[1:]
    people = [m for m in members if category_of(m)]
    if len(people) > 1 and lo is not None and lo == hi:
        ranges = [count_range(m) for m in people]
        if all(r[0] is not None and r[0] == r[1] for r in ranges):
            lo = hi = sum(r[0] or 0 for r in ranges)  # "a man and a woman": two
    out = [Harm(kind, category, lo, hi, text, start, end)]
    # "one person dead and three others in hospital": a member with its own predicate does
    # not lend its kind to the others.
    own_predicate = any(c.lower_ in _BARE for c in head.children)
    parts = [c for c in head.conjuncts if c.i > head.i and _has_count(c) and not own_predicate]
    for conj in parts:
        out.extend(harm_for(conj, kind))
    if parts and lo is not None and lo == hi:
        # "45 adults and 5 children": the total beside its parts.
        ranges = [count_range(c) for c in parts]
        if all(r[0] is not None and r[0] == r[1] for r in ranges):
            total = lo + sum(r[0] or 0 for r in ranges)
            whole, t_start, t_end = _phrase_text(head, [head, *parts])
            out.append(Harm(kind, "people", total, total, whole, t_start, t_end))
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
    if token.dep_ in ("xcomp", "oprd") and token.tag_ == "VBN":
        # "were found shot to death": the subject of "found" is the one shot.
        out.extend(c for c in token.head.children if c.dep_ in ("nsubjpass", "nsubj", "dobj"))
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
            best[specific[0]] = replace(harm, category=specific[0][1])
            del best[(kind, category)]
    # An unspecified "people" entry adds nothing next to a figure of the same kind; nor
    # does an uncounted "shooting civilians" next to the civilians it killed.
    kinds_specific = {k for (k, c), h in best.items() if c not in UNSPECIFIED}
    killed = {c for (k, c) in best if k == "killed"}
    return tuple(
        h
        for (k, c), h in best.items()
        if not (c in UNSPECIFIED and k in kinds_specific and h.min is None and h.max is None)
        and not (k == "injured" and c in killed and h.min is None and h.max is None)
    )


def _information(harm: Harm) -> tuple[int, int]:
    known = (harm.min is not None) + (harm.max is not None)
    return known, harm.min or harm.max or 0


# --- the kind of a figure, and the figures of a sentence -----------------------------

_KILL_WORDS = frozenset(words("kill murder die dead slay fatality death"))
_HURT_WORDS = frozenset(
    words("injure wound hurt maim hospitalise hospitalize stab injured wounded injury shoot gun")
)
# A word that names the dead or the hurt and can carry the figure itself: "two dead",
# "over 100 injured", "five deaths".
_BARE = {
    **dict.fromkeys(words("dead death fatality killed"), "killed"),
    **dict.fromkeys(words("injured wounded injury hurt shot"), "injured"),
}
_FATAL = frozenset(words("dead fatally mortally lethally"))
_PREDICATES = frozenset(words("dead injured wounded hurt"))


def kind_of(token: Token, default: HarmKind) -> HarmKind:
    """The harm a governing word tells: "shot" is injured unless the text says it killed."""
    lemma = token.lemma_.lower()
    if lemma in _KILL_WORDS or token.lower_ in _KILL_WORDS:
        return "killed"
    if lemma not in _HURT_WORDS and token.lower_ not in _HURT_WORDS:
        return default
    if _fatal(token):
        return "killed"
    return "injured"


def _fatal(token: Token) -> bool:
    """ "shot dead", "fatally shot", "shot to death", "shot and killed", "shot, later died"."""
    for child in token.children:
        if child.lower_ in _FATAL:
            return True
        if (
            child.dep_ == "prep"
            and child.lower_ == "to"
            and any(g.lemma_.lower() == "death" for g in child.children)
        ):
            return True
        if child.dep_ == "conj" and child.lemma_.lower() in ("kill", "die", "murder"):
            return True
        if child.dep_ in ("dobj", "nsubjpass") and any(g.lower_ == "dead" for g in child.children):
            return True  # "shot dead seven civilians"
    # "died after being shot": the shooting is the death's, when it has no victim of its own.
    own = any(c.dep_ in ("nsubj", "nsubjpass", "dobj") for c in token.children)
    return (
        token.dep_ == "advcl" and not own and token.head.lemma_.lower() in ("kill", "die", "murder")
    )


def governs_figure(token: Token) -> HarmKind | None:
    """The harm kind a word tells of when it can govern a casualty figure, else None."""
    lemma, lower = token.lemma_.lower(), token.lower_
    if lemma in _KILL_WORDS or lower in _KILL_WORDS or lemma in _HURT_WORDS:
        return kind_of(token, "killed")
    return _BARE.get(lower)  # type: ignore[return-value]


def _bare_figure(token: Token, kind: HarmKind) -> list[Harm]:
    """ "two dead", "over 100 injured", "five deaths": the figure sits on the harm word."""
    if token.pos_ not in ("NOUN", "ADJ", "VERB", "PROPN") or token.lower_ not in _BARE:
        return []
    if token.lower_ == "shot" and (token.dep_ == "dobj" or token.head.lemma_.lower() == "fire"):
        return []  # "fired one shot" counts bullets, not people
    numbers = [c for c in token.children if c.dep_ == "nummod" and is_count(c)]
    if not numbers:
        return []
    lo, hi = _range_of_number(numbers[0])
    span = token.doc[min(t.i for t in numbers[0].subtree) : token.i + 1]
    return [Harm(kind, "people", lo, hi, span.text, span.start_char, span.end_char)]


def _toll(token: Token) -> list[Harm]:
    """ "the death toll rose to 50", "the toll stands at 12": the last figure is the latest."""
    if token.lemma_.lower() != "toll":
        return []
    kind: HarmKind = (
        "injured"
        if any(c.lemma_.lower() in ("injury", "casualty") for c in token.children)
        else "killed"
    )
    scope = list(token.head.subtree) if token.dep_ in ("nsubj", "nsubjpass") else []
    scope += list(token.subtree)
    numbers = sorted(
        {t.i: t for t in scope if t.like_num and is_count(t) and t.dep_ != "nummod"}.values(),
        key=lambda t: t.i,
    )
    numbers = [n for n in numbers if parse_number(n.text) is not None]
    if not numbers:
        return []
    last = numbers[-1]
    lo, hi = _range_of_number(last)
    first = min(t.i for t in last.subtree)
    span = token.doc[first : max(t.i for t in last.subtree) + 1]
    return [Harm(kind, "people", lo, hi, span.text, span.start_char, span.end_char)]


def _headline_victims(token: Token) -> list[Token]:
    """ "3 killed in crash", "Two shot on Main Street": a bare number before a harm verb."""
    if token.pos_ != "VERB" or any(c.dep_ in ("dobj", "aux") for c in token.children):
        return []
    return [
        c
        for c in token.children
        if c.i < token.i
        and (
            (c.dep_ == "nsubj" and c.like_num and (token.tag_ == "VBN" or not c.n_lefts))
            or (c.dep_ in ("det", "nsubj") and c.lower_ == "another" and token.tag_ == "VBN")
        )
    ]


def _predicate_victims(token: Token) -> list[Token]:
    """ "One person is dead", "left three people dead", "four injured and one dead"."""
    if token.lower_ not in _PREDICATES or token.pos_ not in ("ADJ", "VERB", "NOUN"):
        return []
    doer = any(c.dep_ in ("dobj", "aux", "agent") for c in token.children)
    if token.tag_ == "JJ" or not doer:  # not "troops had wounded": the subject is no victim
        own = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")]
        if own:
            return own
    if token.dep_ in ("acomp", "oprd", "xcomp", "attr"):
        return [c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    if token.dep_ in ("amod", "acl") and (token.head.like_num or category_of(token.head)):
        return [token.head]  # "one dead", "the dead man", "injured people"
    return []


def figures_of(token: Token, default: HarmKind) -> list[Harm]:
    """Every harm figure one governing word gives, wherever its victims sit."""
    kind = kind_of(token, default)
    victims = victims_of(token) + _headline_victims(token) + _predicate_victims(token)
    if token.lemma_.lower() in ("die", "dead"):
        victims += [c for c in token.children if c.dep_ == "nsubj"]
    victims += _bearers(token)
    out = [h for v in victims for h in harm_for(v, kind)]
    return out + _bare_figure(token, kind) + _toll(token)


def _bearers(token: Token) -> list[Token]:
    """ "found with gunshot wounds", "suffering from a gunshot wound", "taken to hospital
    with injuries": the wound's bearer is the subject of the clause it hangs from."""
    if token.pos_ != "NOUN" or token.lemma_.lower() not in ("wound", "injury"):
        return []
    prep = token.head
    if token.dep_ != "pobj" or prep.lower_ not in ("with", "from", "for"):
        return []
    verb = prep.head
    while verb.pos_ not in ("VERB", "AUX") and verb.head is not verb:
        verb = verb.head
    if verb.lemma_.lower() in ("die", "succumb", "kill"):
        return []  # "died of his wounds" is a death, told by "died"
    return [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]


# Events whose sentence's casualty figures are their harm ("the shelling killed five").
CASUALTY_TYPES = _CASUALTY_TYPES = frozenset(
    {"killing", "attack_on_civilians", "attack_on_protected", "prohibited_weapon", "mass_grave"}
)


def sentence_harm(
    default: HarmKind | None, type_: str, root: Token, victims: list[Token], sentence: Span
) -> list[Harm]:
    """The harm of an event: its trigger's victims and every casualty figure of its sentence.

    Figures whose clause gives them a wider scope (``aggregate_scope``) are left out.
    """
    out: list[Harm] = []
    if default is not None and type_ != "mass_grave" and not aggregate_scope(root):
        kind = kind_of(root, default)
        for victim in victims + _headline_victims(root) + _predicate_victims(root):
            out.extend(harm_for(victim, kind))
        out.extend(_bare_figure(root, kind))
    if type_ not in _CASUALTY_TYPES:
        return out  # a detention's sentence may tell of deaths: they are not its harm
    for tok in sentence:
        if tok.i == root.i and default is not None:
            continue
        if type_ == "mass_grave" and tok.lemma_.lower() in ("body", "corpse") and tok.i != root.i:
            out.extend(harm_for(tok, "killed"))
            continue
        told = governs_figure(tok) or ("killed" if tok.lemma_.lower() == "toll" else None)
        if told is None or aggregate_scope(tok):
            continue
        out.extend(figures_of(tok, told))
    return out


# Words that make a figure cover more than one incident.
_SCOPE = re.compile(
    r"\b(?:since (?:the )?(?:start|beginning|outbreak|onset) of(?: the)?(?: [\w-]+)?|"
    r"since the (?:war|invasion|conflict|fighting) (?:began|started|broke out)|"
    r"since (?:the )?(?:full-scale |russian )?(?:invasion|war)\b|"
    r"since (?:last )?(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"(?:19|20)\d\d)\b|"
    r"(?:so far )?this (?:year|month)\b|so far\b|to date\b|in total\b|year-to-date|"
    r"(?:over|in|during) the (?:past|last|previous) (?:\w+ )?(?:days?|weeks?|months?|years?)\b|"
    r"nationwide|across the (?:country|city|region|state|nation)\b|"
    r"throughout the (?:war|conflict|country|year)\b|"
    r"(?:every|each|per) year\b|annually)",
    re.IGNORECASE,
)


_CLAUSE_EDGES = frozenset({"ROOT", "ccomp", "parataxis", "conj", "relcl"})
_OWN_CLAUSES = frozenset({"appos", "relcl", "ccomp", "parataxis"})


def aggregate_scope(token: Token) -> str | None:
    """The scope words ("since the start of the war") that make a figure an aggregate.

    Read in the clause the governing word belongs to ("at least 74 the number of
    people shot since Wednesday", "2,400 people killed in Mariupol since ..."),
    without its appositions, relative and reported clauses.
    """
    clause = token
    while clause.dep_ not in _CLAUSE_EDGES and clause.head is not clause:
        clause = clause.head
    doc = token.doc
    tokens = {t.i for t in clause.subtree}
    # An apposition, a relative or a reported clause of its own ("the 50th homicide this
    # year", "..., police said so far") is not this figure's scope.
    for tok in list(clause.subtree):
        inside = tok.i == token.i or tok.is_ancestor(token)
        if tok.dep_ in _OWN_CLAUSES and tok.i != clause.i and not inside:
            tokens -= {t.i for t in tok.subtree}
    own = [doc[i] for i in sorted(tokens)]
    text = " ".join(t.text for t in own)
    match = _SCOPE.search(text)
    return match.group(0) if match else None


def loose_figures(doc: Doc, taken: set[int]) -> list[tuple[int, list[Harm]]]:
    """Casualty figures of sentences that hold no event ("She died at the hospital",
    "He was pronounced dead"), by sentence start: the attack reported before them
    caused them."""
    out: list[tuple[int, list[Harm]]] = []
    for sent in doc.sents:
        if sent.start in taken:
            continue
        found: list[Harm] = []
        for tok in sent:
            told = governs_figure(tok)
            if told is not None and not aggregate_scope(tok):
                found.extend(figures_of(tok, told))
        if found:
            out.append((sent.start_char, found))
    return out
