"""Incidents as JSON Lines: one full record (incidents --json contract) per line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TextIO

from ..records import ReviewedIncident


def write_jsonl(incidents: Iterable[ReviewedIncident], stream: TextIO) -> int:
    """Write one JSON object per line; return the number of lines."""
    n = 0
    for incident in incidents:
        stream.write(json.dumps(incident.to_json(), ensure_ascii=False, sort_keys=True))
        stream.write("\n")
        n += 1
    return n
