"""The map in a real headless Chromium with no network: labels, region borders, first view, box.

Every request that is not to the loopback server is aborted (and recorded), so the
map must draw from what the app itself serves.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from dossier.config import Settings
from dossier.review.accounts import add_account
from dossier.store.database import Store
from dossier.store.incidents import replace_incidents
from dossier.web import create_app
from dossier.web.settings import WebSettings

from .conftest import serving

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]
playwright_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")
PASSWORD = "map test password"
RUSSIA_CENTROID = (61.52, 105.32)


def _record(k: int, lat: float, lon: float, name: str, country: str) -> dict[str, Any]:
    return {
        "id": f"inc-map-{k:04d}",
        "type": "killing",
        "types": ["killing"],
        "place": {"name": name, "lat": lat, "lon": lon, "country": country, "admin1": None,
                  "precision": "locality"},
        "time": {"start": date(2022, 3, 1 + k % 28).isoformat(), "end": None, "precision": "day"},
        "perpetrator": {"side": None, "text": None},
        "harm": [{"kind": "killed", "category": "civilians", "min": k % 7, "max": None}],
        "sources": [{"document": f"doc-{k}", "publisher": "Wire", "url": None, "published": None,
                     "origin": "o", "event": f"ev-{k}"}],
        "independent_sources": 1,
        "contested": False,
        "denied_by": [],
        "grade": "single_source",
        "grade_reason": "test",
        "review": "unreviewed",
        "events": [],
    }  # fmt: skip


@pytest.fixture
def map_app(tmp_path: Path) -> FastAPI:
    """30 incidents around Kyiv and Kharkiv, and one report geocoded to Russia's centroid."""
    home = tmp_path / "home"
    store = Store.open(Settings(home=home))
    spots = [
        (50.45, 30.52, "Kyiv", "UA"),
        (49.99, 36.23, "Kharkiv", "UA"),
        (50.54, 30.21, "Bucha", "UA"),
    ]
    records = [
        _record(k, lat + (k % 5) * 0.01, lon - (k % 3) * 0.01, name, cc)
        for k, (lat, lon, name, cc) in enumerate(spots * 10)
    ]
    records.append(_record(99, *RUSSIA_CENTROID, "Russia", "RU"))
    replace_incidents(store, records, [], actor="test")
    add_account(store, "ana", "viewer", PASSWORD, actor="test")
    return create_app(Settings(home=home), WebSettings(secret_key="k"), store=store)


@pytest.fixture
def page() -> Iterator[Any]:
    """A page that may reach the loopback address only; what it tried elsewhere is recorded."""
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )  # fmt: skip
        page = browser.new_page(viewport={"width": 1360, "height": 900})
        page.outside = []
        page.csp = []  # CSP violations and script errors: both must stay empty

        def route(r: Any) -> None:
            if r.request.url.startswith("http://127.0.0.1:"):
                r.continue_()
            else:
                page.outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on(
            "console", lambda m: page.csp.append(m.text) if "Content Security" in m.text else None
        )
        page.on("pageerror", lambda e: page.csp.append(f"script error: {e}"))
        yield page
        browser.close()


def _login(page: Any, base: str, name: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button:has-text('Log in')")
    page.wait_for_url(f"{base}/incidents")


def _view(page: Any, lat: float, lon: float, zoom: int) -> dict[str, str]:
    page.evaluate(f"window.dossierMap.setView([{lat}, {lon}], {zoom}, {{animate: false}}) && null")
    # polled from here: wait_for_function evaluates a string, which the app's CSP refuses
    deadline = time.monotonic() + 10
    while page.evaluate("window.dossierMap.getZoom()") != zoom and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)
    return dict(page.evaluate("Object.assign({}, document.getElementById('map').dataset)"))


def _labels(page: Any) -> list[str]:
    return list(page.locator(".place-label .place").all_inner_texts())


def test_map_shows_labels_and_region_borders_offline(app: FastAPI, page: Any) -> None:
    from .builder import PASSWORD as BUILT

    with serving(app) as base:
        _login(page, base, "viewer", BUILT)
        page.goto(f"{base}/map")
        page.wait_for_selector("#map[data-ready][data-countries=drawn]", timeout=20000)
        _view(page, 49.0, 31.5, 4)
        # regions only when zoomed in: the layer is hidden (polled: a loaded machine is slow)
        page.wait_for_selector(
            "#map:not([data-regions]), #map[data-regions=hidden]", state="attached", timeout=20000
        )
        assert "Kyiv" in _labels(page) and "Bucha" not in _labels(page)
        near = _view(page, 49.0, 31.5, 6)
        page.wait_for_selector("#map[data-regions]:not([data-regions=hidden])", timeout=20000)
        near = dict(page.evaluate("Object.assign({}, document.getElementById('map').dataset)"))
        assert int(near["regions"]) > 4000
        assert {"Kyiv", "Kharkiv", "Odesa"} <= set(_labels(page))
        _view(page, 50.5, 30.3, 10)
        page.wait_for_selector("#map[data-place-files='3']", timeout=20000)
        close = _view(page, 50.5, 30.3, 10)
        assert "Bucha" in _labels(page) and int(close["labels"]) > 5
        assert page.locator(".leaflet-control-attribution").inner_text().count("Natural Earth") == 1
        assert not page.outside, page.outside
        assert not page.csp, page.csp


def test_first_view_leaves_out_a_far_outlier_and_a_box_is_kept(map_app: FastAPI, page: Any) -> None:
    with serving(map_app) as base:
        _login(page, base, "ana", PASSWORD)
        page.goto(f"{base}/map")
        page.wait_for_selector("#map[data-ready]", timeout=20000)
        page.wait_for_timeout(500)
        assert page.inner_text("#map-count") == "31 mapped of 31"
        south, west, north, east = page.evaluate(
            "(() => { const b = window.dossierMap.getBounds();"
            " return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; })()"
        )
        assert west < 30.2 and east > 36.3 and south < 49.9 and north > 50.6  # all of Ukraine's
        assert east < 60 and north < 58, "the Russian centroid stretched the view"
        # the outlier is still on the map, only not in the first view
        assert page.evaluate("window.dossierMap.getZoom()") >= 5

        # "Show on the map" from a list filtered by a box: the view is that box
        page.goto(f"{base}/incidents?bbox=50.3,30.0,50.7,30.7")
        page.click("text=Show on the map")
        page.wait_for_selector("#map[data-ready]", timeout=20000)
        south, west, north, east = page.evaluate(
            "(() => { const b = window.dossierMap.getBounds();"
            " return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()]; })()"
        )
        assert south <= 50.3 and west <= 30.0 and north >= 50.7 and east >= 30.7
        assert east - west < 4 * 0.7, "the box was not kept"
        href = page.get_attribute("#list-link", "href")
        assert href is not None and "bbox=50.3%2C30.0%2C50.7%2C30.7" in href
        listed = page.locator("#map-list li").count()
        assert listed == int(page.inner_text("#map-list-count"))
        assert listed >= 10  # the Kyiv and Bucha incidents, reachable by keyboard
        page.focus("#map-list li a")
        page.keyboard.press("Enter")
        page.wait_for_url(f"{base}/incidents/inc-map-*")
        assert not page.outside and not page.csp, (page.outside, page.csp)
