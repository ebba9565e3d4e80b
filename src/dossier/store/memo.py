"""Values derived from the whole store, computed once per state of the store.

Every change to what the store holds (ingest, extraction, corroboration,
reviews, flags, accounts) appends a custody entry, so the head of the custody
log is a sound version: a value computed at head ``n`` holds until the head
moves. Reading the head is one indexed query, which is what a cached value
costs instead of the scans it replaces (the facets of the incident list, the
visibility policy's sensitivity). The cache is per process and bounded; it
never holds evidence, only what can be recomputed from it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from threading import Lock
from typing import Any, TypeVar

from sqlalchemy import select

from . import tables
from .database import Store

T = TypeVar("T")
LIMIT = 256  # values kept per store: facets per visibility scope and the like
_LOCK = Lock()


# built once: constructing a statement costs more than running this one
_HEAD = select(tables.custody.c.seq).order_by(tables.custody.c.seq.desc()).limit(1)
# the heads read during one read-only request, by store (see ``one_state``)
_HEADS: ContextVar[dict[int, int | None] | None] = ContextVar("dossier_heads", default=None)


@contextmanager
def one_state() -> Iterator[None]:
    """Within the block, ``head`` is read once per store: one request sees one state.

    For read-only requests (a web GET): the facets, the visibility policy and
    the answer cache then agree on the state they serve, for one query.
    """
    token = _HEADS.set({})
    try:
        yield
    finally:
        _HEADS.reset(token)


def head(store: Store) -> int | None:
    """The sequence number of the newest custody entry (None for an empty log)."""
    seen = _HEADS.get()
    if seen is not None and id(store) in seen:
        return seen[id(store)]
    with store.engine.connect() as conn:
        value = conn.execute(_HEAD).scalar()
    result = None if value is None else int(value)
    if seen is not None:
        seen[id(store)] = result
    return result


def since_last_change(store: Store, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or its value from an earlier call made at the same custody head."""
    now = head(store)
    cache: OrderedDict[Hashable, tuple[int | None, Any]] = store.cache.setdefault(
        "memo", OrderedDict()
    )
    with _LOCK:  # the web's threads share the cache
        hit = cache.get(key)
        if hit is not None and hit[0] == now:
            cache.move_to_end(key)
            return hit[1]  # type: ignore[no-any-return]
    value = compute()  # outside the lock: two threads may compute one value, never wait long
    with _LOCK:
        cache[key] = (now, value)
        cache.move_to_end(key)
        while len(cache) > LIMIT:
            cache.popitem(last=False)
    return value
