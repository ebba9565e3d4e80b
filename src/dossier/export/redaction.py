"""Redacting identities from a restricted document's text and records.

A restricted document (a witness statement) leaves a bundle only in redacted
form unless a reviewer asks otherwise: every PERSON entity the extraction
found, and every other occurrence of the same names, becomes ``[REDACTED]``.
Offsets in the records are moved to the redacted text, so spans still point
at the right words; names inside record strings (quote speakers, claim text)
are replaced the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

MARK = "[REDACTED]"
IDENTITY_LABELS = frozenset({"PERSON"})


@dataclass(frozen=True)
class Redaction:
    text: str
    names: tuple[str, ...]
    cuts: tuple[tuple[int, int], ...]  # spans of the original text replaced by MARK

    def shift(self, offset: int) -> int:
        """Where an offset of the original text lands in the redacted text."""
        delta = 0
        for start, end in self.cuts:
            if end <= offset:
                delta += len(MARK) - (end - start)
            elif start < offset:  # inside a cut: the end of its mark
                return start + delta + len(MARK)
            else:
                break
        return offset + delta


def identity_names(analysis: dict[str, Any]) -> list[str]:
    """The names to redact: PERSON entities (surface and canonical) and quote or claim speakers."""
    names: set[str] = set()
    for entity in analysis.get("entities", []):
        if entity.get("label") in IDENTITY_LABELS:
            names.update(n for n in (entity.get("text"), entity.get("canonical")) if n)
    for item in [*analysis.get("quotes", []), *analysis.get("claims", [])]:
        speaker = item.get("speaker") or {}
        if speaker.get("name"):
            names.add(speaker["name"])
    # a one-letter "name" ("I") would blank every such letter; it identifies no one
    return sorted((n for n in names if len(n.strip()) > 1), key=len, reverse=True)


def redact_text(text: str, analysis: dict[str, Any]) -> Redaction:
    """Replace every PERSON entity span and every occurrence of the same names by MARK."""
    spans = [
        (e["start"], e["end"])
        for e in analysis.get("entities", [])
        if e.get("label") in IDENTITY_LABELS and 0 <= e["start"] < e["end"] <= len(text)
    ]
    names = identity_names(analysis)
    if names:
        pattern = re.compile("|".join(rf"\b{re.escape(n)}\b" for n in names))
        spans.extend(m.span() for m in pattern.finditer(text))
    cuts: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if cuts and start <= cuts[-1][1]:  # overlapping mentions become one mark
            cuts[-1] = (cuts[-1][0], max(end, cuts[-1][1]))
        else:
            cuts.append((start, end))
    parts, last = [], 0
    for start, end in cuts:
        parts += [text[last:start], MARK]
        last = end
    parts.append(text[last:])
    return Redaction("".join(parts), tuple(names), tuple(cuts))


def redact_value(value: Any, redaction: Redaction) -> Any:
    """A copy of a record with names replaced in strings and integer spans shifted."""
    if isinstance(value, dict):
        out = {k: redact_value(v, redaction) for k, v in value.items()}
        if isinstance(value.get("start"), int) and isinstance(value.get("end"), int):
            out["start"] = redaction.shift(value["start"])
            out["end"] = redaction.shift(value["end"])
        return out
    if isinstance(value, list):
        return [redact_value(v, redaction) for v in value]
    if isinstance(value, str) and redaction.names:
        for name in redaction.names:
            value = re.sub(rf"\b{re.escape(name)}\b", MARK, value)
        return value
    return value
