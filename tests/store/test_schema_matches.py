"""The SQLAlchemy models (store/tables.py, store/accounts_tables.py) match the migrated schema.

A fresh database is migrated with Alembic to head, then Alembic's own
autogenerate comparison (``compare_metadata``) lists every difference from the
models: tables, columns, types (Alembic's loose comparison: VARCHAR(40) is
String(40)), nullability, indexes and unique constraints. The list must be
empty, so a migration without its model (or a model without its migration) fails.

Left out on purpose, because they are each backend's search machinery and not
part of the portable model (store/search.py reads them by hand): SQLite's FTS5
tables and their shadow tables (migrations 0004 and 0008), and PostgreSQL's
generated ``search`` tsvector columns with their GIN indexes (migration 0011).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Column, Index, MetaData, String

from databases import home_database_url
from dossier.store import accounts_tables  # noqa: F401  (registers its tables on metadata)
from dossier.store.database import make_engine, migrate
from dossier.store.tables import metadata

# SQLite FTS5: the virtual table and the shadow tables FTS5 makes for it.
FTS_TABLES = ("documents_fts", "document_forms_fts", "incidents_fts")
FTS_SHADOWS = ("_config", "_content", "_data", "_docsize", "_idx")
# PostgreSQL full-text search: a generated column per searched table, and its index.
SEARCH_COLUMNS = {("documents", "search"), ("document_forms", "search"), ("incidents", "search")}
SEARCH_INDEXES = {"ix_documents_search", "ix_document_forms_search", "ix_incidents_search"}


def _search_machinery(obj: Any, name: str | None, type_: str, reflected: bool, _: Any) -> bool:
    """False for the backend-specific search objects that the models leave out."""
    if not reflected:
        return True
    if type_ == "table":
        return not any(name == t or name in {t + s for s in FTS_SHADOWS} for t in FTS_TABLES)
    if type_ == "column":
        return (obj.table.name, name) not in SEARCH_COLUMNS
    if type_ == "index":
        return name not in SEARCH_INDEXES
    return True


def _differences(url: str, models: MetaData) -> list[Any]:
    engine = make_engine(url)
    try:
        migrate(engine)
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn,
                opts={"compare_type": True, "include_object": _search_machinery},
            )
            return list(compare_metadata(context, models))
    finally:
        engine.dispose()


@pytest.fixture
def url(home: Path) -> str:
    home.mkdir()
    return home_database_url(home)


def test_models_match_the_migrated_schema(url: str) -> None:
    diff = _differences(url, metadata)
    assert diff == [], (
        "store/tables.py or store/accounts_tables.py differs from the migrations "
        f"(fix the model, or add a migration): {diff}"
    )


def test_the_comparison_sees_a_model_the_migrations_lack(url: str) -> None:
    # A copy of the models with one column and one index more than any migration made:
    # the same comparison must report both, so the test above can fail.
    models = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(models)
    documents = models.tables["documents"]
    documents.append_column(Column("unmigrated", String(10), nullable=False))
    Index("ix_documents_unmigrated", documents.c.unmigrated)
    found = {(d[0], getattr(d[-1], "name", None)) for d in _differences(url, models)}
    assert ("add_column", "unmigrated") in found
    assert ("add_index", "ix_documents_unmigrated") in found
