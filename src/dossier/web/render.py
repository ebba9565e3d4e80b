"""Rendering pages with the account and CSRF token, and reading review forms."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from ..errors import ReviewInvalid
from ..ontology import EVENT_TYPES, FLAGS, LINK_KINDS, REVIEW_STATUSES, VERDICTS
from ..review.roles import at_least
from ..store.incidents import SORTS


def render(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """A page with what every template needs: the account, its CSRF token, the choices."""
    app = request.app
    session = getattr(request.state, "session", None) or app.state.sessions.read(request)
    fresh = not session.get("sid")
    if fresh:  # a visitor without a session (the login form) gets one, so forms carry a CSRF token
        session = app.state.sessions.new(None)
    account = getattr(request.state, "account", None)
    reviewer = account is not None and at_least(account.role, "reviewer")
    base = {
        "account": account,
        "csrf": app.state.sessions.csrf(session),
        "types": EVENT_TYPES,
        "statuses": REVIEW_STATUSES,
        # what the review forms offer: below reviewer, no verdict and no restricted flag,
        # which the actions would refuse (403)
        "settable_statuses": [s for s in REVIEW_STATUSES if reviewer or s not in VERDICTS],
        "sorts": list(SORTS),
        "flag_names": FLAGS if reviewer else tuple(f for f in FLAGS if f != "restricted"),
        "all_flags": FLAGS,
        "link_kinds": LINK_KINDS,
    }
    response: HTMLResponse = app.state.templates.TemplateResponse(
        request, template, {**base, **context}, status
    )
    if fresh:
        app.state.sessions.set(request, response, session)
    return response


def _json(value: str, what: str) -> Any:
    try:
        return json.loads(value)
    except ValueError as exc:
        raise ReviewInvalid(f"{what} must be JSON: {exc}") from exc


def form_params(form: Mapping[str, Any]) -> tuple[str, str, dict[str, Any]]:
    """(action, reason, params) from a review form; edit fields come as plain inputs."""

    def g(key: str) -> str:
        return str(form.get(key) or "").strip()

    action, reason = g("action"), g("reason")
    params: dict[str, Any] = {}
    if action == "status":
        params["status"] = g("status")
    elif action == "edit":
        field = g("field")
        params["field"] = field
        if field == "time":
            params["value"] = {"start": g("start"), "end": g("end") or g("start")}
        elif field == "place":
            try:
                lat, lon = float(g("lat")), float(g("lon"))
            except ValueError as exc:
                raise ReviewInvalid("place needs numeric lat and lon") from exc
            params["value"] = {
                "name": g("name"),
                "lat": lat,
                "lon": lon,
                "country": g("country") or None,
                "admin1": g("admin1") or None,
                "precision": g("precision") or "point",
            }
        elif field == "perpetrator":
            params["value"] = {"text": g("text"), "side": g("side").upper() or None}
        elif field == "harm":
            params["value"] = _json(g("value") or "[]", "harm")
        else:
            params["value"] = g("value")
    elif action == "note":
        params["note"] = g("note") or reason
        reason = reason or params["note"]
    elif action == "assign":
        params["to"] = g("to")
    elif action == "flag":
        params.update(flag=g("flag"), on=g("on") != "0")
    elif action == "link":
        params.update(kind=g("kind"), to=g("to"))
    elif action == "merge":
        params["with"] = g("with")
    elif action == "split":
        params["events"] = [
            str(x) for x in (form.getlist("events") if hasattr(form, "getlist") else [])
        ]
    return action, reason, params
