"""``dossier users`` and ``dossier serve`` registration: exact output and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.cli import main
from dossier.cli.web import register
from dossier.config import Settings
from dossier.review.accounts import account_for_token, authenticate
from dossier.store.database import Store

register(main)  # what cli/commands.py does


@pytest.fixture(autouse=True)
def _initialised(run_cli):  # type: ignore[no-untyped-def]
    """Only `dossier init` makes a store; the account commands need one."""
    assert run_cli("init").exit_code == 0


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "pw"
    path.write_text("a long enough password\n")
    return path


def test_users_add_stores_an_argon2_hash_and_the_password_logs_in(
    run_cli, home: Path, password_file: Path
) -> None:  # type: ignore[no-untyped-def]
    result = run_cli(
        "users", "add", "ana", "--role", "reviewer", "--password-file", str(password_file)
    )
    assert (result.exit_code, result.stdout) == (0, "added ana (reviewer)\n")
    store = Store.open(Settings(home=home))
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql(
            "SELECT password_hash FROM accounts WHERE name='ana'"
        ).scalar_one()
    assert stored.startswith("$argon2id$") and "a long enough password" not in stored
    assert authenticate(store, "ana", "a long enough password") is not None
    assert authenticate(store, "ana", "a long enough passwor") is None


def test_users_add_twice_is_a_clear_error(run_cli, password_file: Path) -> None:  # type: ignore[no-untyped-def]
    run_cli("users", "add", "ana", "--role", "viewer", "--password-file", str(password_file))
    result = run_cli(
        "users", "add", "ana", "--role", "viewer", "--password-file", str(password_file)
    )
    assert result.exit_code == 2 and "exists" in result.stderr


def test_short_password_is_refused(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    short = tmp_path / "short"
    short.write_text("abc")
    result = run_cli("users", "add", "ana", "--role", "viewer", "--password-file", str(short))
    assert result.exit_code == 2 and "too short" in result.stderr


def test_token_is_printed_once_and_only_its_hash_is_stored(
    run_cli, home: Path, password_file: Path
) -> None:  # type: ignore[no-untyped-def]
    run_cli("users", "add", "ana", "--role", "analyst", "--password-file", str(password_file))
    result = run_cli("users", "token", "ana")
    token = result.stdout.strip()
    assert result.exit_code == 0 and token.startswith("dos_")
    store = Store.open(Settings(home=home))
    assert account_for_token(store, token).name == "ana"  # type: ignore[union-attr]
    with store.engine.connect() as conn:
        stored = [r[0] for r in conn.exec_driver_sql("SELECT token_sha256 FROM account_tokens")]
    assert token not in stored and len(stored) == 1


def test_token_for_unknown_account_fails(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("users", "token", "nobody")
    assert result.exit_code == 2 and "no account 'nobody'" in result.stderr


def test_users_list_and_role(run_cli, password_file: Path) -> None:  # type: ignore[no-untyped-def]
    run_cli("users", "add", "ana", "--role", "viewer", "--password-file", str(password_file))
    assert run_cli("users", "role", "ana", "admin").stdout == "ana is now admin\n"
    listing = run_cli("users", "list").stdout
    assert "ana" in listing and "admin" in listing


def test_serve_has_the_documented_defaults() -> None:
    serve = main.commands["serve"]
    defaults = {p.name: p.default for p in serve.params}
    assert defaults["host"] == "127.0.0.1" and defaults["port"] == 8000
