"""What every ``dossier`` command shares: the one console pair, the --home context, the guard.

``commands.py``, ``export.py`` and ``web.py`` all import from here, so every
command prints through the same consoles, opens its store the same way
(``Context.store``: only ``dossier init`` passes ``create=True``) and turns a
Dossier error into the same one line (``guard``), whichever command hit it.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click
from rich.console import Console

from ..config import Settings
from ..errors import Busy, ConfigError, DossierError, IntegrityError
from ..terminal import printable

if TYPE_CHECKING:
    from ..store.database import Store

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

# Exit statuses (README): 1 when the work ran and something in it failed or broke
# (another process holds it; stored evidence does not match); 2, the default, when
# the command could not start: a setting, the store, an option's value.
EXIT_STATUS: dict[type[DossierError], int] = {Busy: 1, IntegrityError: 1}


class Context:
    """The ``dossier`` group's object: the --home given, and how to open it."""

    def __init__(self, home: str | None) -> None:
        self.home = home

    def settings(self) -> Settings:
        kwargs: dict[str, Any] = {}
        if self.home:
            kwargs["home"] = Path(self.home)
        try:
            return Settings(**kwargs)
        except Exception as exc:  # pydantic's validation error names the setting
            raise ConfigError(f"bad setting: {exc}") from exc

    def store(
        self, *, create: bool = False, read_only: bool = False, migrate: bool = False
    ) -> Store:
        """The store; only ``dossier init`` creates one: a mistyped or emptied home is an error."""
        from ..store.database import Store

        return Store.open(self.settings(), create=create, read_only=read_only, migrate=migrate)


pass_ctx = click.make_pass_decorator(Context)


def exit_status(exc: DossierError) -> int:
    """The exit status of ``exc``: its first class in ``EXIT_STATUS``, else 2."""
    return next((EXIT_STATUS[c] for c in type(exc).__mro__ if c in EXIT_STATUS), 2)


def fail(exc: DossierError) -> NoReturn:
    """Print ``exc`` as one ``error:`` line (terminal-safe) and exit with its status."""
    err.print(f"error: {printable(str(exc))}")
    sys.exit(exit_status(exc))


def guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn any Dossier error of the command into one clear line and its exit status."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except DossierError as exc:
            fail(exc)

    return wrapper
