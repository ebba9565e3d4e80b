"""The corroboration stage's runner: store → Reports → incidents → store.

Incremental: the Corroborator's state is cached in the data directory
(``corroboration/state-<pipeline>.pickle``, a derived cache, never evidence).
A run loads it, adds only the events it has not seen, applies the current
judgements and reviews, and writes the incidents back. A missing, stale or
unreadable cache is rebuilt from the store; the result is the same either way
because clustering is deterministic and order-independent.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from ..records import Report, event_from_json
from ..store import tables
from ..store.database import Store
from ..store.incidents import replace_incidents
from .clusters import Corroborator
from .incidents import incident_json
from .independence import near_duplicate_groups
from .judgements import Judgement, Review, event_ref

log = logging.getLogger(__name__)
STAGE = "corroborate.v1"
HAPPENED = ("asserted", "alleged", "denied")
# Parties that only stand for themselves: many outlets quoting "residents" are
# not one source, whereas many outlets relaying a ministry are.
_GENERIC = re.compile(
    r"^(the )?(local )?(residents?|witness(es)?|survivors?|locals|people|villagers|eyewitness(es)?|"
    r"sources?|reports?|media|officials)$",
    re.IGNORECASE,
)


@dataclass
class CorroborateSummary:
    events: int
    new_events: int
    incidents: int
    digest: str
    rebuilt: bool


def _origin(event_asserted: list[dict[str, str | None]]) -> str | None:
    for actor in event_asserted:
        text = (actor.get("text") or "").strip()
        if text and not _GENERIC.match(text):
            return text
    return None


def load_reports(store: Store, pipeline: str) -> list[Report]:
    """Every event of ``pipeline`` that the text reports as having happened."""
    ev, d = tables.events, tables.documents
    q = (
        select(
            ev.c.record, ev.c.document_id, d.c.publisher, d.c.url, d.c.published, d.c.text_sha256
        )
        .join(d, d.c.id == ev.c.document_id)
        .where(ev.c.pipeline == pipeline, ev.c.status.in_(HAPPENED))
        .order_by(ev.c.document_id, ev.c.id)
    )
    reports = []
    with store.engine.connect() as conn:
        for row in conn.execute(q):
            data = json.loads(row.record)
            reports.append(
                Report(
                    event=event_from_json(data),
                    document_id=row.document_id,
                    publisher=row.publisher,
                    url=row.url,
                    published=row.published,
                    text_sha256=row.text_sha256,
                    origin=_origin(data.get("asserted_by", [])),
                )
            )
    return reports


def _decisions(store: Store, refs_by_event: dict[str, str]) -> tuple[list[Judgement], list[Review]]:
    j, r = tables.judgements, tables.incident_reviews
    with store.engine.connect() as conn:
        jrows = conn.execute(select(j).order_by(j.c.id)).all()
        rrows = conn.execute(select(r)).all()

    def ref(x: str) -> str:
        return x if x.startswith("inc_") or "#" in x else refs_by_event.get(x, x)

    judgements = [
        Judgement(ref(row.left_id), ref(row.right_id), row.kind, row.user, row.time)
        for row in jrows
        if row.kind in ("positive", "negative", "unsure")
    ]
    reviews = [
        Review(row.incident_id, row.status, row.updated_by, row.updated_at)
        for row in rrows
        if row.status in ("confirmed", "rejected", "discounted")
    ]
    return judgements, reviews


def _duplicate_groups(store: Store) -> dict[str, str]:
    d = tables.documents
    with store.engine.connect() as conn:
        docs = [(row.id, row.text) for row in conn.execute(select(d.c.id, d.c.text))]
    return near_duplicate_groups(docs) if docs else {}


def run_corroboration(store: Store, pipeline: str) -> CorroborateSummary:
    """Group every event into incidents and store them."""
    reports = load_reports(store, pipeline)
    refs = {r.event.id: event_ref(r) for r in reports}
    judgements, reviews = _decisions(store, refs)
    groups = _duplicate_groups(store)
    cache = store.settings.home / "corroboration" / f"state-{pipeline}.pickle"
    corroborator, rebuilt = _load_state(cache, groups)
    before = len(corroborator.reports)
    corroborator.add(reports)
    corroborator.judge(judgements, reviews)
    incidents = corroborator.incidents()
    members = []
    by_ref = {event_ref(r): r for r in reports}
    items = []
    for inc in incidents:
        items.append(incident_json(inc))
        for ref in inc.events:
            report = by_ref.get(ref)
            if report is not None:
                members.append((inc.id, report.event.id, pipeline, report.document_id))
    digest = replace_incidents(store, items, members, store.settings.who)
    _save_state(cache, corroborator)
    return CorroborateSummary(
        len(reports), len(corroborator.reports) - before, len(items), digest, rebuilt
    )


def _load_state(path: Path, groups: dict[str, str]) -> tuple[Corroborator, bool]:
    """The cached state when it is readable and saw the same near-duplicate groups."""
    try:
        with path.open("rb") as fh:
            state = pickle.load(fh)
        if isinstance(state, Corroborator) and state.duplicate_groups == groups:
            return state, False
    except FileNotFoundError:
        pass
    except Exception as exc:  # a stale or broken cache is rebuilt, never trusted
        log.warning("corroboration cache %s unreadable (%s); rebuilding", path, exc)
    return Corroborator(duplicate_groups=groups), True


def _save_state(path: Path, state: Corroborator) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as fh:
        pickle.dump(state, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, path)
