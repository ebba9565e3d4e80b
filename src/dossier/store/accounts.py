"""Accounts, API tokens and web sessions in the store: the rows, never the rules.

``review.accounts`` decides (names, roles, password lengths, hashing); this
module only reads and writes the rows and the custody entries that go with
them. Tokens and session ids arrive here already hashed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, update

from ..evidence.custody import utc_now
from . import custody_log
from .accounts_tables import account_tokens, accounts, web_sessions
from .database import Store


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    disabled: bool = False


@dataclass(frozen=True)
class Credentials:
    """An enabled account and its stored argon2id password hash."""

    account: Account
    password_hash: str


def exists(store: Store, name: str) -> bool:
    """Whether an account ``name`` exists, disabled or not."""
    with store.engine.connect() as conn:
        return _exists(conn, name)


def _exists(conn: Connection, name: str) -> bool:
    return conn.execute(select(accounts.c.name).where(accounts.c.name == name)).first() is not None


def add(store: Store, name: str, role: str, password_hash: str, *, actor: str) -> bool:
    """Write a new account (False, and nothing written, when ``name`` is taken)."""
    with store.transaction() as conn:
        if _exists(conn, name):
            return False
        conn.execute(
            insert(accounts).values(
                name=name,
                role=role,
                password_hash=password_hash,
                created_at=utc_now(),
                disabled=0,
            )
        )
        custody_log.append(conn, actor, "account.added", f"account:{name}", None, {"role": role})
    return True


def set_role(store: Store, name: str, role: str, *, actor: str) -> bool:
    """Change an account's role (False when there is no such account)."""
    with store.transaction() as conn:
        done = conn.execute(
            update(accounts).where(accounts.c.name == name).values(role=role)
        ).rowcount
        if not done:
            return False
        custody_log.append(conn, actor, "account.role", f"account:{name}", None, {"role": role})
    return True


def _end_sessions(conn: Connection, name: str, now: str) -> int:
    s = web_sessions
    return int(
        conn.execute(
            update(s).where(s.c.account == name, s.c.ended_at.is_(None)).values(ended_at=now)
        ).rowcount
    )


def _revoke_tokens(conn: Connection, name: str, now: str) -> int:
    t = account_tokens
    return int(
        conn.execute(
            update(t).where(t.c.account == name, t.c.revoked_at.is_(None)).values(revoked_at=now)
        ).rowcount
    )


def set_password_hash(store: Store, name: str, password_hash: str, *, actor: str) -> int | None:
    """Store a new password hash and end the account's sessions: how many (None: no account)."""
    now = utc_now()
    with store.transaction() as conn:
        done = conn.execute(
            update(accounts).where(accounts.c.name == name).values(password_hash=password_hash)
        ).rowcount
        if not done:
            return None
        ended = _end_sessions(conn, name, now)
        custody_log.append(
            conn, actor, "account.password", f"account:{name}", None, {"sessions_ended": ended}
        )
    return ended


def set_disabled(store: Store, name: str, disabled: bool, *, actor: str) -> tuple[int, int] | None:
    """Disable (ending sessions, revoking tokens) or enable; (ended, revoked), None: no account."""
    now = utc_now()
    with store.transaction() as conn:
        done = conn.execute(
            update(accounts).where(accounts.c.name == name).values(disabled=int(disabled))
        ).rowcount
        if not done:
            return None
        ended = _end_sessions(conn, name, now) if disabled else 0
        revoked = _revoke_tokens(conn, name, now) if disabled else 0
        custody_log.append(
            conn,
            actor,
            "account.disabled" if disabled else "account.enabled",
            f"account:{name}",
            None,
            {"sessions_ended": ended, "tokens_revoked": revoked},
        )
    return ended, revoked


def revoke_tokens(store: Store, name: str, *, actor: str) -> int | None:
    """Revoke every live API token of ``name``: how many (None: no account)."""
    now = utc_now()
    with store.transaction() as conn:
        if not _exists(conn, name):
            return None
        revoked = _revoke_tokens(conn, name, now)
        custody_log.append(
            conn, actor, "account.token_revoked", f"account:{name}", None, {"tokens": revoked}
        )
    return revoked


def enabled(store: Store, name: str) -> Account | None:
    """The account ``name`` unless it is missing or disabled."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(accounts.c.name, accounts.c.role).where(
                accounts.c.name == name, accounts.c.disabled == 0
            )
        ).first()
    return None if row is None else Account(row.name, row.role)


def list_all(store: Store) -> list[Account]:
    """Every account by name, disabled ones included."""
    a = accounts
    with store.engine.connect() as conn:
        rows = conn.execute(select(a.c.name, a.c.role, a.c.disabled).order_by(a.c.name)).all()
    return [Account(r.name, r.role, bool(r.disabled)) for r in rows]


def credentials(store: Store, name: str) -> Credentials | None:
    """The enabled account ``name`` with its password hash, for checking a password."""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(accounts.c.name, accounts.c.role, accounts.c.password_hash).where(
                accounts.c.name == name, accounts.c.disabled == 0
            )
        ).first()
    return None if row is None else Credentials(Account(row.name, row.role), row.password_hash)


def add_token(store: Store, name: str, token_sha256: str, *, actor: str) -> None:
    """Keep a new API token's hash (the custody entry names its first 16 hex digits)."""
    with store.transaction() as conn:
        conn.execute(
            insert(account_tokens).values(
                token_sha256=token_sha256, account=name, created_at=utc_now()
            )
        )
        custody_log.append(conn, actor, "account.token", f"account:{name}", token_sha256[:16], {})


def account_for_token(store: Store, token_sha256: str) -> Account | None:
    """The enabled account holding the live token of this hash."""
    a, t = accounts, account_tokens
    with store.engine.connect() as conn:
        row = conn.execute(
            select(a.c.name, a.c.role)
            .join(t, t.c.account == a.c.name)
            .where(t.c.token_sha256 == token_sha256, t.c.revoked_at.is_(None), a.c.disabled == 0)
        ).first()
    return None if row is None else Account(row.name, row.role)


def add_session(store: Store, name: str, id_sha256: str, expires_at: str) -> None:
    """Keep a new web session's hashed id."""
    with store.transaction() as conn:
        conn.execute(
            insert(web_sessions).values(
                id_sha256=id_sha256, account=name, created_at=utc_now(), expires_at=expires_at
            )
        )


def account_for_session(store: Store, id_sha256: str) -> Account | None:
    """The enabled account of a session that is neither ended nor expired."""
    a, s = accounts, web_sessions
    with store.engine.connect() as conn:
        row = conn.execute(
            select(a.c.name, a.c.role)
            .join(s, s.c.account == a.c.name)
            .where(
                s.c.id_sha256 == id_sha256,
                s.c.ended_at.is_(None),
                s.c.expires_at > utc_now(),
                a.c.disabled == 0,
            )
        ).first()
    return None if row is None else Account(row.name, row.role)


def end_session(store: Store, id_sha256: str) -> None:
    """End the session of this hashed id, if it is still live."""
    s = web_sessions
    with store.transaction() as conn:
        conn.execute(
            update(s)
            .where(s.c.id_sha256 == id_sha256, s.c.ended_at.is_(None))
            .values(ended_at=utc_now())
        )
