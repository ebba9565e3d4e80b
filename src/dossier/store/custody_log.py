"""Reading and appending the custody log and its signed checkpoints.

Every transaction (``Store.transaction``) that appends entries signs a
checkpoint over the whole log as its last step, inside the same
transaction: the entries and the signature over them commit together or
not at all. So no command, however it is interrupted, leaves an entry that
no checkpoint covers, and ``dossier verify`` treats any uncovered entry as
a failure (a deleted checkpoint, or entries written outside Dossier). The
Merkle root is kept incrementally (``MerkleFrontier``, stored in
``custody_frontier`` and cached per process, each checked against the log's
entry at its size), so a checkpoint costs O(new entries), not a re-read of
the log.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from ..evidence.canonical import canonical_json
from ..evidence.custody import GENESIS, make_entry, utc_now
from ..evidence.keys import key_id, load_private_key
from ..evidence.merkle import MerkleFrontier
from ..records import Checkpoint, CustodyEntry, checkpoint_message
from . import tables, timestamps
from .database import BEFORE_COMMIT, STORE_KEY, Store, loads, lock_for_writing

log = logging.getLogger(__name__)


def append(
    conn: Connection,
    actor: str,
    action: str,
    object_id: str,
    object_hash: str | None,
    detail: dict[str, Any] | None = None,
) -> CustodyEntry:
    """Append one entry inside the caller's transaction and return it.

    The write lock (taken already by ``Store.transaction``) makes reading the
    last entry and appending after it one step for every process.
    """
    lock_for_writing(conn)
    last = conn.execute(
        select(tables.custody.c.seq, tables.custody.c.entry_hash)
        .order_by(tables.custody.c.seq.desc())
        .limit(1)
    ).first()
    seq, prev = (1, GENESIS) if last is None else (int(last[0]) + 1, str(last[1]))
    entry = make_entry(seq, prev, actor, action, object_id, object_hash, detail)
    conn.execute(
        insert(tables.custody).values(
            seq=entry.seq,
            time=entry.time,
            actor=entry.actor,
            action=entry.action,
            object_id=entry.object_id,
            object_hash=entry.object_hash,
            detail=canonical_json(entry.detail).decode(),
            prev_hash=entry.prev_hash,
            entry_hash=entry.entry_hash,
        )
    )
    store = conn.info.get(STORE_KEY)
    if isinstance(store, Store):
        hooks = conn.info.setdefault(BEFORE_COMMIT, {})
        hooks.setdefault("custody.checkpoint", lambda c: _sign(c, store))
    return entry


def _entry(row: Any) -> CustodyEntry:
    m = row._mapping
    return CustodyEntry(
        seq=m["seq"],
        time=m["time"],
        actor=m["actor"],
        action=m["action"],
        object_id=m["object_id"],
        object_hash=m["object_hash"],
        detail=loads(m["detail"]),
        prev_hash=m["prev_hash"],
        entry_hash=m["entry_hash"],
    )


def entries(
    store: Store,
    *,
    object_ids: list[str] | None = None,
    limit: int | None = None,
    after: int = 0,
    newest: bool = False,
) -> Iterator[CustodyEntry]:
    """Entries in sequence order, optionally only those about ``object_ids``.

    With ``limit`` and ``newest``, the last ``limit`` entries (still in sequence order).
    """
    seq = tables.custody.c.seq
    q = select(tables.custody).where(seq > after)
    if object_ids is not None:
        q = q.where(tables.custody.c.object_id.in_(object_ids))
    if limit is not None and newest:
        last = q.order_by(seq.desc()).limit(limit).subquery()
        q = select(last).order_by(last.c.seq)
    else:
        q = q.order_by(seq)
        if limit is not None:
            q = q.limit(limit)
    with store.engine.connect() as conn:
        for row in conn.execute(q):
            yield _entry(row)


def size(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(tables.custody)).scalar_one())


def checkpoints(store: Store) -> list[Checkpoint]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(tables.checkpoints).order_by(tables.checkpoints.c.size)).all()
    return [Checkpoint(**dict(r._mapping)) for r in rows]


def leaf_hashes(conn: Connection, upto: int) -> list[bytes]:
    rows = conn.execute(
        select(tables.custody.c.entry_hash)
        .where(tables.custody.c.seq <= upto)
        .order_by(tables.custody.c.seq)
    )
    return [bytes.fromhex(r[0]) for r in rows]


def checkpoint(store: Store, *, force: bool = False) -> Checkpoint | None:
    """Sign a checkpoint over the whole log when enough entries came since the last one.

    ``force`` signs whenever any entry is not yet covered. Entries appended
    in ``Store.transaction`` are signed as they commit, so this only matters
    for entries appended on another connection.
    """
    with store.transaction() as conn:
        n = size(conn)
        covered = _covered(conn)
        due = n - covered >= store.settings.checkpoint_every or (force and n > covered)
        if not due:
            return None
        return _sign(conn, store)


def _covered(conn: Connection) -> int:
    last = conn.execute(select(func.max(tables.checkpoints.c.size))).scalar_one()
    return int(last or 0)


def _sign(conn: Connection, store: Store) -> Checkpoint | None:
    """Sign and insert a checkpoint over the log as ``conn`` sees it, unless one covers it."""
    n = size(conn)
    if n == 0 or _covered(conn) >= n:
        return None
    root = _frontier(conn, store, n).root().hex()
    time = utc_now()
    private = store.cache.get("private_key")
    if private is None:
        private = store.cache["private_key"] = load_private_key(store.settings.keys_dir)
    signature = private.sign(checkpoint_message(n, root, time)).hex()
    cp = Checkpoint(
        size=n, root=root, time=time, signature=signature, key_id=key_id(private.public_key())
    )
    conn.execute(
        insert(tables.checkpoints).values(
            size=cp.size, root=cp.root, time=cp.time, signature=cp.signature, key_id=cp.key_id
        )
    )
    timestamps.after_signing(conn, store, cp)  # RFC 3161, once this commits (tsa_url set)
    return cp


def _frontier(conn: Connection, store: Store, n: int) -> MerkleFrontier:
    """The Merkle frontier of the log's first ``n`` entries: cached, stored, or rebuilt.

    The per-process cache, then the stored row, is used when it fits the log
    (its last entry is the log's entry at its size); otherwise, after a
    rolled-back transaction or another writer's work, it is rebuilt from the
    entries. Only the entries after it are read, and the row is stored back in
    the caller's transaction, with the checkpoint it serves.
    """
    frontier = _usable(conn, store.cache.get("frontier"), n) or _usable(conn, _stored(conn), n)
    if frontier is None:
        frontier = MerkleFrontier()
    start = frontier.size
    rows = conn.execute(
        select(tables.custody.c.entry_hash)
        .where(tables.custody.c.seq > frontier.size, tables.custody.c.seq <= n)
        .order_by(tables.custody.c.seq)
    )
    for (entry_hash,) in rows:
        frontier.add(bytes.fromhex(entry_hash))
    if frontier.size != start and frontier.last is not None:
        f = tables.custody_frontier
        values = {
            "size": frontier.size,
            "last_hash": frontier.last.hex(),
            "nodes": json.dumps(frontier.nodes()),
        }
        if conn.execute(update(f).where(f.c.id == 1).values(**values)).rowcount == 0:
            conn.execute(insert(f).values(id=1, **values))
    # Should this transaction roll back, the cache is ahead of the log: _fits sees it.
    store.cache["frontier"] = frontier
    return frontier


def _stored(conn: Connection) -> MerkleFrontier | None:
    try:
        return _read_frontier(conn)
    except ValueError:
        log.warning("stored Merkle frontier unreadable; rebuilding it from the custody log")
        return None


def _read_frontier(conn: Connection) -> MerkleFrontier | None:
    f = tables.custody_frontier
    row = conn.execute(select(f.c.size, f.c.last_hash, f.c.nodes).where(f.c.id == 1)).first()
    if row is None:
        return None
    try:
        return MerkleFrontier.restore(row.size, row.last_hash, json.loads(row.nodes))
    except (TypeError, json.JSONDecodeError) as exc:
        raise ValueError(f"unreadable stored Merkle frontier ({exc})") from exc


def stored_frontier(store: Store) -> MerkleFrontier | None:
    """The stored Merkle frontier, None when there is none; a malformed one raises ValueError."""
    with store.engine.connect() as conn:
        return _read_frontier(conn)


def _usable(conn: Connection, frontier: object, n: int) -> MerkleFrontier | None:
    if not isinstance(frontier, MerkleFrontier) or frontier.size > n:
        return None
    if frontier.size and not _fits(conn, frontier):
        return None
    return frontier


def _fits(conn: Connection, frontier: MerkleFrontier) -> bool:
    row = conn.execute(
        select(tables.custody.c.entry_hash).where(tables.custody.c.seq == frontier.size)
    ).first()
    return row is not None and frontier.last is not None and row[0] == frontier.last.hex()
