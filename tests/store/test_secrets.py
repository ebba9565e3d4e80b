"""A database password never appears in any output: command output, errors or logs."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

PASSWORD = "Zq7-not-for-your-eyes"


def _with_password(url: str) -> str:
    return make_url(url).set(password=PASSWORD).render_as_string(hide_password=False)


def test_a_reachable_database_keeps_its_password_out_of_every_output(  # type: ignore[no-untyped-def]
    run_cli, home: Path, tmp_path: Path, database_url: str, caplog, monkeypatch
) -> None:
    if database_url == "sqlite":
        pytest.skip("a SQLite URL has no password")
    # The test server trusts local connections, so the password is carried but never checked.
    monkeypatch.setenv("DOSSIER_DATABASE_URL", _with_password(database_url))
    caplog.set_level(logging.DEBUG)
    report = tmp_path / "report.txt"
    report.write_text("Shelling hit a school in Kharkiv on Monday, residents said.\n")
    outputs = []
    for args in (("init",), ("ingest", str(report)), ("migrate",), ("verify",), ("init",)):
        result = run_cli(*args)
        outputs.append(result.stdout + result.stderr)
    assert "database: " in outputs[0] and ":***@" in outputs[0]
    assert "holds artifacts or keys" not in outputs[-1]
    for out in outputs:
        assert PASSWORD not in out
    assert PASSWORD not in caplog.text


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://dossier:{PASSWORD}@127.0.0.1:1/dossier",  # nobody listens
        f"postgresql+psycopg://dossier:{PASSWORD}@127.0.0.1:notaport/dossier",  # unparsable
        f"nosuchdriver://dossier:{PASSWORD}@127.0.0.1/dossier",  # no such dialect
    ],
)
def test_an_unusable_database_url_is_named_without_its_password(  # type: ignore[no-untyped-def]
    run_cli, url: str, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    for args in (("init",), ("verify",), ("migrate",)):
        result = run_cli(*args, env={"DOSSIER_DATABASE_URL": url})
        out = result.stdout + result.stderr
        # verify reports a failed check (exit 1); the others refuse (exit 2)
        assert result.exit_code == (1 if args == ("verify",) else 2), out
        assert "cannot open the database" in out and "dossier:***@" in out or "not a valid" in out
        assert PASSWORD not in out
    assert PASSWORD not in caplog.text
