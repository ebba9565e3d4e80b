"""The incident page and its review form."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ...review import actions, queries
from ...review.accounts import Account, list_accounts
from ...review.roles import at_least, visible
from ...store.database import Store
from ...store.incidents import get_incident, incident_events
from ..render import form_params, render
from ..security import GuardedRoute, role
from ..views import ROME_STATUTE, evidence

router = APIRouter(route_class=GuardedRoute, include_in_schema=False)


def reports(
    store: Store, incident_id: str, account: Account, incident_flags: list[str]
) -> list[dict[str, Any]]:
    """The incident's reports: evidence in context and how much this account may see."""
    out = []
    for report in incident_events(store, incident_id):
        doc = queries.get_document(store, report["document"]) or {}
        flags = sorted(set(doc.get("flags", [])) | set(incident_flags))
        ev = report["event"]
        shown = visible(flags, account.role)
        segments = (
            []
            if shown == "hidden"
            else evidence(doc.get("text", ""), ev.get("sentence") or {}, ev.get("trigger"))
        )
        out.append({**report, "flags": flags, "visibility": shown, "segments": segments})
    return out


def incident_view(store: Store, incident_id: str, account: Account) -> dict[str, Any] | None:
    """Everything the incident page shows, shaped for the template (and for tests)."""
    incident = get_incident(store, incident_id)
    if incident is None:
        return None
    flags = incident.get("flags", [])
    items = reports(store, incident_id, account, flags)
    origins: dict[str, list[dict[str, Any]]] = {}
    for source in incident.get("sources", []):
        origins.setdefault(source.get("origin") or source.get("publisher") or "unknown", []).append(
            source
        )
    trail = queries.history(store, [incident_id, *sorted({r["document"] for r in items})])
    return {
        "incident": incident,
        "reports": items,
        "origins": origins,
        "visibility": visible(flags, account.role),
        "rome": ROME_STATUTE.get(incident["type"]),
        "links": queries.links(store, incident_id),
        "reviews": [
            e for e in trail if e["action"].startswith("review.") and e["object_id"] == incident_id
        ],
        "trail": trail,
    }


@router.get("/incidents/{incident_id}", openapi_extra=role("viewer"))
def incident_page(request: Request, incident_id: str) -> Response:
    store, account = request.app.state.store, request.state.account
    view = incident_view(store, incident_id, account)
    if view is None:
        return render(
            request, "error.html", {"status": 404, "message": f"no incident {incident_id}"}, 404
        )
    view["accounts"] = list_accounts(store) if account.role != "viewer" else []
    decision = request.query_params.get("decision", "")
    if decision.isdigit() and at_least(account.role, "reviewer"):  # who may merge or split
        view["decision"] = actions.outcome(store, int(decision), incident_id)
    return render(request, "incident.html", view)


@router.post("/incidents/{incident_id}/review", openapi_extra=role("analyst"))
async def incident_review(request: Request, incident_id: str) -> Response:
    form = await request.form()
    try:
        action, reason, params = form_params(form)
        done = actions.review(
            request.app.state.store, request.state.account, [incident_id], action, reason, params
        )
    except actions.ReviewRefused as exc:
        return render(
            request, "error.html", {"status": exc.status, "message": str(exc)}, exc.status
        )
    last = done[-1] if done else None
    if last is not None and last.outcome_seq is not None:
        # a merge or split: show the incident that holds the decided reports now
        target = last.result or incident_id
        return RedirectResponse(f"/incidents/{target}?decision={last.outcome_seq}#decision", 303)
    return RedirectResponse(f"/incidents/{incident_id}#review", 303)
