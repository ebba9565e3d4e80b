"""Incidents as JSON Lines: one full record (incidents --json contract) per line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO


def write_jsonl(incidents: Iterable[dict[str, Any]], stream: TextIO) -> int:
    """Write one JSON object per line; return the number of lines."""
    n = 0
    for incident in incidents:
        stream.write(json.dumps(incident, ensure_ascii=False, sort_keys=True))
        stream.write("\n")
        n += 1
    return n
