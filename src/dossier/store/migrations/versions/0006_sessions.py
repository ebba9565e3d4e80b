"""Server-side web sessions and revocable API tokens, so access can be ended at once.

A session cookie carries only a random id; ``web_sessions`` keeps its SHA-256
with the account and expiry, and logout, a password change or disabling the
account end it. ``account_tokens.revoked_at`` ends a bearer token.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id_sha256", sa.String(64), primary_key=True),
        sa.Column("account", sa.String(200), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("expires_at", sa.String(40), nullable=False),
        sa.Column("ended_at", sa.String(40)),
    )
    op.create_index("ix_web_sessions_account", "web_sessions", ["account"])
    with op.batch_alter_table("account_tokens") as batch:
        batch.add_column(sa.Column("revoked_at", sa.String(40)))


def downgrade() -> None:
    with op.batch_alter_table("account_tokens") as batch:
        batch.drop_column("revoked_at")
    op.drop_index("ix_web_sessions_account", "web_sessions")
    op.drop_table("web_sessions")
