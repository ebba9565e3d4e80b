"""The rule that carries reviews over when re-clustering renames, merges or splits incidents."""

from __future__ import annotations

from dossier.corroborate.carry import carry_reviews
from dossier.store.reviews import ReviewState


def test_a_renamed_incident_keeps_its_review() -> None:
    before = {"old": {("e1", "v1"), ("e2", "v1")}}
    members = [("new", "e0", "v1", "d0"), ("new", "e1", "v1", "d1"), ("new", "e2", "v1", "d2")]
    review = ReviewState("confirmed", "ana", ("graphic",), {"type": "killing"})
    (carried,) = carry_reviews(before, {"new"}, members, {"old": review})
    assert carried.target == "new" and carried.state == review
    assert carried.detail == {
        "from": "old",
        "shared_events": 2,
        "status": "confirmed",
        "flags": ["graphic"],
    }


def test_a_split_off_part_keeps_the_restricted_flag() -> None:
    # "a" keeps its id and e1; e2 splits off into "b": b must not become visible
    before = {"a": {("e1", "v1"), ("e2", "v1")}}
    members = [("a", "e1", "v1", "d1"), ("b", "e2", "v1", "d2")]
    review = ReviewState("in_review", None, ("restricted",), {})
    (carried,) = carry_reviews(before, {"a", "b"}, members, {"a": review})
    assert carried.target == "b" and carried.state.flags == ("restricted",)
    assert carried.state.status == "unreviewed"  # the verdict stays with the incident judged


def test_a_merge_of_two_verdicts_is_looked_at_again_and_the_targets_edits_win() -> None:
    before = {"x": {("e1", "v1")}, "y": {("e2", "v1")}}
    members = [("y", "e1", "v1", "d1"), ("y", "e2", "v1", "d2")]
    reviews = {
        "x": ReviewState("confirmed", None, (), {"type": "torture", "place": "x"}),
        "y": ReviewState("rejected", "bo", (), {"type": "killing"}),
    }
    (carried,) = carry_reviews(before, {"y"}, members, reviews)
    assert carried.target == "y" and carried.state.status == "in_review"
    assert carried.state.edits == {"type": "killing", "place": "x"}
    assert carried.state.assigned_to == "bo"


def test_nothing_is_written_where_nothing_changes() -> None:
    before = {"a": {("e1", "v1")}}
    members = [("a", "e1", "v1", "d1"), ("a", "e2", "v1", "d2")]
    reviews = {"a": ReviewState("confirmed", None, ("graphic",), {})}
    assert carry_reviews(before, {"a"}, members, reviews) == []
