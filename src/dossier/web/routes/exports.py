"""``/api/v1/export`` and ``/api/v1/incidents/{id}/report``: the exports over HTTP.

The web app includes ``router`` beside the other routes (it lives in web/, not
export/, because it speaks HTTP: export/ sits below web/ in the layers). Filters
are read by the web's own ``parse_query``, so a download button passes the
list page's query string unchanged and gets the incidents the list shows.
Both go through the caller's visibility policy (``review.visibility``):
incidents hidden from the role are left out of exports and answer 404 as
reports, exactly as ids that do not exist; what comes from personal
documents is redacted in both.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from typing import IO

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse

from ...export.formats import MEDIA_TYPES, WRITERS, export_incidents
from ...export.report import render_html
from ..security import GuardedRoute, role
from ..views import FilterError, parse_query, policy

router = APIRouter(prefix="/api/v1", route_class=GuardedRoute, tags=["export"])
SUFFIXES = {"csv": "csv", "geojson": "geojson", "jsonl": "jsonl"}
SPOOL_BYTES = 8 * 1024 * 1024  # larger exports spill to a temporary file, not memory
CHUNK = 256 * 1024


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message}}, status)


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk
    finally:
        spool.close()


@router.get("/export", openapi_extra=role("viewer"))
def export(request: Request, format: str = "csv") -> Response:
    """The incidents matching the list filters as CSV (ACLED layout), GeoJSON or JSON Lines."""
    if format not in WRITERS:
        return _error(400, f"format must be one of {', '.join(WRITERS)}")
    store, view = request.app.state.store, policy(request)
    try:
        query = parse_query(store, request.query_params, view=view)
    except FilterError as exc:
        return _error(400, str(exc))

    # closed by _chunks once the response has sent it
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+b")  # noqa: SIM115
    try:
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
        export_incidents(store, query.filter, format, text, sort=query.sort, view=view)
        text.flush()
        text.detach()  # the spool stays open for the response to read
    except BaseException:
        spool.close()
        raise
    name = f"dossier-incidents.{SUFFIXES[format]}"
    return StreamingResponse(
        _chunks(spool),
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/incidents/{incident_id}/report", openapi_extra=role("viewer"))
def report(request: Request, incident_id: str) -> Response:
    """The incident dossier as one HTML page (restricted documents redacted)."""
    store, view = request.app.state.store, policy(request)
    if view.get_incident(incident_id) is None:
        return _error(404, f"no incident {incident_id!r}")
    return HTMLResponse(render_html(store, incident_id, view=view))
