"""Shared work and shared web state: extraction leases, the web secret, login failures.

- ``extraction_leases``: which extract worker has claimed which pending
  document (for a pipeline) until when, so two extractors on one database
  split the work; an expired lease (a crashed worker) is taken over.
- ``web_secret``: the one session-signing secret of every web worker, made
  once by whichever worker asks first.
- ``login_failures``: failed logins of every web worker, so the limit holds
  across them.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "extraction_leases",
        sa.Column("document_id", sa.String(80), nullable=False),
        sa.Column("pipeline", sa.String(60), nullable=False),
        sa.Column("worker", sa.String(200), nullable=False),
        sa.Column("expires_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("document_id", "pipeline"),
    )
    op.create_index("ix_extraction_leases_worker", "extraction_leases", ["worker"])
    op.create_table(
        "web_secret",
        sa.Column("id", sa.Integer, autoincrement=False, nullable=False),
        sa.Column("secret", sa.Text, nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("address", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("time", sa.Float, nullable=False),
    )
    op.create_index("ix_login_failures_key", "login_failures", ["address", "name", "time"])
    op.create_index("ix_login_failures_time", "login_failures", ["time"])


def downgrade() -> None:
    op.drop_index("ix_login_failures_time", "login_failures")
    op.drop_index("ix_login_failures_key", "login_failures")
    op.drop_table("login_failures")
    op.drop_table("web_secret")
    op.drop_index("ix_extraction_leases_worker", "extraction_leases")
    op.drop_table("extraction_leases")
