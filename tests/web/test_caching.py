"""HTTP caching of the data routes: conditional requests, and a per-role shared cache.

What a role may not see must not reach it through a cache either: the shared
cache is keyed by role and store state, an ETag by account, credentials and
state, so a restriction (a custody entry) ends every cached answer.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from dossier.review import actions
from dossier.review.accounts import get_account
from dossier.review.incidents import list_incidents
from dossier.store.database import Store

DATA = ["/api/v1/incidents", "/api/v1/map", "/api/v1/timeline"]


def test_an_unchanged_answer_is_a_304_until_the_store_changes(
    api: Callable[[str | None], TestClient], store: Store
) -> None:
    web = api("viewer")
    for path in DATA:
        first = web.get(path)
        assert first.status_code == 200
        tag = first.headers["etag"]
        assert first.headers["cache-control"] == "private, no-cache"
        again = web.get(path, headers={"If-None-Match": tag})
        assert again.status_code == 304 and again.content == b""
        assert web.get(path, headers={"If-None-Match": 'W/"other"'}).status_code == 200
    incident = list_incidents(store)[0][0]["id"]
    reviewer = get_account(store, "reviewer")
    assert reviewer is not None
    actions.review(store, reviewer, [incident], "note", "a note moves the custody head", {})
    after = web.get(DATA[0], headers={"If-None-Match": tag})
    assert after.status_code == 200 and after.headers["etag"] != tag


def test_an_etag_is_good_only_for_the_credentials_it_was_given_to(
    api: Callable[[str | None], TestClient],
) -> None:
    tag = api("viewer").get(DATA[0]).headers["etag"]
    for other in ("analyst", "reviewer"):
        r = api(other).get(DATA[0], headers={"If-None-Match": tag})
        assert r.status_code == 200 and r.headers["etag"] != tag
    assert api(None).get(DATA[0], headers={"If-None-Match": tag}).status_code == 401


def test_pages_are_never_stored(as_role: Callable[[str | None], TestClient]) -> None:
    page = as_role("viewer").get("/incidents")
    assert page.status_code == 200
    assert page.headers["cache-control"] == "no-store" and "etag" not in page.headers


def test_the_shared_cache_keeps_each_role_to_what_it_may_see(
    app: FastAPI, api: Callable[[str | None], TestClient], store: Store
) -> None:
    target = list_incidents(store)[0][0]["id"]
    urls = ["/api/v1/incidents?limit=1000", "/api/v1/map", f"/api/v1/incidents/{target}"]
    # cached for the viewer while the incident is open to it
    for url in urls:
        assert target in api("viewer").get(url).text
    reviewer = get_account(store, "reviewer")
    assert reviewer is not None
    actions.review(store, reviewer, [target], "flag", "restrict it", {"flag": "restricted"})
    for url in urls:
        # the reviewer asks first, so its answer (which holds the incident) is in the cache
        assert target in api("reviewer").get(url).text
        for who in ("viewer", "analyst"):
            r = api(who).get(url)
            if url.endswith(target):  # answered as an unknown id (the message names the id asked)
                assert r.status_code == 404, (who, url)
            else:
                assert r.status_code == 200 and target not in r.text, (who, url)
    # while nothing changes, the same role gets the same cached bytes
    first = api("viewer").get("/api/v1/map")
    assert api("viewer").get("/api/v1/map").content == first.content
    assert app.state.shared_responses.size > 0
