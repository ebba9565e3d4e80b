"""Charts over incidents: events and fatalities per week or month by type, and a table by region.

The figures are computed here, on the server, from the incidents a role may
see (the caller passes what ``View.list_incidents`` returned), and drawn as
SVG by the template: no script, nothing a hidden incident could change.

How an incident spreads over its date range (the choice DESIGN.md leaves
open):

- **events**: an incident counts once in every week or month its range
  touches; an incident from 1 to 31 March counts in each of the five weeks.
  A bar is "incidents going on in that period", as ACLED's weekly counts are
  events in that week.
- **fatalities**: spread over the days of the range in proportion, so the
  periods add up to the incident's figure and a long incident is never
  counted twice (31 killed over 1-31 March: 7 in a full week). Shares are
  kept as fractions and rounded only for display.

An incident without a date, or whose range ends before it starts, is left out
of the charts and counted in ``Series.undated``.
"""

from __future__ import annotations

import csv
import io
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from ..ontology import EVENT_TYPES
from ..records import Incident

Unit = Literal["week", "month"]
UNITS: tuple[Unit, ...] = ("week", "month")
MAX_PERIODS = 600  # bars in one chart; more (decades of weeks) is refused with a message
COLOURS = {  # the same as app.js's DOSSIER_TYPES, so map, timeline and charts agree
    "killing": "#b2182b",
    "mass_grave": "#67001f",
    "torture": "#d6604d",
    "sexual_violence": "#c51b7d",
    "detention": "#2166ac",
    "deportation": "#4393c3",
    "attack_on_civilians": "#e08214",
    "attack_on_protected": "#b35806",
    "pillage_destruction": "#5aae61",
    "prohibited_weapon": "#542788",
}


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value or "")[:10])
    except ValueError:
        return None


def incident_range(incident: Incident) -> tuple[date, date] | None:
    """The incident's first and last day; one known end stands for both, else its first report."""
    time = incident.time
    start = _day(time.start) or _day(time.end) or _day(incident.first_report)
    end = _day(time.end) or start
    if start is None or end is None or end < start:
        return None
    return start, end


def period_start(day: date, unit: Unit) -> date:
    """The Monday of ``day``'s ISO week, or the first of its month."""
    return day - timedelta(days=day.weekday()) if unit == "week" else day.replace(day=1)


def next_period(start: date, unit: Unit) -> date:
    if unit == "week":
        return start + timedelta(days=7)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)


def overlap_days(a: tuple[date, date], b: tuple[date, date]) -> int:
    """Days two inclusive ranges share (0 when they do not meet)."""
    return max(0, (min(a[1], b[1]) - max(a[0], b[0])).days + 1)


@dataclass
class Period:
    start: date
    end: date  # inclusive
    events: dict[str, int] = field(default_factory=dict)
    fatalities: dict[str, float] = field(default_factory=dict)

    @property
    def total_events(self) -> int:
        return sum(self.events.values())

    @property
    def total_fatalities(self) -> float:
        return sum(self.fatalities.values())


@dataclass
class Series:
    unit: Unit
    periods: list[Period]
    incidents: int  # incidents drawn
    undated: int  # incidents left out for want of a usable date
    too_many: int = 0  # periods the range would need when over MAX_PERIODS (then none drawn)


def series(items: Iterable[Incident], unit: Unit) -> Series:
    """Events and fatalities per period and type, every period from the first to the last."""
    dated: list[tuple[tuple[date, date], str, int]] = []
    undated = 0
    for item in items:
        span = incident_range(item)
        if span is None:
            undated += 1
            continue
        dated.append((span, str(item.type or "unknown"), item.fatalities or 0))
    if not dated:
        return Series(unit, [], 0, undated)
    first = period_start(min(s[0] for s, _, _ in dated), unit)
    last = max(s[1] for s, _, _ in dated)
    starts = [first]
    while next_period(starts[-1], unit) <= last:
        starts.append(next_period(starts[-1], unit))
        if len(starts) > MAX_PERIODS:
            months = (last.year - first.year) * 12 + last.month - first.month + 1
            needed = (last - first).days // 7 + 1 if unit == "week" else months
            return Series(unit, [], len(dated), undated, too_many=needed)
    periods = [
        Period(s, (starts[i + 1] if i + 1 < len(starts) else next_period(s, unit)) - timedelta(1))
        for i, s in enumerate(starts)
    ]
    index = {p.start: p for p in periods}
    for span, kind, killed in dated:
        length = (span[1] - span[0]).days + 1
        start = period_start(span[0], unit)
        while start <= span[1]:
            period = index[start]
            period.events[kind] = period.events.get(kind, 0) + 1
            if killed:
                share = killed * overlap_days(span, (period.start, period.end)) / length
                period.fatalities[kind] = period.fatalities.get(kind, 0.0) + share
            start = next_period(start, unit)
    return Series(unit, periods, len(dated), undated)


