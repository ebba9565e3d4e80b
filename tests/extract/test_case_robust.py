"""One-case text (lower case, all caps) gives the events, places and people of normal case."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.extract.analyzer import Analyzer, essential_fields
from dossier.extract.truecase import needs_truecasing
from dossier.records import Analysis, DocumentMeta

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO.parent / "shared" / "samples" / "bucha-article.txt"
FURNITURE = ("LATEST STORIES:", "Share this story...")


@pytest.fixture(scope="module")
def sample() -> str:
    if not SAMPLE.exists():
        pytest.skip(f"{SAMPLE} is missing (the shared samples folder is not checked out)")
    text = SAMPLE.read_text(encoding="utf-8")
    return "\n".join(line for line in text.splitlines() if line.strip() not in FURNITURE)


def analyse(analyzer: Analyzer, text: str) -> Analysis:
    return analyzer.analyze(text, DocumentMeta("sample:bucha", None, "2022-04-04", None, "en"))


def findings(analysis: Analysis) -> dict[str, object]:
    """What must not depend on case: events, place names, people (compared in lower case)."""
    fields = essential_fields(analysis)
    for event in fields["events"]:
        event["asserted_by"] = sorted(a.lower() for a in event["asserted_by"])
        event["denied_by"] = sorted(a.lower() for a in event["denied_by"])
    return {
        "events": fields["events"],
        "places": sorted({p.place.name for p in analysis.places}),
        "people": sorted({e.text.lower() for e in analysis.entities if e.label == "PERSON"}),
    }


@pytest.mark.parametrize("case", ["lower", "upper"])
def test_the_bucha_sample_in_one_case_gives_the_same_four_events(
    analyzer: Analyzer, sample: str, case: str
) -> None:
    normal = findings(analyse(analyzer, sample))
    changed = findings(analyse(analyzer, getattr(sample, case)()))
    assert len(normal["events"]) == 4  # type: ignore[arg-type]
    assert changed == normal


def test_spans_of_one_case_text_quote_the_original(analyzer: Analyzer, sample: str) -> None:
    text = sample.upper()
    analysis = analyse(analyzer, text)
    assert analysis.extra.get("truecased") is True
    spans = [e.trigger for e in analysis.events] + [e.sentence for e in analysis.events]
    spans += list(analysis.places) + list(analysis.entities) + list(analysis.quotes)  # type: ignore[arg-type]
    assert spans
    assert all(text[s.start : s.end] == s.text for s in spans)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("russian troops shelled a market in kharkiv on monday, killing six people.", True),
        ("RUSSIAN TROOPS SHELLED A MARKET IN KHARKIV ON MONDAY, KILLING SIX PEOPLE.", True),
        ("Russian troops shelled a market in Kharkiv on Monday, killing six people.", False),
    ],
)
def test_only_one_case_text_is_truecased(text: str, expected: bool) -> None:
    assert needs_truecasing(text) is expected


def test_a_lower_case_sentence_keeps_its_place(analyzer: Analyzer) -> None:
    text = "russian troops shelled a market in kharkiv on monday, killing six people."
    events = analyse(analyzer, text).events
    assert events and events[0].place is not None and events[0].place.name == "Kharkiv"
    assert events[0].perpetrator is not None and events[0].perpetrator.side == "RU"
