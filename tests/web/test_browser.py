"""The web app in a real headless Chromium (Debian's, through Playwright) against a real uvicorn.

Set WEB_SCREENSHOTS=docs/screenshots to refresh the committed screenshots.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import serving

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="needs the playwright package (pip)"
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def server(app: Any) -> Iterator[str]:
    with serving(app) as base:
        yield base


@pytest.fixture
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield b
        b.close()


class Watch:
    """Dialogs opened and CSP violations seen by a page: both must stay empty."""

    def __init__(self, page: Any) -> None:
        self.dialogs: list[str] = []
        self.csp: list[str] = []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on(
            "console",
            lambda m: self.csp.append(m.text) if "Content Security Policy" in m.text else None,
        )


def _login(page: Any, base: str, name: str) -> None:
    from .builder import PASSWORD

    page.goto(f"{base}/incidents")
    assert "/login" in page.url
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    page.wait_for_url(f"{base}/incidents")


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("WEB_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=False)


def test_review_flow_login_filter_map_confirm_custody(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    watch = Watch(page)
    _login(page, server, "reviewer")
    _shot(page, "list")
    page.select_option("form.filters select[name=type]", "killing")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    types = page.locator("table.incidents tbody td:nth-child(3)").all_inner_texts()
    assert types and all("killing" in t for t in types)

    page.goto(f"{server}/map?q=theatre&type=attack_on_protected")
    marker = page.locator("path.leaflet-interactive").first
    marker.wait_for(timeout=15000)
    page.wait_for_timeout(500)  # let the basemap draw before the screenshot
    marker.click()
    page.wait_for_url(f"{server}/incidents/*")
    incident_url = page.url
    assert "Mariupol" in page.inner_text("h1")

    page.fill("form.act-confirm input[name=reason]", "three independent outlets, video geolocated")
    page.click("form.act-confirm button")
    page.wait_for_url(f"{incident_url}#review")
    assert "confirmed" in page.inner_text("h1")
    trail = page.inner_text("section.custody")
    assert "review.status" in trail and "reviewer" in trail
    assert "three independent outlets" in page.inner_text("section.review-history")
    assert not watch.dialogs and not watch.csp, (watch.dialogs, watch.csp)


def test_main_pages_render_without_csp_violations(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    watch = Watch(page)
    _login(page, server, "reviewer")
    page.goto(f"{server}/map")
    page.locator("path.leaflet-interactive, .marker-cluster").first.wait_for(timeout=15000)
    page.wait_for_timeout(800)
    _shot(page, "map")
    page.goto(f"{server}/timeline")
    page.locator("#timeline svg rect").first.wait_for(timeout=15000)
    _shot(page, "timeline")
    page.goto(f"{server}/charts")
    page.locator("figure.chart svg rect").first.wait_for(timeout=15000)
    assert page.locator("figure.chart svg text.x").count() > 4  # dates along both axes
    _shot(page, "charts")
    page.goto(f"{server}/incidents?q=theatre")
    page.click("table.incidents tbody a")
    page.wait_for_url(f"{server}/incidents/*")
    _shot(page, "incident")
    page.click("section.reports .report a")
    page.wait_for_url(f"{server}/documents/*")
    assert page.locator("mark.event").count() >= 1 and page.locator("mark.place").count() >= 1
    _shot(page, "document")
    assert not watch.dialogs and not watch.csp, (watch.dialogs, watch.csp)


def test_hostile_article_runs_no_script(server: str, browser: Any) -> None:
    page = browser.new_page()
    watch = Watch(page)
    _login(page, server, "admin")
    page.goto(f"{server}/search?q=onerror")
    hits = page.locator("ol.hits a").all()
    targets = [h.get_attribute("href") for h in hits]
    assert targets, "the hostile article is not found by search"
    page.goto(f"{server}/incidents?q=Evil")
    targets += [a.get_attribute("href") for a in page.locator("table.incidents tbody a").all()]
    for href in [
        *targets,
        "/search?q=script",
        "/search?q=javascript",
        "/map?q=Evil",
        "/timeline?q=Evil",
    ]:
        page.goto(server + str(href))
        page.wait_for_timeout(200)
        assert page.evaluate("window.__xss === undefined"), href
        for link in page.locator("a").all():
            assert not str(link.get_attribute("href") or "").lower().startswith("javascript:"), href
    # the evidence is still there, shown as text
    doc = next(t for t in targets if t and t.startswith("/documents/"))
    page.goto(server + doc)
    assert "<img src=x onerror=" in page.inner_text("div.text")
    assert not watch.dialogs, watch.dialogs


def test_incident_a_reviewer_restricts_vanishes_for_a_viewer(server: str, browser: Any) -> None:
    reviewer = browser.new_context().new_page()
    _login(reviewer, server, "reviewer")
    reviewer.goto(f"{server}/incidents?q=Kharkiv&type=attack_on_civilians")
    reviewer.click("table.incidents tbody a")
    reviewer.wait_for_url(f"{server}/incidents/*")
    incident_id = reviewer.url.rsplit("/", 1)[-1]
    documents = {
        str(a.get_attribute("href")) for a in reviewer.locator("section.reports .report a").all()
    }
    assert documents

    viewer = browser.new_context().new_page()
    watch = Watch(viewer)
    _login(viewer, server, "viewer")

    def seen() -> dict[str, Any]:
        """What the viewer's list, search, map and timeline show, read from the pages' own data."""
        viewer.goto(f"{server}/incidents")
        listed = {a.get_attribute("href") for a in viewer.locator("table.incidents tbody a").all()}
        viewer.goto(f"{server}/search?q=Kharkiv")
        hits = {a.get_attribute("href") for a in viewer.locator("ol.hits a").all()}
        viewer.goto(f"{server}/map")
        viewer.locator("path.leaflet-interactive, .marker-cluster").first.wait_for(timeout=15000)
        points = viewer.evaluate("fetch('/api/v1/map').then(r => r.json())")
        viewer.goto(f"{server}/timeline")
        viewer.locator("#timeline svg rect").first.wait_for(timeout=15000)
        timeline = viewer.evaluate("fetch('/api/v1/timeline').then(r => r.json())")
        return {
            "listed": listed,
            "hits": hits,
            "points": {p[0] for p in points["points"]},
            "timeline": timeline["total"],
        }

    before = seen()
    assert f"/incidents/{incident_id}" in before["listed"] and incident_id in before["points"]
    assert documents & before["hits"]

    reviewer.select_option("form.act-flag select[name=flag]", "restricted")
    reviewer.select_option("form.act-flag select[name=on]", "1")
    reviewer.fill("form.act-flag input[name=reason]", "protect the witness")
    reviewer.click("form.act-flag button")
    reviewer.wait_for_url(f"{server}/incidents/{incident_id}#review")
    assert "restricted" in reviewer.inner_text("p.id")

    after = seen()
    assert f"/incidents/{incident_id}" not in after["listed"]
    assert not documents & after["hits"], "a document of the restricted incident is still found"
    assert incident_id not in after["points"]
    assert after["timeline"] < before["timeline"]
    # its URL answers as an incident that never existed
    unknown = viewer.goto(f"{server}/incidents/inc-000000000000")
    unknown_text = viewer.inner_text("main").replace("inc-000000000000", incident_id)
    gone = viewer.goto(f"{server}/incidents/{incident_id}")
    assert gone is not None and unknown is not None
    assert gone.status == unknown.status == 404
    assert viewer.inner_text("main") == unknown_text
    for doc in documents:
        r = viewer.goto(server + doc)
        assert r is not None and r.status == 404, doc
    assert not watch.dialogs and not watch.csp, (watch.dialogs, watch.csp)


def test_merge_shows_the_merged_incident_and_its_outcome_at_once(
    server: str, browser: Any, app: Any
) -> None:
    from dossier.review.incidents import list_incidents

    items = list_incidents(app.state.store, sort="id")[0]
    kharkiv, mariupol = (
        next(i for i in items if (i["place"] or {}).get("name") == name)
        for name in ("Kharkiv", "Mariupol")
    )
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    watch = Watch(page)
    _login(page, server, "reviewer")
    page.goto(f"{server}/incidents/{kharkiv['id']}")
    page.fill("form.act-merge input[name=with]", mariupol["id"])
    page.fill("form.act-merge input[name=reason]", "one occurrence")
    page.click("form.act-merge button")
    page.wait_for_url("**decision=*")
    notice = page.inner_text("#decision")
    assert f"merged {kharkiv['id']} and {mariupol['id']} into" in notice
    merged = page.url.split("/incidents/")[1].split("?")[0]
    assert merged in notice and "Mariupol" in page.content() and "Kharkiv" in page.content()
    _shot(page, "merged")
    assert watch.dialogs == [] and watch.csp == []


def test_download_buttons_send_files_whose_hash_is_in_the_custody_log(
    server: str, browser: Any, app: Any
) -> None:
    import hashlib

    from dossier.store import custody_log

    page = browser.new_page(viewport={"width": 1360, "height": 900}, accept_downloads=True)
    watch = Watch(page)
    _login(page, server, "reviewer")
    page.goto(f"{server}/incidents?type=killing")
    hashes = {}
    for button in ("a.dl-csv", "a.dl-geojson", "a.dl-jsonl", "form.bundle button"):
        with page.expect_download() as info:
            page.click(f"section.downloads {button}")
        path = info.value.path()
        hashes[button] = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    logged = {
        e.object_hash: e
        for e in custody_log.entries(app.state.store)
        if e.action == "downloaded" and e.actor == "reviewer"
    }
    for button, sha in hashes.items():
        assert sha in logged, button
    assert logged[hashes["a.dl-csv"]].detail["filters"] == {"type": "killing"}
    assert logged[hashes["form.bundle button"]].detail["what"] == "bundle"

    page.click("table.incidents tbody a")
    page.wait_for_url(f"{server}/incidents/*")
    page.click("section.downloads a.dl-report")
    page.wait_for_url("**/report")
    page.locator("svg.map circle.main").wait_for(timeout=10000)
    # the linked stylesheet applies: the sea and the incident's point are coloured
    sea = page.evaluate("getComputedStyle(document.querySelector('svg.map rect.sea')).fill")
    point = page.evaluate("getComputedStyle(document.querySelector('svg.map circle.main')).fill")
    assert sea == "rgb(219, 232, 242)" and point == "rgb(176, 0, 32)", (sea, point)
    assert not watch.dialogs and not watch.csp, (watch.dialogs, watch.csp)


def test_filtering_by_country_name_and_lower_case_region(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    watch = Watch(page)
    _login(page, server, "viewer")
    everything = page.locator("table.incidents tbody tr").count()
    page.fill("form.filters input[name=country]", "Ukraine")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "country=Ukraine" in page.url
    assert page.locator("table.incidents tbody tr").count() == everything > 1
    page.fill("form.filters input[name=admin1]", "kyiv")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    places = page.locator("table.incidents tbody td:nth-child(3)").all_inner_texts()
    assert places and len(places) < everything
    assert all("Kyiv Oblast" in p for p in places), places
    assert page.input_value("form.filters input[name=country]") == "Ukraine"
    assert not watch.dialogs and not watch.csp, (watch.dialogs, watch.csp)
