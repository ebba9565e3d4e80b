"""Pages over many incidents: login, list (bulk actions), map, timeline, search, queue, users."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ...errors import ConfigError
from ...review import actions, queries
from ...review.accounts import add_account, authenticate, list_accounts, set_role
from ...review.roles import ROLES
from ...store.incidents import list_incidents
from ...store.search import search
from ..render import form_params, render
from ..security import GuardedRoute, role
from ..views import FilterError, parse_query, row, screen_hits

router = APIRouter(route_class=GuardedRoute, include_in_schema=False)


def _safe_next(target: str) -> str:
    # only same-site paths: "//evil.example" and "https://…" would leave the app
    return (
        target
        if target.startswith("/") and not target.startswith("//") and "\\" not in target
        else "/incidents"
    )


@router.get("/login", openapi_extra=role("public"))
def login_form(request: Request, next: str = "/incidents") -> Response:
    return render(request, "login.html", {"next": _safe_next(next), "error": None})


@router.post("/login", openapi_extra=role("public"))
async def login(request: Request) -> Response:
    form = await request.form()
    name, password = str(form.get("name") or ""), str(form.get("password") or "")
    target = _safe_next(str(form.get("next") or "/incidents"))
    address = request.client.host if request.client else "?"
    limiter = request.app.state.limiter
    if limiter.blocked(address, name):
        return render(
            request,
            "login.html",
            {"next": target, "error": "Too many failed logins; wait 15 minutes."},
            429,
        )
    # argon2 is slow on purpose: verify in a worker thread so the event loop keeps serving
    account = await run_in_threadpool(authenticate, request.app.state.store, name, password)
    if account is None:
        limiter.fail(address, name)
        return render(
            request, "login.html", {"next": target, "error": "Wrong name or password."}, 401
        )
    limiter.clear(address, name)
    response = RedirectResponse(target, 303)
    request.app.state.sessions.write(request, response, account.name)
    return response


@router.post("/logout", openapi_extra=role("public"))
def logout(request: Request) -> Response:
    response = RedirectResponse("/login", 303)
    request.app.state.sessions.write(request, response, None)
    return response


@router.get("/", openapi_extra=role("viewer"))
def home() -> Response:
    return RedirectResponse("/incidents", 303)


@router.get("/incidents", openapi_extra=role("viewer"))
def incident_list(request: Request) -> Response:
    store, size = request.app.state.store, request.app.state.web.page_size
    try:
        query = parse_query(store, request.query_params)
    except FilterError as exc:
        return render(request, "error.html", {"status": 400, "message": str(exc)}, 400)
    items, total = list_incidents(
        store, query.filter, sort=query.sort, limit=size, offset=(query.page - 1) * size
    )
    pages = max(1, -(-total // size))
    return render(
        request,
        "incidents.html",
        {
            "rows": [row(i) for i in items],
            "total": total,
            "query": query,
            "pages": pages,
            "params": query.params,
        },
    )


@router.post("/incidents/bulk", openapi_extra=role("analyst"))
async def bulk(request: Request) -> Response:
    """One action over the whole filtered selection (or the ticked incidents), not just one page."""
    form = await request.form()
    store = request.app.state.store
    try:
        query = parse_query(store, form)
        if form.get("scope") == "selection":
            ids = [i["id"] for i in list_incidents(store, query.filter)[0]]
        else:
            ids = [str(x) for x in form.getlist("ids")]
        action, reason, params = form_params(form)
        done = actions.review(store, request.state.account, ids, action, reason, params)
    except FilterError as exc:
        return render(request, "error.html", {"status": 400, "message": str(exc)}, 400)
    except actions.ReviewRefused as exc:
        return render(
            request, "error.html", {"status": exc.status, "message": str(exc)}, exc.status
        )
    back = "/incidents?" + "&".join(f"{k}={v}" for k, v in query.params.items())
    outcomes = [d.message for d in done if d.message]  # how each merge or split came out
    return render(
        request,
        "done.html",
        {"count": len(done), "action": action, "back": back, "outcomes": outcomes},
    )


@router.get("/map", openapi_extra=role("viewer"))
def map_page(request: Request) -> Response:
    return render(request, "map.html", {"params": dict(request.query_params)})


@router.get("/timeline", openapi_extra=role("viewer"))
def timeline_page(request: Request) -> Response:
    return render(request, "timeline.html", {"params": dict(request.query_params)})


@router.get("/search", openapi_extra=role("viewer"))
def search_page(request: Request, q: str = "", page: int = 1) -> Response:
    store = request.app.state.store
    hits, total = search(store, q, limit=20, offset=(max(page, 1) - 1) * 20)
    hits = screen_hits(store, hits, request.state.account.role)
    return render(
        request, "search.html", {"q": q, "hits": hits, "total": total, "page": max(page, 1)}
    )


@router.get("/queue", openapi_extra=role("analyst"))
def queue_page(request: Request) -> Response:
    web = request.app.state.web
    work = queries.queue(request.app.state.store, request.state.account.name, web.stale_days)
    return render(request, "queue.html", {"work": work, "days": web.stale_days})


@router.get("/users", openapi_extra=role("admin"))
def users_page(request: Request) -> Response:
    return render(
        request,
        "users.html",
        {"users": list_accounts(request.app.state.store), "roles": ROLES, "error": None},
    )


@router.post("/users", openapi_extra=role("admin"))
async def users_change(request: Request) -> Response:
    form = await request.form()
    store, me = request.app.state.store, request.state.account
    g: Any = lambda k: str(form.get(k) or "").strip()  # noqa: E731
    try:
        if g("password"):
            add_account(store, g("name"), g("role"), g("password"), actor=me.name)
        else:
            set_role(store, g("name"), g("role"), actor=me.name)
    except ConfigError as exc:
        return render(
            request,
            "users.html",
            {"users": list_accounts(store), "roles": ROLES, "error": str(exc)},
            400,
        )
    return RedirectResponse("/users", 303)
