"""Login limits a client cannot dodge: X-Forwarded-For only from trusted proxies, no lock-outs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from dossier.config import Settings
from dossier.errors import ConfigError
from dossier.store.database import Store
from dossier.web import create_app
from dossier.web.security import LoginLimiter
from dossier.web.settings import WebSettings

from .builder import PASSWORD
from .conftest import csrf_of, serving


def _client(app: FastAPI, address: str = "203.0.113.7") -> TestClient:
    return TestClient(app, client=(address, 40000))


def _try(client: TestClient, name: str, password: str, xff: str | None = None) -> int:
    token = csrf_of(client.get("/login").text)
    headers = {"X-Forwarded-For": xff} if xff else {}
    r = client.post(
        "/login",
        data={"name": name, "password": password, "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    )
    return r.status_code


@pytest.fixture
def proxied(web_home: Path) -> FastAPI:
    """The app behind one trusted reverse proxy at 10.0.0.2."""
    web = WebSettings(secret_key="test-secret", login_attempts=5, trusted_proxies="10.0.0.2/32")
    return create_app(Settings(home=web_home), web)


def test_rotating_x_forwarded_for_from_an_untrusted_client_gains_nothing(app: FastAPI) -> None:
    client = _client(app)
    codes = [_try(client, "admin", f"guess {i}", xff=f"198.51.100.{i}") for i in range(7)]
    assert codes == [401] * 5 + [429] * 2


def test_x_forwarded_for_from_a_trusted_proxy_names_the_client(proxied: FastAPI) -> None:
    proxy = _client(proxied, "10.0.0.2")
    # one attacker behind the proxy, who also writes spoofed addresses to the left
    codes = [_try(proxy, "admin", f"guess {i}", xff=f"192.0.2.{i}, 198.51.100.9") for i in range(6)]
    assert codes == [401] * 5 + [429]
    # another person behind the same proxy is not locked out
    assert _try(proxy, "admin", PASSWORD, xff="198.51.100.10") == 303


def test_a_flood_of_random_names_locks_only_the_flooding_address(app: FastAPI) -> None:
    attacker = _client(app, "203.0.113.66")
    codes = [_try(attacker, f"user{i}", "wrong password") for i in range(21)]
    assert codes == [401] * 20 + [429]
    assert _try(attacker, "admin", PASSWORD) == 429  # that address waits, whatever the name
    assert _try(_client(app, "198.51.100.20"), "admin", PASSWORD) == 303


def test_failures_against_one_account_do_not_lock_it_from_another_address(app: FastAPI) -> None:
    attacker = _client(app, "203.0.113.66")
    assert [_try(attacker, "admin", f"guess {i}") for i in range(6)][-1] == 429
    assert _try(_client(app, "198.51.100.21"), "admin", PASSWORD) == 303


def test_locked_login_says_how_long_to_wait(app: FastAPI) -> None:
    client = _client(app)
    for i in range(5):
        _try(client, "admin", f"guess {i}")
    token = csrf_of(client.get("/login").text)
    r = client.post("/login", data={"name": "admin", "password": "x", "csrf_token": token})
    assert r.status_code == 429 and r.headers["Retry-After"] == "30"
    assert "wait 30 seconds" in r.text


def test_waits_double_with_each_failure_past_the_free_ones_and_then_expire(store: Store) -> None:
    limiter = LoginLimiter(store, attempts=3, window=900.0, base=30.0)
    for t in range(3):
        assert limiter.wait("a", "ana", now=float(t)) == 0
        limiter.fail("a", "ana", now=float(t))
    assert limiter.wait("a", "ana", now=2.0) == 30.0
    assert limiter.wait("a", "ana", now=32.0) == 0  # the wait is over: one more try
    limiter.fail("a", "ana", now=32.0)
    assert limiter.wait("a", "ana", now=32.0) == 60.0
    limiter.fail("a", "ana", now=92.0)
    assert limiter.wait("a", "ana", now=92.0) == 120.0
    assert limiter.wait("b", "ana", now=92.0) == 0  # another address: its own count
    assert limiter.wait("a", "ana", now=92.0 + 901.0) == 0  # the window forgets
    limiter.clear("a", "ana")
    assert limiter.wait("a", "ana", now=93.0) == 0


def test_bad_trusted_proxies_setting_is_a_clear_error(web_home: Path) -> None:
    web = WebSettings(secret_key="k", trusted_proxies="10.0.0.0/8, not-an-ip")
    with pytest.raises(ConfigError, match="DOSSIER_WEB_TRUSTED_PROXIES: 'not-an-ip'"):
        create_app(Settings(home=web_home), web)


def test_serve_itself_ignores_x_forwarded_for_from_a_local_client(app: FastAPI) -> None:
    """Over a real uvicorn configured as ``dossier serve`` runs it, from 127.0.0.1."""
    import httpx

    from dossier.cli.web import server_config

    with (
        serving(app, lambda port: server_config(app, "127.0.0.1", port)) as base,
        httpx.Client(base_url=base) as client,
    ):
        token = csrf_of(client.get("/login").text)
        codes = [
            client.post(
                "/login",
                data={"name": "admin", "password": f"guess {i}", "csrf_token": token},
                headers={"X-Forwarded-For": f"198.51.100.{i}"},
            ).status_code
            for i in range(7)
        ]
    assert codes == [401] * 5 + [429] * 2


def test_two_app_instances_on_one_store_share_the_login_limit(web_home: Path) -> None:
    # two workers of one server: each its own process state, one database
    web = WebSettings(login_attempts=5)
    one, two = (create_app(Settings(home=web_home), web) for _ in range(2))
    a, b = _client(one), _client(two)
    codes = [_try(a if i % 2 else b, "admin", f"guess {i}") for i in range(6)]
    assert codes == [401] * 5 + [429], "5 failures across both workers lock the 6th try"
    assert _try(a, "admin", PASSWORD) == 429 and _try(b, "admin", PASSWORD) == 429
    # a third worker started later sees the same count
    assert _try(_client(create_app(Settings(home=web_home), web)), "admin", PASSWORD) == 429
    assert _try(_client(two, "198.51.100.30"), "admin", PASSWORD) == 303


def test_a_successful_login_in_one_worker_clears_the_count_in_the_other(web_home: Path) -> None:
    web = WebSettings(login_attempts=5)
    one, two = (create_app(Settings(home=web_home), web) for _ in range(2))
    a, b = _client(one), _client(two)
    assert [_try(a, "admin", f"guess {i}") for i in range(4)] == [401] * 4
    assert _try(b, "admin", PASSWORD) == 303
    assert [_try(a, "admin", f"again {i}") for i in range(5)] == [401] * 5
    assert _try(b, "admin", "again") == 429
