"""The custody log's Merkle frontier, stored, so a checkpoint costs O(new entries).

One row: the size of the log it covers, the last entry hash it added (to tell
a stale row from a current one) and the perfect-subtree roots (JSON). It is a
cache of the log, never evidence: a row that does not fit the log is rebuilt
from the entries, and ``dossier verify`` checks it against them.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "custody_frontier",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("last_hash", sa.String(64), nullable=False),
        sa.Column("nodes", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("custody_frontier")
