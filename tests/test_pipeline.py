"""The whole job through the CLI: ingest, extract, corroborate, incidents, show, analyze.

Also the documents extraction must survive: empty, huge, only numbers or
markup — kept, language recorded, never dropped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import RunCli
from databases import Raw, home_database_url
from dossier.extract.analyzer import PIPELINE_VERSION

UKRAINIAN = (
    "Російські війська обстріляли житлові будинки в Харкові вночі, повідомили місцеві "
    "посадовці. Загинули щонайменше п'ятеро цивільних, ще дванадцять людей поранені. "
    "Рятувальники продовжують розбирати завали."
)
RUSSIAN = (
    "Жители сообщили, что ночью в городе были слышны взрывы. Местные власти заявили, "
    "что погибли несколько мирных жителей, и призвали провести расследование."
)
ENGLISH_SENTENCE = (
    "Officials said the market in the town was shelled on Monday and three civilians were killed. "
)


@pytest.fixture(autouse=True)
def _initialised(run_cli: RunCli) -> None:
    """Only `dossier init` creates a store; every test here starts from a fresh one."""
    assert run_cli("init").exit_code == 0


@pytest.fixture
def odd_documents(tmp_path: Path) -> Path:
    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "uk.txt").write_text(UKRAINIAN, encoding="utf-8")
    (folder / "ru.txt").write_text(RUSSIAN, encoding="utf-8")
    (folder / "numbers.txt").write_text("\n".join(str(n * 7919 % 10007) for n in range(2000)))
    (folder / "markup.txt").write_text(
        "<div class='x'><span>&nbsp;</span><br/><p></p></div>\n" * 200
    )
    big = ENGLISH_SENTENCE * (5 * 1024 * 1024 // len(ENGLISH_SENTENCE) + 1)
    (folder / "big.txt").write_text(big)
    (folder / "empty.txt").write_text("")
    return folder


def _runs(home: Path) -> dict[str, tuple[str, str | None, str]]:
    """Extraction status, language and notes per ingested file name."""
    con = Raw(home_database_url(home))
    rows = con.execute(
        "SELECT a.source_path, r.status, d.language, r.analysis FROM extraction_runs r "
        "JOIN documents d ON d.id = r.document_id JOIN artifacts a ON a.sha256 = d.artifact_sha256"
    ).fetchall()
    con.close()
    return {Path(p).name: (s, lang, json.loads(a).get("notes")) for p, s, lang, a in rows}


def test_odd_documents_are_kept_flagged_and_never_crash_extraction(
    run_cli: RunCli, home: Path, odd_documents: Path
) -> None:
    ingest = run_cli("ingest", "--published", "2022-04-04", str(odd_documents))
    # The empty file is the one input that cannot become a document; it is still preserved.
    assert ingest.exit_code == 1
    assert f"{odd_documents / 'empty.txt'}: empty: no text to read" in ingest.stderr
    result = run_cli("extract", env={"DOSSIER_MAX_DOCUMENT_CHARS": "20000"})
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"extracted 5 document(s) with {PIPELINE_VERSION}:")
    assert "1 not analysed (language), 0 failed" in result.stdout
    runs = _runs(home)
    # Ukrainian and Russian are read natively (extract/lang/); markup alone is not a language.
    assert runs["uk.txt"][:2] == ("ok", "uk")
    assert runs["ru.txt"][:2] == ("ok", "ru")
    assert runs["numbers.txt"][:2] == ("ok", None)
    # Tags alone carry no language: ISO 639's "zxx" (no linguistic content).
    assert runs["markup.txt"][:2] == ("not analysed: language zxx", "zxx")
    status, language, notes = runs["big.txt"]
    assert (status, language) == ("ok", "en")
    assert notes == {
        "truncated_at": 20000,
        "original_chars": len((odd_documents / "big.txt").read_text().strip()),
    }
    # Running it again finds nothing left to do: the runs are keyed by pipeline version.
    again = run_cli("extract")
    assert again.stdout.startswith("extracted 0 document(s)")


def test_sample_end_to_end_through_the_cli(run_cli: RunCli, shared_dir: Path) -> None:
    sample = shared_dir / "samples"
    assert run_cli("ingest", "--published", "2022-04-04", str(sample)).exit_code == 0
    extracted = run_cli("extract")
    assert extracted.stdout.strip() == (
        f"extracted 1 document(s) with {PIPELINE_VERSION}: 4 event(s), 0 not analysed "
        "(language), 0 failed"
    )
    first = run_cli("corroborate")
    assert first.exit_code == 0 and "corroborated 4 event(s) (4 new) into" in first.stdout
    # Deterministic and incremental: a second run adds nothing and gives the same result.
    second = run_cli("corroborate")
    assert "(0 new)" in second.stdout
    assert first.stdout.split("result ")[1] == second.stdout.split("result ")[1]
    incidents = json.loads(run_cli("incidents", "--json").stdout)
    assert {i["type"] for i in incidents} >= {"killing", "detention"}
    assert all(i["perpetrator"]["side"] == "RU" for i in incidents)
    bucha = [i for i in incidents if (i["place"] or {}).get("name") == "Bucha"]
    assert bucha and bucha[0]["contested"] and bucha[0]["grade"] == "contested"
    assert [d["text"] for d in bucha[0]["denied_by"]] == ["the Kremlin"]
    detained = [i for i in incidents if i["type"] == "detention"]
    assert detained[0]["harm"][0]["min"] == 11
    shown = run_cli("show", bucha[0]["id"])
    assert shown.exit_code == 0
    assert "denied by: the Kremlin" in shown.stdout
    verify = run_cli("verify")
    assert verify.exit_code == 0 and "verify: all checks passed" in verify.stdout


def test_analyze_prints_one_json_object_per_document_in_order(
    run_cli: RunCli, shared_dir: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other.txt"
    other.write_text("Three civilians were killed when shells hit a market in Kharkiv on Monday.")
    result = run_cli(
        "analyze",
        "--json",
        "--published",
        "2022-04-04",
        str(shared_dir / "samples" / "bucha-article.txt"),
        str(other),
    )
    assert result.exit_code == 0
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert set(first) >= {"document", "entities", "places", "events", "claims", "quotes"}
    assert len(first["events"]) == 4
    assert second["events"] and second["events"][0]["place"]["name"] == "Kharkiv"


def test_analyze_names_a_missing_file_and_goes_on(run_cli: RunCli, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text("Two civilians were killed in Kharkiv on Monday, officials said.")
    result = run_cli("analyze", "--json", str(tmp_path / "missing.txt"), str(good))
    assert result.exit_code == 1
    assert "missing.txt: unreadable" in result.stderr
    assert len(result.stdout.strip().splitlines()) == 1


def test_analyze_reports_a_document_it_does_not_analyse_and_exits_0(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # a language without an analyser is a Rejection of kind not_analysed: reported, no failure
    path = tmp_path / "fr.jsonl"
    record = {"text": "Deux civils ont été tués à Kharkiv lundi.", "language": "fr"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    result = run_cli("analyze", "--json", str(path))
    assert result.exit_code == 0, result.stderr
    [line] = result.stdout.strip().splitlines()
    assert json.loads(line)["status"] == "not analysed: language fr"
