"""Pages over many incidents: login, list (bulk actions), map, timeline, search, queue, users."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ...errors import Conflict, InvalidRequest, NotFound
from ...review import actions, queries
from ...review.accounts import (
    add_account,
    authenticate,
    list_accounts,
    set_disabled,
    set_role,
)
from ...review.incidents import list_reviewed
from ...review.roles import ROLES
from ...store.incidents import IncidentFilter, facets
from ..errors import status_of
from ..render import form_params, render
from ..results import results
from ..security import GuardedRoute, client_address, role
from ..views import FILTER_KEYS, FilterError, Page, Query, datalists, parse_query, policy, row

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
    address = client_address(request)
    limiter = request.app.state.limiter
    wait = limiter.wait(address, name)
    if wait > 0:
        seconds = int(wait) + 1
        page = render(
            request,
            "login.html",
            {"next": target, "error": f"Too many failed logins; wait {seconds} seconds."},
            429,
        )
        page.headers["Retry-After"] = str(seconds)
        return page
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
    request.app.state.sessions.end(request)
    response = RedirectResponse("/login", 303)
    request.app.state.sessions.write(request, response, None)
    return response


@router.get("/", openapi_extra=role("viewer"))
def home() -> Response:
    return RedirectResponse("/incidents", 303)


def _forgiving_query(request: Request) -> tuple[Query, list[str]]:
    """The list's query without the filters that cannot be read, and why each was left out."""
    args = {k: str(v) for k, v in request.query_params.items()}
    problems: list[str] = []
    while True:
        try:
            return parse_query(request.app.state.store, args, view=policy(request)), problems
        except FilterError as exc:
            if exc.field is None or exc.field not in args:
                raise
            problems.append(str(exc))
            del args[exc.field]  # the others still apply, and the page says what was left out


@router.get("/incidents", openapi_extra=role("viewer"))
def incident_list(request: Request) -> Response:
    size, view = request.app.state.web.page_size, policy(request)
    query, problems = _forgiving_query(request)
    items, total = view.list_incidents(
        query.filter, sort=query.sort, limit=size, offset=(query.page - 1) * size
    )
    pages = max(1, -(-total // size))
    page = min(query.page, pages)  # "page 99 of 4" shows the last page
    if page != query.page:
        items, total = view.list_incidents(
            query.filter, sort=query.sort, limit=size, offset=(page - 1) * size
        )
    typed = {
        k: str(request.query_params[k]).strip()
        for k in FILTER_KEYS
        if str(request.query_params.get(k) or "").strip()
    }
    return render(
        request,
        "incidents.html",
        {
            "rows": [row(i) for i in items],
            "total": total,
            "query": query,
            "page": page,
            "pages": pages,
            "params": query.params,
            "typed": typed,  # what the form shows: a refused value stays, to be corrected
            "problems": problems,
            "facets": facets(request.app.state.store, view.scope(IncidentFilter())),
            "datalists": datalists(request.app.state.store, view.scope(IncidentFilter())),
        },
        400 if problems else 200,
    )


@router.post("/incidents/bulk", openapi_extra=role("analyst"))
async def bulk(request: Request) -> Response:
    """One action over the whole filtered selection (or the ticked incidents), not just one page."""
    form = await request.form()
    store, view = request.app.state.store, policy(request)
    query = parse_query(store, form, view=view)
    if form.get("scope") == "selection":
        ids = [i.id for i in list_reviewed(store, query.filter)[0]]
    else:
        ids = [str(x) for x in form.getlist("ids")]
    action, reason, params = form_params(form)
    done = actions.review(
        store,
        request.state.account,
        ids,
        action,
        reason,
        params,
        hidden=view.s.hidden_incidents,
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
def search_page(request: Request, q: str = "", page: Page = 1) -> Response:
    view = policy(request)
    hits, total = view.search(q, limit=20, offset=(max(page, 1) - 1) * 20)
    return render(
        request,
        "search.html",
        {"q": q, "results": results(view, hits, q), "total": total, "page": max(page, 1)},
    )


@router.get("/queue", openapi_extra=role("analyst"))
def queue_page(request: Request) -> Response:
    web, view = request.app.state.web, policy(request)
    work = queries.queue(request.app.state.store, request.state.account.name, web.stale_days)
    work = {
        k: [view.incident(i) for i in v if not view.incident_hidden(i.id)] for k, v in work.items()
    }
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
        if g("state") in ("disabled", "active"):
            if g("name") == me.name:
                raise InvalidRequest(
                    "you cannot disable your own account; ask another admin", "state"
                )
            set_disabled(store, g("name"), g("state") == "disabled", actor=me.name)
        elif g("password"):
            add_account(store, g("name"), g("role"), g("password"), actor=me.name)
        else:
            set_role(store, g("name"), g("role"), actor=me.name)
    except (InvalidRequest, NotFound, Conflict) as exc:  # shown in the form, kept as typed
        return render(
            request,
            "users.html",
            {"users": list_accounts(store), "roles": ROLES, "error": str(exc)},
            status_of(exc),
        )
    return RedirectResponse("/users", 303)
