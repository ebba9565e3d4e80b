"""Exports, reports, bundles and originals downloaded from the web app: each is a custody entry."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from dossier.store import custody_log
from dossier.store.database import Store

from .conftest import csrf_of


def _downloads(store: Store) -> list[Any]:
    return [e for e in custody_log.entries(store) if e.action == "downloaded"]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_each_export_is_logged_with_who_which_filters_and_the_hash_sent(
    as_role: Callable[[str | None], TestClient], store: Store
) -> None:
    client = as_role("viewer")
    sent = {}
    for fmt in ("csv", "geojson", "jsonl"):
        r = client.get("/api/v1/export", params={"format": fmt, "type": "killing"})
        assert r.status_code == 200, r.text
        assert r.headers["x-content-sha256"] == _sha(r.content)
        sent[fmt] = _sha(r.content)
    logged = _downloads(store)
    assert [e.detail["what"] for e in logged] == ["csv", "geojson", "jsonl"]
    for e in logged:
        assert e.actor == "viewer"
        assert e.object_hash == e.detail["sha256"] == sent[e.detail["what"]]
        assert e.object_id == f"export:{e.object_hash}"
        assert e.detail["filters"] == {"type": "killing"}
    # the filters are review detail: a viewer reading the log sees that, not what
    seen = client.get("/api/v1/custody", params={"limit": 500}).json()["items"]
    mine = [e for e in seen if e["action"] == "downloaded"]
    assert len(mine) == 3 and all("filters" not in e["detail"] for e in mine)


def test_one_incident_exports_alone_through_its_id(
    as_role: Callable[[str | None], TestClient], store: Store
) -> None:
    client = as_role("viewer")
    items = client.get("/api/v1/incidents").json()["items"]
    assert len(items) > 1
    target = items[1]["id"]
    page = client.get(f"/incidents/{target}").text
    href = re.search(r'class="button dl-jsonl" href="([^"]+)"', page)
    assert href, "the incident page has no JSON Lines button"
    r = client.get(href.group(1).replace("&amp;", "&"))
    rows = [json.loads(line) for line in r.text.splitlines()]
    assert [x["id"] for x in rows] == [target]


def test_served_report_links_its_stylesheet_and_draws_the_map_without_inline_style(
    as_role: Callable[[str | None], TestClient], store: Store
) -> None:
    client = as_role("viewer")
    iid = client.get("/api/v1/incidents", params={"q": "theatre"}).json()["items"][0]["id"]
    r = client.get(f"/api/v1/incidents/{iid}/report")
    assert r.status_code == 200
    html = r.text
    assert '<link rel="stylesheet" href="/api/v1/report.css">' in html
    assert "<style" not in html and "style=" not in html
    assert "<svg" in html and 'class="sea"' in html
    css = client.get("/api/v1/report.css")
    assert css.headers["content-type"].startswith("text/css") and "svg.map circle.main" in css.text
    (entry,) = _downloads(store)
    assert (entry.object_id, entry.object_hash, entry.detail["what"]) == (
        iid,
        _sha(r.content),
        "report",
    )


def test_original_download_is_logged_with_the_artifact_hash(
    as_role: Callable[[str | None], TestClient], store: Store
) -> None:
    client = as_role("analyst")
    doc = client.get("/api/v1/incidents").json()["items"][0]["sources"][0]["document"]
    r = client.get(f"/documents/{doc}/original")
    assert r.status_code == 200
    (entry,) = _downloads(store)
    assert entry.actor == "analyst" and entry.object_id == doc
    assert entry.object_hash == _sha(r.content) == r.headers["x-artifact-sha256"]
    assert entry.detail["size"] == len(r.content)


def test_bundle_from_the_list_is_built_for_reviewers_and_logged(
    as_role: Callable[[str | None], TestClient], store: Store
) -> None:
    analyst = as_role("analyst")
    assert "Evidence bundle" not in analyst.get("/incidents").text
    token = csrf_of(analyst.get("/incidents").text)
    assert analyst.post("/api/v1/bundle", data={"csrf_token": token}).status_code == 403

    reviewer = as_role("reviewer")
    page = reviewer.get("/incidents", params={"type": "killing"}).text
    assert "Evidence bundle" in page and 'name="type" value="killing"' in page
    token = csrf_of(page)
    refused = reviewer.post(
        "/api/v1/bundle",
        data={"csrf_token": token, "type": "killing", "include_restricted": "1"},
    )
    assert refused.status_code == 400 and "needs a reason" in refused.text
    assert _downloads(store) == []
    r = reviewer.post(
        "/api/v1/bundle",
        data={
            "csrf_token": token,
            "type": "killing",
            "include_restricted": "1",
            "reason": "court request 17",
        },
    )
    assert r.status_code == 200, r.text
    with zipfile.ZipFile(io.BytesIO(r.content)) as z:
        manifest = json.loads(z.read("manifest.json"))
    killing = [
        i["id"]
        for i in reviewer.get("/api/v1/incidents", params={"type": "killing"}).json()["items"]
    ]
    assert sorted(manifest["incidents"]) == sorted(killing) and manifest["include_restricted"]
    (entry,) = _downloads(store)
    assert entry.object_hash == _sha(r.content) and entry.actor == "reviewer"
    assert entry.detail["reason"] == "court request 17"
    assert entry.detail["filters"] == {"type": "killing"}
    assert entry.detail["manifest_sha256"] == _sha(
        zipfile.ZipFile(io.BytesIO(r.content)).read("manifest.json")
    )


def test_bundle_of_one_incident_names_it_in_the_log(
    as_role: Callable[[str | None], TestClient], store: Store
) -> None:
    reviewer = as_role("reviewer")
    iid = reviewer.get("/api/v1/incidents").json()["items"][0]["id"]
    token = csrf_of(reviewer.get(f"/incidents/{iid}").text)
    r = reviewer.post(f"/api/v1/incidents/{iid}/bundle", data={"csrf_token": token})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    (entry,) = _downloads(store)
    assert entry.object_id == iid and entry.object_hash == _sha(r.content)
    assert entry.detail["include_restricted"] is False and "reason" not in entry.detail
    missing = reviewer.post("/api/v1/incidents/inc-000000000000/bundle", data={"csrf_token": token})
    assert missing.status_code == 404


def test_a_store_with_logged_downloads_still_verifies(
    as_role: Callable[[str | None], TestClient], store: Store
) -> None:
    from dossier.store.integrity import verify_store

    reviewer = as_role("reviewer")
    items = reviewer.get("/api/v1/incidents").json()["items"]
    reviewer.get("/api/v1/export", params={"format": "csv"})
    reviewer.get(f"/api/v1/incidents/{items[0]['id']}/report")
    reviewer.get(f"/documents/{items[0]['sources'][0]['document']}/original")
    token = csrf_of(reviewer.get("/incidents").text)
    assert reviewer.post("/api/v1/bundle", data={"csrf_token": token}).status_code == 200
    assert len(_downloads(store)) == 4
    report = verify_store(store)
    assert report.ok, report
