"""Time expressions resolved against the publication date."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.extract.times import event_time, find_times, resolve_time
from dossier.records import TimeRange

MONDAY = dt.date(2022, 4, 4)  # the sample article's publication day


def span(text: str, published: dt.date | None) -> tuple[str | None, str | None, str]:
    resolved = resolve_time(text, published)
    assert resolved is not None, f"{text!r} should resolve"
    assert resolved.text == text
    return resolved.start, resolved.end, resolved.precision


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("this weekend", ("2022-04-02", "2022-04-03", "day")),
        ("over the weekend", ("2022-04-02", "2022-04-03", "day")),
        ("on Friday", ("2022-04-01", "2022-04-01", "day")),
        ("last Friday", ("2022-04-01", "2022-04-01", "day")),
        ("on Saturday night", ("2022-04-02", "2022-04-02", "day")),
        ("yesterday", ("2022-04-03", "2022-04-03", "day")),
        ("today", ("2022-04-04", "2022-04-04", "day")),
        ("this morning", ("2022-04-04", "2022-04-04", "day")),
        ("overnight", ("2022-04-03", "2022-04-04", "day")),
        ("two days ago", ("2022-04-02", "2022-04-02", "day")),
        ("last week", ("2022-03-28", "2022-04-03", "week")),
        ("two weeks ago", ("2022-03-21", "2022-03-27", "week")),
        ("last month", ("2022-03-01", "2022-03-31", "month")),
        ("earlier this month", ("2022-04-01", "2022-04-03", "month")),
        ("this month", ("2022-04-01", "2022-04-04", "month")),
        ("last year", ("2021-01-01", "2021-12-31", "year")),
        ("earlier this year", ("2022-01-01", "2022-04-03", "year")),
        ("the past three days", ("2022-04-01", "2022-04-04", "day")),
        ("in recent days", ("2022-03-28", "2022-04-04", "week")),
    ],
)
def test_relative_expressions_resolve_against_a_monday_publication(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert span(text, MONDAY) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("March 14", ("2022-03-14", "2022-03-14", "day")),
        ("14 March", ("2022-03-14", "2022-03-14", "day")),
        ("Feb. 24", ("2022-02-24", "2022-02-24", "day")),
        ("in March", ("2022-03-01", "2022-03-31", "month")),
        ("March 14-15", ("2022-03-14", "2022-03-15", "day")),
        ("14\u201315 March", ("2022-03-14", "2022-03-15", "day")),
        ("between 27 February and 31 March", ("2022-02-27", "2022-03-31", "day")),
        ("from March 1 to March 5, 2022", ("2022-03-01", "2022-03-05", "day")),
        ("in 2021", ("2021-01-01", "2021-12-31", "year")),
        ("2022-04-01", ("2022-04-01", "2022-04-01", "day")),
        ("1 April 2022", ("2022-04-01", "2022-04-01", "day")),
        ("April 1, 2022", ("2022-04-01", "2022-04-01", "day")),
        ("Friday, April 1", ("2022-04-01", "2022-04-01", "day")),
        ("early March", ("2022-03-01", "2022-03-10", "month")),
        ("the end of March", ("2022-03-22", "2022-03-31", "month")),
        ("the 1990s", ("1990-01-01", "1999-12-31", "year")),
        ("since 2014", ("2014-01-01", "2022-04-04", "year")),
        ("5 p.m. Friday", ("2022-04-01", "2022-04-01", "day")),
        ("the weekend of March 5", ("2022-03-05", "2022-03-06", "day")),
        ("the week of March 5", ("2022-02-28", "2022-03-06", "week")),
    ],
)
def test_absolute_expressions_resolve_to_their_calendar_unit(
    text: str, expected: tuple[str, str, str]
) -> None:
    assert span(text, MONDAY) == expected


def test_date_without_year_after_publication_means_the_previous_year() -> None:
    assert span("April 10", MONDAY) == ("2021-04-10", "2021-04-10", "day")
    assert span("December", MONDAY) == ("2021-12-01", "2021-12-31", "month")


def test_range_that_contains_publication_ends_at_publication() -> None:
    assert span("in 2022", MONDAY) == ("2022-01-01", "2022-04-04", "year")
    assert span("in April", MONDAY) == ("2022-04-01", "2022-04-04", "month")


def test_range_across_new_year_starts_in_the_previous_year() -> None:
    assert span("27 December - 3 January", dt.date(2022, 1, 10)) == (
        "2021-12-27",
        "2022-01-03",
        "day",
    )


def test_last_month_in_january_is_december_of_the_previous_year() -> None:
    assert span("last month", dt.date(2023, 1, 15)) == ("2022-12-01", "2022-12-31", "month")
    assert span("yesterday", dt.date(2023, 1, 1)) == ("2022-12-31", "2022-12-31", "day")


def test_last_month_in_a_leap_march_ends_on_february_29() -> None:
    assert span("last month", dt.date(2024, 3, 5)) == ("2024-02-01", "2024-02-29", "month")
    assert span("February 29", dt.date(2024, 3, 5)) == ("2024-02-29", "2024-02-29", "day")
    assert span("February 29", dt.date(2023, 3, 5)) == ("2020-02-29", "2020-02-29", "day")


def test_this_weekend_published_on_sunday_is_the_same_weekend() -> None:
    sunday = dt.date(2022, 4, 3)
    assert span("this weekend", sunday) == ("2022-04-02", "2022-04-03", "day")
    assert span("last weekend", sunday) == ("2022-03-26", "2022-03-27", "day")


def test_this_weekend_published_on_saturday_ends_at_publication() -> None:
    assert span("this weekend", dt.date(2022, 4, 2)) == ("2022-04-02", "2022-04-02", "day")


def test_weekday_named_on_its_own_day_is_that_day_but_last_weekday_is_a_week_back() -> None:
    friday = dt.date(2022, 4, 1)
    assert span("on Friday", friday) == ("2022-04-01", "2022-04-01", "day")
    assert span("last Friday", friday) == ("2022-03-25", "2022-03-25", "day")


def test_earlier_this_week_on_a_monday_stays_in_the_week() -> None:
    assert span("earlier this week", MONDAY) == ("2022-04-04", "2022-04-04", "week")
    assert span("earlier this week", dt.date(2022, 4, 7)) == ("2022-04-04", "2022-04-06", "week")


def test_vague_count_ago_spans_two_to_several_units() -> None:
    assert span("several days ago", MONDAY) == ("2022-03-28", "2022-04-02", "week")


@pytest.mark.parametrize(
    "text",
    [
        "10 years old",
        "a 7-year-old",
        "24/7",
        "three weeks",
        "10 years",
        "decades",
        "10 a.m.",
        "",
        "the day",
    ],
)
def test_non_dates_resolve_to_none(text: str) -> None:
    assert resolve_time(text, MONDAY) is None


def test_relative_expression_without_publication_is_unknown_but_keeps_its_text() -> None:
    assert resolve_time("this weekend", None) == TimeRange(None, None, "unknown", "this weekend")
    assert resolve_time("March 14", None) == TimeRange(None, None, "unknown", "March 14")


def test_absolute_date_with_year_resolves_without_publication() -> None:
    assert span("1 April 2022", None) == ("2022-04-01", "2022-04-01", "day")


# --- property: past expressions stay in the past ------------------------------------------

PAST_EXPRESSIONS = [
    "this weekend", "last weekend", "on Friday", "last Sunday", "Saturday night", "yesterday",
    "today", "this morning", "overnight", "last night", "two days ago", "a week ago",
    "three weeks ago", "a few weeks ago", "last week", "this week", "earlier this week",
    "last month", "this month", "earlier this month", "six months ago", "last year",
    "this year", "earlier this year", "two years ago", "the past 24 hours", "the past week",
    "the past three months", "in recent days", "in recent weeks", "in recent months",
    "in March", "March 14", "February 29", "14-15 March", "between 27 February and 31 March",
    "early December", "the end of January",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    published=st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2090, 12, 31)),
    text=st.sampled_from(PAST_EXPRESSIONS),
)
def test_past_expressions_end_on_or_before_publication(published: dt.date, text: str) -> None:
    resolved = resolve_time(text, published)
    assert resolved is not None and resolved.start is not None and resolved.end is not None
    start, end = dt.date.fromisoformat(resolved.start), dt.date.fromisoformat(resolved.end)
    assert start <= end <= published
    assert resolved.precision in ("day", "week", "month", "year")


# --- event_time -------------------------------------------------------------------------------

WEEKEND = TimeRange("2022-04-02", "2022-04-03", "day", "this weekend")
MARCH = TimeRange("2022-03-01", "2022-03-31", "month", "in March")


def test_event_takes_the_narrowest_time_of_its_sentence() -> None:
    assert event_time([MARCH, WEEKEND], [], MONDAY) == WEEKEND


def test_event_without_own_time_takes_the_documents_only_time() -> None:
    assert event_time([], [WEEKEND, WEEKEND], MONDAY) == WEEKEND


def test_event_in_document_with_conflicting_times_is_bounded_by_publication() -> None:
    assert event_time([], [WEEKEND, MARCH], MONDAY) == TimeRange(None, "2022-04-04", "unknown")


def test_event_with_no_time_and_no_publication_is_unknown() -> None:
    assert event_time([], [], None) == TimeRange(None, None, "unknown", None)
    unanchored = TimeRange(None, None, "unknown", "this weekend")
    assert event_time([unanchored], [], None) == unanchored


# --- with the real spaCy model ------------------------------------------------------------------


def test_find_times_resolves_date_entities_and_skips_ages(nlp: object) -> None:
    text = (
        "Shelling hit the market in Kharkiv on Saturday night, officials said. "
        "A 10-year-old girl was among the wounded. Residents said the attacks began "
        "last month and intensified two days ago."
    )
    doc = nlp(text)  # type: ignore[operator]
    found = {text[s:e]: (t.start, t.end, t.precision) for s, e, t in find_times(doc, MONDAY)}
    assert found["Saturday night"] == ("2022-04-02", "2022-04-02", "day")
    assert found["last month"] == ("2022-03-01", "2022-03-31", "month")
    assert found["two days ago"] == ("2022-04-02", "2022-04-02", "day")
    assert not any("year-old" in key for key in found)


def test_part_of_a_month_later_in_the_year_than_publication_means_last_year() -> None:
    # Found by hypothesis: "the end of January" in an article of 1 January 2000.
    resolved = resolve_time("the end of January", dt.date(2000, 1, 1))
    assert resolved is not None
    assert (resolved.start, resolved.end) == ("1999-01-22", "1999-01-31")


def test_a_later_time_in_the_sentence_bounds_an_undated_event() -> None:
    report = TimeRange("2022-04-02", "2022-04-02", "day", "on Saturday")
    assert event_time([], [WEEKEND], MONDAY, report) == TimeRange(None, "2022-04-02", "unknown")


def test_the_events_own_time_wins_over_the_bound() -> None:
    report = TimeRange("2022-04-04", "2022-04-04", "day", "on Monday")
    assert event_time([WEEKEND], [], MONDAY, report) == WEEKEND
