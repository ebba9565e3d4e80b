"""Static files, compressed once and cached by the browser.

The map's data files are large (countries 739 KB, first-level regions 1.9 MB,
place labels 2.2 MB) and compress to a quarter. Each file is read and
gzip-compressed once per process (kept in memory, keyed by its modification
time and size, so a changed file is read again), sent gzipped to clients that
accept it, and carries a strong ETag (a hash of its bytes) so a revisit costs a
304. Cache-Control: the vendored packages and built map data change only with a
release, so they may be kept a day; the app's own scripts and styles are
revalidated on every load (``no-cache``: a 304 when unchanged).
"""

from __future__ import annotations

import gzip
import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

COMPRESSIBLE = {".js", ".css", ".json", ".svg", ".html", ".txt", ".md"}
MIN_COMPRESS = 1024  # bytes; smaller files gain nothing from gzip
LONG_LIVED = ("vendor/", "mapdata/")
TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
}


@dataclass(frozen=True)
class _Entry:
    stamp: tuple[int, int]
    body: bytes
    gzipped: bytes | None
    etag: str


class CachedStatic(StaticFiles):
    """StaticFiles with in-memory gzip, strong ETags and Cache-Control."""

    def __init__(self, directory: str) -> None:
        super().__init__(directory=directory)
        self._cache: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def _entry(self, full: str, stat: os.stat_result) -> _Entry:
        stamp = (stat.st_mtime_ns, stat.st_size)
        entry = self._cache.get(full)
        if entry is not None and entry.stamp == stamp:
            return entry
        body = Path(full).read_bytes()
        gzipped = None
        if Path(full).suffix in COMPRESSIBLE and len(body) >= MIN_COMPRESS:
            gzipped = gzip.compress(body, compresslevel=9, mtime=0)
        entry = _Entry(stamp, body, gzipped, '"' + hashlib.sha256(body).hexdigest()[:32] + '"')
        with self._lock:
            self._cache[full] = entry
        return entry

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "http"
        if scope["method"] not in ("GET", "HEAD"):
            await PlainTextResponse("Method Not Allowed", 405)(scope, receive, send)
            return
        path = self.get_path(scope)
        full, stat = self.lookup_path(path)
        if stat is None or not Path(full).is_file():
            # directories, unknown and escaping paths: StaticFiles' own 404
            await super().__call__(scope, receive, send)
            return
        entry = self._entry(full, stat)
        request = Headers(scope=scope)
        use_gzip = entry.gzipped is not None and "gzip" in request.get("accept-encoding", "")
        etag = entry.etag[:-1] + ('-gz"' if use_gzip else '"')
        headers = {
            "ETag": etag,
            "Cache-Control": "public, max-age=86400"
            if path.replace(os.sep, "/").startswith(LONG_LIVED)
            else "no-cache",
            "Vary": "Accept-Encoding",
        }
        if etag in [t.strip() for t in request.get("if-none-match", "").split(",")]:
            await Response(status_code=304, headers=headers)(scope, receive, send)
            return
        body = entry.gzipped if use_gzip and entry.gzipped is not None else entry.body
        if use_gzip:
            headers["Content-Encoding"] = "gzip"
        media = TYPES.get(Path(full).suffix, "application/octet-stream")
        response = Response(body, media_type=media, headers=headers)
        if scope["method"] == "HEAD":
            response.body = b""
        await response(scope, receive, send)
