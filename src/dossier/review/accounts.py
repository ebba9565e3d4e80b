"""Accounts: argon2id password hashes, roles, and API bearer tokens (stored as hashes)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import insert, select, update

from ..errors import ConfigError
from ..evidence.custody import utc_now
from ..store import custody_log
from ..store.accounts_tables import account_tokens, accounts
from ..store.database import Store
from .roles import ROLES

_hasher = PasswordHasher()
# a real hash to verify against when the name is unknown, so timing does not reveal names
_DUMMY = _hasher.hash("not a password")
MIN_PASSWORD = 10


@dataclass(frozen=True)
class Account:
    name: str
    role: str


def _check(name: str, role: str) -> None:
    if role not in ROLES:
        raise ConfigError(f"unknown role {role!r}; choose one of {', '.join(ROLES)}")
    if not name or len(name) > 200 or not name.isprintable() or name.strip() != name:
        raise ConfigError(
            f"bad account name {name!r}: use 1-200 printable characters, no outer spaces"
        )


def add_account(store: Store, name: str, role: str, password: str, *, actor: str) -> Account:
    """Create an account; the password is stored only as an argon2id hash."""
    _check(name, role)
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"password too short: use at least {MIN_PASSWORD} characters")
    with store.transaction() as conn:
        if conn.execute(select(accounts.c.name).where(accounts.c.name == name)).first():
            raise ConfigError(f"account {name!r} exists; choose another name")
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
            raise ConfigError(f"no account {name!r}; add it with `dossier users add`")
        custody_log.append(conn, actor, "account.role", f"account:{name}", None, {"role": role})
    return Account(name, role)


def get_account(store: Store, name: str) -> Account | None:
    with store.engine.connect() as conn:
        row = conn.execute(
            select(accounts.c.name, accounts.c.role).where(
                accounts.c.name == name, accounts.c.disabled == 0
            )
        ).first()
    return None if row is None else Account(row.name, row.role)


def list_accounts(store: Store) -> list[Account]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(accounts.c.name, accounts.c.role).order_by(accounts.c.name)
        ).all()
    return [Account(r.name, r.role) for r in rows]


def authenticate(store: Store, name: str, password: str) -> Account | None:
    """The account when ``password`` is right; None otherwise (same work either way)."""
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
        raise ConfigError(f"no account {name!r}; add it with `dossier users add`")
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
            .where(t.c.token_sha256 == _token_hash(token), a.c.disabled == 0)
        ).first()
    return None if row is None else Account(row.name, row.role)
