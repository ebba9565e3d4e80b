"""Accounts: argon2id password hashes, roles, API bearer tokens and web sessions.

Tokens and session ids are stored only as SHA-256 hashes. Every way of
ending access (logout, a password change, disabling, revoking tokens) takes
effect on the next request, because each request looks its session or token
up here; the account changes are written to the custody log.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, insert, select, update

from ..errors import Conflict, InvalidRequest, NotFound
from ..evidence.custody import utc_now
from ..store import custody_log
from ..store.accounts_tables import account_tokens, accounts, web_sessions
from ..store.database import Store
from .roles import ROLES

_hasher = PasswordHasher()
# a real hash to verify against when the name is unknown, so timing does not reveal names
_DUMMY = _hasher.hash("not a password")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # argon2 hashes any length; a cap keeps a login request cheap


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    disabled: bool = False


def _check(name: str, role: str) -> None:
    if role not in ROLES:
        raise InvalidRequest(f"unknown role {role!r}; choose one of {', '.join(ROLES)}", "role")
    if not name or len(name) > 200 or not name.isprintable() or name.strip() != name:
        raise InvalidRequest(
            f"bad account name {name!r}: use 1-200 printable characters, no outer spaces", "name"
        )


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidRequest(
            f"password too short: use at least {MIN_PASSWORD} characters", "password"
        )
    if len(password) > MAX_PASSWORD:
        raise InvalidRequest(
            f"password too long: use at most {MAX_PASSWORD} characters", "password"
        )


def add_account(store: Store, name: str, role: str, password: str, *, actor: str) -> Account:
    """Create an account; the password is stored only as an argon2id hash."""
    _check(name, role)
    _check_password(password)
    with store.transaction() as conn:
        if conn.execute(select(accounts.c.name).where(accounts.c.name == name)).first():
            raise Conflict(f"account {name!r} exists; choose another name")
        conn.execute(
            insert(accounts).values(
                name=name,
                role=role,
                password_hash=_hasher.hash(password),
                created_at=utc_now(),
                disabled=0,
            )
        )
        custody_log.append(conn, actor, "account.added", f"account:{name}", None, {"role": role})
    return Account(name, role)


def set_role(store: Store, name: str, role: str, *, actor: str) -> Account:
    """Change an account's role (admins only, enforced by the caller)."""
    _check(name, role)
    with store.transaction() as conn:
        done = conn.execute(
            update(accounts).where(accounts.c.name == name).values(role=role)
        ).rowcount
        if not done:
            raise NotFound(f"no account {name!r}; add it with `dossier users add`")
        custody_log.append(conn, actor, "account.role", f"account:{name}", None, {"role": role})
    return Account(name, role)


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


def set_password(store: Store, name: str, password: str, *, actor: str) -> int:
    """Change ``name``'s password and end its web sessions; returns how many were ended."""
    _check_password(password)
    now = utc_now()
    with store.transaction() as conn:
        done = conn.execute(
            update(accounts)
            .where(accounts.c.name == name)
            .values(password_hash=_hasher.hash(password))
        ).rowcount
        if not done:
            raise NotFound(f"no account {name!r}; add it with `dossier users add`")
        ended = _end_sessions(conn, name, now)
        custody_log.append(
            conn, actor, "account.password", f"account:{name}", None, {"sessions_ended": ended}
        )
    return ended


def set_disabled(store: Store, name: str, disabled: bool, *, actor: str) -> tuple[int, int]:
    """Disable (or enable) ``name``; disabling ends its sessions and revokes its tokens.

    Returns (sessions ended, tokens revoked). Enabling brings back neither: the
    person logs in again and an admin issues a new token.
    """
    now = utc_now()
    with store.transaction() as conn:
        done = conn.execute(
            update(accounts).where(accounts.c.name == name).values(disabled=int(disabled))
        ).rowcount
        if not done:
            raise NotFound(f"no account {name!r}; see `dossier users list`")
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


