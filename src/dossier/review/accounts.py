"""Accounts: argon2id password hashes, roles, API bearer tokens and web sessions.

Tokens and session ids are stored only as SHA-256 hashes. Every way of
ending access (logout, a password change, disabling, revoking tokens) takes
effect on the next request, because each request looks its session or token
up here; the account changes are written to the custody log.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import Conflict, InvalidRequest, NotFound
from ..store import accounts as stored
from ..store.accounts import Account as Account  # the record, re-exported for callers
from ..store.database import Store
from .roles import ROLES

_hasher = PasswordHasher()
# a real hash to verify against when the name is unknown, so timing does not reveal names
_DUMMY = _hasher.hash("not a password")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024  # argon2 hashes any length; a cap keeps a login request cheap


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
    if not stored.add(store, name, role, _hasher.hash(password), actor=actor):
        raise Conflict(f"account {name!r} exists; choose another name")
    return Account(name, role)


def set_role(store: Store, name: str, role: str, *, actor: str) -> Account:
    """Change an account's role (admins only, enforced by the caller)."""
    _check(name, role)
    if not stored.set_role(store, name, role, actor=actor):
        raise NotFound(f"no account {name!r}; add it with `dossier users add`")
    return Account(name, role)


def set_password(store: Store, name: str, password: str, *, actor: str) -> int:
    """Change ``name``'s password and end its web sessions; returns how many were ended."""
    _check_password(password)
    ended = stored.set_password_hash(store, name, _hasher.hash(password), actor=actor)
    if ended is None:
        raise NotFound(f"no account {name!r}; add it with `dossier users add`")
    return ended


def set_disabled(store: Store, name: str, disabled: bool, *, actor: str) -> tuple[int, int]:
    """Disable (or enable) ``name``; disabling ends its sessions and revokes its tokens.

    Returns (sessions ended, tokens revoked). Enabling brings back neither: the
    person logs in again and an admin issues a new token.
    """
    done = stored.set_disabled(store, name, disabled, actor=actor)
    if done is None:
        raise NotFound(f"no account {name!r}; see `dossier users list`")
    return done


def revoke_tokens(store: Store, name: str, *, actor: str) -> int:
    """Revoke every API token of ``name``; returns how many were live."""
    revoked = stored.revoke_tokens(store, name, actor=actor)
    if revoked is None:
        raise NotFound(f"no account {name!r}; see `dossier users list`")
    return revoked


def get_account(store: Store, name: str) -> Account | None:
    return stored.enabled(store, name)


def list_accounts(store: Store) -> list[Account]:
    """Every account, disabled ones included (``Account.disabled``)."""
    return stored.list_all(store)


def authenticate(store: Store, name: str, password: str) -> Account | None:
    """The account when ``password`` is right; None otherwise (same work either way)."""
    if len(password) > MAX_PASSWORD:  # no account has one this long; do not hash megabytes
        password, name = "", ""
    found = stored.credentials(store, name)
    try:
        _hasher.verify(found.password_hash if found else _DUMMY, password)
    except (VerificationError, InvalidHashError):
        return None
    return found.account if found else None


def _token_hash(token: str) -> str:
    # tokens carry 256 random bits, so a plain SHA-256 is enough (no need for a slow hash)
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(store: Store, name: str, *, actor: str) -> str:
    """A new bearer token for ``name``; only its hash is kept, so show it once."""
    if get_account(store, name) is None:
        raise NotFound(f"no account {name!r}; add it with `dossier users add`")
    token = "dos_" + secrets.token_urlsafe(32)
    stored.add_token(store, name, _token_hash(token), actor=actor)
    return token


def account_for_token(store: Store, token: str) -> Account | None:
    """The account a bearer token belongs to, or None."""
    return stored.account_for_token(store, _token_hash(token))


def _at(hours_from_now: float) -> str:
    moment = datetime.now(UTC) + timedelta(hours=hours_from_now)
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def start_session(store: Store, name: str, hours: float) -> str:
    """A new web session for ``name`` lasting ``hours``; returns its id (kept only hashed)."""
    sid = secrets.token_urlsafe(32)
    stored.add_session(store, name, _token_hash(sid), _at(hours))
    return sid


def account_for_session(store: Store, sid: str) -> Account | None:
    """The account of a live session: not ended, not expired, account not disabled."""
    return stored.account_for_session(store, _token_hash(sid))


def end_session(store: Store, sid: str) -> None:
    """End one web session (logout); an unknown id is already as good as ended."""
    stored.end_session(store, _token_hash(sid))
