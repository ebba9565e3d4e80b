"""Incremental corroboration: 1,000 new events added to stores of 10k, 100k and 1M events.

Each size runs in its own subprocess, in a fresh SQLite store in a temporary
folder. The events are ``corroboration_scale.generate``'s synthetic reports
(real gazetteer cities, 1-5 reports per incident, shuffled): the first N
are written into the store as documents, extraction runs and events (bulk
inserts, no custody entries: a fixture, not an ingest), the store is
corroborated once (the "first run", writing every incident), then the last
1,000 are added as new documents. Timed, each as ``dossier corroborate``
runs it (``run_corroboration``):

- **incremental**: the run after the 1,000 new events (saved state restored,
  new events added, only changed incidents written);
- **full**: the same store again with the saved state deleted, so the run
  rebuilds every cluster from the store (what every run cost before
  incremental corroboration), and compares its result with the stored one.

Checked on every size: the incremental run reports 1,000 new events and
rebuilt=False; every old incident the new events did not reach (neither
holding one now nor having given a member to one that does) keeps its row
(``updated_at``), id and members (``outside_changed`` counts those that did
not: 0 is the promise); and the full rebuild comes out with the same
incidents, members and records as the incremental run. Each document's text
carries words of its own, so no two are near-duplicates (a regrouped
near-duplicate would rightly rewrite its old copies' incidents too). Prints
a table and writes benchmarks/results/corroboration_incremental.json.

    PYTHONPATH=src python benchmarks/corroboration_incremental.py [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corroboration_scale import generate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "results" / "corroboration_incremental.json"
DEFAULT_SIZES = [10_000, 100_000, 1_000_000]
NEW = 1_000
PIPELINE = "extract.benchmark"
CHUNK = 5_000


def _text(report: Any) -> str:
    """The report's sentence and 24 words of its own: no two documents are near-duplicates,
    so what the new events change is what clustering changes (regrouped near-duplicates
    would rightly rewrite the incidents of their old copies too)."""
    digest = hashlib.sha256(report.document_id.encode()).hexdigest()
    own = " ".join(f"w{digest[i : i + 6]}{i}" for i in range(0, 48, 2))
    return f"{report.event.sentence.text} Filed as {report.document_id}: {own}."


def write_reports(store: Any, reports: list[Any]) -> None:
    """Documents, extraction runs and events for ``reports``, in bulk (one event per document)."""
    from sqlalchemy import insert, select

    from dossier.evidence.canonical import canonical_json
    from dossier.records import event_json
    from dossier.store import tables

    now = datetime.now(UTC).isoformat()
    for start in range(0, len(reports), CHUNK):
        chunk = reports[start : start + CHUNK]
        texts = {r.document_id: _text(r) for r in chunk}
        with store.transaction() as conn:
            conn.execute(
                insert(tables.artifacts),
                [
                    {
                        "sha256": hashlib.sha256(texts[r.document_id].encode()).hexdigest(),
                        "media_type": "text/plain",
                        "size": len(texts[r.document_id]),
                        "acquired_at": now,
                        "acquired_by": "benchmark",
                        "status": "document",
                    }
                    for r in chunk
                ],
            )
            conn.execute(
                insert(tables.documents),
                [
                    {
                        "id": r.document_id,
                        "artifact_sha256": hashlib.sha256(
                            texts[r.document_id].encode()
                        ).hexdigest(),
                        "locator": "",
                        "text": texts[r.document_id],
                        "text_sha256": r.text_sha256,
                        "title": None,
                        "url": r.url,
                        "publisher": r.publisher,
                        "published": r.published,
                        "language": "en",
                        "status": "ok",
                        "restricted": False,
                        "created_at": now,
                    }
                    for r in chunk
                ],
            )
            conn.execute(
                insert(tables.extraction_runs),
                [
                    {
                        "document_id": r.document_id,
                        "pipeline": PIPELINE,
                        "status": "ok",
                        "analysis": "{}",
                        "analysis_sha256": "0" * 64,
                        "created_at": now,
                    }
                    for r in chunk
                ],
            )
            r_ = tables.extraction_runs
            run_ids = dict(
                conn.execute(
                    select(r_.c.document_id, r_.c.id).where(
                        r_.c.document_id.in_([r.document_id for r in chunk])
                    )
                ).all()
            )
            rows = []
            for r in chunk:
                e, place = r.event, r.event.place
                rows.append(
                    {
                        "id": e.id,
                        "pipeline": PIPELINE,
                        "run_id": run_ids[r.document_id],
                        "document_id": r.document_id,
                        "type": e.type,
                        "status": e.status,
                        "place_name": place.name if place else None,
                        "lat": place.lat if place else None,
                        "lon": place.lon if place else None,
                        "country": place.country if place else None,
                        "admin1": place.admin1 if place else None,
                        "time_start": e.time.start,
                        "time_end": e.time.end,
                        "perpetrator_side": e.perpetrator.side if e.perpetrator else None,
                        "subtype": e.subtype,
                        "record": canonical_json(event_json(e)).decode(),
                    }
                )
            conn.execute(insert(tables.events), rows)


def snapshot(store: Any) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Incident id → updated_at, and incident id → its member documents."""
    from sqlalchemy import select

    from dossier.store import tables

    i, m = tables.incidents, tables.incident_events
    with store.engine.connect() as conn:
        stamps = dict(conn.execute(select(i.c.id, i.c.updated_at)).all())
        members: dict[str, set[str]] = {}
        for inc, doc in conn.execute(select(m.c.incident_id, m.c.document_id)):
            members.setdefault(inc, set()).add(doc)
    return stamps, members


