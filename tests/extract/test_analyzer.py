"""The analyzer on the bundled sample article: the golden baseline and DESIGN.md's four events."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from dossier.extract.analyzer import PIPELINE_VERSION, Analyzer, essential_fields
from dossier.records import Analysis, DocumentMeta

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden" / "extract" / "bucha-article.json"
FURNITURE = ("LATEST STORIES:", "Share this story...")


@pytest.fixture(scope="module")
def bucha(analyzer: Analyzer) -> Analysis:
    shared = (REPO / ".." / "shared").resolve()
    sample = shared / "samples" / "bucha-article.txt"
    if not sample.is_file():
        pytest.skip(f"sample not found at {sample}")
    lines = sample.read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if line.strip() not in FURNITURE)
    meta = DocumentMeta("sample:bucha", None, "2022-04-04", None, "en")
    return analyzer.analyze(text, meta)


def test_sample_matches_the_golden_file(bucha: Analysis) -> None:
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert expected.pop("pipeline") == PIPELINE_VERSION, (
        "the golden file was made by another pipeline version: rerun scripts/regen_golden.py"
    )
    assert essential_fields(bucha) == expected, (
        "regenerate with scripts/regen_golden.py if intended"
    )


def test_sample_gives_exactly_the_four_violations_of_design(bucha: Analysis) -> None:
    happened = [e for e in bucha.events if e.status not in ("hypothetical", "negated")]
    summary = sorted((e.type, e.place.name if e.place else None) for e in happened)
    assert summary == [
        ("detention", "Ukraine"),
        ("killing", "Bucha"),
        ("killing", "Kyiv Oblast"),
        ("mass_grave", "Bucha"),
    ]
    assert all(e.perpetrator is not None and e.perpetrator.side == "RU" for e in happened)


def test_civilian_killings_in_bucha_are_denied_by_the_kremlin(bucha: Analysis) -> None:
    killing = next(
        e for e in bucha.events if e.type == "killing" and e.place and e.place.name == "Bucha"
    )
    assert killing.status == "denied"
    assert [a.text for a in killing.denied_by] == ["the Kremlin"]
    assert {a.side for a in killing.denied_by} == {"RU"}
    sources = {a.text for a in killing.asserted_by}
    assert {"Residents", "Ukrainian authorities"} <= sources
    assert any(h.kind == "killed" and h.category == "civilians" for h in killing.harm)


def test_mayor_killed_in_captivity_is_one_official_in_kyiv_region(bucha: Analysis) -> None:
    mayor = next(
        e for e in bucha.events if e.type == "killing" and e.place and e.place.precision == "admin1"
    )
    assert mayor.place is not None and mayor.place.name == "Kyiv Oblast"
    assert [(h.kind, h.category, h.min, h.max) for h in mayor.harm] == [
        ("killed", "officials", 1, 1)
    ]
    assert mayor.perpetrator is not None and mayor.perpetrator.text == "Kremlin forces"


def test_detention_of_at_least_eleven_officials_in_the_country(bucha: Analysis) -> None:
    detention = next(e for e in bucha.events if e.type == "detention")
    assert detention.place is not None and detention.place.precision == "country"
    assert detention.place.country == "UA"
    assert [(h.kind, h.category, h.min, h.max) for h in detention.harm] == [
        ("detained", "officials", 11, None)
    ]


def test_weapons_supply_and_withdrawal_sentences_give_no_event(bucha: Analysis) -> None:
    for event in bucha.events:
        assert "supplying" not in event.sentence.text
        assert "repositioning" not in event.sentence.text


@pytest.mark.skipif(
    importlib.util.find_spec("dossier.extract.speech.quotes") is None,
    reason="quotes.py not in this checkout yet",
)
def test_sample_quotes_have_their_speakers(bucha: Analysis) -> None:
    speakers = {q.speaker.name for q in bucha.quotes}
    assert {"Melanie Joly", "Jens Stoltenberg", "Antony Blinken"} <= speakers


def test_every_analysis_names_the_pipeline(bucha: Analysis) -> None:
    assert bucha.pipeline == PIPELINE_VERSION
    assert bucha.status == "ok"


def test_other_languages_are_reported_not_analysed(analyzer: Analyzer) -> None:
    meta = DocumentMeta("d:fr", None, None, None, "fr")
    result = analyzer.analyze("Des civils ont été tués.", meta)
    assert result.status == "not analysed: language fr"
    assert result.events == ()


def test_long_text_is_cut_and_flagged() -> None:
    from dossier.config import Settings

    small = Analyzer(Settings(max_document_chars=40))
    text = "Troops shelled a market in Kharkiv. " * 5
    result = small.analyze(text, DocumentMeta("d:long", None, None, None, "en"))
    assert result.extra["truncated_at"] == 40
    assert all(e.sentence.end <= 40 for e in result.events)


def test_one_failing_document_does_not_stop_the_batch(
    analyzer: Analyzer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = analyzer.from_doc

    def flaky(doc, meta, extra=None):  # type: ignore[no-untyped-def]
        if meta.id == "bad":
            raise ValueError("broken document")
        return real(doc, meta, extra)

    monkeypatch.setattr(analyzer, "from_doc", flaky)
    items = [
        (f"Troops killed {n} civilians in Bucha.", DocumentMeta(i, None, None, None, "en"))
        for n, i in (("two", "a"), ("three", "bad"), ("four", "c"))
    ]
    results = list(analyzer.analyze_many(items, batch_size=2))
    assert [r.document.id for r in results] == ["a", "bad", "c"]
    assert results[1].status.startswith("failed: ValueError")
    assert results[2].events and results[2].events[0].harm[0].min == 4
