"""Foundation: artifacts, documents, the custody log and its checkpoints.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "artifacts",
        sa.Column("sha256", sa.String(64), primary_key=True),
        sa.Column("media_type", sa.String(200), nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("acquired_at", sa.String(40), nullable=False),
        sa.Column("acquired_by", sa.String(200), nullable=False),
        sa.Column("source_path", sa.Text),
        sa.Column("source_url", sa.Text),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column(
            "artifact_sha256", sa.String(64), sa.ForeignKey("artifacts.sha256"), nullable=False
        ),
        sa.Column("locator", sa.String(200), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("text_sha256", sa.String(64), nullable=False),
        sa.Column("title", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("publisher", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("published", sa.String(40)),
        sa.Column("language", sa.String(16)),
        sa.Column("status", sa.String(200), nullable=False),
        sa.Column("near_duplicate_group", sa.String(80)),
        sa.Column("restricted", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("artifact_sha256", "locator", name="uq_documents_artifact_locator"),
    )
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_table(
        "custody",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("time", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(60), nullable=False),
        sa.Column("object_id", sa.String(200), nullable=False),
        sa.Column("object_hash", sa.String(200)),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False, unique=True),
    )
    op.create_index("ix_custody_object", "custody", ["object_id"])
    op.create_table(
        "checkpoints",
        sa.Column("size", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("root", sa.String(64), nullable=False),
        sa.Column("time", sa.String(40), nullable=False),
        sa.Column("signature", sa.String(128), nullable=False),
        sa.Column("key_id", sa.String(32), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("checkpoints")
    op.drop_index("ix_custody_object", "custody")
    op.drop_table("custody")
    op.drop_index("ix_documents_published", "documents")
    op.drop_table("documents")
    op.drop_table("artifacts")
