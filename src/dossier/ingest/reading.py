"""Read one input file into documents without a store: what ``dossier analyze`` reads.

The same readers, limits, document ids, dates and language detection as
``ingest_paths``; nothing is preserved and nothing is written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import InputError, MalformedInput
from ..records import DocumentMeta
from .formats import reader_for
from .inputs import InputFile, open_input, read_all
from .runner import detect_language, document_id, normalise_date


def read_file(
    path: Path, *, max_bytes: int, published: str | None = None, publisher: str | None = None
) -> list[tuple[str, DocumentMeta]]:
    """(clean text, metadata) for every document in the file at ``path``.

    ``published`` and ``publisher`` fill in what a document does not say itself.
    A file over ``max_bytes``, unreadable or malformed raises ``InputError``
    naming it; a container whose every document failed raises the first failure.
    """
    name = str(path)
    try:
        # Opened as ingest opens files: a FIFO is refused, not waited on for ever.
        fh, st = open_input(InputFile(name, path=path.resolve()))
        with fh:
            if st.st_size > max_bytes:
                raise MalformedInput(
                    name, f"over the {max_bytes}-byte limit (DOSSIER_MAX_INPUT_BYTES)"
                )
            data = read_all(fh, st, name)
    except OSError as exc:
        raise InputError(name, f"unreadable ({exc.strerror or exc})") from exc
    parsed = reader_for(name, data)(data, name, max_bytes)
    sha = hashlib.sha256(data).hexdigest()
    items = []
    for draft in parsed.drafts:
        meta = DocumentMeta(
            id=document_id(sha, draft.locator),
            title=draft.title,
            published=normalise_date(draft.published, name) or published,
            publisher=draft.publisher or publisher,
            language=draft.language or detect_language(draft.text),
            url=draft.url,
        )
        items.append((draft.text, meta))
    if not items and parsed.failures:
        raise parsed.failures[0]
    return items
