"""Origins and outlet families: who a report really relays, and who really published it.

Four outlets quoting "Authorities", "City authorities", "The council" and
"local authorities" about one shelling relay one body, the city's government;
"Reuters", "Reuters UK" and "Thomson Reuters" are one wire. Counting
independent sources by the words each outlet chose overcounts. Here an origin
is reduced to a source entity (``origin_entity``) and an outlet to its family
(``outlet_family``), each a (key, display label) pair. The rules are by
institution kind, never by incident:

- local government: a mayor, a city, town or village council, hall, authority
  or administration, and unqualified "authorities", "council", "officials";
- regional government: a governor, a regional or oblast administration;
- national government: a national adjective or state name with authorities,
  government, officials, president, presidential office;
- a ministry or state body: "X ministry", "ministry of X", "prosecutor general",
  "general staff", police, emergency service, keyed by what it is and whose;
- a wire or agency named as the origin (Reuters, AP, AFP, Interfax, TASS, ...).

Anything else keeps its own normalised name.

A story an outlet runs from a wire carries the wire's dateline credit
("KYIV, March 17 (Reuters) -"); such a report's outlet family is the wire
(``wire_credit``), whatever outlet ran it.
"""

from __future__ import annotations

import functools
import re

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_NATIONS = {
    "ukraine": "Ukrainian",
    "ukrainian": "Ukrainian",
    "ukraines": "Ukrainian",
    "russia": "Russian",
    "russian": "Russian",
    "russias": "Russian",
    "kremlin": "Russian",
    "belarus": "Belarusian",
    "belarusian": "Belarusian",
}
# Wires and agencies, by the words that name them.
WIRES = {
    "reuters": "Reuters",
    "thomson reuters": "Reuters",
    "associated press": "Associated Press",
    "ap": "Associated Press",
    "afp": "AFP",
    "agence france presse": "AFP",
    "agence france-presse": "AFP",
    "interfax": "Interfax",
    "interfax ukraine": "Interfax",
    "tass": "TASS",
    "ria novosti": "RIA Novosti",
    "ria": "RIA Novosti",
    "ukrinform": "Ukrinform",
    "unian": "UNIAN",
    "dpa": "dpa",
    "efe": "EFE",
    "anadolu": "Anadolu",
    "xinhua": "Xinhua",
    "bloomberg": "Bloomberg",
}
_LOCAL = re.compile(
    r"\b(mayor|mayors|city|town|village|municipal|municipality|local|council|councils|hall|"
    r"community)\b"
)
_BODY = re.compile(r"\b(authorities|authority|officials?|administration|government|office)\b")
_REGIONAL = re.compile(r"\b(governor|regional|oblast|region|province|provincial)\b")
_NATIONAL = re.compile(r"\b(president|presidential|government|cabinet|state|national|federal)\b")
_MINISTRY = re.compile(r"\b(?:ministry of (?:the )?(\w+)|(\w+) ministry)\b")
_STATE_BODIES = (
    ("prosecutor", "prosecutor's office"),
    ("general staff", "general staff"),
    ("police", "police"),
    ("emergency", "emergency service"),
    ("ombudsman", "ombudsman"),
    ("commissioner", "ombudsman"),
    ("armed forces", "armed forces"),
    ("military", "armed forces"),
    ("army", "armed forces"),
)
# Words an outlet's name carries beside its family name: editions, services, forms.
_EDITION = {
    "news",
    "online",
    "uk",
    "us",
    "usa",
    "international",
    "world",
    "service",
    "services",
    "edition",
    "english",
    "ukrainian",
    "russian",
    "africa",
    "asia",
    "europe",
    "india",
    "canada",
    "com",
    "net",
    "org",
    "co",
    "www",
    "digital",
    "wire",
    "agency",
    "tv",
    "radio",
    "live",
}


