"""Ingest: preserve originals as artifacts and turn them into documents.

One module per input format (text, HTML, WARC, JSON Lines, feeds), page
furniture removal, and the runner that writes artifacts, documents and
custody entries; ``read_file`` reads a file into documents without a store
(``dossier analyze``).
"""

from .reading import read_file
from .runner import FileResult, IngestOptions, document_id, ingest_paths

__all__ = ["FileResult", "IngestOptions", "document_id", "ingest_paths", "read_file"]
