"""Canonical JSON: one byte string per value, so hashes and signatures are stable.

Keys sorted, no insignificant white space, UTF-8, no NaN. Close to RFC 8785
for the values Dossier stores (strings, integers, booleans, null, lists and
objects; floats are written by Python's shortest round-trip repr).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> bytes:
    """Encode ``value`` as canonical JSON bytes."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hash_value(value: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of ``value``."""
    return sha256_hex(canonical_json(value))
