"""The map's offline data: compressed, cached static files; tiles and the CSP; regions, labels."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from dossier.config import Settings
from dossier.web import create_app
from dossier.web.settings import WebSettings

STATIC = Path(__file__).resolve().parents[2] / "src" / "dossier" / "web" / "static"
COUNTRIES = "/static/vendor/world-atlas/countries-50m.json"


def test_borders_are_sent_gzipped_with_etag_and_cache_control(app: Any) -> None:
    client = TestClient(app)
    raw = (STATIC / "vendor/world-atlas/countries-50m.json").read_bytes()
    r = client.get(COUNTRIES, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert r.headers["content-encoding"] == "gzip"
    assert r.headers["content-type"] == "application/json"
    assert r.content == raw  # httpx decodes; the wire size is the header's
    sent = int(r.headers["content-length"])
    assert sent < len(raw) / 3, (sent, len(raw))
    assert "max-age" in r.headers["cache-control"] and r.headers["vary"] == "Accept-Encoding"
    etag = r.headers["etag"]
    again = client.get(COUNTRIES, headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    # a client without gzip gets the plain bytes under another tag, and its own 304
    plain = client.get(COUNTRIES, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == raw
    assert plain.headers["etag"] != etag
    assert int(plain.headers["content-length"]) == len(raw)
    etag_plain = plain.headers["etag"]
    hit = client.get(
        COUNTRIES, headers={"Accept-Encoding": "identity", "If-None-Match": etag_plain}
    )
    assert hit.status_code == 304
    assert client.head(COUNTRIES).status_code == 200


def test_app_scripts_revalidate_and_bad_static_paths_are_refused(app: Any) -> None:
    client = TestClient(app)
    r = client.get("/static/map.js")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-cache"
    assert r.headers["content-type"].startswith("text/javascript")
    for bad in (
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/nothing.js",
        "/static/vendor",
    ):
        assert client.get(bad).status_code == 404, bad
    assert client.post("/static/map.js").status_code == 405


def test_region_and_label_files_hold_real_places() -> None:
    topo = json.loads((STATIC / "vendor/admin1/admin1-10m.json").read_text())
    regions = topo["objects"]["regions"]["geometries"]
    ukraine = {g["properties"]["name"] for g in regions if g["properties"]["country"] == "UKR"}
    assert {"Kharkiv", "Crimea", "Volyn"} <= ukraine and len(ukraine) >= 25
    assert len(regions) > 4000
    countries = {g["properties"]["country"] for g in regions}
    assert {"UKR", "RUS", "SYR", "USA", "SDN"} <= countries
    places = []
    for part in (1, 2, 3):
        places += json.loads((STATIC / f"mapdata/places-{part}.json").read_text())["places"]
    by_name = {p[0]: p for p in places}
    # the largest places show first: Kyiv far out, Bucha only close in
    assert by_name["Kyiv"][3] <= 4 < by_name["Bucha"][3]
    for name, lat, lon, zoom, pop in places:
        assert -90 <= lat <= 90 and -180 <= lon <= 180 and 2 <= zoom <= 11 and pop >= 0, name
    assert len(places) > 10000
    assert (STATIC / "vendor/admin1/LICENSE").exists()


def test_tile_layer_and_its_origin_only_when_the_settings_name_one(web_home: Path) -> None:
    plain = create_app(Settings(home=web_home), WebSettings(secret_key="k"))
    csp = TestClient(plain).get("/login").headers["content-security-policy"]
    assert "img-src 'self' data:;" in csp
    tiles = create_app(
        Settings(home=web_home),
        WebSettings(
            secret_key="k",
            tile_url="https://{s}.tiles.example.org/{z}/{x}/{y}.png",
            tile_attribution="© Example <b>contributors</b>",
        ),
    )
    client = TestClient(tiles)
    csp = client.get("/login").headers["content-security-policy"]
    img = next(p for p in csp.split(";") if p.strip().startswith("img-src")).split()[1:]
    assert img == [
        "'self'",
        "data:",
        "https://a.tiles.example.org",
        "https://b.tiles.example.org",
        "https://c.tiles.example.org",
    ]
    assert "connect-src 'self'" in csp  # tiles are images; nothing else may go out
    # the map page hands the template and the attribution (as data, escaped) to map.js
    from .builder import PASSWORD

    page = client.get("/login")
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data={"name": "viewer", "password": PASSWORD, "csrf_token": token})
    html = client.get("/map").text
    config = json.loads(html.split('id="map-config">')[1].split("</script>")[0])
    assert config["tile_url"] == "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    assert config["tile_attribution"] == "© Example <b>contributors</b>"
    assert "<b>contributors" not in html
