"""One exception hierarchy for Dossier.

::

    DossierError
    ├── ConfigError            a setting is missing or wrong
    ├── InputError             one input could not be used (names the input and why)
    │   ├── UnsupportedInput   not a format Dossier reads
    │   └── MalformedInput     the format is right but the content is broken
    ├── StoreError             the database or the data directory is unusable
    ├── Busy                   another process is doing this work now (names it)
    ├── NotFound               no record with that id
    └── IntegrityError         a hash, chain link or signature does not match;
                               always fatal, never caught by the runner

Every message says what happened, to which input, and how to fix it.
"""

from __future__ import annotations


class DossierError(Exception):
    """Base class of every error Dossier raises on purpose."""


class ConfigError(DossierError):
    """A setting is missing or has a value Dossier cannot use."""


class InputError(DossierError):
    """One input could not be used; ``input`` names it, the message says why."""

    def __init__(self, input: str, reason: str, *, line: int | None = None) -> None:
        self.input = input
        self.reason = reason
        self.line = line
        where = f"{input}:{line}" if line is not None else input
        super().__init__(f"{where}: {reason}")


class UnsupportedInput(InputError):
    """The input is not in a format Dossier reads."""


class MalformedInput(InputError):
    """The input claims a format but its content is broken."""


class StoreError(DossierError):
    """The database or data directory cannot be used."""


class Busy(DossierError):
    """Another process holds the work (``dossier extract`` running twice); names it."""


class NotFound(DossierError):
    """No record with the given id."""


class IntegrityError(DossierError):
    """Stored evidence does not match its hash, chain or signature."""
