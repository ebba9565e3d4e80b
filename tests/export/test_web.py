"""The export routes of the web app: downloads that match the CLI, roles, restricted incidents."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from dossier.export import export_incidents
from dossier.store.incidents import IncidentFilter

from .conftest import Case

Client = Callable[[str | None], TestClient]


@pytest.fixture
def api(case: Case) -> Iterator[Client]:
    from dossier.review.accounts import add_account, issue_token
    from dossier.web import create_app
    from dossier.web.settings import WebSettings

    tokens = {}
    for role in ("viewer", "reviewer"):
        add_account(case.store, role, role, "a long test password", actor="tester")
        tokens[role] = issue_token(case.store, role, actor="tester")
    app = create_app(case.store.settings, WebSettings(secret_key="test-secret"))
    clients: list[TestClient] = []

    def make(role: str | None) -> TestClient:
        headers = {"Authorization": f"Bearer {tokens[role]}"} if role else {}
        client = TestClient(app, headers=headers)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


def cli_bytes(case: Case, fmt: str, f: IncidentFilter, sort: str = "-date") -> str:
    """The library's export as a viewer sees it (the download goes through the viewer's policy)."""
    from dossier.review.visibility import View

    stream = io.StringIO()
    export_incidents(case.store, f, fmt, stream, sort=sort, view=View(case.store, "viewer"))
    return stream.getvalue()


@pytest.mark.parametrize("fmt", ["csv", "geojson", "jsonl"])
def test_download_equals_the_library_export(api: Client, case: Case, fmt: str) -> None:
    r = api("viewer").get("/api/v1/export", params={"format": fmt, "type": "killing"})
    assert r.status_code == 200, r.text
    assert r.text == cli_bytes(case, fmt, IncidentFilter(type="killing"))
    assert r.headers["content-disposition"] == f'attachment; filename="dossier-incidents.{fmt}"'


def test_export_needs_an_account_and_a_known_format(api: Client) -> None:
    assert api(None).get("/api/v1/export").status_code == 401
    bad = api("viewer").get("/api/v1/export", params={"format": "xlsx"})
    assert bad.status_code == 400 and "csv, geojson, jsonl" in bad.json()["error"]["message"]
    assert api("viewer").get("/api/v1/export", params={"min_sources": "many"}).status_code == 400


def test_incident_flagged_restricted_is_left_out_for_viewers(api: Client, case: Case) -> None:
    from sqlalchemy import insert

    from dossier.store import tables

    with case.store.transaction() as conn:
        conn.execute(
            insert(tables.incident_reviews).values(
                incident_id="inc-irpin",
                status="in_review",
                flags='["restricted"]',
                edits="{}",
                updated_at="2026-01-01T00:00:00Z",
                updated_by="reviewer",
            )
        )
    viewer = api("viewer").get("/api/v1/export", params={"format": "jsonl"}).text
    reviewer = api("reviewer").get("/api/v1/export", params={"format": "jsonl"}).text
    assert '"inc-irpin"' not in viewer and '"inc-kramatorsk"' in viewer
    assert '"inc-irpin"' in reviewer
    assert api("viewer").get("/api/v1/incidents/inc-irpin/report").status_code == 404
    assert api("reviewer").get("/api/v1/incidents/inc-irpin/report").status_code == 200


def test_report_route_serves_the_redacted_dossier(api: Client) -> None:
    r = api("viewer").get("/api/v1/incidents/inc-irpin/report")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<h2>Evidence</h2>" in r.text and "Olena Kovalenko" not in r.text
    assert api("viewer").get("/api/v1/incidents/nope/report").status_code == 404
