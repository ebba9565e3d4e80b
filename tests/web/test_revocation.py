"""Ending access: logout, password change, disabling and token revocation work at the next request.

The app and the ``dossier users`` commands share one data directory (the web
fixture's copy), so each test changes an account with the real CLI and then
replays the cookie or token captured before the change.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from dossier.store.database import Store

from .builder import PASSWORD
from .conftest import csrf_of, login

COOKIE = "dossier_session"


def _replay(app: FastAPI, cookie: str) -> TestClient:
    """A fresh client that carries only a captured session cookie."""
    client = TestClient(app)
    client.cookies.set(COOKIE, cookie)
    return client


def _logged_in(app: FastAPI, name: str) -> tuple[TestClient, str]:
    client = login(TestClient(app), name)
    cookie = client.cookies.get(COOKIE)
    assert cookie and client.get("/api/v1/me").json()["name"] == name
    return client, cookie


def _custody(store: Store, action: str) -> list[dict[str, object]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            text("SELECT actor, object_id, detail FROM custody WHERE action = :a"), {"a": action}
        ).all()
    return [{"actor": r[0], "object": r[1], "detail": json.loads(r[2])} for r in rows]


@pytest.fixture
def pw_file(tmp_path: Path) -> Path:
    path = tmp_path / "new-pw"
    path.write_text("a brand new passphrase\n")
    return path


def test_session_cookie_holds_only_a_random_id_stored_as_a_hash(app: FastAPI, store: Store) -> None:
    _, cookie = _logged_in(app, "analyst")
    assert "analyst" not in cookie and len(cookie) >= 32
    with store.engine.connect() as conn:
        stored = [r[0] for r in conn.exec_driver_sql("SELECT id_sha256 FROM web_sessions")]
    assert cookie not in stored and len(stored) == 1


def test_cookie_captured_before_logout_no_longer_works(app: FastAPI) -> None:
    client, cookie = _logged_in(app, "analyst")
    csrf = csrf_of(client.get("/incidents").text)
    r = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert r.status_code == 303
    stolen = _replay(app, cookie)
    assert stolen.get("/api/v1/me").status_code == 401
    page = stolen.get("/incidents", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_a_forged_or_unknown_session_id_is_anonymous(app: FastAPI) -> None:
    assert _replay(app, "A" * 43).get("/api/v1/me").status_code == 401
    assert _replay(app, "analyst").get("/api/v1/me").status_code == 401


def test_expired_session_is_refused(app: FastAPI, store: Store) -> None:
    _, cookie = _logged_in(app, "viewer")
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE web_sessions SET expires_at = '2000-01-01T00:00:00Z'")
    assert _replay(app, cookie).get("/api/v1/me").status_code == 401


def test_disable_ends_sessions_and_tokens_at_once_and_is_logged(
    app: FastAPI,
    store: Store,
    run_cli,
    tokens: dict[str, str],  # type: ignore[no-untyped-def]
) -> None:
    _, cookie = _logged_in(app, "analyst")
    bearer = TestClient(app, headers={"Authorization": f"Bearer {tokens['analyst']}"})
    assert bearer.get("/api/v1/me").status_code == 200
    result = run_cli("users", "disable", "analyst")
    assert (result.exit_code, result.stdout) == (
        0,
        "disabled analyst: ended 1 session(s), revoked 1 token(s)\n",
    )
    assert _replay(app, cookie).get("/api/v1/me").status_code == 401
    assert bearer.get("/api/v1/me").status_code == 401
    refused = TestClient(app)
    token = csrf_of(refused.get("/login").text)
    r = refused.post("/login", data={"name": "analyst", "password": PASSWORD, "csrf_token": token})
    assert r.status_code == 401
    assert _custody(store, "account.disabled") == [
        {
            "actor": "tester",
            "object": "account:analyst",
            "detail": {"sessions_ended": 1, "tokens_revoked": 1},
        }
    ]
    listing = run_cli("users", "list").stdout
    assert any("analyst" in line and "disabled" in line for line in listing.splitlines())
    with store.engine.connect() as conn:  # the command ends, like every other, on a signed root
        covered = conn.exec_driver_sql("SELECT max(size) FROM checkpoints").scalar_one()
    assert covered == store.count("custody")


def test_enable_lets_the_account_log_in_again_but_revives_no_token(
    app: FastAPI,
    store: Store,
    run_cli,
    tokens: dict[str, str],  # type: ignore[no-untyped-def]
) -> None:
    run_cli("users", "disable", "viewer")
    result = run_cli("users", "enable", "viewer")
    assert (result.exit_code, result.stdout) == (0, "enabled viewer\n")
    _logged_in(app, "viewer")
    old = TestClient(app, headers={"Authorization": f"Bearer {tokens['viewer']}"})
    assert old.get("/api/v1/me").status_code == 401
    assert [e["object"] for e in _custody(store, "account.enabled")] == ["account:viewer"]


def test_password_change_ends_sessions_and_the_new_password_works(
    app: FastAPI,
    store: Store,
    run_cli,
    pw_file: Path,  # type: ignore[no-untyped-def]
) -> None:
    _, first = _logged_in(app, "reviewer")
    _, second = _logged_in(app, "reviewer")
    _, other = _logged_in(app, "viewer")
    result = run_cli("users", "password", "reviewer", "--password-file", str(pw_file))
    assert (result.exit_code, result.stdout) == (
        0,
        "changed the password of reviewer: ended 2 session(s)\n",
    )
    assert _replay(app, first).get("/api/v1/me").status_code == 401
    assert _replay(app, second).get("/api/v1/me").status_code == 401
    assert _replay(app, other).get("/api/v1/me").status_code == 200  # other accounts untouched
    login(TestClient(app), "reviewer", "a brand new passphrase")
    client = TestClient(app)
    csrf = csrf_of(client.get("/login").text)
    old = client.post("/login", data={"name": "reviewer", "password": PASSWORD, "csrf_token": csrf})
    assert old.status_code == 401
    logged = _custody(store, "account.password")
    assert logged == [
        {"actor": "tester", "object": "account:reviewer", "detail": {"sessions_ended": 2}}
    ]
    assert "brand new" not in json.dumps(logged)


def test_password_change_refuses_a_short_password_and_unknown_account(
    run_cli,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    assert run_cli("init").exit_code == 0
    short = tmp_path / "short"
    short.write_text("abc")
    r = run_cli("users", "password", "viewer", "--password-file", str(short))
    assert r.exit_code == 2 and "too short" in r.stderr
    long_enough = tmp_path / "ok"
    long_enough.write_text("long enough password")
    r = run_cli("users", "password", "nobody", "--password-file", str(long_enough))
    assert r.exit_code == 2 and "no account 'nobody'" in r.stderr


def test_token_revoke_ends_every_token_of_the_account_only(
    app: FastAPI,
    store: Store,
    run_cli,
    tokens: dict[str, str],  # type: ignore[no-untyped-def]
) -> None:
    second = run_cli("users", "token", "admin").stdout.strip()
    result = run_cli("users", "token", "admin", "--revoke")
    assert (result.exit_code, result.stdout) == (0, "revoked 2 token(s) of admin\n")
    for token in (tokens["admin"], second):
        r = TestClient(app, headers={"Authorization": f"Bearer {token}"}).get("/api/v1/me")
        assert r.status_code == 401
    still = TestClient(app, headers={"Authorization": f"Bearer {tokens['viewer']}"})
    assert still.get("/api/v1/me").status_code == 200
    _logged_in(app, "admin")  # the password still works: only tokens were revoked
    assert _custody(store, "account.token_revoked") == [
        {"actor": "tester", "object": "account:admin", "detail": {"tokens": 2}}
    ]
    fresh = run_cli("users", "token", "admin").stdout.strip()
    r = TestClient(app, headers={"Authorization": f"Bearer {fresh}"}).get("/api/v1/me")
    assert r.status_code == 200


def test_revoke_for_unknown_account_fails(run_cli) -> None:  # type: ignore[no-untyped-def]
    assert run_cli("init").exit_code == 0
    r = run_cli("users", "token", "nobody", "--revoke")
    assert r.exit_code == 2 and "no account 'nobody'" in r.stderr


def test_admin_disables_from_the_users_page_and_the_session_ends(
    app: FastAPI, store: Store
) -> None:
    _, cookie = _logged_in(app, "analyst")
    admin, _ = _logged_in(app, "admin")
    page = admin.get("/users")
    assert "Disable (ends sessions and tokens)" in page.text
    csrf = csrf_of(page.text)
    r = admin.post(
        "/users",
        data={"csrf_token": csrf, "name": "analyst", "state": "disabled"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert _replay(app, cookie).get("/api/v1/me").status_code == 401
    assert [e["actor"] for e in _custody(store, "account.disabled")] == ["admin"]
    own = admin.post("/users", data={"csrf_token": csrf, "name": "admin", "state": "disabled"})
    assert own.status_code == 400 and "cannot disable your own account" in own.text
    assert admin.get("/api/v1/me").status_code == 200
    back = admin.post("/users", data={"csrf_token": csrf, "name": "analyst", "state": "active"})
    assert back.status_code == 200 and "analyst" in back.text  # redirected to the list
    _logged_in(app, "analyst")
