"""The document page (clean text with its analysis marked) and the preserved original.

The original is hostile bytes: it is only ever sent as an attachment of type
application/octet-stream under a sandboxing CSP, never rendered by the browser.
Each download of it is a custody entry (``export.downloads``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ...errors import NotFound, PermissionDenied
from ...export.downloads import log_download
from ...review import actions, queries
from ...review.roles import FLAGS, visible
from ...store.extractions import latest_analysis
from ..render import render
from ..security import GuardedRoute, role
from ..views import analysis_spans, mark, policy

router = APIRouter(route_class=GuardedRoute, include_in_schema=False)


@router.get("/documents/{document_id:path}/original", openapi_extra=role("viewer"))
def original(request: Request, document_id: str) -> Response:
    store, view = request.app.state.store, policy(request)
    found = queries.get_document(store, document_id)
    doc = None if found is None else view.document(found)
    if doc is None:
        raise NotFound(f"no document {document_id}")
    if view.document_state(document_id) != "shown" or visible(doc["flags"], view.role) == "hidden":
        raise PermissionDenied("this document is restricted")
    data = store.artifacts.get(doc["artifact_sha256"])  # checks the hash on every read
    sha = doc["artifact_sha256"]  # what was read was checked against it: no second hash
    log_download(
        store, request.state.account.name, "original", sha, len(data), object_id=document_id
    )
    return Response(
        data,
        media_type="application/octet-stream",
        headers={
            "Content-Disposition": f'attachment; filename="{doc["artifact_sha256"]}.bin"',
            "Content-Security-Policy": "sandbox; default-src 'none'",
            "X-Artifact-SHA256": doc["artifact_sha256"],
        },
    )


@router.post("/documents/{document_id:path}/flags", openapi_extra=role("analyst"))
async def document_flags(request: Request, document_id: str) -> Response:
    form = await request.form()
    flags = [f for f in FLAGS if form.get(f)]
    found = queries.get_document(request.app.state.store, document_id)
    if found is None or policy(request).document(found) is None:
        raise NotFound(f"no document {document_id}")
    actions.flag_document(
        request.app.state.store,
        request.state.account,
        document_id,
        flags,
        str(form.get("reason") or ""),
    )
    return RedirectResponse(f"/documents/{document_id}", 303)


@router.get("/documents/{document_id:path}", openapi_extra=role("viewer"))
def document_page(request: Request, document_id: str) -> Response:
    store, view = request.app.state.store, policy(request)
    found = queries.get_document(store, document_id)
    doc = None if found is None else view.document(found)
    if doc is None:
        raise NotFound(f"no document {document_id}")
    shown = (
        "hidden"
        if view.document_state(document_id) != "shown"
        else visible(doc["flags"], view.role)
    )
    analysis = None if shown == "hidden" else latest_analysis(store, document_id)
    segments = [] if shown == "hidden" else mark(doc["text"], analysis_spans(analysis))
    return render(
        request,
        "document.html",
        {
            "doc": doc,
            "visibility": shown,
            "segments": segments,
            "analysis": analysis,
            "incidents": view.incident_ids(queries.document_incidents(store, document_id)),
            "trail": view.custody(queries.history(store, [document_id])),
        },
    )
