"""Harm figures: kinds, victim categories and count ranges from digits, words and vague
quantities."""

from __future__ import annotations

import pytest

from dossier.extract.analyzer import Analyzer
from dossier.extract.harm import parse_number
from dossier.records import DocumentMeta


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    instance = Analyzer()
    instance.setup()
    return instance


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
