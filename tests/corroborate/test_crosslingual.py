"""One incident reported in English, Ukrainian and Russian is one incident.

The whole job through the CLI: the three reports of the 12 May strike on a
Kharkiv apartment block land in one incident; a strike on a school in the
same town a week later is another; and the three renderings of the shared
sample corroborate event by event.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import RunCli

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "lang"


def _incidents(run_cli: RunCli) -> list[dict[str, object]]:
    assert run_cli("extract").exit_code == 0
    assert run_cli("corroborate").exit_code == 0
    return json.loads(run_cli("incidents", "--json").stdout)  # type: ignore[no-any-return]


def test_one_strike_in_three_languages_is_one_incident(run_cli: RunCli, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("en-kharkiv-strike.txt", "uk-kharkiv-strike.txt", "ru-kharkiv-strike.txt"):
        shutil.copy(DATA / name, reports / name)
    later = tmp_path / "later"
    later.mkdir()
    shutil.copy(DATA / "uk-kharkiv-school.txt", later / "uk-kharkiv-school.txt")
    assert run_cli("init").exit_code == 0
    assert run_cli("ingest", "--published", "2022-05-13", str(reports)).exit_code == 0
    assert run_cli("ingest", "--published", "2022-05-20", str(later)).exit_code == 0
    incidents = _incidents(run_cli)
    by_documents = sorted(len({s["document"] for s in i["sources"]}) for i in incidents)  # type: ignore[attr-defined]
    assert by_documents == [1, 3], [(i["type"], i["time"]) for i in incidents]
    strike = next(i for i in incidents if len(i["sources"]) >= 3)  # type: ignore[arg-type]
    assert strike["place"]["name"] == "Kharkiv"  # type: ignore[index]
    assert strike["time"]["start"] == "2022-05-12"  # type: ignore[index]
    school = next(i for i in incidents if i is not strike)
    assert school["type"] == "attack_on_protected" and school["time"]["start"] == "2022-05-19"  # type: ignore[index]


def test_the_sample_in_three_languages_corroborates_event_by_event(
    run_cli: RunCli, shared_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "samples"
    folder.mkdir()
    shutil.copy(shared_dir / "samples" / "bucha-article.txt", folder / "bucha-article.txt")
    for language in ("uk", "ru"):
        name = f"bucha-article-{language}.txt"
        shutil.copy(REPO / "samples" / name, folder / name)
    assert run_cli("init").exit_code == 0
    assert run_cli("ingest", "--published", "2022-04-04", str(folder)).exit_code == 0
    incidents = _incidents(run_cli)
    documents = [len({s["document"] for s in i["sources"]}) for i in incidents]  # type: ignore[attr-defined]
    assert documents == [3] * len(incidents), [(i["type"], i["place"]) for i in incidents]
    summary = sorted((i["type"], i["place"]["name"]) for i in incidents)  # type: ignore[index]
    assert summary == [
        ("detention", "Ukraine"),
        ("killing", "Kyiv Oblast"),
        ("mass_grave", "Bucha"),
    ]
    bucha = next(i for i in incidents if i["type"] == "mass_grave")
    assert "killing" in bucha["types"] and bucha["contested"]  # type: ignore[operator]
    # one deputy prime minister, quoted in three languages by one outlet: one source
    detention = next(i for i in incidents if i["type"] == "detention")
    assert detention["independent_sources"] == 1


def test_one_origin_quoted_in_three_languages_is_one_source() -> None:
    from dossier.corroborate.origin import origin_entity

    same = [
        ("Ukraine’s deputy prime minister", "Віцепрем'єр-міністерка України",
         "Вице-премьер-министр Украины"),
        ("Russia's defence ministry", "Міністерство оборони Росії", "Министерство обороны России"),
        ("Ukrainian authorities", "Українська влада", "Украинские власти"),
        ("the city council", "Ірпінська міська рада", "городской совет"),
    ]  # fmt: skip
    for names in same:
        assert len({origin_entity(n)[0] for n in names}) == 1, names
    assert origin_entity("Міністерство оборони Росії")[0] != origin_entity("Українська влада")[0]
