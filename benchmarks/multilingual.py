"""Benchmark: the Ukrainian and Russian analyser, each figure beside a baseline.

1. Events, places and harm on the reports written for the tests
   (``tests/data/lang/``, expectations in ``expected.json``), beside a keyword
   matcher (a trigger lemma anywhere in the report gives an event of its type;
   a capitalised word the gazetteer knows is the place). Report level:
   event type found, place right (GeoNames id or region), harm figures equal.
2. Entities on the public corpora: factRuEval-2016 dev (Russian: persons,
   organisations, locations) beside natasha alone, and ner-uk dev (Ukrainian:
   PERS, ORG, LOC) beside capitalised-word lookup in the gazetteer (places) and
   capitalised word pairs (people). Lenient match: overlapping spans of one type.
3. Speed: words/s of the whole analyser beside bare tokenisation plus
   morphology (razdel + pymorphy3 over the same texts), in alternating batches
   of one run so that load on a shared machine moves both sides alike; peak
   memory of the process.

Prints a table and writes ``benchmarks/results/multilingual.json``.
Usage: ``python benchmarks/multilingual.py [--eval ../shared/eval] [--docs 200]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import re
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
RESULTS = ROOT / "benchmarks" / "results" / "multilingual.json"
DATA = ROOT / "tests" / "data" / "lang"

from dossier.extract.lang.cyrillic import LEXICONS, analyzer_for  # noqa: E402
from dossier.extract.lang.tokens import tokenize  # noqa: E402
from dossier.extract.places.gazetteer import get_gazetteer  # noqa: E402
from dossier.records import DocumentMeta  # noqa: E402

Span = tuple[int, int, str]


# --- 1. the test reports --------------------------------------------------------------


def _keyword_events(text: str, language: str) -> set[str]:
    tokens, _ = tokenize(text, language)
    lemmas = set().union(*(t.lemmas for t in tokens)) if tokens else set()
    return {t.type for t in LEXICONS[language].triggers if t.lemmas[0] in lemmas}


def _keyword_place(text: str, language: str) -> set[int | None]:
    gaz = get_gazetteer()
    tokens, _ = tokenize(text, language)
    found: set[int | None] = set()
    for tok in tokens:
        if tok.capital and not tok.upper:
            for lemma in sorted(tok.lemmas):
                cands = [c for c in gaz.candidates(lemma) if c.kind == "locality"]
                if cands:
                    found.add(cands[0].place.geonames_id)
                    break
    return found


def reports() -> dict[str, dict[str, float]]:
    expected = json.loads((DATA / "expected.json").read_text("utf-8"))
    score: dict[str, dict[str, list[int]]] = {}
    for name, want in sorted(expected.items()):
        language = name[:2]
        text = (DATA / name).read_text("utf-8")
        published = dt.date.fromisoformat(want["published"])
        meta = DocumentMeta(name, None, want["published"], None, language)
        got = analyzer_for(language, get_gazetteer()).analyze(text, meta, published)
        s = score.setdefault(language, {k: [] for k in _KEYS})
        keyword_types = _keyword_events(text, language)
        if want.get("events") == []:
            s["no_event_right"].append(int(not got.events))
            s["baseline_no_event_right"].append(int(not keyword_types))
            continue
        event = got.events[0] if got.events else None
        s["type_right"].append(int(event is not None and event.type == want["type"]))
        s["baseline_type_right"].append(int(want["type"] in keyword_types))
        if want.get("geonames_id") is not None:
            ok = event is not None and event.place is not None
            s["place_right"].append(int(ok and event.place.geonames_id == want["geonames_id"]))  # type: ignore[union-attr]
            s["baseline_place_right"].append(
                int(want["geonames_id"] in _keyword_place(text, language))
            )
        harm = sorted(tuple(h) for h in want["harm"])
        got_harm = sorted((h.kind, h.category, h.min, h.max) for h in event.harm) if event else []
        s["harm_right"].append(int(got_harm == harm))
        s["baseline_harm_right"].append(int(not harm))  # a keyword matcher gives no figures
    return {
        lang: {k: round(sum(v) / len(v), 3) if v else float("nan") for k, v in s.items()}
        | {"reports": float(len(s["type_right"]) + len(s["no_event_right"]))}
        for lang, s in score.items()
    }


_KEYS = (
    "type_right", "baseline_type_right", "place_right", "baseline_place_right",
    "harm_right", "baseline_harm_right", "no_event_right", "baseline_no_event_right",
)  # fmt: skip


# --- 2. entities on the public corpora -------------------------------------------------

_TYPES = {"Person": "PER", "Location": "LOC", "LocOrg": "LOC", "Org": "ORG"}


def factrueval(folder: Path, limit: int) -> list[tuple[str, list[Span]]]:
    """(text, gold entity spans) of factRuEval-2016 dev documents."""
    out = []
    for txt in sorted(folder.glob("book_*.txt"))[:limit]:
        stem = txt.with_suffix("")
        tokens = {}
        for line in stem.with_suffix(".tokens").read_text("utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 3:
                tokens[parts[0]] = (int(parts[1]), int(parts[1]) + int(parts[2]))
        spans = {}
        for line in stem.with_suffix(".spans").read_text("utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 6:
                first, count = parts[4], int(parts[5])
                ids = sorted(tokens)
                if first in tokens:
                    i = ids.index(first)
                    covered = [tokens[t] for t in ids[i : i + count]]
                    spans[parts[0]] = (covered[0][0], covered[-1][1])
        gold: list[Span] = []
        for line in stem.with_suffix(".objects").read_text("utf-8").splitlines():
            body = line.split("#")[0].split()
            if len(body) >= 3 and body[1] in _TYPES:
                parts = [spans[s] for s in body[2:] if s in spans]
                if parts:
                    gold.append(
                        (min(p[0] for p in parts), max(p[1] for p in parts), _TYPES[body[1]])
                    )
        out.append((txt.read_text("utf-8"), gold))
    return out


def ner_uk(folder: Path, limit: int) -> list[tuple[str, list[Span]]]:
    """(text, gold spans) of ner-uk's dev documents (PERS, ORG, LOC; MISC left out)."""
    split = (folder / "dev-test-split.txt").read_text("utf-8").split()
    dev = split[split.index("DEV") + 1 : split.index("TEST")] if "TEST" in split else split[1:]
    out = []
    for stem in dev[:limit]:
        txt = folder / "data" / f"{stem}.txt"
        ann = folder / "data" / f"{stem}.ann"
        if not txt.exists() or not ann.exists():
            continue
        gold: list[Span] = []
        for line in ann.read_text("utf-8").splitlines():
            m = re.match(r"T\d+\t(PERS|ORG|LOC) (\d+) (\d+)", line)
            if m:
                kind = {"PERS": "PER"}.get(m.group(1), m.group(1))
                gold.append((int(m.group(2)), int(m.group(3)), kind))
        out.append((txt.read_text("utf-8"), gold))
    return out


