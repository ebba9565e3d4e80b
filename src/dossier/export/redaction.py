"""Redacting identities from a restricted document's text and records.

A restricted document (a witness statement) leaves a bundle only in redacted
form unless a reviewer asks otherwise: every PERSON entity the extraction
found, and every other occurrence of the same names, becomes ``[REDACTED]``.
Offsets in the records are moved to the redacted text, so spans still point
at the right words; names inside record strings (quote speakers, claim text)
are replaced the same way.

Incident records draw on many documents, so they are redacted by what the
redacted documents contributed (``redact_incident``): every name redaction
found, every actor and speaker only those documents give
(``private_strings``), and every source or figure origin drawn from their
text, wherever it appears (grade reason, figures, actors, review edits).
These functions take records and return records, so one visibility policy
can route every export through them.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .collect import EvidenceSet

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


def documents_to_redact(evidence: EvidenceSet) -> set[str]:
    """The documents a bundle or report redacts: restricted or flagged personal information."""
    return evidence.restricted() | evidence.personal


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


_CONTACT = re.compile(
    r"(?<![\w.])\+?\d[\d ()\-./]{5,}\d(?!\w)|[\w.+-]+@[\w-]+\.[\w.-]+", re.UNICODE
)
_CAPITALISED = re.compile(r"\b[^\W\d_a-zа-яіїєґ][\w'’\-]*", re.UNICODE)


def _contact(found: str) -> bool:
    """A phone number (seven digits or more, not a date) or an e-mail address."""
    if "@" in found:
        return True
    return sum(ch.isdigit() for ch in found) >= 7 and not _DATE.match(found)


_FUNCTION_WORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "i",
        "we",
        "you",
        "he",
        "she",
        "it",
        "they",
        "my",
        "our",
        "your",
        "his",
        "her",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "when",
        "where",
        "while",
        "after",
        "before",
        "but",
        "and",
        "or",
        "so",
        "then",
        "in",
        "on",
        "at",
        "of",
        "to",
        "from",
        "by",
        "for",
        "with",
        "as",
        "if",
        "yes",
        "no",
        "not",
        "also",
        "today",
        "yesterday",
    )
)
_DATE = re.compile(r"^\d{4}[-./]\d{1,2}[-./]\d{1,2}$")


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
    # What the model did not tag can identify a source too: phone numbers, e-mail
    # addresses, and every capitalised word that is not a place the analysis resolved
    # (a missed name is capitalised; the places say where it happened and stay).
    places = [
        (e["start"], e["end"])
        for e in analysis.get("entities", [])
        if e.get("label") in ("GPE", "LOC", "FAC") and 0 <= e["start"] < e["end"] <= len(text)
    ] + [(p["start"], p["end"]) for p in analysis.get("places", []) if "start" in p]
    spans.extend(m.span() for m in _CONTACT.finditer(text) if _contact(m.group(0)))
    for m in _CAPITALISED.finditer(text):
        if m.group(0).lower() in _FUNCTION_WORDS:
            continue  # "My", "The": a sentence's first word, no one's name
        if not any(a <= m.start() and m.end() <= b for a, b in places):
            spans.append(m.span())
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


ACTOR_FIELDS = ("perpetrator", "asserted_by", "denied_by")
ORIGIN_FIELDS = (("sources", "origin"), ("harm_figures", "source"))


def _actor_texts(analysis: Mapping[str, Any]) -> set[str]:
    """Actor texts of the events and speaker names and roles of the quotes and claims."""
    out: set[str] = set()
    for event in analysis.get("events", []):
        for key in ACTOR_FIELDS:
            value = event.get(key)
            for actor in value if isinstance(value, list) else [value]:
                if isinstance(actor, dict) and isinstance(actor.get("text"), str):
                    out.add(actor["text"])
    for item in [*analysis.get("quotes", []), *analysis.get("claims", [])]:
        speaker = item.get("speaker") or {}
        out.update(v for v in (speaker.get("name"), speaker.get("role")) if isinstance(v, str))
    return out


def private_strings(
    analyses: Mapping[str, Iterable[Mapping[str, Any]]], redacted: Collection[str]
) -> set[str]:
    """Actors and speakers that only redacted documents name (``analyses``: document -> runs)."""
    public: set[str] = set()
    private: set[str] = set()
    for doc, runs in analyses.items():
        for run in runs:
            (private if doc in redacted else public).update(_actor_texts(run))
    return {s for s in private - public if len(s.strip()) > 1}


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted({w for w in words if len(w.strip()) > 1}, key=len, reverse=True)
    if not ordered:
        return None
    # lookarounds, not \b: a name may start or end with a non-word character
    return re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in ordered))


# ids and vocabulary codes, which no document writes and references depend on
CODE_KEYS = frozenset(
    {"id", "document", "event", "events", "type", "types", "kind", "category", "side"}
    | {"grade", "review", "precision", "country", "status", "subtype", "flags"}
)


def _replace(value: Any, pattern: re.Pattern[str]) -> Any:
    if isinstance(value, dict):
        return {k: v if k in CODE_KEYS else _replace(v, pattern) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, pattern) for v in value]
    if isinstance(value, str):
        return pattern.sub(MARK, value)
    return value


def redact_incident(
    incident: Mapping[str, Any],
    redactions: Mapping[str, Redaction],
    private: Collection[str] = (),
) -> dict[str, Any]:
    """A copy of an incident record without what the redacted documents say about people.

    ``redactions`` maps each redacted document to its Redaction; ``private``
    holds the actor and speaker texts only redacted documents give. A source
    or figure origin drawn from a redacted document's text (not its publisher
    or id) becomes MARK, and so does every occurrence of it and of the other
    words in every string of the record.
    """
    out = copy.deepcopy(dict(incident))
    words = set(private) | {n for r in redactions.values() for n in r.names}
    publishers = {
        s.get("document"): s.get("publisher")
        for s in out.get("sources") or []
        if isinstance(s, dict)
    }
    for list_key, field_name in ORIGIN_FIELDS:
        for item in out.get(list_key) or []:
            if not isinstance(item, dict) or item.get("document") not in redactions:
                continue
            origin = item.get(field_name)
            doc = item["document"]
            if isinstance(origin, str) and origin not in (publishers.get(doc), doc):
                words.add(origin)
                item[field_name] = MARK
    pattern = _pattern(words)
    return out if pattern is None else dict(_replace(out, pattern))
