"""Full-text search over documents and incidents behind one small interface.

SQLite uses the FTS5 tables that migration 0004 keeps in step by triggers;
any other database falls back to portable LIKE matching (slower, no ranking).
Snippets come back as (text, matched) segments, never as HTML, so the web
layer escapes document text like any other text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import Connection, and_, func, or_, select, text

from . import tables
from .database import Store

OPEN, CLOSE = "\x02", "\x03"  # markers no clean text contains (ingest strips control characters)
_TOKEN = re.compile(r"\w+", re.UNICODE)

Segment = tuple[str, bool]


@dataclass(frozen=True)
class Hit:
    """One search result: a document or an incident, with a highlighted snippet."""

    kind: str  # document | incident
    id: str
    title: str
    snippet: list[Segment] = field(default_factory=list)


def terms(query: str) -> list[str]:
    """The words of a user's query; operators and punctuation are not syntax here."""
    return _TOKEN.findall(query)[:12]


def _fts_query(words: list[str]) -> str:
    # each word quoted: user input never reaches FTS5's query language
    return " ".join('"' + w.replace('"', '""') + '"' for w in words)


def segments(marked: str) -> list[Segment]:
    """Split an FTS5 snippet with OPEN/CLOSE markers into (text, matched) pieces."""
    out: list[Segment] = []
    for i, part in enumerate(re.split(f"[{OPEN}{CLOSE}]", marked)):
        if part:
            out.append((part, i % 2 == 1))
    return out


def _like_snippet(body: str, words: list[str], width: int = 80) -> list[Segment]:
    lower = body.lower()
    pos = min((p for p in (lower.find(w.lower()) for w in words) if p >= 0), default=0)
    start = max(0, pos - width)
    window = body[start : pos + width * 2]
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    marked = pattern.sub(lambda m: OPEN + m.group(0) + CLOSE, window)
    return segments(("…" if start else "") + marked)


@dataclass(frozen=True)
class Hide:
    """Documents and incidents a search must neither return nor count (the visibility policy's)."""

    documents: Collection[str] = ()
    incidents: Collection[str] = ()


def search(
    store: Store,
    query: str,
    *,
    limit: int = 20,
    offset: int = 0,
    kind: str | None = None,
    hide: Hide = Hide(),
) -> tuple[list[Hit], int]:
    """Documents and incidents matching every word of ``query``, best first, and the total."""
    words = terms(query)
    if not words:
        return [], 0
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            return _fts(conn, words, limit, offset, kind, hide)
        return _like(conn, words, limit, offset, kind, hide)


def _fts(
    conn: Connection, words: list[str], limit: int, offset: int, kind: str | None, hide: Hide
) -> tuple[list[Hit], int]:
    q = _fts_query(words)
    # hidden ids travel as one JSON parameter: no statement grows with their number
    args = {
        "q": q,
        "hide_i": json.dumps(sorted(hide.incidents)),
        "hide_d": json.dumps(sorted(hide.documents)),
    }
    parts, counts = [], []
    if kind in (None, "incident"):
        where = (
            " FROM incidents_fts WHERE incidents_fts MATCH :q"
            " AND incident_id NOT IN (SELECT value FROM json_each(:hide_i))"
        )
        parts.append(
            "SELECT 'incident' AS kind, incident_id AS id, '' AS title,"
            f" snippet(incidents_fts, 1, '{OPEN}', '{CLOSE}', '…', 16) AS snip,"
            " bm25(incidents_fts) AS rank" + where
        )
        counts.append("SELECT count(*)" + where)
    if kind in (None, "document"):
        where = (
            " FROM documents_fts WHERE documents_fts MATCH :q"
            " AND document_id NOT IN (SELECT value FROM json_each(:hide_d))"
        )
        parts.append(
            "SELECT 'document' AS kind, document_id AS id, title,"
            f" snippet(documents_fts, 3, '{OPEN}', '{CLOSE}', '…', 24) AS snip,"
            " bm25(documents_fts) AS rank" + where
        )
        counts.append("SELECT count(*)" + where)
    sql = " UNION ALL ".join(parts) + " ORDER BY rank LIMIT :limit OFFSET :offset"
    rows = conn.execute(text(sql), {**args, "limit": limit, "offset": offset}).all()
    total = sum(int(conn.execute(text(c), args).scalar_one()) for c in counts)
    return [Hit(r.kind, r.id, r.title or "", segments(r.snip or "")) for r in rows], total


