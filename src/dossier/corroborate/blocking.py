"""Blocking: which earlier reports a new report is compared with.

Reports are filed under (coarse geo cell, week) keys so that the cost of
corroborating grows with the number of reports near in space and time, not
with the square of the corpus. The keys are chosen so that every pair the
compatibility rules could accept shares a key:

- fine places (point, locality, admin2) are filed in a 1-degree cell and look
  in the neighbouring cells, wide enough for the largest distance threshold
  at that latitude;
- an admin1-level report looks at everything filed in its admin1, and every
  report looks at the admin1-level reports of its own admin1 (likewise for
  country-level reports), so a locality fits its region's report without
  regional reports comparing every pair of localities inside them;
- a report with no place is compared only with other placeless reports.

Weeks: a report is filed in every 7-day bucket its day range touches, widened
by the time slack, so overlapping ranges always share a bucket.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Hashable, Iterator

from ..records import Place
from .compatibility import DISTANCE_KM, FINE_PRECISIONS, TIME_SLACK_DAYS, DayRange, _norm

CELL_DEG = 1.0
KM_PER_DEG = 111.19
# Ranges longer than this (a "year" date) would be filed in dozens of weeks;
# they are filed under the weeks of their last quarter only, where follow-up
# reporting of an old event concentrates.
MAX_WEEKS = 13

Key = tuple[Hashable, ...]


def weeks(days: DayRange | None) -> list[int]:
    """The week buckets a day range touches (one bucket, -1, for an unknown range)."""
    if days is None:
        return [-1]
    first = (days.start - TIME_SLACK_DAYS) // 7
    last = (days.end + TIME_SLACK_DAYS) // 7
    return list(range(max(first, last - MAX_WEEKS + 1), last + 1))


def _cell(place: Place) -> tuple[int, int]:
    return math.floor(place.lat / CELL_DEG), math.floor(place.lon / CELL_DEG)


def _neighbour_cells(place: Place) -> tuple[tuple[int, int], ...]:
    return _cells_around(*_cell(place))


@functools.lru_cache(maxsize=65536)
def _cells_around(cy: int, cx: int) -> tuple[tuple[int, int], ...]:
    return tuple(_walk_cells(cy, cx))


def _walk_cells(cy: int, cx: int) -> Iterator[tuple[int, int]]:
    reach_km = max(DISTANCE_KM.values())
    # A degree of longitude shrinks with latitude: look further east and west.
    edge_lat = min(89.0, max(abs(cy * CELL_DEG), abs((cy + 1) * CELL_DEG)))
    km_per_lon = KM_PER_DEG * CELL_DEG * math.cos(math.radians(edge_lat))
    dx = min(180, math.ceil(reach_km / max(km_per_lon, 1e-6)))
    for y in (cy - 1, cy, cy + 1):
        for x in range(cx - dx, cx + dx + 1):
            yield y, ((x + 180) % 360) - 180


class BlockIndex:
    """Inverted index from block keys to report numbers."""

    def __init__(self) -> None:
        self._fine: dict[Key, list[int]] = defaultdict(list)
        self._coarse: dict[Key, list[int]] = defaultdict(list)  # admin1/country-level reports
        self._every: dict[Key, list[int]] = defaultdict(list)  # all reports, by admin1 and country

    def _area_keys(self, place: Place, week: int) -> Iterator[Key]:
        if place.country:
            yield ("n", place.country, week)
            if place.admin1:
                yield ("a", place.country, _norm(place.admin1), week)

    def candidates(self, place: Place | None, days: DayRange | None) -> set[int]:
        """Reports already filed that may be compatible with one at ``place`` in ``days``."""
        found: set[int] = set()
        for week in weeks(days):
            if place is None:
                found.update(self._fine.get(("x", week), ()))
                continue
            if place.precision in FINE_PRECISIONS:
                for y, x in _neighbour_cells(place):
                    found.update(self._fine.get(("c", y, x, week), ()))
                for key in self._area_keys(place, week):
                    found.update(self._coarse.get(key, ()))
            elif place.precision == "admin1":
                for key in self._area_keys(place, week):
                    table = self._every if key[0] == "a" else self._coarse
                    found.update(table.get(key, ()))
            elif place.country:
                found.update(self._every.get(("n", place.country, week), ()))
        return found

    def add(self, number: int, place: Place | None, days: DayRange | None) -> None:
        """File report ``number`` under its keys."""
        for week in weeks(days):
            if place is None:
                self._fine[("x", week)].append(number)
                continue
            if place.precision in FINE_PRECISIONS:
                y, x = _cell(place)
                self._fine[("c", y, x, week)].append(number)
            else:
                # Regional reports are filed by region, national ones by country.
                keys = list(self._area_keys(place, week))
                regional = place.precision == "admin1" and len(keys) == 2
                if keys:
                    self._coarse[keys[1] if regional else keys[0]].append(number)
            for key in self._area_keys(place, week):
                self._every[key].append(number)
