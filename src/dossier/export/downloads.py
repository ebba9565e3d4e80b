"""Custody entries for what leaves the store through the web: exports, reports, bundles, originals.

Every download is one ``downloaded`` entry: who, what (its format), which
filters chose it, how many incidents it holds, and the SHA-256 of the exact
bytes sent (the entry's object hash), so a file found later can be matched to
the request that produced it. Filters and reasons are details, which the
visibility policy shows to reviewers and admins only.
"""

from __future__ import annotations

from typing import Any

from ..evidence.canonical import sha256_hex
from ..records import CustodyEntry
from ..store import custody_log
from ..store.database import Store

ACTION = "downloaded"


def log_download(
    store: Store,
    actor: str,
    what: str,
    digest: str,
    size: int,
    *,
    object_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> CustodyEntry:
    """Log that ``actor`` was sent ``size`` bytes hashing to ``digest`` (a ``what`` download).

    ``object_id`` is the incident or document sent, when it is one; an export
    of many is named by its own hash (``export:<sha256>``).
    """
    info = {"what": what, "sha256": digest, "size": size, **(detail or {})}
    with store.transaction() as conn:
        return custody_log.append(
            conn, actor, ACTION, object_id or f"export:{digest}", digest, info
        )


def log_bytes(
    store: Store,
    actor: str,
    what: str,
    data: bytes,
    *,
    object_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> str:
    """Log the download of ``data`` (see ``log_download``); return its SHA-256."""
    digest = sha256_hex(data)
    log_download(store, actor, what, digest, len(data), object_id=object_id, detail=detail)
    return digest
