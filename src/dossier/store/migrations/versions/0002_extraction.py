"""Extraction runs and their events, one run per document and pipeline version.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "extraction_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(80), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("pipeline", sa.String(60), nullable=False),
        sa.Column("status", sa.String(200), nullable=False),
        sa.Column("analysis", sa.Text, nullable=False),
        sa.Column("analysis_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.UniqueConstraint("document_id", "pipeline", name="uq_extraction_runs_document_pipeline"),
    )
    op.create_table(
        "events",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("pipeline", sa.String(60), primary_key=True),
        sa.Column("run_id", sa.Integer, sa.ForeignKey("extraction_runs.id"), nullable=False),
        sa.Column("document_id", sa.String(80), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("place_name", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("country", sa.String(8)),
        sa.Column("admin1", sa.Text),
        sa.Column("time_start", sa.String(40)),
        sa.Column("time_end", sa.String(40)),
        sa.Column("perpetrator_side", sa.String(8)),
        sa.Column("record", sa.Text, nullable=False),
    )
    op.create_index("ix_events_document", "events", ["document_id"])
    op.create_index("ix_events_pipeline", "events", ["pipeline"])


def downgrade() -> None:
    op.drop_table("events")
    op.drop_table("extraction_runs")
