"""Every worker of a server shares the session secret and sessions (kept in the database)."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi.testclient import TestClient

from dossier.config import Settings
from dossier.store.database import Store
from dossier.web import create_app
from dossier.web.security import COOKIE, load_secret
from dossier.web.settings import WebSettings

from .conftest import csrf_of, login


def test_a_session_and_its_csrf_token_from_one_worker_hold_in_another(web_home: Path) -> None:
    web = WebSettings(login_attempts=5)  # no secret_key setting: the database's secret
    one, two = (create_app(Settings(home=web_home), web) for _ in range(2))
    first = login(TestClient(one), "analyst")
    page = first.get("/incidents")
    assert page.status_code == 200
    token = csrf_of(page.text)
    second = TestClient(two, cookies={COOKIE: first.cookies[COOKIE]})
    assert second.get("/api/v1/me").json()["name"] == "analyst"
    assert csrf_of(second.get("/incidents").text) == token, "workers sign CSRF tokens alike"
    r = second.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303, r.text
    assert first.get("/api/v1/me").status_code == 401, "logout in one worker ends it in all"


def test_concurrent_first_starts_store_one_secret(web_home: Path) -> None:
    stores = [Store.open(Settings(home=web_home), create=False) for _ in range(6)]
    got: list[str] = []
    barrier = threading.Barrier(len(stores))

    def start(store: Store) -> None:
        barrier.wait()
        got.append(load_secret(store, None))

    threads = [threading.Thread(target=start, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(got) == 6 and len(set(got)) == 1 and len(got[0]) >= 48
    assert not (web_home / "web-secret").exists(), "the secret is no longer a file"
    for s in stores:
        s.engine.dispose()


def test_the_key_file_of_an_older_version_becomes_the_shared_secret(web_home: Path) -> None:
    (web_home / "web-secret").write_text("an-older-installations-secret\n")
    store = Store.open(Settings(home=web_home), create=False)
    assert load_secret(store, None) == "an-older-installations-secret"
    (web_home / "web-secret").unlink()  # read once, then the database holds it
    assert load_secret(store, None) == "an-older-installations-secret"
    assert load_secret(store, "configured") == "configured", "the setting wins"
    store.engine.dispose()
