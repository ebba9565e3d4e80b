"""What every ``dossier`` command shares: the consoles, the --home context, the error guard.

``cli.py``, ``export_cli.py`` and ``web_cli.py`` all import from here, so a
configuration or store error reads the same whichever command hit it.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from ..config import Settings
from ..errors import ConfigError, StoreError
from ..terminal import printable

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


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

    def store(self, *, create: bool = False) -> Any:
        """The store; only ``dossier init`` creates one: a mistyped or emptied home is an error."""
        from ..store.database import Store

        return Store.open(self.settings(), create=create)


pass_ctx = click.make_pass_decorator(Context)


def guard(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Turn configuration and store errors into one clear line and exit status 2."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except (ConfigError, StoreError) as exc:
            err.print(f"error: {printable(str(exc))}")
            sys.exit(2)

    return wrapper
