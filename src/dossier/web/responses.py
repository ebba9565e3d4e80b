"""The REST API's response models: what each JSON route answers, for the OpenAPI document.

Each JSON route of ``routes/api.py`` names one of these as its
``response_model``, so ``/api/v1/openapi.json`` gives a schema for every
answer, errors included (``ErrorResponse``). The models describe the JSON
the routes have always sent and change none of it: an incident, event or
analysis record is the DESIGN.md record, passed through whole (``dict``), and
the fields are declared in the order the routes send them. FastAPI validates
each answer against its model; ``extra="forbid"`` makes a key the model does
not name an error, never a key silently dropped. Four routes send their
``FastJSON`` themselves and skip that validation: the incident list, the map and
the timeline for speed, the incident for the order of its keys too (the
record's own, with its reports after them); tests/web/test_api_models.py checks
their answers against the models instead.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Record = dict[str, Any]


class Answer(BaseModel):
    """A response model: every key it sends is named here (no key dropped unseen)."""

    model_config = ConfigDict(extra="forbid")


class ErrorBody(Answer):
    status: int = Field(description="The HTTP status, repeated.")
    message: str = Field(description="What was refused and why, naming the input.")
    details: list[dict[str, str]] | None = Field(
        default=None, description="For an invalid request: each problem, where and what."
    )


class ErrorResponse(Answer):
    """Every refusal of the API: ``{"error": {"status", "message"}}``."""

    error: ErrorBody


# What every API route may answer besides 200 (responses= of the routers). An invalid
# parameter is a 400 with details, not FastAPI's 422: "4XX" keeps that 422 out.
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse, "description": text}
    for code, text in (
        (400, "Invalid request: a parameter or field cannot be used"),
        (401, "Not logged in: send Authorization: Bearer TOKEN"),
        (403, "The account's role may not do this"),
        (404, "No such record, or one this role may not see (answered alike)"),
        ("4XX", "Any other refusal (409, 413, 429), in the same shape"),
    )
}


class Me(Answer):
    name: str
    role: str


class IncidentPage(Answer):
    items: list[Record] = Field(description="Incident records (DESIGN.md), as the role sees them.")
    total: int = Field(description="Incidents matching the filters, over every page.")
    limit: int
    offset: int


class MapPoints(Answer):
    points: list[list[Any]] = Field(
        description="[id, lat, lon, type, fatalities, place name] per located incident."
    )
    total: int


class TimelineDay(Answer):
    day: str = Field(description="YYYY-MM-DD, the day incidents start.")
    counts: dict[str, int] = Field(description="Incidents per event type.")


class Timeline(Answer):
    days: list[TimelineDay]
    total: int


class Report(Answer):
    event: Record = Field(description="The event record (DESIGN.md) this report gives.")
    document: str
    publisher: str | None
    url: str | None
    published: str | None
    flags: list[str]
    sentence: str | None = Field(description="Null where the role may not read the document.")


class IncidentDetail(Answer):
    """The incident record (DESIGN.md), whole, with its reports, links and Rome Statute hint."""

    model_config = ConfigDict(extra="allow")  # the record's own fields, as they are

    id: str
    reports: list[Report]
    links: list[Record]
    rome_statute_hint: str | None


class Outcome(Answer):
    incident_id: str
    action: str
    entry_seq: int = Field(description="The custody log entry recording the action.")
    result: str | None = Field(description="Merge or split: the incident holding the events now.")
    took_effect: bool | None
    message: str
    outcome_seq: int | None


class ReviewDone(Answer):
    done: list[Outcome]


class BulkDone(Answer):
    count: int
    done: list[Outcome]


class Queue(Answer):
    assigned: list[Record] = Field(description="Incidents assigned to the account.")
    stale: list[Record] = Field(description="Incidents left in review too long.")


class Document(Answer):
    id: str
    title: str | None
    url: str | None
    publisher: str | None
    author: str | None
    published: str | None
    language: str | None
    near_duplicate_group: str | None
    artifact_sha256: str
    media_type: str | None
    text_sha256: str | None
    flags: list[str]
    text: str | None = Field(description="Null where the role may not read the document.")
    analysis: Record | None = Field(description="The latest extraction run's analysis.")
    incidents: list[str]


class Events(Answer):
    items: list[Record] = Field(description="Event records (DESIGN.md) as the role sees them.")


class SearchHit(Answer):
    kind: str = Field(description="document or incident")
    id: str
    title: str
    snippet: list[tuple[str, bool]] = Field(description="[text, matched] pairs.")


class SearchResults(Answer):
    total: int
    items: list[SearchHit]


class CustodyEntry(Answer):
    seq: int
    time: str
    actor: str
    action: str
    object_id: str
    object_hash: str | None
    detail: Record
    prev_hash: str
    entry_hash: str


class Custody(Answer):
    items: list[CustodyEntry]


class GeoJSONExport(Answer):
    """The GeoJSON export: an RFC 7946 FeatureCollection, one Feature per incident."""

    type: Literal["FeatureCollection"]
    features: list[Record] = Field(
        description='{"type": "Feature", "id", "geometry": a Point or null, '
        '"properties": the incident record}'
    )


def _text(description: str, **schema: str) -> dict[str, Any]:
    return {"schema": {"type": "string", "description": description, **schema}}


# The export routes send files, not one JSON document: their 200 answers, by media type.
EXPORT = {
    "description": "The incidents as a download (format=csv, geojson or jsonl)",
    "content": {
        "text/csv": _text("ACLED's column layout, one row per incident"),
        "application/geo+json": {"schema": GeoJSONExport.model_json_schema()},
        "application/jsonl": _text("One incident record (DESIGN.md) per line"),
    },
}
REPORT = {
    "description": "The incident dossier as one HTML page",
    "content": {"text/html": _text("HTML")},
}
STYLESHEET = {"description": "The report's stylesheet", "content": {"text/css": _text("CSS")}}
BUNDLE = {
    "description": "The signed evidence bundle (docs/exports.md)",
    "content": {"application/zip": _text("A zip file", format="binary")},
}
