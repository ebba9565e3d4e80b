"""The corroboration stage's runner: store → Reports → incidents → store.

Incremental: the Corroborator's state (its machine links and clusters, as
plain JSON) is saved in the database, keyed on (extraction pipeline,
``CORROBORATE_VERSION``), in the same transaction as the incidents it
produced. A run restores it, adds only the events it has not seen, applies
the judgements and reviews given since, and rewrites only the incidents that
changed: the others keep their rows, ids and reviews. A state of another
version, one that does not parse or does not fit the store, or one whose
incidents were since overwritten by someone else, is rebuilt from the store,
never trusted; the result is the same either way because clustering is
deterministic and order-independent.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast, get_args

from ..evidence.canonical import canonical_json
from ..ontology import HAPPENED, VERDICTS, ReviewStatus
from ..records import Report, event_from_json
from ..store import documents
from ..store import reports as stored_reports
from ..store.corroboration_state import SavedState, StateConflict, load_state, state_saver
from ..store.database import Store
from ..store.incidents import last_corroboration_digest, stored_records, update_incidents
from .carry import carry_reviews
from .clusters import CORROBORATE_VERSION, ChangeSet, Corroborator, StoreView
from .incidents import incident_json
from .independence import near_duplicate_groups
from .judgements import Judgement, JudgementKind, Review, event_ref
from .origin import CREDIT_CHARS, wire_credit

log = logging.getLogger(__name__)
STAGE = CORROBORATE_VERSION
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
    written: int = 0  # incidents created or rewritten by this run
    removed: int = 0
    placed: dict[str, str | None] = field(default_factory=dict)  # watched event id -> incident


def _origin(event_asserted: list[dict[str, str | None]]) -> str | None:
    for actor in event_asserted:
        text = (actor.get("text") or "").strip()
        if text and not _GENERIC.match(text):
            return text
    return None


def load_reports(store: Store) -> tuple[list[Report], dict[str, str]]:
    """Every event that the text reports as having happened, of each document's newest
    extraction run only, and the pipeline of each (by event reference).

    A document re-extracted by a newer pipeline keeps its older run beside the new
    one; corroboration reads the newest, so one document is never counted twice.
    """
    reports = []
    pipelines: dict[str, str] = {}
    for row in stored_reports.reported_events(store, HAPPENED, CREDIT_CHARS):
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
                wire=wire_credit(row.head),
            )
        )
        pipelines[event_ref(reports[-1])] = row.pipeline
    return reports, pipelines


def _decisions(
    store: Store, refs_by_event: dict[str, str]
) -> tuple[list[tuple[int, Judgement]], list[Review]]:
    jrows, rrows = stored_reports.decisions(store)

    def ref(x: str) -> str:
        return x if x.startswith("inc_") or "#" in x else refs_by_event.get(x, x)

    judgements = [
        (
            row.id,
            Judgement(
                ref(row.left_id),
                ref(row.right_id),
                cast(JudgementKind, row.kind),
                row.user,
                row.time,
            ),
        )
        for row in jrows
        if row.kind in get_args(JudgementKind)
    ]
    reviews = [
        Review(row.incident_id, cast(ReviewStatus, row.status), row.updated_by, row.updated_at)
        for row in rrows
        if row.status in VERDICTS
    ]
    return judgements, reviews


def _duplicate_groups(store: Store) -> dict[str, str]:
    docs = documents.document_texts(store)
    return near_duplicate_groups(docs) if docs else {}


def run_corroboration(
    store: Store,
    pipeline: str,
    *,
    add_new: bool = True,
    watch: Iterable[str] = (),
) -> CorroborateSummary:
    """Bring the incidents up to date with the store's events, judgements and reviews.

    ``add_new=False`` applies decisions only (a merge or split in the web app):
    events not yet corroborated wait for the next ``dossier corroborate``, and
    the near-duplicate groups are not recomputed. ``watch`` names event ids
    whose incident the summary reports in ``placed``. ``pipeline`` (the current
    extraction pipeline) keys the saved state; the events are those of each
    document's newest extraction run, whatever its pipeline.
    """
    watch = list(watch)
    try:
        return _run(store, pipeline, add_new, watch)
    except StateConflict:
        log.info("corroboration state changed under this run; running once more")
        return _run(store, pipeline, add_new, watch)


def _state_key(review: Review) -> list[str]:
    return [review.incident, review.status, review.time]


def _restore(
    saved: SavedState | None,
    store: Store,
    pipeline: str,
    by_ref: dict[str, Report],
    judgements: list[Judgement],
    reviews: list[Review],
) -> tuple[Corroborator, dict[str, Any]] | None:
    """The saved Corroborator and its bookkeeping, or None where it must be rebuilt."""
    if saved is None:
        return None
    data = saved.data
    why = None
    if not isinstance(data, dict) or not isinstance(data.get("state"), dict):
        why = "it does not parse as a corroboration state"
    elif data.get("pipeline") != pipeline or data.get("version") != CORROBORATE_VERSION:
        why = f"it is of {data.get('pipeline')!r} / {data.get('version')!r}"
    elif data.get("digest") != last_corroboration_digest(store):
        why = "the incidents were written since by another run"
    else:
        try:
            judged, seen = data.get("judged", 0), data.get("reviews", [])
            if type(judged) is not int or not isinstance(seen, list):
                raise ValueError("judged must be an integer and reviews a list")
            if not all(
                isinstance(x, list) and len(x) == 3 and all(isinstance(y, str) for y in x)
                for x in seen
            ):
                raise ValueError("reviews must be [incident, status, time] lists")
            corroborator = Corroborator.restore(data["state"], by_ref, judgements, reviews)
            return corroborator, data
        except (KeyError, TypeError, ValueError) as exc:
            why = f"it does not fit the store ({exc})"
    log.warning("corroboration state of %s not used, rebuilding: %s", pipeline, why)
    return None


def _run(store: Store, pipeline: str, add_new: bool, watch: list[str]) -> CorroborateSummary:
    reports, pipelines = load_reports(store)
    refs = {r.event.id: event_ref(r) for r in reports}
    by_ref = {event_ref(r): r for r in reports}
    numbered, reviews = _decisions(store, refs)
    judgements = [j for _, j in numbered]
    judged = max((n for n, _ in numbered), default=0)
    saved = load_state(store, pipeline, CORROBORATE_VERSION)
    restored = _restore(saved, store, pipeline, by_ref, judgements, reviews)
    removed: set[str] | None
    if restored is None:
        corroborator = Corroborator(judgements, reviews, _duplicate_groups(store))
        corroborator.add(reports)
        write = corroborator.incidents()
        removed, before, new = None, 0, len(corroborator.reports)
    else:
        corroborator, data = restored
        before = len(corroborator.reports)
        old_groups = corroborator.duplicate_groups
        regrouped: set[str] = set()
        groups: dict[str, str] | None = None
        if add_new:
            # The groups depend on the documents alone: the same documents, the same groups.
            same_docs = documents.document_ids(store) == set(old_groups)
            groups = old_groups if same_docs else _duplicate_groups(store)
            regrouped = {d for d, g in old_groups.items() if groups.get(d) != g}
        seen_reviews = {tuple(x) for x in data.get("reviews", [])}
        current = {tuple(_state_key(r)) for r in reviews}
        verdicts = {r.incident for r in reviews}
        changes = [
            corroborator.process(
                StoreView(groups),
                ChangeSet(
                    reports=tuple(reports) if add_new else (),
                    judgements=tuple(j for n, j in numbered if n > int(data.get("judged", 0))),
                    reviews=tuple(r for r in reviews if tuple(_state_key(r)) not in seen_reviews),
                    withdrawn=tuple(sorted({x[0] for x in seen_reviews - current} - verdicts)),
                ),
            )
        ]
        live = corroborator.incident_ids()
        mentioned = {i for c in changes for i in (*c.created, *c.updated, *c.removed)}
        if regrouped:  # an incident's sources changed, though not its members
            mentioned |= {
                corroborator.incident_of(event_ref(r)) or ""
                for r in reports
                if r.document_id in regrouped
            }
        write = corroborator.incidents_by_id(mentioned & live)
        removed = mentioned - live
        new = len(corroborator.reports) - before
    items = [incident_json(inc) for inc in write]
    if removed is not None:  # an incident that came out as stored is left as it is
        stored = stored_records(store, [item["id"] for item in items])
        same = {
            i
            for i, item in enumerate(items)
            if stored.get(item["id"]) == canonical_json(item).decode()
        }
        write = [inc for n, inc in enumerate(write) if n not in same]
        items = [item for n, item in enumerate(items) if n not in same]
    members = [
        (inc.id, by_ref[ref].event.id, pipelines[ref], by_ref[ref].document_id)
        for inc in write
        for ref in inc.events
    ]

    def state_data(digest: str) -> dict[str, Any]:
        return {
            "pipeline": pipeline,
            "version": CORROBORATE_VERSION,
            "digest": digest,
            "judged": judged,
            "reviews": [_state_key(r) for r in reviews],
            "state": corroborator.state(),
        }

    keep_state = state_saver(
        pipeline, CORROBORATE_VERSION, saved.revision if saved else None, state_data
    )
    digest = update_incidents(
        store,
        items,
        members,
        removed,
        store.settings.who,
        carry=carry_reviews,
        state=keep_state,
        detail={
            "version": CORROBORATE_VERSION,
            "written": len(items),
            "removed": len(removed or ()),
        },
    )
    return CorroborateSummary(
        events=len(reports),
        new_events=new,
        incidents=len(corroborator.incident_ids()),
        digest=digest,
        rebuilt=restored is None,
        written=len(items),
        removed=len(removed or ()),
        placed={e: corroborator.incident_of(refs[e]) if e in refs else None for e in watch},
    )
