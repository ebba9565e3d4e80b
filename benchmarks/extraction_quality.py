"""Extraction quality on the development corpora, each figure beside a baseline.

One command, one table, one JSON file (benchmarks/results/extraction_quality.json):

- IndiaPoliceEvents (``extraction_ipe``): police killings and arrests, document
  level, against the corpus authors' keyword rule;
- GVA and PolNeAR (``extraction_gva``, ``extraction_polnear``) when those
  modules are present: each exposes ``run(sample) -> {"corpus", "n", "rows"}``;
- geoparsing: literal toponym detection recall and resolution accuracy on
  GeoVirus, TR-News and LGL (``geoparsing.evaluate``), beside a baseline of
  the spaCy entity recogniser's GPE/LOC/FAC spans alone.

Corpora are read from ``../shared/eval`` at run time and never copied.

    PYTHONPATH=src python benchmarks/extraction_quality.py [--sample N]
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

RESULTS = HERE / "results" / "extraction_quality.json"
GEO_DIR = HERE.parent / "../shared/eval/geoparsing"
GEO_RECALL_TARGET = 0.85
GEO_ACC_TARGET = 0.837  # mean acc@161 km over the corpora


def _module_rows(name: str, sample: int | None) -> dict[str, Any] | None:
    """The result of ``benchmarks/<name>.py``'s ``run``, or None when it is absent."""
    try:
        module = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return None
        raise
    available = getattr(module, "available", None)
    if callable(available) and not available():
        return {"corpus": name, "n": 0, "rows": [], "skipped": "corpus not found"}
    result: dict[str, Any] = module.run(sample)
    return result


def _ner_baseline(docs: list[tuple[str, list[Any]]], nlp: Any) -> float:
    """Recall of the entity recogniser's own GPE/LOC/FAC spans (lenient overlap)."""
    found = total = 0
    for doc, (_, golds) in zip(nlp.pipe((t for t, _ in docs), batch_size=32), docs, strict=True):
        spans = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in ("GPE", "LOC", "FAC")]
        total += len(golds)
        found += sum(any(s < g.end and g.start < e for s, e in spans) for g in golds)
    return found / total if total else 0.0


def geoparsing(sample: int | None) -> dict[str, Any] | None:
    """Toponym detection recall and acc@161 km per corpus, beside the NER-only baseline."""
    import geoparsing as geo

    from dossier.extract.nlp import load_nlp

    if not GEO_DIR.exists():
        return None
    rows: list[dict[str, Any]] = []
    accuracies: list[float] = []
    n = 0
    for name, file in geo.CORPORA.items():
        path = GEO_DIR / file
        if not path.exists():
            continue
        result = geo.evaluate(name, path, sample)
        docs = geo.read_corpus(path)[:sample]
        n += result["documents"]
        rows.append(
            {
                "metric": f"{name} toponym recall",
                "dossier": round(result["detection_lenient"]["recall"], 3),
                "baseline": round(_ner_baseline(docs, load_nlp()), 3),
                "target": GEO_RECALL_TARGET,
            }
        )
        accuracy = result["resolution_end_to_end"]["acc_161km"]
        accuracies.append(accuracy)
        rows.append(
            {
                "metric": f"{name} acc@161 km",
                "dossier": round(accuracy, 3),
                "baseline": None,
                "target": None,
            }
        )
    if accuracies:
        rows.append(
            {
                "metric": "mean acc@161 km",
                "dossier": round(sum(accuracies) / len(accuracies), 3),
                "baseline": None,
                "target": GEO_ACC_TARGET,
            }
        )
    return {"corpus": "Geoparsing (GeoVirus, TR-News, LGL)", "n": n, "rows": rows}


def meets(row: dict[str, Any]) -> bool | None:
    """Whether a row reaches its target and beats its baseline (None: no target)."""
    if row.get("target") is None:
        return None
    baseline = row.get("baseline")
    return row["dossier"] >= row["target"] and (baseline is None or row["dossier"] > baseline)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=None, help="first N documents per corpus")
    parser.add_argument("--out", default=str(RESULTS))
    parser.add_argument("--no-geo", action="store_true", help="skip the geoparsing corpora")
    args = parser.parse_args()
    started = time.perf_counter()
    results = []
    for name in ("extraction_ipe", "extraction_gva", "extraction_polnear"):
        result = _module_rows(name, args.sample)
        if result is not None:
            results.append(result)
    if not args.no_geo:
        geo = geoparsing(args.sample)
        if geo is not None:
            results.append(geo)
    table = Table(title="Extraction quality (development corpora; baseline in the same run)")
    for column in ("corpus", "n", "metric", "Dossier", "baseline", "target", "met"):
        table.add_column(column, justify="left" if column in ("corpus", "metric") else "right")
    for result in results:
        for row in result["rows"]:
            met = meets(row)
            row["met"] = met
            table.add_row(
                result["corpus"],
                str(result["n"]),
                row["metric"],
                f"{row['dossier']:.3f}",
                "—" if row.get("baseline") is None else f"{row['baseline']:.3f}",
                "—" if row.get("target") is None else f">= {row['target']:.3f}",
                "" if met is None else ("yes" if met else "MISS"),
            )
    Console(width=140).print(table)
    meta = {
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "python": platform.python_version(),
        "sample": args.sample,
        "seconds": round(time.perf_counter() - started, 1),
    }
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