def _f1(gold: list[Span], found: list[Span], kind: str) -> tuple[int, int, int]:
    g = [s for s in gold if s[2] == kind]
    f = [s for s in found if s[2] == kind]
    tp = sum(1 for a in f if any(a[0] < b[1] and b[0] < a[1] for b in g))
    hit = sum(1 for b in g if any(a[0] < b[1] and b[0] < a[1] for a in f))
    return tp, len(f), hit if g else 0


def _dossier_spans(text: str, language: str) -> list[Span]:
    meta = DocumentMeta("bench", None, None, None, language)
    analysis = analyzer_for(language, get_gazetteer()).analyze(text, meta, None)
    kinds = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
    return [(e.start, e.end, kinds[e.label]) for e in analysis.entities if e.label in kinds]


def _natasha_spans(text: str) -> list[Span]:
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    global _NATASHA
    if "_NATASHA" not in globals():
        _NATASHA = (Segmenter(), NewsNERTagger(NewsEmbedding()))
    doc = Doc(text)
    doc.segment(_NATASHA[0])
    doc.tag_ner(_NATASHA[1])
    return [(s.start, s.stop, s.type) for s in doc.spans]


def _capitalised_baseline(text: str) -> list[Span]:
    """Places: capitalised words the gazetteer knows as written; people: capitalised pairs."""
    gaz = get_gazetteer()
    out: list[Span] = []
    words = list(re.finditer(r"[^\W\d_]+(?:['’ʼ-][^\W\d_]+)*", text))
    for k, m in enumerate(words):
        w = m.group(0)
        if not w[:1].isupper() or w.isupper():
            continue
        if gaz.candidates(w):
            out.append((m.start(), m.end(), "LOC"))
        elif (
            k + 1 < len(words)
            and words[k + 1].group(0)[:1].isupper()
            and text[m.end() : words[k + 1].start()] == " "
        ):
            out.append((m.start(), words[k + 1].end(), "PER"))
    return out


