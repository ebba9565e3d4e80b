"""Ingest: preserve originals as artifacts and turn them into documents.

One module per input format (text, HTML, WARC, JSON Lines, feeds), page
furniture removal, and the runner that writes artifacts, documents and
custody entries.
"""

from .runner import FileResult, IngestOptions, document_id, ingest_paths

__all__ = ["FileResult", "IngestOptions", "document_id", "ingest_paths"]
