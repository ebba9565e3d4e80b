"""RFC 3161 tokens over checkpoints: asked for after each commit, stored, read for verify.

A checkpoint is signed inside its transaction; the TSA is asked only after
that transaction has committed (``AFTER_COMMIT``), so a slow or dead TSA
never holds the write lock and never loses a write. When it cannot be
reached, the checkpoint stays as written, one warning per process names the
TSA, and ``dossier timestamp`` (``stamp_missing``) asks again later for every
checkpoint left without a token.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import Connection, insert, select

from ..errors import ConfigError
from ..evidence.timestamp import TimestampUnavailable, check_token, load_ca, request_token
from ..records import Checkpoint
from . import tables
from .database import AFTER_COMMIT, Store

if TYPE_CHECKING:
    from ..evidence.completeness import Check

log = logging.getLogger(__name__)

DOWN = "tsa_down"  # Store.cache key: this process found the TSA down once already


@dataclass(frozen=True)
class StoredToken:
    size: int
    tsa: str
    gen_time: str
    der: bytes


def tokens(store: Store) -> dict[int, StoredToken]:
    """Every stored token by checkpoint size; a token that is not base64 reads as empty bytes."""
    t = tables.checkpoint_timestamps
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.c.size, t.c.tsa, t.c.gen_time, t.c.token)).all()
    out = {}
    for size, tsa, gen_time, token in rows:
        try:
            der = base64.b64decode(token, validate=True)
        except ValueError:
            der = b""
        out[int(size)] = StoredToken(int(size), str(tsa), str(gen_time), der)
    return out


def missing(store: Store) -> list[Checkpoint]:
    """The checkpoints without a token, oldest first."""
    cp, t = tables.checkpoints, tables.checkpoint_timestamps
    q = (
        select(cp)
        .where(~select(t.c.size).where(t.c.size == cp.c.size).exists())
        .order_by(cp.c.size)
    )
    with store.engine.connect() as conn:
        return [Checkpoint(**dict(r._mapping)) for r in conn.execute(q)]


def stamp(store: Store, cp: Checkpoint) -> StoredToken:
    """Ask the TSA of the settings for a token over ``cp`` and store it; raises
    TimestampUnavailable when it gives none."""
    url = store.settings.tsa_url
    assert url, "stamp needs tsa_url"
    token = request_token(url, cp.message(), timeout=store.settings.tsa_timeout)
    t = tables.checkpoint_timestamps
    with store.transaction() as conn:
        if conn.execute(select(t.c.size).where(t.c.size == cp.size)).first() is None:
            conn.execute(
                insert(t).values(
                    size=cp.size,
                    tsa=url,
                    gen_time=token.gen_time,
                    token=base64.b64encode(token.der).decode("ascii"),
                )
            )
    return StoredToken(cp.size, url, token.gen_time, token.der)


def stamp_missing(store: Store) -> tuple[list[StoredToken], list[Checkpoint], str | None]:
    """Timestamp every checkpoint without a token: (stored, left without one, why)."""
    done: list[StoredToken] = []
    pending = missing(store)
    for i, cp in enumerate(pending):
        try:
            done.append(stamp(store, cp))
        except TimestampUnavailable as exc:
            return done, pending[i:], str(exc)
    return done, [], None


def after_signing(conn: Connection, store: Store, cp: Checkpoint) -> None:
    """Have ``cp`` timestamped once the transaction that signs it has committed."""
    if not store.settings.tsa_url:
        return
    hooks = conn.info.setdefault(AFTER_COMMIT, {})
    hooks["timestamps.stamp"] = lambda: _stamp_quietly(store, cp)


def _stamp_quietly(store: Store, cp: Checkpoint) -> None:
    if store.cache.get(DOWN):
        return  # warned once; `dossier timestamp` catches up
    try:
        stamp(store, cp)
    except TimestampUnavailable as exc:
        store.cache[DOWN] = True
        log.warning(
            "%s; checkpoint at size %d is signed but not timestamped, and later ones of this "
            "command will not be either: run `dossier timestamp` when the TSA answers",
            exc,
            cp.size,
        )


def check(store: Store, cps: list[Checkpoint]) -> Check:
    """Every stored token verifies over its checkpoint against the ``tsa_ca`` certificates;
    with ``tsa_url`` set, every checkpoint has one. Problems name the checkpoint."""
    from ..evidence.completeness import Check  # verify's report type; evidence/ reads store/

    result = Check("timestamps")
    settings = store.settings
    held = tokens(store)
    result.checked = len(held)
    roots = None
    if settings.tsa_ca is None:
        if held:
            result.problems.append(
                f"{len(held)} timestamp token(s) cannot be checked: the tsa_ca setting names "
                "no CA certificate for the TSA"
            )
    else:
        try:
            roots = load_ca(settings.tsa_ca)
        except ConfigError as exc:
            result.problems.append(str(exc))
    by_size = {cp.size: cp for cp in cps}
    for size, token in sorted(held.items()):
        where = f"checkpoint at size {size}"
        cp = by_size.get(size)
        if cp is None:
            result.problems.append(f"{where}: a timestamp token for a checkpoint that is gone")
            continue
        if roots is None:
            continue
        why = check_token(token.der, cp.message(), roots) if token.der else "not base64"
        if why:
            result.problems.append(f"{where}: timestamp from {token.tsa}: {why}")
    if settings.tsa_url:
        bare = [cp.size for cp in cps if cp.size not in held]
        if bare:
            shown = ", ".join(str(n) for n in bare[:5]) + (" ..." if len(bare) > 5 else "")
            result.problems.append(
                f"checkpoint at size {bare[0]}: no timestamp token ({len(bare)} checkpoint(s) "
                f"without one: {shown}); tsa_url is set, so each needs one: run "
                "`dossier timestamp` (a token deleted from the database is not recoverable "
                "this way: its time is lost)"
            )
    return result
