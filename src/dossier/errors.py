"""One exception hierarchy for Dossier.

::

    DossierError
    ├── ConfigError            a setting is missing or wrong
    ├── InputError             one input could not be used (names the input and why)
    │   ├── UnsupportedInput   not a format Dossier reads
    │   └── MalformedInput     the format is right but the content is broken
    ├── StoreError             the database or the data directory is unusable
    │   └── NoStore            no Dossier store at the home: run `dossier init`
    ├── Busy                   another process is doing this work now (names it)
    ├── NotFound               no record with that id (or one the asker may not see)
    ├── PermissionDenied       the account's role may not do this
    ├── InvalidRequest         a value a person gave cannot be used (``field`` names it)
    │   └── FilterError        an incident filter that cannot be read
    ├── Conflict               the action does not fit the record's state now
    ├── ReviewError            a review action refused; always one of:
    │   ├── ReviewInvalid        … and an InvalidRequest (a bad action, parameter, reason)
    │   ├── ReviewNotAllowed     … and a PermissionDenied (the role is too low)
    │   ├── ReviewNotFound       … and a NotFound (no such incident, or a hidden one)
    │   └── ReviewConflict       … and a Conflict
    └── IntegrityError         a hash, chain link or signature does not match;
                               always fatal, never caught by the runner

Every message says what happened, to which input, and how to fix it. The
classes say what happened, never how to answer it: ``web/`` maps them to HTTP
statuses in one place (``web/errors.py``), ``cli/`` to exit statuses in its guard.
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


class NoStore(StoreError):
    """No Dossier store at ``home``: only ``dossier init`` makes one."""

    def __init__(self, home: object) -> None:
        self.home = home
        super().__init__(f"no Dossier store at {home}; run `dossier init`")


class Busy(DossierError):
    """Another process holds the work (``dossier extract`` running twice); names it."""


class NotFound(DossierError):
    """No record with the given id; a record the asker may not see is answered alike."""


class PermissionDenied(DossierError):
    """The account's role may not do this (the message names the role it needs)."""


class InvalidRequest(DossierError):
    """A value a person gave (a query parameter, a form field, an option) cannot be used."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class FilterError(InvalidRequest):
    """An incident filter that cannot be read; the message names it and the expected form."""


class Conflict(DossierError):
    """The action does not fit the record's state now."""


class ReviewError(DossierError):
    """A review action refused; the subclass says why."""


class ReviewInvalid(ReviewError, InvalidRequest):
    """A review action, parameter or reason that cannot be used."""


class ReviewNotAllowed(ReviewError, PermissionDenied):
    """The account's role may not take this review action."""


class ReviewNotFound(ReviewError, NotFound):
    """No such incident, or one the account may not see (answered alike)."""


class ReviewConflict(ReviewError, Conflict):
    """The review action does not fit the incident's state now."""


class IntegrityError(DossierError):
    """Stored evidence does not match its hash, chain or signature."""
