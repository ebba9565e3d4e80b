"""Who is asking and may they: sessions, CSRF tokens, bearer tokens, roles, login limits.

Sessions are server-side (``web_sessions``), so ending one takes effect at
the next request.

Every route of the app is a ``GuardedRoute``: it declares the least role it
needs (``openapi_extra={"x-role": ...}``) and a route that declares none is
refused, so a new route is denied by default until someone decides.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import time
from collections.abc import Callable, Coroutine
from hashlib import sha256
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import Any
from urllib.parse import quote

from fastapi import Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.routing import APIRoute

from ..errors import ConfigError
from ..review.accounts import (
    Account,
    account_for_session,
    account_for_token,
    end_session,
    start_session,
)
from ..review.roles import at_least
from ..store import web_state
from ..store.database import Store
from ..store.memo import one_state
from .caching import cached

log = logging.getLogger(__name__)
COOKIE = "dossier_session"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
_SID = re.compile(r"[A-Za-z0-9_-]{32,64}")


def load_secret(store: Store, configured: str | None) -> str:
    """The session-signing key: the setting, else one random key kept in the database.

    Every worker of a server (and every server on one database) reads the
    same key, made once by the first. A home that still holds the key file of
    an older Dossier (``<home>/web-secret``) hands that key to the database,
    so CSRF tokens already issued stay valid.
    """
    if configured:
        return configured

    def initial() -> str:
        legacy = store.settings.home / "web-secret"
        if legacy.is_file():
            old = legacy.read_text().strip()
            if old:
                return old
        return secrets.token_urlsafe(48)

    return web_state.shared_secret(store, initial)


class Sessions:
    """Server-side sessions: the cookie holds only a random id, the store its hash.

    A logged-in session is a row of ``web_sessions`` that logout, a password
    change or disabling the account ends, so a captured cookie stops working
    at once. A visitor who has not logged in gets an id that is in no table;
    it only keys the CSRF token of the login form.
    """

    def __init__(self, secret: str, hours: int, secure: bool, store: Store) -> None:
        self.secret = secret.encode()
        self.hours = hours
        self.max_age = hours * 3600
        self.secure = secure
        self.store = store

    def read(self, request: Request) -> dict[str, Any]:
        raw = request.cookies.get(COOKIE)
        if raw and _SID.fullmatch(raw):
            return {"sid": raw}
        return {}

    @staticmethod
    def new(name: str | None) -> dict[str, Any]:
        """Fresh data of a visitor who has not logged in (a new id, in no table)."""
        return {"u": name, "sid": secrets.token_urlsafe(32)}

    def set(self, request: Request, response: Response, data: dict[str, Any]) -> None:
        response.set_cookie(
            COOKIE,
            str(data["sid"]),
            max_age=self.max_age,
            httponly=True,
            samesite="lax",
            secure=self.secure or request.url.scheme == "https",
            path="/",
        )

    def write(self, request: Request, response: Response, name: str | None) -> dict[str, Any]:
        """A new session for ``name`` (a stored one), or an anonymous one for None."""
        if name is None:
            data = self.new(None)
        else:
            data = {"u": name, "sid": start_session(self.store, name, self.hours)}
        self.set(request, response, data)
        return data

    def account(self, session: dict[str, Any]) -> Account | None:
        sid = session.get("sid")
        return account_for_session(self.store, sid) if isinstance(sid, str) else None

    def end(self, request: Request) -> None:
        """End the request's session in the store (logout)."""
        sid = self.read(request).get("sid")
        if isinstance(sid, str):
            end_session(self.store, sid)

    def csrf(self, session: dict[str, Any]) -> str:
        return hmac.new(self.secret, str(session.get("sid", "")).encode(), sha256).hexdigest()


def parse_proxies(setting: str) -> tuple[IPv4Network | IPv6Network, ...]:
    """The ``trusted_proxies`` setting (addresses or CIDR networks, comma-separated)."""
    out = []
    for part in (p.strip() for p in setting.split(",")):
        if not part:
            continue
        try:
            out.append(ip_network(part, strict=False))
        except ValueError as exc:
            raise ConfigError(
                f"DOSSIER_WEB_TRUSTED_PROXIES: {part!r} is not an IP address or network ({exc})"
            ) from exc
    return tuple(out)


def _trusted(address: str, proxies: tuple[IPv4Network | IPv6Network, ...]) -> bool:
    try:
        ip = ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in proxies)


def client_address(request: Request) -> str:
    """The address of the client: the peer, or what a trusted proxy says it forwarded for.

    X-Forwarded-For is read only when the peer is one of ``trusted_proxies``,
    right to left, skipping trusted proxies: the first other address is the
    one the nearest trusted proxy saw, and anything a client wrote to the left
    of it is ignored.
    """
    peer = request.client.host if request.client else "?"
    proxies = request.app.state.trusted_proxies
    if not proxies or not _trusted(peer, proxies):
        return peer
    hops = [h.strip() for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",")]
    hops = [h for h in hops if h]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop[:100]
    return hops[0][:100] if hops else peer


