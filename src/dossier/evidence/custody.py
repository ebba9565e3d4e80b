"""The custody log's chain rule: each entry hashes its body and its predecessor.

``entry_hash = SHA-256(canonical_json(body))`` where the body holds every
field but the hash itself, including ``prev_hash``; the first entry's
``prev_hash`` is 64 zeros. Checking the chain recomputes every hash in order
and names the first entry that does not fit.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ..records import CustodyEntry
from .canonical import hash_value

GENESIS = "0" * 64


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def make_entry(
    seq: int,
    prev_hash: str,
    actor: str,
    action: str,
    object_id: str,
    object_hash: str | None,
    detail: dict[str, Any] | None = None,
    time: str | None = None,
) -> CustodyEntry:
    """Build the next entry of the chain, its hash computed."""
    body = {
        "seq": seq,
        "time": time or utc_now(),
        "actor": actor,
        "action": action,
        "object_id": object_id,
        "object_hash": object_hash,
        "detail": detail or {},
        "prev_hash": prev_hash,
    }
    return CustodyEntry(entry_hash=hash_value(body), **body)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ChainBreak:
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"custody entry {self.seq}: {self.reason}"


def check_chain(entries: Iterable[CustodyEntry]) -> ChainBreak | None:
    """Return the first break in ``entries`` (ordered by seq), or None if the chain holds."""
    prev = GENESIS
    expected_seq = 1
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainBreak(
                entry.seq, f"sequence jumps from {expected_seq - 1} to {entry.seq} (entry missing)"
            )
        if entry.prev_hash != prev:
            return ChainBreak(
                entry.seq, "prev_hash does not match the previous entry (reordered or replaced)"
            )
        actual = hash_value(entry.body())
        if actual != entry.entry_hash:
            return ChainBreak(entry.seq, "content does not match its entry_hash (edited)")
        prev = entry.entry_hash
        expected_seq += 1
    return None
