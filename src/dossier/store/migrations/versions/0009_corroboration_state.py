"""The corroboration state as data, keyed on the extraction and corroboration versions.

It replaces a pickled file in the data directory, which whoever could write
the directory could turn into code run by the next ``dossier corroborate``.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "corroboration_state",
        sa.Column("pipeline", sa.String(80), nullable=False),
        sa.Column("version", sa.String(40), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("pipeline", "version"),
    )


def downgrade() -> None:
    op.drop_table("corroboration_state")
