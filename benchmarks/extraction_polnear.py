"""Quote attribution on political news (PolNeAR, training part).

Corpus (``../shared/eval/polnear-train``, see its SOURCE.txt; read here, never copied
into the repository): 840 news articles with every attribution (source, cue,
content) annotated in brat standoff. Where an article has several annotators,
the first listed in metadata.tsv is the gold.

Matching:

- a Dossier quote is paired with the gold attribution whose content span
  overlaps it most (no overlap: the quote is not scored);
- only attributions whose source is *named* are scored: the source span holds
  a capitalised word that is not a pronoun or sentence-initial article
  ("Donald Trump", "campaign manager Robby Mook", "The New York Times");
  for "he", "the spokesman" the gold gives no name to check against;
- the *source head* is the last capitalised word of the source span ("Trump"
  of "Republican presidential candidate Donald Trump"); a speaker matches when
  its name (its role when it has no name) contains the head as a word,
  case-insensitively. No speaker is a miss.

The baseline is the closest-name rule: the PERSON entity nearest to the quote
(by characters, before or after it) is its speaker; it is scored on the same
pairs. Recall says how many gold quoted attributions with a named source
(content holding a quotation mark) a Dossier quote overlaps.

Usage: ``python benchmarks/extraction_polnear.py [--sample N]``; writes
``benchmarks/results/extraction_polnear.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import random
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "eval" / "polnear-train"
OUT = ROOT / "benchmarks" / "results" / "extraction_polnear.json"
TARGET = 0.85
PRONOUNS = frozenset(
    re.findall(
        r"\w+",
        "i we you he she it they me us him her them this that these those the a an "
        "his hers its their our my your who which",
    )
)
QUOTE_MARKS = "\"“”‘’'"


@dataclass(frozen=True)
class Attribution:
    source: str
    source_start: int
    content_start: int
    content_end: int
    content: str


def _spans(line: str) -> tuple[str, int, int, str] | None:
    """(label, start, end, text) of a brat text-bound line; discontinuous spans joined."""
    parts = line.rstrip("\n").split("\t")
    if len(parts) < 3 or not parts[0].startswith("T"):
        return None
    label, _, offsets = parts[1].partition(" ")
    numbers = [int(n) for n in re.findall(r"\d+", offsets)]
    return label, min(numbers), max(numbers), parts[2]


def read_ann(path: Path) -> list[Attribution]:
    """The attributions of one brat file that have a source and a content."""
    spans: dict[str, tuple[str, int, int, str]] = {}
    events: list[dict[str, str]] = []
    for line in path.open(encoding="utf-8"):
        if line.startswith("T"):
            parsed = _spans(line)
            if parsed:
                spans[line.split("\t")[0]] = parsed
        elif line.startswith("E"):
            args = line.rstrip("\n").split("\t")[1].split()
            events.append(dict(a.split(":", 1) for a in args if ":" in a))
    out = []
    for event in events:
        source, content = spans.get(event.get("Source", "")), spans.get(event.get("Content", ""))
        if source and content:
            out.append(Attribution(source[3], source[1], content[1], content[2], content[3]))
    return out


def source_head(source: str) -> str | None:
    """The head of a named source: the last capitalised word before any apposition,
    relative clause or "of" phrase ("Arthur Hellman, a law professor at ..." -> Hellman;
    "Patricia Moran of Cheyenne" -> Moran); None when the source names nobody."""
    core = re.split(r",|\(|—|–| - | of | who | which | from | at | with | in ", source)[0]
    if core.isupper() and len(core.split()) > 1:
        return None  # a headline in capitals, not a name
    names = [
        w
        for w in re.findall(r"[\w’'.-]+", core)
        if w[:1].isupper() and w.lower().strip(".") not in PRONOUNS
    ]
    if not names:
        return None
    head = re.sub(r"(?:['’]s|['’])$", "", names[-1]).strip(".")
    return head or None


def load(corpus: Path = CORPUS, sample: int | None = None) -> list[dict[str, Any]]:
    """Articles with their gold attributions; a fixed sample (seed 0) when asked."""
    docs = []
    with (corpus / "metadata.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row.get("compartment") != "train":
                continue
            name = row["filename"]
            annotator = (row.get("annotators") or "").split(",")[0].strip()
            ann = corpus / "attributions" / f"{name}_{annotator}.ann"
            text_path = corpus / "text" / f"{name}.txt"
            if not ann.is_file() or not text_path.is_file():
                continue
            docs.append(
                {
                    "name": name,
                    "title": row.get("title"),
                    "published": row.get("publication_date"),
                    "text": text_path.read_text(encoding="utf-8"),
                    "gold": read_ann(ann),
                }
            )
    docs.sort(key=lambda d: d["name"])
    if sample is not None and sample < len(docs):
        docs = sorted(random.Random(0).sample(docs, sample), key=lambda d: d["name"])
    return docs


def matches(speaker: str | None, head: str) -> bool:
    """Whether a speaker's words contain the gold source head."""
    if not speaker:
        return False
    return head.lower() in {w.lower() for w in re.findall(r"[\w’'-]+", speaker)} or any(
        re.sub(r"(?:['’]s)$", "", w).lower() == head.lower()
        for w in re.findall(r"[\w’'-]+", speaker)
    )


