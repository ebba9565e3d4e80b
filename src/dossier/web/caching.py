"""HTTP caching of the data routes: ETags, conditional requests and a per-role response cache.

What a data route answers depends on three things only: the state of the
store, the role asking (``review.visibility.View`` is built from the role
alone) and the request's path and query. Every change to the store appends a
custody entry, so the head of the custody log (``store.memo.head``) names the
state. Two savings follow:

- **ETags.** A route marked ``cache="etag"`` or ``cache="shared"`` answers
  with an ``ETag`` drawn from (head, account, role, credentials, path, query)
  and ``Cache-Control: private, no-cache``; a browser that sends the tag back
  (``If-None-Match``) while nothing changed gets ``304 Not Modified`` before
  the route runs. The credentials are in the tag, so one person's tag is
  never valid for another's session or token.
- **A shared response cache** for routes marked ``cache="shared"``: the map,
  timeline and API list and incident data, which are the same for everyone of
  one role. Kept per process, bounded in bytes, keyed by (head, role, path,
  query), and only for 200 answers, so nothing a role may not see can reach
  another role and an error is never replayed.

Pages (HTML) are not cached: they carry a per-session CSRF token, and they
stay ``no-store`` so nothing of them is written to a browser's disk cache.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..store.memo import head

CACHE_MODES = ("etag", "shared")
SHARED_BYTES = 64 * 1024 * 1024  # per process; the largest answer is the map's points


def cache_mode(name: str) -> dict[str, Any]:
    """``openapi_extra`` marking a GET route's caching: 'etag' or 'shared' (see the module)."""
    if name not in CACHE_MODES:
        raise ValueError(f"unknown cache mode {name!r}; one of {CACHE_MODES}")
    return {"x-cache": name}


class SharedResponses:
    """Bodies of 200 answers by (head, role, path, query); least recently used go first."""

    def __init__(self, limit_bytes: int = SHARED_BYTES) -> None:
        self.limit = limit_bytes
        self.size = 0
        self.items: OrderedDict[tuple[Any, ...], tuple[bytes, str]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> tuple[bytes, str] | None:
        with self.lock:
            hit = self.items.get(key)
            if hit is not None:
                self.items.move_to_end(key)
            return hit

    def put(self, key: tuple[Any, ...], body: bytes, media_type: str) -> None:
        if len(body) > self.limit // 4:
            return  # one huge answer must not empty the cache
        with self.lock:
            old = self.items.pop(key, None)
            if old is not None:
                self.size -= len(old[0])
            self.items[key] = (body, media_type)
            self.size += len(body)
            while self.size > self.limit and self.items:
                _, (dropped, _) = self.items.popitem(last=False)
                self.size -= len(dropped)


def answer_shape(web: Any) -> str:
    """What, beside the store, shapes an answer: Dossier's version and the web settings."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        code = version("dossier")
    except PackageNotFoundError:  # run from a source tree without an install
        code = "source"
    settings = web.model_dump_json() if hasattr(web, "model_dump_json") else repr(web)
    return hashlib.sha256(f"{code}\n{settings}".encode()).hexdigest()[:16]


def _target(request: Request) -> str:
    query = request.url.query
    return request.url.path + ("?" + query if query else "")


def etag_for(request: Request, state: int | None, account: Any) -> str:
    credentials = (
        request.headers.get("authorization", "") + "\n" + request.headers.get("cookie", "")
    )
    material = "\n".join(
        [
            # the code and the settings that shape answers: an upgrade or a new setting
            # must not let a browser keep an old answer (one value for every worker)
            getattr(request.app.state, "answer_shape", ""),
            str(state),
            getattr(account, "name", "") or "",
            getattr(account, "role", "") or "",
            hashlib.sha256(credentials.encode()).hexdigest(),
            _target(request),
        ]
    )
    return 'W/"' + hashlib.sha256(material.encode()).hexdigest()[:32] + '"'


def _matches(request: Request, tag: str) -> bool:
    given = request.headers.get("if-none-match")
    if not given:
        return False
    return tag in {t.strip() for t in given.split(",")} or given.strip() == "*"


async def cached(
    request: Request,
    mode: str,
    account: Any,
    handler: Callable[[Request], Awaitable[Response]],
) -> Response:
    """Answer a GET through the cache of ``mode``; run ``handler`` only when needed."""
    store = request.app.state.store
    state = head(store)
    tag = etag_for(request, state, account)
    headers = {"ETag": tag, "Cache-Control": "private, no-cache", "Vary": "Cookie, Authorization"}
    if _matches(request, tag):
        return Response(status_code=304, headers=headers)
    shared: SharedResponses = request.app.state.shared_responses
    key = (state, getattr(account, "role", None), _target(request))
    if mode == "shared":
        hit = shared.get(key)
        if hit is not None:
            return Response(hit[0], 200, headers=headers, media_type=hit[1])
    response = await handler(request)
    if response.status_code != 200:
        return response
    body = getattr(response, "body", None)
    if mode == "shared" and isinstance(body, bytes):
        shared.put(key, body, response.media_type or "application/json")
    for name, value in headers.items():
        response.headers[name] = value
    return response
