"""The REST API over a real store: filters, records, review actions, errors, tokens."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import select

from dossier.review.incidents import list_incidents
from dossier.store import tables
from dossier.store.database import Store
from dossier.store.incidents import replace_incidents

from .builder import incidents_from_events

Api = Callable[[str | None], TestClient]


def _first(api: Api, **params: str) -> dict:  # type: ignore[type-arg]
    items = api("viewer").get("/api/v1/incidents", params=params).json()["items"]
    assert items, f"no incident matches {params}"
    return items[0]  # type: ignore[no-any-return]


def test_list_filters_agree_with_the_store(api: Api, store: Store) -> None:
    everything = api("viewer").get("/api/v1/incidents").json()
    assert everything["total"] == list_incidents(store)[1] >= 5
    killings = api("viewer").get("/api/v1/incidents", params={"type": "killing"}).json()
    assert killings["total"] >= 1
    assert all("killing" in i["types"] for i in killings["items"])
    ua = api("viewer").get("/api/v1/incidents", params={"country": "ua"}).json()
    assert ua["total"] >= 1 and all(i["place"]["country"] == "UA" for i in ua["items"])


def test_near_filter_keeps_only_incidents_within_the_radius(api: Api) -> None:
    # Kharkiv (49.99, 36.23): 30 km holds Kharkiv's incidents and none of Mariupol's or Bucha's
    near = api("viewer").get("/api/v1/incidents", params={"near": "49.99,36.23,30"}).json()["items"]
    assert near and all(abs(i["place"]["lat"] - 49.99) < 0.5 for i in near)


def test_full_text_filter_finds_incidents_through_their_documents(api: Api) -> None:
    items = api("viewer").get("/api/v1/incidents", params={"q": "theatre"}).json()["items"]
    assert items and all(i["place"]["name"] == "Mariupol" for i in items)


def test_bad_filter_is_a_json_400_naming_the_parameter(api: Api) -> None:
    r = api("viewer").get("/api/v1/incidents", params={"near": "north"})
    assert r.status_code == 400
    assert "near" in r.json()["error"]["message"]


def test_unknown_incident_is_a_json_404(api: Api) -> None:
    r = api("viewer").get("/api/v1/incidents/nope")
    assert r.status_code == 404 and r.json()["error"]["status"] == 404


def test_incident_shows_reports_with_evidence_sentences(api: Api) -> None:
    inc = _first(api, q="theatre")
    full = api("viewer").get(f"/api/v1/incidents/{inc['id']}").json()
    assert full["reports"] and all(r["sentence"] for r in full["reports"])
    assert "Mariupol" in " ".join(r["sentence"] for r in full["reports"])
    assert full["rome_statute_hint"]


def test_no_token_is_401_and_a_wrong_token_too(api: Api, app) -> None:  # type: ignore[no-untyped-def]
    assert api(None).get("/api/v1/incidents").status_code == 401
    bad = TestClient(app, headers={"Authorization": "Bearer dos_not-a-token"})
    assert bad.get("/api/v1/incidents").status_code == 401


def test_reviewer_confirms_and_the_custody_log_names_account_and_reason(
    api: Api, store: Store
) -> None:
    inc = _first(api)
    r = api("reviewer").post(
        f"/api/v1/incidents/{inc['id']}/review", json={"action": "confirm", "reason": "two videos"}
    )
    assert r.status_code == 200, r.text
    assert api("viewer").get(f"/api/v1/incidents/{inc['id']}").json()["review"] == "confirmed"
    log = api("reviewer").get("/api/v1/custody", params={"object_id": inc["id"]}).json()["items"]
    assert log[-1]["action"] == "review.status"
    assert log[-1]["actor"] == "reviewer" and log[-1]["detail"]["reason"] == "two videos"
    # below reviewer the entry is there, its reason is not (DESIGN.md, "Who sees what")
    seen = api("viewer").get("/api/v1/custody", params={"object_id": inc["id"]}).json()["items"]
    assert seen[-1]["entry_hash"] == log[-1]["entry_hash"] and "reason" not in seen[-1]["detail"]


def test_analyst_cannot_confirm_but_can_propose_in_review(api: Api) -> None:
    inc = _first(api)
    denied = api("analyst").post(
        f"/api/v1/incidents/{inc['id']}/review", json={"action": "confirm", "reason": "x"}
    )
    assert denied.status_code == 403
    ok = api("analyst").post(
        f"/api/v1/incidents/{inc['id']}/review",
        json={"action": "status", "reason": "x", "params": {"status": "in_review"}},
    )
    assert ok.status_code == 200
    assert (
        api("viewer")
        .post(f"/api/v1/incidents/{inc['id']}/review", json={"action": "note", "reason": "x"})
        .status_code
        == 403
    )


def test_review_without_reason_is_refused(api: Api) -> None:
    inc = _first(api)
    r = api("reviewer").post(
        f"/api/v1/incidents/{inc['id']}/review", json={"action": "confirm", "reason": " "}
    )
    assert r.status_code == 400 and "reason" in r.json()["error"]["message"]


def test_decisions_survive_recorroboration(api: Api, store: Store) -> None:
    inc = _first(api, type="killing")
    reviewer = api("reviewer")
    reviewer.post(
        f"/api/v1/incidents/{inc['id']}/review", json={"action": "confirm", "reason": "ok"}
    )
    reviewer.post(
        f"/api/v1/incidents/{inc['id']}/review",
        json={
            "action": "edit",
            "reason": "perpetrator named in a later report",
            "params": {"field": "perpetrator", "value": {"text": "3rd brigade", "side": "RU"}},
        },
    )
    incidents, members = incidents_from_events(store)
    replace_incidents(store, incidents, members, actor="tester")  # what `dossier corroborate` does
    after = api("viewer").get(f"/api/v1/incidents/{inc['id']}").json()
    assert after["review"] == "confirmed"
    assert after["perpetrator"]["text"] == "3rd brigade" and after["edited"] == ["perpetrator"]


def test_a_merge_says_which_reports_cannot_join_the_merged_incident(api: Api, store: Store) -> None:
    # The builder's incidents group every event, a hypothetical one too;
    # corroboration (which a merge runs) keeps only reports of what happened.
    with store.engine.connect() as conn:
        (odd,) = conn.execute(
            select(tables.events.c.id).where(tables.events.c.status == "hypothetical")
        ).scalars()
    items = api("viewer").get("/api/v1/incidents", params={"sort": "id"}).json()["items"]
    holder = next(i for i in items if odd in i["events"])
    other = next(i for i in items if i["id"] != holder["id"])
    r = api("reviewer").post(
        f"/api/v1/incidents/{holder['id']}/review",
        json={"action": "merge", "reason": "same strike", "params": {"with": other["id"]}},
    )
    assert r.status_code == 200, r.text
    (done,) = r.json()["done"]
    assert done["took_effect"] is False
    assert f"1 report(s) ({odd}) join no incident" in done["message"]
    assert "hypothetical" in done["message"]
    merged = api("reviewer").get(f"/api/v1/incidents/{done['result']}").json()
    joined = {ref.split("#")[-1] for ref in merged["events"]}
    assert joined == {e for e in holder["events"] + other["events"] if e != odd}, merged
    with store.engine.connect() as conn:
        kinds = conn.execute(select(tables.judgements.c.kind)).scalars().all()
    assert set(kinds) == {"positive"}


def test_bulk_action_covers_the_whole_filtered_selection(api: Api) -> None:
    total = api("viewer").get("/api/v1/incidents", params={"country": "UA"}).json()["total"]
    r = api("analyst").post(
        "/api/v1/incidents/review",
        json={
            "action": "assign",
            "reason": "Ukraine desk",
            "params": {"to": "analyst"},
            "filter": {"country": "UA"},
        },
    )
    assert r.status_code == 200 and r.json()["count"] == total
    queue = api("analyst").get("/api/v1/queue").json()
    assert len(queue["assigned"]) == total


def test_search_returns_snippets_as_text_segments(api: Api) -> None:
    r = api("viewer").get("/api/v1/search", params={"q": "theatre"}).json()
    assert r["total"] >= 1
    hit = r["items"][0]
    assert any(matched and text.lower() == "theatre" for text, matched in hit["snippet"])


def test_document_and_its_analysis_and_events(api: Api) -> None:
    inc = _first(api, q="theatre")
    doc_id = inc["sources"][0]["document"]
    doc = api("viewer").get(f"/api/v1/documents/{doc_id}").json()
    assert doc["text"] and doc["analysis"]["events"] and inc["id"] in doc["incidents"]
    events = api("viewer").get("/api/v1/events", params={"document": doc_id}).json()["items"]
    assert {e["id"] for e in events} == {e["id"] for e in doc["analysis"]["events"]}
    one = api("viewer").get(f"/api/v1/events/{events[0]['id']}").json()["items"]
    assert one[0]["document"] == doc_id


def test_original_is_an_attachment_never_rendered(api: Api, store: Store) -> None:
    inc = _first(api, q="theatre")
    doc_id = inc["sources"][0]["document"]
    r = api("viewer").get(f"/documents/{doc_id}/original")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/octet-stream"
    assert r.headers["content-disposition"].startswith("attachment")
    assert "sandbox" in r.headers["content-security-policy"]
    sha = api("viewer").get(f"/api/v1/documents/{doc_id}").json()["artifact_sha256"]
    assert store.artifacts.get(sha) == r.content


def test_openapi_document_lists_the_api(api: Api) -> None:
    spec = api(None).get("/api/v1/openapi.json").json()
    assert "/api/v1/incidents" in spec["paths"] and "/api/v1/custody" in spec["paths"]
    assert not any(p.startswith("/incidents") for p in spec["paths"])  # pages are not API


def test_restricted_document_text_is_hidden_below_reviewer(api: Api) -> None:
    inc = _first(api, q="theatre")
    doc_id = inc["sources"][0]["document"]
    flags = {"restricted": "1", "reason": "witness identity"}
    # flag through the page form as a reviewer
    from .conftest import csrf_of, login

    client = login(TestClient(api("viewer").app), "reviewer")
    flags["csrf_token"] = csrf_of(client.get(f"/documents/{doc_id}").text)
    assert (
        client.post(f"/documents/{doc_id}/flags", data=flags, follow_redirects=False).status_code
        == 303
    )
    # below reviewer the document does not exist: 404 like an unknown id, everywhere
    for role in ("viewer", "analyst"):
        r = api(role).get(f"/api/v1/documents/{doc_id}")
        assert r.status_code == 404 and r.json() == api(role).get(
            "/api/v1/documents/sha256:none"
        ).json() | {"error": {"status": 404, "message": f"no document {doc_id!r}"}}
        assert api(role).get(f"/documents/{doc_id}/original").status_code == 404
        assert api(role).get("/api/v1/events", params={"document": doc_id}).json()["items"] == []
    assert api("reviewer").get(f"/api/v1/documents/{doc_id}").json()["text"]
    assert api("reviewer").get(f"/api/v1/documents/{doc_id}").json()["flags"] == ["restricted"]
    others = {s["document"] for s in inc["sources"]} - {doc_id}
    seen = api("analyst").get(f"/api/v1/incidents/{inc['id']}")
    if others:  # the incident stays, without the hidden report
        assert {r["document"] for r in seen.json()["reports"]} == others
    else:  # every report of it is hidden: so is the incident
        assert seen.status_code == 404


def test_list_page_shows_one_row_per_incident_of_the_page(as_role, api: Api) -> None:  # type: ignore[no-untyped-def]
    killings = api("viewer").get("/api/v1/incidents", params={"type": "killing"}).json()
    html = as_role("viewer").get("/incidents", params={"type": "killing"}).text
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    assert body.count('href="/incidents/') == len(killings["items"]) >= 1
    for item in killings["items"]:
        assert f'href="/incidents/{item["id"]}"' in html


def test_like_fallback_finds_what_fts_finds(store: Store) -> None:
    """The portable path other databases take gives the same documents as SQLite's FTS5."""
    from dossier.store import search as search_module

    fts, _ = search_module.search(store, "theatre Mariupol", kind="document")
    with store.engine.connect() as conn:
        like, total = search_module._like(
            conn, ["theatre", "Mariupol"], 20, 0, "document", search_module.Hide()
        )
    assert {h.id for h in like} == {h.id for h in fts} and total == len(like) >= 1
    assert any(matched for h in like for _, matched in h.snippet)


def test_search_does_not_leak_restricted_documents_below_reviewer(api: Api, as_role) -> None:  # type: ignore[no-untyped-def]
    from .conftest import csrf_of

    doc_id = next(
        h["id"]
        for h in api("viewer").get("/api/v1/search", params={"q": "theatre"}).json()["items"]
        if h["kind"] == "document"
    )
    reviewer = as_role("reviewer")
    token = csrf_of(reviewer.get(f"/documents/{doc_id}").text)
    reviewer.post(
        f"/documents/{doc_id}/flags",
        data={"restricted": "1", "reason": "source protection", "csrf_token": token},
    )
    before = api("reviewer").get("/api/v1/search", params={"q": "theatre"}).json()["total"]
    seen = api("analyst").get("/api/v1/search", params={"q": "theatre"}).json()
    assert doc_id not in {h["id"] for h in seen["items"]}
    assert seen["total"] < before  # not counted either
    page = as_role("viewer").get("/search", params={"q": "theatre"}).text
    assert f'href="/documents/{doc_id}"' not in page
    full = {
        h["id"]: h
        for h in api("reviewer").get("/api/v1/search", params={"q": "theatre"}).json()["items"]
    }
    assert full[doc_id]["snippet"]
