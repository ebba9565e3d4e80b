"""CPU per request of the web app, per route, in one process: where the load benchmark's time goes.

Builds the load benchmark's store (``web_load.generate``: 20k incidents, 1,000
ingested reports), then calls the app in process (no sockets, no other
load) over the same route mix, one request at a time, and reports the CPU
seconds each route costs (``time.process_time``; median and p95 over the
requests). With ``--baseline-src DIR`` the same measurement runs a second
time in a subprocess over another source tree (e.g. an older checkout's
``src``) on the same store, so the two figures come from one run on one
machine and compare as a ratio.

    PYTHONPATH=src python benchmarks/web_cpu.py [--incidents 20000] [--requests 600]
        [--baseline-src ../dossier-main/src]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
ROUTES = [
    "list",
    "list_filtered",
    "search",
    "incident",
    "api_list",
    "api_incident",
    "map",
    "timeline",
]


def _paths(names: list[str], ids: list[str], n: int, seed: int = 11) -> list[tuple[str, str]]:
    from urllib.parse import urlencode

    from dossier.ontology import EVENT_TYPES

    rng = random.Random(seed)
    out = []
    for _ in range(n):
        route = rng.choice(ROUTES)
        if route == "list":
            path = "/incidents?" + urlencode({"page": rng.randint(1, 50)})
        elif route == "list_filtered":
            q = {"type": rng.choice(EVENT_TYPES), "since": "2023-01-01", "sort": "-sources"}
            path = "/incidents?" + urlencode(q)
        elif route == "search":
            path = "/search?" + urlencode({"q": rng.choice(names)})
        elif route == "incident":
            path = f"/incidents/{rng.choice(ids)}"
        elif route == "api_list":
            q = {"country": rng.choice(["UA", "SY", "US", "IN"]), "limit": 50}
            path = "/api/v1/incidents?" + urlencode(q)
        elif route == "api_incident":
            path = f"/api/v1/incidents/{rng.choice(ids)}"
        elif route == "map":
            path = "/api/v1/map"
        else:
            path = "/api/v1/timeline"
        out.append((route, path))
    return out


def measure(home: Path, token: str, names: list[str], n_incidents: int, n: int) -> dict[str, Any]:
    """CPU seconds per request, per route, of the app of the current ``dossier`` import."""
    import re

    from fastapi.testclient import TestClient

    import dossier
    from dossier.config import Settings
    from dossier.web.app import create_app

    app = create_app(Settings(home=home))
    ids = [f"inc-{k:06d}" for k in range(n_incidents)]
    cpu: dict[str, list[float]] = {}
    status: dict[str, dict[int, int]] = {}
    with TestClient(app, base_url="http://127.0.0.1") as web:
        page = web.get("/login")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        web.post(
            "/login",
            data={"name": "bench", "password": "benchmark password", "csrf_token": csrf},
            follow_redirects=False,
        )
        bearer = {"Authorization": f"Bearer {token}"}
        paths = _paths(names, ids, n)
        for _route, path in paths[:40]:  # warm caches and imports
            web.get(path, headers=bearer if path.startswith("/api/") else None)
        for route, path in paths:
            headers = bearer if path.startswith("/api/") else None
            t0 = time.process_time()
            r = web.get(path, headers=headers)
            cpu.setdefault(route, []).append(time.process_time() - t0)
            status.setdefault(route, {}).setdefault(r.status_code, 0)
            status[route][r.status_code] += 1
    rows = {}
    for route, v in sorted(cpu.items()):
        v.sort()
        rows[route] = {
            "requests": len(v),
            "cpu_ms_median": round(statistics.median(v) * 1000, 2),
            "cpu_ms_p95": round(v[int(0.95 * (len(v) - 1))] * 1000, 2),
            "cpu_ms_mean": round(statistics.fmean(v) * 1000, 2),
            "status": status[route],
        }
    every = [x for v in cpu.values() for x in v]
    return {
        "source": str(Path(dossier.__file__).parent),
        "routes": rows,
        "cpu_ms_mean": round(statistics.fmean(every) * 1000, 2),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, default=20000)
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=600)
    ap.add_argument("--baseline-src", help="another tree's src/ to measure on the same store")
    ap.add_argument("--home", help=argparse.SUPPRESS)  # the baseline child's store
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--out", default=str(HERE / "results" / "web_cpu.json"))
    args = ap.parse_args()
    if args.child:  # measure only, on the parent's store, and print JSON
        meta = json.loads(Path(args.home, "..", "bench.json").read_text())
        print(
            json.dumps(
                measure(
                    Path(args.home), meta["token"], meta["names"], args.incidents, args.requests
                )
            )
        )
        return
    sys.path.insert(0, str(HERE))
    from web_load import build_with

    tmp = Path(tempfile.mkdtemp(prefix="dossier-webcpu-"))
    home = tmp / "home"
    build_s = build_with(home, args, args.baseline_src)
    base_env = (
        {**os.environ, "PYTHONPATH": str(Path(args.baseline_src).resolve())}
        if args.baseline_src
        else None
    )
    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.system()}",
        "python": platform.python_version(),
        "incidents": args.incidents,
        "documents": args.documents,
        "requests": args.requests,
        "build_s": round(build_s, 1),
    }
    if base_env is not None:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--home",
                str(home),
                "--incidents",
                str(args.incidents),
                "--requests",
                str(args.requests),
            ],
            env=base_env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        report["baseline"] = json.loads(out.strip().splitlines()[-1])
        subprocess.run(
            [sys.executable, "-m", "dossier.cli", "--home", str(home), "migrate"],
            check=True,
            capture_output=True,
        )
    meta = json.loads((tmp / "bench.json").read_text())
    report["current"] = measure(home, meta["token"], meta["names"], args.incidents, args.requests)
    if "baseline" in report:
        report["ratio_mean_cpu"] = round(
            report["current"]["cpu_ms_mean"] / report["baseline"]["cpu_ms_mean"], 3
        )
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    sides = ["current"] + (["baseline"] if "baseline" in report else [])
    print(f"{'route':<15}" + "".join(f"{s + ' med':>15}{s + ' p95':>15}" for s in sides))
    for route in report["current"]["routes"]:
        cells = ""
        for s in sides:
            r = report[s]["routes"].get(route, {})
            cells += f"{r.get('cpu_ms_median', '-'):>15}{r.get('cpu_ms_p95', '-'):>15}"
        print(f"{route:<15}{cells}")
    print("mean CPU ms per request: " + ", ".join(f"{s} {report[s]['cpu_ms_mean']}" for s in sides))
    if "ratio_mean_cpu" in report:
        print(f"current / baseline: {report['ratio_mean_cpu']}")


if __name__ == "__main__":
    main()