# -- drawing ---------------------------------------------------------------
W, H = 960, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 12, 14, 46
MAX_LABELS = 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    colour: str
    title: str


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Chart:
    """One stacked bar chart, laid out for the template's SVG."""

    caption: str
    width: int
    height: int
    bars: list[Bar]
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    plot: tuple[float, float, float, float]  # left, top, right, bottom
    rows: list[tuple[str, list[str], str]]  # the same figures as a table: period, per type, total


def nice_ticks(top: float, n: int = 4) -> list[float]:
    """Round steps from 0 to at least ``top`` (1, 2 or 5 times a power of ten)."""
    if top <= 0:
        return [0.0, 1.0]
    raw = top / n
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1:
        step = 1.0  # whole incidents and people
    count = math.ceil(top / step - 1e-9)
    return [i * step for i in range(count + 1)]


def period_label(start: date, unit: Unit) -> str:
    return start.isoformat() if unit == "week" else start.strftime("%b %Y")


def _number(x: float) -> str:
    return str(round(x)) if abs(x - round(x)) < 0.05 else f"{x:.1f}"


def chart(s: Series, what: Literal["events", "fatalities"], types: Sequence[str]) -> Chart:
    """The stacked bars of ``what`` per period of ``s``, with dates along the axis."""
    unit_word = "week" if s.unit == "week" else "month"
    noun = "incidents" if what == "events" else "people killed"
    caption = f"{noun.capitalize()} per {unit_word}, by type"
    left, top, right, bottom = LEFT, TOP, W - RIGHT, H - BOTTOM
    values = [p.events if what == "events" else p.fatalities for p in s.periods]
    totals = [sum(v.values()) for v in values]
    ticks = nice_ticks(max(totals, default=0))
    scale = (bottom - top) / ticks[-1]
    n = max(1, len(s.periods))
    slot = (right - left) / n
    gap = min(2.0, slot * 0.2)
    bars: list[Bar] = []
    rows: list[tuple[str, list[str], str]] = []
    for i, (period, by_type) in enumerate(zip(s.periods, values, strict=True)):
        label = period_label(period.start, s.unit)
        acc = 0.0
        for kind in types:
            v = by_type.get(kind, 0)
            if not v:
                continue
            height = v * scale
            bars.append(
                Bar(
                    x=round(left + i * slot + gap / 2, 2),
                    y=round(bottom - (acc + v) * scale, 2),
                    width=round(max(slot - gap, 0.5), 2),
                    height=round(height, 2),
                    colour=COLOURS.get(kind, "#555555"),
                    title=f"{label}: {_number(v)} {noun}, {kind.replace('_', ' ')}",
                )
            )
            acc += v
        rows.append((label, [_number(by_type.get(k, 0)) for k in types], _number(totals[i])))
    every = max(1, math.ceil(n / MAX_LABELS))
    x_ticks = [
        Tick(round(left + (i + 0.5) * slot, 2), period_label(p.start, s.unit))
        for i, p in enumerate(s.periods)
        if i % every == 0
    ]
    y_ticks = [Tick(round(bottom - t * scale, 2), _number(t)) for t in ticks]
    return Chart(caption, W, H, bars, x_ticks, y_ticks, (left, top, right, bottom), rows)


def chart_types(s: Series) -> list[str]:
    """The types present in ``s``, in the ontology's order (unknown ones last)."""
    present = {k for p in s.periods for k in p.events}
    return [t for t in EVENT_TYPES if t in present] + sorted(present - set(EVENT_TYPES))


