"""A pure-ASGI guard that refuses a request body over a cap with 413, before buffering it.

Starlette reads a whole form or JSON body into memory before a route sees
it, so the cap has to sit below the app: a declared ``Content-Length`` over
the cap is refused before one byte of the body is read; a body without one
(chunked) is read up to the cap and refused the moment it passes it, and
only then handed on. Either way no more than ``max_bytes`` is ever held.
"""

from __future__ import annotations

from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodyLimit:
    """Wrap ``app`` so that no request body over ``max_bytes`` reaches it."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    def _refuse(self, scope: Scope, size: str) -> Response:
        message = (
            f"the request body is {size}; at most {self.max_bytes} bytes are accepted "
            "(DOSSIER_WEB_MAX_BODY_BYTES)"
        )
        if str(scope.get("path", "")).startswith("/api/"):
            return JSONResponse({"error": {"status": 413, "message": message}}, 413)
        return HTMLResponse(
            f"<!doctype html><title>413</title><h1>Request too large</h1><p>{message}</p>",
            413,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                length = -1
            if length < 0:
                await HTMLResponse("bad Content-Length", 400)(scope, receive, send)
                return
            if length > self.max_bytes:
                await self._refuse(scope, f"{length} bytes")(scope, receive, send)
                return
            # the server frames the body by Content-Length, so it cannot run past it
            await self.app(scope, receive, send)
            return
        if scope.get("method") in ("GET", "HEAD", "OPTIONS", "DELETE"):
            await self.app(scope, receive, send)
            return
        # no declared length (chunked): read up to the cap, then replay to the app
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_bytes:
                await self._refuse(scope, f"over {self.max_bytes} bytes")(scope, receive, send)
                return
            chunks.append(body)
            if not message.get("more_body", False):
                break
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": b"".join(chunks), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)
