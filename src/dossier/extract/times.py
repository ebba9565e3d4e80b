"""Resolve time expressions to date ranges, anchored on the publication date.

News reports say "this weekend", "on Friday" or "last month"; an incident
record needs dates. This module turns one expression (a spaCy DATE or TIME
entity) into a :class:`~dossier.records.TimeRange` of ISO dates with an
inclusive end, and picks the time of an event.

Decisions, so that callers can rely on them:

- Reported events lie in the past. Expressions that could point either way
  resolve to the most recent occurrence on or before the publication date
  ("on Friday" in a Monday 2022-04-04 article is 2022-04-01; "March 14"
  published on 2022-03-10 is 2021-03-14), and a range that contains the
  publication date is cut at it ("this month" ends on the publication day).
  A range that lies wholly after it (an explicit "2030") is kept as written.
- A bare weekday may be the publication day itself; "last Friday" never is.
- "this weekend" is the weekend the publication day is in when it falls on a
  Saturday or Sunday, else the weekend just gone (Mon 2022-04-04 gives
  Sat 2022-04-02 to Sun 2022-04-03).
- ``precision`` is the granularity of the expression, not the width of the
  range: a named day or a few named days ("yesterday", "this weekend",
  "March 14-15") is ``day``; calendar or rolling weeks ("last week", "in
  recent days") are ``week``; months (also "early March") ``month``; years and
  decades ``year``. ``unknown`` means the text gives no date: a relative
  expression without a publication date, or no expression at all.
- Calendar weeks run Monday to Sunday (ISO 8601).
- Absolute dates are parsed by dateparser (English only, past-preferring,
  relative to the publication date); relative expressions dateparser cannot
  read ("this weekend", "earlier this month") are rules here. Text that looks
  like neither (ages, "24/7", bare durations such as "three weeks") is not a
  date and resolves to ``None``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from dateparser.date import DateDataParser

from ..records import TimePrecision, TimeRange

if TYPE_CHECKING:
    from spacy.tokens import Doc

log = logging.getLogger(__name__)

Range = tuple[dt.date, dt.date, TimePrecision]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# Vague quantities take a generous reading so that the range still holds the event.
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "a couple of": 2, "a couple": 2, "couple of": 2, "a few": 5, "few": 5, "several": 7,
}  # fmt: skip
_VAGUE = frozenset({"a few", "few", "several"})
_NUM = r"(\d{1,3}|" + "|".join(sorted(map(re.escape, _NUMBERS), key=len, reverse=True)) + ")"
_DAYPART = r"(?:\s+(?:morning|afternoon|evening|night|overnight))?"
_WEEKDAY = "(" + "|".join(_WEEKDAYS) + ")"
_UNIT_PRECISION: dict[str, TimePrecision] = {"week": "week", "month": "month", "year": "year"}
_PRECISION_ORDER: tuple[TimePrecision, ...] = ("day", "week", "month", "year", "unknown")

# Words that make a number an age or a duration rather than a date.
_NOT_A_DATE = re.compile(r"\b(?:old|aged?|age of|long|lasting)\b|\d+\s*/\s*7\b")
_LEADING = re.compile(
    r"^(?:(?:on|in|at|during|over|around|about|roughly|approximately|some|nearly|almost|"
    r"as of|sometime|some time|by)\s+)+"
)
_CLOCK = re.compile(
    r"(?:\b(?:at|around|about|shortly after|shortly before|before|after)\s+)?"
    r"\b\d{1,2}(?:[:.]\d{2})?\s*(?:a\.?m\.?|p\.?m\.?)(?=\W|$)|\b(?:at\s+)?(?:noon|midnight)\b"
    r"|\(?\b(?:local time|gmt|utc)\b\)?"
)
_YEAR = re.compile(r"\b(?:1[89]|20)\d{2}\b")
_ABSOLUTE = re.compile(rf"\b(?:{_MONTHS})\b\.?|^\d{{4}}-\d{{2}}-\d{{2}}$|^(?:1[89]|20)\d{{2}}$")
_RANGE_SEP = re.compile(
    r"\s*(?:\s-\s|\bto\b|\band\b|\bthrough\b|\buntil\b|\btill\b)\s*|(?<=\d)-(?=\d)"
)


def resolve_time(text: str, published: dt.date | None) -> TimeRange | None:
    """Resolve one time expression against the publication date; ``None`` if it is no date."""
    s = _normalize(text)
    if not s or _NOT_A_DATE.search(s):
        return None
    try:
        found = _resolve(s, published)
    except _NeedsAnchor:
        return TimeRange(start=None, end=None, precision="unknown", text=text.strip())
    if found is None:
        return None
    start, end, precision = found
    if published is not None and start <= published < end:
        end = published  # reported events precede their report
    return TimeRange(start.isoformat(), end.isoformat(), precision, text.strip())


def event_time(
    sentence_times: list[TimeRange],
    document_times: list[TimeRange],
    published: dt.date | None,
    before: TimeRange | None = None,
) -> TimeRange:
    """Pick an event's time: its sentence's, else the document's single time, else publication.

    1. Among the sentence's own resolved times, the narrowest (the most
       specific statement of when; ties go to the earliest in the list).
    2. Otherwise, when the sentence dates something that came after the event
       (``before``: the report in "officials said on Monday that ...", the
       burial in "buried on Monday, a day after ..."), "on or before" its end.
    3. Otherwise, when every resolved time of the document is the same range,
       that range: the article is about one occurrence.
    4. Otherwise "on or before publication": ``start=None``, ``end`` the
       publication date, precision ``unknown``.
    5. Without a publication date, a sentence time that could not be anchored
       (it keeps its text), else all nulls.
    """
    known = [t for t in sentence_times if t.start is not None and t.end is not None]
    if known:
        return min(known, key=_width)
    if before is not None and before.end is not None:
        end = before.end
        if published is not None:
            end = min(end, published.isoformat())
        return TimeRange(start=None, end=end, precision="unknown", text=None)
    doc_known = {(t.start, t.end, t.precision) for t in document_times if t.start is not None}
    if len(doc_known) == 1:
        return next(t for t in document_times if t.start is not None)
    if published is not None:
        return TimeRange(start=None, end=published.isoformat(), precision="unknown", text=None)
    if sentence_times:
        return sentence_times[0]
    return TimeRange(start=None, end=None, precision="unknown", text=None)


# A written-out calendar date ("12 May 2022", "May 12, 2022"), which the NER model
# sometimes tags as a number and a month apart: read from the text as well.
_WRITTEN_DATE = re.compile(
    rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\.?(?:,?\s+(?:1[89]|20)\d{{2}})?"
    rf"|(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+(?:1[89]|20)\d{{2}})?)\b",
    re.IGNORECASE,
)


def find_times(doc: Doc, published: dt.date | None) -> list[tuple[int, int, TimeRange]]:
    """Character spans of the doc's DATE and TIME entities that resolve to dates, and of
    written-out calendar dates the entities miss."""
    found: list[tuple[int, int, TimeRange]] = []
    for ent in doc.ents:
        if ent.label_ not in ("DATE", "TIME"):
            continue
        resolved = resolve_time(ent.text, published)
        if resolved is None:
            log.debug("time expression %r is not a date", ent.text)
            continue
        found.append((ent.start_char, ent.end_char, resolved))
    for m in _WRITTEN_DATE.finditer(doc.text):
        if any(s < m.end() and m.start() < e for s, e, _ in found):
            continue
        resolved = resolve_time(m.group(0), published)
        if resolved is not None:
            found.append((m.start(), m.end(), resolved))
    return sorted(found, key=lambda f: f[0])


class _NeedsAnchor(Exception):
    """A relative expression met without a publication date to resolve it against."""


def _width(t: TimeRange) -> int:
    assert t.start is not None and t.end is not None
    return (dt.date.fromisoformat(t.end) - dt.date.fromisoformat(t.start)).days


def _normalize(text: str) -> str:
    s = text.lower().replace("\u2013", "-").replace("\u2014", "-").replace("\u2019", "'")
    s = _CLOCK.sub(" ", s)
    s = re.sub(r"\s+", " ", s).strip(" ,.;:()")
    return re.sub(r"'s$", "", _LEADING.sub("", s)).strip()


def _resolve(s: str, p: dt.date | None) -> Range | None:
    for pattern, rule in _RULES:
        m = pattern.fullmatch(s)
        if m:
            if p is None:
                raise _NeedsAnchor
            return rule(m, p)
    if s.startswith("since "):
        since = _resolve(s[6:], p)
        if since is not None and p is None:
            raise _NeedsAnchor  # it runs up to a publication date we do not know
        return None if since is None or p is None else (since[0], max(p, since[1]), since[2])
    if m := re.fullmatch(r"(early|mid|late|the (?:start|beginning|middle|end) of)[- ](.+)", s):
        part = _part_of(m.group(1), _resolve(m.group(2), p))
        if part and p and part[0] > p and not _YEAR.search(m.group(2)):
            # "the end of January" in an article of 1 January: last year's January,
            # since reported events are in the past (the month alone was cut at p).
            whole = _resolve(m.group(2), p)
            if whole is not None and whole[2] == "month":
                start = _shift_years(whole[0], -1)
                return _part_of(m.group(1), _month(start.year, start.month))
        return part
    if m := re.fullmatch(r"(?:the )?((?:1[89]|20)\d)0'?s", s):
        first = int(m.group(1)) * 10
        return dt.date(first, 1, 1), dt.date(first + 9, 12, 31), "year"
    if m := re.fullmatch(r"the (week|weekend) of (.+)", s):
        return _week_of(m.group(1), _resolve(m.group(2), p))
    if m := re.fullmatch(rf"{_WEEKDAY},? (.*\d.*)", s):
        return _resolve(m.group(2), p)  # "Friday, April 1": the date says it all
    if _RANGE_SEP.search(s):
        ranged = _resolve_range(re.sub(r"^(?:between|from) ", "", s), p)
        if ranged is not None:
            return ranged
    return _absolute(s, p)


def _resolve_range(s: str, p: dt.date | None) -> Range | None:
    for sep in _RANGE_SEP.finditer(s):
        left, right = s[: sep.start()].strip(), s[sep.end() :].strip()
        if not left or not right:
            continue
        month = re.search(rf"\b(?:{_MONTHS})\b", left + " " + right)
        year = _YEAR.search(right) or _YEAR.search(left)
        if month and re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", right):
            right = f"{month.group(0)} {right} {year.group(0) if year else ''}".strip()
        elif month and re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", left):
            right_month = re.search(rf"\b(?:{_MONTHS})\b", right)
            left = f"{(right_month or month).group(0)} {left} {year.group(0) if year else ''}"
        elif year and not _YEAR.search(left) and _ABSOLUTE.search(left):
            left = f"{left} {year.group(0)}"
        a, b = _resolve(left, p), _resolve(right, p)
        if a is None or b is None:
            continue
        start = a[0]
        if start > b[1] and not _YEAR.search(s[: sep.start()]):
            start = _shift_years(start, -1)  # "27 December - 3 January" crosses a year
        precision = max(a[2], b[2], key=_PRECISION_ORDER.index)
        return (start, b[1], precision) if start <= b[1] else None
    return None


def _absolute(s: str, p: dt.date | None) -> Range | None:
    """An absolute date or month or year, via dateparser; None unless it names a month or year."""
    if not _ABSOLUTE.search(s):
        return None
    if p is None and not _YEAR.search(s):
        raise _NeedsAnchor  # "March 14" of which year?
    data = _date_parser(p).get_date_data(s)
    if data.date_obj is None:
        return None
    day = data.date_obj.date()
    if data.period == "year":
        return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), "year"
    if data.period == "month":
        return _month(day.year, day.month)
    return day, day, "day"


def _week_of(unit: str, day: Range | None) -> Range | None:
    """'the week (or weekend) of March 5': the ISO week holding that day, or its weekend."""
    if day is None or day[2] != "day":
        return None
    monday = _monday(day[0])
    if unit == "weekend":
        return monday + _days(5), monday + _days(6), "day"
    return monday, monday + _days(6), "week"


@functools.lru_cache(maxsize=64)
def _date_parser(p: dt.date | None) -> DateDataParser:
    """One parser per publication date: a batch of articles shares few dates."""
    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": True}
    if p is not None:
        settings["RELATIVE_BASE"] = dt.datetime(p.year, p.month, p.day)
    return DateDataParser(languages=["en"], settings=settings)


def _month(year: int, month: int) -> Range:
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last), "month"


def _part_of(part: str, whole: Range | None) -> Range | None:
    """'early', 'mid', 'late' March (or 2022) as the first, middle or last third."""
    if whole is None or whole[2] not in ("month", "year"):
        return whole
    start, end, precision = whole
    third = ((end - start).days + 1) // 3
    if part in ("early", "the start of", "the beginning of"):
        return start, start + dt.timedelta(days=third - 1), precision
    if part in ("mid", "the middle of"):
        return start + dt.timedelta(days=third), end - dt.timedelta(days=third), precision
    return end - dt.timedelta(days=third - 1), end, precision


def _shift_years(d: dt.date, n: int) -> dt.date:
    return d.replace(year=d.year + n, day=min(d.day, calendar.monthrange(d.year + n, d.month)[1]))


def _shift_months(d: dt.date, n: int) -> dt.date:
    index = d.year * 12 + d.month - 1 + n
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(d.day, calendar.monthrange(year, month + 1)[1]))


def _monday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=d.weekday())


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word]


def _weekend(m: re.Match[str], p: dt.date) -> Range:
    wd = p.weekday()
    saturday = p - _days(wd - 5) if wd >= 5 else p - _days(wd + 2)
    if m.group(1) in ("last", "past", "previous") and wd >= 5:
        saturday -= _days(7)
    return saturday, min(saturday + _days(1), p), "day"


def _weekday(m: re.Match[str], p: dt.date) -> Range:
    back = (p.weekday() - _WEEKDAYS.index(m.group(2))) % 7
    if back == 0 and m.group(1) in ("last", "past", "previous"):
        back = 7
    day = p - _days(back)
    return day, day, "day"


def _ago(m: re.Match[str], p: dt.date) -> Range:
    """'N days/weeks/months/years ago'; a vague N ("a few") spans 2..N units back."""
    n, unit = _number(m.group(1)), m.group(2)
    if m.group(1) in _VAGUE and n > 2:
        oldest = _ago_unit(n, unit, p)
        # Several days are known only to within a week, like "in recent days".
        return oldest[0], _ago_unit(2, unit, p)[1], "week" if unit == "day" else oldest[2]
    return _ago_unit(n, unit, p)


def _ago_unit(n: int, unit: str, p: dt.date) -> Range:
    if unit == "day":
        return p - _days(n), p - _days(n), "day"
    if unit == "week":
        monday = _monday(p - _days(7 * n))
        return monday, monday + _days(6), "week"
    if unit == "month":
        d = _shift_months(p, -n)
        return _month(d.year, d.month)
    return dt.date(p.year - n, 1, 1), dt.date(p.year - n, 12, 31), "year"


def _past(m: re.Match[str], p: dt.date) -> Range:
    """Rolling windows ending at publication: 'the past three days', 'the last week'."""
    n = _number(m.group(1)) if m.group(1) else 1
    unit = m.group(2)
    if unit == "hour":
        return p - _days(max(1, -(-n // 24))), p, "day"
    if unit == "day":
        return p - _days(n), p, "day" if n <= 3 else "week"
    if unit == "week":
        return p - _days(7 * n), p, "week"
    if unit == "month":
        return _shift_months(p, -n), p, "month"
    return _shift_years(p, -n), p, "year"


def _this(m: re.Match[str], p: dt.date) -> Range:
    """'(earlier) this week/month/year': from the start of the unit up to publication."""
    unit = m.group(2)
    start = {"week": _monday(p), "month": p.replace(day=1), "year": p.replace(month=1, day=1)}[unit]
    end = max(start, p - _days(1)) if m.group(1) else p
    return start, end, _UNIT_PRECISION[unit]


def _last(m: re.Match[str], p: dt.date) -> Range:
    """'last week/month/year': the whole previous calendar unit."""
    unit = m.group(1)
    if unit == "week":
        monday = _monday(p) - _days(7)
        return monday, monday + _days(6), "week"
    if unit == "month":
        d = _shift_months(p, -1)
        return _month(d.year, d.month)
    return dt.date(p.year - 1, 1, 1), dt.date(p.year - 1, 12, 31), "year"


def _recent(m: re.Match[str], p: dt.date) -> Range:
    """'in recent days/weeks/months': a window one unit coarser than the one named."""
    unit = m.group(1)
    if unit == "day":
        return p - _days(7), p, "week"
    if unit == "week":
        return _shift_months(p, -1), p, "month"
    return _shift_months(p, -6), p, "year"


def _offset(days: int, to: int = 0) -> Callable[[re.Match[str], dt.date], Range]:
    return lambda m, p: (p - _days(days), p - _days(to), "day")


_UNIT = r"(day|week|month|year)s?"
_RULES: list[tuple[re.Pattern[str], Callable[[re.Match[str], dt.date], Range]]] = [
    (re.compile(r"(?:(?:earlier|early|late|later) )?(?:today|tonight|this (?:morning|afternoon"
                r"|evening))|earlier in the day"), _offset(0)),
    (re.compile(r"(?:early |late )?yesterday" + _DAYPART), _offset(1, 1)),
    (re.compile(r"the day before yesterday"), _offset(2, 2)),
    # A night straddles midnight: the evening before publication to its small hours.
    (re.compile(r"(?:late )?last night|overnight|during the night"), _offset(1)),
    (re.compile(r"(?:(?:over|during) )?(?:(this|the|last|past|previous) )?weekend"), _weekend),
    (re.compile(rf"(?:(last|past|previous|this|early|late) )?(?:on )?{_WEEKDAY}(?:'s)?{_DAYPART}"),
     _weekday),
    (re.compile(rf"{_NUM} {_UNIT} ago"), _ago),
    (re.compile(rf"(?:in |over |during |within )?the (?:past|last|previous) (?:{_NUM} )?"
                r"(hour|day|week|month|year)s?"), _past),
    (re.compile(r"(earlier |late )?this (week|month|year)"), _this),
    (re.compile(r"(?:last|the previous) (week|month|year)"), _last),
    (re.compile(r"(?:in )?recent (day|week|month)s"), _recent),
]  # fmt: skip
