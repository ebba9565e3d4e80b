"""The Ukrainian and Russian analyser: the sample's renderings, short reports, routing.

The renderings of ../shared/samples/bucha-article.txt must give the English
sample's four events (type, place, side, status, harm), the denial and the
three quotes; the short reports check places by GeoNames id, times, harm
ranges, sides, subtypes of what was done and speakers; the texts that report
no violation must give none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from dossier.errors import ConfigError
from dossier.extract.analyzer import PIPELINE_VERSION, Analyzer, essential_fields
from dossier.extract.lang import sentence_language
from dossier.extract.lang.tokens import morphology
from dossier.ingest.furniture import remove_furniture
from dossier.records import Analysis, DocumentMeta, Event
from dossier.translit import transliterate

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "tests" / "data" / "lang"
GOLDEN = REPO / "tests" / "golden" / "extract"

# GeoNames ids in the shipped data
BUCHA, KHARKIV, IRPIN, MARIUPOL, ODESA, IZYUM, MELITOPOL, MYKOLAIV = (
    711350,
    706483,
    707565,
    701822,
    698740,
    707292,
    701404,
    700569,
)


def analyse(analyzer: Analyzer, text: str, language: str | None, published: str) -> Analysis:
    meta = DocumentMeta(f"test:{hash(text)}", None, published, None, language)
    return analyzer.analyze(remove_furniture(text)[0], meta)


def report(analyzer: Analyzer, name: str, published: str = "2022-05-13") -> Analysis:
    return analyse(analyzer, (DATA / name).read_text(encoding="utf-8"), name[:2], published)


def summary(event: Event) -> dict[str, Any]:
    return {
        "type": event.type,
        "geonames_id": event.place.geonames_id if event.place else None,
        "precision": event.place.precision if event.place else None,
        "side": event.perpetrator.side if event.perpetrator else None,
        "status": event.status,
        "harm": sorted((h.kind, h.category, h.min, h.max) for h in event.harm),
    }


# --- the sample in three languages -------------------------------------------------


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_rendering_matches_its_golden_file(analyzer: Analyzer, language: str) -> None:
    text = (REPO / "samples" / f"bucha-article-{language}.txt").read_text(encoding="utf-8")
    got = essential_fields(analyse(analyzer, text, language, "2022-04-04"))
    expected = json.loads((GOLDEN / f"bucha-article-{language}.json").read_text(encoding="utf-8"))
    assert expected.pop("pipeline") == PIPELINE_VERSION, (
        "the golden file was made by another pipeline version: rerun scripts/regen_golden.py"
    )
    assert got == expected, "regenerate with scripts/regen_golden.py if intended"


@pytest.mark.parametrize("language", ["uk", "ru"])
def test_rendering_gives_the_english_samples_events(analyzer: Analyzer, language: str) -> None:
    english = json.loads((GOLDEN / "bucha-article.json").read_text(encoding="utf-8"))
    text = (REPO / "samples" / f"bucha-article-{language}.txt").read_text(encoding="utf-8")
    got = essential_fields(analyse(analyzer, text, language, "2022-04-04"))

    def shape(fields: dict[str, Any]) -> list[tuple[Any, ...]]:
        return sorted(
            (
                e["type"],
                e["place"]["name"],
                e["place"]["precision"],
                e["perpetrator_side"],
                e["status"],
                json.dumps(e["harm"], sort_keys=True),
                len(e["denied_by"]),
            )
            for e in fields["events"]
        )

    assert shape(got) == shape(english)
    assert [q["kind"] for q in got["quotes"]] == [q["kind"] for q in english["quotes"]]
    speakers = [transliterate(q["speaker"], language) for q in got["quotes"]]
    assert [s.split()[-1][:4] for s in speakers] == ["Zhol", "Stol", "Blin"]
    denials = [c for c in got["claims"] if c["stance"] == "denies"]
    assert [c["speaker"] for c in denials] == [{"uk": "Кремль", "ru": "Кремль"}[language]]


def test_entities_keep_the_original_script_with_a_transliteration(analyzer: Analyzer) -> None:
    text = (REPO / "samples" / "bucha-article-uk.txt").read_text(encoding="utf-8")
    result = analyse(analyzer, text, "uk", "2022-04-04")
    people = {e.canonical: e.transliteration for e in result.entities if e.label == "PERSON"}
    assert people["Володимир Зеленський"] == "Volodymyr Zelenskyi"
    assert "Єнс Столтенберг" in people and "Ентоні Блінкен" in people
    places = {p.text: p.place.geonames_id for p in result.places}
    assert places["Бучі"] == BUCHA


# --- short reports ---------------------------------------------------------------------

# What each short report says (tests/data/lang/expected.json; the benchmark reads it too).
EXPECTED: dict[str, dict[str, Any]] = json.loads((DATA / "expected.json").read_text("utf-8"))
REPORTS = {name: want for name, want in EXPECTED.items() if "events" not in want}
NO_EVENT = sorted(name for name, want in EXPECTED.items() if want.get("events") == [])


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_report_gives_its_one_event(analyzer: Analyzer, name: str) -> None:
    want = dict(REPORTS[name])
    result = report(analyzer, name, want.pop("published"))
    assert result.status == "ok"
    assert len(result.events) == 1, [summary(e) for e in result.events]
    event = result.events[0]
    got = summary(event)
    time, speaker = want.pop("time", None), want.pop("speaker", None)
    want["harm"] = sorted(tuple(h) for h in want["harm"])
    assert {k: got[k] for k in want} == want
    if time is not None:
        assert [event.time.start, event.time.end] == time
    if speaker is not None:
        assert speaker in [a.text for a in event.asserted_by]
    # Every span points into the original text.
    text = (DATA / name).read_text(encoding="utf-8").strip()
    assert text[event.trigger.start : event.trigger.end] == event.trigger.text
    assert text[event.sentence.start : event.sentence.end] == event.sentence.text


def test_detentions_carry_what_kind_of_detention(analyzer: Analyzer) -> None:
    kinds = {}
    for name in ("uk-irpin-detention.txt", "ru-melitopol-abduction.txt"):
        kinds[name] = report(analyzer, name).events[0]
    assert kinds["uk-irpin-detention.txt"].trigger.text == "затримали"
    assert kinds["ru-melitopol-abduction.txt"].trigger.text == "похитили"


# A memorial, an aid delivery, a road accident, soldiers killed in combat, a concert, a fire.
@pytest.mark.parametrize("name", NO_EVENT)
def test_no_violation_gives_no_event(analyzer: Analyzer, name: str) -> None:
    result = report(analyzer, name)
    assert result.status == "ok" and result.events == ()


def test_a_denial_by_naming_names_the_denier(analyzer: Analyzer) -> None:
    result = report(analyzer, "ru-bucha-denial.txt")
    assert [a.text for a in result.events[0].denied_by] == ["Песков"]
    assert [c.stance for c in result.claims] == ["denies"]


def test_quote_with_the_speaker_after_it(analyzer: Analyzer) -> None:
    result = report(analyzer, "uk-izium-torture.txt")
    (quote,) = result.quotes
    assert (quote.kind, quote.speaker.name) == ("direct", "Іван Петренко")
    assert quote.text == "Мене катували електрикою три дні"
    assert all(h.min != 45 for e in result.events for h in e.harm)  # "45-річний" is an age


# --- routing ---------------------------------------------------------------------------


def test_other_languages_are_kept_and_reported_not_analysed(analyzer: Analyzer) -> None:
    result = analyse(
        analyzer, "Des civils ont été tués à Boutcha, selon les habitants.", "fr", "2022-04-04"
    )
    assert result.status == "not analysed: language fr"


def test_a_mixed_document_is_read_sentence_by_sentence(analyzer: Analyzer) -> None:
    english = (DATA / "en-kharkiv-strike.txt").read_text(encoding="utf-8").strip()
    ukrainian = (DATA / "uk-odesa-night.txt").read_text(encoding="utf-8").strip()
    text = english + "\n\n" + ukrainian
    result = analyse(analyzer, text, "en", "2022-05-13")
    assert result.extra["languages"] == ["en", "uk"]
    places = {e.place.geonames_id for e in result.events if e.place}
    assert {KHARKIV, ODESA} <= places
    for event in result.events:
        assert text[event.trigger.start : event.trigger.end] == event.trigger.text


def test_sentence_language_goes_by_script_and_letters() -> None:
    assert sentence_language("Російські війська обстріляли Харків.", None) == "uk"
    assert sentence_language("Российские войска обстреляли Харьков.", None) == "ru"
    assert sentence_language("Russian forces shelled Kharkiv overnight.", "uk") == "en"
    assert sentence_language("12:30", "uk") is None


def test_a_missing_dictionary_names_the_package_to_install() -> None:
    with pytest.raises(ConfigError, match="pip install pymorphy3-dicts-xx"):
        morphology("xx")


def test_national_transliteration_of_ukrainian() -> None:
    assert transliterate("Київ, Харків, Згурівка, Юрій Щербина", "uk") == (
        "Kyiv, Kharkiv, Zghurivka, Yurii Shcherbyna"
    )
    assert transliterate("Харьков", "ru") == "Kharkov"


# --- search ----------------------------------------------------------------------------


def test_search_finds_inflected_and_transliterated_forms(run_cli: Any, tmp_path: Path) -> None:
    from dossier.config import Settings
    from dossier.store.database import Store
    from dossier.store.search import search

    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("uk-irpin-detention.txt", "ru-bucha-denial.txt", "uk-kharkiv-strike.txt"):
        (folder / name).write_text((DATA / name).read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli("init").exit_code == 0
    assert run_cli("ingest", "--published", "2022-05-13", str(folder)).exit_code == 0
    assert run_cli("extract").exit_code == 0
    store = Store.open(Settings(home=tmp_path / "home"), create=False)

    def titles(query: str) -> list[str]:
        hits, total = search(store, query, kind="document")
        assert total == len(hits)
        return sorted(h.snippet and "".join(t for t, m in h.snippet if m) or "" for h in hits)

    assert titles("Буча") == ["Буче"]  # the lemma finds "в Буче"
    assert titles("Bucha") == ["Буче"]  # Latin letters find the Cyrillic text
    assert titles("Irpin") == ["Ірпеня"]
    assert titles("Kharkiv") == ["Харкові"]
    assert titles("Ірпеня") == ["Ірпеня"]  # as written, as before
    assert titles("Kyiv") == []


def test_the_web_search_matches_an_inflected_query_through_its_lemma(
    run_cli: Any, tmp_path: Path
) -> None:
    from dossier.config import Settings
    from dossier.review.visibility import View
    from dossier.store.database import Store

    folder = tmp_path / "reports"
    folder.mkdir()
    name = "uk-irpin-detention.txt"
    (folder / name).write_text((DATA / name).read_text(encoding="utf-8"), encoding="utf-8")
    assert run_cli("init").exit_code == 0
    assert run_cli("ingest", "--published", "2022-05-13", str(folder)).exit_code == 0
    assert run_cli("extract").exit_code == 0
    store = Store.open(Settings(home=tmp_path / "home"), create=False)
    # "в Ірпені" is not in the text ("мешканців Ірпеня"); the lemma of both, Ірпінь, is
    hits, total = View(store, "viewer").search("Ірпені", kind="document")
    assert total == 1 and hits[0].kind == "document"
