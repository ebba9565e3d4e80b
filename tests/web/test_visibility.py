"""What a role may not see, it sees nowhere: every route x every role over marker words.

A store of four reports, each with its own marker words (title, text, the
person it names, a phone number, the source path, review notes and reasons):
one ordinary, one ingested restricted, one flagged personal information, and
one forming an incident a reviewer flags restricted. The routes are read from
the app itself, so a new route is covered (or fails for want of a parameter)
without anyone adding it here.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from databases import BuiltHomes, copy_home
from dossier.config import Settings
from dossier.review.roles import ROLES, at_least
from dossier.store import tables
from dossier.store.database import Store
from dossier.web import create_app
from dossier.web.settings import WebSettings

from .builder import add_accounts, incidents_from_events
from .conftest import csrf_of, login
from .test_security import _body, _flat

DATA = Path(__file__).resolve().parents[1] / "data" / "web" / "visibility"
NOWHERE = "zzqnowhereword"  # a word no document holds
# marker -> the least role that may see it (viewer markers are the positive control)
STATIC_MARKERS = {
    "Ordwyn": "viewer",
    "611 2201": "viewer",
    "pathkorvel": "reviewer",
    "noteordwyn": "reviewer",
    "Hidrask": "reviewer",
    "722 3302": "reviewer",
    "pathhidrask": "reviewer",
    "Pimbrel": "reviewer",
    "833 4403": "reviewer",
    "pathpimbrel": "reviewer",
    "reasonpimflag": "reviewer",
    "Resvanto": "reviewer",
    "944 5504": "reviewer",
    "pathresvanto": "reviewer",
    "noteresvanto": "reviewer",
    "reasonresflag": "reviewer",
    "reasonordflag": "reviewer",
}
WHO = [None, *ROLES]


@pytest.fixture(scope="module")
def marked_homes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltHomes]:
    """The four-report store, reviewed and flagged, with the ids the test needs (per backend)."""
    for key in list(os.environ):
        if key.startswith("DOSSIER_") and key != "DOSSIER_GAZETTEER":
            del os.environ[key]
    homes = BuiltHomes(tmp_path_factory.mktemp("vis"), _mark)
    yield homes
    homes.close()


@pytest.fixture
def marked_built(marked_homes: BuiltHomes, database_url: str) -> tuple[Path, str | None, Any]:
    return marked_homes.get(database_url)


@pytest.fixture
def marked_home(marked_built: tuple[Path, str | None, Any]) -> tuple[Path, dict[str, Any]]:
    return marked_built[0], marked_built[2]


def _mark(store: Store) -> dict[str, Any]:
    from dossier.extract.runner import run_extraction
    from dossier.ingest.runner import IngestOptions, ingest_paths
    from dossier.review import actions
    from dossier.review.accounts import Account
    from dossier.store.incidents import replace_incidents

    ingest = [
        ("ordinary-pathkorvel.txt", IngestOptions(publisher="Kyiv Wire", published="2022-03-04")),
        (
            "restricted-pathhidrask.txt",
            IngestOptions(publisher="Hidrask Legal Aid", published="2022-03-05", restricted=True),
        ),
        (
            "personal-pathpimbrel.txt",
            IngestOptions(publisher="Volunteer Line", published="2022-03-06"),
        ),
        (
            "incident-pathresvanto.txt",
            IngestOptions(publisher="Resvanto Monitor", published="2022-03-07"),
        ),
    ]
    for name, options in ingest:
        ingest_paths(store, [str(DATA / name)], options)
    run_extraction(store)
    incidents, members = incidents_from_events(store)
    replace_incidents(store, incidents, members, actor="tester")
    tokens = add_accounts(store)
    d = tables.documents
    with store.engine.connect() as conn:
        docs = {row.title.split()[0]: row.id for row in conn.execute(select(d.c.id, d.c.title))}
    by_doc: dict[str, set[str]] = {}
    for iid, _, _, doc in members:
        by_doc.setdefault(doc, set()).add(iid)
    reviewer, analyst = Account("reviewer", "reviewer"), Account("analyst", "analyst")
    restricted_incidents = sorted(by_doc[docs["Resvanto"]])
    ordinary_incidents = sorted(by_doc[docs["Ordwyn"]])
    assert not set(restricted_incidents) & set(ordinary_incidents), "test data must not mix"
    actions.flag_document(
        store, reviewer, docs["Pimbrel"], ["personal_information"], "reasonpimflag"
    )
    actions.review(store, analyst, ordinary_incidents, "note", "noteordwyn", {"note": "noteordwyn"})
    actions.review(
        store, reviewer, ordinary_incidents, "flag", "reasonordflag", {"flag": "graphic_violence"}
    )
    actions.review(store, analyst, restricted_incidents, "note", "noteresvanto", {})
    actions.review(
        store, reviewer, restricted_incidents, "flag", "reasonresflag", {"flag": "restricted"}
    )
    ev = tables.events
    with store.engine.connect() as conn:
        events = {
            row.id: row.document_id for row in conn.execute(select(ev.c.id, ev.c.document_id))
        }
    return {
        "tokens": tokens,
        "docs": docs,
        "events": events,
        "incidents": sorted({i["id"] for i in incidents}),
        "restricted_incidents": restricted_incidents,
        "ordinary_incidents": ordinary_incidents,
    }


@pytest.fixture
def vis_app(marked_built: tuple[Path, str | None, Any], tmp_path: Path) -> FastAPI:
    home = copy_home(marked_built, tmp_path / "home")
    return create_app(Settings(home=home), WebSettings(secret_key="test-secret", login_attempts=99))


def markers(facts: dict[str, Any]) -> dict[str, str]:
    """Every marker and the least role that may see it, ids of hidden things included."""
    out = dict(STATIC_MARKERS)
    hidden_docs = {facts["docs"]["Hidrask"], facts["docs"]["Resvanto"]}
    for doc in hidden_docs:
        out[doc] = "reviewer"
        out[doc.split(":", 1)[1]] = "reviewer"  # the artifact's hash too
    for event, doc in facts["events"].items():
        if doc in hidden_docs:
            out[event] = "reviewer"
    for iid in facts["restricted_incidents"]:
        out[iid] = "reviewer"
    return out


def _params(path: str) -> list[str]:
    return re.findall(r"{([^}:]+)(?::[^}]*)?}", path)


def _urls(path: str, facts: dict[str, Any]) -> list[str]:
    """``path`` filled with every id of the store its parameters name, and one unknown id."""
    values = {
        "incident_id": [*facts["incidents"], "inc-000000000000"],
        "document_id": [*facts["docs"].values(), "sha256:" + "0" * 64],
        "event_id": [*facts["events"], "ev-unknown"],
    }
    names = _params(path)
    unknown = [n for n in names if n not in values]
    assert not unknown, f"{path}: no ids for {unknown}; teach test_visibility this parameter"
    if not names:
        return [path]
    (name,) = names  # every route has at most one id today; two would need a product here
    pattern = re.compile(r"{" + name + r"(?::[^}]*)?}")
    return [pattern.sub(value, path) for value in values[name]]


def _queries(method: str, path: str) -> list[dict[str, str]]:
    if method != "GET" or _params(path):
        return [{}]
    out: list[dict[str, str]] = [{}]
    out += [{"q": m} for m in STATIC_MARKERS]
    if path.endswith("/export"):
        out += [{"format": f} for f in ("csv", "geojson", "jsonl")]
    return out


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    out = []
    for route in _flat(app):
        if isinstance(route, APIRoute) or hasattr(route, "methods"):
            for method in sorted((getattr(route, "methods", None) or set()) - {"HEAD"}):
                out.append((method, route.path))
    # reads first, then writes; logging out ends the session, so it goes last
    return sorted(out, key=lambda r: (r[1] == "/logout", r[0] != "GET", r[1]))


class Client:
    """The pages' session client and the API's bearer client of one role."""

    def __init__(self, app: FastAPI, who: str | None, tokens: dict[str, str]) -> None:
        self.pages = TestClient(app)
        if who:
            login(self.pages, who)
        bearer = {"Authorization": f"Bearer {tokens[who]}"} if who else {}
        self.api = TestClient(app, headers=bearer)
        self.csrf = csrf_of(self.pages.get("/login").text)

    def request(self, method: str, url: str, path: str, **kwargs: Any) -> Any:
        client = self.api if path.startswith("/api/") else self.pages
        if method == "POST" and not path.startswith("/api/"):
            kwargs.setdefault("data", {})["csrf_token"] = self.csrf
        return client.request(method, url, follow_redirects=False, **kwargs)

    def close(self) -> None:
        self.pages.close()
        self.api.close()


def _responses(app: FastAPI, who: str | None, facts: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    client = Client(app, who, facts["tokens"])
    try:
        for method, path in _routes(app):
            ids = {
                "incident": facts["ordinary_incidents"][0],
                "document": facts["docs"]["Ordwyn"],
                "event": next(iter(facts["events"])),
            }
            for url in _urls(path, facts):
                for query in _queries(method, path):
                    kwargs = _body(method, path, ids)
                    r = client.request(method, url, path, params=query, **kwargs)
                    echoes = [url.rsplit("/", 2)[-1], *url.split("/"), *query.values()]
                    yield f"{method} {url} {query} -> {r.status_code}", _unechoed(r, echoes)
    finally:
        client.close()


def _unechoed(r: Any, echoes: list[str]) -> str:
    """Headers and body of ``r`` without what the request itself said (ids in a 404, ?next=)."""
    headers = "\n".join(f"{k}: {v}" for k, v in r.headers.items())
    text = headers + "\n" + r.content.decode("utf-8", "replace")
    for value in sorted((e for e in echoes if len(e) > 3), key=len, reverse=True):
        for form in (value, quote(value, safe=""), quote_plus(value), json.dumps(value)[1:-1]):
            text = text.replace(form, "")
    return text


@pytest.mark.parametrize("who", WHO)
def test_no_route_shows_a_marker_the_role_may_not_see(
    who: str | None, vis_app: FastAPI, marked_home: tuple[Path, dict[str, Any]]
) -> None:
    facts = marked_home[1]
    marks = markers(facts)
    leaks: list[str] = []
    seen: set[str] = set()
    n = 0
    for where, body in _responses(vis_app, who, facts):
        n += 1
        for marker, least in marks.items():
            if marker in body:
                seen.add(marker)
                if not at_least(who, least):
                    leaks.append(f"{marker!r} in {where}")
    assert n > 100, n
    assert not leaks, f"{len(leaks)} leak(s):\n" + "\n".join(leaks[:40])
    # the markers do reach the responses of those who may see them: the test can fail
    allowed = {m for m, least in marks.items() if at_least(who, least)}
    if who in ("reviewer", "admin"):
        assert allowed <= seen, f"markers never shown to {who}: {sorted(allowed - seen)}"
    elif who in ("viewer", "analyst"):
        assert {"Ordwyn", "611 2201"} <= seen


def _same(r: Any, other: Any, swap: tuple[str, str]) -> None:
    a, b = swap
    assert r.status_code == other.status_code
    assert r.content.decode().replace(a, b) == other.content.decode(), (
        r.text[:300],
        other.text[:300],
    )
    # an ETag is an opaque hash of the request (web.caching.etag_for): two queries always
    # differ in it, whatever the store holds; tests/web/test_caching.py checks what goes in
    skip = {"content-length", "date", "set-cookie", "etag"}
    ha = {k: v.replace(a, b) for k, v in r.headers.items() if k not in skip}
    hb = {k: v for k, v in other.headers.items() if k not in skip}
    assert ha == hb


@pytest.mark.parametrize("who", ["viewer", "analyst"])
def test_a_hidden_id_answers_exactly_as_an_unknown_one(
    who: str, vis_app: FastAPI, marked_home: tuple[Path, dict[str, Any]]
) -> None:
    facts = marked_home[1]
    client = Client(vis_app, who, facts["tokens"])
    hidden = {
        "incident_id": facts["restricted_incidents"][0],
        "document_id": facts["docs"]["Hidrask"],
        "event_id": next(e for e, d in facts["events"].items() if d == facts["docs"]["Hidrask"]),
    }
    unknown = {
        "incident_id": "inc-" + "0" * 12,
        "document_id": "sha256:" + "0" * 64,
        "event_id": "0" * len(hidden["event_id"]),
    }
    checked = 0
    for method, path in _routes(vis_app):
        names = _params(path)
        if not names:
            continue
        (name,) = names
        pattern = re.compile(r"{" + name + r"(?::[^}]*)?}")
        ids = {"incident": hidden["incident_id"], "document": hidden["document_id"], "event": ""}
        responses = []
        for value in (hidden[name], unknown[name]):
            body = json.loads(json.dumps(_body(method, path, ids)).replace(hidden[name], value))
            responses.append(client.request(method, pattern.sub(value, path), path, **body))
        if responses[1].status_code in (401, 403):
            continue  # the role may not use the route at all: refused before any lookup
        _same(responses[0], responses[1], (hidden[name], unknown[name]))
        checked += 1
    client.close()
    assert checked >= (7 if who == "viewer" else 9), checked


@pytest.mark.parametrize("who", ["viewer", "analyst"])
def test_searching_a_hidden_word_answers_as_searching_a_missing_one(
    who: str, vis_app: FastAPI, marked_home: tuple[Path, dict[str, Any]]
) -> None:
    facts = marked_home[1]
    client = Client(vis_app, who, facts["tokens"])
    hidden_words = [
        m for m, least in STATIC_MARKERS.items() if least == "reviewer" and " " not in m
    ]
    checked = 0
    for method, path in _routes(vis_app):
        if method != "GET" or _params(path):
            continue
        for word in hidden_words:
            for extra in ({}, {"format": "jsonl"}) if path.endswith("/export") else ({},):
                a = client.request(method, path, path, params={"q": word, **extra})
                b = client.request(method, path, path, params={"q": NOWHERE, **extra})
                if b.status_code in (401, 403):
                    continue
                _same(a, b, (word, NOWHERE))
                checked += 1
    client.close()
    assert checked >= 50, checked
    # and the reviewer's search does find them: the words are there to be found
    reviewer = Client(vis_app, "reviewer", facts["tokens"])
    for word in ("Resvanto", "Hidrask", "Pimbrel"):
        assert reviewer.api.get("/api/v1/search", params={"q": word}).json()["total"] >= 1, word
    reviewer.close()


def test_cli_export_leaves_out_what_a_viewer_may_not_see(
    marked_home: tuple[Path, dict[str, Any]],
    marked_built: tuple[Path, str | None, Any],
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from dossier.cli import main

    home = copy_home(marked_built, tmp_path / "home")
    marks = markers(marked_home[1])
    runner = CliRunner()
    for fmt in ("csv", "geojson", "jsonl"):
        shared = runner.invoke(main, ["--home", str(home), "export", "--format", fmt])
        full = runner.invoke(
            main, ["--home", str(home), "export", "--format", fmt, "--include-restricted"]
        )
        assert shared.exit_code == full.exit_code == 0, (shared.output, full.output)
        leaked = [m for m, least in marks.items() if least != "viewer" and m in shared.stdout]
        assert not leaked, (fmt, leaked)
        assert "exported 1 incident(s)" in shared.stderr
        assert "exported 2 incident(s)" in full.stderr
        if fmt != "csv":  # the CSV's columns carry no publisher
            assert "Resvanto" in full.stdout, fmt
        # a place is no secret: the ordinary report's place stays named
        assert "Hostomel" in shared.stdout, fmt


def test_personal_document_shows_metadata_only_and_its_figures_are_redacted(
    vis_app: FastAPI, marked_home: tuple[Path, dict[str, Any]]
) -> None:
    facts = marked_home[1]
    pim = facts["docs"]["Pimbrel"]
    tokens = facts["tokens"]
    get = {
        who: TestClient(vis_app, headers={"Authorization": f"Bearer {tokens[who]}"}).get
        for who in ("viewer", "analyst", "reviewer")
    }
    for who in ("viewer", "analyst"):
        doc = get[who](f"/api/v1/documents/{pim}").json()
        assert doc["publisher"] == "Volunteer Line" and doc["published"] == "2022-03-06"
        assert doc["title"] == "[REDACTED]" and doc["text"] is None and doc["analysis"] is None
        assert "personal_information" in doc["flags"]
    assert "Pimbrel" in get["reviewer"](f"/api/v1/documents/{pim}").json()["text"]
    (iid,) = facts["ordinary_incidents"]
    full = get["reviewer"](f"/api/v1/incidents/{iid}").json()
    seen = get["viewer"](f"/api/v1/incidents/{iid}").json()
    # the restricted report is gone, the personal one kept without its numbers or words
    assert full["independent_sources"] == 3 and seen["independent_sources"] == 2
    assert {s["document"] for s in seen["sources"]} == {facts["docs"]["Ordwyn"], pim}
    figures = {f["document"]: f for f in seen["harm_figures"]}
    assert figures[pim]["min"] is None and figures[pim]["text"] == "[REDACTED]"
    assert figures[facts["docs"]["Ordwyn"]]["min"] == 3
    assert [h["min"] for h in seen["harm"] if h["kind"] == "killed"] == [3]
    assert max(h["min"] for h in full["harm"] if h["kind"] == "killed") == 5


def test_analyst_may_not_lift_the_personal_information_flag(
    vis_app: FastAPI, marked_home: tuple[Path, dict[str, Any]]
) -> None:
    facts = marked_home[1]
    pim = facts["docs"]["Pimbrel"]
    for who, status in (("analyst", 403), ("reviewer", 303)):
        client = Client(vis_app, who, facts["tokens"])
        r = client.request(
            "POST", f"/documents/{pim}/flags", "/documents/x/flags", data={"reason": "lift"}
        )
        assert r.status_code == status, (who, r.text[:200])
        client.close()


def test_an_incident_flagged_personal_makes_its_documents_personal(
    vis_app: FastAPI, marked_home: tuple[Path, dict[str, Any]]
) -> None:
    facts = marked_home[1]
    tokens = facts["tokens"]
    api = {
        who: TestClient(vis_app, headers={"Authorization": f"Bearer {tokens[who]}"})
        for who in ("viewer", "analyst", "reviewer")
    }
    (iid,) = facts["ordinary_incidents"]
    ordinary = facts["docs"]["Ordwyn"]
    assert api["viewer"].get("/api/v1/search", params={"q": "Ordwyn"}).json()["total"] >= 1
    r = api["analyst"].post(
        f"/api/v1/incidents/{iid}/review",
        json={
            "action": "flag",
            "reason": "names a resident",
            "params": {"flag": "personal_information"},
        },
    )
    assert r.status_code == 200, r.text
    for who in ("viewer", "analyst"):
        doc = api[who].get(f"/api/v1/documents/{ordinary}").json()
        assert doc["text"] is None and doc["title"] == "[REDACTED]", who
        assert api[who].get("/api/v1/search", params={"q": "Ordwyn"}).json()["total"] == 0, who
    assert "Ordwyn" in api["reviewer"].get(f"/api/v1/documents/{ordinary}").json()["text"]
    # only a reviewer may lift it again: an analyst could otherwise read what it hides
    lift = {
        "action": "flag",
        "reason": "lift",
        "params": {"flag": "personal_information", "on": False},
    }
    assert api["analyst"].post(f"/api/v1/incidents/{iid}/review", json=lift).status_code == 403
    bulk = {**lift, "ids": [iid]}
    assert api["analyst"].post("/api/v1/incidents/review", json=bulk).status_code == 403
    assert api["analyst"].get(f"/api/v1/documents/{ordinary}").json()["text"] is None
    assert api["reviewer"].post(f"/api/v1/incidents/{iid}/review", json=lift).status_code == 200
    assert "Ordwyn" in api["analyst"].get(f"/api/v1/documents/{ordinary}").json()["text"]


def test_secrets_are_replaced_as_whole_words_only() -> None:
    from dossier.review.visibility import MARK, _scrub

    record = {
        "id": "Marta Pimbrel",  # ids and codes are never rewritten
        "grade_reason": "she said; shelling witnessed by Marta Pimbrel (+380 67 833 4403)",
        "asserted_by": [{"text": "Pimbrel"}],
    }
    out = _scrub(record, ["she", "Pimbrel", "Marta Pimbrel", "+380 67 833 4403"])
    assert out["grade_reason"] == f"{MARK} said; shelling witnessed by {MARK} ({MARK})"
    assert out["asserted_by"] == [{"text": MARK}] and out["id"] == "Marta Pimbrel"


def test_filters_on_figures_judge_an_incident_as_the_role_sees_it(
    vis_app: FastAPI, marked_home: tuple[Path, dict[str, Any]]
) -> None:
    """min_sources=3 must not reveal that the viewer's two-source incident has a hidden third."""
    facts = marked_home[1]
    tokens = facts["tokens"]
    (iid,) = facts["ordinary_incidents"]

    def found(who: str, path: str, n: int) -> Any:
        client = TestClient(vis_app, headers={"Authorization": f"Bearer {tokens[who]}"})
        return client.get(path, params={"min_sources": str(n), "format": "jsonl"})

    assert found("reviewer", "/api/v1/incidents", 3).json()["total"] == 1
    for who in ("viewer", "analyst"):
        assert found(who, "/api/v1/incidents", 3).json()["total"] == 0, who
        assert found(who, "/api/v1/map", 3).json()["points"] == [], who
        assert iid not in found(who, "/api/v1/export", 3).text, who
        two = found(who, "/api/v1/incidents", 2).json()
        assert two["total"] == 1 and two["items"][0]["id"] == iid, who
        assert iid in found(who, "/api/v1/export", 2).text, who


