"""Incidents as reviewed: the analysts' edits, flags and verdict laid over the machine's record.

The store returns what it holds (``StoredIncident``: the record corroboration
wrote and the review row beside it); the rules of what a review changes in
the record that people read are here: edited fields replace the machine's
values (kept under ``machine``), an edit that no longer passes
``check_edit`` is left out with a warning, and a ``discounted`` verdict
shows as the grade. Everything that shows incidents (CLI, web, API,
exports) reads them through these functions, as typed ``ReviewedIncident``
records (``list_reviewed``, ``get_reviewed``); ``list_incidents`` and
``get_incident`` give the same records in their contract JSON
(``ReviewedIncident.to_json``), for callers that want only that.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from ..edit_values import EditValueError, check_edit
from ..ontology import fatalities
from ..records import Actor, Harm, Place, ReviewedIncident, TimeRange
from ..store.database import Store
from ..store.incidents import IncidentFilter, StoredIncident, get_stored, list_stored

__all__ = [
    "fatalities",
    "get_incident",
    "get_reviewed",
    "list_incidents",
    "list_reviewed",
    "review_incident",
    "reviewed",
    "valid_edits",
]


def review_incident(stored: StoredIncident) -> ReviewedIncident:
    """The stored incident with its review state and valid edits laid over the machine's record."""
    machine = stored.incident
    edits, warnings = valid_edits(stored.edits)
    changes: dict[str, Any] = {"review": stored.status}
    for name, value in edits.items():
        changes[name] = _edited_value(name, value)
    if stored.status == "discounted":
        changes["grade"] = "discounted"
    return ReviewedIncident(
        incident=replace(machine, **changes),
        machine=machine,
        assigned_to=stored.assigned_to,
        flags=tuple(stored.flags),
        edited=tuple(edits),
        warnings=tuple(warnings),
    )


def _edited_value(name: str, value: Any) -> Any:
    """The typed value of a checked edit (``check_edit``'s plain JSON) for field ``name``."""
    if name == "place":
        return Place(**value)
    if name == "time":
        return TimeRange(**value)
    if name == "perpetrator":
        return Actor(**value)
    if name == "harm":
        return tuple(Harm(h["kind"], h["category"], h["min"], h["max"], h["text"]) for h in value)
    return value


def reviewed(stored: StoredIncident) -> dict[str, Any]:
    """The incident's contract JSON with its review state and valid edits applied."""
    return review_incident(stored).to_json()


def valid_edits(stored: str | None) -> tuple[dict[str, Any], list[str]]:
    """The stored review edits that still pass ``check_edit``, and a warning for each other.

    A bad value (written before edits were checked, or by hand) is left out
    and the machine's value shown, so one record cannot break a page or an
    export; it stays in the store and the custody log as it was.
    """
    try:
        edits = json.loads(stored) if stored else {}
    except ValueError:
        return {}, ["the stored review edits are not JSON; none is shown"]
    if not isinstance(edits, dict):
        return {}, ["the stored review edits are not an object; none is shown"]
    good, warnings = {}, []
    for field, value in edits.items():
        try:
            good[field] = check_edit(field, value)
        except EditValueError as exc:
            warnings.append(f"the reviewed {field} is invalid and not shown ({exc})")
    return good, warnings


def list_reviewed(
    store: Store,
    f: IncidentFilter | None = None,
    *,
    sort: str = "-date",
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[ReviewedIncident], int]:
    """Incidents matching ``f`` as reviewed, and the total count (see ``list_stored``)."""
    items, total = list_stored(store, f or IncidentFilter(), sort=sort, limit=limit, offset=offset)
    return [review_incident(i) for i in items], total


def get_reviewed(store: Store, incident_id: str) -> ReviewedIncident | None:
    """The incident ``incident_id`` as reviewed (None: there is none)."""
    stored = get_stored(store, incident_id)
    return None if stored is None else review_incident(stored)


def list_incidents(
    store: Store,
    f: IncidentFilter | None = None,
    *,
    sort: str = "-date",
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[dict[str, Any]], int]:
    """``list_reviewed`` in its contract JSON, for the readers not yet typed."""
    items, total = list_reviewed(store, f, sort=sort, limit=limit, offset=offset)
    return [i.to_json() for i in items], total


def get_incident(store: Store, incident_id: str) -> dict[str, Any] | None:
    """``get_reviewed`` in its contract JSON (None: there is none)."""
    reviewed_incident = get_reviewed(store, incident_id)
    return None if reviewed_incident is None else reviewed_incident.to_json()