class LoginLimiter:
    """Failed logins per (address, name) and per address, with growing waits.

    Up to ``attempts`` failures of one name from one address (and four times
    that over all names from one address) within 15 minutes are free; each
    further failure doubles the wait before the next try, from 30 seconds up
    to the whole window. Nothing is counted per name over all addresses, so
    a flood of guesses from one address never locks the real person out
    from theirs; the slow argon2 check bounds guessing from many addresses.

    The failures are kept in the database (``store.web_state``), so every
    worker of a server counts them together; times are wall-clock seconds.
    """

    def __init__(self, store: Store, attempts: int, window: float = 900.0, base: float = 30.0):
        self.store = store
        self.attempts, self.window, self.base = attempts, window, base

    def _wait(self, address: str, key: str, free: int, now: float) -> float:
        count, last = web_state.failures(self.store, address, key, now - self.window)
        if count < free:
            return 0.0
        delay = min(self.window, self.base * 2.0 ** (count - free))
        return max(0.0, last + delay - now)

    def wait(self, address: str, name: str, now: float | None = None) -> float:
        """Seconds before ``address`` may try ``name`` again (0: now)."""
        now = time.time() if now is None else now
        return max(
            self._wait(address, name[:200], self.attempts, now),
            self._wait(address, "*", self.attempts * 4, now),
        )

    def blocked(self, address: str, name: str) -> bool:
        return self.wait(address, name) > 0

    def fail(self, address: str, name: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        # failures older than the window count for nothing: forget them
        web_state.record_failure(self.store, address, [name[:200], "*"], now, now - self.window)

    def clear(self, address: str, name: str) -> None:
        web_state.clear_failures(self.store, address, name[:200])


def principal(request: Request) -> tuple[Account | None, bool]:
    """The account behind a request and whether it came with a bearer token."""
    auth = request.headers.get("authorization", "")
    store = request.app.state.store
    if auth.lower().startswith("bearer "):
        token = auth[7:].strip()
        return (account_for_token(store, token) if len(token) <= 200 else None), True
    sessions: Sessions = request.app.state.sessions
    session = sessions.read(request)
    request.state.session = session
    return sessions.account(session), False


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def deny(request: Request, status: int, message: str) -> Response:
    """A refusal in the asker's language: JSON for the API, a page or the login form otherwise."""
    if is_api(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(
            {"error": {"status": status, "message": message}}, status, headers=headers
        )
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='')}", 303)
    from .render import render  # render reads the account this module finds: import late

    if not hasattr(request.state, "account"):  # refused before any route ran (an unknown path)
        request.state.account = principal(request)[0]
    # through render, so an error page keeps the navigation and the logout button
    return render(request, "error.html", {"status": status, "message": message}, status)


async def _csrf_ok(request: Request) -> bool:
    sessions: Sessions = request.app.state.sessions
    expected = sessions.csrf(getattr(request.state, "session", {}) or {})
    given = request.headers.get("x-csrf-token")
    if given is None and "form" in request.headers.get("content-type", ""):
        form = await request.form()  # cached by Starlette; the endpoint reads the same form
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else None
    return given is not None and hmac.compare_digest(given, expected)


class GuardedRoute(APIRoute):
    """A route that checks the account's role, and CSRF on unsafe cookie requests, first."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        role = (self.openapi_extra or {}).get("x-role")
        cache = (self.openapi_extra or {}).get("x-cache")

        async def guarded(request: Request) -> Response:
            account, bearer = principal(request)
            request.state.account = account
            if role is None:
                log.error("route %s declares no role; refused", self.path)
                return deny(request, 403, "this route declares no role, so it is closed")
            if role != "public":
                if account is None:
                    return deny(request, 401, "log in, or send Authorization: Bearer TOKEN")
                if not at_least(account.role, role):
                    return deny(
                        request,
                        403,
                        f"this needs the {role} role; {account.name} is {account.role}",
                    )
            if request.method not in SAFE_METHODS and not bearer and not await _csrf_ok(request):
                return deny(
                    request, 403, "missing or wrong CSRF token; reload the page and try again"
                )
            if request.method == "GET":  # a read: one state of the store for all of it
                with one_state():
                    if cache:
                        return await cached(request, cache, account, handler)
                    return await handler(request)
            return await handler(request)

        return guarded


def role(name: str) -> dict[str, Any]:
    """``openapi_extra`` declaring the least role a route needs ('public' for none)."""
    return {"x-role": name}
