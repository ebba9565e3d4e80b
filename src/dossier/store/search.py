"""Full-text search over documents and incidents behind one small interface.

SQLite uses the FTS5 tables that migration 0004 keeps in step by triggers;
PostgreSQL the accent-folded ``search`` tsvector columns and GIN indexes of
migration 0011 ('simple' configuration, ranked and paged in SQL); any other
database falls back to portable LIKE matching (slower, no ranking, wildcards
escaped).
Snippets come back as (text, matched) segments, never as HTML, so the web
layer escapes document text like any other text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from sqlalchemy import Connection, and_, func, or_, select, text

from ..translit import transliterate
from . import tables
from .database import Store

Expand = Callable[[str], set[str]]  # a query word -> other forms it may match (lemmas)
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
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


def _quoted(word: str) -> str:
    # each word quoted: user input never reaches FTS5's query language
    return '"' + word.replace('"', '""') + '"'


def _fts_query(words: list[str]) -> str:
    return " ".join(_quoted(w) for w in words)


def _forms_query(words: list[str], expand: Expand | None) -> str:
    """Every word or one of its forms: "(бучі OR буча) AND (обстріл)"."""
    groups = []
    for word in words:
        alternatives = sorted({word.lower(), *(expand(word) if expand else ())})
        groups.append("(" + " OR ".join(_quoted(a) for a in alternatives) + ")")
    return " AND ".join(groups)


def _stem_snippet(body: str, words: list[str], width: int = 80) -> list[Segment]:
    """A window of ``body`` around the first word that shares a stem with a query word, in
    its own script or in Latin letters (the document matched through a word's lemma or its
    transliteration, which are not in the text as written)."""
    stems = [w.lower()[: max(3, len(w) - 2)] for w in words]
    for m in _TOKEN.finditer(body[:200_000]):
        word = m.group(0).lower()
        latin = transliterate(word, "uk").lower() if _CYRILLIC.search(word) else word
        if any(word.startswith(s) or latin.startswith(s) for s in stems):
            start = max(0, m.start() - width)
            pieces = [
                (("…" if start else "") + body[start : m.start()], False),
                (body[m.start() : m.end()], True),
                (body[m.end() : m.end() + width], False),
            ]
            return [p for p in pieces if p[0]]
    return segments(body[: width * 2])


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
    expand: Expand | None = None,
) -> tuple[list[Hit], int]:
    """Documents and incidents matching every word of ``query``, best first, and the total.

    Ukrainian and Russian documents also match through their search forms (their words'
    lemmas and transliterations); ``expand`` gives more forms of a query word to match.
    """
    words = terms(query)
    if not words:
        return [], 0
    with store.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            return _fts(conn, words, limit, offset, kind, hide, expand)
        if conn.dialect.name == "postgresql":
            return _pg(conn, words, limit, offset, kind, hide, expand)
        return _like(conn, words, limit, offset, kind, hide)


def _fts(
    conn: Connection,
    words: list[str],
    limit: int,
    offset: int,
    kind: str | None,
    hide: Hide,
    expand: Expand | None = None,
) -> tuple[list[Hit], int]:
    q = _fts_query(words)
    # hidden ids travel as one JSON parameter: no statement grows with their number
    args = {
        "q": q,
        "qf": _forms_query(words, expand),
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
        # Ukrainian and Russian documents also match through their words' lemmas and
        # transliterations ("Буча" finds "у Бучі", "Bucha" finds "Буча"), ranked after
        # the documents that match as written.
        only_forms = (
            " FROM document_forms_fts f JOIN documents d ON d.id = f.document_id"
            " WHERE document_forms_fts MATCH :qf"
            " AND f.document_id NOT IN (SELECT value FROM json_each(:hide_d))"
            " AND f.document_id NOT IN"
            " (SELECT document_id FROM documents_fts WHERE documents_fts MATCH :q)"
        )
        parts.append(
            "SELECT 'forms' AS kind, f.document_id AS id, d.title AS title, '' AS snip,"
            " 1e9 + bm25(document_forms_fts) AS rank" + only_forms
        )
        counts.append("SELECT count(*)" + only_forms)
    sql = " UNION ALL ".join(parts) + " ORDER BY rank LIMIT :limit OFFSET :offset"
    rows = conn.execute(text(sql), {**args, "limit": limit, "offset": offset}).all()
    total = sum(int(conn.execute(text(c), args).scalar_one()) for c in counts)
    hits = []
    for r in rows:
        if r.kind == "forms":
            body = conn.execute(
                select(tables.documents.c.text).where(tables.documents.c.id == r.id)
            ).scalar_one()
            hits.append(Hit("document", r.id, r.title or "", _stem_snippet(body, words)))
        else:
            hits.append(Hit(r.kind, r.id, r.title or "", segments(r.snip or "")))
    return hits, total


# PostgreSQL: every word, accent-folded, as one websearch query of plain words (terms()
# keeps only word characters, so no operator of the query language gets through).
_PG_Q = "websearch_to_tsquery('simple', dossier_unaccent(:q))"
_PG_QF = "websearch_to_tsquery('simple', dossier_unaccent(:qf))"
_PG_HIDE_I = " AND i.id NOT IN (SELECT jsonb_array_elements_text(CAST(:hide_i AS jsonb)))"
_PG_HIDE_D = " AND d.id NOT IN (SELECT jsonb_array_elements_text(CAST(:hide_d AS jsonb)))"
_PG_HEADLINE = f"StartSel={OPEN}, StopSel={CLOSE}, MaxWords=30, MinWords=12, MaxFragments=1"


def _pg_args(words: list[str], expand: Expand | None, hide: Hide) -> dict[str, str]:
    # Each word quoted: a bare "or" (or "-x") would be an operator of the websearch
    # syntax, and every word must match, as on SQLite.
    forms = [
        " or ".join(f'"{f}"' for f in sorted({w.lower(), *(expand(w) if expand else ())}))
        for w in words
    ]
    return {
        "q": " ".join(f'"{w}"' for w in words),
        # each word or one of its forms: '("бучі" or "буча") "обстріл"' in websearch syntax
        "qf": " ".join(f"({f})" if " or " in f else f for f in forms),
        "hide_i": json.dumps(sorted(hide.incidents)),
        "hide_d": json.dumps(sorted(hide.documents)),
    }


def _pg(
    conn: Connection,
    words: list[str],
    limit: int,
    offset: int,
    kind: str | None,
    hide: Hide,
    expand: Expand | None = None,
) -> tuple[list[Hit], int]:
    args = _pg_args(words, expand, hide)
    parts, counts = [], []
    if kind in (None, "incident"):
        where = f" FROM incidents i WHERE i.search @@ {_PG_Q}" + _PG_HIDE_I
        parts.append(
            "SELECT 'incident' AS kind, i.id AS id, '' AS title, 0 AS tier,"
            f" ts_rank(i.search, {_PG_Q}) AS rank" + where
        )
        counts.append("SELECT count(*)" + where)
    if kind in (None, "document"):
        where = f" FROM documents d WHERE d.search @@ {_PG_Q}" + _PG_HIDE_D
        parts.append(
            "SELECT 'document' AS kind, d.id AS id, d.title AS title, 0 AS tier,"
            f" ts_rank(d.search, {_PG_Q}) AS rank" + where
        )
        counts.append("SELECT count(*)" + where)
        # Matches through lemmas and transliterations only, ranked after the others.
        only_forms = (
            " FROM document_forms f JOIN documents d ON d.id = f.document_id"
            f" WHERE f.search @@ {_PG_QF}" + _PG_HIDE_D + f" AND NOT d.search @@ {_PG_Q}"
        )
        parts.append(
            "SELECT 'forms' AS kind, d.id AS id, d.title AS title, 1 AS tier,"
            f" ts_rank(f.search, {_PG_QF}) AS rank" + only_forms
        )
        counts.append("SELECT count(*)" + only_forms)
    sql = (
        " UNION ALL ".join(parts)
        + " ORDER BY tier, rank DESC, kind, id LIMIT :limit OFFSET :offset"
    )
    rows = conn.execute(text(sql), {**args, "limit": limit, "offset": offset}).all()
    total = sum(int(conn.execute(text(c), args).scalar_one()) for c in counts)
    hits = []
    for r in rows:
        if r.kind == "incident":
            snip = conn.execute(
                text(
                    "SELECT ts_headline('simple', type || ' ' || coalesce(place_name, '')"
                    f" || ' ' || coalesce(admin1, ''), {_PG_Q}, :opts) FROM incidents"
                    " WHERE id = :id"
                ),
                {**args, "opts": _PG_HEADLINE, "id": r.id},
            ).scalar_one()
            hits.append(Hit("incident", r.id, "", segments(snip or "")))
            continue
        if r.kind == "forms":
            body = conn.execute(
                select(func.left(tables.documents.c.text, 200_000)).where(
                    tables.documents.c.id == r.id
                )
            ).scalar_one()
            hits.append(Hit("document", r.id, r.title or "", _stem_snippet(body, words)))
            continue
        snip = conn.execute(
            text(
                f"SELECT ts_headline('simple', left(text, 200000), {_PG_Q}, :opts)"
                " FROM documents WHERE id = :id"
            ),
            {**args, "opts": _PG_HEADLINE, "id": r.id},
        ).scalar_one()
        hits.append(Hit("document", r.id, r.title or "", segments(snip or "")))
    return hits, total


def _pg_ids(conn: Connection, words: list[str], hide: Hide) -> tuple[set[str], list[str]]:
    """Incidents matching by their own fields, and documents by text or forms (PostgreSQL)."""
    args = _pg_args(words, None, hide)
    ids = {
        r[0]
        for r in conn.execute(
            text(f"SELECT i.id FROM incidents i WHERE i.search @@ {_PG_Q}" + _PG_HIDE_I), args
        )
    }
    docs = text(
        f"SELECT d.id FROM documents d WHERE d.search @@ {_PG_Q}"
        + _PG_HIDE_D
        + " UNION SELECT d.id FROM document_forms f JOIN documents d ON d.id = f.document_id"
        f" WHERE f.search @@ {_PG_QF}" + _PG_HIDE_D
    )
    return ids, [r[0] for r in conn.execute(docs, args)]


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _like(
    conn: Connection, words: list[str], limit: int, offset: int, kind: str | None, hide: Hide
) -> tuple[list[Hit], int]:
    hits: list[Hit] = []
    if kind in (None, "incident"):
        i = tables.incidents
        cond = and_(
            *[
                or_(
                    i.c.record.ilike(f"%{_escape_like(w)}%", escape="\\"),
                    i.c.type.ilike(f"%{_escape_like(w)}%", escape="\\"),
                )
                for w in words
            ]
        )
        for row in conn.execute(select(i.c.id, i.c.record).where(cond).order_by(i.c.id)):
            if row.id not in hide.incidents:
                hits.append(Hit("incident", row.id, "", _like_snippet(row.record, words)))
    if kind in (None, "document"):
        d, f = tables.documents, tables.document_forms
        cond = and_(
            *[
                or_(
                    d.c.text.ilike(f"%{_escape_like(w)}%", escape="\\"),
                    func.coalesce(d.c.title, "").ilike(f"%{_escape_like(w)}%", escape="\\"),
                    func.coalesce(f.c.forms, "").ilike(f"%{_escape_like(w.lower())}%", escape="\\"),
                )
                for w in words
            ]
        )
        joined = d.outerjoin(f, f.c.document_id == d.c.id)
        query = select(d.c.id, d.c.title, d.c.text).select_from(joined).where(cond)
        for doc in conn.execute(query.order_by(d.c.id)):
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
                " UNION SELECT document_id FROM document_forms_fts"
                " WHERE document_forms_fts MATCH :qf"
                " AND document_id NOT IN (SELECT value FROM json_each(:hide_d))"
            )
            doc_ids = [r[0] for r in conn.execute(docs, {**args, "qf": _forms_query(words, None)})]
        elif conn.dialect.name == "postgresql":
            ids, doc_ids = _pg_ids(conn, words, hide)
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
        if conn.dialect.name == "postgresql":
            rows = conn.execute(
                text(
                    f"SELECT i.id FROM incidents i WHERE i.search @@ {_PG_Q}"
                    " AND i.id IN (SELECT jsonb_array_elements_text(CAST(:among AS jsonb)))"
                ),
                {"q": " ".join(words), "among": json.dumps(sorted(among))},
            )
            return {r[0] for r in rows}
        hits = _like(conn, words, 10**9, 0, "incident", Hide())[0]
        return {h.id for h in hits if h.id in among}
