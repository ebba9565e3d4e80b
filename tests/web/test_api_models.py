"""Every JSON route of the API declares its answer, and its answers are what it declares."""

from __future__ import annotations

import json
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from dossier.web import responses

Api = Callable[[str | None], TestClient]


def test_every_api_route_has_a_response_schema(app: FastAPI) -> None:
    doc = app.openapi()
    models = {
        f"#/components/schemas/{name}"
        for name, cls in vars(responses).items()
        if isinstance(cls, type) and issubclass(cls, responses.Answer)
    }
    ops = [
        (f"{method.upper()} {path}", op)
        for path, item in doc["paths"].items()
        if path.startswith("/api/")
        for method, op in item.items()
    ]
    assert len(ops) >= 18  # 13 JSON routes, 5 downloads
    missing = []
    for name, op in ops:
        content = op["responses"]["200"].get("content") or {}
        if not content or not all(v.get("schema") for v in content.values()):
            missing.append(f"{name}: no 200 schema")
        # a JSON answer is a pydantic model of responses.py, by reference
        if (
            "application/json" in content
            and content["application/json"]["schema"].get("$ref") not in models
        ):
            missing.append(f"{name}: no response model")
        # refusals have the one error shape; FastAPI's 422 is never sent (invalid is 400)
        if "422" in op["responses"]:
            missing.append(f"{name}: documents a 422")
        for code in ("400", "401", "403", "404", "4XX"):
            schema = op["responses"][code]["content"]["application/json"]["schema"]
            if schema != {"$ref": "#/components/schemas/ErrorResponse"}:
                missing.append(f"{name}: {code} is not an ErrorResponse")
    assert not missing


def _check(model: type[BaseModel], r: object) -> None:
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    body = r.json()  # type: ignore[attr-defined]
    # validates, and dumps back to the very same JSON: the model loses and adds nothing
    assert model.model_validate(body).model_dump(mode="json") == body


def test_each_json_answer_is_what_its_model_declares(api: Api) -> None:
    admin = api("admin")
    page = admin.get("/api/v1/incidents", params={"limit": "500"})
    _check(responses.IncidentPage, page)
    incident = page.json()["items"][0]["id"]
    _check(responses.MapPoints, admin.get("/api/v1/map"))
    _check(responses.Timeline, admin.get("/api/v1/timeline"))
    _check(responses.Me, admin.get("/api/v1/me"))
    detail = admin.get(f"/api/v1/incidents/{incident}")
    _check(responses.IncidentDetail, detail)
    events = admin.get("/api/v1/events", params={"limit": "5"})
    _check(responses.Events, events)
    event = events.json()["items"][0]
    _check(responses.Events, admin.get(f"/api/v1/events/{event['id']}"))
    _check(responses.Document, admin.get(f"/api/v1/documents/{event['document']}"))
    _check(responses.SearchResults, admin.get("/api/v1/search", params={"q": "shelling"}))
    _check(responses.Custody, admin.get("/api/v1/custody", params={"limit": "50"}))
    _check(responses.Queue, admin.get("/api/v1/queue"))
    note = {"action": "note", "reason": "checked the sources", "params": {}}
    _check(responses.ReviewDone, admin.post(f"/api/v1/incidents/{incident}/review", json=note))
    bulk = {**note, "ids": [incident]}
    _check(responses.BulkDone, admin.post("/api/v1/incidents/review", json=bulk))


def test_an_incident_keeps_its_record_order_with_the_reports_last(api: Api) -> None:
    admin = api("admin")
    item = admin.get("/api/v1/incidents").json()["items"][0]
    detail = admin.get(f"/api/v1/incidents/{item['id']}").json()
    assert list(detail)[-3:] == ["reports", "links", "rome_statute_hint"]
    assert [k for k in detail if k in item] == [k for k in item if k in detail]


def test_refusals_are_error_responses(api: Api) -> None:
    viewer = api("viewer")
    for r in (
        viewer.get("/api/v1/incidents/no-such-incident"),
        viewer.get("/api/v1/incidents", params={"limit": "many"}),  # FastAPI's validation
        viewer.get("/api/v1/incidents", params={"near": "north"}),  # a filter
        viewer.post("/api/v1/incidents/review", json={"action": "note", "reason": "x"}),  # role
        api(None).get("/api/v1/me"),
    ):
        assert r.status_code in (400, 401, 403, 404)
        body = r.json()
        assert responses.ErrorResponse.model_validate(body).error.status == r.status_code
        assert responses.ErrorResponse.model_validate(body).model_dump(exclude_none=True) == body


def test_the_geojson_export_is_what_the_schema_says(api: Api) -> None:
    r = api("viewer").get("/api/v1/export", params={"format": "geojson"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/geo+json"
    collection = responses.GeoJSONExport.model_validate(json.loads(r.content))
    assert collection.features and all(f["type"] == "Feature" for f in collection.features)
