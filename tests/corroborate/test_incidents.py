"""The incident record: harm ranges, grade, and the JSON contract."""

from __future__ import annotations

from corroboration_reports import make_report

from dossier.corroborate import cluster, grade, incident_json
from dossier.records import Actor, Harm

KILLED_50 = Harm("killed", "civilians", 50, None, "at least 50 people")
KILLED_52 = Harm("killed", "civilians", 52, 52, "52 people")
KILLED_57 = Harm("killed", "civilians", 57, 57, "57 people")
DENIAL = Actor("Russia's defence ministry", "RU")


def _incident(**kwargs: object):  # type: ignore[no-untyped-def]
    reports = [
        make_report("a", publisher="Reuters", harm=(KILLED_50,)),
        make_report("b", publisher="AP", harm=(KILLED_52,), published="2022-04-09"),
        make_report("c", publisher="BBC", harm=(KILLED_57,), published="2022-04-10", **kwargs),
    ]
    (incident,) = cluster(reports)
    return incident


def test_harm_is_a_range_across_reports() -> None:
    harm = _incident().harm
    assert [(h.kind, h.category, h.min, h.max) for h in harm] == [("killed", "civilians", 50, 57)]


def test_every_harm_figure_traces_to_its_report() -> None:
    figures = _incident().harm_figures
    assert {(f.document, f.min, f.source) for f in figures} == {
        ("a", 50, "Reuters"),
        ("b", 52, "AP"),
        ("c", 57, "BBC"),
    }


def test_single_open_ended_figure_stays_open() -> None:
    (incident,) = cluster([make_report("a", harm=(KILLED_50,))])
    assert (incident.harm[0].min, incident.harm[0].max) == (50, None)


def test_three_outlets_without_an_authority_are_corroborated() -> None:
    incident = _incident()
    assert incident.grade == "corroborated"
    assert "3 independent sources" in incident.grade_reason


def test_an_official_source_makes_three_well_corroborated() -> None:
    incident = _incident(asserted_by=(Actor("Donetsk regional military administration", "UA"),))
    assert incident.grade == "well_corroborated"
    assert "Donetsk regional military administration" in incident.grade_reason


def test_a_denial_makes_the_incident_contested() -> None:
    incident = _incident(denied_by=(DENIAL,))
    assert incident.contested and incident.grade == "contested"
    assert "Russia's defence ministry" in incident.grade_reason


def test_grade_rules_in_order() -> None:
    assert grade(["Reuters"], [], [])[0] == "single_source"
    assert grade(["Reuters", "AP"], [], [])[0] == "corroborated"
    assert grade(["Reuters", "AP", "Human Rights Watch"], [], [])[0] == "well_corroborated"
    assert grade(["Reuters", "AP", "Kyiv Independent"], [], [])[0] == "corroborated"
    assert grade(["Reuters", "AP", "BBC"], [Actor("Olena Kovalenko", None)], [])[0] == (
        "well_corroborated"
    )
    assert grade(["Reuters", "AP"], [], [DENIAL])[0] == "contested"
    assert grade(["Reuters", "AP"], [], [DENIAL], "discounted")[0] == "discounted"


def test_incident_json_has_the_contract_fields() -> None:
    out = incident_json(_incident(denied_by=(DENIAL,)))
    contract = {
        "id",
        "type",
        "types",
        "place",
        "time",
        "perpetrator",
        "harm",
        "sources",
        "independent_sources",
        "contested",
        "denied_by",
        "grade",
        "review",
    }
    extra = {"grade_reason", "harm_figures", "first_report", "last_report", "asserted_by", "events"}
    assert contract | extra <= set(out)
    assert out["perpetrator"] == {"side": "RU", "text": "Russian forces"}
    assert out["denied_by"] == [{"text": "Russia's defence ministry", "side": "RU"}]
    assert out["sources"][0]["document"] == "a" and out["sources"][0]["publisher"] == "Reuters"
    assert out["harm"] == [{"kind": "killed", "category": "civilians", "min": 50, "max": 57}]
    assert (out["first_report"], out["last_report"]) == ("2022-04-08", "2022-04-10")
    assert out["place"]["name"] == "Kramatorsk" and out["time"]["start"] == "2022-04-08"


def test_a_news_agency_is_not_an_official_body() -> None:
    sources = ["Continental Press Agency", "Global Wire Service", "Kyiv Ledger"]
    assert grade(sources, [], [])[0] == "corroborated"


def test_the_stored_json_reads_back_as_the_same_record() -> None:
    from dossier.records import incident_from_json

    incident = _incident(
        denied_by=(DENIAL,),
        asserted_by=(Actor("Donetsk regional military administration", "UA"),),
    )
    stored = incident_json(incident)
    again = incident_from_json(stored)
    assert incident_json(again) == stored
    # the typed fields are the record's, not a copy of the dict
    assert again.sources == incident.sources and again.harm_figures == incident.harm_figures
    assert again.denied_by == incident.denied_by and again.source_chains == incident.source_chains
    assert [(h.kind, h.min, h.max) for h in again.harm] == [("killed", 50, 57)]