# -- the table by region ---------------------------------------------------
@dataclass(frozen=True)
class RegionRow:
    country: str
    region: str
    events: int
    fatalities: float
    previous_events: int
    previous_fatalities: float

    @property
    def events_change(self) -> int:
        return self.events - self.previous_events

    @property
    def fatalities_change(self) -> float:
        return self.fatalities - self.previous_fatalities


REGION_SORTS = {
    "country": lambda r: (r.country.casefold(), r.region.casefold()),
    "region": lambda r: (r.region.casefold(), r.country.casefold()),
    "events": lambda r: r.events,
    "fatalities": lambda r: r.fatalities,
    "previous_events": lambda r: r.previous_events,
    "events_change": lambda r: r.events_change,
    "previous_fatalities": lambda r: r.previous_fatalities,
    "fatalities_change": lambda r: r.fatalities_change,
}
UNKNOWN = "(unknown)"


def previous_period(period: tuple[date, date]) -> tuple[date, date]:
    """The range of the same length that ends the day before ``period`` starts."""
    length = (period[1] - period[0]).days + 1
    return period[0] - timedelta(days=length), period[0] - timedelta(days=1)


def _tally(
    items: Iterable[Incident], period: tuple[date, date]
) -> dict[tuple[str, str], tuple[int, float]]:
    out: dict[tuple[str, str], tuple[int, float]] = defaultdict(lambda: (0, 0.0))
    for item in items:
        span = incident_range(item)
        if span is None:
            continue
        days = overlap_days(span, period)
        if not days:
            continue
        place = item.place
        country, admin1 = (place.country, place.admin1) if place else (None, None)
        key = (str(country or UNKNOWN), str(admin1 or UNKNOWN))
        events, killed = out[key]
        share = (item.fatalities or 0) * days / ((span[1] - span[0]).days + 1)
        out[key] = (events + 1, killed + share)
    return out


def region_rows(
    current: Iterable[Incident],
    previous: Iterable[Incident],
    period: tuple[date, date],
    sort: str = "-events",
) -> list[RegionRow]:
    """Counts and fatalities per (country, region) in ``period`` beside the period before it.

    Incidents count when their range meets the period, fatalities in
    proportion to the days inside it (as in ``series``).
    """
    now, before = _tally(current, period), _tally(previous, previous_period(period))
    rows = [
        RegionRow(key[0], key[1], *now.get(key, (0, 0.0)), *before.get(key, (0, 0.0)))
        for key in sorted(set(now) | set(before))
    ]
    key = REGION_SORTS[sort.lstrip("-")]
    # stable: the secondary order (country, region) stays under the chosen one
    rows.sort(key=REGION_SORTS["country"])
    rows.sort(key=key, reverse=sort.startswith("-"))
    return rows


def period_of(
    since: str | None, until: str | None, items: Iterable[Incident]
) -> tuple[date, date] | None:
    """The filter's date range; an open end is the earliest or latest day among ``items``."""
    spans = [s for s in (incident_range(i) for i in items) if s is not None]
    start = _day(since) or min((s[0] for s in spans), default=None)
    end = _day(until) or max((s[1] for s in spans), default=None)
    if start is None or end is None or end < start:
        return None
    return start, end


CSV_COLUMNS = (
    "country",
    "region",
    "period_start",
    "period_end",
    "events",
    "fatalities",
    "previous_start",
    "previous_end",
    "previous_events",
    "previous_fatalities",
    "events_change",
    "fatalities_change",
)


def regions_csv(rows: Sequence[RegionRow], period: tuple[date, date]) -> bytes:
    """The table as CSV, fatalities to one decimal (shares of longer incidents)."""
    before = previous_period(period)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        writer.writerow(
            [
                _cell(r.country),
                _cell(r.region),
                period[0].isoformat(),
                period[1].isoformat(),
                r.events,
                f"{r.fatalities:.1f}",
                before[0].isoformat(),
                before[1].isoformat(),
                r.previous_events,
                f"{r.previous_fatalities:.1f}",
                r.events_change,
                f"{r.fatalities_change:.1f}",
            ]
        )
    return out.getvalue().encode("utf-8")


def _cell(text: str) -> str:
    # a region name comes from a hostile document: keep a spreadsheet from running it as a formula
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
