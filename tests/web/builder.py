"""Test data for the web tests: a real ingest and extraction, then incidents in the contract shape.

Incidents are grouped from the stored events by (type, place) here rather than
by the corroboration stage, so the web tests do not move when clustering rules
change; they are written through the store's own ``replace_incidents``.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from dossier.store import tables
from dossier.store.database import Store
from dossier.store.incidents import replace_incidents

PASSWORD = "correct horse battery"
ROLES = ("viewer", "analyst", "reviewer", "admin")


def incidents_from_events(
    store: Store,
) -> tuple[list[dict[str, Any]], list[tuple[str, str, str, str]]]:
    ev, d = tables.events, tables.documents
    q = select(
        ev.c.id, ev.c.pipeline, ev.c.document_id, ev.c.record, d.c.publisher, d.c.url, d.c.published
    ).join(d, d.c.id == ev.c.document_id)
    groups: dict[tuple[str, str], list[Any]] = {}
    with store.engine.connect() as conn:
        for row in conn.execute(q.order_by(ev.c.document_id, ev.c.id)):
            record = json.loads(row.record)
            place = record.get("place") or {}
            groups.setdefault((record["type"], place.get("name") or "?"), []).append((row, record))
    incidents, members = [], []
    for (kind, _), rows in sorted(groups.items()):
        first = rows[0][1]
        iid = (
            "inc-"
            + hashlib.sha256("|".join(sorted(r.id for r, _ in rows)).encode()).hexdigest()[:12]
        )
        harm = [h for _, rec in rows for h in rec.get("harm", [])]
        denied = [a for _, rec in rows for a in rec.get("denied_by", [])]
        publishers = {r.publisher or r.document_id for r, _ in rows}
        incidents.append(
            {
                "id": iid,
                "type": kind,
                "types": sorted({rec["type"] for _, rec in rows}),
                "place": first.get("place"),
                "time": first.get("time") or {},
                "perpetrator": first.get("perpetrator"),
                "harm": [{k: h.get(k) for k in ("kind", "category", "min", "max")} for h in harm],
                "harm_figures": [
                    {
                        **{k: h.get(k) for k in ("kind", "category", "min", "max", "text")},
                        "document": r.document_id,
                        "source": r.publisher or "unknown",
                    }
                    for r, rec in rows
                    for h in rec.get("harm", [])
                ],
                "sources": [
                    {
                        "document": r.document_id,
                        "publisher": r.publisher,
                        "url": r.url,
                        "published": r.published,
                        "origin": r.publisher,
                        "event": r.id,
                    }
                    for r, _ in rows
                ],
                "independent_sources": len(publishers),
                "contested": bool(denied),
                "denied_by": denied,
                "grade": "contested"
                if denied
                else ("corroborated" if len(publishers) > 1 else "single_source"),
                "grade_reason": f"{len(publishers)} independent source(s)"
                + ("; denied by a party" if denied else ""),
                "review": "unreviewed",
                "events": [r.id for r, _ in rows],
            }
        )
        members += [(iid, r.id, r.pipeline, r.document_id) for r, _ in rows]
    return incidents, members


def build(store: Store, data: Path, shared: Path | None) -> None:
    """Ingest the test reports (and the shared sample), extract, and store incidents."""
    from dossier.extract.runner import run_extraction
    from dossier.ingest.runner import IngestOptions, ingest_paths

    paths = [str(p) for p in sorted(data.glob("*.txt")) if p.name != "hostile.txt"]
    if shared and (shared / "samples" / "bucha-article.txt").exists():
        paths.append(str(shared / "samples" / "bucha-article.txt"))
    ingest_paths(store, paths, IngestOptions(publisher="Test Wire", published="2022-04-04"))
    hostile = IngestOptions(
        publisher="<img src=x onerror=alert('pub')>Evil News",
        url="javascript:alert('url')",
        published="2022-03-06",
    )
    ingest_paths(store, [str(data / "hostile.txt")], hostile)
    run_extraction(store)
    incidents, members = incidents_from_events(store)
    replace_incidents(store, incidents, members, actor="tester")


def add_accounts(store: Store) -> dict[str, str]:
    """One account per role (named after it) and a bearer token for each."""
    from dossier.review.accounts import add_account, issue_token

    tokens = {}
    for role in ROLES:
        add_account(store, role, role, PASSWORD, actor="tester")
        tokens[role] = issue_token(store, role, actor="tester")
    return tokens
