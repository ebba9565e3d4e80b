"""Accounts, API tokens, incident links, document flags, and the SQLite full-text index.

The FTS5 tables are SQLite-only and kept in step by triggers, so ingest and
``replace_incidents`` need not know about search; other databases search with
LIKE (see ``store/search.py``).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

FTS = [
    "CREATE VIRTUAL TABLE documents_fts USING fts5(document_id UNINDEXED, title, publisher, body,"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE incidents_fts USING fts5(incident_id UNINDEXED, body,"
    " tokenize='unicode61 remove_diacritics 2')",
    "INSERT INTO documents_fts(rowid, document_id, title, publisher, body)"
    " SELECT rowid, id, coalesce(title,''), coalesce(publisher,''), text FROM documents",
    "INSERT INTO incidents_fts(rowid, incident_id, body) SELECT rowid, id, "
    "type || ' ' || coalesce(place_name,'') || ' ' || coalesce(admin1,'') || ' ' || record"
    " FROM incidents",
    "CREATE TRIGGER documents_fts_ai AFTER INSERT ON documents BEGIN"
    " INSERT INTO documents_fts(rowid, document_id, title, publisher, body)"
    " VALUES (new.rowid, new.id, coalesce(new.title,''), coalesce(new.publisher,''),"
    " new.text); END",
    "CREATE TRIGGER documents_fts_ad AFTER DELETE ON documents BEGIN"
    " DELETE FROM documents_fts WHERE rowid = old.rowid; END",
    "CREATE TRIGGER incidents_fts_ai AFTER INSERT ON incidents BEGIN"
    " INSERT INTO incidents_fts(rowid, incident_id, body) VALUES (new.rowid, new.id,"
    " new.type || ' ' || coalesce(new.place_name,'') || ' ' || coalesce(new.admin1,'')"
    " || ' ' || new.record); END",
    "CREATE TRIGGER incidents_fts_ad AFTER DELETE ON incidents BEGIN"
    " DELETE FROM incidents_fts WHERE rowid = old.rowid; END",
]


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("disabled", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "account_tokens",
        sa.Column("token_sha256", sa.String(64), primary_key=True),
        sa.Column("account", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_account_tokens_account", "account_tokens", ["account"])
    op.create_table(
        "incident_links",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("left_id", sa.String(40), nullable=False),
        sa.Column("right_id", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("time", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text),
    )
    op.create_table(
        "document_flags",
        sa.Column("document_id", sa.String(80), primary_key=True),
        sa.Column("flags", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )
    op.create_index("ix_incident_reviews_assigned", "incident_reviews", ["assigned_to"])
    if op.get_bind().dialect.name == "sqlite":
        for statement in FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in (
            "documents_fts_ai",
            "documents_fts_ad",
            "incidents_fts_ai",
            "incidents_fts_ad",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
        op.execute("DROP TABLE IF EXISTS incidents_fts")
    op.drop_index("ix_incident_reviews_assigned", "incident_reviews")
    op.drop_table("document_flags")
    op.drop_table("incident_links")
    op.drop_index("ix_account_tokens_account", "account_tokens")
    op.drop_table("account_tokens")
    op.drop_table("accounts")