def test_cli_report_as_a_role_holds_what_that_role_may_see(
    marked_home: tuple[Path, dict[str, Any]],
    marked_built: tuple[Path, str | None, Any],
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from dossier.cli import main

    home = copy_home(marked_built, tmp_path / "home")
    facts = marked_home[1]
    marks = markers(facts)
    runner = CliRunner()
    (ordinary,) = facts["ordinary_incidents"]
    restricted = facts["restricted_incidents"][0]
    base = ["--home", str(home), "report"]
    shared = tmp_path / "viewer.html"
    r = runner.invoke(main, [*base, ordinary, "-o", str(shared), "--as-role", "viewer"])
    assert r.exit_code == 0, r.output
    html = shared.read_text()
    leaked = [m for m, least in marks.items() if least != "viewer" and m in html]
    assert not leaked, leaked
    assert "Ordwyn" in html or "Kyiv Wire" in html
    r = runner.invoke(
        main, [*base, restricted, "-o", str(tmp_path / "x.html"), "--as-role", "analyst"]
    )
    assert r.exit_code == 2 and f"no incident {restricted!r}" in r.stderr
    # the local owner's report (no role given) is the full one, restricted documents redacted
    owner = tmp_path / "owner.html"
    assert runner.invoke(main, [*base, ordinary, "-o", str(owner)]).exit_code == 0
    assert "Pimbrel" in owner.read_text()


def test_charts_and_the_region_table_count_no_hidden_incident(
    vis_app: FastAPI, marked_home: tuple[Path, dict[str, Any]]
) -> None:
    """No bar, total or cell of /charts or its CSV moves for an incident the role may not see."""
    facts = marked_home[1]

    def figures(who: str) -> tuple[int, int, float, int]:
        client = Client(vis_app, who, facts["tokens"])
        try:
            page = client.pages.get("/charts", params={"unit": "month"}).text
            listed = client.api.get("/api/v1/incidents", params={"limit": 1}).json()["total"]
            r = client.pages.get("/charts/regions.csv")
            assert r.status_code == 200, r.text
            rows = list(csv.DictReader(io.StringIO(r.content.decode())))
        finally:
            client.close()
        shown = int(re.search(r'class="count">(\d+) incidents', page).group(1))  # type: ignore[union-attr]
        bars = sum(int(n) for n in re.findall(r"<title>[^<:]+: (\d+) incidents", page))
        assert shown == listed == sum(int(row["events"]) for row in rows), who
        return shown, bars, sum(float(row["fatalities"]) for row in rows), len(rows)

    hidden = len(facts["restricted_incidents"])
    full = figures("reviewer")
    for who in ("viewer", "analyst"):
        seen = figures(who)
        assert seen[0] == full[0] - hidden, (who, seen, full)
        assert seen[1] < full[1], (who, seen, full)


def test_an_edited_incident_with_hidden_reports_shows_no_machine_values_below_reviewer() -> None:
    # the machine's range (3-40) was worked out with a hidden report's 40: a reviewer's edit
    # of the harm must not carry it to a viewer under "machine"
    from dossier.records import (
        Harm,
        HarmFigure,
        Incident,
        IncidentSource,
        ReviewedIncident,
        TimeRange,
    )
    from dossier.review.visibility import Sensitivity, View, _Secrets

    def incident(harm: tuple[Harm, ...]) -> Incident:
        return Incident(
            id="inc:1", type="killing", types=("killing",), place=None,
            time=TimeRange(None, None, "day"), perpetrator=None, harm=harm,
            harm_figures=(
                HarmFigure("killed", "civilians", 3, None, "3 civilians", "doc:shown", "o1"),
                HarmFigure("killed", "civilians", 40, None, "40 civilians", "doc:hidden", "o2"),
            ),
            sources=(
                IncidentSource("doc:shown", "P1", None, None, "o1", "doc:shown#e1"),
                IncidentSource("doc:hidden", "P2", None, None, "o2", "doc:hidden#e2"),
            ),
            independent_sources=2, contested=False, denied_by=(), asserted_by=(),
            grade="corroborated", grade_reason="r",
        )  # fmt: skip

    reviewed = ReviewedIncident(
        incident=incident((Harm("killed", "civilians", 5, 5, "five"),)),
        machine=incident((Harm("killed", "civilians", 3, 40, ""),)),
        edited=("harm",),
    )
    view = View.__new__(View)
    view.store, view.role, view.full, view._secrets = None, "viewer", False, {}  # type: ignore[assignment]
    view.s = Sensitivity(
        hidden_documents=frozenset({"doc:hidden"}), tainted_incidents=frozenset({"inc:1"})
    )
    view.secrets = lambda _id: _Secrets()  # type: ignore[method-assign]
    view._from_kept_events = lambda shown, _record: shown  # type: ignore[method-assign]
    shown = view.incident(reviewed).to_json()
    assert "machine" not in shown and "40" not in json.dumps(shown)
    assert reviewed.to_json()["machine"]["harm"][0]["max"] == 40  # the full role keeps it
