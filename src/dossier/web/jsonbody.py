"""JSON answers encoded with orjson: the same compact UTF-8 text as the standard encoder, faster.

Incident records are plain JSON values (str, int, float, bool, None, lists
and dicts with string keys), so they need none of FastAPI's per-field
encoding; a route returns ``FastJSON(value)`` and the bytes are written once.
"""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse


class FastJSON(JSONResponse):
    """``application/json`` through orjson (NaN and infinities become null, as JSON has none)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS)
