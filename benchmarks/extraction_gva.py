"""Casualty counts on news reports of US shootings (the Gun Violence Archive corpus).

Corpus (``../shared/eval/gva-dev``, see its SOURCE.txt; read here, never copied into
the repository): news reports, each linked to the incident's number killed and
injured as coded by the Gun Violence Archive.

A report's Dossier figure is read from its extraction as an analyst would read
it: the largest ``killed`` (``injured``) figure over its events that the text
reports as real (status neither hypothetical nor negated), a figure's value
being its ``min`` (or its ``max`` when only that is known); aggregates are
context and never count. No such figure: 0. The headline is the first line
of the text, as on a scraped page.

The baseline is a regex counter written here: a number (digits, number words,
"a man", "a woman"…) and a kill or injury word within a few words after it
("two people were killed", "3 dead", "a man was shot"); "shot dead" and "fatally
shot" count as killed, a bare "shot" as injured; the largest figure of each kind.

Metrics, over the same reports for both:

- fatal-or-not F1: does the report's incident have anyone killed (positive
  class: killed > 0);
- exact killed count on reports whose incident has killed > 0;
- exact injured count on reports whose incident has injured > 0.

Usage: ``python benchmarks/extraction_gva.py [--sample N]``; writes
``benchmarks/results/extraction_gva.json``.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import re
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "eval" / "gva-dev"
OUT = ROOT / "benchmarks" / "results" / "extraction_gva.json"
TARGETS = {"fatal-or-not F1": 0.90, "exact killed (fatal)": 0.75, "exact injured (injured)": 0.60}
HAPPENED = ("asserted", "alleged", "denied")


def load(corpus: Path = CORPUS, sample: int | None = None) -> list[dict[str, Any]]:
    """Reports joined with their incident's toll; a fixed sample (seed 0) when asked."""
    incidents = {}
    for line in (corpus / "incidents.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        incidents[row["incident_id"]] = row
    docs = []
    for line in (corpus / "docs.jsonl").open(encoding="utf-8"):
        row = json.loads(line)
        incident = incidents.get(row["incident_id"])
        if incident is None:
            continue
        row["killed"], row["injured"] = int(incident["num_killed"]), int(incident["num_injured"])
        docs.append(row)
    docs.sort(key=lambda d: d["doc_id"])
    if sample is not None and sample < len(docs):
        docs = sorted(random.Random(0).sample(docs, sample), key=lambda d: d["doc_id"])
    return docs


def page_text(doc: dict[str, Any]) -> str:
    """The text as a scraped page gives it: the headline, then the body."""
    title = (doc.get("title") or "").split(" :: ")[0].split(" | ")[0].strip()
    return f"{title}\n\n{doc['text']}" if title else doc["text"]


# --- the baseline ---------------------------------------------------------------------

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        re.findall(
            r"\w+",
            "zero one two three four five six seven eight nine ten eleven twelve thirteen "
            "fourteen fifteen sixteen seventeen eighteen nineteen twenty",
        )
    )
}
_NUM = r"(\d{1,3}|" + "|".join(_NUMBER_WORDS) + r"|an?)"
_GAP = r"(?:[\w'-]+\s+){0,4}?"
_KILLED = re.compile(
    rf"\b{_NUM}\s+{_GAP}(?:(?:was|were|are|is|have been|has been|been)\s+)?"
    r"(?:killed|dead|died|slain|fatally|shot\s+(?:and\s+killed|dead|to\s+death))",
    re.IGNORECASE,
)
_INJURED = re.compile(
    rf"\b{_NUM}\s+{_GAP}(?:(?:was|were|are|is|have been|has been|been)\s+)?"
    r"(?:injured|wounded|hurt|hospitali[sz]ed|shot)\b(?!\s+(?:and\s+killed|dead|to\s+death))",
    re.IGNORECASE,
)


