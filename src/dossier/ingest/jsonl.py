"""JSON Lines: one article a line with ``text`` or ``html``, and metadata fields."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from ..errors import InputError, MalformedInput
from .decode import decode_text
from .draft import DocumentDraft, Parsed
from .furniture import remove_furniture
from .html import extract_html

# Every field is used; anything else is reported, never silently ignored.
FIELDS = {"text", "html", "title", "url", "published", "publisher", "author", "language"}


def read_jsonl(data: bytes, name: str) -> Parsed:
    """One document per valid line; a bad line is a failure naming its line number."""
    parsed = Parsed("application/jsonl", container=True)
    text = decode_text(data, name)
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            parsed.drafts.append(_article(line, name, lineno))
        except InputError as exc:
            parsed.failures.append(exc)
    if not parsed.drafts and not parsed.failures:
        raise MalformedInput(name, "no JSON lines")
    return parsed


def _article(line: str, name: str, lineno: int) -> DocumentDraft:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise MalformedInput(
            name, f"not JSON ({exc.msg} at column {exc.colno})", line=lineno
        ) from exc
    if not isinstance(obj, dict):
        raise MalformedInput(name, "a line must be a JSON object", line=lineno)
    unknown = sorted(set(obj) - FIELDS)
    if unknown:
        raise MalformedInput(
            name,
            f"unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(FIELDS))}",
            line=lineno,
        )
    meta: dict[str, Any] = {
        k: obj.get(k) for k in ("title", "url", "published", "publisher", "author", "language")
    }
    for key, value in meta.items():
        if value is not None and not isinstance(value, str):
            raise MalformedInput(name, f"field {key!r} must be a string", line=lineno)
    locator = f"line:{lineno}"
    if isinstance(obj.get("text"), str) and obj["text"].strip():
        clean, removed = remove_furniture(obj["text"])
        return DocumentDraft(text=clean, locator=locator, removed_furniture=tuple(removed), **meta)
    if isinstance(obj.get("html"), str) and obj["html"].strip():
        draft = extract_html(obj["html"], f"{name}:{lineno}", url=meta["url"], locator=locator)
        merged = {k: v or getattr(draft, k) for k, v in meta.items()}
        return replace(draft, **merged)  # keeps the draft's text, furniture and notes
    raise MalformedInput(name, "needs a non-empty 'text' or 'html' field", line=lineno)
