"""Tables of people and their review work (migration 0004), as portable SQLAlchemy Core.

Kept apart from ``tables.py`` so the review and web layers own their schema:
accounts, their API tokens and web sessions (only hashes are stored), links between related
incidents, and sensitivity flags on documents.
"""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text

from .tables import metadata

accounts = Table(
    "accounts",
    metadata,
    Column("name", String(200), primary_key=True),
    Column("role", String(20), nullable=False),  # viewer | analyst | reviewer | admin
    Column("password_hash", Text, nullable=False),  # argon2id, PHC string
    Column("created_at", String(40), nullable=False),
    Column("disabled", Integer, nullable=False, default=0),
)

account_tokens = Table(
    "account_tokens",
    metadata,
    Column("token_sha256", String(64), primary_key=True),  # the token itself is never stored
    Column("account", String(200), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("revoked_at", String(40)),  # migration 0006: a revoked token opens nothing
)
Index("ix_account_tokens_account", account_tokens.c.account)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id_sha256", String(64), primary_key=True),  # the cookie's session id is never stored
    Column("account", String(200), nullable=False),
    Column("created_at", String(40), nullable=False),
    Column("expires_at", String(40), nullable=False),
    Column("ended_at", String(40)),  # logout, password change, disabling
)
Index("ix_web_sessions_account", web_sessions.c.account)

incident_links = Table(
    "incident_links",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("left_id", String(40), nullable=False),
    Column("right_id", String(40), nullable=False),
    Column("kind", String(30), nullable=False),  # part_of | same_perpetrator | follow_up
    Column("user", String(200), nullable=False),
    Column("time", String(40), nullable=False),
    Column("reason", Text),
)

document_flags = Table(
    "document_flags",
    metadata,
    Column("document_id", String(80), primary_key=True),
    Column("flags", Text, nullable=False),  # JSON list of sensitivity flags
    Column("updated_at", String(40), nullable=False),
    Column("updated_by", String(200), nullable=False),
)
