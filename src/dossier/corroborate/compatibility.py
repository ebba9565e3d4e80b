"""Whether two reported events can describe one real occurrence.

The hard rules of corroboration: compatible violation types, places within a
distance that fits their precision, overlapping time ranges, and compatible
perpetrator sides. Each rule is a pure function over records, so the
clustering and the blocking share exactly one definition.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

from ..geo import haversine_km
from ..records import Place, Report

# Outlets describe one occurrence by its cause or by its consequence: a missile
# strike that killed civilians is `attack_on_civilians` to one and `killing` to
# another. Pairs listed here (symmetric) may be one incident; a type is always
# compatible with itself.
COMPATIBLE_TYPES: frozenset[frozenset[str]] = frozenset(
    frozenset(pair)
    for pair in [
        ("attack_on_civilians", "killing"),
        ("attack_on_civilians", "attack_on_protected"),
        ("attack_on_civilians", "prohibited_weapon"),
        ("attack_on_civilians", "pillage_destruction"),
        ("attack_on_protected", "killing"),
        ("attack_on_protected", "prohibited_weapon"),
        ("attack_on_protected", "pillage_destruction"),
        ("prohibited_weapon", "killing"),
        ("killing", "mass_grave"),
        ("killing", "torture"),
        ("torture", "detention"),
        ("torture", "sexual_violence"),
        ("detention", "deportation"),
    ]
)

# When reports disagree on the type, the incident is filed under the cause
# (the attack) before the consequence (the deaths): that is what ACLED and
# Airwars file a strike under. Used only to break ties of the majority vote.
TYPE_PRIORITY: tuple[str, ...] = (
    "attack_on_protected",
    "prohibited_weapon",
    "attack_on_civilians",
    "mass_grave",
    "sexual_violence",
    "torture",
    "killing",
    "deportation",
    "detention",
    "pillage_destruction",
)

# How far apart (km) two mentions of one place may be resolved, by precision:
# a gazetteer point for a town can sit kilometres from where a strike hit, and
# an admin2 centroid tens of kilometres. Coarser precisions match by name.
DISTANCE_KM: dict[str, float] = {"point": 15.0, "locality": 25.0, "admin2": 60.0}
FINE_PRECISIONS: frozenset[str] = frozenset(DISTANCE_KM)
PRECISION_RANK: dict[str, int] = {
    "point": 0,
    "locality": 1,
    "admin2": 2,
    "admin1": 3,
    "country": 4,
}

# A report that gives no date is about something that happened shortly before
# it was published; wire stories follow an event within days.
UNDATED_WINDOW_DAYS = 3
# Dates near midnight and time zones shift a reported day by one.
TIME_SLACK_DAYS = 1


def types_compatible(a: str, b: str) -> bool:
    """True when an event typed ``a`` and one typed ``b`` may be one occurrence."""
    return a == b or frozenset((a, b)) in COMPATIBLE_TYPES


def sides_compatible(a: str | None, b: str | None) -> bool:
    """An unknown perpetrator side is compatible with any side."""
    return a is None or b is None or a == b


def places_compatible(a: Place | None, b: Place | None) -> bool:
    """True when the two places may be the same spot at their precisions.

    Two fine places (point, locality, admin2) must lie within the threshold of
    the coarser one. A coarse place contains the other: an admin1 report fits
    a locality inside that admin1, a country report anything in the country.
    A missing place fits only another missing place (nothing to compare).
    """
    if a is None or b is None:
        return a is None and b is None
    if a.precision in FINE_PRECISIONS and b.precision in FINE_PRECISIONS:
        limit = max(DISTANCE_KM[a.precision], DISTANCE_KM[b.precision])
        return haversine_km(a.lat, a.lon, b.lat, b.lon) <= limit
    if a.country is None or b.country is None or a.country != b.country:
        return False
    coarse, other = (a, b) if PRECISION_RANK[a.precision] >= PRECISION_RANK[b.precision] else (b, a)
    if coarse.precision == "country":
        return True
    return coarse.admin1 is not None and _norm(coarse.admin1) == _norm(other.admin1 or "")


@functools.lru_cache(maxsize=65536)
def _norm(name: str) -> str:
    return " ".join(name.lower().replace("oblast", "").replace("region", "").split())


@dataclass(frozen=True)
class DayRange:
    """Inclusive range of proleptic Gregorian ordinals; ``explicit`` if the text dated it."""

    start: int
    end: int
    explicit: bool

    @property
    def days(self) -> int:
        return self.end - self.start + 1


def _ordinal(iso: str | None) -> int | None:
    if not iso:
        return None
    try:
        return date.fromisoformat(iso[:10]).toordinal()
    except ValueError:
        return None


def day_range(report: Report) -> DayRange | None:
    """The days the event may have happened on, bounded by publication when undated."""
    time = report.event.time
    published = _ordinal(report.published)
    start, end = _ordinal(time.start), _ordinal(time.end)
    if time.precision != "unknown" and (start is not None or end is not None):
        start = start if start is not None else end
        end = end if end is not None else start
        assert start is not None and end is not None
        # Nothing reported can happen after the report itself.
        if published is not None and end > published >= start:
            end = published
        return DayRange(min(start, end), max(start, end), explicit=True)
    if published is None:
        return None
    return DayRange(published - UNDATED_WINDOW_DAYS, published, explicit=False)


def times_compatible(a: DayRange | None, b: DayRange | None) -> bool:
    """Ranges overlap, allowing one day of slack; an unknown range fits anything."""
    if a is None or b is None:
        return True
    return a.start <= b.end + TIME_SLACK_DAYS and b.start <= a.end + TIME_SLACK_DAYS


def iso_day(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def shift(iso: str, days: int) -> str:
    return (date.fromisoformat(iso[:10]) + timedelta(days=days)).isoformat()
