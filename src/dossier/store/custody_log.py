"""Reading and appending the custody log and its signed checkpoints."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, func, insert, select

from ..evidence.canonical import canonical_json
from ..evidence.custody import GENESIS, make_entry, utc_now
from ..evidence.keys import key_id, load_private_key
from ..evidence.merkle import merkle_root
from ..records import Checkpoint, CustodyEntry, checkpoint_message
from . import tables
from .database import Store, loads


def append(
    conn: Connection,
    actor: str,
    action: str,
    object_id: str,
    object_hash: str | None,
    detail: dict[str, Any] | None = None,
) -> CustodyEntry:
    """Append one entry inside the caller's transaction and return it."""
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

    ``force`` signs whenever any entry is not yet covered (used at the end of
    every command, so a finished command always leaves a signed root).
    """
    with store.transaction() as conn:
        n = size(conn)
        last = conn.execute(select(func.max(tables.checkpoints.c.size))).scalar_one()
        covered = int(last or 0)
        due = n - covered >= store.settings.checkpoint_every or (force and n > covered)
        if not due:
            return None
        root = merkle_root(leaf_hashes(conn, n)).hex()
        time = utc_now()
        private = load_private_key(store.settings.keys_dir)
        signature = private.sign(checkpoint_message(n, root, time)).hex()
        cp = Checkpoint(
            size=n, root=root, time=time, signature=signature, key_id=key_id(private.public_key())
        )
        conn.execute(
            insert(tables.checkpoints).values(
                size=cp.size, root=cp.root, time=cp.time, signature=cp.signature, key_id=cp.key_id
            )
        )
        return cp
