"""Which reports the corroboration groups into one incident."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest
from corroboration_reports import DONETSK_OBLAST, KRAMATORSK, POKROVSK, SLOVIANSK, make_report

from dossier.corroborate import Corroborator, cluster, event_ref, incident_id
from dossier.records import Span


def _groups(incidents: list) -> set[frozenset[str]]:
    return {frozenset(s.document for s in inc.sources) for inc in incidents}


def test_same_town_same_day_different_outlets_is_one_incident() -> None:
    reports = [
        make_report("a", publisher="Reuters"),
        make_report(
            "b",
            publisher="AP",
            type="killing",
            sentence="Dozens of people were killed at the station in Kramatorsk.",
        ),
    ]
    incidents = cluster(reports)
    assert _groups(incidents) == {frozenset({"a", "b"})}
    assert incidents[0].types == ("attack_on_civilians", "killing")


def test_same_town_a_week_later_is_another_incident() -> None:
    reports = [
        make_report("a"),
        make_report("b", day="2022-04-15", published="2022-04-15"),
    ]
    assert _groups(cluster(reports)) == {frozenset({"a"}), frozenset({"b"})}


def test_undated_reports_a_week_apart_are_two_incidents() -> None:
    reports = [
        make_report("a", day=None, published="2022-04-08"),
        make_report("b", day=None, published="2022-04-15"),
    ]
    assert len(cluster(reports)) == 2


def test_same_day_neighbouring_town_needs_the_text_to_agree() -> None:
    other = make_report(
        "b",
        place=SLOVIANSK,
        sentence="Shelling hit a residential block in Sloviansk overnight, the mayor said.",
    )
    assert len(cluster([make_report("a"), other])) == 2


def test_locality_report_joins_its_regional_report() -> None:
    regional = make_report(
        "b",
        place=DONETSK_OBLAST,
        sentence="A missile struck a railway station in the Donetsk region, killing civilians.",
    )
    incidents = cluster([make_report("a"), regional])
    assert len(incidents) == 1
    assert incidents[0].place == KRAMATORSK  # the most precise place wins


def test_regional_report_in_another_region_stays_apart() -> None:
    elsewhere = make_report(
        "b",
        place=DONETSK_OBLAST.__class__(
            "Kharkiv Oblast", 49.5, 36.5, "UA", "Kharkiv Oblast", "admin1"
        ),
        sentence="A missile struck a railway station in the region, killing civilians.",
    )
    assert len(cluster([make_report("a"), elsewhere])) == 2


def test_incompatible_types_and_sides_stay_apart() -> None:
    detention = make_report("b", type="detention", sentence="Soldiers detained the mayor.")
    other_side = make_report("c", side="UA")
    assert len(cluster([make_report("a"), detention, other_side])) == 3


def test_two_events_of_one_document_in_different_sentences_never_merge() -> None:
    first = make_report("a", event="e1")
    second = make_report("a", event="e2", type="killing")
    second = replace(second, event=replace(second.event, sentence=Span("Later...", 200, 209)))
    incidents = cluster([first, second, make_report("b")])
    assert sorted(len(i.events) for i in incidents) == [1, 2]


def test_one_sentence_typed_twice_is_one_incident() -> None:
    reports = [make_report("a", event="e1"), make_report("a", event="e2", type="killing")]
    (incident,) = cluster(reports)
    assert incident.types == ("attack_on_civilians", "killing")


def _corpus() -> list:
    return [
        make_report("a", published="2022-04-08"),
        make_report("b", published="2022-04-09", type="killing"),
        make_report("c", published="2022-04-09", place=DONETSK_OBLAST),
        make_report("d", day="2022-04-15", published="2022-04-15"),
        make_report("e", day="2022-04-15", published="2022-04-16", place=SLOVIANSK),
        make_report("f", day=None, published="2022-04-16"),
    ]


def test_same_reports_in_any_order_give_the_same_incidents() -> None:
    expected = [(i.id, i.events) for i in cluster(_corpus())]
    for seed in range(5):
        shuffled = _corpus()
        random.Random(seed).shuffle(shuffled)
        assert [(i.id, i.events) for i in cluster(shuffled)] == expected


def test_adding_in_batches_equals_clustering_at_once() -> None:
    corpus = _corpus()
    state = Corroborator()
    for part in (corpus[3:], corpus[:2], corpus[2:3]):
        state.add(part)
    assert [(i.id, i.events) for i in state.incidents()] == [
        (i.id, i.events) for i in cluster(corpus)
    ]


def test_incident_id_stays_when_a_later_report_joins() -> None:
    first = make_report("a", published="2022-04-08")
    state = Corroborator()
    created = state.add([first])
    assert created.created == (incident_id(first),)
    changes = state.add([make_report("b", published="2022-04-09")])
    assert changes.created == () and changes.updated == (incident_id(first),)
    assert [i.id for i in state.incidents()] == [incident_id(first)]


def test_readding_known_reports_changes_nothing() -> None:
    state = Corroborator()
    state.add(_corpus())
    assert state.add(_corpus()) == type(state.add([]))()


def test_regional_report_does_not_bridge_two_towns_struck_the_same_day() -> None:
    regional = make_report(
        "r",
        place=DONETSK_OBLAST,
        sentence="Russian strikes hit the Donetsk region on Friday, killing civilians.",
    )
    kramatorsk = make_report(
        "k", sentence="Russian strikes hit Kramatorsk on Friday, killing civilians."
    )
    pokrovsk = make_report(
        "s", place=POKROVSK, sentence="Russian strikes hit Pokrovsk on Friday, killing civilians."
    )
    incidents = cluster([regional, kramatorsk, pokrovsk])
    assert len(incidents) == 2
    assert _groups(incidents) in (
        {frozenset({"r", "k"}), frozenset({"s"})},
        {frozenset({"r", "s"}), frozenset({"k"})},
    )


def test_state_saved_as_json_between_runs_goes_on_like_an_unbroken_one() -> None:
    corpus = _corpus()
    state = Corroborator()
    state.add(corpus[:3])
    saved = json.loads(json.dumps(state.state()))
    resumed = Corroborator.restore(saved, {event_ref(r): r for r in corpus})
    resumed.add(corpus[3:])
    assert [(i.id, i.events) for i in resumed.incidents()] == [
        (i.id, i.events) for i in cluster(corpus)
    ]


@pytest.mark.parametrize(
    "spoil",
    [
        lambda st: st["links"].append([0, 10**6, 0, 0.0]),  # a report number out of range
        lambda st: st["links"].append([0, "1", 0, 0.0]),  # not a number
        lambda st: st["clusters"].pop(),  # a report in no cluster
        lambda st: st["clusters"].append(st["clusters"][0]),  # a report in two
        lambda st: st["events"].append(st["events"][0]),  # an event named twice
        lambda st: st.pop("links"),
    ],
)
def test_a_state_that_does_not_fit_is_refused_not_half_used(spoil: object) -> None:
    corpus = _corpus()
    state = Corroborator()
    state.add(corpus)
    saved = json.loads(json.dumps(state.state()))
    spoil(saved)  # type: ignore[operator]
    with pytest.raises((ValueError, KeyError, TypeError)):
        Corroborator.restore(saved, {event_ref(r): r for r in corpus})