def _value(word: str) -> int:
    word = word.lower()
    if word in ("a", "an"):
        return 1
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def baseline_counts(text: str) -> tuple[int, int]:
    """(killed, injured): the largest figure each regex finds, 0 when none."""
    killed = [_value(m.group(1)) for m in _KILLED.finditer(text)]
    injured = [_value(m.group(1)) for m in _INJURED.finditer(text)]
    return max(killed, default=0), max(injured, default=0)


# --- Dossier ----------------------------------------------------------------------------


def dossier_counts(analysis: Any) -> tuple[int, int]:
    """(killed, injured): the largest figure of each kind over the events reported as real."""
    best = {"killed": 0, "injured": 0}
    for event in analysis.events:
        if event.status not in HAPPENED:
            continue
        for harm in event.harm:
            if harm.kind in best:
                value = harm.min if harm.min is not None else harm.max
                best[harm.kind] = max(best[harm.kind], value or 0)
    return best["killed"], best["injured"]


def _analyses(docs: list[dict[str, Any]]) -> Iterable[Any]:
    from dossier.extract.analyzer import Analyzer
    from dossier.records import DocumentMeta

    analyzer = Analyzer()
    analyzer.setup()
    items = (
        (page_text(d), DocumentMeta(f"gva:{d['doc_id']}", d.get("title"), d.get("dct"), None, "en"))
        for d in docs
    )
    return analyzer.analyze_many(items, batch_size=32)


# --- scoring ----------------------------------------------------------------------------


def _f1(gold: list[bool], pred: list[bool]) -> float:
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def score(docs: list[dict[str, Any]], counts: list[tuple[int, int]]) -> dict[str, float]:
    """The three metrics of one system's (killed, injured) per report."""
    fatal = [i for i, d in enumerate(docs) if d["killed"] > 0]
    hurt = [i for i, d in enumerate(docs) if d["injured"] > 0]
    return {
        "fatal-or-not F1": _f1([d["killed"] > 0 for d in docs], [c[0] > 0 for c in counts]),
        "exact killed (fatal)": (
            sum(counts[i][0] == docs[i]["killed"] for i in fatal) / len(fatal) if fatal else 0.0
        ),
        "exact injured (injured)": (
            sum(counts[i][1] == docs[i]["injured"] for i in hurt) / len(hurt) if hurt else 0.0
        ),
    }


def run(sample: int | None = None, corpus: Path = CORPUS) -> dict[str, Any]:
    """Score Dossier and the regex baseline on the corpus (or a fixed sample of it)."""
    docs = load(corpus, sample)
    started = time.perf_counter()
    ours = [dossier_counts(a) for a in _analyses(docs)]
    seconds = time.perf_counter() - started
    theirs = [baseline_counts(page_text(d)) for d in docs]
    mine, base = score(docs, ours), score(docs, theirs)
    return {
        "corpus": "gva-dev",
        "n": len(docs),
        "rows": [
            {
                "metric": metric,
                "dossier": round(mine[metric], 3),
                "baseline": round(base[metric], 3),
                "target": TARGETS[metric],
            }
            for metric in TARGETS
        ],
        "n_fatal": sum(d["killed"] > 0 for d in docs),
        "n_injured": sum(d["injured"] > 0 for d in docs),
        "seconds": round(seconds, 1),
        "sample": sample,
        "machine": f"{platform.machine()} {platform.system()}, Python {platform.python_version()}",
        "date": datetime.now(UTC).date().isoformat(),
    }


def print_table(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{result['corpus']}: {result['n']} reports")
    for column in ("metric", "dossier", "baseline", "target"):
        table.add_column(column)
    for row in result["rows"]:
        table.add_row(row["metric"], str(row["dossier"]), str(row["baseline"]), str(row["target"]))
    Console().print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=None, help="score a fixed sample of N")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"corpus not found: {CORPUS} (see the module docstring)")
    result = run(args.sample)
    print_table(result)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
