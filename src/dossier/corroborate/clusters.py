"""Clusters: group the reports of many documents into incidents, incrementally.

``Corroborator`` keeps the state: reports, the block index, machine links and
the components of the link graph. ``add(reports)`` compares each new report
only with the reports of its blocks, then re-derives the clusters of the
link-graph components it touched and nothing else. Within a component the
clusters are derived the same way every time:

1. positive judgements merge (unless a negative judgement forbids it);
2. machine links merge, strongest first (ties broken by the reports'
   publication order), unless the two clusters hold events of one document
   (other than one sentence typed twice), a negative judgement separates
   them, or the clusters as wholes break a hard rule (see profile).

Every step is ordered by the reports' own keys, never by arrival, so the same
reports in any order give the same incidents; ids derive from each
incident's earliest member event, so they survive re-runs.

``Corroborator`` is the ``GlobalStage`` of ``dossier.pipeline``:
``process(view, changed)`` takes what the store holds now (``StoreView``) and
what is new since the last call (``ChangeSet``) and returns the ``Changes``;
it never reads or writes the store itself (``corroborate/runner.py`` does).
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from ..records import Incident, Report
from .blocking import BlockIndex
from .compatibility import DayRange, day_range
from .crosslingual import CROSS_SUPPORT, cross_similarity, script
from .incidents import build_incident
from .judgements import (
    Judgement,
    Review,
    event_ref,
    incident_id,
    latest,
    latest_reviews,
    sort_key,
)
from .links import SAME_SENTENCE, Strength, link, support_level
from .profile import ClusterProfile
from .similarity import Signature, cosine, jaccard, signature

log = logging.getLogger(__name__)
# The version of the corroboration rules and of the saved state's shape: a
# changed rule or shape is a new version, and a state saved under another
# version is rebuilt.
CORROBORATE_VERSION = "corroborate.v2"


@contextmanager
def _collector_paused() -> Iterator[None]:
    # The cyclic collector rescans the whole growing state on its passes, which
    # makes bulk work quadratic; the state and the records hold no cycles.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Changes:
    """Incident ids created, updated (members changed) and removed by one call."""

    created: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class StoreView:
    """What corroboration reads of the whole store: the documents' near-duplicate groups
    (document id -> group), or None where the documents are unchanged."""

    duplicate_groups: Mapping[str, str] | None = None


@dataclass(frozen=True)
class ChangeSet:
    """What is new since the state was saved: reports, judgements, reviews, and the
    incidents whose review was withdrawn."""

    reports: tuple[Report, ...] = ()
    judgements: tuple[Judgement, ...] = ()
    reviews: tuple[Review, ...] = ()
    withdrawn: tuple[str, ...] = ()


class Corroborator:
    """Incremental corroboration state; see the module docstring."""

    name = CORROBORATE_VERSION

    def __init__(
        self,
        judgements: Iterable[Judgement] = (),
        reviews: Iterable[Review] = (),
        duplicate_groups: Mapping[str, str] | None = None,
    ) -> None:
        self.reports: list[Report] = []
        self._keys: list[tuple[str, str, str]] = []
        self._days: list[DayRange | None] = []
        self._by_ref: dict[str, int] = {}
        self._by_incident_ref: dict[str, int] | None = None
        self._index = BlockIndex()
        self._edges: dict[int, list[tuple[int, Strength]]] = {}
        self._signatures: dict[int, Signature | None] = {}
        self._parent: list[int] = []
        self._members: dict[int, list[int]] = {}
        self._cluster_of: list[int] = []  # report -> anchor report of its cluster
        self._clusters: dict[int, list[int]] = {}  # anchor -> members
        self._judgements: dict[tuple[str, str], Judgement] = latest(list(judgements))
        self._reviews: dict[str, Review] = latest_reviews(list(reviews))
        self.duplicate_groups: dict[str, str] = dict(duplicate_groups or {})

    # --- the link graph -------------------------------------------------------

    def _find(self, i: int) -> int:
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def _union(self, i: int, j: int) -> int:
        ri, rj = self._find(i), self._find(j)
        if ri == rj:
            return ri
        if len(self._members[ri]) < len(self._members[rj]):
            ri, rj = rj, ri
        self._parent[rj] = ri
        self._members[ri].extend(self._members.pop(rj))
        return ri

    def _similarity(self, i: int, j: int) -> tuple[float, float]:
        a, b = self.reports[i].embedding, self.reports[j].embedding
        if a is not None and b is not None:
            return cosine(a, b), support_level(True)
        text_i, text_j = self.reports[i].event.sentence.text, self.reports[j].event.sentence.text
        if script(text_i) != script(text_j):  # words cannot be compared across languages
            return cross_similarity(self.reports[i].event, self.reports[j].event), CROSS_SUPPORT
        for k in (i, j):
            if k not in self._signatures:
                self._signatures[k] = signature(self.reports[k].event.sentence.text)
        return jaccard(self._signatures[i], self._signatures[j]), support_level(False)

    def _resolve(self, ref: str) -> int | None:
        if ref.startswith("inc_"):
            if self._by_incident_ref is None:
                self._by_incident_ref = {incident_id(r): n for n, r in enumerate(self.reports)}
            return self._by_incident_ref.get(ref)
        return self._by_ref.get(ref)

    # --- public API -------------------------------------------------------------

    def add(self, reports: Iterable[Report]) -> Changes:
        """Add reports (already-known events are ignored); return what changed."""
        with _collector_paused():
            return self._add(reports)

    def _add(self, reports: Iterable[Report]) -> Changes:
        touched: set[int] = set()
        for report in sorted(reports, key=sort_key):
            ref = event_ref(report)
            if ref in self._by_ref:
                continue
            n = len(self.reports)
            self.reports.append(report)
            self._keys.append(sort_key(report))
            days = day_range(report)
            self._days.append(days)
            self._by_ref[ref] = n
            if self._by_incident_ref is not None:
                self._by_incident_ref[incident_id(report)] = n
            self._parent.append(n)
            self._members[n] = [n]
            self._cluster_of.append(-1)  # not in any incident until re-derived
            place = report.event.place
            for m in sorted(self._index.candidates(place, days)):
                strength = link(
                    self.reports[m], report, self._days[m], days, partial(self._similarity, m, n)
                )
                if strength is not None:
                    self._edges.setdefault(m, []).append((n, strength))
                    self._edges.setdefault(n, []).append((m, strength))
                    self._union(m, n)
            self._index.add(n, place, days)
            touched.add(n)
        return self._recluster(touched)

    def process(self, view: StoreView, changed: ChangeSet) -> Changes:
        """The GlobalStage step: take the store's groups, add new reports, apply new
        decisions; every incident created, updated or removed on the way."""
        steps = []
        if view.duplicate_groups is not None:
            self.duplicate_groups = dict(view.duplicate_groups)
        if changed.reports or view.duplicate_groups is not None:
            steps.append(self.add(changed.reports))
        steps.append(self.judge(changed.judgements, changed.reviews, changed.withdrawn))
        return Changes(
            created=tuple(i for c in steps for i in c.created),
            updated=tuple(i for c in steps for i in c.updated),
            removed=tuple(i for c in steps for i in c.removed),
        )

    def judge(
        self,
        judgements: Iterable[Judgement] = (),
        reviews: Iterable[Review] = (),
        withdrawn: Iterable[str] = (),
    ) -> Changes:
        """Record analysts' decisions and re-derive the clusters they touch.

        ``withdrawn`` names incidents whose review no longer holds (set back
        to a status that is no verdict): their reviews are dropped.
        """
        judgements, reviews, withdrawn = list(judgements), list(reviews), list(withdrawn)
        self._judgements = latest(list(self._judgements.values()) + judgements)
        self._reviews = latest_reviews(list(self._reviews.values()) + reviews)
        for iid in withdrawn:
            self._reviews.pop(iid, None)
        touched = {
            n
            for j in judgements
            for ref in (j.left, j.right)
            if (n := self._resolve(ref)) is not None
        }
        touched |= {
            n
            for iid in (*(r.incident for r in reviews), *withdrawn)
            if (n := self._resolve(iid)) is not None
        }
        return self._recluster(touched, force={self._cluster_of[n] for n in touched})

    def state(self) -> dict[str, Any]:
        """The state as plain data (JSON-ready): what ``restore`` needs besides the reports.

        Reports are not copied: they are the store's events, read again on
        restore. Links are kept, so no pair is compared twice.
        """
        with _collector_paused():
            return self._state()

    def _state(self) -> dict[str, Any]:
        return {
            "events": [event_ref(r) for r in self.reports],
            "links": [
                [i, j, strength[0], strength[1]]
                for i in range(len(self.reports))
                for j, strength in self._edges.get(i, ())
                if i < j
            ],
            "clusters": [members for _, members in sorted(self._clusters.items())],
            "duplicate_groups": dict(sorted(self.duplicate_groups.items())),
        }

    @classmethod
    def restore(
        cls,
        state: Mapping[str, Any],
        reports: Mapping[str, Report],
        judgements: Iterable[Judgement] = (),
        reviews: Iterable[Review] = (),
    ) -> Corroborator:
        """The Corroborator that ``state()`` described, over ``reports`` (by event ref).

        Raises ``ValueError`` when the state does not fit: an event it names is
        not among ``reports``, or a number is out of range or of the wrong kind.
        """
        with _collector_paused():
            return cls._restore(state, reports, judgements, reviews)

    @classmethod
    def _restore(
        cls,
        state: Mapping[str, Any],
        reports: Mapping[str, Report],
        judgements: Iterable[Judgement],
        reviews: Iterable[Review],
    ) -> Corroborator:
        refs = state["events"]
        groups = state["duplicate_groups"]
        if not isinstance(refs, list) or not isinstance(groups, dict):
            raise ValueError("events must be a list and duplicate_groups an object")
        new = cls(judgements, reviews, {str(k): str(v) for k, v in groups.items()})
        size = len(refs)
        for n, ref in enumerate(refs):
            report = reports.get(ref) if isinstance(ref, str) else None
            if report is None or ref in new._by_ref:
                raise ValueError(f"event {ref!r} is not in the store (or named twice)")
            new.reports.append(report)
            new._keys.append(sort_key(report))
            days = day_range(report)
            new._days.append(days)
            new._by_ref[ref] = n
            new._parent.append(n)
            new._members[n] = [n]
            new._cluster_of.append(-1)
            new._index.add(n, report.event.place, days)

        def number(x: Any) -> int:
            if type(x) is not int or not 0 <= x < size:
                raise ValueError(f"report number {x!r} out of range")
            return x

        for i, j, tier, closeness in state["links"]:
            i, j = number(i), number(j)
            if type(tier) is not int or not isinstance(closeness, int | float):
                raise ValueError(f"link strength {tier!r}, {closeness!r} is not (int, number)")
            strength: Strength = (tier, float(closeness))
            new._edges.setdefault(i, []).append((j, strength))
            new._edges.setdefault(j, []).append((i, strength))
            new._union(i, j)
        for members in state["clusters"]:
            group = sorted((number(m) for m in members), key=lambda m: new._keys[m])
            if not group or any(new._cluster_of[m] != -1 for m in group):
                raise ValueError("a cluster is empty or shares a report with another")
            new._clusters[group[0]] = group
            for m in group:
                new._cluster_of[m] = group[0]
                new._union(group[0], m)  # a judged merge may span link components
        if -1 in new._cluster_of:
            raise ValueError("a report belongs to no cluster")
        return new

    def incident_of(self, ref: str) -> str | None:
        """The id of the incident that holds event ``ref`` (None: not known)."""
        n = self._by_ref.get(ref)
        if n is None or self._cluster_of[n] == -1:
            return None
        return incident_id(self.reports[self._cluster_of[n]])

    def incidents(self) -> list[Incident]:
        """Every incident, ordered by id."""
        return sorted((self.incident(anchor) for anchor in self._clusters), key=lambda inc: inc.id)

    def incident_ids(self) -> set[str]:
        """The ids of every incident."""
        return {incident_id(self.reports[a]) for a in self._clusters}

    def incidents_by_id(self, ids: Iterable[str]) -> list[Incident]:
        """The incidents among ``ids`` that exist now, ordered by id."""
        wanted = set(ids)
        anchors = [a for a in self._clusters if incident_id(self.reports[a]) in wanted]
        return sorted((self.incident(a) for a in anchors), key=lambda inc: inc.id)

    def incident(self, anchor: int) -> Incident:
        """The incident whose earliest member is report number ``anchor``."""
        return build_incident(
            [self.reports[m] for m in self._clusters[anchor]], self.duplicate_groups, self._reviews
        )

    # --- deriving clusters --------------------------------------------------------

    def _judged_pairs(self) -> tuple[list[tuple[int, int]], set[frozenset[int]]]:
        positive: list[tuple[int, int]] = []
        negative: set[frozenset[int]] = set()
        for j in sorted(self._judgements.values(), key=lambda j: (j.time, j.pair())):
            a, b = self._resolve(j.left), self._resolve(j.right)
            if a is None or b is None or a == b:
                continue
            if j.judgement == "positive":
                positive.append((a, b))
            elif j.judgement == "negative":
                negative.add(frozenset((a, b)))
        return positive, negative

    def _recluster(self, touched: set[int], force: set[int] | None = None) -> Changes:
        positive, negative = self._judged_pairs()
        for a, b in positive:  # forced merges bring their components together
            self._union(a, b)
        roots = {self._find(n) for n in touched}
        created: set[str] = set()
        updated: set[str] = set()
        removed: set[str] = set()
        for root in sorted(roots, key=lambda r: self._keys[r]):
            members = self._members[root]
            old = {self._cluster_of[m] for m in members} - {-1}
            old_sets = {a: frozenset(self._clusters.pop(a)) for a in old}
            new = self._derive(members, positive, negative)
            new_ids = set()
            for group in new:
                anchor = min(group, key=lambda m: self._keys[m])
                self._clusters[anchor] = sorted(group, key=lambda m: self._keys[m])
                for m in group:
                    self._cluster_of[m] = anchor
                iid = incident_id(self.reports[anchor])
                new_ids.add(iid)
                before = old_sets.get(anchor)
                if before is None:
                    created.add(iid)
                elif before != frozenset(group) or (force and anchor in force):
                    updated.add(iid)
            removed |= {incident_id(self.reports[a]) for a in old} - new_ids
        # An incident that was removed and re-created under one id is an update.
        updated |= created & removed
        return Changes(
            tuple(sorted(created - removed)),
            tuple(sorted(updated)),
            tuple(sorted(removed - created)),
        )

    def _derive(
        self,
        members: list[int],
        positive: list[tuple[int, int]],
        negative: set[frozenset[int]],
    ) -> list[list[int]]:
        inside = set(members)
        parent = {m: m for m in members}
        docs = {m: {self.reports[m].document_id} for m in members}
        group = {m: {m} for m in members}
        profile = {m: ClusterProfile.of(self.reports[m], self._days[m]) for m in members}

        def find(m: int) -> int:
            while parent[m] != m:
                parent[m] = parent[parent[m]]
                m = parent[m]
            return m

        vetoes = [tuple(p) for p in negative if p <= inside]

        def forbidden(ra: int, rb: int) -> bool:
            return any({find(x), find(y)} == {ra, rb} for x, y in vetoes)

        def merge(ra: int, rb: int) -> None:
            if len(group[ra]) < len(group[rb]):
                ra, rb = rb, ra
            parent[rb] = ra
            group[ra] |= group.pop(rb)
            docs[ra] |= docs.pop(rb)
            profile[ra].absorb(profile.pop(rb))

        for a, b in positive:
            if a in inside and b in inside:
                ra, rb = find(a), find(b)
                if ra != rb and not forbidden(ra, rb):
                    merge(ra, rb)
        keys = self._keys
        edges = sorted(
            (strength, min(keys[i], keys[j]), max(keys[i], keys[j]), i, j)
            for i in members
            for j, strength in self._edges.get(i, ())
            if i < j
        )
        for strength, _, _, i, j in edges:
            ri, rj = find(i), find(j)
            if ri == rj or forbidden(ri, rj):
                continue
            if strength != SAME_SENTENCE and docs[ri] & docs[rj]:
                continue
            if not profile[ri].fits(profile[rj]):
                continue
            merge(ri, rj)
        return [sorted(g) for g in group.values()]


def cluster(
    reports: list[Report],
    judgements: Iterable[Judgement] = (),
    reviews: Iterable[Review] = (),
    duplicate_groups: Mapping[str, str] | None = None,
) -> list[Incident]:
    """Group reports into incidents in one go (the same result as adding them one by one)."""
    corroborator = Corroborator(judgements, reviews, duplicate_groups)
    corroborator.add(reports)
    return corroborator.incidents()
