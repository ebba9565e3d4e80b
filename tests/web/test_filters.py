"""The list's filters forgive what people type; what they cannot read is refused, the rest kept."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient


def _total(client: TestClient, **params: str) -> int:
    r = client.get("/api/v1/incidents", params={**params, "limit": "500"})
    assert r.status_code == 200, r.text
    return int(r.json()["total"])


@pytest.mark.parametrize("value", ["Ukraine", "ukraine", "UA", "ua", "UKR", " Ukraine "])
def test_country_by_name_or_code(api: Callable[[str | None], TestClient], value: str) -> None:
    client = api("viewer")
    everything = _total(client)
    assert everything > 0 and _total(client, country=value) == everything


def test_unknown_country_is_refused_by_name(api: Callable[[str | None], TestClient]) -> None:
    r = api("viewer").get("/api/v1/incidents", params={"country": "Narnia"})
    assert r.status_code == 400 and "no country is called 'Narnia'" in r.text


@pytest.mark.parametrize("value", ["kyiv", "KYIV", "Kyïv", "kyiv oblast"])
def test_region_ignores_case_and_accents(
    api: Callable[[str | None], TestClient], value: str
) -> None:
    client = api("viewer")
    items = client.get("/api/v1/incidents", params={"admin1": value}).json()["items"]
    assert items and all(i["place"]["admin1"] == "Kyiv Oblast" for i in items)
    assert len(items) < _total(client)


def test_grade_and_type_in_any_case(api: Callable[[str | None], TestClient]) -> None:
    client = api("viewer")
    assert _total(client, grade="Corroborated") == _total(client, grade="corroborated") > 0
    assert _total(client, type="Killing") == _total(client, type="killing") > 0
    assert _total(client, type="attack on civilians") == _total(client, type="attack_on_civilians")


def test_type_matches_secondary_types_and_the_list_shows_them(
    as_role: Callable[[str | None], TestClient],
) -> None:
    client = as_role("viewer")
    items = client.get("/api/v1/incidents", params={"type": "killing", "limit": "500"}).json()
    secondary = [i for i in items["items"] if i["type"] != "killing"]
    assert all("killing" in i["types"] for i in items["items"])
    page = client.get("/incidents", params={"type": "killing"}).text
    for incident in secondary:
        assert f"also {', '.join(t for t in incident['types'] if t != incident['type'])}" in page


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("April 2022", "2022-04"),
        ("2022-04", "2022-04"),
        ("2022-04-03", "2022-04-03"),
        ("3 April 2022", "2022-04-03"),
        ("April 3, 2022", "2022-04-03"),
        ("2022", "2022"),
    ],
)
def test_free_dates_read_as_the_iso_prefix(
    api: Callable[[str | None], TestClient], typed: str, read: str
) -> None:
    client = api("viewer")
    assert _total(client, since=typed) == _total(client, since=read)
    assert _total(client, until=typed) == _total(client, until=read)


def test_free_dates_filter_by_month(api: Callable[[str | None], TestClient]) -> None:
    client = api("viewer")
    assert _total(client, since="April 2022", until="April 2022") > 0
    assert _total(client, since="May 2022") < _total(client)


def test_perpetrator_side_by_name(api: Callable[[str | None], TestClient]) -> None:
    client = api("viewer")
    assert _total(client, side="Russia") == _total(client, side="RU") > 0


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [("since", "April", "cannot read 'April' as a date"), ("near", "kyiv", "near must be 3")],
)
def test_a_bad_filter_is_left_out_with_a_message_and_the_others_kept(
    as_role: Callable[[str | None], TestClient], field: str, value: str, says: str
) -> None:
    client = as_role("viewer")
    r = client.get("/incidents", params={field: value, "type": "killing", "country": "Ukraine"})
    assert r.status_code == 400
    assert says in html.unescape(r.text) and "Filter left out" in r.text
    # the other filters still apply and stay in the form; the bad value stays, to be corrected
    assert 'value="Ukraine"' in r.text and 'value="killing" selected' in r.text
    assert f'name="{field}"' in r.text and f'value="{value}"' in r.text
    killing = client.get("/incidents", params={"type": "killing", "country": "Ukraine"}).text
    count = re.search(r'class="count">(\d+) found', killing)
    assert count and f'class="count">{count.group(1)} found' in r.text


def test_the_form_offers_the_values_present(as_role: Callable[[str | None], TestClient]) -> None:
    page = as_role("viewer").get("/incidents").text
    regions = re.search(r'<datalist id="f-admin1">(.*?)</datalist>', page)
    assert regions and re.findall(r'value="([^"]+)"', regions.group(1)) == [
        "Donetsk Oblast",
        "Kharkiv Oblast",
        "Kyiv Oblast",
    ]
    assert '<datalist id="f-country"><option value="UA">' in page


def test_page_past_the_end_shows_the_last_page(as_role: Callable[[str | None], TestClient]) -> None:
    r = as_role("viewer").get("/incidents", params={"page": "99"})
    assert r.status_code == 200
    assert re.search(r"page (\d+) of \1<", r.text), re.findall(r"page \d+ of \d+", r.text)


def test_search_titles_incidents_by_summary_and_shows_text_not_json(
    as_role: Callable[[str | None], TestClient],
) -> None:
    page = as_role("viewer").get("/search", params={"q": "Bucha"}).text
    hits = re.findall(r'<li class="hit hit-incident">(.*?)</li>', page, re.S)
    assert hits, "no incident hit for Bucha"
    for hit in hits:
        title = re.search(r'<a href="/incidents/[^"]+">([^<]+)</a>', hit)
        assert title and " in Bucha, Kyiv Oblast" in title.group(1), hit
        assert re.search(r"\d{4}-\d\d-\d\d", title.group(1)), hit
        assert "{&#34;" not in hit and '{"' not in hit and "denied_by" not in hit, hit
        assert "<mark>Bucha</mark>" in hit
    docs = re.findall(r'<li class="hit hit-document">(.*?)</li>', page, re.S)
    assert docs and all('<span class="source">' in d for d in docs)


def test_search_groups_copies_of_one_text(as_role: Callable[[str | None], TestClient]) -> None:
    from dossier.review.visibility import View
    from dossier.store.search import Hit
    from dossier.web.results import results

    client = as_role("reviewer")
    store = client.app.state.store  # type: ignore[attr-defined]
    hits = client.get("/api/v1/search", params={"q": "Bucha"}).json()["items"]
    doc = next(h for h in hits if h["kind"] == "document")
    # the same document hit twice stands for two copies of one text: one result, one copy listed
    twice = [Hit("document", doc["id"], "", []), Hit("document", doc["id"], "", [])]
    (one,) = results(View(store, "reviewer"), twice, "Bucha")
    assert len(one["copies"]) == 1 and one["copies"][0]["href"] == f"/documents/{doc['id']}"
