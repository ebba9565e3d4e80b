"""Remove page furniture from plain-text scrapes.

Scraped text carries navigation and sharing lines ("LATEST STORIES:",
"Share this story...", "Advertisement", "Skip to content"). A line is
furniture only when the whole line, stripped, matches one of these patterns;
story sentences are never cut, so a sentence that merely mentions
"advertisement" stays.
"""

from __future__ import annotations

import re

_PATTERNS = [
    r"(latest|top|related|more|trending|popular|recommended|featured|breaking)\s+(stories|news|articles|posts|videos|headlines)\s*:?",
    r"share\s+(this|the)\s+(story|article|post|page)\W*",
    r"share( on)?\s*:?\s*(facebook|twitter|x|whatsapp|telegram|email|linkedin)?\W*",
    r"(read|see)\s+(more|also|next)\s*:?.{0,80}",
    r"(advertisement|advertising|sponsored( content)?|ad)\W*",
    r"skip to (main )?content\W*",
    r"(sign up|subscribe)( now)?( to| for)?( our)?( free)?( daily| weekly)?( newsletters?)?\W*",
    r"follow us( on)?.{0,60}",
    r"click here.{0,60}",
    r"(copyright|©).{0,120}",
    r"all rights reserved\.?",
    r"(accept|manage)( all)? cookies\W*",
    r"this (site|website) uses cookies.{0,200}",
    r"(print|email|comments?|menu|search|home|close|back to top)\W*",
    r"(photo|image|video) credit\s*:.{0,120}",
    r"listen to (this|the) (story|article).{0,40}",
    # Ukrainian and Russian news sites
    r"(останні|головні|популярні|інші|схожі|последние|главные|популярные|другие|похожие)\s+"
    r"(новини|статті|матеріали|новости|статьи|материалы)\s*:?",
    r"(поділитися|поделиться)(\s+\w+){0,4}\W*",
    r"(читайте|дивіться|смотрите)\s+(також|більше|также|ещё|еще)\s*:?.{0,80}",
    r"(реклама|підписуйтесь|подписывайтесь).{0,60}",
]
_FURNITURE = re.compile(r"^\s*(?:" + "|".join(_PATTERNS) + r")\s*$", re.IGNORECASE)
# A furniture line is short; a longer line is always kept whatever it matches.
_MAX_FURNITURE_CHARS = 200


def is_furniture(line: str) -> bool:
    """True when the whole line is page furniture, not story text."""
    stripped = line.strip()
    return 0 < len(stripped) <= _MAX_FURNITURE_CHARS and bool(_FURNITURE.match(stripped))


def remove_furniture(text: str) -> tuple[str, list[str]]:
    """Return the text without furniture lines, and the lines removed."""
    kept: list[str] = []
    removed: list[str] = []
    for line in text.splitlines():
        if is_furniture(line):
            removed.append(line.strip())
        else:
            kept.append(line.rstrip())
    clean = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return clean, removed
