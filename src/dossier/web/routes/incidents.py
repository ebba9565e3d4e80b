"""The incident page and its review form."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from ...errors import NotFound
from ...records import IncidentSource
from ...review import actions, queries
from ...review.accounts import list_accounts
from ...review.roles import at_least, visible
from ...review.visibility import View
from ...store.database import Store
from ..history import review_words
from ..render import form_params, render
from ..security import GuardedRoute, role
from ..views import ROME_STATUTE, evidence, policy

router = APIRouter(route_class=GuardedRoute, include_in_schema=False)


def reports(
    store: Store, incident_id: str, view: View, incident_flags: list[str]
) -> list[dict[str, Any]]:
    """The incident's reports this role may see: evidence in context and how much of it shows."""
    out = []
    texts: dict[str, str] = {}
    for report in view.reports(incident_id):
        doc_id = report["document"]
        if doc_id not in texts:
            doc = queries.get_document(store, doc_id) or {}
            texts[doc_id] = doc.get("text", "")
        flags = sorted(
            set(queries.document_flag_list(store, doc_id))
            | ({"restricted"} if report.get("restricted") else set())
            | set(incident_flags)
            | ({"personal_information"} if report["personal"] else set())
        )
        ev = report["event"]
        shown = "hidden" if report["personal"] else visible(flags, view.role)
        segments = (
            []
            if shown == "hidden"
            else evidence(texts[doc_id], ev.get("sentence") or {}, ev.get("trigger"))
        )
        out.append({**report, "flags": flags, "visibility": shown, "segments": segments})
    return out


def incident_view(store: Store, incident_id: str, view: View) -> dict[str, Any] | None:
    """Everything the incident page shows to ``view``'s role (None: no such incident for it)."""
    reviewed = view.get_incident(incident_id)
    if reviewed is None:
        return None
    incident = reviewed.incident
    flags = list(reviewed.flags)
    items = reports(store, incident_id, view, flags)
    origins: dict[str, list[IncidentSource]] = {}
    for source in incident.sources:
        origins.setdefault(source.origin or source.publisher or "unknown", []).append(source)
    trail = view.custody(
        queries.history(store, [incident_id, *sorted({r["document"] for r in items})])
    )
    return {
        "incident": incident,
        "reviewed": reviewed,
        # the harm edit box starts from the harm shown, in its JSON form
        "harm_json": reviewed.to_json()["harm"],
        "reports": items,
        "origins": origins,
        "visibility": visible(flags, view.role),
        "rome": ROME_STATUTE.get(incident.type),
        "links": view.links(queries.links(store, incident_id)),
        "reviews": [
            {**e, "words": review_words(e)}
            for e in trail
            if e["action"].startswith("review.") and e["object_id"] == incident_id
        ],
        "trail": trail,
    }


@router.get("/incidents/{incident_id}", openapi_extra=role("viewer"))
def incident_page(request: Request, incident_id: str) -> Response:
    store, account = request.app.state.store, request.state.account
    view = incident_view(store, incident_id, policy(request))
    if view is None:
        raise NotFound(f"no incident {incident_id}")
    view["accounts"] = list_accounts(store) if account.role != "viewer" else []
    decision = request.query_params.get("decision", "")
    if decision.isdigit() and at_least(account.role, "reviewer"):  # who may merge or split
        view["decision"] = actions.outcome(store, int(decision), incident_id)
    return render(request, "incident.html", view)


@router.post("/incidents/{incident_id}/review", openapi_extra=role("analyst"))
async def incident_review(request: Request, incident_id: str) -> Response:
    form = await request.form()
    action, reason, params = form_params(form)
    done = actions.review(
        request.app.state.store,
        request.state.account,
        [incident_id],
        action,
        reason,
        params,
        hidden=policy(request).s.hidden_incidents,
    )
    last = done[-1] if done else None
    if last is not None and last.outcome_seq is not None:
        # a merge or split: show the incident that holds the decided reports now
        target = last.result or incident_id
        return RedirectResponse(f"/incidents/{target}?decision={last.outcome_seq}#decision", 303)
    return RedirectResponse(f"/incidents/{incident_id}#review", 303)
