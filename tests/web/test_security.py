"""Who may do what, and the defences: default deny, CSRF, cookies, login limits, CSP, escaping."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from dossier.review.roles import ROLES, at_least

from .builder import PASSWORD
from .conftest import csrf_of, login

# Every route of the app and the least role it needs. A new route without an
# entry here fails test_every_route_is_in_the_matrix: decide, then add it.
MATRIX: dict[tuple[str, str], str] = {
    ("GET", "/login"): "public",
    ("POST", "/login"): "public",
    ("POST", "/logout"): "public",
    ("GET", "/"): "viewer",
    ("GET", "/incidents"): "viewer",
    ("POST", "/incidents/bulk"): "analyst",
    ("GET", "/map"): "viewer",
    ("GET", "/timeline"): "viewer",
    ("GET", "/charts"): "viewer",
    ("GET", "/charts/regions.csv"): "viewer",
    ("GET", "/search"): "viewer",
    ("GET", "/queue"): "analyst",
    ("GET", "/users"): "admin",
    ("POST", "/users"): "admin",
    ("GET", "/incidents/{incident_id}"): "viewer",
    ("POST", "/incidents/{incident_id}/review"): "analyst",
    ("GET", "/documents/{document_id:path}/original"): "viewer",
    ("POST", "/documents/{document_id:path}/flags"): "analyst",
    ("GET", "/documents/{document_id:path}"): "viewer",
    ("GET", "/api/v1/me"): "viewer",
    ("GET", "/api/v1/incidents"): "viewer",
    ("GET", "/api/v1/map"): "viewer",
    ("GET", "/api/v1/timeline"): "viewer",
    ("GET", "/api/v1/incidents/{incident_id}"): "viewer",
    ("POST", "/api/v1/incidents/{incident_id}/review"): "analyst",
    ("POST", "/api/v1/incidents/review"): "analyst",
    ("GET", "/api/v1/queue"): "analyst",
    ("GET", "/api/v1/documents/{document_id:path}"): "viewer",
    ("GET", "/api/v1/events"): "viewer",
    ("GET", "/api/v1/events/{event_id}"): "viewer",
    ("GET", "/api/v1/search"): "viewer",
    ("GET", "/api/v1/custody"): "viewer",
    ("GET", "/api/v1/openapi.json"): "public",  # the schema only, no data
    # from dossier.web.routes.exports
    ("GET", "/api/v1/export"): "viewer",
    ("GET", "/api/v1/incidents/{incident_id}/report"): "viewer",
    ("GET", "/api/v1/report.css"): "viewer",
    ("POST", "/api/v1/incidents/{incident_id}/bundle"): "reviewer",
    ("POST", "/api/v1/bundle"): "reviewer",
}
STATIC = {"/static"}  # vendored scripts, styles and the basemap: public


def _flat(app: FastAPI) -> list[Any]:
    """Every route the app serves, routers included ones flattened (FastAPI's own walk)."""
    try:
        from fastapi.routing import iter_route_contexts
    except ImportError:  # older FastAPI kept included routes flat in app.routes
        return list(app.routes)
    return [ctx.original_route for ctx in iter_route_contexts(app.routes)]


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    out = []
    for route in _flat(app):
        if isinstance(route, Mount):
            assert route.path in STATIC, f"unexpected mount {route.path}"
            continue
        assert isinstance(route, (APIRoute, Route)), route
        for method in sorted((route.methods or set()) - {"HEAD"}):
            out.append((method, route.path))
    return out


def test_every_route_is_in_the_matrix(app: FastAPI) -> None:
    routes = _routes(app)
    missing = [r for r in routes if r not in MATRIX]
    assert not missing, f"routes without an authorization decision: {missing}"
    assert set(MATRIX) == set(routes), f"stale matrix entries: {set(MATRIX) - set(routes)}"
    for route in _flat(app):
        if isinstance(route, APIRoute):
            declared = (route.openapi_extra or {}).get("x-role")
            for method in route.methods:
                assert declared == MATRIX[(method, route.path)], (method, route.path)


def _fill(path: str, ids: dict[str, str]) -> str:
    return (
        path.replace("{incident_id}", ids["incident"])
        .replace("{document_id:path}", ids["document"])
        .replace("{event_id}", ids["event"])
    )


def _body(method: str, path: str, ids: dict[str, str]) -> dict[str, Any]:
    if path == "/users":
        return {"data": {"name": "viewer", "role": "viewer"}}
    if path.startswith("/api/v1/incidents") and method == "POST":
        body: dict[str, Any] = {"action": "note", "reason": "matrix", "params": {"note": "n"}}
        if path.endswith("/incidents/review"):
            body["ids"] = [ids["incident"]]
        return {"json": body}
    if path == "/incidents/bulk":
        return {"data": {"action": "note", "reason": "matrix", "ids": ids["incident"]}}
    if path.endswith("/review"):
        return {"data": {"action": "note", "reason": "matrix"}}
    if path.endswith("/flags"):
        return {"data": {"reason": "matrix"}}
    if path == "/login":
        return {"data": {"name": "nobody", "password": "wrong password"}}
    return {}


@pytest.fixture
def ids(api: Callable[[str | None], TestClient]) -> dict[str, str]:
    inc = api("viewer").get("/api/v1/incidents").json()["items"][0]
    return {
        "incident": inc["id"],
        "document": inc["sources"][0]["document"],
        "event": inc["events"][0],
    }


@pytest.mark.parametrize("who", [None, *ROLES])
def test_authorization_matrix(
    who: str | None, app: FastAPI, tokens: dict[str, str], ids: dict[str, str]
) -> None:
    pages = TestClient(app)
    if who:
        login(pages, who)
    bearer = {"Authorization": f"Bearer {tokens[who]}"} if who else {}
    # logging out ends the session the other page requests use, so it goes last
    for (method, path), needed in sorted(MATRIX.items(), key=lambda item: item[0][1] == "/logout"):
        url = _fill(path, ids)
        is_api = path.startswith("/api/")
        client = TestClient(app, headers=bearer) if is_api else pages
        kwargs = _body(method, path, ids)
        if method == "POST" and not is_api:
            kwargs.setdefault("data", {})["csrf_token"] = csrf_of(pages.get("/login").text)
        r = client.request(method, url, follow_redirects=False, **kwargs)
        allowed = needed == "public" or at_least(who, needed)
        if allowed:
            assert r.status_code not in (401, 403) or path == "/login", (
                who,
                method,
                path,
                r.status_code,
                r.text[:200],
            )
        elif who is None:
            expected = 401 if is_api else 303
            assert r.status_code == expected, (who, method, path, r.status_code)
            if not is_api:
                assert r.headers["location"].startswith("/login")
        else:
            assert r.status_code == 403, (who, method, path, r.status_code)


def test_route_without_a_declared_role_is_refused(app: FastAPI) -> None:
    from dossier.web.security import GuardedRoute

    app.router.routes.insert(0, GuardedRoute("/forgotten", lambda: {"secret": 1}, methods=["GET"]))
    client = login(TestClient(app), "admin")
    assert client.get("/forgotten").status_code == 403


def test_form_post_without_csrf_token_is_refused(
    as_role: Callable[[str | None], TestClient], ids: dict[str, str]
) -> None:
    client = as_role("reviewer")
    r = client.post(
        f"/incidents/{ids['incident']}/review",
        data={"action": "confirm", "reason": "x"},
        follow_redirects=False,
    )
    assert r.status_code == 403 and "CSRF" in r.text
    r = client.post(
        f"/incidents/{ids['incident']}/review",
        data={"action": "confirm", "reason": "x", "csrf_token": "0" * 64},
        follow_redirects=False,
    )
    assert r.status_code == 403


def test_api_post_with_session_cookie_needs_the_csrf_header(
    as_role: Callable[[str | None], TestClient], ids: dict[str, str]
) -> None:
    client = as_role("reviewer")
    url = f"/api/v1/incidents/{ids['incident']}/review"
    body = {"action": "confirm", "reason": "x"}
    assert client.post(url, json=body).status_code == 403
    token = csrf_of(client.get("/incidents").text)
    assert client.post(url, json=body, headers={"X-CSRF-Token": token}).status_code == 200


def test_session_cookie_is_httponly_lax_and_secure_over_https(app: FastAPI) -> None:
    plain = TestClient(app)
    token = csrf_of(plain.get("/login").text)
    r = plain.post(
        "/login",
        data={"name": "viewer", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    tls = TestClient(app, base_url="https://dossier.test")
    token = csrf_of(tls.get("/login").text)
    r = tls.post(
        "/login",
        data={"name": "viewer", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert "secure" in r.headers["set-cookie"].lower()


def test_failed_logins_are_rate_limited(app: FastAPI) -> None:
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    codes = [
        client.post(
            "/login", data={"name": "admin", "password": f"guess {i}", "csrf_token": token}
        ).status_code
        for i in range(6)
    ]
    assert codes == [401] * 5 + [429]
    # even the right password waits out the window
    r = client.post(
        "/login",
        data={"name": "admin", "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 429


def test_login_redirect_stays_on_this_site(app: FastAPI) -> None:
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    r = client.post(
        "/login",
        data={
            "name": "viewer",
            "password": PASSWORD,
            "csrf_token": token,
            "next": "//evil.example/x",
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == "/incidents"


def test_csp_forbids_inline_scripts(as_role: Callable[[str | None], TestClient]) -> None:
    csp = as_role("viewer").get("/incidents").headers["content-security-policy"]
    script = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'self'" in script and "unsafe-inline" not in script and "unsafe-eval" not in script


def test_hostile_document_text_is_escaped_in_every_page(
    as_role: Callable[[str | None], TestClient], api: Callable[[str | None], TestClient]
) -> None:
    client = as_role("reviewer")
    hits = api("viewer").get("/api/v1/search", params={"q": "onerror"}).json()["items"]
    doc_id = next(h["id"] for h in hits if h["kind"] == "document")
    incidents = api("viewer").get(f"/api/v1/documents/{doc_id}").json()["incidents"]
    pages = [
        f"/documents/{doc_id}",
        "/search?q=onerror",
        "/search?q=script",
        "/incidents?q=Evil",
        *[f"/incidents/{i}" for i in incidents],
    ]
    for page in pages:
        html = client.get(page).text
        assert "<img src=x onerror" not in html, page
        assert "<script>alert" not in html and "<script>window" not in html, page
        assert "<svg onload" not in html, page
        assert 'href="javascript:' not in html, page
    assert "&lt;img src=x onerror" in client.get(f"/documents/{doc_id}").text
