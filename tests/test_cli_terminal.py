"""Hostile names and titles cannot steer the terminal: no forged lines, no raw ESC or bidi."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

from dossier.evidence.custody import utc_now
from dossier.store import tables
from dossier.store.database import Store
from dossier.store.incidents import replace_incidents
from dossier.terminal import json_text, printable

RunCli = Callable[..., Any]
STORY = "Shells hit the railway station on Friday, killing dozens of people who waited.\n"
# What must never reach a terminal raw: C0 (newline included), ESC, DEL, C1, bidi.
RAW = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]"
)
FORGED = "\nerror: forged"
CLEAR = "\x1b[2J"
RLO = "\u202e"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\nerror: forged", "a\\nerror: forged"),
        ("\x1b[2Jwiped", "\\x1b[2Jwiped"),
        ("report\u202etxt.exe", "report\\u202etxt.exe"),
        ("tab\there\r", "tab\\there\\r"),
        ("c1\x9b31m and del\x7f", "c1\\x9b31m and del\\x7f"),
        (
            "isolate\u2066x\u2069 lrm\u200e alm\u061c",
            "isolate\\u2066x\\u2069 lrm\\u200e alm\\u061c",
        ),
        ("[bold red]markup[/]", "\\[bold red]markup\\[/]"),
        ("Київ — Bucha, ordinary text", "Київ — Bucha, ordinary text"),
    ],
)
def test_printable_makes_every_control_and_bidi_character_visible(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_printable_without_markup_leaves_brackets_alone() -> None:
    assert printable("[b]x\n", markup=False) == "[b]x\\n"


def test_json_text_escapes_bidi_and_c1_and_reads_back_unchanged() -> None:
    value = {"title": f"a{RLO}b\x9bc\u2028d\n"}
    text = json_text(json.dumps(value, ensure_ascii=False))
    assert not RAW.search(text.replace("\n", ""))
    assert json.loads(text) == value


def hostile_names(folder: Path) -> list[Path]:
    """Files whose names try to forge output lines, clear the screen and reverse text."""
    folder.mkdir()
    names = [
        f"a{FORGED}: x.txt",
        f"b{CLEAR}.txt",
        f"c{RLO}txt.exe.txt",
        "d\ningested 99 file(s): 99 new document(s), 0 already present, 0 failed, 0 error(s)\n.txt",
        "e[bold]markup[red].txt",
    ]
    paths = [folder / n for n in names]
    for p in paths:
        p.write_bytes(b"")  # empty: each one is an error line naming it
    return paths


def test_hostile_file_names_cannot_forge_lines_or_reach_the_terminal_raw(
    run_cli: RunCli, tmp_path: Path
) -> None:
    paths = hostile_names(tmp_path / "batch")
    (tmp_path / "batch" / f"f{FORGED}.txt").symlink_to(tmp_path / "nowhere")
    assert run_cli("init").exit_code == 0
    result = run_cli("ingest", str(tmp_path / "batch"))
    assert result.exit_code == 1
    assert not RAW.search(result.stdout.replace("\n", "")) and result.stdout.count("\n") == 1
    assert result.stdout.startswith("ingested 5 file(s): 0 new document(s)")
    lines = result.stderr.splitlines()
    assert not RAW.search(result.stderr.replace("\n", ""))
    assert len(lines) == 6  # one per file: nothing forged
    expected = sorted(
        [f"error: {printable(str(p))}: empty: no text to read" for p in paths]
        + [
            f"skipped: {printable(str(tmp_path / 'batch' / f'f{FORGED}.txt'))}: "
            "symbolic link, not followed (give --follow-links to follow it)"
        ]
    )
    # Rich prints the escaped markup as the literal text it stands for.
    assert sorted(lines) == [line.replace("\\[", "[") for line in expected]
    assert not any(line.startswith(("error: forged", "ingested")) for line in lines)


def test_ingest_json_escapes_bidi_in_names_and_stays_json(run_cli: RunCli, tmp_path: Path) -> None:
    paths = hostile_names(tmp_path / "batch")
    assert run_cli("init").exit_code == 0
    result = run_cli("ingest", "--json", str(tmp_path / "batch"))
    assert not RAW.search(result.stdout.replace("\n", ""))
    report = json.loads(result.stdout)
    assert sorted(f["path"] for f in report["files"]) == sorted(str(p) for p in paths)


@pytest.fixture
def hostile_incident(store: Store, tmp_path: Path) -> str:
    """An ingested document with a hostile title, one event in it, one incident of it."""
    path = tmp_path / "report.jsonl"
    title = f"Strike{FORGED}{CLEAR}{RLO}gnp.exe [bold]loud[/bold]"
    record = {"text": STORY, "title": title, "publisher": f"Wire{CLEAR}", "published": "2022-04-08"}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    from dossier.ingest import ingest_paths

    [result] = ingest_paths(store, [str(path)])
    [doc_id] = result.new
    event = {"id": "ev-1", "type": "killing", "sentence": {"start": 0, "end": len(STORY) - 1}}
    with store.transaction() as conn:
        run_id = conn.execute(
            insert(tables.extraction_runs).values(
                document_id=doc_id,
                pipeline="test.v1",
                status="ok",
                analysis="{}",
                analysis_sha256="0" * 64,
                created_at=utc_now(),
            )
        ).inserted_primary_key[0]
        conn.execute(
            insert(tables.events).values(
                id="ev-1",
                pipeline="test.v1",
                run_id=run_id,
                document_id=doc_id,
                type="killing",
                status="asserted",
                record=json.dumps(event),
            )
        )
    place = {
        "name": f"Bucha{FORGED}",
        "lat": 50.54,
        "lon": 30.22,
        "admin1": f"Kyiv{RLO}",
        "precision": "locality",
    }
    incident = {
        "id": "inc-1",
        "type": "killing",
        "types": ["killing"],
        "place": place,
        "time": {"start": "2022-04-02", "end": "2022-04-03"},
        "perpetrator": {"side": "RU", "text": f"troops{CLEAR}"},
        "harm": [{"kind": "killed", "category": "civilians", "min": 2, "max": None}],
        "sources": [],
        "independent_sources": 1,
        "contested": True,
        "denied_by": [{"text": f"the Kremlin{FORGED}", "side": "RU"}],
        "grade": "contested",
        "grade_reason": f"denied{RLO}",
        "review": "unreviewed",
    }
    replace_incidents(store, [incident], [("inc-1", "ev-1", "test.v1", doc_id)], f"bot{CLEAR}")
    return "inc-1"


def test_show_incidents_and_log_print_hostile_titles_and_names_escaped(
    run_cli: RunCli, store: Store, hostile_incident: str
) -> None:
    show = run_cli("show", hostile_incident)
    assert show.exit_code == 0, show.stderr
    assert not RAW.search(show.stdout.replace("\n", ""))
    assert not any(line.startswith("error: forged") for line in show.stdout.splitlines())
    assert "place: Bucha\\nerror: forged (locality, Kyiv\\u202e, ?)" in show.stdout
    assert "Strike\\nerror: forged\\x1b[2J\\u202egnp.exe [bold]loud[/bold]" in show.stdout
    assert "- Wire\\x1b[2J, 2022-04-08: " in show.stdout
    assert "denied by: the Kremlin\\nerror: forged" in show.stdout
    listing = run_cli("incidents")
    assert listing.exit_code == 0
    assert not RAW.search(listing.stdout.replace("\n", ""))
    # The name wraps in its column, whole and escaped; the id is never cut.
    assert any(line.split()[:1] == ["inc-1"] for line in listing.stdout.splitlines())
    assert "Bucha\\nerror:" in listing.stdout and "forged" in listing.stdout
    log = run_cli("log")
    assert not RAW.search(log.stdout.replace("\n", ""))
    assert "bot\\x1b[2J" in log.stdout
    for args in (("show", hostile_incident, "--json"), ("incidents", "--json"), ("log", "--json")):
        out = run_cli(*args).stdout
        assert not RAW.search(out.replace("\n", "")), args
    with store.connect() as conn:
        [title] = conn.execute(select(tables.documents.c.title)).scalars()
    assert title.startswith(f"Strike{FORGED}{CLEAR}{RLO}"), "stored as given, escaped only on show"


def test_a_missing_incident_id_is_escaped_in_the_error(run_cli: RunCli, store: Store) -> None:
    result = run_cli("show", f"x{FORGED}{CLEAR}")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: no incident x\\nerror: forged\\x1b[2J; list them with `dossier incidents`\n"
    )


def test_incident_list_fits_80_columns_with_full_ids(
    run_cli: RunCli, store: Store, hostile_incident: str
) -> None:
    from sqlalchemy import select

    base = dict(store_incident(store, hostile_incident))
    long_id = "inc_3f9a2b7c1d4e5f60a1b2c3d4"
    incident = {
        **base,
        "id": long_id,
        "type": "attack_on_civilians",
        "place": {
            "name": "Kramatorsk railway station",
            "lat": 48.73,
            "lon": 37.58,
            "admin1": "Donetsk Oblast",
            "precision": "point",
        },
        "harm": [
            {"kind": "killed", "category": "civilians", "min": 61, "max": 63},
            {"kind": "injured", "category": "civilians", "min": 121, "max": None},
        ],
    }
    ev = tables.events
    with store.engine.connect() as conn:
        event = conn.execute(select(ev.c.id, ev.c.pipeline, ev.c.document_id)).first()
    assert event is not None
    replace_incidents(store, [incident], [(long_id, *event)], "tester")
    for columns in ("80", "100"):
        listing = run_cli("incidents", env={"COLUMNS": columns})
        assert listing.exit_code == 0
        lines = listing.stdout.splitlines()
        assert all(len(line.rstrip()) <= int(columns) for line in lines), lines
        assert any(line.split()[:1] == [long_id] for line in lines), listing.stdout
        text = " ".join(listing.stdout.split())
        for word in ("Kramatorsk", "railway", "station", "61-63", "121+", "contested"):
            assert word in text, word
        assert "…" not in listing.stdout
        assert "review" not in lines[1]  # a narrow terminal drops the review column
    wide = run_cli("incidents", env={"COLUMNS": "160"})
    assert "review" in wide.stdout and "unreviewed" in wide.stdout


def store_incident(store: Store, incident_id: str) -> dict[str, Any]:
    from dossier.review.incidents import get_incident

    found = get_incident(store, incident_id)
    assert found is not None
    return {k: v for k, v in found.items() if k in INCIDENT_KEYS}


INCIDENT_KEYS = (
    "time",
    "perpetrator",
    "types",
    "sources",
    "independent_sources",
    "contested",
    "denied_by",
    "grade",
    "grade_reason",
    "review",
)