# Ukrainian and Russian institution words, by stem, in the English the rules read, so
# that one origin quoted in three languages is one source ("Віцепрем'єр-міністерка
# України", "Вице-премьер-министр Украины", "Ukraine's deputy prime minister").
_GLOSS = (
    ("віцепрем", "deputy prime minister"), ("вице-премьер", "deputy prime minister"),
    ("вицепремьер", "deputy prime minister"), ("прем'єр", "prime minister"),
    ("премьер", "prime minister"), ("президент", "president"), ("міністерств", "ministry of"),
    ("министерств", "ministry of"), ("міністр", "minister"), ("министр", "minister"),
    ("оборон", "defence"), ("закордонн", "foreign"), ("иностранн", "foreign"),
    ("генпрокур", "prosecutor"), ("прокур", "prosecutor"), ("генштаб", "general staff"),
    ("генеральн", "general"), ("поліці", "police"), ("полици", "police"),
    ("дснс", "emergency"), ("мчс", "emergency"), ("рятувальн", "emergency"),
    ("омбудсм", "ombudsman"), ("уповноважен", "commissioner"), ("уполномоченн", "commissioner"),
    ("губернатор", "governor"), ("облас", "regional"), ("област", "regional"),
    ("військов", "military"), ("военн", "military"), ("адміністрац", "administration"),
    ("администрац", "administration"), ("міськ", "city"), ("городск", "city"),
    ("сільськ", "village"), ("сельск", "village"), ("рада", "council"), ("ради", "council"),
    ("раді", "council"), ("совет", "council"), ("мер", "mayor"), ("мэр", "mayor"),
    ("влад", "authorities"), ("власт", "authorities"), ("уряд", "government"),
    ("правительств", "government"), ("офіс", "office"), ("офис", "office"),
    ("україн", "ukraine"), ("украин", "ukraine"), ("росі", "russia"), ("росси", "russia"),
    ("російськ", "russia"), ("российск", "russia"), ("кремл", "kremlin"),
    ("мешканц", "residents"), ("мешканець", "residents"), ("жител", "residents"),
    ("очевид", "witnesses"), ("свидетел", "witnesses"), ("укрінформ", "ukrinform"),
    ("укринформ", "ukrinform"), ("уніан", "unian"), ("униан", "unian"),
    ("інтерфакс", "interfax"), ("интерфакс", "interfax"), ("тасс", "tass"),
)  # fmt: skip
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def _gloss(word: str) -> str:
    """The English institution word a Ukrainian or Russian word stands for, or the word."""
    return next((en for stem, en in _GLOSS if word.startswith(stem)), word)


def _words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("'s ", " ").replace("'", "")
    if _CYRILLIC.search(text):
        text = " ".join(_gloss(w) for w in re.split(r"[\s,]+", text.replace("ʼ", "'")) if w)
        text = text.replace("'", "")
    words = _WORD.findall(text)
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return words


def _nation(words: list[str]) -> str | None:
    return next((_NATIONS[w] for w in words if w in _NATIONS), None)


@functools.lru_cache(maxsize=65536)
def origin_entity(origin: str) -> tuple[str, str]:
    """The source entity an origin names: (comparison key, display label).

    Government levels and wires are labelled by what they are ("local
    authorities"); a ministry or a named body keeps the text's own words
    ("Donetsk regional police"), which say more than its kind.
    """
    words = _words(origin)
    text = " ".join(words)
    if text in WIRES:
        return "wire:" + WIRES[text].lower(), WIRES[text]
    nation = _nation(words)
    ministry = _MINISTRY.search(text)
    if ministry:
        what = ministry.group(1) or ministry.group(2)
        what = {"defense": "defence", "foreign": "foreign affairs"}.get(what, what)
        return f"ministry:{(nation or '').lower()}:{what}", origin.strip()
    for cue, body in _STATE_BODIES:
        if cue in text:
            return f"body:{(nation or '').lower()}:{body}", origin.strip()
    if _REGIONAL.search(text) and (_BODY.search(text) or "governor" in words):
        return "regional", "regional administration"
    if nation and (_BODY.search(text) or _NATIONAL.search(text)):
        return f"national:{nation.lower()}", f"{nation} authorities"
    if _LOCAL.search(text) or text in ("authorities", "officials", "official"):
        return "local", "local authorities"
    # the words of a name in any order: a title's word order differs between languages
    return "name:" + " ".join(sorted({w for w in words if w not in _EDITION})), origin.strip()


@functools.lru_cache(maxsize=65536)
def outlet_family(publisher: str) -> tuple[str, str]:
    """The family an outlet belongs to: a wire's editions and services are one outlet.

    The label is the outlet's own name; only the key is shared.
    """
    words = _words(publisher)
    text = " ".join(words)
    for n in (3, 2, 1):
        for i in range(len(words) - n + 1):
            name = " ".join(words[i : i + n])
            # a short name ("AP") is that wire only when it is the whole name
            if name in WIRES and (len(name) > 3 or n == len(words)):
                return "wire:" + WIRES[name].lower(), publisher.strip()
    core = [w for w in words if w not in _EDITION] or words
    return "name:" + " ".join(core), publisher.strip() or text


# "(Reuters)", "(AP)", "(AFP)": a dateline credit near the top of the text.
_CREDIT = re.compile(
    r"\((Reuters|AP|AFP|Associated Press|Agence France-Presse|dpa|Interfax(?:-Ukraine)?|"
    r"Ukrinform|UNIAN|TASS|RIA Novosti|Xinhua|Anadolu|EFE|Bloomberg)\)\s*[-\u2013\u2014]"
)
CREDIT_CHARS = 600  # how much of a text's start is searched for a credit


def wire_credit(head: str) -> str | None:
    """The wire a text credits in its dateline, by its display name (None: no credit)."""
    found = _CREDIT.search(head[:CREDIT_CHARS])
    if found is None:
        return None
    name = " ".join(_words(found.group(1)))
    return WIRES.get(name) or WIRES.get(name.replace(" ukraine", ""), found.group(1))
