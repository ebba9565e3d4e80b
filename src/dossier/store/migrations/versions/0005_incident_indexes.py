"""Indexes for the incident list's filters and sorts, and one row per incident type.

The type filter matches any of an incident's types; a table of (incident,
type) lets the database use an index instead of scanning JSON text.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# Each sort column with the id as tie-breaker, so a sorted page is an index walk.
INDEXES = {
    "ix_incidents_time_id": ["time_start", "id"],
    "ix_incidents_sources": ["independent_sources", "id"],
    "ix_incidents_fatalities": ["fatalities", "id"],
    "ix_incidents_grade": ["grade"],
    "ix_incidents_side": ["perpetrator_side"],
    "ix_incidents_latlon": ["lat", "lon"],
}


def upgrade() -> None:
    op.create_table(
        "incident_types",
        sa.Column("incident_id", sa.String(40), nullable=False),
        sa.Column("type", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("type", "incident_id"),
    )
    # Incidents stored before this revision: one row per type in their JSON list.
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, types FROM incidents")).all()
    import json

    values = [{"i": r[0], "t": t} for r in rows for t in sorted(set(json.loads(r[1])))]
    if values:
        conn.execute(sa.text("INSERT INTO incident_types VALUES (:i, :t)"), values)
    for name, cols in INDEXES.items():
        op.create_index(name, "incidents", cols)


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, "incidents")
    op.drop_table("incident_types")