def _like(
    conn: Connection, words: list[str], limit: int, offset: int, kind: str | None, hide: Hide
) -> tuple[list[Hit], int]:
    hits: list[Hit] = []
    if kind in (None, "incident"):
        i = tables.incidents
        cond = and_(*[or_(i.c.record.ilike(f"%{w}%"), i.c.type.ilike(f"%{w}%")) for w in words])
        for row in conn.execute(select(i.c.id, i.c.record).where(cond).order_by(i.c.id)):
            if row.id not in hide.incidents:
                hits.append(Hit("incident", row.id, "", _like_snippet(row.record, words)))
    if kind in (None, "document"):
        d = tables.documents
        cond = and_(
            *[
                or_(d.c.text.ilike(f"%{w}%"), func.coalesce(d.c.title, "").ilike(f"%{w}%"))
                for w in words
            ]
        )
        for doc in conn.execute(select(d.c.id, d.c.title, d.c.text).where(cond).order_by(d.c.id)):
            if doc.id not in hide.documents:
                hits.append(
                    Hit("document", doc.id, doc.title or "", _like_snippet(doc.text, words))
                )
    return hits[offset : offset + limit], len(hits)


def matching_incident_ids(store: Store, query: str, hide: Hide = Hide()) -> set[str]:
    """Incidents matching ``query`` themselves or through any of their reports' documents.

    A hidden incident's record and a hidden document's text match nothing; an
    incident still matches through the other documents of its reports.
    """
    words = terms(query)
    if not words:
        return set()
    ie = tables.incident_events
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            args = {
                "q": _fts_query(words),
                "hide_i": json.dumps(sorted(hide.incidents)),
                "hide_d": json.dumps(sorted(hide.documents)),
            }
            ids = {
                r[0]
                for r in conn.execute(
                    text(
                        "SELECT incident_id FROM incidents_fts WHERE incidents_fts MATCH :q"
                        " AND incident_id NOT IN (SELECT value FROM json_each(:hide_i))"
                    ),
                    args,
                )
            }
            docs = text(
                "SELECT document_id FROM documents_fts WHERE documents_fts MATCH :q"
                " AND document_id NOT IN (SELECT value FROM json_each(:hide_d))"
            )
            doc_ids = [r[0] for r in conn.execute(docs, args)]
        else:
            ids = {h.id for h in _like(conn, words, 10**9, 0, "incident", hide)[0]}
            doc_ids = [h.id for h in _like(conn, words, 10**9, 0, "document", hide)[0]]
        for start in range(0, len(doc_ids), 500):
            chunk = doc_ids[start : start + 500]
            ids.update(
                r[0]
                for r in conn.execute(select(ie.c.incident_id).where(ie.c.document_id.in_(chunk)))
            )
    return ids


def incidents_matching(store: Store, query: str, among: Collection[str]) -> set[str]:
    """Which incidents of ``among`` match every word of ``query`` by their own stored record."""
    words = terms(query)
    if not words or not among:
        return set()
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            rows = conn.execute(
                text(
                    "SELECT incident_id FROM incidents_fts WHERE incidents_fts MATCH :q"
                    " AND incident_id IN (SELECT value FROM json_each(:among))"
                ),
                {"q": _fts_query(words), "among": json.dumps(sorted(among))},
            )
            return {r[0] for r in rows}
        hits = _like(conn, words, 10**9, 0, "incident", Hide())[0]
        return {h.id for h in hits if h.id in among}
