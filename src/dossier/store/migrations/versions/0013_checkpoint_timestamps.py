"""RFC 3161 timestamp tokens over signed checkpoints.

One row per timestamped checkpoint (its size): the TSA asked, the TSA's
time, and the whole TimeStampResp (base64 of its DER). A checkpoint is
signed in its transaction; its token is asked for after that commits, so a
TSA that is down never holds up or loses a write, and ``dossier timestamp``
fills in the checkpoints left without one.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "checkpoint_timestamps",
        sa.Column(
            "size",
            sa.Integer,
            sa.ForeignKey("checkpoints.size"),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("tsa", sa.Text, nullable=False),
        sa.Column("gen_time", sa.String(40), nullable=False),
        sa.Column("token", sa.Text, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("checkpoint_timestamps")
