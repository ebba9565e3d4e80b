"""Analysts' judgements and reviews shape the derived incidents."""

from __future__ import annotations

from corroboration_reports import SLOVIANSK, make_report

from dossier.corroborate import Corroborator, Judgement, Review, cluster, event_ref, incident_id


def _pair() -> list:
    return [make_report("a"), make_report("b", published="2022-04-09")]


def test_negative_judgement_splits_a_machine_merge() -> None:
    a, b = _pair()
    split = Judgement(event_ref(a), event_ref(b), "negative", "ana", "2022-05-01T10:00:00")
    assert len(cluster([a, b])) == 1
    assert len(cluster([a, b], [split])) == 2


def test_positive_judgement_forces_a_merge_the_machine_missed() -> None:
    a = make_report("a")
    far = make_report("b", place=SLOVIANSK, sentence="Shelling hit Sloviansk.")
    merge = Judgement(event_ref(a), event_ref(far), "positive", "ana", "2022-05-01T10:00:00")
    assert len(cluster([a, far])) == 2
    assert len(cluster([a, far], [merge])) == 1


def test_judgement_against_an_incident_id_targets_its_anchor_event() -> None:
    a, b = _pair()
    c = make_report("c", place=SLOVIANSK, sentence="Shelling hit Sloviansk.")
    merge = Judgement(incident_id(a), event_ref(c), "positive", "ana", "2022-05-01T10:00:00")
    incidents = cluster([a, b, c], [merge])
    assert [len(i.events) for i in incidents] == [3]


def test_latest_judgement_on_a_pair_wins() -> None:
    a, b = _pair()
    split = Judgement(event_ref(a), event_ref(b), "negative", "ana", "2022-05-01T10:00:00")
    undo = Judgement(event_ref(b), event_ref(a), "positive", "bo", "2022-05-02T10:00:00")
    assert len(cluster([a, b], [split, undo])) == 1


def test_judgement_made_before_the_event_arrives_applies_when_it_does() -> None:
    a, b = _pair()
    state = Corroborator([Judgement(event_ref(a), event_ref(b), "negative", "ana", "t")])
    state.add([a])
    state.add([b])
    assert len(state.incidents()) == 2


def test_judge_reports_the_incidents_it_changed() -> None:
    a, b = _pair()
    state = Corroborator()
    state.add([a, b])
    changes = state.judge([Judgement(event_ref(a), event_ref(b), "negative", "ana", "t")])
    assert changes.updated == (incident_id(a),)
    assert changes.created == (incident_id(b),)


def test_discount_review_survives_a_new_report_joining() -> None:
    a, b = _pair()
    state = Corroborator(reviews=[Review(incident_id(a), "discounted", "ana", "t", "staged")])
    state.add([a])
    state.add([b])
    (incident,) = state.incidents()
    assert incident.review == "discounted" and incident.grade == "discounted"
