"""The ``dossier serve`` and ``dossier users`` commands; ``commands.py`` registers them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from ..errors import InputError
from ..terminal import printable
from .context import Context, err, guard, out, pass_ctx


def _seal(store: Any) -> None:
    """Sign a checkpoint over the account change, as every other command does at its end."""
    from ..store import custody_log

    custody_log.checkpoint(store, force=True)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@pass_ctx
@guard
def serve(ctx: Context, host: str, port: int) -> None:
    """Serve the web pages and the REST API (/api/v1) from one process."""
    import uvicorn

    from ..web import create_app

    store = ctx.store()
    app = create_app(store.settings, store=store)
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
        try:
            text = sys.stdin.read() if password_file == "-" else Path(password_file).read_text()
        except OSError as exc:
            raise InputError(password_file, f"cannot read the password ({exc.strerror})") from exc
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
@pass_ctx
@guard
def users_add(ctx: Context, name: str, role: str, password_file: str | None) -> None:
    """Add an account; the password is stored only as an argon2id hash."""
    from ..review.accounts import add_account

    store = ctx.store()
    add_account(store, name, role, _read_password(password_file), actor=store.settings.who)
    _seal(store)
    out.print(f"added {escape(name)} ({role})")


@users.command("role")
@click.argument("name")
@click.argument("role", type=click.Choice(["viewer", "analyst", "reviewer", "admin"]))
@pass_ctx
@guard
def users_role(ctx: Context, name: str, role: str) -> None:
    """Change an account's role."""
    from ..review.accounts import set_role

    store = ctx.store()
    set_role(store, name, role, actor=store.settings.who)
    _seal(store)
    out.print(f"{escape(name)} is now {role}")


@users.command("list")
@pass_ctx
@guard
def users_list(ctx: Context) -> None:
    """List accounts and their roles."""
    from ..review.accounts import list_accounts

    store = ctx.store()
    table = Table("name", "role", "state")
    for account in list_accounts(store):
        table.add_row(
            printable(account.name), account.role, "disabled" if account.disabled else "active"
        )
    out.print(table)


@users.command("token")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Revoke every token of NAME instead of issuing one.")
@pass_ctx
@guard
def users_token(ctx: Context, name: str, revoke: bool) -> None:
    """Print a new API bearer token for NAME (only its hash is kept: copy it now)."""
    from ..review.accounts import issue_token, revoke_tokens

    store = ctx.store()
    if revoke:
        n = revoke_tokens(store, name, actor=store.settings.who)
        _seal(store)
        out.print(f"revoked {n} token(s) of {escape(name)}")
    else:
        token = issue_token(store, name, actor=store.settings.who)
        _seal(store)
        out.print(token)


@users.command("disable")
@click.argument("name")
@pass_ctx
@guard
def users_disable(ctx: Context, name: str) -> None:
    """Disable NAME: it cannot log in, and its sessions and tokens end at once."""
    from ..review.accounts import set_disabled

    store = ctx.store()
    ended, revoked = set_disabled(store, name, True, actor=store.settings.who)
    _seal(store)
    out.print(f"disabled {escape(name)}: ended {ended} session(s), revoked {revoked} token(s)")


@users.command("enable")
@click.argument("name")
@pass_ctx
@guard
def users_enable(ctx: Context, name: str) -> None:
    """Enable NAME again (old sessions and tokens stay ended: log in, issue a new token)."""
    from ..review.accounts import set_disabled

    store = ctx.store()
    set_disabled(store, name, False, actor=store.settings.who)
    _seal(store)
    out.print(f"enabled {escape(name)}")


@users.command("password")
@click.argument("name")
@click.option(
    "--password-file", help="Read the password from this file ('-' for stdin) instead of a prompt."
)
@pass_ctx
@guard
def users_password(ctx: Context, name: str, password_file: str | None) -> None:
    """Set NAME's password; every web session of NAME ends at once."""
    from ..review.accounts import set_password

    store = ctx.store()
    ended = set_password(store, name, _read_password(password_file), actor=store.settings.who)
    _seal(store)
    out.print(f"changed the password of {escape(name)}: ended {ended} session(s)")


def register(main: click.Group) -> None:
    """Add ``serve`` and ``users`` to the ``dossier`` command group."""
    main.add_command(serve)
    main.add_command(users)
