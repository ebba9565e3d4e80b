"""Incidents in the store: filters, exact distance, and reviews that survive renaming."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from dossier.corroborate.carry import carry_reviews
from dossier.review.incidents import get_incident, list_incidents
from dossier.store import custody_log, tables
from dossier.store.database import Store
from dossier.store.incidents import IncidentFilter, replace_incidents


def _incident(
    id: str, lat: float, lon: float, types: list[str], start: str = "2022-04-02"
) -> dict[str, Any]:
    return {
        "id": id,
        "type": types[0],
        "types": types,
        "place": {
            "name": id,
            "lat": lat,
            "lon": lon,
            "country": "ua",
            "admin1": "Kyiv Oblast",
            "precision": "locality",
        },
        "time": {"start": start, "end": start},
        "perpetrator": {"side": "ru", "text": "Russian troops"},
        "harm": [{"kind": "killed", "category": "civilians", "min": 3, "max": None}],
        "sources": [],
        "independent_sources": 1,
        "contested": False,
        "denied_by": [],
        "grade": "single_source",
        "review": "unreviewed",
    }


def test_type_filter_matches_any_reported_type_and_country_ignores_case(store: Store) -> None:
    replace_incidents(
        store,
        [
            _incident("a", 50.5, 30.2, ["attack_on_civilians", "killing"]),
            _incident("b", 50.4, 30.5, ["detention"]),
        ],
        [],
        "tester",
    )
    items, total = list_incidents(store, IncidentFilter(type="killing", country="UA", side="RU"))
    assert [i["id"] for i in items] == ["a"] and total == 1


def test_near_filter_is_exact_before_paging(store: Store) -> None:
    # Both inside the bounding box of a 20 km circle around Bucha; only one inside the circle.
    replace_incidents(
        store,
        [
            _incident("near", 50.55, 30.22, ["killing"]),
            _incident("corner", 50.70, 30.47, ["killing"]),
        ],
        [],
        "tester",
    )
    items, total = list_incidents(store, IncidentFilter(near=(50.54, 30.22, 20)), limit=1)
    assert [i["id"] for i in items] == ["near"] and total == 1


def test_review_follows_an_incident_renamed_by_an_earlier_report(store: Store) -> None:
    replace_incidents(
        store,
        [_incident("inc_old", 50.5, 30.2, ["killing"])],
        [("inc_old", "e1", "v1", "d1"), ("inc_old", "e2", "v1", "d2")],
        "tester",
        carry=carry_reviews,
    )
    with store.transaction() as conn:
        conn.execute(
            insert(tables.incident_reviews).values(
                incident_id="inc_old",
                status="confirmed",
                assigned_to="ana",
                flags='["graphic"]',
                edits="{}",
                updated_at="2026-01-01T00:00:00Z",
                updated_by="ana",
            )
        )
    # An earlier report (e0) of the same occurrence joins: the incident is renamed.
    replace_incidents(
        store,
        [_incident("inc_new", 50.5, 30.2, ["killing"])],
        [
            ("inc_new", "e0", "v1", "d0"),
            ("inc_new", "e1", "v1", "d1"),
            ("inc_new", "e2", "v1", "d2"),
        ],
        "tester",
        carry=carry_reviews,
    )
    renamed = get_incident(store, "inc_new")
    assert renamed is not None
    assert (
        renamed["review"] == "confirmed"
        and renamed["assigned_to"] == "ana"
        and renamed["flags"] == ["graphic"]
    )
    carried = [e for e in custody_log.entries(store) if e.action == "review_carried"]
    assert [(e.object_id, e.detail["from"], e.detail["shared_events"]) for e in carried] == [
        ("inc_new", "inc_old", 2)
    ]
    with store.engine.connect() as conn:
        assert conn.execute(
            select(tables.incident_reviews.c.incident_id).order_by(
                tables.incident_reviews.c.incident_id
            )
        ).scalars().all() == [
            "inc_new",
            "inc_old",
        ]


def test_reviews_that_disagree_fold_into_one_to_look_at_again(store: Store) -> None:
    replace_incidents(
        store,
        [_incident("inc_old", 50.5, 30.2, ["killing"])],
        [("inc_old", "e1", "v1", "d1")],
        "tester",
        carry=carry_reviews,
    )
    with store.transaction() as conn:
        for iid, status in (("inc_old", "confirmed"), ("inc_new", "rejected")):
            conn.execute(
                insert(tables.incident_reviews).values(
                    incident_id=iid,
                    status=status,
                    flags="[]",
                    edits="{}",
                    updated_at="t",
                    updated_by="ana",
                )
            )
    replace_incidents(
        store,
        [_incident("inc_new", 50.5, 30.2, ["killing"])],
        [("inc_new", "e0", "v1", "d0"), ("inc_new", "e1", "v1", "d1")],
        "tester",
        carry=carry_reviews,
    )
    renamed = get_incident(store, "inc_new")
    # one incident, two verdicts (confirmed, rejected): neither wins unseen
    assert renamed is not None and renamed["review"] == "in_review"
    carried = [e for e in custody_log.entries(store) if e.action == "review_carried"]
    assert [(e.object_id, e.detail["from"], e.detail["status"]) for e in carried] == [
        ("inc_new", "inc_old", "in_review")
    ]


def test_the_store_returns_the_machines_record_and_the_review_beside_it(store: Store) -> None:
    from dossier.store.incidents import get_stored

    replace_incidents(store, [_incident("a", 50.5, 30.2, ["killing"])], [], "tester")
    with store.transaction() as conn:
        conn.execute(
            insert(tables.incident_reviews).values(
                incident_id="a",
                status="discounted",
                flags='["graphic"]',
                edits='{"type": "torture", "harm": "not a list"}',
                updated_at="t",
                updated_by="ana",
            )
        )
    stored = get_stored(store, "a")
    assert stored is not None
    # the store applies no review rule: the machine's type and grade stand
    assert (stored.incident.type, stored.incident.grade) == ("killing", "single_source")
    assert stored.incident.place is not None and stored.incident.place.lat == 50.5
    assert stored.review.status == "discounted" and stored.review.flags == ("graphic",)
    # review.incidents lays the valid edits and the verdict over it, and says what it left out
    shown = get_incident(store, "a")
    assert shown is not None
    assert (shown["type"], shown["grade"], shown["machine"]) == (
        "torture",
        "discounted",
        {"type": "killing"},
    )
    assert len(shown["warnings"]) == 1 and "harm" in shown["warnings"][0]


def test_without_the_carry_rule_a_review_stays_under_its_old_id(store: Store) -> None:
    replace_incidents(
        store, [_incident("old", 50.5, 30.2, ["killing"])], [("old", "e1", "v1", "d1")], "t"
    )
    with store.transaction() as conn:
        conn.execute(
            insert(tables.incident_reviews).values(
                incident_id="old",
                status="confirmed",
                flags="[]",
                edits="{}",
                updated_at="t",
                updated_by="ana",
            )
        )
    replace_incidents(
        store, [_incident("new", 50.5, 30.2, ["killing"])], [("new", "e1", "v1", "d1")], "t"
    )
    renamed = get_incident(store, "new")
    assert renamed is not None and renamed["review"] == "unreviewed"
    with store.engine.connect() as conn:
        kept = conn.execute(select(tables.incident_reviews.c.incident_id)).scalars().all()
    assert kept == ["old"]  # kept, never deleted


def test_an_unreadable_review_that_must_be_carried_stops_the_write_whole(store: Store) -> None:
    import pytest

    from dossier.errors import StoreError

    for iid in ("old", "elsewhere"):
        replace_incidents(
            store, [_incident(iid, 50.5, 30.2, ["killing"])], [(iid, "e1", "v1", "d1")], "t"
        )
    replace_incidents(
        store,
        [
            _incident("old", 50.5, 30.2, ["killing"]),
            _incident("elsewhere", 49.0, 31.0, ["killing"]),
        ],
        [("old", "e1", "v1", "d1"), ("elsewhere", "e9", "v1", "d9")],
        "t",
    )
    with store.transaction() as conn:
        for iid in ("old", "elsewhere"):
            conn.execute(
                insert(tables.incident_reviews).values(
                    incident_id=iid,
                    status="confirmed",
                    flags="[]",
                    edits="{not json",
                    updated_at="t",
                    updated_by="ana",
                )
            )
    # "elsewhere" keeps its id: its bad row is not read, and does not stop a write
    replace_incidents(
        store,
        [
            _incident("old", 50.5, 30.2, ["killing"]),
            _incident("elsewhere", 49.0, 31.0, ["killing"]),
        ],
        [("old", "e1", "v1", "d1"), ("elsewhere", "e9", "v1", "d9")],
        "t",
        carry=carry_reviews,
    )
    with pytest.raises(StoreError, match="review of incident old is not JSON"):
        replace_incidents(
            store,
            [_incident("new", 50.5, 30.2, ["killing"])],
            [("new", "e0", "v1", "d0"), ("new", "e1", "v1", "d1")],
            "t",
            carry=carry_reviews,
        )
    assert get_incident(store, "old") is not None and get_incident(store, "new") is None


def test_the_reviewed_incident_is_typed_and_its_json_is_the_contract(store: Store) -> None:
    import json

    from dossier.corroborate import incident_json
    from dossier.records import incident_from_json
    from dossier.review.incidents import get_reviewed

    machine = incident_json(incident_from_json(_incident("a", 50.5, 30.2, ["killing"])))
    replace_incidents(store, [machine], [], "tester")
    edits = {
        "harm": [{"kind": "killed", "category": None, "min": 4, "max": 5, "text": "four or five"}],
        "perpetrator": {"text": "unknown unit", "side": "RU"},
        "place": {**machine["place"], "name": "Bucha", "country": "UA"},
        "time": {"start": "2022-03-01", "end": "2022-03-03", "precision": "day", "text": None},
        "type": "torture",
    }
    with store.transaction() as conn:
        conn.execute(
            insert(tables.incident_reviews).values(
                incident_id="a",
                status="confirmed",
                assigned_to="ana",
                flags='["graphic"]',
                edits=json.dumps(edits),
                updated_at="t",
                updated_by="ana",
            )
        )
    shown = get_reviewed(store, "a")
    assert shown is not None
    # the edits are typed values of the incident; the machine's record stays beside them
    assert shown.incident.type == "torture" and shown.machine.type == "killing"
    assert shown.incident.place is not None and shown.incident.place.name == "Bucha"
    assert shown.incident.time.start == "2022-03-01"
    assert shown.incident.perpetrator is not None
    assert shown.incident.perpetrator.text == "unknown unit"
    assert [h.min for h in shown.incident.harm] == [4]
    assert (shown.review, shown.assigned_to, shown.flags) == ("confirmed", "ana", ("graphic",))
    assert shown.edited == ("harm", "perpetrator", "place", "time", "type")
    # its JSON is the stored contract with the review laid over it, key for key
    want = {**machine, "review": "confirmed", "assigned_to": "ana", "flags": ["graphic"]}
    want["machine"] = {k: machine[k] for k in edits}
    want.update(edits)
    want["edited"] = sorted(edits)
    assert json.dumps(shown.to_json()) == json.dumps(want)


def test_a_stored_record_that_is_no_incident_is_an_error_naming_it(store: Store) -> None:
    import pytest

    from dossier.errors import StoreError

    bad = _incident("b", 50.5, 30.2, ["killing"])
    del bad["place"]["lat"]
    replace_incidents(store, [bad], [], "tester")
    with pytest.raises(StoreError, match="incident b is not an incident record"):
        get_incident(store, "b")