def closest_name(analysis: Any, start: int, end: int) -> str | None:
    """The baseline: the PERSON entity nearest to the span."""
    best, best_distance = None, None
    for entity in analysis.entities:
        if entity.label != "PERSON" or (start <= entity.start < end):
            continue
        distance = start - entity.end if entity.end <= start else entity.start - end
        if best_distance is None or distance < best_distance:
            best, best_distance = entity.text, distance
    return best


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score_document(doc: dict[str, Any], analysis: Any) -> dict[str, int]:
    """Counts for one article: scored pairs, correct (Dossier, baseline), recall parts."""
    counts = {"pairs": 0, "dossier": 0, "baseline": 0, "missing": 0, "gold": 0, "found": 0}
    named = [g for g in doc["gold"] if source_head(g.source)]
    quotes = [(q.start, q.end, q) for q in analysis.quotes]
    for gold in named:
        if any(m in gold.content for m in QUOTE_MARKS):
            counts["gold"] += 1
            if any(_overlap((s, e), (gold.content_start, gold.content_end)) for s, e, _ in quotes):
                counts["found"] += 1
    for start, end, quote in quotes:
        overlaps = [
            (_overlap((start, end), (g.content_start, g.content_end)), g) for g in doc["gold"]
        ]
        overlaps = [(o, g) for o, g in overlaps if o > 0]
        if not overlaps:
            continue
        gold = max(overlaps, key=lambda pair: pair[0])[1]
        head = source_head(gold.source)
        if head is None:
            continue
        counts["pairs"] += 1
        said = quote.speaker.name or quote.speaker.role
        counts["dossier"] += matches(said, head)
        counts["missing"] += said is None
        counts["baseline"] += matches(closest_name(analysis, start, end), head)
    return counts


def _analyses(docs: list[dict[str, Any]]) -> Iterable[Any]:
    from dossier.extract.analyzer import Analyzer
    from dossier.records import DocumentMeta

    analyzer = Analyzer()
    analyzer.setup()
    items = (
        (d["text"], DocumentMeta(f"polnear:{d['name']}", d["title"], d["published"], None, "en"))
        for d in docs
    )
    return analyzer.analyze_many(items, batch_size=16)


def run(sample: int | None = None, corpus: Path = CORPUS) -> dict[str, Any]:
    """Score Dossier's quote speakers and the closest-name baseline on the corpus or a sample."""
    docs = load(corpus, sample)
    started = time.perf_counter()
    totals = {"pairs": 0, "dossier": 0, "baseline": 0, "missing": 0, "gold": 0, "found": 0}
    for doc, analysis in zip(docs, _analyses(docs), strict=True):
        for key, value in score_document(doc, analysis).items():
            totals[key] += value
    seconds = time.perf_counter() - started
    pairs = totals["pairs"] or 1
    return {
        "corpus": "polnear-train",
        "n": len(docs),
        "rows": [
            {
                "metric": "speaker accuracy (named source)",
                "dossier": round(totals["dossier"] / pairs, 3),
                "baseline": round(totals["baseline"] / pairs, 3),
                "target": TARGET,
            },
            {
                "metric": "quoted attributions found (named source)",
                "dossier": round(totals["found"] / (totals["gold"] or 1), 3),
                "baseline": None,
                "target": None,
            },
        ],
        "pairs": totals["pairs"],
        "speaker_missing": round(totals["missing"] / pairs, 3),
        "seconds": round(seconds, 1),
        "sample": sample,
        "machine": f"{platform.machine()} {platform.system()}, Python {platform.python_version()}",
        "date": datetime.now(UTC).date().isoformat(),
    }


def print_table(result: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{result['corpus']}: {result['n']} articles, {result['pairs']} quotes")
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
