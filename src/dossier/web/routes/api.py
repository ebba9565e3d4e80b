"""The REST API under /api/v1: incidents (with review actions), documents, events, search, custody.

Bearer tokens (``dossier users token NAME``) or the page session; errors are
JSON ``{"error": {"status", "message"}}`` with a matching status code, answered
by ``web/errors.py`` for what the routes raise.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from ...errors import InvalidRequest, NotFound
from ...review import actions, queries
from ...review.incidents import list_reviewed
from ...review.roles import visible
from ...store.extractions import latest_analysis
from .. import responses
from ..caching import cache_mode
from ..jsonbody import FastJSON
from ..security import GuardedRoute, role
from ..views import Limit, Offset, parse_query, policy
from .incidents import incident_view

router = APIRouter(
    prefix="/api/v1",
    route_class=GuardedRoute,
    tags=["api"],
    default_response_class=FastJSON,
    responses=responses.ERRORS,
)


class ReviewBody(BaseModel):
    action: str = Field(
        description="status, confirm, reject, edit, note, assign, flag, link, merge or split"
    )
    reason: str = Field(description="Why; written to the custody log with the account.")
    params: dict[str, Any] = Field(default_factory=dict, description="The action's parameters.")


class BulkBody(ReviewBody):
    ids: list[str] | None = Field(
        default=None, description="These incidents; or leave out and give filter."
    )
    filter: dict[str, str] | None = Field(
        default=None, description="Every incident matching these list filters."
    )


@router.get("/me", openapi_extra=role("viewer"), response_model=responses.Me)
def me(request: Request) -> dict[str, Any]:
    account = request.state.account
    return {"name": account.name, "role": account.role}


@router.get(
    "/incidents",
    openapi_extra=role("viewer") | cache_mode("shared"),
    response_model=responses.IncidentPage,
)
def api_incidents(request: Request, limit: Limit = 50, offset: Offset = 0) -> Any:
    """Incidents matching the filters of ``dossier incidents`` (plus q and bbox), with the total."""
    view = policy(request)
    query = parse_query(request.app.state.store, request.query_params, view=view)
    limit = min(max(limit, 1), 1000)
    items, total = view.list_incidents(
        query.filter, sort=query.sort, limit=limit, offset=max(offset, 0)
    )
    # plain JSON records: skip FastAPI's per-field encoder, which dominated this route's time
    records = [i.to_json() for i in items]
    return FastJSON({"items": records, "total": total, "limit": limit, "offset": offset})


@router.get(
    "/map",
    openapi_extra=role("viewer") | cache_mode("shared"),
    response_model=responses.MapPoints,
)
def api_map(request: Request) -> Any:
    """Compact points for the map: [id, lat, lon, type, fatalities, place name]."""
    store, view = request.app.state.store, policy(request)
    query = parse_query(store, request.query_params, view=view)
    items, total = view.list_incidents(
        query.filter, sort=query.sort, limit=request.app.state.web.map_points
    )
    points = [
        [i.id, place.lat, place.lon, i.incident.type, i.incident.fatalities or 0, place.name]
        for i in items
        if (place := i.incident.place) is not None and place.lat is not None
    ]
    return FastJSON({"points": points, "total": total})


@router.get(
    "/timeline",
    openapi_extra=role("viewer") | cache_mode("shared"),
    response_model=responses.Timeline,
)
def api_timeline(request: Request) -> Any:
    """Incidents per day by type (the day an incident starts)."""
    store, view = request.app.state.store, policy(request)
    query = parse_query(store, request.query_params, view=view)
    items, total = view.list_incidents(query.filter, sort="date")
    days: dict[str, Counter[str]] = defaultdict(Counter)
    for item in (i.incident for i in items):
        start = (item.time.start or item.first_report or "")[:10]
        if start:
            days[start][item.type] += 1
    days_out = [{"day": d, "counts": dict(days[d])} for d in sorted(days)]
    return FastJSON({"days": days_out, "total": total})


@router.get(
    "/incidents/{incident_id}",
    openapi_extra=role("viewer") | cache_mode("shared"),
    response_model=responses.IncidentDetail,
)
def api_incident(request: Request, incident_id: str) -> Any:
    view = incident_view(request.app.state.store, incident_id, policy(request))
    if view is None:
        raise NotFound(f"no incident {incident_id!r}")
    reports = [
        {
            "event": r["event"],
            "document": r["document"],
            "publisher": r["publisher"],
            "url": r["url"],
            "published": r["published"],
            "flags": r["flags"],
            "sentence": None if r["visibility"] == "hidden" else r["sentence"],
        }
        for r in view["reports"]
    ]
    # sent as it is: the record's keys in their order, then the reports (a model would
    # put its declared fields first)
    return FastJSON(
        {
            **view["reviewed"].to_json(),
            "reports": reports,
            "links": view["links"],
            "rome_statute_hint": view["rome"],
        }
    )


@router.post(
    "/incidents/{incident_id}/review",
    openapi_extra=role("analyst"),
    response_model=responses.ReviewDone,
)
def api_review(request: Request, incident_id: str, body: ReviewBody) -> Any:
    done = actions.review(
        request.app.state.store,
        request.state.account,
        [incident_id],
        body.action,
        body.reason,
        body.params,
        hidden=policy(request).s.hidden_incidents,
    )
    return {"done": [asdict(d) for d in done]}


@router.post("/incidents/review", openapi_extra=role("analyst"), response_model=responses.BulkDone)
def api_bulk(request: Request, body: BulkBody) -> Any:
    """One action over listed incidents or a whole filtered selection, in one transaction."""
    store, view = request.app.state.store, policy(request)
    if body.ids is not None:
        ids = body.ids
    elif body.filter is not None:
        ids = [
            i.id for i in list_reviewed(store, parse_query(store, body.filter, view=view).filter)[0]
        ]
    else:
        raise InvalidRequest("give ids or filter")
    done = actions.review(
        store,
        request.state.account,
        ids,
        body.action,
        body.reason,
        body.params,
        hidden=view.s.hidden_incidents,
    )
    return {"count": len(done), "done": [asdict(d) for d in done]}


@router.get("/queue", openapi_extra=role("analyst"), response_model=responses.Queue)
def api_queue(request: Request) -> Any:
    web, view = request.app.state.web, policy(request)
    work = queries.queue(request.app.state.store, request.state.account.name, web.stale_days)
    return {
        k: [view.incident(i).to_json() for i in v if not view.incident_hidden(i.id)]
        for k, v in work.items()
    }


@router.get(
    "/documents/{document_id:path}",
    openapi_extra=role("viewer"),
    response_model=responses.Document,
)
def api_document(request: Request, document_id: str) -> Any:
    store, view = request.app.state.store, policy(request)
    found = queries.get_document(store, document_id)
    doc = None if found is None else view.document(found)
    if doc is None:
        raise NotFound(f"no document {document_id!r}")
    hidden = (
        view.document_state(document_id) != "shown" or visible(doc["flags"], view.role) == "hidden"
    )
    keys = (
        "id",
        "title",
        "url",
        "publisher",
        "author",
        "published",
        "language",
        "near_duplicate_group",
        "artifact_sha256",
        "media_type",
        "text_sha256",
        "flags",
    )
    out = {k: doc.get(k) for k in keys}
    out["text"] = None if hidden else doc["text"]
    out["analysis"] = None if hidden else latest_analysis(store, document_id)
    out["incidents"] = view.incident_ids(queries.document_incidents(store, document_id))
    return out


@router.get("/events", openapi_extra=role("viewer"), response_model=responses.Events)
def api_events(
    request: Request, document: str | None = None, limit: Limit = 100, offset: Offset = 0
) -> Any:
    items = queries.events(
        request.app.state.store,
        document_id=document,
        limit=min(max(limit, 1), 1000),
        offset=max(offset, 0),
        hide=policy(request).s.hidden_documents,
    )
    return {"items": policy(request).events(items)}


@router.get("/events/{event_id}", openapi_extra=role("viewer"), response_model=responses.Events)
def api_event(request: Request, event_id: str) -> Any:
    items = policy(request).events(queries.events(request.app.state.store, event_id=event_id))
    if not items:
        raise NotFound(f"no event {event_id!r}")
    return {"items": items}


@router.get("/search", openapi_extra=role("viewer"), response_model=responses.SearchResults)
def api_search(
    request: Request, q: str, kind: str | None = None, limit: Limit = 20, offset: Offset = 0
) -> Any:
    """Documents and incidents matching every word of q; snippets as [text, matched] pairs."""
    if kind not in (None, "document", "incident"):
        raise InvalidRequest("kind must be document or incident", "kind")
    hits, total = policy(request).search(
        q, limit=min(max(limit, 1), 200), offset=max(offset, 0), kind=kind
    )
    return {
        "total": total,
        "items": [
            {"kind": h.kind, "id": h.id, "title": h.title, "snippet": h.snippet} for h in hits
        ],
    }


@router.get("/custody", openapi_extra=role("viewer"), response_model=responses.Custody)
def api_custody(
    request: Request, object_id: str | None = None, after: Offset = 0, limit: Limit = 100
) -> Any:
    """Custody log entries in sequence order (page with ``after``=last seq seen)."""
    items = queries.custody(
        request.app.state.store,
        policy(request),
        object_ids=[object_id] if object_id else None,
        after=max(after, 0),
        limit=min(max(limit, 1), 1000),
    )
    return {"items": items}
