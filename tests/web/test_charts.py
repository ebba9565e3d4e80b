"""Charts: weekly and monthly series spread over date ranges, the table by region and its CSV."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient

from dossier.records import Incident, incident_from_json
from dossier.review import actions
from dossier.review.accounts import Account
from dossier.store import custody_log
from dossier.store.database import Store
from dossier.web.charts import (
    MAX_LABELS,
    chart,
    nice_ticks,
    previous_period,
    region_rows,
    regions_csv,
    series,
)


def _incident(
    start: str,
    end: str | None = None,
    *,
    kind: str = "killing",
    killed: int | None = None,
    country: str = "UA",
    admin1: str = "Kyiv Oblast",
) -> Incident:
    harm = [] if killed is None else [{"kind": "killed", "category": "civilians", "min": killed}]
    return incident_from_json(
        {
            "id": f"inc-{start}-{kind}-{admin1}",
            "type": kind,
            "time": {"start": start, "end": end or start, "precision": "day"},
            "harm": harm,
            "place": {
                "name": admin1,
                "lat": 50.0,
                "lon": 30.0,
                "country": country,
                "admin1": admin1,
                "precision": "admin1",
            },
        }
    )


def test_a_month_long_incident_counts_in_each_week_and_its_dead_are_spread_once() -> None:
    s = series([_incident("2022-03-01", "2022-03-31", killed=31)], "week")
    starts = [p.start for p in s.periods]
    assert starts == [date(2022, 2, 28), date(2022, 3, 7), date(2022, 3, 14), date(2022, 3, 21),
                      date(2022, 3, 28)]  # fmt: skip
    assert [p.total_events for p in s.periods] == [1, 1, 1, 1, 1]
    # 1-6 March is 6 days of 31 in the first week, 28-31 March 4 in the last
    assert [round(p.total_fatalities, 6) for p in s.periods] == [6, 7, 7, 7, 4]
    monthly = series([_incident("2022-03-01", "2022-03-31", killed=31)], "month")
    assert [(p.start, p.total_events, p.total_fatalities) for p in monthly.periods] == [
        (date(2022, 3, 1), 1, 31.0)
    ]


def test_series_fills_empty_periods_and_stacks_by_type_and_skips_undated() -> None:
    items = [
        _incident("2022-01-15", kind="killing", killed=2),
        _incident("2022-03-02", kind="detention"),
        _incident("2022-03-20", kind="killing", killed=5),
        incident_from_json({"id": "inc-undated", "type": "killing", "time": {}, "harm": []}),
        _incident("2022-05-10", "2022-05-01"),  # ends before it starts: not drawn
    ]
    s = series(items, "month")
    assert [p.start.month for p in s.periods] == [1, 2, 3]
    assert s.periods[1].events == {} and s.undated == 2 and s.incidents == 3
    assert s.periods[2].events == {"detention": 1, "killing": 1}
    assert s.periods[2].fatalities == {"killing": 5.0}
    # December to January crosses the year
    assert [p.start for p in series([_incident("2021-12-30", "2022-01-02")], "month").periods] == [
        date(2021, 12, 1),
        date(2022, 1, 1),
    ]


def test_series_over_too_many_weeks_draws_nothing_and_says_how_many() -> None:
    s = series([_incident("1990-01-01"), _incident("2022-01-01")], "week")
    assert s.periods == [] and s.too_many > 600
    assert len(series([_incident("1990-01-01"), _incident("2022-01-01")], "month").periods) == 385


def test_the_axis_labels_dates_between_the_first_and_the_last() -> None:
    items = [_incident(f"2022-{m:02d}-10", killed=m) for m in range(1, 13)] + [
        _incident("2023-12-01")
    ]
    s = series(items, "week")
    c = chart(s, "events", ["killing"])
    labels = [t.label for t in c.x_ticks]
    assert 2 < len(labels) <= MAX_LABELS
    assert labels[0] == "2022-01-10" and all(re.fullmatch(r"\d{4}-\d\d-\d\d", x) for x in labels)
    xs = [t.at for t in c.x_ticks]
    assert xs == sorted(xs) and c.plot[0] < xs[0] and xs[-1] < c.plot[2]
    m = chart(series(items, "month"), "fatalities", ["killing"])
    assert [t.label for t in m.x_ticks][:3] == ["Jan 2022", "Mar 2022", "May 2022"]
    # the tallest stack reaches the top tick, no higher
    tallest = max(b.height for b in m.bars)
    assert abs(m.plot[3] - m.y_ticks[-1].at - tallest) < 12 * (m.plot[3] - m.plot[1]) / 12
    assert m.y_ticks[0].label == "0" and float(m.y_ticks[-1].label) >= 12


def test_nice_ticks_are_round_and_cover_the_top() -> None:
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(1) == [0, 1]
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(431)[-1] >= 431 and nice_ticks(431)[1] == 200


def test_region_rows_compare_with_the_period_of_the_same_length_before() -> None:
    period = (date(2022, 3, 1), date(2022, 3, 31))
    assert previous_period(period) == (date(2022, 1, 29), date(2022, 2, 28))
    now = [
        _incident("2022-03-05", killed=4),
        _incident("2022-03-06", kind="detention"),
        _incident("2022-03-10", admin1="Kharkiv Oblast", killed=10),
        _incident("2022-02-25", "2022-03-06", killed=10),  # 6 of its 10 days in March
    ]
    before = [_incident("2022-02-10", killed=1), _incident("2022-02-25", "2022-03-06", killed=10)]
    rows = region_rows(now, before, period)
    got = {(r.region): (r.events, round(r.fatalities, 3), r.previous_events) for r in rows}
    assert got == {"Kyiv Oblast": (3, 10.0, 2), "Kharkiv Oblast": (1, 10.0, 0)}
    kyiv = next(r for r in rows if r.region == "Kyiv Oblast")
    assert kyiv.events_change == 1 and round(kyiv.fatalities_change, 3) == 5.0  # 10 - (1 + 4)
    assert [r.region for r in rows] == ["Kyiv Oblast", "Kharkiv Oblast"]  # most incidents first
    assert [r.region for r in region_rows(now, before, period, "region")] == [
        "Kharkiv Oblast",
        "Kyiv Oblast",
    ]
    assert [r.region for r in region_rows(now, before, period, "-fatalities_change")][0] == (
        "Kharkiv Oblast"
    )


def test_regions_csv_keeps_a_hostile_region_name_from_running_as_a_formula() -> None:
    period = (date(2022, 3, 1), date(2022, 3, 31))
    rows = region_rows([_incident("2022-03-02", admin1="=HYPERLINK(1)", killed=3)], [], period)
    table = list(csv.reader(io.StringIO(regions_csv(rows, period).decode())))
    assert table[0][:6] == [
        "country",
        "region",
        "period_start",
        "period_end",
        "events",
        "fatalities",
    ]
    assert table[1][:6] == ["UA", "'=HYPERLINK(1)", "2022-03-01", "2022-03-31", "1", "3.0"]
    assert table[1][6:] == ["2022-01-29", "2022-02-28", "0", "0.0", "1", "3.0"]


# -- through the app, over the real store ------------------------------------
def _spread_one(store: Store, client: TestClient) -> str:
    """Give the first incident 1-31 March 2022 and 31 killed; return its id."""
    iid: str = client.get("/api/v1/incidents", params={"sort": "id"}).json()["items"][0]["id"]
    analyst = Account("analyst", "analyst")
    actions.review(
        store, analyst, [iid], "edit", "dates from the report",
        {"field": "time", "value": {"start": "2022-03-01", "end": "2022-03-31"}},
    )  # fmt: skip
    harm = [{"kind": "killed", "category": "civilians", "min": 31, "max": 31}]
    actions.review(store, analyst, [iid], "edit", "count", {"field": "harm", "value": harm})
    return iid


def test_charts_page_draws_the_edited_range_week_by_week(
    as_role: Callable[[str | None], TestClient], store: Store
) -> None:
    client = as_role("viewer")
    iid = _spread_one(store, client)
    page = client.get("/charts", params={"id": iid, "unit": "week"})
    assert page.status_code == 200, page.text
    html = page.text
    assert html.count('<figure class="chart">') == 2
    # every week of March is labelled on the axis, not only the first and the last
    axis = re.findall(r'<text class="x" [^>]*>([^<]+)</text>', html)
    assert axis[:5] == ["2022-02-28", "2022-03-07", "2022-03-14", "2022-03-21", "2022-03-28"]
    assert re.findall(r"<title>2022-03-14: (\d+) incidents", html) == ["1"]
    assert re.findall(r"<title>2022-03-14: (\d+) people killed", html) == ["7"]
    assert re.findall(r"<title>2022-02-28: (\d+) people killed", html) == ["6"]
    monthly = client.get("/charts", params={"id": iid, "unit": "month"}).text
    assert re.findall(r"<title>Mar 2022: (\d+) people killed", monthly) == ["31"]
    # the table: the filter's dates are the period, the 31 days before the previous one
    ranged = client.get("/charts", params={"since": "March 2022", "until": "2022-03-31"}).text
    assert (
        "2022-03-01 to 2022-03-31, beside the 31 days before (2022-01-29 to 2022-02-28)" in ranged
    )


def test_charts_refuse_a_bad_unit_or_sort_with_a_message(
    as_role: Callable[[str | None], TestClient],
) -> None:
    client = as_role("viewer")
    r = client.get("/charts", params={"unit": "fortnight"})
    assert r.status_code == 400 and "unit must be one of week, month" in r.text
    r = client.get("/charts/regions.csv", params={"by": "votes"})
    assert r.status_code == 400 and "by must be one of country" in r.text
    r = client.get("/charts", params={"since": "April"})
    assert r.status_code == 400 and "since" in r.text


def test_sorting_the_region_table_by_a_column_header(
    as_role: Callable[[str | None], TestClient],
) -> None:
    client = as_role("viewer")
    html = client.get("/charts", params={"by": "region"}).text
    regions = re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td>", html)
    assert len(regions) > 1 and regions == sorted(regions, key=str.casefold)
    assert 'aria-sort="ascending"' in html
    down = client.get("/charts", params={"by": "-region"}).text
    assert re.findall(r"<tr><td>[^<]*</td><td>([^<]*)</td>", down) == regions[::-1]
    # the header link toggles the order it shows
    assert "by=-region" in html and "by=region" in down


def test_region_csv_download_is_a_custody_entry_with_the_hash_sent(
    as_role: Callable[[str | None], TestClient], store: Store
) -> None:
    client = as_role("viewer")
    page = client.get("/charts", params={"country": "Ukraine"}).text
    href = re.search(r'id="regions-csv" href="([^"]+)"', page)
    assert href, "no CSV link on the charts page"
    r = client.get(href.group(1).replace("&amp;", "&"))
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    digest = hashlib.sha256(r.content).hexdigest()
    assert r.headers["x-content-sha256"] == digest
    table = list(csv.DictReader(io.StringIO(r.content.decode())))
    total = client.get("/api/v1/incidents", params={"country": "UA", "limit": 1}).json()["total"]
    assert table and sum(int(row["events"]) for row in table) == total
    assert {row["country"] for row in table} == {"UA"}
    (entry,) = [e for e in custody_log.entries(store) if e.action == "downloaded"]
    assert entry.actor == "viewer" and entry.object_hash == digest
    assert entry.object_id == f"export:{digest}"
    assert entry.detail["what"] == "regions" and entry.detail["filters"] == {"country": "Ukraine"}
    assert entry.detail["rows"] == len(table)


def test_region_table_counts_the_previous_period_as_the_list_does(
    as_role: Callable[[str | None], TestClient],
) -> None:
    client = as_role("viewer")

    def listed(since: str, until: str) -> int:
        r = client.get("/api/v1/incidents", params={"since": since, "until": until, "limit": 1})
        return int(r.json()["total"])

    r = client.get("/charts/regions.csv", params={"since": "2022-03-16", "until": "2022-04-04"})
    assert r.status_code == 200, r.text
    table = list(csv.DictReader(io.StringIO(r.content.decode())))
    assert {(row["previous_start"], row["previous_end"]) for row in table} == {
        ("2022-02-24", "2022-03-15")
    }
    now, before = listed("2022-03-16", "2022-04-04"), listed("2022-02-24", "2022-03-15")
    assert sum(int(row["events"]) for row in table) == now > 0
    assert sum(int(row["previous_events"]) for row in table) == before > 0
    for row in table:
        assert int(row["events_change"]) == int(row["events"]) - int(row["previous_events"])