def entities(docs: list[tuple[str, list[Span]]], language: str, baseline: Any) -> dict[str, Any]:
    sums: dict[str, dict[str, list[int]]] = {
        side: {k: [0, 0, 0, 0] for k in ("PER", "ORG", "LOC")} for side in ("dossier", "baseline")
    }
    for text, gold in docs:
        for side, spans in (
            ("dossier", _dossier_spans(text, language)),
            ("baseline", baseline(text)),
        ):
            for kind in ("PER", "ORG", "LOC"):
                tp, n_found, hit = _f1(gold, spans, kind)
                acc = sums[side][kind]
                acc[0] += tp
                acc[1] += n_found
                acc[2] += hit
                acc[3] += sum(1 for s in gold if s[2] == kind)
    out: dict[str, Any] = {}
    for side, kinds in sums.items():
        for kind, (tp, n_found, hit, n_gold) in kinds.items():
            p = tp / n_found if n_found else 0.0
            r = hit / n_gold if n_gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            out[f"{side}_{kind}"] = {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}
    out["documents"] = len(docs)
    return out


# --- 3. speed ----------------------------------------------------------------------------


def speed(texts: list[str], language: str, batch: int = 10, rounds: int = 3) -> dict[str, Any]:
    """Words/s of the analyser and of bare tokenisation + morphology, batches alternating."""
    analyzer = analyzer_for(language, get_gazetteer())
    words = sum(len(t.split()) for t in texts)
    tokenize(texts[0], language)  # warm the dictionary
    analyzer.analyze(texts[0], DocumentMeta("w", None, None, None, language), None)
    bare_s: list[float] = []
    full_s: list[float] = []
    for _ in range(rounds):
        bare = full = 0.0
        for start in range(0, len(texts), batch):
            chunk = texts[start : start + batch]
            t0 = time.perf_counter()
            for text in chunk:
                tokenize(text, language)
            t1 = time.perf_counter()
            for n, text in enumerate(chunk):
                analyzer.analyze(text, DocumentMeta(f"d{n}", None, None, None, language), None)
            t2 = time.perf_counter()
            bare += t1 - t0
            full += t2 - t1
        bare_s.append(words / bare)
        full_s.append(words / full)
    ratios = [f / b for f, b in zip(full_s, bare_s, strict=True)]
    return {
        "words": words,
        "bare_words_per_s": round(statistics.median(bare_s)),
        "dossier_words_per_s": round(statistics.median(full_s)),
        "ratio": round(statistics.median(ratios), 3),
        "ratio_spread": [round(min(ratios), 3), round(max(ratios), 3)],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval", type=Path, default=ROOT.parent / "shared" / "eval")
    parser.add_argument("--docs", type=int, default=200, help="documents per entity corpus")
    args = parser.parse_args()
    results: dict[str, Any] = {
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "reports": reports(),
    }
    ru_docs = factrueval(args.eval / "factrueval-dev", args.docs)
    uk_docs = ner_uk(args.eval / "ner-uk", args.docs)
    results["entities_ru"] = entities(ru_docs, "ru", _natasha_spans)
    results["entities_uk"] = entities(uk_docs, "uk", _capitalised_baseline)
    results["speed_ru"] = speed([t for t, _ in ru_docs], "ru")
    results["speed_uk"] = speed([t for t, _ in uk_docs], "uk")
    results["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"{'language':8} {'figure':24} {'dossier':>8} {'baseline':>9}")
    for lang, s in results["reports"].items():
        for key in ("type_right", "place_right", "harm_right", "no_event_right"):
            print(f"{lang:8} {'reports ' + key:24} {s[key]:>8} {s['baseline_' + key]:>9}")
    for lang in ("ru", "uk"):
        e = results[f"entities_{lang}"]
        for kind in ("PER", "ORG", "LOC"):
            d, b = e[f"dossier_{kind}"], e[f"baseline_{kind}"]
            print(f"{lang:8} {'entity F1 ' + kind:24} {d['f1']:>8} {b['f1']:>9}")
        sp = results[f"speed_{lang}"]
        print(
            f"{lang:8} {'words/s (bare tok+morph)':24} {sp['dossier_words_per_s']:>8} "
            f"{sp['bare_words_per_s']:>9}  ratio {sp['ratio']} {sp['ratio_spread']}"
        )
    print(f"peak RSS {results['peak_rss_mb']} MB; wrote {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
