"""Geoparsing benchmark: toponym detection and resolution on public news corpora.

Corpora (not copied into the repository; read at run time): GeoVirus,
TR-News and LGL as published with Gritta, Pilehvar and Collier, "A Pragmatic
Guide to Geoparsing Evaluation" (see ``SOURCE.txt`` beside them).

For each corpus:

- detection precision / recall / F1 of predicted toponym spans, lenient
  (a prediction matches a gold toponym when the character spans overlap,
  each gold toponym matched at most once) and exact (same start and end);
- end-to-end resolution: accuracy@161 km and median error over the
  leniently matched pairs whose gold toponym has coordinates;
- gold-span resolution (the literature's setting): every gold toponym with
  coordinates resolved from its gold span with the others as context; a
  toponym the gazetteer cannot find counts as a miss;
- docs/s of the whole path (spaCy + detection + resolution) on this machine.

Usage: ``python benchmarks/geoparsing.py [CORPUS_DIR] [--limit N]``.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import statistics
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from dossier.extract.nlp import load_nlp
from dossier.extract.places.gazetteer import get_gazetteer
from dossier.extract.places.resolver import resolve_places, resolve_spans
from dossier.geo import haversine_km
from dossier.records import Place

ROOT = Path(__file__).resolve().parent.parent
CORPORA = {"GeoVirus": "GeoVirus.xml", "TR-News": "TR-News.xml", "LGL": "lgl.xml"}


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    phrase: str
    lat: float | None
    lon: float | None
    geonames_id: int | None = None


def _float(node: ET.Element | None, tag: str) -> float | None:
    found = None if node is None else node.findtext(tag)
    return float(found) if found not in (None, "") else None


def _align(text: str, g: Gold) -> Gold:
    """GeoVirus offsets are one character late; move a gold span onto its phrase."""
    for shift in (0, -1, 1, -2, 2):
        if text[g.start + shift : g.end + shift] == g.phrase:
            return Gold(g.start + shift, g.end + shift, g.phrase, g.lat, g.lon, g.geonames_id)
    return g


def read_corpus(path: Path) -> list[tuple[str, list[Gold]]]:
    """(text, gold toponyms) per article, for the GeoVirus and LGL/TR-News layouts."""
    docs = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        gold = []
        for loc in art.iter("location"):  # GeoVirus
            gold.append(
                Gold(
                    int(loc.findtext("start") or 0),
                    int(loc.findtext("end") or 0),
                    loc.findtext("name") or "",
                    _float(loc, "lat"),
                    _float(loc, "lon"),
                )
            )
        # LGL and TR-News give the gold GeoNames id; a resolution to that id is
        # correct whatever point each gazetteer version puts on the entry.
        for top in art.iter("toponym"):  # LGL, TR-News
            tag = top.find("gaztag")
            gold.append(
                Gold(
                    int(top.findtext("start") or 0),
                    int(top.findtext("end") or 0),
                    top.findtext("phrase") or "",
                    _float(tag, "lat"),
                    _float(tag, "lon"),
                    int(tag.get("geonameid") or 0) or None if tag is not None else None,
                )
            )
        docs.append((text, sorted((_align(text, g) for g in gold), key=lambda g: g.start)))
    return docs


km = haversine_km


def error_km(g: Gold, place: Place) -> float:
    """Distance from the gold point; 0 when the GeoNames ids agree."""
    if g.geonames_id is not None and g.geonames_id == place.geonames_id:
        return 0.0
    assert g.lat is not None and g.lon is not None
    return km(g.lat, g.lon, place.lat, place.lon)


def _prf(tp: int, npred: int, ngold: int) -> dict[str, float]:
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _errors_summary(errors: list[float]) -> dict[str, float | int]:
    finite = [e for e in errors if math.isfinite(e)]
    return {
        "n": len(errors),
        "acc_161km": sum(e <= 161 for e in errors) / len(errors) if errors else 0.0,
        "median_km": statistics.median(errors) if errors else 0.0,
        "mean_km_found": statistics.fmean(finite) if finite else 0.0,
        "not_found": len(errors) - len(finite),
    }


def evaluate(name: str, path: Path, limit: int | None) -> dict[str, Any]:
    nlp, gaz = load_nlp(), get_gazetteer()
    docs = read_corpus(path)[:limit]
    bad = sum(text[g.start : g.end] != g.phrase for text, golds in docs for g in golds)
    tp_lenient = tp_exact = npred = ngold = 0
    e2e_errors: list[float] = []
    gold_errors: list[float] = []
    t0 = time.perf_counter()
    for doc, (_, golds) in zip(nlp.pipe((t for t, _ in docs), batch_size=32), docs, strict=False):
        preds = resolve_places(doc, gaz)
        npred += len(preds)
        ngold += len(golds)
        used: set[int] = set()
        for p in preds:
            tp_exact += any(g.start == p.start and g.end == p.end for g in golds)
            for i, g in enumerate(golds):
                if i not in used and p.start < g.end and g.start < p.end:
                    used.add(i)
                    tp_lenient += 1
                    if g.lat is not None and g.lon is not None:
                        e2e_errors.append(error_km(g, p.place))
                    break
    elapsed = time.perf_counter() - t0
    for text, golds in docs:
        with_coords = [g for g in golds if g.lat is not None and g.lon is not None]
        places = resolve_spans(text, [(g.start, g.end) for g in with_coords], gaz)
        for g, place in zip(with_coords, places, strict=False):
            gold_errors.append(math.inf if place is None else error_km(g, place))
    return {
        "corpus": name,
        "documents": len(docs),
        "gold_toponyms": ngold,
        "gold_offset_mismatches": bad,
        "predicted": npred,
        "detection_lenient": _prf(tp_lenient, npred, ngold),
        "detection_exact": _prf(tp_exact, npred, ngold),
        "resolution_end_to_end": _errors_summary(e2e_errors),
        "resolution_gold_spans": _errors_summary(gold_errors),
        "docs_per_s": len(docs) / elapsed if elapsed else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus_dir", nargs="?", default=str(ROOT / "../shared/eval/geoparsing"))
    parser.add_argument("--limit", type=int, default=None, help="first N articles of each corpus")
    parser.add_argument("--out", default=str(ROOT / "benchmarks/results/geoparsing.json"))
    args = parser.parse_args()
    base = Path(args.corpus_dir)
    results = [evaluate(n, base / f, args.limit) for n, f in CORPORA.items() if (base / f).exists()]
    table = Table(title="Geoparsing (lenient span match; acc@161 km)")
    for col in (
        "corpus",
        "docs",
        "det P",
        "det R",
        "det F1",
        "e2e acc@161",
        "e2e median km",
        "gold-span acc@161",
        "gold-span median km",
        "docs/s",
    ):
        table.add_column(col, justify="right")
    for r in results:
        d, e, g = r["detection_lenient"], r["resolution_end_to_end"], r["resolution_gold_spans"]
        table.add_row(
            r["corpus"],
            str(r["documents"]),
            f"{d['precision']:.3f}",
            f"{d['recall']:.3f}",
            f"{d['f1']:.3f}",
            f"{e['acc_161km']:.3f}",
            f"{e['median_km']:.1f}",
            f"{g['acc_161km']:.3f}",
            f"{g['median_km']:.1f}",
            f"{r['docs_per_s']:.1f}",
        )
    Console(width=170).print(table)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {__import__('os').cpu_count()} cores",
        "python": platform.python_version(),
    }
    out.write_text(json.dumps({"meta": meta, "results": results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
