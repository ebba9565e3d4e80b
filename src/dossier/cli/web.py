"""The ``dossier serve`` and ``dossier users`` commands; ``cli.py`` calls ``register(main)``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..errors import ConfigError, DossierError
from ..terminal import printable

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _ctx_store(ctx: click.Context) -> tuple[object, object]:
    settings = ctx.obj.settings()  # the CLI's Context, passed down from ``dossier``
    from ..store.database import Store

    try:
        return settings, Store.open(settings, create=False)  # only `dossier init` makes one
    except DossierError as exc:
        _fail(exc)


def _seal(store: object) -> None:
    """Sign a checkpoint over the account change, as every other command does at its end."""
    from ..store import custody_log

    custody_log.checkpoint(store, force=True)  # type: ignore[arg-type]


def _fail(exc: DossierError) -> NoReturn:
    err.print(f"error: {printable(str(exc))}")
    sys.exit(2)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the web pages and the REST API (/api/v1) from one process."""
    import uvicorn

    from ..web import create_app

    try:
        settings, store = _ctx_store(ctx)
        app = create_app(settings, store=store)  # type: ignore[arg-type]
    except DossierError as exc:
        _fail(exc)
        return
    err.print(f"Dossier on http://{host}:{port}/ (Ctrl-C stops)")
    uvicorn.Server(server_config(app, host, port)).run()


def server_config(app: object, host: str, port: int) -> Any:
    """How ``serve`` runs uvicorn (a function, so tests run the very same server)."""
    import uvicorn

    # X-Forwarded-For is read by the app, and only from DOSSIER_WEB_TRUSTED_PROXIES:
    # uvicorn's proxy headers would believe it from any local client
    return uvicorn.Config(app, host=host, port=port, log_level="warning", proxy_headers=False)  # type: ignore[arg-type]


@click.group()
def users() -> None:
    """Accounts of the web app and the API: add, list, role, password, disable, tokens."""


def _read_password(password_file: str | None) -> str:
    if password_file:
        text = sys.stdin.read() if password_file == "-" else Path(password_file).read_text()
        return text.rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@users.command("add")
@click.argument("name")
@click.option(
    "--role", type=click.Choice(["viewer", "analyst", "reviewer", "admin"]), required=True
)
@click.option(
    "--password-file", help="Read the password from this file ('-' for stdin) instead of a prompt."
)
@click.pass_context
def users_add(ctx: click.Context, name: str, role: str, password_file: str | None) -> None:
    """Add an account; the password is stored only as an argon2id hash."""
    from ..review.accounts import add_account

    try:
        settings, store = _ctx_store(ctx)
        add_account(store, name, role, _read_password(password_file), actor=settings.who)  # type: ignore[arg-type, attr-defined]
        _seal(store)
    except (ConfigError, DossierError, OSError) as exc:
        _fail(exc if isinstance(exc, DossierError) else ConfigError(str(exc)))
        return
    out.print(f"added {escape(name)} ({role})")


@users.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(["viewer", "analyst", "reviewer", "admin"]))
@click.pass_context
def users_role(ctx: click.Context, name: str, role: str) -> None:
    """Change an account's role."""
    from ..review.accounts import set_role

    try:
        settings, store = _ctx_store(ctx)
        set_role(store, name, role, actor=settings.who)  # type: ignore[arg-type, attr-defined]
        _seal(store)
    except DossierError as exc:
        _fail(exc)
        return
    out.print(f"{escape(name)} is now {role}")


@users.command("list")
@click.pass_context
def users_list(ctx: click.Context) -> None:
    """List accounts and their roles."""
    from ..review.accounts import list_accounts

    _, store = _ctx_store(ctx)
    table = Table("name", "role", "state")
    for account in list_accounts(store):  # type: ignore[arg-type]
        table.add_row(
            printable(account.name), account.role, "disabled" if account.disabled else "active"
        )
    out.print(table)


@users.command("token")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Revoke every token of NAME instead of issuing one.")
@click.pass_context
def users_token(ctx: click.Context, name: str, revoke: bool) -> None:
    """Print a new API bearer token for NAME (only its hash is kept: copy it now)."""
    from ..review.accounts import issue_token, revoke_tokens

    try:
        settings, store = _ctx_store(ctx)
        if revoke:
            n = revoke_tokens(store, name, actor=settings.who)  # type: ignore[arg-type, attr-defined]
            _seal(store)
            out.print(f"revoked {n} token(s) of {escape(name)}")
        else:
            token = issue_token(store, name, actor=settings.who)  # type: ignore[arg-type, attr-defined]
            _seal(store)
            out.print(token)
    except DossierError as exc:
        _fail(exc)


@users.command("disable")
@click.argument("name")
@click.pass_context
def users_disable(ctx: click.Context, name: str) -> None:
    """Disable NAME: it cannot log in, and its sessions and tokens end at once."""
    from ..review.accounts import set_disabled

    try:
        settings, store = _ctx_store(ctx)
        ended, revoked = set_disabled(store, name, True, actor=settings.who)  # type: ignore[arg-type, attr-defined]
        _seal(store)
    except DossierError as exc:
        _fail(exc)
        return
    out.print(f"disabled {escape(name)}: ended {ended} session(s), revoked {revoked} token(s)")


@users.command("enable")
@click.argument("name")
@click.pass_context
def users_enable(ctx: click.Context, name: str) -> None:
    """Enable NAME again (old sessions and tokens stay ended: log in, issue a new token)."""
    from ..review.accounts import set_disabled

    try:
        settings, store = _ctx_store(ctx)
        set_disabled(store, name, False, actor=settings.who)  # type: ignore[arg-type, attr-defined]
        _seal(store)
    except DossierError as exc:
        _fail(exc)
        return
    out.print(f"enabled {escape(name)}")


@users.command("password")
@click.argument("name")
@click.option(
    "--password-file", help="Read the password from this file ('-' for stdin) instead of a prompt."
)
@click.pass_context
def users_password(ctx: click.Context, name: str, password_file: str | None) -> None:
    """Set NAME's password; every web session of NAME ends at once."""
    from ..review.accounts import set_password

    try:
        settings, store = _ctx_store(ctx)
        ended = set_password(store, name, _read_password(password_file), actor=settings.who)  # type: ignore[arg-type, attr-defined]
        _seal(store)
    except (DossierError, OSError) as exc:
        _fail(exc if isinstance(exc, DossierError) else ConfigError(str(exc)))
        return
    out.print(f"changed the password of {escape(name)}: ended {ended} session(s)")


def register(main: click.Group) -> None:
    """Add ``serve`` and ``users`` to the ``dossier`` command group."""
    main.add_command(serve)
    main.add_command(users)
