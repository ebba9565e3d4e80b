"""Dates in Ukrainian and Russian text, resolved against the publication date.

dateparser reads "3 квітня" but misses "в понеділок" and "у ніч на 3
квітня" and takes "серед" ("among") for Wednesday (measured), so the forms
reports use are read by rules over lemmas: a day and a month with an
optional year, "у ніч на" a day (the night before it), a month, a weekday,
"вчора"/"сьогодні", "минулого тижня", "на вихідних". Each becomes a
``TimeRange`` with the precision of what the text says; times after the
publication date are moved a year back, as a report tells what happened.
"""

from __future__ import annotations

import calendar
import datetime as dt

from ...records import TimeRange
from .lexicon import Lexicon
from .tokens import Token


def _month_of(tok: Token, lexicon: Lexicon) -> int | None:
    for form in (tok.lower, *sorted(tok.lemmas)):
        if form in lexicon.months:
            return lexicon.months[form]
    return None


def _year_after(tokens: list[Token], k: int, lexicon: Lexicon) -> tuple[int | None, int]:
    """A year written after position ``k`` ("2022 року", "2022 р."): (year, last index)."""
    if k + 1 < len(tokens) and tokens[k + 1].value is not None:
        year = tokens[k + 1].value
        if year is not None and 1900 <= year <= 2100:
            last = k + 1
            if k + 2 < len(tokens) and tokens[k + 2].lemmas & lexicon.year_words:
                last = k + 2
            return year, last
    return None, k


def _before(day: dt.date, published: dt.date | None) -> dt.date:
    """A day and month with no year: this year's, or last year's if that is after publication."""
    if published is not None and day > published:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:  # 29 February
            return day - dt.timedelta(days=365)
    return day


def _range(a: dt.date, b: dt.date, precision: str, text: str) -> TimeRange:
    return TimeRange(a.isoformat(), b.isoformat(), precision, text)  # type: ignore[arg-type]


def find_times(
    tokens: list[Token], lexicon: Lexicon, published: dt.date | None, text: str
) -> list[tuple[int, int, TimeRange]]:
    """(start char, end char, time) of every date expression the rules read."""
    out: list[tuple[int, int, TimeRange]] = []
    year_now = published.year if published else None
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        found: tuple[int, int, TimeRange] | None = None
        last = i
        # "3 квітня [2022 року]", "у ніч на 3 квітня"
        if tok.value is not None and 1 <= tok.value <= 31 and i + 1 < n:
            month = _month_of(tokens[i + 1], lexicon)
            if month is not None:
                year, last = _year_after(tokens, i + 1, lexicon)
                try:
                    day = dt.date(year or year_now or 1, month, tok.value)
                except ValueError:
                    day = None
                if day is not None and (year is not None or year_now is not None):
                    if year is None:
                        day = _before(day, published)
                    first = i
                    night = (
                        i >= 2
                        and tokens[i - 1].lower in ("на",)
                        and tokens[i - 2].lemmas & lexicon.night_words
                    )
                    if night:  # the night before the named day
                        first = i - 2 if i < 3 or tokens[i - 3].lower not in ("у", "в") else i - 3
                        rng = _range(day - dt.timedelta(days=1), day, "day", "")
                    else:
                        rng = _range(day, day, "day", "")
                    start, end = tokens[first].start, tokens[last].end
                    found = (start, end, TimeRange(rng.start, rng.end, "day", text[start:end]))
        elif published is not None and tok.lower in lexicon.relative_days:
            day = published + dt.timedelta(days=lexicon.relative_days[tok.lower])
            found = (tok.start, tok.end, _range(day, day, "day", tok.text))
        elif published is not None and tok.lemmas & set(lexicon.weekdays):
            prev = tokens[i - 1] if i > 0 else None
            if prev is not None and (
                prev.lower in ("у", "в", "во") or prev.lemmas & lexicon.last_words
            ):
                weekday = next(lexicon.weekdays[w] for w in tok.lemmas if w in lexicon.weekdays)
                back = (published.weekday() - weekday) % 7
                if prev.lemmas & lexicon.last_words and back == 0:
                    back = 7
                day = published - dt.timedelta(days=back)
                found = (prev.start, tok.end, _range(day, day, "day", text[prev.start : tok.end]))
        elif published is not None and tok.lemmas & lexicon.weekend_words:
            # The weekend just before (or of) publication: Saturday and Sunday.
            back = (published.weekday() - 5) % 7
            saturday = published - dt.timedelta(days=back)
            start = (
                tokens[i - 1].start
                if i > 0 and tokens[i - 1].lower in ("на", "у", "в")
                else tok.start
            )
            sunday = min(saturday + dt.timedelta(days=1), published)
            found = (start, tok.end, _range(saturday, sunday, "day", text[start : tok.end]))
        elif published is not None and tok.lemmas & lexicon.week_words and i > 0:
            prev = tokens[i - 1]
            monday = published - dt.timedelta(days=published.weekday())
            if prev.lemmas & lexicon.last_words:
                a = monday - dt.timedelta(days=7)
                found = (
                    prev.start,
                    tok.end,
                    _range(a, a + dt.timedelta(days=6), "week", text[prev.start : tok.end]),
                )
            elif prev.lemmas & lexicon.this_words:
                found = (
                    prev.start,
                    tok.end,
                    _range(monday, published, "week", text[prev.start : tok.end]),
                )
        else:
            month = _month_of(tok, lexicon)
            prev = tokens[i - 1] if i > 0 else None
            if month is not None and prev is not None and prev.lower in ("у", "в", "во"):
                year, last = _year_after(tokens, i, lexicon)
                if year is None and published is not None:
                    year = published.year if month <= published.month else published.year - 1
                if year is not None:
                    a = dt.date(year, month, 1)
                    b = dt.date(year, month, calendar.monthrange(year, month)[1])
                    if published is not None and a <= published < b:
                        b = published
                    start, end = prev.start, tokens[last].end
                    found = (start, end, _range(a, b, "month", text[start:end]))
        if found is not None:
            out.append(found)
            i = max(last, i) + 1
        else:
            i += 1
    return out


__all__ = ["find_times"]