def revoke_tokens(store: Store, name: str, *, actor: str) -> int:
    """Revoke every API token of ``name``; returns how many were live."""
    now = utc_now()
    with store.transaction() as conn:
        if not conn.execute(select(accounts.c.name).where(accounts.c.name == name)).first():
            raise NotFound(f"no account {name!r}; see `dossier users list`")
        revoked = _revoke_tokens(conn, name, now)
        custody_log.append(
            conn, actor, "account.token_revoked", f"account:{name}", None, {"tokens": revoked}
        )
    return revoked


def get_account(store: Store, name: str) -> Account | None:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(accounts.c.name, accounts.c.role).where(
                accounts.c.name == name, accounts.c.disabled == 0
            )
        ).first()
    return None if row is None else Account(row.name, row.role)


def list_accounts(store: Store) -> list[Account]:
    """Every account, disabled ones included (``Account.disabled``)."""
    a = accounts
    with store.engine.connect() as conn:
        rows = conn.execute(select(a.c.name, a.c.role, a.c.disabled).order_by(a.c.name)).all()
    return [Account(r.name, r.role, bool(r.disabled)) for r in rows]


def authenticate(store: Store, name: str, password: str) -> Account | None:
    """The account when ``password`` is right; None otherwise (same work either way)."""
    if len(password) > MAX_PASSWORD:  # no account has one this long; do not hash megabytes
        password, name = "", ""
    with store.engine.connect() as conn:
        row = conn.execute(
            select(accounts.c.name, accounts.c.role, accounts.c.password_hash).where(
                accounts.c.name == name, accounts.c.disabled == 0
            )
        ).first()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    return Account(row.name, row.role) if row else None


def _token_hash(token: str) -> str:
    # tokens carry 256 random bits, so a plain SHA-256 is enough (no need for a slow hash)
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(store: Store, name: str, *, actor: str) -> str:
    """A new bearer token for ``name``; only its hash is kept, so show it once."""
    if get_account(store, name) is None:
        raise NotFound(f"no account {name!r}; add it with `dossier users add`")
    token = "dos_" + secrets.token_urlsafe(32)
    digest = _token_hash(token)
    with store.transaction() as conn:
        conn.execute(
            insert(account_tokens).values(token_sha256=digest, account=name, created_at=utc_now())
        )
        custody_log.append(conn, actor, "account.token", f"account:{name}", digest[:16], {})
    return token


def account_for_token(store: Store, token: str) -> Account | None:
    """The account a bearer token belongs to, or None."""
    a, t = accounts, account_tokens
    with store.engine.connect() as conn:
        row = conn.execute(
            select(a.c.name, a.c.role)
            .join(t, t.c.account == a.c.name)
            .where(
                t.c.token_sha256 == _token_hash(token),
                t.c.revoked_at.is_(None),
                a.c.disabled == 0,
            )
        ).first()
    return None if row is None else Account(row.name, row.role)


def _at(hours_from_now: float) -> str:
    moment = datetime.now(UTC) + timedelta(hours=hours_from_now)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def start_session(store: Store, name: str, hours: float) -> str:
    """A new web session for ``name`` lasting ``hours``; returns its id (kept only hashed)."""
    sid = secrets.token_urlsafe(32)
    with store.transaction() as conn:
        conn.execute(
            insert(web_sessions).values(
                id_sha256=_token_hash(sid),
                account=name,
                created_at=utc_now(),
                expires_at=_at(hours),
            )
        )
    return sid


def account_for_session(store: Store, sid: str) -> Account | None:
    """The account of a live session: not ended, not expired, account not disabled."""
    a, s = accounts, web_sessions
    with store.engine.connect() as conn:
        row = conn.execute(
            select(a.c.name, a.c.role)
            .join(s, s.c.account == a.c.name)
            .where(
                s.c.id_sha256 == _token_hash(sid),
                s.c.ended_at.is_(None),
                s.c.expires_at > utc_now(),
                a.c.disabled == 0,
            )
        ).first()
    return None if row is None else Account(row.name, row.role)


def end_session(store: Store, sid: str) -> None:
    """End one web session (logout); an unknown id is already as good as ended."""
    s = web_sessions
    with store.transaction() as conn:
        conn.execute(
            update(s)
            .where(s.c.id_sha256 == _token_hash(sid), s.c.ended_at.is_(None))
            .values(ended_at=utc_now())
        )
