"""What the custody log hashes of a record beyond its bytes: the fields that matter.

An artifact's ``acquired`` (and ``reassessed``) entry carries ``record_sha256``
over where, when and by whom it was acquired and what became of it; a
document's ``ingested`` entry carries ``metadata_sha256`` over its metadata as
recorded (title, url, publisher, published, language, the restricted flag…).
``dossier verify`` recomputes both from the current rows and compares them
with the latest entry, so a changed field is caught unless the change is its
own custody entry. The field lists are versioned by name: adding a field is a
new key (``metadata_v2_sha256``), never a silent change of an old one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .canonical import hash_value

ARTIFACT_FIELDS = (
    "media_type",
    "size",
    "acquired_at",
    "acquired_by",
    "source_path",
    "source_url",
    "status",
    "reason",
)
DOCUMENT_FIELDS = (
    "artifact_sha256",
    "locator",
    "title",
    "url",
    "publisher",
    "author",
    "published",
    "language",
    "status",
    "restricted",
)


def artifact_record_hash(row: Mapping[Any, Any]) -> str:
    """The hash of an artifact row's recorded fields (``ARTIFACT_FIELDS``)."""
    return hash_value({k: row.get(k) for k in ARTIFACT_FIELDS})


def document_metadata_hash(row: Mapping[Any, Any]) -> str:
    """The hash of a document row's metadata (``DOCUMENT_FIELDS``; restricted as a boolean)."""
    values = {k: row.get(k) for k in DOCUMENT_FIELDS}
    values["restricted"] = bool(values["restricted"])
    return hash_value(values)


def members_hash(members: Iterable[tuple[str, str, str, str]]) -> str:
    """The hash of corroboration membership rows (incident, event, pipeline, document)."""
    return hash_value([list(m) for m in sorted(set(members))])
