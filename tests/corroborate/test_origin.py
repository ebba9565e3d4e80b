"""Independent sources are counted by origin and by outlet family, and the chain is shown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from corroboration_reports import make_report

from dossier.corroborate import cluster, incident_json
from dossier.corroborate.origin import origin_entity, outlet_family, wire_credit


def _one(reports: list) -> object:
    (incident,) = cluster(reports)
    return incident


def test_four_outlets_relaying_one_city_council_are_one_source() -> None:
    # The Mariupol theatre shape: four wordings of the city's government, four outlets.
    said = ["Authorities", "City authorities", "The council", "local authorities"]
    outlets = ["Reuters", "Daily Courier", "Kyiv Post", "Evening Standard"]
    reports = [
        make_report(f"d{n}", publisher=outlet, origin=origin, published=f"2022-04-0{n + 1}")
        for n, (origin, outlet) in enumerate(zip(said, outlets, strict=True))
    ]
    incident = _one(reports)
    assert incident.independent_sources == 1
    (chain,) = incident.source_chains
    assert (chain.source, chain.outlets, chain.text) == (
        "local authorities",
        tuple(outlets),
        "local authorities, via 4 outlets",
    )
    assert incident_json(incident)["source_chains"][0]["text"] == "local authorities, via 4 outlets"
    assert incident.grade == "single_source"


@pytest.mark.parametrize(
    ("same", "entity"),
    [
        (
            [
                "Kharkiv regional administration",
                "Governor Oleh Synehubov",
                "the oblast administration",
            ],
            "regional",
        ),
        (
            [
                "Ukraine's defence ministry",
                "the Ministry of Defence of Ukraine",
                "Ukrainian defense ministry",
            ],
            "ministry:ukrainian:defence",
        ),
        (["the mayor's office", "Mariupol city council", "city officials"], "local"),
        (["Ukrainian authorities", "Ukraine's government"], "national:ukrainian"),
        (["Reuters", "Thomson Reuters"], "wire:reuters"),
    ],
)
def test_wordings_of_one_body_are_one_entity(same: list[str], entity: str) -> None:
    assert {origin_entity(s)[0] for s in same} == {entity}


def test_different_bodies_stay_apart() -> None:
    bodies = [
        "the city council",
        "Kharkiv regional administration",
        "Ukraine's defence ministry",
        "Russia's defence ministry",
        "Ukraine's prosecutor general",
        "Ukrainian authorities",
        "Human Rights Watch",
    ]
    assert len({origin_entity(b)[0] for b in bodies}) == len(bodies)


def test_a_wire_and_its_editions_are_one_outlet_family() -> None:
    assert {outlet_family(p)[0] for p in ("Reuters", "Reuters UK", "Thomson Reuters Africa")} == {
        "wire:reuters"
    }
    assert outlet_family("AP")[0] == outlet_family("Associated Press")[0]
    assert outlet_family("APA News")[0] != outlet_family("AP")[0]
    assert outlet_family("Kyiv Independent")[0] != outlet_family("Kyiv Post")[0]


def test_wire_editions_count_once_and_show_their_chain() -> None:
    reports = [
        make_report("a", publisher="Reuters"),
        make_report("b", publisher="Reuters UK", published="2022-04-09"),
        make_report("c", publisher="Kyiv Independent", published="2022-04-09"),
    ]
    incident = _one(reports)
    assert incident.independent_sources == 2
    assert [c.text for c in incident.source_chains] == [
        "Reuters, via 2 outlets",
        "Kyiv Independent",
    ]


def test_a_relayed_origin_and_the_outlets_own_reporting_are_two_sources() -> None:
    reports = [
        make_report("a", publisher="Kyiv Post", origin="the city council"),
        make_report("b", publisher="Kyiv Post", published="2022-04-09"),  # its own reporter
        make_report(
            "c", publisher="Daily Courier", origin="City authorities", published="2022-04-09"
        ),
    ]
    incident = _one(reports)
    assert incident.independent_sources == 2
    assert [c.text for c in incident.source_chains] == [
        "local authorities, via 2 outlets",
        "Kyiv Post",
    ]


ORIGINS = Path(__file__).resolve().parents[1] / "data" / "corroboration" / "origins"
OUTLETS = ("Reuters", "Daily Courier", "Kyiv Post", "Evening Standard")


@pytest.mark.parametrize(
    ("folder", "outlets", "sources", "chains"),
    [
        ("one-council", OUTLETS, 1, ["local authorities, via 4 outlets"]),
        (
            "four-bodies",
            OUTLETS,
            4,
            [
                "Human Rights Watch, via 1 outlet",
                "Ukraine's defence ministry, via 1 outlet",
                "local authorities, via 1 outlet",
                "regional administration, via 1 outlet",
            ],
        ),
        # two outlets run one Reuters story (reworded: no near-duplicate), one reports its own
        ("wire", OUTLETS[:3], 2, ["Kyiv Post", "Reuters, via 2 outlets"]),
    ],
)
def test_reports_of_one_strike_count_their_origins_end_to_end(
    run_cli: Any, folder: str, outlets: tuple[str, ...], sources: int, chains: list[str]
) -> None:
    files = sorted((ORIGINS / folder).glob("*.txt"))
    published = "2022-05-12" if folder == "wire" else "2022-03-17"
    assert run_cli("init").exit_code == 0
    for path, outlet in zip(files, outlets, strict=True):
        done = run_cli("ingest", "--publisher", outlet, "--published", published, str(path))
        assert done.exit_code == 0, done.stderr
    assert run_cli("extract").exit_code == 0
    assert run_cli("corroborate").exit_code == 0
    incidents = json.loads(run_cli("incidents", "--json").stdout)
    widest = max(incidents, key=lambda i: len({s["publisher"] for s in i["sources"]}))
    assert {s["publisher"] for s in widest["sources"]} == set(outlets)
    assert widest["independent_sources"] == sources
    assert sorted(c["text"] for c in widest["source_chains"]) == chains


@pytest.mark.parametrize(
    ("head", "wire"),
    [
        ("KYIV, March 17 (Reuters) - Russian forces", "Reuters"),
        ("MARIUPOL, Ukraine (AP) \u2014 The theatre", "Associated Press"),
        ("Kyiv (Interfax-Ukraine) \u2013 A strike", "Interfax"),
        ("KYIV (AFP) - Shelling", "AFP"),
        ("Officials said (in a statement) - nothing", None),
        ("A reporter (AP) said nothing of note", None),
    ],
)
def test_a_dateline_credit_names_the_wire(head: str, wire: str | None) -> None:
    assert wire_credit(head) == wire
    assert wire_credit("x" * 700 + head) is None  # only the top of a text is a dateline
