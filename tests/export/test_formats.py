"""CSV (ACLED layout), GeoJSON and JSON Lines exports: round trips, dtypes, filters."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from dossier.errors import InvalidRequest
from dossier.export import export_incidents
from dossier.export.acled import ACLED_COLUMNS, ACLED_TYPES, COLUMNS, event_date
from dossier.records import EVENT_TYPES, incident_from_json
from dossier.review.incidents import fatalities, list_incidents
from dossier.store.incidents import IncidentFilter

from .conftest import Case

ACLED_EVENT_TYPES = {
    "Battles",
    "Violence against civilians",
    "Explosions/Remote violence",
    "Riots",
    "Protests",
    "Strategic developments",
}


ANY = IncidentFilter()


def exported(case: Case, fmt: str, f: IncidentFilter = ANY) -> str:
    stream = io.StringIO()
    export_incidents(case.store, f, fmt, stream)
    return stream.getvalue()


def records(case: Case, f: IncidentFilter = ANY) -> list[dict[str, Any]]:
    items, _ = list_incidents(case.store, f, sort="id")
    return items


def test_csv_columns_are_acled_then_dossier(case: Case) -> None:
    header = next(csv.reader(io.StringIO(exported(case, "csv"))))
    assert tuple(header) == COLUMNS
    assert header[: len(ACLED_COLUMNS)] == list(ACLED_COLUMNS)
    assert header[-4:] == ["grade", "independent_sources", "contested", "review"]


def test_csv_reads_back_with_pandas_in_acled_dtypes(case: Case) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(io.StringIO(exported(case, "csv")), parse_dates=["event_date"])
    assert str(frame["event_date"].dtype).startswith("datetime64")
    for column in ("year", "time_precision", "geo_precision", "fatalities", "independent_sources"):
        assert frame[column].dtype == "int64", column
    assert frame["latitude"].dtype == "float64" and frame["longitude"].dtype == "float64"
    assert frame["contested"].dtype == "bool"
    assert set(frame["time_precision"]) <= {1, 2, 3} and set(frame["geo_precision"]) <= {1, 2, 3}
    assert set(frame["disorder_type"]) == {"Political violence"}
    assert set(frame["event_type"]) <= ACLED_EVENT_TYPES


def test_csv_round_trip_matches_the_stored_incidents(case: Case) -> None:
    rows = list(csv.DictReader(io.StringIO(exported(case, "csv"))))
    items = records(case)
    assert len(rows) == len(items)
    for row, inc in zip(rows, items, strict=True):
        assert row["event_id_cnty"].endswith(inc["id"])
        assert row["event_date"][:4] == row["year"]
        assert inc["time"]["start"] <= row["event_date"] <= inc["time"]["end"]
        assert float(row["latitude"]) == pytest.approx(inc["place"]["lat"], abs=1e-4)
        assert float(row["longitude"]) == pytest.approx(inc["place"]["lon"], abs=1e-4)
        assert row["location"] == inc["place"]["name"] and row["admin1"] == inc["place"]["admin1"]
        assert row["country"] == "Ukraine"  # ACLED names countries in full
        assert int(row["fatalities"]) == (fatalities(inc) or 0)
        assert (row["event_type"], row["sub_event_type"]) == ACLED_TYPES[inc["type"]]
        assert row["contested"] == str(inc["contested"]).lower()
        assert int(row["independent_sources"]) == inc["independent_sources"]
        assert row["grade"] == inc["grade"] and row["review"] == inc["review"]
        assert row["civilian_targeting"] == "Civilian targeting"  # both harm civilians/people
        publishers = {s["publisher"] for s in inc["sources"]}
        assert set(row["source"].split("; ")) == publishers


def test_geojson_round_trip_keeps_every_record_and_puts_longitude_first(case: Case) -> None:
    collection = json.loads(exported(case, "geojson"))
    assert collection["type"] == "FeatureCollection"
    items = records(case)
    assert [f["properties"] for f in collection["features"]] == items
    for feature, inc in zip(collection["features"], items, strict=True):
        assert feature["geometry"] == {
            "type": "Point",
            "coordinates": [inc["place"]["lon"], inc["place"]["lat"]],
        }


def test_jsonl_round_trip_gives_back_the_full_records(case: Case) -> None:
    lines = exported(case, "jsonl").splitlines()
    assert [json.loads(line) for line in lines] == records(case)


@pytest.mark.parametrize("fmt", ["csv", "geojson", "jsonl"])
@pytest.mark.parametrize(
    "f",
    [
        IncidentFilter(type="attack_on_civilians"),
        IncidentFilter(admin1="kyiv oblast"),
        IncidentFilter(near=(48.7, 37.5, 20.0)),
        IncidentFilter(since="2022-04-05"),
        IncidentFilter(min_sources=2),
        IncidentFilter(country="PL"),
    ],
)
def test_export_holds_exactly_the_filtered_incidents(
    case: Case, fmt: str, f: IncidentFilter
) -> None:
    text = exported(case, fmt, f)
    expected = [x["id"] for x in records(case, f)]
    if fmt == "csv":
        ids = [r["event_id_cnty"].split("-", 1)[1] for r in csv.DictReader(io.StringIO(text))]
    elif fmt == "geojson":
        ids = [feat["id"] for feat in json.loads(text)["features"]]
    else:
        ids = [json.loads(line)["id"] for line in text.splitlines()]
    assert ids == expected


def test_unknown_format_is_refused_with_the_choices(case: Case) -> None:
    with pytest.raises(InvalidRequest, match="csv, geojson, jsonl"):
        export_incidents(case.store, IncidentFilter(), "xlsx", io.StringIO())


def test_every_ontology_type_has_an_acled_type() -> None:
    assert set(ACLED_TYPES) == set(EVENT_TYPES)
    assert {t for t, _ in ACLED_TYPES.values()} <= ACLED_EVENT_TYPES


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        ({"start": "2022-04-08", "end": "2022-04-08", "precision": "day"}, ("2022-04-08", 1)),
        ({"start": "2022-03-28", "end": "2022-04-03", "precision": "week"}, ("2022-03-31", 2)),
        ({"start": "2022-03-01", "end": "2022-03-31", "precision": "month"}, ("2022-03-16", 3)),
        ({"start": None, "end": None, "precision": "unknown"}, ("", 3)),
        ({"start": "2022-04-04", "end": "2022-04-04", "precision": "unknown"}, ("2022-04-04", 3)),
        ({"start": "2022-04-04", "end": "2022-04-06", "precision": "day"}, ("2022-04-05", 2)),
    ],
)
def test_event_date_follows_acled_time_precision(
    time: dict[str, Any], expected: tuple[str, int]
) -> None:
    assert event_date(incident_from_json({"id": "i", "type": "killing", "time": time})) == expected


def test_cli_export_to_file_equals_stdout(cli: Any, cli_case: Case, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    to_file = cli("export", "--format", "csv", "-o", str(target), "--type", "attack_on_civilians")
    assert to_file.exit_code == 0, to_file.stderr
    to_stdout = cli("export", "--format", "csv", "--type", "attack_on_civilians")
    assert to_stdout.exit_code == 0
    assert target.read_text(encoding="utf-8") == to_stdout.stdout
    assert to_file.stderr.strip() == f"exported 1 incident(s) as csv to {target}"


def test_cli_export_rejects_a_malformed_near(cli: Any, cli_case: Case) -> None:
    result = cli("export", "--near", "50.5,30.2")
    assert result.exit_code == 2
    assert "LAT,LON,KM" in result.stderr


@pytest.mark.parametrize("sort", ["id", "-date", "sources"])
def test_paged_export_neither_loses_nor_repeats_incidents(
    case: Case, sort: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dossier.export import formats

    monkeypatch.setattr(formats, "PAGE", 1)
    stream = io.StringIO()
    export_incidents(case.store, ANY, "jsonl", stream, sort=sort)
    expected, _ = list_incidents(case.store, ANY, sort=sort)
    assert [json.loads(line)["id"] for line in stream.getvalue().splitlines()] == [
        x["id"] for x in expected
    ]


def test_cli_export_rejects_a_malformed_date(cli: Any, cli_case: Case) -> None:
    result = cli("export", "--since", "next tuesday-ish")
    assert result.exit_code == 2
    assert result.stderr.startswith("error:")


def test_event_date_falls_back_to_the_first_report_at_the_vaguest_precision() -> None:
    undated = {"id": "i", "type": "killing", "time": {}, "first_report": "2022-04-04T10:00:00Z"}
    assert event_date(incident_from_json(undated)) == ("2022-04-04", 3)
