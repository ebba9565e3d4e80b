"""Completeness: every object the custody log names exists and matches its latest entry.

The record checks of ``dossier verify`` (see ``verify.py``): artifacts and
their blobs, every file of the artifact store, documents and their metadata,
document flags, extraction runs and their events, reviews, and the
corroboration result. Each takes the rows ``store/integrity.py`` read (this
module never reads the store itself: ``evidence/`` is pure) and the indexed
log, and returns a ``Check`` naming every broken object.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..records import CustodyEntry
from .artifacts import ArtifactStore
from .canonical import canonical_json, hash_value, sha256_hex
from .recorded import artifact_record_hash, document_metadata_hash, members_hash


@dataclass
class Check:
    name: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    not_covered: int = 0  # items whose entries predate the hash this check compares

    @property
    def ok(self) -> bool:
        return not self.problems


class CustodyIndex:
    """The custody entries indexed by action and object."""

    def __init__(self, entries: list[CustodyEntry]) -> None:
        self.entries = entries
        self.by_action: dict[str, dict[str, list[CustodyEntry]]] = {}
        for e in entries:
            self.by_action.setdefault(e.action, {}).setdefault(e.object_id, []).append(e)

    def of(self, *actions: str) -> dict[str, list[CustodyEntry]]:
        """Object id -> its entries under ``actions``, in log order."""
        out: dict[str, list[CustodyEntry]] = {}
        for action in actions:
            for obj, es in self.by_action.get(action, {}).items():
                out.setdefault(obj, []).extend(es)
        for es in out.values():
            es.sort(key=lambda e: e.seq)
        return out

    def starting(self, prefix: str) -> list[CustodyEntry]:
        return [e for e in self.entries if e.action.startswith(prefix)]


def _latest_with(entries: Iterable[CustodyEntry], key: str) -> CustodyEntry | None:
    found = None
    for e in entries:
        if isinstance(e.detail, dict) and key in e.detail:
            found = e
    return found


def check_artifacts(
    rows: Mapping[str, Mapping[str, Any]], artifacts: ArtifactStore, log: CustodyIndex
) -> Check:
    """Each artifact row (by sha256) has its blob and matches its ``acquired`` entry."""
    check = Check("artifacts")
    logged = log.of("acquired", "reassessed")
    for object_id, es in sorted(logged.items()):
        sha = object_id.removeprefix("sha256:")
        acquired = [e for e in es if e.action == "acquired"]
        if acquired and sha not in rows:
            check.checked += 1
            check.problems.append(
                f"artifact {object_id}: logged as acquired (custody entry {acquired[0].seq}) "
                "but its row is missing"
            )
            problem = artifacts.check(sha)
            if problem:
                check.problems.append(problem)
    for sha, row in rows.items():
        check.checked += 1
        es = logged.get(f"sha256:{sha}", [])
        problem = artifacts.check(sha)
        if problem:
            check.problems.append(problem)
        elif not any(e.action == "acquired" and e.object_hash == sha for e in es):
            # A row (and blob) slipped in, or renamed, without the log knowing.
            check.problems.append(
                f"artifact sha256:{sha}: no custody 'acquired' entry with this hash"
            )
            continue
        latest = _latest_with(es, "record_sha256")
        if latest is None:
            check.not_covered += 1
        elif artifact_record_hash(row) != latest.detail["record_sha256"]:
            check.problems.append(
                f"artifact sha256:{sha}: recorded fields (source_path, acquired_at, acquired_by, "
                f"media type, status) differ from custody entry {latest.seq}"
            )
    return check


def check_blobs(artifacts: ArtifactStore, log: CustodyIndex) -> Check:
    """Every file in the artifact store must be a blob the log acquired."""
    check = Check("artifact store")
    acquired = {o.removeprefix("sha256:") for o in log.of("acquired")}
    markers = artifacts.unlogged_markers()
    interrupted = 0
    for path, sha in artifacts.files():
        check.checked += 1
        if sha is None:
            check.problems.append(f"{path}: not a blob of the artifact store (foreign file)")
        elif sha not in acquired:
            if sha in markers:
                interrupted += 1
                continue
            check.problems.append(
                f"blob {path}: in the artifact store but in no custody 'acquired' entry "
                "(planted, or copied in outside Dossier)"
            )
    if interrupted > 1:
        check.problems.append(
            f"{interrupted} blobs written by ingests that never logged them; one interrupted "
            "ingest leaves at most one: ingest their files again"
        )
    return check


def check_documents(rows: Mapping[str, Mapping[str, Any]], log: CustodyIndex) -> Check:
    """Each document row (by id) matches its text hash and its ``ingested`` entry."""
    check = Check("documents")
    ingested = log.of("ingested")
    for doc_id, es in sorted(ingested.items()):
        if doc_id not in rows:
            check.checked += 1
            check.problems.append(
                f"document {doc_id}: logged as ingested (custody entry {es[0].seq}) "
                "but its row is missing"
            )
    for doc_id, row in rows.items():
        check.checked += 1
        digest = row["text_sha256"]
        es = ingested.get(doc_id, [])
        if hashlib.sha256(row["text"].encode("utf-8")).hexdigest() != digest:
            check.problems.append(f"document {doc_id}: text does not match its text_sha256")
            continue
        if not es:
            check.problems.append(f"document {doc_id}: no custody 'ingested' entry")
            continue
        if digest not in {e.object_hash for e in es}:
            # Text and text_sha256 edited together still differ from the logged hash.
            check.problems.append(
                f"document {doc_id}: text_sha256 does not match its custody 'ingested' entry"
            )
            continue
        latest = _latest_with(es, "metadata_sha256")
        if latest is None:
            check.not_covered += 1
        elif document_metadata_hash(row) != latest.detail["metadata_sha256"]:
            check.problems.append(
                f"document {doc_id}: metadata (title, url, publisher, published, language, "
                f"restricted) differs from custody entry {latest.seq}"
            )
    return check


def check_flags(rows: Mapping[str, str], log: CustodyIndex) -> Check:
    """Each document's flags (id -> stored JSON list) must be those its latest
    ``review.flag_document`` entry set."""
    check = Check("document flags")
    logged = log.of("review.flag_document")
    for doc_id in sorted(set(logged) | set(rows)):
        check.checked += 1
        es = logged.get(doc_id)
        if not es:
            check.problems.append(f"flags of document {doc_id}: no custody entry set them")
            continue
        want = sorted(es[-1].detail.get("flags", []))
        have = sorted(json.loads(rows[doc_id])) if doc_id in rows else None
        digest = es[-1].object_hash  # older entries carry the flags in their detail only
        if digest is not None and digest != sha256_hex(canonical_json(want)):
            check.problems.append(
                f"flags of document {doc_id}: custody entry {es[-1].seq} names flags "
                "that do not match its own hash"
            )
        elif have != want:
            now = "missing" if have is None else f"now {have}"
            check.problems.append(
                f"flags of document {doc_id}: custody entry {es[-1].seq} set {want}, {now}"
            )
    return check


def _event_columns(ev: dict[str, Any]) -> dict[str, Any]:
    place = ev.get("place") or {}
    time = ev.get("time") or {}
    perp = ev.get("perpetrator") or {}
    return {
        "type": ev.get("type"),
        "status": ev.get("status"),
        "place_name": place.get("name"),
        "lat": place.get("lat"),
        "lon": place.get("lon"),
        "country": place.get("country"),
        "admin1": place.get("admin1"),
        "time_start": time.get("start"),
        "time_end": time.get("end"),
        "perpetrator_side": perp.get("side"),
        "record": canonical_json(ev).decode(),
    }


def check_extractions(
    runs: Mapping[tuple[str, str], Mapping[str, Any]],
    events: Mapping[int, Mapping[str, Mapping[str, Any]]],
    log: CustodyIndex,
) -> Check:
    """Each run ((document, pipeline) -> row) matches its ``extracted`` entry; its event
    rows (run id -> event id -> row) are its logged analysis."""
    check = Check("extraction runs")
    logged: dict[tuple[str, str], CustodyEntry] = {}
    for doc_id, es in log.of("extracted").items():
        for e in es:
            logged[(doc_id, str(e.detail.get("pipeline")))] = e
    remaining = {run: dict(rows) for run, rows in events.items()}
    for key in sorted(set(logged) | set(runs)):
        doc_id, pipeline = key
        what = f"extraction run of document {doc_id} by {pipeline}"
        check.checked += 1
        entry, run = logged.get(key), runs.get(key)
        if run is None:
            assert entry is not None
            check.problems.append(
                f"{what}: logged (custody entry {entry.seq}) but its row is missing"
            )
            continue
        if entry is None:
            check.problems.append(f"{what}: no custody 'extracted' entry")
            continue
        actual = sha256_hex(run["analysis"].encode("utf-8"))
        if not actual == run["analysis_sha256"] == entry.object_hash:
            check.problems.append(
                f"{what}: analysis (events, harm, status) differs from custody entry {entry.seq}"
            )
            continue
        if run["status"] != entry.detail.get("status"):
            check.problems.append(f"{what}: status differs from custody entry {entry.seq}")
            continue
        analysis = json.loads(run["analysis"])
        want = {e["id"]: _event_columns(e) for e in analysis.get("events", [])}
        have = remaining.pop(run["id"], {})
        for event_id in sorted(set(want) | set(have)):
            if event_id not in have:
                check.problems.append(f"event {event_id} of {what}: its row is missing")
            elif event_id not in want:
                check.problems.append(f"event {event_id} of {what}: not in the logged analysis")
            else:
                changed = [k for k, v in want[event_id].items() if have[event_id][k] != v]
                if changed:
                    check.problems.append(
                        f"event {event_id} of {what}: {', '.join(changed)} differ(s) from the "
                        f"analysis logged in custody entry {entry.seq}"
                    )
    for run_id, orphans in sorted(remaining.items()):
        for event_id in sorted(orphans):
            check.problems.append(f"event {event_id}: its extraction run {run_id} does not exist")
    return check


_DEFAULT_REVIEW: dict[str, Any] = {
    "status": "unreviewed",
    "assigned_to": None,
    "flags": [],
    "edits": {},
}


def check_reviews(
    rows: Mapping[str, Mapping[str, Any]], n_judgements: int, n_links: int, log: CustodyIndex
) -> Check:
    """Each incident's review state (incident id -> review row) matches its latest review
    entry; the judgement and link rows add up to what the entries made."""
    check = Check("reviews")
    expected: dict[str, tuple[str, int]] = {}
    judged = links = 0
    for e in log.entries:
        if e.action == "review_carried" and e.object_hash is not None:
            expected[e.object_id] = (e.object_hash, e.seq)  # the carried state, hashed
        elif e.action == "review_carried" and isinstance(e.detail, dict):
            # older entries hashed nothing: the carried source's state stands in
            source = expected.get(str(e.detail.get("from")))
            if source is not None and e.object_id not in expected:
                expected[e.object_id] = (source[0], e.seq)
        elif e.action == "review.outcome":
            continue  # what a merge or split did to the incidents, hashed as their table
        elif e.action.startswith("review.") and e.action != "review.flag_document":
            if e.object_hash is not None:
                expected[e.object_id] = (e.object_hash, e.seq)
            if e.action in ("review.merge", "review.split"):
                judged += int(e.detail.get("judgements", 0))
            elif e.action == "review.link":
                links += 1
    for incident_id in sorted(set(expected) | set(rows)):
        check.checked += 1
        if incident_id not in expected:
            check.problems.append(f"review of incident {incident_id}: no custody entry made it")
            continue
        digest, seq = expected[incident_id]
        row = rows.get(incident_id)
        state = (
            dict(_DEFAULT_REVIEW)
            if row is None
            else {
                "status": row["status"],
                "assigned_to": row["assigned_to"],
                "flags": json.loads(row["flags"]),
                "edits": json.loads(row["edits"]),
            }
        )
        if hash_value(state) != digest:
            now = "its row is missing" if row is None else "its row was changed"
            check.problems.append(
                f"review of incident {incident_id}: differs from custody entry {seq} ({now})"
            )
    if n_judgements != judged:
        check.problems.append(
            f"judgements: {n_judgements} row(s), but merge and split entries made {judged}"
        )
    if n_links != links:
        check.problems.append(f"incident links: {n_links} row(s), but link entries made {links}")
    return check


def check_incidents(
    rows: Sequence[Mapping[str, Any]],
    members: Sequence[tuple[Any, ...]],
    types: set[tuple[str, str]],
    log: CustodyIndex,
) -> Check:
    """Incidents are derived: their rows (by id), member rows (incident, event, pipeline,
    document) and type rows must be the corroboration result the log last recorded."""
    check = Check("incidents")
    runs = log.of("corroborated").get("incidents", [])
    check.checked = len(rows)
    if not runs:
        if rows or members:
            check.problems.append(
                f"incidents: {len(rows)} incident(s) but no custody 'corroborated' entry"
            )
        return check
    last = runs[-1]
    items = [json.loads(x["record"]) for x in rows]
    if sha256_hex(canonical_json(items)) != last.object_hash:
        check.problems.append(
            f"incidents: the {len(rows)} incident(s) are not the corroboration result of "
            f"custody entry {last.seq} (edited, deleted or added)"
        )
    for row, inc in zip(rows, items, strict=True):
        perp = inc.get("perpetrator") or {}
        place = inc.get("place") or {}
        want = {
            "type": inc.get("type"),
            "grade": inc.get("grade"),
            "independent_sources": inc.get("independent_sources"),
            "contested": bool(inc.get("contested")),
            "country": (place.get("country") or "").upper() or None,
            "perpetrator_side": (perp.get("side") or "").upper() or None,
        }
        changed = [k for k, v in want.items() if row[k] != v]
        if changed:
            check.problems.append(
                f"incident {row['id']}: {', '.join(changed)} differ(s) from its record"
            )
    want_types = {(inc["id"], t) for inc in items for t in set(inc.get("types") or [inc["type"]])}
    if types != want_types:
        check.problems.append("incidents: the incident_types rows differ from the records")
    digest = last.detail.get("members_sha256")
    if digest is None:
        check.not_covered += len(rows)
        if len(members) != last.detail.get("events"):
            check.problems.append(
                f"incidents: {len(members)} member event row(s), custody entry {last.seq} "
                f"recorded {last.detail.get('events')}"
            )
    elif members_hash(members) != digest:
        check.problems.append(
            f"incidents: member events differ from the corroboration result of custody "
            f"entry {last.seq}"
        )
    return check
