"""Search on both backends: words, accents, wildcards, JSON keys, paging, hiding, forms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dossier.config import Settings
from dossier.store.database import Store
from dossier.store.incidents import replace_incidents
from dossier.store.search import Hide, incidents_matching, matching_incident_ids, search


def _incident(id: str, place: str, perpetrator: str) -> dict[str, Any]:
    return {
        "id": id,
        "type": "attack_on_civilians",
        "types": ["attack_on_civilians", "killing"],
        "place": {
            "name": place,
            "lat": 50.45,
            "lon": 30.52,
            "country": "UA",
            "admin1": f"{place} Oblast",
            "precision": "locality",
        },
        "time": {"start": "2022-03-01", "end": "2022-03-01"},
        "perpetrator": {"side": "RU", "text": perpetrator},
        "harm": [{"kind": "killed", "category": "civilians", "min": 3, "max": None}],
        "sources": [],
        "independent_sources": 1,
        "contested": False,
        "denied_by": [{"text": "the defence ministry", "side": "RU"}],
        "grade": "single_source",
        "review": "unreviewed",
    }


def _store(run_cli, home: Path, tmp_path: Path) -> Store:  # type: ignore[no-untyped-def]
    assert run_cli("init").exit_code == 0
    folder = tmp_path / "inputs"
    folder.mkdir()
    texts = {
        "kyiv.txt": "Shelling hit a market in Kyiv on Monday; residents counted the dead.\n",
        "bucha.txt": "Investigators found a mass grave in Bucha, officials said on Sunday.\n",
        "under.txt": "A report on the school_gate camera footage from Irpin, on Friday.\n",
    }
    for name, body in texts.items():
        (folder / name).write_text(body, encoding="utf-8")
    assert run_cli("ingest", "--published", "2022-03-01", str(folder)).exit_code == 0
    store = Store.open(Settings(home=home), create=False)
    replace_incidents(
        store,
        [
            _incident("inc_kyiv", "Kyiv", "Russian artillery"),
            _incident("inc_kharkiv", "Kharkiv", "troops"),
        ],
        [],
        "tester",
    )
    return store


def _ids(hits: list[Any]) -> list[tuple[str, str]]:
    return sorted((h.kind, h.id) for h in hits)


def test_search_matches_words_folds_accents_and_escapes_nothing(
    run_cli, home: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    store = _store(run_cli, home, tmp_path)
    hits, total = search(store, "Kyïv")  # a diaeresis the texts do not have
    assert {h.kind for h in hits} == {"incident", "document"} and total == len(hits) == 2
    assert ("incident", "inc_kyiv") in _ids(hits)
    doc = next(h for h in hits if h.kind == "document")
    assert any(matched and text.lower() == "kyiv" for text, matched in doc.snippet)
    # "_" and "%" are no wildcards; a JSON key of the record matches no incident
    assert search(store, "K_iv")[1] == 0
    assert search(store, "%")[1] == 0
    for key in ("precision", "grade", "independent_sources", "lat"):
        assert search(store, key, kind="incident")[1] == 0, key
    # the incident's human fields do match: perpetrator, harm, who denies, region
    assert _ids(search(store, "artillery")[0]) == [("incident", "inc_kyiv")]
    assert search(store, "civilians killed", kind="incident")[1] == 2
    assert search(store, "defence ministry", kind="incident")[1] == 2
    assert search(store, "school_gate")[1] == 1  # a word with an underscore, as written


def test_search_pages_in_order_and_hides_what_it_must(  # type: ignore[no-untyped-def]
    run_cli, home: Path, tmp_path: Path
) -> None:
    store = _store(run_cli, home, tmp_path)
    everything, total = search(store, "on", limit=100)
    assert total == len(everything) >= 3
    pages = [search(store, "on", limit=1, offset=i)[0] for i in range(total)]
    assert [p[0].id for p in pages] == [h.id for h in everything]
    kyiv_doc = next(h.id for h in search(store, "Kyiv", kind="document")[0])
    hide = Hide(documents={kyiv_doc}, incidents={"inc_kyiv"})
    assert search(store, "Kyiv", hide=hide) == ([], 0)
    assert matching_incident_ids(store, "Kyiv", hide) == set()
    assert matching_incident_ids(store, "Kyiv") == {"inc_kyiv"}
    assert incidents_matching(store, "Kharkiv", ["inc_kyiv", "inc_kharkiv"]) == {"inc_kharkiv"}


def test_the_word_or_is_a_word_on_every_database(  # type: ignore[no-untyped-def]
    run_cli, home: Path, tmp_path: Path
) -> None:
    # Regression: PostgreSQL's websearch syntax read a bare "or" as OR, so "market or
    # grave" matched either word there, and every word (none here) on SQLite.
    store = _store(run_cli, home, tmp_path)
    _, either = search(store, "market or grave", kind="document")
    _, market = search(store, "market", kind="document")
    assert (either, market) == (0, 1)
