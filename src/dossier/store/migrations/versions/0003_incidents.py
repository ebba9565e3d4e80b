"""Incidents (derived by corroboration), their events, analysts' judgements and reviews.

Incidents and incident_events are recomputed by ``dossier corroborate``;
judgements and incident_reviews hold analysts' decisions and are never
rewritten by it, so decisions survive re-clustering.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.String(40), primary_key=True),
        sa.Column("type", sa.String(40), nullable=False),
        sa.Column("types", sa.Text, nullable=False),
        sa.Column("place_name", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("country", sa.String(8)),
        sa.Column("admin1", sa.Text),
        sa.Column("precision", sa.String(20)),
        sa.Column("time_start", sa.String(40)),
        sa.Column("time_end", sa.String(40)),
        sa.Column("perpetrator_side", sa.String(8)),
        sa.Column("grade", sa.String(30), nullable=False),
        sa.Column("independent_sources", sa.Integer, nullable=False),
        sa.Column("contested", sa.Boolean, nullable=False),
        sa.Column("fatalities", sa.Integer),
        sa.Column("first_report", sa.String(40)),
        sa.Column("last_report", sa.String(40)),
        sa.Column("record", sa.Text, nullable=False),
        sa.Column("updated_at", sa.String(40), nullable=False),
    )
    op.create_index("ix_incidents_time", "incidents", ["time_start"])
    op.create_index("ix_incidents_country", "incidents", ["country", "admin1"])
    op.create_table(
        "incident_events",
        sa.Column("incident_id", sa.String(40), nullable=False),
        sa.Column("event_id", sa.String(80), nullable=False),
        sa.Column("pipeline", sa.String(60), nullable=False),
        sa.Column("document_id", sa.String(80), nullable=False),
        sa.PrimaryKeyConstraint("incident_id", "event_id", "pipeline"),
    )
    op.create_index("ix_incident_events_event", "incident_events", ["event_id"])
    op.create_index("ix_incident_events_document", "incident_events", ["document_id"])
    op.create_table(
        "judgements",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),  # positive | negative | unsure
        sa.Column("left_id", sa.String(80), nullable=False),  # event id
        sa.Column("right_id", sa.String(80), nullable=False),  # event id
        sa.Column("user", sa.String(200), nullable=False),
        sa.Column("time", sa.String(40), nullable=False),
        sa.Column("reason", sa.Text),
    )
    op.create_table(
        "incident_reviews",
        sa.Column("incident_id", sa.String(40), primary_key=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("assigned_to", sa.String(200)),
        sa.Column("flags", sa.Text, nullable=False, server_default="[]"),
        sa.Column("edits", sa.Text, nullable=False, server_default="{}"),
        sa.Column("updated_at", sa.String(40), nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("incident_reviews")
    op.drop_table("judgements")
    op.drop_table("incident_events")
    op.drop_table("incidents")
