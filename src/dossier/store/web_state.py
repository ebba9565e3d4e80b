"""What every worker of one web server shares: the session-signing secret, failed logins.

Kept in the database, not in each process, so sessions signed by one worker
check in another and the login limit counts failures across all of them.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import delete, func, insert, select

from ..evidence.custody import utc_now
from . import tables
from .database import Store, insert_new

SECRET_ROW = 1


def shared_secret(store: Store, initial: Callable[[], str]) -> str:
    """The web secret; the first caller stores ``initial()``, every later one reads it.

    ``INSERT ... ON CONFLICT DO NOTHING`` and a re-read: two workers starting
    at once end up with the one secret that was stored first.
    """
    s = tables.web_secret
    with store.engine.connect() as conn:
        found = conn.execute(select(s.c.secret).where(s.c.id == SECRET_ROW)).scalar_one_or_none()
    if found is not None:
        return str(found)
    with store.transaction() as conn:
        insert_new(conn, s, {"id": SECRET_ROW, "secret": initial(), "created_at": utc_now()})
        return str(conn.execute(select(s.c.secret).where(s.c.id == SECRET_ROW)).scalar_one())


def failures(store: Store, address: str, name: str, since: float) -> tuple[int, float]:
    """How many failures of (address, name) at or after ``since``, and the latest one's time."""
    f = tables.login_failures
    q = select(func.count(), func.max(f.c.time)).where(
        f.c.address == address[:100], f.c.name == name[:200], f.c.time >= since
    )
    with store.engine.connect() as conn:
        count, last = conn.execute(q).one()
    return int(count), float(last or 0.0)


def record_failure(store: Store, address: str, names: list[str], now: float, forget: float) -> None:
    """One failure at ``now`` under each of ``names``; failures before ``forget`` are dropped."""
    f = tables.login_failures
    with store.transaction() as conn:
        conn.execute(delete(f).where(f.c.time < forget))
        conn.execute(
            insert(f),
            [{"address": address[:100], "name": n[:200], "time": now} for n in names],
        )


def clear_failures(store: Store, address: str, name: str) -> None:
    """Forget the failures of (address, name): a successful login."""
    f = tables.login_failures
    with store.transaction() as conn:
        conn.execute(delete(f).where(f.c.address == address[:100], f.c.name == name[:200]))
