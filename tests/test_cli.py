"""The ``dossier`` command: exact output and exit status of init, ingest, verify and log."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

RunCli = Callable[..., Any]
STORY = (
    "Missiles struck the theatre where hundreds of civilians sheltered, the city council said.\n"
)


def test_init_creates_the_home_and_reports_it(
    run_cli: RunCli, home: Path, database_url: str
) -> None:
    result = run_cli("init")
    assert result.exit_code == 0
    db = (
        f"sqlite:///{(home / 'dossier.db').resolve()}" if database_url == "sqlite" else database_url
    )
    assert result.stdout == (
        f"Dossier home: {home.resolve()}\n"
        f"database: {db} (schema {_head()})\n"
        f"public key: {home / 'keys' / 'ed25519.pub'}\n"
    )
    assert result.stderr == ""
    assert (home / "keys" / "ed25519.key").stat().st_mode & 0o777 == 0o600
    assert run_cli("init").stdout == result.stdout, "init twice changes nothing"


def _head() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from dossier.store.database import MIGRATIONS

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return str(ScriptDirectory.from_config(cfg).get_current_head())


def test_ingest_prints_one_summary_line(run_cli: RunCli, tmp_path: Path) -> None:
    run_cli("init")
    path = tmp_path / "theatre.txt"
    path.write_text(STORY, encoding="utf-8")
    first = run_cli("ingest", "--published", "2022-03-16", str(path))
    assert (first.exit_code, first.stderr) == (0, "")
    assert (
        first.stdout
        == "ingested 1 file(s): 1 new document(s), 0 already present, 0 failed, 0 error(s)\n"
    )
    again = run_cli("ingest", str(path))
    assert (
        again.stdout
        == "ingested 1 file(s): 0 new document(s), 1 already present, 0 failed, 0 error(s)\n"
    )


def test_ingest_json_summary(run_cli: RunCli, tmp_path: Path) -> None:
    run_cli("init")
    path = tmp_path / "theatre.txt"
    path.write_text(STORY, encoding="utf-8")
    result = run_cli("ingest", "--json", str(path))
    assert result.exit_code == 0
    out = json.loads(result.stdout)
    assert out["summary"] == {
        "files": 1,
        "new_documents": 1,
        "present_documents": 0,
        "failed_files": 0,
        "errors": 0,
        "skipped": 0,
    }
    [entry] = out["files"]
    assert entry["path"] == str(path) and entry["status"] == "new"
    assert entry["artifact"].startswith("sha256:") and entry["new_documents"] == [entry["artifact"]]


def test_ingest_with_a_bad_date_is_a_usage_error(run_cli: RunCli, tmp_path: Path) -> None:
    run_cli("init")
    path = tmp_path / "theatre.txt"
    path.write_text(STORY, encoding="utf-8")
    result = run_cli("ingest", "--published", "the day after", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        "error: --published: cannot read the date 'the day after'; give it as YYYY-MM-DD\n"
    )


def test_verify_prints_one_line_per_check(run_cli: RunCli, tmp_path: Path) -> None:
    run_cli("init")
    path = tmp_path / "theatre.txt"
    path.write_text(STORY, encoding="utf-8")
    run_cli("ingest", str(path))
    result = run_cli("verify")
    assert result.exit_code == 0
    anchored = run_cli("anchor", "-o", str(tmp_path / "anchor.json"))
    assert anchored.exit_code == 0, anchored.stderr
    cp = json.loads((tmp_path / "anchor.json").read_text())
    assert result.stdout == (
        "keys: 2 checked, ok\n"
        "artifacts: 1 checked, ok\n"
        "artifact store: 1 checked, ok\n"
        "documents: 1 checked, ok\n"
        "document flags: 0 checked, ok\n"
        "extraction runs: 0 checked, ok\n"
        "reviews: 0 checked, ok\n"
        "incidents: 0 checked, ok\n"
        "custody chain: 2 checked, ok\n"
        "checkpoints: 2 checked, ok\n"
        "timestamps: 0 checked, ok\n"
        f"head: size 2, root {cp['root']}, key {cp['key_id']}, signed {cp['time']}\n"
        "verify: all checks passed\n"
    )


def test_log_json_prints_one_entry_per_line(run_cli: RunCli, tmp_path: Path) -> None:
    run_cli("init")
    path = tmp_path / "theatre.txt"
    path.write_text(STORY, encoding="utf-8")
    run_cli("ingest", str(path))
    result = run_cli("log", "--json")
    assert result.exit_code == 0
    acquired, ingested = (json.loads(line) for line in result.stdout.splitlines())
    assert set(acquired) == {
        "seq",
        "time",
        "actor",
        "action",
        "object_id",
        "object_hash",
        "detail",
        "prev_hash",
        "entry_hash",
    }
    assert (acquired["seq"], acquired["action"], acquired["actor"]) == (1, "acquired", "tester")
    assert acquired["prev_hash"] == "0" * 64
    record = acquired["detail"].pop("record_sha256")
    assert acquired["detail"] == {
        "media_type": "text/plain",
        "size": len(STORY),
        "source_path": str(path),
    }
    assert len(record) == 64 and len(ingested["detail"]["metadata_sha256"]) == 64
    assert (ingested["seq"], ingested["action"]) == (2, "ingested")
    assert ingested["prev_hash"] == acquired["entry_hash"]
    assert ingested["detail"]["artifact"] == acquired["object_id"]
    newest = run_cli("log", "--json", "--limit", "1")
    assert newest.stdout.splitlines() == result.stdout.splitlines()[-1:]
    oldest = run_cli("log", "--json", "--limit", "1", "--oldest")
    assert oldest.stdout.splitlines() == result.stdout.splitlines()[:1]
    other = run_cli("log", "--json", "--object", "sha256:" + "0" * 64)
    assert other.stdout == ""


def test_a_broken_database_url_is_a_configuration_error(run_cli: RunCli) -> None:
    result = run_cli("init", env={"DOSSIER_DATABASE_URL": "nosuchdb://x"})
    assert result.exit_code == 2
    assert result.stderr.startswith("error: nosuchdb://x: cannot open the database (")


# Every command but `init` and the store-less ones, with arguments that would
# otherwise work: each must refuse a home that does not exist, and leave it absent.
NEEDS_A_STORE: dict[str, tuple[str, ...]] = {
    "migrate": (),
    "ingest": ("{story}",),
    "verify": (),
    "anchor": ("-o", "{tmp}/a.json"),
    "log": ("--json",),
    "extract": (),
    "corroborate": (),
    "incidents": (),
    "show": ("inc-1",),
    "serve": ("--port", "1"),
    "users add": ("ana", "--role", "viewer", "--password-file", "{story}"),
    "users role": ("ana", "viewer"),
    "users list": (),
    "users token": ("ana",),
    "users disable": ("ana",),
    "users enable": ("ana",),
    "users password": ("ana", "--password-file", "{story}"),
    "export": ("-o", "{tmp}/out.csv"),
    "bundle": ("inc-1", "-o", "{tmp}/b.zip"),
    "report": ("inc-1", "-o", "{tmp}/r.html"),
    "keys show": (),
    "keys list": (),
    "keys trust": ("{story}",),
    "timestamp": (),
}
# Commands that read no store: `init` makes one, the others read files only.
WITHOUT_A_STORE = {"init", "analyze", "verify-bundle"}


def _command_names() -> set[str]:
    import click

    from dossier.cli import main

    names = set()
    for name, command in main.commands.items():
        if isinstance(command, click.Group):
            names |= {f"{name} {sub}" for sub in command.commands}
        else:
            names.add(name)
    return names


def test_every_command_is_checked_on_a_missing_home() -> None:
    # a new command lands in one of the two lists, so the test below covers it
    assert _command_names() == set(NEEDS_A_STORE) | WITHOUT_A_STORE


@pytest.mark.parametrize("command", sorted(NEEDS_A_STORE))
def test_commands_refuse_a_home_that_does_not_exist(
    run_cli: RunCli, home: Path, tmp_path: Path, command: str
) -> None:
    # Regression: a mistyped --home was created on the spot (`users list` made a new
    # store, new keys, a new custody chain, and exited 0; verify reported "all checks
    # passed" over an empty store). Only `dossier init` creates one.
    story = tmp_path / "theatre.txt"
    story.write_text(STORY, encoding="utf-8")
    args = [a.format(story=story, tmp=tmp_path) for a in NEEDS_A_STORE[command]]
    result = run_cli(*command.split(), *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"error: no Dossier store at {home}; run `dossier init`\n"
    assert not home.exists()


@pytest.mark.sqlite_only  # the database file itself
def test_commands_refuse_a_home_whose_database_is_gone(run_cli: RunCli, home: Path) -> None:
    run_cli("init")
    db = home / "dossier.db"
    db.unlink()
    result = run_cli("ingest", str(home))
    assert result.exit_code == 2
    assert (
        result.stderr == f"error: sqlite:///{db}: no database; run `dossier init` for a new store\n"
    )
    # init itself will not put an empty database (a new custody chain) in a home with keys.
    again = run_cli("init")
    assert again.exit_code == 2
    assert "the database was lost; restore it from a backup" in again.stderr
    assert not db.exists()


def test_init_with_a_relative_home_does_not_wait_for_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Regression: with --home given relative, the home's lock and the database
    # folder's lock were taken on one folder by one process, and init hung.
    import subprocess
    import sys

    monkeypatch.chdir(tmp_path)
    dossier = Path(sys.executable).with_name("dossier")
    done = subprocess.run(
        [str(dossier), "--home", "relative-home", "init"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "relative-home" / "keys" / "ed25519.pub").exists()
