"""Full-text search on PostgreSQL: accent-folded tsvector columns with GIN indexes.

SQLite keeps its FTS5 tables (0004, 0008); on PostgreSQL, documents (title,
publisher, text), their search forms and incidents get a stored generated
``search`` column, ``to_tsvector('simple', dossier_unaccent(...))``, with a GIN
index, so search is ranked and paged in SQL. The 'simple' configuration keeps
every word as written (lower-cased): no English stemming of Ukrainian or
Russian. Incidents index their human fields (type, types, place, region,
country, perpetrator, harm kinds and categories, who denies), never the raw
JSON, whose keys ("precision", "grade") would match every incident.
On SQLite the FTS5 index of incidents is rebuilt over the same human fields
(it indexed the raw JSON too). ``dossier_unaccent`` folds accents ("Kyïv"
finds "Kyiv") with the unaccent extension; where it cannot be installed it
is the identity, and search works without folding. A document's text is
indexed up to 200,000 characters (the analysed length; a tsvector holds at
most 1 MB).

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

UNACCENT = (
    "CREATE OR REPLACE FUNCTION dossier_unaccent(text) RETURNS text"
    " LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
    " AS $$ SELECT {schema}.unaccent('{schema}.unaccent'::regdictionary, $1) $$"
)
IDENTITY = (
    "CREATE OR REPLACE FUNCTION dossier_unaccent(text) RETURNS text"
    " LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS $$ SELECT $1 $$"
)
INCIDENT_TEXT = (
    "coalesce(type, '') || ' ' || coalesce(place_name, '') || ' ' || coalesce(admin1, '')"
    " || ' ' || coalesce(country, '')"
    " || ' ' || coalesce(jsonb_path_query_array(record::jsonb, '$.types[*]')::text, '')"
    " || ' ' || coalesce(record::jsonb #>> '{place,name}', '')"
    " || ' ' || coalesce(record::jsonb #>> '{perpetrator,text}', '')"
    " || ' ' || coalesce(jsonb_path_query_array(record::jsonb, '$.harm[*].kind')::text, '')"
    " || ' ' || coalesce(jsonb_path_query_array(record::jsonb, '$.harm[*].category')::text, '')"
    " || ' ' || coalesce(jsonb_path_query_array(record::jsonb, '$.denied_by[*].text')::text, '')"
)
COLUMNS = [
    (
        "documents",
        "setweight(to_tsvector('simple', dossier_unaccent(coalesce(title, '')"
        " || ' ' || coalesce(publisher, ''))), 'A')"
        " || to_tsvector('simple', dossier_unaccent(left(text, 200000)))",
    ),
    ("document_forms", "to_tsvector('simple', dossier_unaccent(forms))"),
    ("incidents", f"to_tsvector('simple', dossier_unaccent({INCIDENT_TEXT}))"),
]


SQLITE_BODY = (
    "{r}type || ' ' || coalesce({r}place_name, '') || ' ' || coalesce({r}admin1, '')"
    " || ' ' || coalesce({r}country, '')"
    " || ' ' || coalesce((SELECT group_concat(value, ' ')"
    " FROM json_each({r}record, '$.types')), '')"
    " || ' ' || coalesce(json_extract({r}record, '$.perpetrator.text'), '')"
    " || ' ' || coalesce((SELECT group_concat(coalesce(json_extract(value, '$.kind'), '') || ' '"
    " || coalesce(json_extract(value, '$.category'), ''), ' ')"
    " FROM json_each({r}record, '$.harm')), '')"
    " || ' ' || coalesce((SELECT group_concat(json_extract(value, '$.text'), ' ')"
    " FROM json_each({r}record, '$.denied_by')), '')"
)
SQLITE_OLD = (
    "{r}type || ' ' || coalesce({r}place_name,'') || ' ' || coalesce({r}admin1,'')"
    " || ' ' || {r}record"
)
SQLITE_FTS = [
    "DROP TRIGGER IF EXISTS incidents_fts_ai",
    "DELETE FROM incidents_fts",
    "INSERT INTO incidents_fts(rowid, incident_id, body) SELECT rowid, id, {body} FROM incidents",
    "CREATE TRIGGER incidents_fts_ai AFTER INSERT ON incidents BEGIN"
    " INSERT INTO incidents_fts(rowid, incident_id, body) VALUES (new.rowid, new.id, {new}); END",
]


def _sqlite(body: str) -> None:
    for statement in SQLITE_FTS:
        op.execute(statement.format(body=body.format(r=""), new=body.format(r="new.")))


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite(SQLITE_BODY)
        return
    if bind.dialect.name != "postgresql":
        return
    schema = None
    try:
        with bind.begin_nested():
            op.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        schema = bind.exec_driver_sql(
            "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n"
            " ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'"
        ).scalar()
    except Exception:  # not installed on the server, or no right to create it
        schema = None
    op.execute(UNACCENT.format(schema=schema) if schema else IDENTITY)
    for table, expression in COLUMNS:
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN search tsvector"
            f" GENERATED ALWAYS AS ({expression}) STORED"
        )
        op.execute(f"CREATE INDEX ix_{table}_search ON {table} USING gin (search)")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _sqlite(SQLITE_OLD)
        return
    if bind.dialect.name != "postgresql":
        return
    for table, _ in COLUMNS:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search")
        op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search")
    op.execute("DROP FUNCTION IF EXISTS dossier_unaccent(text)")
