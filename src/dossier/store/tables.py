"""The metadata database's tables, as portable SQLAlchemy Core.

Only ``store/`` speaks SQL. Types are chosen to mean the same on SQLite and
PostgreSQL; SQLite-only features (FTS5) live in ``store/search.py``.
The schema itself is created and changed only by the Alembic migrations in
``store/migrations``; these objects describe it for queries. On PostgreSQL
documents, document_forms and incidents also have a generated ``search``
tsvector column (migration 0011); only ``store/search.py`` reads it, by
name, so it is not declared here (SQLite has no such column).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

artifacts = Table(
    "artifacts",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("media_type", String(200), nullable=False),
    Column("size", Integer, nullable=False),
    Column("acquired_at", String(40), nullable=False),
    Column("acquired_by", String(200), nullable=False),
    Column("source_path", Text),
    Column("source_url", Text),
    Column("status", String(20), nullable=False),  # document | container | rejected
    Column("reason", Text),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("artifact_sha256", String(64), ForeignKey("artifacts.sha256"), nullable=False),
    Column("locator", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("text_sha256", String(64), nullable=False),
    Column("title", Text),
    Column("url", Text),
    Column("publisher", Text),
    Column("author", Text),
    Column("published", String(40)),
    Column("language", String(16)),
    Column("status", String(200), nullable=False),
    Column("near_duplicate_group", String(80)),
    Column("restricted", Boolean, nullable=False, default=False),
    Column("created_at", String(40), nullable=False),
    UniqueConstraint("artifact_sha256", "locator", name="uq_documents_artifact_locator"),
)
Index("ix_documents_published", documents.c.published)

# Lemmas and transliterations of a Cyrillic document's words, for search (migration 0008).
document_forms = Table(
    "document_forms",
    metadata,
    Column("document_id", String(80), ForeignKey("documents.id"), primary_key=True),
    Column("forms", Text, nullable=False),
)

custody = Table(
    "custody",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("time", String(40), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(60), nullable=False),
    Column("object_id", String(200), nullable=False),
    Column("object_hash", String(200)),
    Column("detail", Text, nullable=False),  # canonical JSON
    Column("prev_hash", String(64), nullable=False),
    Column("entry_hash", String(64), nullable=False, unique=True),
)
Index("ix_custody_object", custody.c.object_id)

checkpoints = Table(
    "checkpoints",
    metadata,
    Column("size", Integer, primary_key=True, autoincrement=False),
    Column("root", String(64), nullable=False),
    Column("time", String(40), nullable=False),
    Column("signature", String(128), nullable=False),
    Column("key_id", String(32), nullable=False),
)

# RFC 3161 tokens over checkpoints, asked for after each commits (migration 0013).
checkpoint_timestamps = Table(
    "checkpoint_timestamps",
    metadata,
    Column("size", Integer, ForeignKey("checkpoints.size"), primary_key=True, autoincrement=False),
    Column("tsa", Text, nullable=False),
    Column("gen_time", String(40), nullable=False),
    Column("token", Text, nullable=False),  # base64 of the TimeStampResp DER
)

# The Merkle frontier of the custody log: a cache for signing checkpoints (migration 0007).
custody_frontier = Table(
    "custody_frontier",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    Column("size", Integer, nullable=False),
    Column("last_hash", String(64), nullable=False),
    Column("nodes", Text, nullable=False),  # JSON [[height, hex], ...], largest subtree first
)

# --- extraction (migration 0002) ----------------------------------------------

extraction_runs = Table(
    "extraction_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", String(80), ForeignKey("documents.id"), nullable=False),
    Column("pipeline", String(60), nullable=False),
    Column("status", String(200), nullable=False),
    Column("analysis", Text, nullable=False),  # canonical JSON of the Analysis
    Column("analysis_sha256", String(64), nullable=False),
    Column("created_at", String(40), nullable=False),
    UniqueConstraint("document_id", "pipeline", name="uq_extraction_runs_document_pipeline"),
)

events = Table(
    "events",
    metadata,
    Column("id", String(80), primary_key=True),
    Column("pipeline", String(60), primary_key=True),
    Column("run_id", Integer, ForeignKey("extraction_runs.id"), nullable=False),
    Column("document_id", String(80), ForeignKey("documents.id"), nullable=False),
    Column("type", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("place_name", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(8)),
    Column("admin1", Text),
    Column("time_start", String(40)),
    Column("time_end", String(40)),
    Column("perpetrator_side", String(8)),
    Column("record", Text, nullable=False),  # canonical JSON of the Event
    Column("subtype", String(20)),  # a detention's subtype (migration 0010)
)
Index("ix_events_document", events.c.document_id)
Index("ix_events_pipeline", events.c.pipeline)

# --- corroboration and review (migration 0003) --------------------------------------

incidents = Table(
    "incidents",
    metadata,
    Column("id", String(40), primary_key=True),
    Column("type", String(40), nullable=False),
    Column("types", Text, nullable=False),  # JSON list
    Column("place_name", Text),
    Column("lat", Float),
    Column("lon", Float),
    Column("country", String(8)),
    Column("admin1", Text),
    Column("precision", String(20)),
    Column("time_start", String(40)),
    Column("time_end", String(40)),
    Column("perpetrator_side", String(8)),
    Column("grade", String(30), nullable=False),
    Column("independent_sources", Integer, nullable=False),
    Column("contested", Boolean, nullable=False),
    Column("fatalities", Integer),
    Column("first_report", String(40)),
    Column("last_report", String(40)),
    Column("record", Text, nullable=False),  # canonical JSON of the incidents --json contract
    Column("updated_at", String(40), nullable=False),
)
Index("ix_incidents_time", incidents.c.time_start)
Index("ix_incidents_country", incidents.c.country, incidents.c.admin1)
# The list's sort orders and filters (migration 0005).
Index("ix_incidents_time_id", incidents.c.time_start, incidents.c.id)
Index("ix_incidents_sources", incidents.c.independent_sources, incidents.c.id)
Index("ix_incidents_fatalities", incidents.c.fatalities, incidents.c.id)
Index("ix_incidents_grade", incidents.c.grade)
Index("ix_incidents_side", incidents.c.perpetrator_side)
Index("ix_incidents_latlon", incidents.c.lat, incidents.c.lon)
# the list filters' columns keyed by id: a filter by id set reads no JSON record (0012)
Index(
    "ix_incidents_narrow",
    *(
        incidents.c[name]
        for name in (
            "id",
            "time_start",
            "time_end",
            "first_report",
            "last_report",
            "independent_sources",
            "fatalities",
            "country",
            "admin1",
            "perpetrator_side",
            "grade",
            "lat",
            "lon",
        )
    ),
)

# One row per type an incident's reports gave (migration 0005).
incident_types = Table(
    "incident_types",
    metadata,
    Column("type", String(40), primary_key=True),
    Column("incident_id", String(40), primary_key=True),
)

incident_events = Table(
    "incident_events",
    metadata,
    Column("incident_id", String(40), primary_key=True),
    Column("event_id", String(80), primary_key=True),
    Column("pipeline", String(60), primary_key=True),
    Column("document_id", String(80), nullable=False),
)
Index("ix_incident_events_event", incident_events.c.event_id)
Index("ix_incident_events_document", incident_events.c.document_id)

judgements = Table(
    "judgements",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("left_id", String(80), nullable=False),
    Column("right_id", String(80), nullable=False),
    Column("user", String(200), nullable=False),
    Column("time", String(40), nullable=False),
    Column("reason", Text),
)

incident_reviews = Table(
    "incident_reviews",
    metadata,
    Column("incident_id", String(40), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("assigned_to", String(200)),
    Column("flags", Text, nullable=False, default="[]"),
    Column("edits", Text, nullable=False, default="{}"),
    Column("updated_at", String(40), nullable=False),
    Column("updated_by", String(200), nullable=False),
)
Index("ix_incident_reviews_assigned", incident_reviews.c.assigned_to)  # migration 0004

# The Corroborator's state (links and clusters as JSON), one row per
# (extraction pipeline, corroboration version); ``revision`` counts saves, so
# two runs cannot both save over one state unseen.
corroboration_state = Table(
    "corroboration_state",
    metadata,
    Column("pipeline", String(80), primary_key=True),
    Column("version", String(40), primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("data", Text, nullable=False),
    Column("updated_at", String(40), nullable=False),
)

# --- shared work and web state (migration 0014) --------------------------------------

# A pending document claimed by one extract worker until ``expires_at`` (UTC ISO).
extraction_leases = Table(
    "extraction_leases",
    metadata,
    Column("document_id", String(80), primary_key=True),
    Column("pipeline", String(60), primary_key=True),
    Column("worker", String(200), nullable=False),
    Column("expires_at", String(40), nullable=False),
)
Index("ix_extraction_leases_worker", extraction_leases.c.worker)

# The session-signing secret every web worker shares (one row, id 1).
web_secret = Table(
    "web_secret",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("secret", Text, nullable=False),
    Column("created_at", String(40), nullable=False),
)

# One row per failed login and key: (address, name) and (address, "*"); ``time`` in epoch s.
login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("address", String(100), nullable=False),
    Column("name", String(200), nullable=False),
    Column("time", Float, nullable=False),
)
Index(
    "ix_login_failures_key", login_failures.c.address, login_failures.c.name, login_failures.c.time
)
Index("ix_login_failures_time", login_failures.c.time)
