"""Read files for ``dossier analyze``: the same readers as ingest, without a store."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..config import Settings
from ..errors import InputError, MalformedInput
from ..ingest.formats import reader_for
from ..ingest.inputs import InputFile, open_input, read_all
from ..ingest.runner import detect_language, document_id, normalise_date
from ..records import DocumentMeta


def read_documents(
    path: Path, *, published: str | None = None, publisher: str | None = None
) -> list[tuple[str, DocumentMeta]]:
    """(clean text, metadata) for every document in the file at ``path``."""
    name = str(path)
    cap = Settings().max_input_bytes
    try:
        # Opened as ingest opens files: a FIFO is refused, not waited on for ever.
        fh, st = open_input(InputFile(name, path=path.resolve()))
        with fh:
            if st.st_size > cap:
                raise MalformedInput(name, f"over the {cap}-byte limit (DOSSIER_MAX_INPUT_BYTES)")
            data = read_all(fh, st, name)
    except OSError as exc:
        raise InputError(name, f"unreadable ({exc.strerror or exc})") from exc
    parsed = reader_for(name, data)(data, name, cap)
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
