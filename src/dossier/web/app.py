"""Build the FastAPI app: store, sessions, templates, security headers, routes, static files.

Everything ingested is hostile: templates autoescape, JSON goes into pages
through Jinja's ``tojson`` (which escapes ``<``, ``>``, ``&`` and quotes), and
the Content-Security-Policy allows scripts only from this origin.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..config import Settings
from ..review.roles import at_least
from ..store.database import Store, refresh_statistics
from .body_limit import BodyLimit
from .caching import SharedResponses, answer_shape
from .errors import add_error_handlers
from .headers import SecurityHeaders
from .security import LoginLimiter, Sessions, deny, is_api, load_secret, parse_proxies
from .settings import WebSettings
from .static_files import CachedStatic

log = logging.getLogger(__name__)
HERE = Path(__file__).parent


def tile_origins(tile_url: str | None) -> list[str]:
    """The origins a tile URL template loads from ({s} stands for Leaflet's a, b and c)."""
    if not tile_url:
        return []
    hosts = [tile_url.replace("{s}", s) for s in "abc"] if "{s}" in tile_url else [tile_url]
    origins = []
    for host in hosts:
        parts = urlsplit(host)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in origins:
            origins.append(origin)
    return origins


def _csp(tile_url: str | None) -> str:
    # images from this origin only, and from the tile server's own origins when one is set
    img = " ".join(["'self' data:", *tile_origins(tile_url)])
    return (
        "default-src 'none'; script-src 'self'; style-src 'self'; "
        f"img-src {img}; connect-src 'self'; font-src 'self'; form-action 'self'; "
        "base-uri 'none'; frame-ancestors 'none'; object-src 'none'"
    )


def create_app(
    settings: Settings, web: WebSettings | None = None, store: Store | None = None
) -> FastAPI:
    """The Dossier web app over the data directory of ``settings``."""
    web = web or WebSettings()
    app = FastAPI(
        title="Dossier",
        version="1",
        description="Incidents, documents, events, search, review and custody of a Dossier store.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.store = store or Store.open(settings, create=False)
    try:
        refresh_statistics(app.state.store)
    except Exception as exc:  # a busy or read-only database still serves, only slower
        log.warning("could not refresh the query planner's statistics: %s", type(exc).__name__)
    app.state.web = web
    app.state.sessions = Sessions(
        load_secret(app.state.store, web.secret_key),
        web.session_hours,
        web.secure_cookies,
        app.state.store,
    )
    app.state.limiter = LoginLimiter(app.state.store, web.login_attempts)
    app.state.trusted_proxies = parse_proxies(web.trusted_proxies)
    app.state.shared_responses = SharedResponses()
    app.state.answer_shape = answer_shape(web)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.autoescape = True  # every template, whatever its extension
    templates.env.auto_reload = False  # templates ship with the package; no stat() per request
    templates.env.globals["at_least"] = at_least
    templates.env.globals["tile_url"] = web.tile_url
    templates.env.globals["tile_attribution"] = web.tile_attribution
    app.state.templates = templates
    csp = _csp(web.tile_url)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return deny(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        if is_api(request):
            errors = [
                {"where": ".".join(str(x) for x in e["loc"]), "message": e["msg"]}
                for e in exc.errors()
            ]
            return JSONResponse(
                {"error": {"status": 400, "message": "invalid request", "details": errors}}, 400
            )
        problems = "; ".join(
            f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()[:5]
        )
        return deny(request, 400, "invalid request: " + problems)

    add_error_handlers(app)  # what routes raise (not found, not allowed, invalid, conflict)
    app.add_middleware(SecurityHeaders, csp=csp)
    # outermost, so an oversized body is refused before anything reads it
    app.add_middleware(BodyLimit, max_bytes=web.max_body_bytes)

    from .routes import api, charts, documents, exports, incidents, pages

    for module in (pages, incidents, documents, api, exports, charts):
        app.include_router(module.router)
    app.mount("/static", CachedStatic(directory=str(HERE / "static")), name="static")
    return app


def app_from_env() -> FastAPI:
    """The app for ``uvicorn --factory dossier.web.app:app_from_env`` (settings from DOSSIER_*)."""
    return create_app(Settings())
