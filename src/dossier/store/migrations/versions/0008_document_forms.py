"""Search forms of Ukrainian and Russian documents: lemmas and transliterations.

``document_forms`` holds, per document, the words search should also match
("буча" for "у Бучі", "bucha" for "Буча"); on SQLite an FTS5 index over it is
kept in step by triggers, like ``documents_fts``.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

FTS = [
    "CREATE VIRTUAL TABLE document_forms_fts USING fts5(document_id UNINDEXED, forms,"
    " tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER document_forms_fts_ai AFTER INSERT ON document_forms BEGIN"
    " INSERT INTO document_forms_fts(rowid, document_id, forms)"
    " VALUES (new.rowid, new.document_id, new.forms); END",
    "CREATE TRIGGER document_forms_fts_ad AFTER DELETE ON document_forms BEGIN"
    " DELETE FROM document_forms_fts WHERE rowid = old.rowid; END",
]


def upgrade() -> None:
    op.create_table(
        "document_forms",
        sa.Column("document_id", sa.String(80), sa.ForeignKey("documents.id"), primary_key=True),
        sa.Column("forms", sa.Text, nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        for statement in FTS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS document_forms_fts")
    op.drop_table("document_forms")
