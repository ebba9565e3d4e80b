"""What a growing cluster has committed to: its types, sides, places and days.

Machine links are pairwise, and chains of pairwise links drift: a report
"in the Donetsk region" fits a strike on Pokrovsk and a strike on
Kostiantynivka the same day, but must not join the two. So a merge also
needs the two clusters to be compatible as wholes (complete linkage on the
hard rules), while the evidence that proposes the merge stays pairwise.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..records import Place, Report
from .compatibility import (
    TIME_SLACK_DAYS,
    DayRange,
    places_compatible,
    sides_compatible,
    types_compatible,
)


@dataclass
class ClusterProfile:
    """The hard-rule facts of a cluster, kept small: distinct values only."""

    types: set[str]
    sides: set[str]
    places: list[Place]
    latest_start: int | None
    earliest_end: int | None

    @classmethod
    def of(cls, report: Report, days: DayRange | None) -> ClusterProfile:
        ev = report.event
        explicit = days if days is not None and days.explicit else None
        return cls(
            {ev.type},
            {ev.perpetrator.side} if ev.perpetrator and ev.perpetrator.side else set(),
            [ev.place] if ev.place is not None else [],
            explicit.start if explicit else None,
            explicit.end if explicit else None,
        )

    def fits(self, other: ClusterProfile) -> bool:
        """True when every member of one may be the same occurrence as every member of the other."""
        if not all(types_compatible(a, b) for a in self.types for b in other.types):
            return False
        if not all(sides_compatible(a, b) for a in self.sides for b in other.sides):
            return False
        if not all(places_compatible(a, b) for a in self.places for b in other.places):
            return False
        starts = [s for s in (self.latest_start, other.latest_start) if s is not None]
        ends = [e for e in (self.earliest_end, other.earliest_end) if e is not None]
        # Intervals on a line share a point exactly when they pairwise overlap.
        return not (starts and ends) or max(starts) <= min(ends) + TIME_SLACK_DAYS

    def absorb(self, other: ClusterProfile) -> None:
        """Take in the facts of a cluster merged into this one."""
        self.types |= other.types
        self.sides |= other.sides
        self.places.extend(p for p in other.places if p not in self.places)
        if other.latest_start is not None:
            self.latest_start = max(self.latest_start or other.latest_start, other.latest_start)
        if other.earliest_end is not None:
            self.earliest_end = min(self.earliest_end or other.earliest_end, other.earliest_end)
