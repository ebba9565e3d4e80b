"""Latin transliterations of Cyrillic names, for display and search.

Ukrainian follows the national system (Cabinet of Ministers resolution 55 of
2010: "Київ" -> "Kyiv", "Зеленський" -> "Zelenskyi"): no package ships it,
and it is one table with two positional rules. Russian uses the Wikipedia
scheme from ``iuliia`` ("Песков" -> "Peskov", "Харьков" -> "Kharkov").
"""

from __future__ import annotations

import re

import iuliia

# Letter -> (at the start of a word, elsewhere)
_UK: dict[str, tuple[str, str]] = {
    "а": ("a", "a"),
    "б": ("b", "b"),
    "в": ("v", "v"),
    "г": ("h", "h"),
    "ґ": ("g", "g"),
    "д": ("d", "d"),
    "е": ("e", "e"),
    "є": ("ye", "ie"),
    "ж": ("zh", "zh"),
    "з": ("z", "z"),
    "и": ("y", "y"),
    "і": ("i", "i"),
    "ї": ("yi", "i"),
    "й": ("y", "i"),
    "к": ("k", "k"),
    "л": ("l", "l"),
    "м": ("m", "m"),
    "н": ("n", "n"),
    "о": ("o", "o"),
    "п": ("p", "p"),
    "р": ("r", "r"),
    "с": ("s", "s"),
    "т": ("t", "t"),
    "у": ("u", "u"),
    "ф": ("f", "f"),
    "х": ("kh", "kh"),
    "ц": ("ts", "ts"),
    "ч": ("ch", "ch"),
    "ш": ("sh", "sh"),
    "щ": ("shch", "shch"),
    "ь": ("", ""),
    "ю": ("yu", "iu"),
    "я": ("ya", "ia"),
    "'": ("", ""),
    "’": ("", ""),
    "ʼ": ("", ""),
}
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")


def _uk_word(word: str) -> str:
    out: list[str] = []
    lower = word.lower()
    for i, ch in enumerate(lower):
        if ch == "г" and i > 0 and lower[i - 1] == "з":
            out.append("gh")  # "зг" is "zgh", so that it is not read as "zh"
            continue
        pair = _UK.get(ch)
        latin = ch if pair is None else pair[0] if i == 0 else pair[1]
        if word[i].isupper() and latin:
            latin = latin[0].upper() + latin[1:]
        out.append(latin)
    return "".join(out)


def transliterate(text: str, language: str) -> str:
    """``text`` in Latin letters: Ukrainian national system for ``uk``, Wikipedia's for ``ru``."""
    if language == "uk":
        return _WORD.sub(lambda m: _uk_word(m.group(0)), text)
    return str(iuliia.WIKIPEDIA.translate(text))


__all__ = ["transliterate"]
