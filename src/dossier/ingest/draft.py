"""What a format reader returns: documents to store and records it could not read."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..errors import InputError


@dataclass(frozen=True)
class DocumentDraft:
    """One article found in an input, before it is stored."""

    text: str
    locator: str = ""  # "" for a whole file; "line:3", "record:2", "entry:5" inside a container
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    removed_furniture: tuple[str, ...] = ()
    language: str | None = None  # given by the input; detected when None
    notes: tuple[str, ...] = ()  # how the text was read, when not the usual way


@dataclass
class Parsed:
    """Everything one input yielded: documents, and per-record failures."""

    media_type: str
    drafts: list[DocumentDraft] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)
    container: bool = False
