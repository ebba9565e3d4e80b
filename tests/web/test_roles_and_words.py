"""Controls only for roles that may use them; error pages keep the navigation; words, not reprs."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient

from dossier.store.database import Store

from .conftest import csrf_of


def _first(client: TestClient, **params: str) -> str:
    return str(client.get("/api/v1/incidents", params=params).json()["items"][0]["id"])


def _options(html: str, form_class: str, name: str) -> list[str]:
    form = re.search(rf'<form[^>]*class="act {form_class}".*?</form>', html, re.S)
    assert form, form_class
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', form.group(0), re.S)
    assert select, name
    return re.findall(r"<option[^>]*>([^<]+)</option>", select.group(1))


def test_analyst_is_offered_no_verdict_and_no_restricted_flag(
    as_role: Callable[[str | None], TestClient],
) -> None:
    analyst, reviewer = as_role("analyst"), as_role("reviewer")
    iid = _first(analyst)
    mine, theirs = analyst.get(f"/incidents/{iid}").text, reviewer.get(f"/incidents/{iid}").text
    assert "restricted" not in _options(mine, "act-flag", "flag")
    assert "restricted" in _options(theirs, "act-flag", "flag")
    assert not {"confirmed", "rejected", "discounted"} & set(_options(mine, "act-status", "status"))
    assert "confirmed" in _options(theirs, "act-status", "status")
    assert "act-confirm" not in mine and "act-reject" not in mine and "act-confirm" in theirs
    bulk = analyst.get("/incidents").text
    flags = re.search(r'<select name="flag"[^>]*>(.*?)</select>', bulk, re.S)
    assert flags and "restricted" not in flags.group(1)
    # every status and flag still offered to the analyst is one the action accepts
    token = csrf_of(mine)
    for status in _options(mine, "act-status", "status"):
        r = analyst.post(
            f"/incidents/{iid}/review",
            data={"csrf_token": token, "action": "status", "status": status, "reason": "t"},
            follow_redirects=False,
        )
        assert r.status_code == 303, (status, r.status_code)


def test_error_pages_keep_navigation_and_logout(
    as_role: Callable[[str | None], TestClient],
) -> None:
    viewer = as_role("viewer")
    for url, status in (
        ("/queue", 403),
        ("/incidents/inc-000000000000", 404),
        ("/nowhere", 404),
        ("/incidents?page=0", 400),
    ):
        r = viewer.get(url)
        assert r.status_code == status, url
        assert '<a href="/map">Map</a>' in r.text and "Log out" in r.text, url
        assert 'name="csrf_token" value="' in r.text, url


def test_review_history_in_words(as_role: Callable[[str | None], TestClient], store: Store) -> None:
    reviewer = as_role("reviewer")
    iid = _first(reviewer)
    token = csrf_of(reviewer.get(f"/incidents/{iid}").text)
    for form in (
        {"action": "status", "status": "in_review"},
        {
            "action": "edit",
            "field": "place",
            "name": "Bucha",
            "lat": "50.54",
            "lon": "30.21",
            "country": "UA",
            "admin1": "Kyiv Oblast",
        },
        {"action": "assign", "to": "analyst"},
        {"action": "flag", "flag": "graphic_violence", "on": "1"},
    ):
        r = reviewer.post(
            f"/incidents/{iid}/review",
            data={**form, "csrf_token": token, "reason": "checked"},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
    page = reviewer.get(f"/incidents/{iid}").text
    history = re.search(r'<section id="review".*?</section>', page, re.S)
    assert history
    text = history.group(0)
    assert "set the status to in review (was unreviewed)" in text
    assert "changed the place to Bucha, Kyiv Oblast, UA (50.54, 30.21; point)" in text, text
    assert "assigned it to analyst" in text and "set the graphic violence flag" in text
    for repr_mark in ("old=", "None", "{&#39;", "{'", "=True"):
        assert repr_mark not in text, repr_mark
