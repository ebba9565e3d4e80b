"""The ACLED mapping of detention subtypes: an arrest is ACLED's "Arrests"."""

from __future__ import annotations

from dossier.export.acled import acled_row
from dossier.records import Incident, incident_from_json


def incident() -> Incident:
    return incident_from_json(
        {
            "id": "inc_1",
            "type": "detention",
            "types": ["detention"],
            "place": {
                "name": "Patna",
                "lat": 25.6,
                "lon": 85.1,
                "country": "IN",
                "precision": "locality",
            },
            "time": {"start": "2002-03-10", "end": "2002-03-10", "precision": "day"},
            "perpetrator": {"side": "IN", "text": "police"},
            "harm": [{"kind": "detained", "category": "people", "min": 17, "max": None}],
            "sources": [],
            "independent_sources": 1,
            "contested": False,
            "denied_by": [],
            "grade": "single-source",
            "review": "unreviewed",
        }
    )


def test_an_arrest_is_acleds_arrests() -> None:
    row = acled_row(incident(), "arrest")
    assert (row["event_type"], row["sub_event_type"]) == ("Strategic developments", "Arrests")


def test_an_abduction_stays_an_abduction() -> None:
    for subtype in ("abduction", None):
        row = acled_row(incident(), subtype)
        assert (row["event_type"], row["sub_event_type"]) == (
            "Violence against civilians",
            "Abduction/forced disappearance",
        )
