"""Syndicated copies and relayed statements are one source."""

from __future__ import annotations

from corroboration_reports import make_report

from dossier.corroborate import cluster, near_duplicate_groups

STORY = (
    "KYIV, April 8 - A missile struck the railway station in Kramatorsk on Friday, "
    "killing at least 50 people who were waiting to be evacuated, the head of the "
    "Donetsk regional administration said. Hundreds of civilians had gathered at the "
    "station as officials urged residents to leave before an expected offensive. "
    "Russia's defence ministry denied it had carried out the strike."
)
OTHER = (
    "Ukrainian officials said on Friday that dozens of people died when a rocket hit "
    "the station in Kramatorsk, where families had been boarding trains west. Photos "
    "showed bodies beside luggage on the platform."
)


def test_republished_wire_story_is_one_duplicate_group() -> None:
    copy = "Share this story. " + STORY.replace("on Friday", "on Friday morning") + " Read more."
    groups = near_duplicate_groups([("x", STORY), ("y", copy), ("z", OTHER)])
    assert groups["x"] == groups["y"] == "x"
    assert groups["z"] == "z"


def test_syndicated_copies_count_as_one_independent_source() -> None:
    wire = make_report("w", publisher="Reuters", text=STORY)
    copy = make_report("c", publisher="Daily Courier", text=STORY + " ", published="2022-04-09")
    own = make_report("o", publisher="AP", text=OTHER)
    groups = near_duplicate_groups([("w", STORY), ("c", STORY + " "), ("o", OTHER)])
    (incident,) = cluster([wire, copy, own], duplicate_groups=groups)
    assert len(incident.sources) == 3
    assert incident.independent_sources == 2
    assert {s.origin for s in incident.sources} == {"Reuters", "AP"}


def test_outlets_relaying_one_statement_are_one_source() -> None:
    reports = [
        make_report("a", publisher="RBC", origin="Ukraine's state railway"),
        make_report("b", publisher="Kyiv Post", origin="the Ukraine’s State Railway"),
        make_report("c", publisher="BBC"),
    ]
    (incident,) = cluster(reports)
    assert incident.independent_sources == 2


def test_same_publisher_twice_is_one_source() -> None:
    reports = [make_report("a", publisher="Reuters"), make_report("b", publisher="reuters")]
    (incident,) = cluster(reports)
    assert incident.independent_sources == 1
