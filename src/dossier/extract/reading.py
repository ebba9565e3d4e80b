"""Read files for ``dossier analyze``: ingest's readers (``ingest.read_file``), without a store."""

from __future__ import annotations

from pathlib import Path

from ..config import Settings
from ..ingest import read_file
from ..records import DocumentMeta


def read_documents(
    path: Path, *, published: str | None = None, publisher: str | None = None
) -> list[tuple[str, DocumentMeta]]:
    """(clean text, metadata) for every document in the file at ``path``."""
    cap = Settings().max_input_bytes
    return read_file(path, max_bytes=cap, published=published, publisher=publisher)
