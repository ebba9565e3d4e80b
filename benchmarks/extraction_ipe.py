"""Police killings and arrests on IndiaPoliceEvents (development part), document level.

Corpus (read at run time, never copied): ``../shared/eval/ipe-dev`` (see its
SOURCE.txt): Times of India articles of March 2002, lower case, each labelled
with the police actions it reports (KILL, ARREST, ...).

- Dossier predicts KILL (ARREST) for a document when its extraction has a
  killing (a detention) event, not negated or hypothetical and not a wounding (a
  killing-type event whose only harm is injury), whose perpetrator
  is the police or another state force (``events.sides.is_state_force``).
- Baseline, computed in the same run on the same texts: the corpus authors'
  keyword rule, a sentence (the corpus's own segmentation) holding a police
  word and a kill (arrest) word marks the document (``keywords.json``).

``run(sample)`` returns {"corpus", "n", "rows"}; ``benchmarks/extraction_quality.py``
prints and stores it. ``sample`` takes a fixed subset: every labelled document
of the first ``sample`` by a stable hash order, so quick runs and the CI gate
read the same texts each time.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from dossier.extract.analyzer import Analyzer
from dossier.extract.events.sides import is_state_force
from dossier.records import Analysis, DocumentMeta

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "../shared/eval/ipe-dev"
LABELS = {"KILL": "killing", "ARREST": "detention"}
TARGET_F1 = 0.80


def available(corpus: Path = CORPUS) -> bool:
    """Whether the corpus files are there (they are never part of the repository)."""
    return all((corpus / n).exists() for n in ("docs.jsonl", "sents.jsonl", "keywords.json"))


def _order(doc_id: int) -> str:
    return hashlib.sha256(f"ipe:{doc_id}".encode()).hexdigest()


def read_corpus(corpus: Path = CORPUS, sample: int | None = None) -> list[dict[str, Any]]:
    """The documents (id, text, date, labels, sentences), all or a fixed sample of ``sample``."""
    docs = {}
    for line in (corpus / "docs.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        docs[row["doc_id"]] = {
            "id": row["doc_id"],
            "text": row["doc_text"],
            "labels": set(row["doc_labels"]),
            "sentences": [],
            "date": None,
        }
    for line in (corpus / "sents.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["doc_id"] in docs:
            docs[row["doc_id"]]["sentences"].append(row["sent_text"])
    meta = corpus / "metadata.jsonl"
    if meta.exists():
        for line in meta.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if row["doc_id"] in docs:
                docs[row["doc_id"]]["date"] = row.get("date")
    ordered = sorted(docs.values(), key=lambda d: _order(d["id"]))
    return ordered if sample is None else ordered[:sample]


def gate_sample(others: int = 120, corpus: Path = CORPUS) -> list[dict[str, Any]]:
    """The CI gate's fixed texts: every KILL or ARREST document and ``others`` of the rest.

    Positives are rare (2% and 6% of the corpus), so a plain sample small enough
    for CI would hold too few to measure recall; precision on this sample is
    higher than on the whole corpus, and the gate's floors are pinned on it.
    """
    docs = read_corpus(corpus)
    positive = [d for d in docs if d["labels"] & set(LABELS)]
    rest = [d for d in docs if not d["labels"] & set(LABELS)][:others]
    return sorted(positive + rest, key=lambda d: _order(d["id"]))


def _pattern(terms: Iterable[str]) -> re.Pattern[str]:
    alternatives = sorted({t.strip().lower() for t in terms if t.strip()}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(t) for t in alternatives) + r")\b")


def baseline(docs: list[dict[str, Any]], corpus: Path = CORPUS) -> dict[str, set[int]]:
    """The authors' rule: a sentence with a police word and a kill (arrest) word."""
    keywords = json.loads((corpus / "keywords.json").read_text(encoding="utf-8"))
    police = _pattern(keywords["police"] + keywords["police_acronyms"])
    acts = {"KILL": _pattern(keywords["kill"]), "ARREST": _pattern(keywords["arrest"])}
    out: dict[str, set[int]] = {label: set() for label in LABELS}
    for doc in docs:
        for sentence in doc["sentences"]:
            lower = sentence.lower()
            if not police.search(lower):
                continue
            for label, pattern in acts.items():
                if pattern.search(lower):
                    out[label].add(doc["id"])
    return out


def predicted(analysis: Analysis) -> set[str]:
    """The labels Dossier's extraction gives a document."""
    out = set()
    for event in analysis.events:
        if event.status in ("negated", "hypothetical") or event.perpetrator is None:
            continue
        if not is_state_force(event.perpetrator.text):
            continue
        for label, type_ in LABELS.items():
            if event.type == type_ and not _wounding(event):
                out.add(label)
    return out


def _wounding(event: Any) -> bool:
    """A killing-type event whose only harm is injury is a wounding (ACLED files both as
    an attack on civilians): police who wounded someone did not kill anyone."""
    kinds = {h.kind for h in event.harm}
    return event.type == "killing" and bool(kinds) and kinds <= {"injured"}


def dossier(docs: list[dict[str, Any]], analyzer: Analyzer | None = None) -> dict[str, set[int]]:
    """Document ids Dossier labels KILL and ARREST."""
    analyzer = analyzer or Analyzer()
    items = [
        (
            d["text"],
            DocumentMeta(f"ipe:{d['id']}", None, d["date"], "The Times of India", "en"),
        )
        for d in docs
    ]
    out: dict[str, set[int]] = {label: set() for label in LABELS}
    for doc, analysis in zip(docs, analyzer.analyze_many(items), strict=True):
        for label in predicted(analysis):
            out[label].add(doc["id"])
    return out


def prf(pred: set[int], gold: set[int]) -> tuple[float, float, float]:
    tp = len(pred & gold)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run(
    sample: int | None = None,
    analyzer: Analyzer | None = None,
    docs: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Document-level P/R/F1 of KILL and ARREST, Dossier beside the keyword baseline."""
    docs = docs if docs is not None else read_corpus(sample=sample)
    ours, base = dossier(docs, analyzer), baseline(docs)
    rows = []
    for label in LABELS:
        gold = {d["id"] for d in docs if label in d["labels"]}
        metrics = ("precision", "recall", "F1")
        scores = zip(metrics, prf(ours[label], gold), prf(base[label], gold), strict=True)
        for metric, mine, theirs in scores:
            rows.append(
                {
                    "metric": f"{label} {metric}",
                    "dossier": round(mine, 3),
                    "baseline": round(theirs, 3),
                    "target": TARGET_F1 if metric == "F1" else None,
                    "gold": len(gold),
                }
            )
    return {"corpus": "IndiaPoliceEvents (dev)", "n": len(docs), "rows": rows}


if __name__ == "__main__":
    import sys

    result = run(int(sys.argv[1]) if len(sys.argv) > 1 else None)
    for row in result["rows"]:
        print(f"{row['metric']:<20} {row['dossier']:.3f}  baseline {row['baseline']:.3f}")
