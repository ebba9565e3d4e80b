"""The ingest stage's runner: preserve each input, then store its documents.

Order matters for evidence: the original bytes go to the artifact store
first (atomic, write-once), then the artifact row and its ``acquired``
custody entry in one transaction, then each document with its ``ingested``
entry in a transaction of its own. A run killed at any point leaves nothing
half-written, and running it again completes it: present rows are skipped,
missing ones are added.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import py3langid

from ..errors import InputError, MalformedInput, StoreError
from ..evidence.custody import utc_now
from ..store import custody_log, documents
from ..store.database import Store
from ..store.documents import ArtifactRow
from .draft import DocumentDraft, Parsed
from .formats import reader_for
from .inputs import InputFile, expand, open_input, read_all

log = logging.getLogger(__name__)
STAGE = "ingest.v1"


@dataclass(frozen=True)
class IngestOptions:
    publisher: str | None = None
    published: str | None = None
    url: str | None = None
    restricted: bool = False
    follow_links: bool = False


@dataclass
class FileResult:
    path: str
    artifact: str | None = None
    new: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    skipped: str | None = None  # "<path>: <why>" for a path left alone on purpose
    link_target: str | None = None

    @property
    def status(self) -> str:
        if self.skipped:
            return "skipped"
        if self.failures and not (self.new or self.present):
            return "failed"
        if self.failures:
            return "partial"
        return "new" if self.new else "present"

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "status": self.status,
            "artifact": None if self.artifact is None else f"sha256:{self.artifact}",
            "new_documents": self.new,
            "present_documents": self.present,
            "errors": self.failures,
            "skipped": self.skipped,
            "link_target": self.link_target,
        }


def ingest_paths(
    store: Store,
    paths: Iterable[str],
    options: IngestOptions = IngestOptions(),
    on_file: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Ingest every input under ``paths``; one bad input never stops the rest."""
    results = []
    for entry in expand(paths, follow_links=options.follow_links, home=store.settings.home):
        if entry.skipped:
            result = FileResult(entry.name, skipped=f"{entry.name}: {entry.skipped}")
        elif entry.path is None:
            result = FileResult(entry.name, failures=[f"{entry.name}: {entry.problem}"])
        else:
            result = ingest_file(store, entry, options)
        results.append(result)
        if on_file:
            on_file(result)
    custody_log.checkpoint(store, force=True)
    return results


def ingest_file(store: Store, entry: InputFile, options: IngestOptions) -> FileResult:
    name = entry.name
    result = FileResult(name, link_target=entry.link_target)
    cap = store.settings.max_input_bytes
    try:
        fh, st = open_input(entry)
        with fh:
            if st.st_size > cap:
                # Too large to read, never too large to keep: streamed into the
                # artifact store, recorded as rejected with the reason.
                try:
                    sha, size = store.artifacts.put_stream(fh)
                except OSError as exc:  # the store cannot take it (disk full): fatal, as put()
                    raise StoreError(
                        f"{store.settings.artifacts_dir}: cannot store {name} "
                        f"({exc.strerror or exc})"
                    ) from exc
                reason = (
                    f"{name}: {size} bytes is over the {cap}-byte limit "
                    "(DOSSIER_MAX_INPUT_BYTES); preserved, not read"
                )
                result.artifact = sha
                result.failures.append(reason)
                _record_artifact(
                    store, sha, size, _guess_media_type(name), entry, options, "rejected", [reason]
                )
                return result
            data = read_all(fh, st, name)
    except InputError as exc:
        result.failures.append(str(exc))
        return result
    except OSError as exc:
        result.failures.append(f"{name}: unreadable ({exc.strerror or exc})")
        return result

    sha = store.artifacts.put(data)
    result.artifact = sha
    parsed: Parsed | None = None
    try:
        parsed = reader_for(name, data)(data, name, cap)
        _drop_undated(parsed, name, options)
        failures = [str(f) for f in parsed.failures]
        # A file that yields no document is still preserved, as a rejected artifact.
        kind = "container" if parsed.container else "document"
        status = kind if parsed.drafts else "rejected"
        media_type = parsed.media_type
    except InputError as exc:
        failures = [str(exc)]
        status, media_type = "rejected", _guess_media_type(name)
    result.failures.extend(failures)
    _record_artifact(store, sha, len(data), media_type, entry, options, status, failures)

    for draft in parsed.drafts if parsed else []:
        try:
            doc_id, is_new = _store_document(store, sha, draft, options)
        except InputError as exc:
            result.failures.append(str(exc))
            continue
        (result.new if is_new else result.present).append(doc_id)
    return result


