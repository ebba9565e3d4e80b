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


def _require_passwords(url: str) -> str:
    """A role ``dossier_pw`` whose password the test server checks; the URL with a wrong one.

    The test server trusts local connections; one pg_hba line, first and only for
    this role, makes it check the password, so the other tests are left as they are.
    """
    from sqlalchemy import create_engine

    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.exec_driver_sql("SELECT 1 FROM pg_roles WHERE rolname = 'dossier_pw'").first():
            conn.exec_driver_sql("ALTER ROLE dossier_pw LOGIN PASSWORD 'the-right-one'")
        else:
            conn.exec_driver_sql("CREATE ROLE dossier_pw LOGIN PASSWORD 'the-right-one'")
        hba = Path(str(conn.exec_driver_sql("SHOW hba_file").scalar_one()))
        line = "host all dossier_pw 127.0.0.1/32 scram-sha-256\n"
        text = hba.read_text()
        if line not in text:
            hba.write_text(line + text)
            conn.exec_driver_sql("SELECT pg_reload_conf()")
    admin.dispose()
    return (
        make_url(url)
        .set(username="dossier_pw", password=PASSWORD)
        .render_as_string(hide_password=False)
    )


def test_a_wrong_password_is_refused_naming_the_database_without_the_password(  # type: ignore[no-untyped-def]
    run_cli, database_url: str, caplog
) -> None:
    if database_url == "sqlite":
        pytest.skip("a SQLite URL has no password")
    url = _require_passwords(database_url)
    assert run_cli("init").exit_code == 0  # a home whose database is there, as the right role
    caplog.set_level(logging.DEBUG)
    shown = make_url(url).render_as_string(hide_password=True)
    assert ":***@" in shown
    for args in (("init",), ("migrate",), ("users", "list"), ("incidents",), ("log",)):
        result = run_cli(*args, env={"DOSSIER_DATABASE_URL": url})
        out = result.stdout + result.stderr
        assert result.exit_code == 2, out
        assert out.startswith(f"error: {shown}: cannot open the database ("), out
        assert 'password authentication failed for user "dossier_pw"' in out, out
        assert out.count("\n") == 1, out  # one line: no traceback, no SQLAlchemy link
        assert PASSWORD not in out
    assert PASSWORD not in caplog.text


@pytest.mark.sqlite_only  # a path on this machine
def test_a_database_path_that_cannot_be_made_is_named(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    url = f"sqlite:///{blocker}/dossier.db"
    result = run_cli("init", env={"DOSSIER_DATABASE_URL": url})
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {url}: cannot open the database ("), result.stderr
    assert result.stderr.count("\n") == 1  # one line, no traceback


def test_a_database_error_leaves_the_store_as_a_store_error(  # type: ignore[no-untyped-def]
    store, database_url: str
) -> None:
    """What the database refuses inside a transaction reaches the caller as StoreError.

    It names the database (password hidden) and the kind of failure, and quotes
    neither the statement nor its values: they are text from ingested documents.
    """
    from sqlalchemy import insert

    from dossier.errors import StoreError
    from dossier.store import tables
    from dossier.store.database import redact_url

    marker = "Marta-Pimbrel-witness"
    row = {c.name: None for c in tables.artifacts.columns}
    with pytest.raises(StoreError) as caught, store.transaction() as conn:
        conn.execute(insert(tables.artifacts).values(**{**row, "sha256": marker}))
    message = str(caught.value)
    assert message.startswith(
        f"{redact_url(store.settings.db_url)}: the database refused the change"
    )
    assert marker not in message and "INSERT" not in message
    assert "\n" not in message
    with pytest.raises(StoreError, match="no_such_table"), store.connect() as conn:
        conn.exec_driver_sql("SELECT * FROM no_such_table")
