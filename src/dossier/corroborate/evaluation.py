"""Scoring a clustering against an annotated grouping, and loading annotated corpora.

Items are whatever is grouped (events, or documents); ``gold`` and
``predicted`` map each item to a cluster label. Two families of scores:

- pairwise: precision and recall over the pairs of items put together;
- B-cubed (Bagga & Baldwin 1998): for each item, the share of its predicted
  cluster that belongs with it (precision) and the share of its gold cluster
  found with it (recall), averaged over items. Unlike pairwise scores it does
  not let the largest clusters dominate.

The annotated corpus format (tests/data/corroboration): ``corpus.jsonl``
(id, title, url, published, publisher, text), ``expected.json`` (document id
to incident label) and ``gold_events.json`` (one hand-annotated event per
document: what a perfect extraction would give), so clustering can be scored
apart from extraction.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

from ..records import Actor, Event, Harm, Place, Report, Span, TimeRange


def _f1(p: float, r: float) -> float:
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def pairwise_scores(
    gold: Mapping[Hashable, Hashable], predicted: Mapping[Hashable, Hashable]
) -> dict[str, float]:
    """Pairwise precision, recall and F1 over the items of ``gold``."""

    def pairs(labels: Mapping[Hashable, Hashable]) -> set[frozenset[Hashable]]:
        groups: dict[Hashable, list[Hashable]] = defaultdict(list)
        for item in gold:
            groups[labels[item]].append(item)
        return {
            frozenset((a, b)) for g in groups.values() for i, a in enumerate(g) for b in g[i + 1 :]
        }

    g, p = pairs(gold), pairs(predicted)
    precision = len(g & p) / len(p) if p else 1.0
    recall = len(g & p) / len(g) if g else 1.0
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}


def bcubed_scores(
    gold: Mapping[Hashable, Hashable], predicted: Mapping[Hashable, Hashable]
) -> dict[str, float]:
    """B-cubed precision, recall and F1 over the items of ``gold`` (zeros when empty)."""
    if not gold:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    gold_size = Counter(gold.values())
    pred_size = Counter(predicted[i] for i in gold)
    both = Counter((gold[i], predicted[i]) for i in gold)
    precision = sum(both[(gold[i], predicted[i])] / pred_size[predicted[i]] for i in gold) / len(
        gold
    )
    recall = sum(both[(gold[i], predicted[i])] / gold_size[gold[i]] for i in gold) / len(gold)
    return {"precision": precision, "recall": recall, "f1": _f1(precision, recall)}


def load_corpus(folder: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The documents and the expected incident label of each."""
    docs = [json.loads(line) for line in (folder / "corpus.jsonl").read_text().splitlines() if line]
    expected = json.loads((folder / "expected.json").read_text())
    return docs, expected


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"])")
_DATELINE = re.compile(r"^[A-Z][A-Z ,.'-]+,[^-]*\([A-Z]+\) - ")


def lead_sentence(text: str) -> Span:
    """The first sentence after any dateline: where wire copy states the event."""
    match = _DATELINE.search(text)
    start = match.end() if match else 0
    first = _SENTENCE_END.split(text[start:], maxsplit=1)[0]
    return Span(first, start, start + len(first))


def gold_reports(folder: Path) -> list[Report]:
    """Reports built from the hand-annotated events of the corpus."""
    docs, _ = load_corpus(folder)
    gold = json.loads((folder / "gold_events.json").read_text())
    places = {
        key: Place(name, lat, lon, country, admin1, precision, geonames_id)
        for key, (name, lat, lon, country, admin1, precision, geonames_id) in gold["places"].items()
    }
    reports = []
    for doc in docs:
        ann = gold["events"][doc["id"]]
        sentence = lead_sentence(doc["text"])
        day = ann.get("date")
        event = Event(
            id="gold",
            type=ann["type"],
            trigger=Span("", sentence.start, sentence.start),
            sentence=sentence,
            place=places[ann["place"]],
            time=TimeRange(day, day, "day") if day else TimeRange(None, None, "unknown"),
            perpetrator=Actor("", ann["side"]) if ann.get("side") else None,
            harm=tuple(Harm(k, c, lo, hi, "") for k, c, lo, hi in ann.get("harm", [])),
            status="denied" if ann.get("denied_by") else "alleged",
            asserted_by=tuple(Actor(t, s) for t, s in ann.get("asserted_by", [])),
            denied_by=tuple(Actor(t, s) for t, s in ann.get("denied_by", [])),
        )
        reports.append(report_of(doc, event, ann.get("origin")))
    return reports


def report_of(doc: Mapping[str, Any], event: Event, origin: str | None = None) -> Report:
    """A Report for one event of a corpus document."""
    return Report(
        event=event,
        document_id=doc["id"],
        publisher=doc.get("publisher"),
        url=doc.get("url"),
        published=doc.get("published"),
        text_sha256=hashlib.sha256(doc["text"].encode()).hexdigest(),
        origin=origin,
    )
