"""How the web app answers Dossier's errors: one table from exception class to HTTP status.

Routes raise what happened (``NotFound``, ``PermissionDenied``,
``InvalidRequest``, ``Conflict`` and their review and filter subclasses of
``errors.py``) and never build an error response themselves; the handlers
registered here answer in the asker's language through ``security.deny``:
JSON ``{"error": {"status", "message"}}`` under ``/api/``, the error page
otherwise. A hidden record raises the same ``NotFound`` as an unknown one,
so the two answer alike. Any other error is not the asker's to fix: it
stays a 500, logged, with nothing of its message shown.
"""

from __future__ import annotations

from fastapi import FastAPI, Request, Response

from ..errors import Conflict, DossierError, InvalidRequest, NotFound, PermissionDenied
from .security import deny

# Most specific first is not needed: a class's own MRO picks its entry (ReviewNotFound
# is a ReviewError and a NotFound, so 404).
STATUSES: dict[type[DossierError], int] = {
    InvalidRequest: 400,
    PermissionDenied: 403,
    NotFound: 404,
    Conflict: 409,
}


def status_of(exc: DossierError) -> int:
    """The HTTP status of ``exc``: the entry of the first of its classes in ``STATUSES``."""
    for cls in type(exc).__mro__:
        if cls in STATUSES:
            return STATUSES[cls]
    raise LookupError(f"{type(exc).__name__} has no HTTP status")  # registered only for these


async def _answer(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DossierError)
    return deny(request, status_of(exc), str(exc))


def add_error_handlers(app: FastAPI) -> None:
    """Answer every class of ``STATUSES`` (and its subclasses) with its status and message."""
    for cls in STATUSES:
        app.add_exception_handler(cls, _answer)
