"""A detention event's subtype (arrest, abduction, captivity, disappearance) as a column.

Events stored before this revision keep NULL: their extraction runs predate
subtypes, and history is never rewritten; re-extracting adds a new run.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("subtype", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("subtype")
