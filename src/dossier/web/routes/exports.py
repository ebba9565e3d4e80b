"""``/api/v1/export``, ``/api/v1/incidents/{id}/report`` and bundles: the exports over HTTP.

The web app includes ``router`` beside the other routes (it lives in web/, not
export/, because it speaks HTTP: export/ sits below web/ in the layers). Filters
are read by the web's own ``parse_query``, so a download button passes the
list page's query string unchanged and gets the incidents the list shows.
Both go through the caller's visibility policy (``review.visibility``):
incidents hidden from the role are left out of exports and answer 404 as
reports, exactly as ids that do not exist; what comes from personal
documents is redacted in both.

Every download is a ``downloaded`` custody entry (``export.downloads``) with
the SHA-256 of the bytes sent. The served report links its stylesheet
(``/api/v1/report.css``) instead of inlining it, so it renders under the
app's Content-Security-Policy. Bundles are built on the server for
reviewers and up; one that includes restricted material needs a reason.
"""

from __future__ import annotations

import hashlib
import io
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from ...errors import InvalidRequest, NotFound
from ...export.bundle import build_bundle
from ...export.downloads import log_bytes, log_download
from ...export.formats import MEDIA_TYPES, WRITERS, export_incidents
from ...export.report import REPORT_CSS, render_html
from .. import responses
from ..security import GuardedRoute, role
from ..views import parse_query, policy

# Downloads: response_class has no media type of its own, so the OpenAPI document
# lists each route's media types (responses.EXPORT, ...) and the errors as JSON.
router = APIRouter(
    prefix="/api/v1", route_class=GuardedRoute, tags=["export"], responses=responses.ERRORS
)
SUFFIXES = {"csv": "csv", "geojson": "geojson", "jsonl": "jsonl"}
SPOOL_BYTES = 8 * 1024 * 1024  # larger exports spill to a temporary file, not memory
CHUNK = 256 * 1024
MAX_BUNDLE = 200  # incidents in one bundle built on request; more is a job for `dossier bundle`


def _chunks(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk
    finally:
        spool.close()


@router.get(
    "/export",
    openapi_extra=role("viewer"),
    response_class=StreamingResponse,
    responses={200: responses.EXPORT},
)
def export(request: Request, format: str = "csv") -> Response:
    """The incidents matching the list filters as CSV (ACLED layout), GeoJSON or JSON Lines."""
    if format not in WRITERS:
        raise InvalidRequest(f"format must be one of {', '.join(WRITERS)}", "format")
    store, view = request.app.state.store, policy(request)
    query = parse_query(store, request.query_params, view=view)

    # closed by _chunks once the response has sent it
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES, mode="w+b")  # noqa: SIM115
    try:
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="")
        n = export_incidents(store, query.filter, format, text, sort=query.sort, view=view)
        text.flush()
        text.detach()  # the spool stays open for the response to read
        digest, size = _digest(spool)
        log_download(
            store,
            request.state.account.name,
            format,
            digest,
            size,
            detail={"filters": query.params, "sort": query.sort, "incidents": n},
        )
    except BaseException:
        spool.close()
        raise
    name = f"dossier-incidents.{SUFFIXES[format]}"
    return StreamingResponse(
        _chunks(spool),
        media_type=MEDIA_TYPES[format],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Content-SHA256": digest,
        },
    )


def _digest(spool: IO[bytes]) -> tuple[str, int]:
    """SHA-256 and length of what ``spool`` holds, read in chunks (it may be on disk)."""
    spool.seek(0)
    h, size = hashlib.sha256(), 0
    while chunk := spool.read(CHUNK):
        h.update(chunk)
        size += len(chunk)
    return h.hexdigest(), size


@router.get(
    "/incidents/{incident_id}/report",
    openapi_extra=role("viewer"),
    response_class=Response,
    responses={200: responses.REPORT},
)
def report(request: Request, incident_id: str) -> Response:
    """The incident dossier as one HTML page (restricted documents redacted)."""
    store, view = request.app.state.store, policy(request)
    if view.get_incident(incident_id) is None:
        raise NotFound(f"no incident {incident_id!r}")
    data = render_html(store, incident_id, view=view, stylesheet="/api/v1/report.css").encode()
    digest = log_bytes(store, request.state.account.name, "report", data, object_id=incident_id)
    return HTMLResponse(data, headers={"X-Content-SHA256": digest})


@router.get(
    "/report.css",
    openapi_extra=role("viewer"),
    response_class=Response,
    responses={200: responses.STYLESHEET},
)
def report_css() -> Response:
    """The report's stylesheet: a file, so the served report needs no inline style."""
    return Response(REPORT_CSS, media_type="text/css")


def _wants_restricted(form: Mapping[str, Any]) -> bool:
    return str(form.get("include_restricted") or "") in ("1", "on", "true", "yes")


def _bundle(
    request: Request, ids: list[str], total: int, form: Mapping[str, Any], detail: dict[str, Any]
) -> Response:
    """Build the bundle of ``ids`` in a temporary folder, log its download, send it."""
    store, account = request.app.state.store, request.state.account
    include = _wants_restricted(form)
    reason = str(form.get("reason") or "").strip()
    if include and not reason:
        raise InvalidRequest(
            "a bundle with restricted material needs a reason; type one and retry", "reason"
        )
    if not ids:
        raise InvalidRequest("no incident matches the filters; nothing to bundle")
    if total > MAX_BUNDLE:
        raise InvalidRequest(
            f"{total} incidents match; a bundle built here holds at most {MAX_BUNDLE}: "
            "narrow the filters, or run `dossier bundle` on the server",
        )
    with tempfile.TemporaryDirectory(prefix="dossier-bundle-") as folder:
        out = Path(folder) / "dossier-bundle.zip"
        summary = build_bundle(store, ids, out, include_restricted=include, actor=account.name)
        data = out.read_bytes()
    info = {
        **detail,
        "incidents": ids,
        "include_restricted": include,
        "manifest_sha256": summary.manifest_sha256,
    }
    if reason:
        info["reason"] = reason
    object_id = ids[0] if len(ids) == 1 else None
    digest = log_bytes(store, account.name, "bundle", data, object_id=object_id, detail=info)
    return Response(
        data,
        media_type="application/zip",
        headers={
            "Content-Disposition": 'attachment; filename="dossier-bundle.zip"',
            "X-Content-SHA256": digest,
        },
    )


@router.post(
    "/incidents/{incident_id}/bundle",
    openapi_extra=role("reviewer"),
    response_class=Response,
    responses={200: responses.BUNDLE},
)
async def incident_bundle(request: Request, incident_id: str) -> Response:
    """The evidence bundle of one incident, signed, as a zip download."""
    if policy(request).get_incident(incident_id) is None:
        raise NotFound(f"no incident {incident_id!r}")
    return _bundle(request, [incident_id], 1, await request.form(), {})


@router.post(
    "/bundle",
    openapi_extra=role("reviewer"),
    response_class=Response,
    responses={200: responses.BUNDLE},
)
async def filtered_bundle(request: Request) -> Response:
    """The evidence bundle of every incident matching the list filters (sent in the form)."""
    form = await request.form()
    store, view = request.app.state.store, policy(request)
    query = parse_query(store, form, view=view)
    items, total = view.list_incidents(query.filter, sort="id", limit=MAX_BUNDLE + 1, offset=0)
    return _bundle(request, [i.id for i in items], total, form, {"filters": query.params})