def _drop_undated(parsed: Parsed, name: str, options: IngestOptions) -> None:
    """Turn drafts whose date cannot be read into failures naming file and record.

    Done before the artifact row is written, so its status and reason say so too;
    found only while storing, the error named the document hash instead of the file.
    """
    kept = []
    for draft in parsed.drafts:
        if draft.locator.startswith("line:"):
            where = f"{name}:{draft.locator[5:]}"
        else:
            where = f"{name} {draft.locator}".strip()
        try:
            normalise_date(draft.published or options.published, where)
        except InputError as exc:
            parsed.failures.append(exc)
            continue
        kept.append(draft)
    parsed.drafts = kept


def _record_artifact(
    store: Store,
    sha: str,
    size: int,
    media_type: str,
    entry: InputFile,
    options: IngestOptions,
    status: str,
    failures: list[str],
) -> None:
    reason = "; ".join(failures) or None
    # The path as given, never only where a link led: custody names both.
    source_path = os.path.abspath(entry.name)
    row = ArtifactRow(
        sha256=sha,
        media_type=media_type,
        size=size,
        acquired_at=utc_now(),
        acquired_by=store.settings.who,
        source_path=source_path,
        source_url=options.url,
        status=status,
        reason=reason,
    )
    detail: dict[str, Any] = {"source_path": source_path, "media_type": media_type, "size": size}
    if entry.link_target:
        detail["link_target"] = entry.link_target
    if reason:
        detail["rejected"] = failures
    documents.record_artifact(store, row, detail)


def document_id(artifact_sha: str, locator: str) -> str:
    """A document's id: its artifact's hash, or a hash of artifact and locator in a container."""
    if not locator:
        return f"sha256:{artifact_sha}"
    return "sha256:" + hashlib.sha256(f"{artifact_sha}#{locator}".encode()).hexdigest()


def _store_document(
    store: Store, sha: str, draft: DocumentDraft, options: IngestOptions
) -> tuple[str, bool]:
    doc_id = document_id(sha, draft.locator)
    if documents.has_document(store, doc_id):
        return doc_id, False
    text = draft.text
    published = normalise_date(draft.published or options.published, f"{doc_id} published")
    text_sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    row = {
        "id": doc_id,
        "artifact_sha256": sha,
        "locator": draft.locator,
        "text": text,
        "text_sha256": text_sha,
        "title": draft.title,
        "url": draft.url or options.url,
        "publisher": draft.publisher or options.publisher,
        "author": draft.author,
        "published": published,
        "language": draft.language or detect_language(text),
        "status": "; ".join(("ok", *draft.notes))[:200],
        "restricted": options.restricted,
        "created_at": utc_now(),
    }
    detail = {
        "stage": STAGE,
        "artifact": f"sha256:{sha}",
        "locator": draft.locator,
        "removed_furniture": list(draft.removed_furniture),
        **({"notes": list(draft.notes)} if draft.notes else {}),
    }
    return doc_id, documents.add_document(store, row, detail)


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, None when there are too few letters to tell."""
    sample = text[:5000]
    if sum(ch.isalpha() for ch in sample) < 20:
        return None
    lang, _score = py3langid.classify(sample)
    return str(lang)


def normalise_date(value: str | None, what: str) -> str | None:
    """An ISO date (YYYY-MM-DD) from an ISO date or datetime string."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        pass
    import dateparser

    parsed: datetime | None = dateparser.parse(
        value, languages=["en"], settings={"STRICT_PARSING": True}
    )
    if parsed is None:
        raise MalformedInput(what, f"cannot read the date {value!r}; give it as YYYY-MM-DD")
    return parsed.date().isoformat()


def _guess_media_type(name: str) -> str:
    lower = name.lower()
    for suffix, mt in (
        (".html", "text/html"),
        (".htm", "text/html"),
        (".txt", "text/plain"),
        (".jsonl", "application/jsonl"),
        (".warc.gz", "application/warc"),
        (".warc", "application/warc"),
        (".xml", "application/xml"),
        (".rss", "application/rss+xml"),
        (".atom", "application/atom+xml"),
    ):
        if lower.endswith(suffix):
            return mt
    return "application/octet-stream"
