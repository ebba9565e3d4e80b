"""Harm figures: kinds, victim categories and count ranges from digits, words and vague
quantities."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from dossier.config import Settings
from dossier.extract.analyzer import Analyzer
from dossier.extract.events.harm import parse_number
from dossier.records import DocumentMeta
from dossier.store import extractions, tables
from dossier.store.database import Store


def figures(
    analyzer: Analyzer, text: str, type_: str
) -> set[tuple[str, str, int | None, int | None]]:
    analysis = analyzer.analyze(text, DocumentMeta("doc:harm", None, "2022-04-04", None, "en"))
    return {
        (h.kind, h.category, h.min, h.max)
        for e in analysis.events
        if e.type == type_
        for h in e.harm
    }


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("39", 39),
        ("1,200", 1200),
        ("four", 4),
        ("Twenty-five", 25),
        ("twenty five", 25),
        ("three hundred", 300),
        ("1.5 million", 1_500_000),
        ("eleven", 11),
    ],
)
def test_numbers_are_read_in_digits_and_words(text: str, number: int) -> None:
    assert parse_number(text) == number


def test_words_that_are_not_numbers_give_none() -> None:
    assert parse_number("several") is None


@pytest.mark.parametrize(
    ("text", "type_", "expected"),
    [
        (
            "A strike killed at least 39 people, including four children, in Kharkiv.",
            "killing",
            {("killed", "people", 39, None), ("killed", "children", 4, 4)},
        ),
        (
            "Dozens of civilians were abducted by soldiers in Kherson.",
            "detention",
            {("detained", "civilians", 24, None)},
        ),
        (
            "Multiple bodies were found on the streets of Bucha.",
            "killing",
            {("killed", "people", 2, None)},
        ),
        (
            "Soldiers detained at least 11 mayors and community leaders in the region.",
            "detention",
            {("detained", "officials", 11, None)},
        ),
        ("A mayor was killed in Hostomel.", "killing", {("killed", "officials", 1, 1)}),
        (
            "More than 50 people were killed at the station in Kramatorsk.",
            "killing",
            {("killed", "people", 51, None)},
        ),
        (
            "Up to 30 prisoners were tortured in Izium.",
            "torture",
            {("tortured", "prisoners", None, 30)},
        ),
        (
            "Hundreds of children were deported from Mariupol.",
            "deportation",
            {("displaced", "children", 200, None)},
        ),
        # "shot" alone wounds; only "shot dead", "fatally" or "killed" say they died.
        ("Troops shot seven civilians in Irpin.", "killing", {("injured", "civilians", 7, 7)}),
        ("Troops shot dead seven civilians in Irpin.", "killing", {("killed", "civilians", 7, 7)}),
        (
            "Between 30 and 50 residents were executed in the village.",
            "killing",
            {("killed", "civilians", 30, 50)},
        ),
        (
            "Shelling of a hospital in Mariupol injured 17 people.",
            "attack_on_protected",
            {("injured", "people", 17, 17)},
        ),
    ],
)
def test_harm_gives_kind_category_and_range(
    analyzer: Analyzer,
    text: str,
    type_: str,
    expected: set[tuple[str, str, int | None, int | None]],
) -> None:
    assert figures(analyzer, text, type_) == expected


def test_plural_without_figure_has_an_open_range(analyzer: Analyzer) -> None:
    assert figures(analyzer, "Troops killed civilians in Bucha.", "killing") == {
        ("killed", "civilians", None, None)
    }


def test_unspecified_figure_counts_the_named_victims(analyzer: Analyzer) -> None:
    text = "Troops killed civilians in Bucha. Multiple bodies lay on the roads of Bucha."
    assert figures(analyzer, text, "killing") == {("killed", "civilians", 2, None)}


def aggregates(analyzer: Analyzer, text: str) -> list[tuple[str, int | None, int | None, str]]:
    analysis = analyzer.analyze(text, DocumentMeta("doc:agg", None, "2022-04-04", None, "en"))
    return [(a.kind, a.min, a.max, a.scope) for a in analysis.aggregates]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "A 13-year-old boy accidentally shot himself in the foot.",
            {("injured", "people", 1, 1)},
        ),
        (
            "Three people were killed and another critically injured in a shooting at a farm.",
            {("killed", "people", 3, 3), ("injured", "people", 1, 1)},
        ),
        (
            "A man was shot on Main Street. A woman was taken to the hospital with a gunshot "
            "wound.",
            {("injured", "people", 1, 1), ("injured", "women", 1, 1)},
        ),
        (
            "1 dead, 2 injured after shooting\n\nA man was shot on Main Street on Sunday.",
            {("killed", "people", 1, 1), ("injured", "people", 2, 2)},
        ),
        (
            "A man was shot on Main Street. He later died of his wounds.",
            {("injured", "people", 1, 1), ("killed", "people", 1, 1)},
        ),
    ],
)
def test_figures_outside_the_trigger_sentence_join_the_attack(
    analyzer: Analyzer, text: str, expected: set[tuple[str, str, int | None, int | None]]
) -> None:
    assert figures(analyzer, text, "killing") == expected


@pytest.mark.parametrize(
    ("text", "type_", "expected"),
    [
        ("Four men were shot on Main Street.", "killing", {("injured", "people", 4, 4)}),
        (
            "Two people were hospitalised after the shelling of the school in Kharkiv.",
            "attack_on_protected",
            {("injured", "people", 2, 2)},
        ),
        (
            "A 43-year-old man was shot and killed outside a bar.",
            "killing",
            {("killed", "people", 1, 1)},
        ),
        (
            "The victim, 43 y/o, was fatally shot at 6 p.m. at 1400 Main Street.",
            "killing",
            {("killed", "people", 1, 1)},
        ),
        ("3 killed in shooting at Chicago party", "killing", {("killed", "people", 3, 3)}),
        (
            "Two people were killed and over 100 injured when a missile hit the station in "
            "Kramatorsk.",
            "killing",
            {("killed", "people", 2, 2), ("injured", "people", 101, None)},
        ),
        (
            "The strike killed 45 adults and 5 children in Kramatorsk.",
            "killing",
            {("killed", "people", 50, 50), ("killed", "children", 5, 5)},
        ),
        (
            "Dozens of people were killed when shells hit the market in Kharkiv.",
            "killing",
            {("killed", "people", 24, None)},
        ),
        (
            "30 to 40 people were killed in the shelling of Izium.",
            "killing",
            {("killed", "people", 30, 40)},
        ),
        (
            "About 50 civilians were killed in the strike.",
            "killing",
            {("killed", "civilians", 50, 50)},
        ),
        (
            "A man and a woman were wounded in the shooting, police said.",
            "killing",
            {("injured", "people", 2, 2)},
        ),
        (
            "One person is dead and three are injured after a shooting in Houston.",
            "killing",
            {("killed", "people", 1, 1), ("injured", "people", 3, 3)},
        ),
        (
            "A man was shot in Bucha. He died at the hospital.",
            "killing",
            {("injured", "people", 1, 1), ("killed", "people", 1, 1)},
        ),
        (
            "The death toll from the strike on the theatre in Mariupol rose from 40 to 50.",
            "attack_on_protected",
            {("killed", "people", 50, 50)},
        ),
    ],
)
def test_kind_comes_from_the_governing_words_and_counts_from_every_form(
    analyzer: Analyzer,
    text: str,
    type_: str,
    expected: set[tuple[str, str, int | None, int | None]],
) -> None:
    assert figures(analyzer, text, type_) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "At least 2,400 people have been killed in Mariupol since the start of the war, "
            "local authorities said.",
            [("killed", 2400, None, "since the start of the war")],
        ),
        (
            "So far this year, 300 people have been shot in the city.",
            [("injured", 300, 300, "So far this year")],
        ),
    ],
)
def test_a_figure_for_many_incidents_is_an_aggregate_never_an_events_harm(
    analyzer: Analyzer, text: str, expected: list[tuple[str, int | None, int | None, str]]
) -> None:
    assert aggregates(analyzer, text) == expected
    assert figures(analyzer, text, "killing") == set()


def test_an_aggregate_keeps_its_place_source_and_span(analyzer: Analyzer) -> None:
    text = (
        "At least 2,400 people have been killed in Mariupol since the start of the war, "
        "local authorities said."
    )
    analysis = analyzer.analyze(text, DocumentMeta("doc:agg", None, "2022-04-04", None, "en"))
    (agg,) = analysis.aggregates
    assert agg.place is not None and agg.place.name == "Mariupol"
    assert agg.given_by is not None and agg.given_by.text == "local authorities"
    assert text[agg.start : agg.end] == agg.text == "At least 2,400 people"
    assert analysis.to_json()["aggregates"][0]["scope"] == "since the start of the war"


@pytest.mark.parametrize(
    "text",
    [
        "A 43-year-old man was shot in the leg.",
        "The 2016 shooting left a man wounded.",
        "A man was shot at 6 p.m. on the 1400 block of Main Street.",
        "Police found 12 shell casings and two guns near the man who was shot.",
        "A man was shot over $40 in the parking lot.",
    ],
)
def test_ages_years_times_addresses_money_and_objects_are_never_counts(
    analyzer: Analyzer, text: str
) -> None:
    found = figures(analyzer, text, "killing")
    assert found and all(lo in (1, None) and hi in (1, None) for _, _, lo, hi in found)


MARIUPOL = (
    "Strike on Mariupol theatre\n\n"
    "A Russian air strike hit the drama theatre in Mariupol on Wednesday, killing at least "
    "12 civilians sheltering inside, officials said. At least 2,400 people have been killed "
    "in Mariupol since the start of the war, local authorities said.\n"
)


def test_aggregates_are_in_analyze_json_and_in_the_stored_extraction(
    run_cli: Any, tmp_path: Path, home: Path
) -> None:
    path = tmp_path / "mariupol.txt"
    path.write_text(MARIUPOL, encoding="utf-8")
    printed = json.loads(run_cli("analyze", "--json", str(path)).stdout)
    (aggregate,) = printed["aggregates"]
    assert (aggregate["kind"], aggregate["min"], aggregate["max"]) == ("killed", 2400, None)
    assert aggregate["place"]["name"] == "Mariupol"
    assert aggregate["given_by"]["text"] == "local authorities"
    assert MARIUPOL[aggregate["start"] : aggregate["end"]] == aggregate["text"]
    tolls = [h["min"] for e in printed["events"] for h in e["harm"] if h["kind"] == "killed"]
    assert tolls and 2400 not in tolls and max(tolls) == 12
    assert run_cli("init").exit_code == 0
    assert run_cli("ingest", str(path)).exit_code == 0
    assert run_cli("extract").exit_code == 0
    store = Store.open(Settings(home=home))
    with store.engine.connect() as conn:
        (doc_id,) = conn.execute(select(tables.documents.c.id)).scalars().all()
    saved = extractions.latest_analysis(store, doc_id)
    assert saved is not None and saved["aggregates"] == printed["aggregates"]