def records(store: Any) -> dict[str, str]:
    """Incident id → its stored record (the ``incidents --json`` object)."""
    from sqlalchemy import select

    from dossier.store import tables

    i = tables.incidents
    with store.engine.connect() as conn:
        return dict(conn.execute(select(i.c.id, i.c.record)).all())


def run_one(n: int) -> dict[str, Any]:
    """Build a store of ``n`` events, add ``NEW``, time the incremental and the full run."""
    from sqlalchemy import delete

    from dossier.config import Settings
    from dossier.corroborate.runner import run_corroboration
    from dossier.store import tables
    from dossier.store.database import Store

    out: dict[str, Any] = {"events": n, "new_events": NEW}
    # an event id is unique in a store (the extractor derives it from the document)
    reports = [
        replace(r, event=replace(r.event, id=f"ev_{r.text_sha256[:24]}")) for r in generate(n + NEW)
    ]
    base, new = reports[:n], reports[n:]
    with tempfile.TemporaryDirectory(prefix="dossier-bench-") as tmp:
        store = Store.open(Settings(home=Path(tmp) / "home", actor="benchmark"))
        t = time.perf_counter()
        write_reports(store, base)
        out["store_write_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        first = run_corroboration(store, PIPELINE)
        out["first_run_s"] = round(time.perf_counter() - t, 2)
        out["incidents_before"] = first.incidents
        stamps, members = snapshot(store)
        write_reports(store, new)
        t = time.perf_counter()
        inc = run_corroboration(store, PIPELINE)
        out["incremental_s"] = round(time.perf_counter() - t, 2)
        assert inc.new_events == NEW and inc.rebuilt is False, inc
        out["incidents_after"] = inc.incidents
        out["incremental_written"] = inc.written
        out["incremental_removed"] = inc.removed
        stamps2, members2 = snapshot(store)
        new_docs = {r.document_id for r in new}
        holding_new = {i for i, docs in members2.items() if docs & new_docs}
        # what the new events reached: incidents now holding one, and the old incidents
        # that gave them members (a new report can pull an old one over); all else is
        # outside their blocks and must keep its row, id and members
        pulled = set().union(*(members2[i] for i in holding_new)) if holding_new else set()
        reached = holding_new | {i for i, docs in members.items() if docs & pulled}
        untouched = [i for i in stamps if i not in reached]
        gone = [i for i in untouched if i not in stamps2]
        rewritten = [i for i in untouched if i in stamps2 and stamps2[i] != stamps[i]]
        moved = [i for i in untouched if i in stamps2 and members2[i] != members[i]]
        # recorded, not asserted, so a size that breaks the promise still reports its times
        out["outside_changed"] = {
            "gone": len(gone),
            "rewritten": len(rewritten),
            "moved": len(moved),
        }
        out["old_incidents_reached"] = len(reached & set(stamps))
        out["old_incidents_untouched"] = len(untouched)
        kept = records(store)
        with store.transaction() as conn:
            conn.execute(delete(tables.corroboration_state))
        t = time.perf_counter()
        full = run_corroboration(store, PIPELINE)
        out["full_s"] = round(time.perf_counter() - t, 2)
        assert full.rebuilt is True
        stamps3, members3 = snapshot(store)
        out["full_written"] = full.written
        # a rebuild rewrites every row; what it writes must be what the incremental run left
        out["full_equals_incremental"] = members3 == members2 and records(store) == kept
        out["speedup"] = round(out["full_s"] / max(out["incremental_s"], 1e-9), 2)
        out["db_mb"] = round((Path(tmp) / "home" / "dossier.db").stat().st_size / 2**20, 1)
        store.engine.dispose()
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=DEFAULT_SIZES)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(run_one(args.one)))
        return
    rows = []
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    for n in args.sizes:
        proc = subprocess.run(
            [sys.executable, __file__, "--one", str(n)],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        if proc.returncode != 0:
            sys.exit(f"{n} events: the run failed\n{proc.stderr[-3000:]}")
        rows.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        r = rows[-1]
        print(
            f"{r['events']:>9} events +{NEW}: incremental {r['incremental_s']:8.2f}s"
            f" (wrote {r['incremental_written']})  full {r['full_s']:8.2f}s"
            f"  x{r['speedup']:.1f}  first run {r['first_run_s']:8.2f}s"
            f"  untouched {r['old_incidents_untouched']}/{r['incidents_before']}"
            f" (changed outside: {r['outside_changed']})"
            f"  peak {r['peak_rss_mb']:8.1f} MB",
            flush=True,
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        json.dumps(
            {
                "benchmark": "corroboration_incremental",
                "date": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": f"{platform.machine()}, {platform.python_version()}, "
                f"{os.cpu_count()} cores",
                "rows": rows,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
