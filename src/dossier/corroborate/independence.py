"""Independence: which reports count as one source.

Fifty republications of one wire story are one source, not fifty. Two kinds
of dependence are recognised:

- near-duplicate documents (syndicated copies, lightly edited republications):
  MinHash/LSH over word 5-gram shingles of the document text (``datasketch``);
- relayed statements: a report whose extraction found an origin ("according
  to Ukraine's state railway") counts as that origin, reduced to one source
  entity (``origin.origin_entity``: "Authorities", "City authorities" and "The
  council" are all the local government), so outlets relaying one statement
  are one source. Otherwise the publisher's family is the source
  (``origin.outlet_family``: "Reuters UK" is Reuters).

Sources are the connected components of "same near-duplicate group" and
"same origin" over the documents.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

from datasketch import MinHash, MinHashLSH

from ..records import Report
from .judgements import sort_key
from .origin import origin_entity, outlet_family

SHINGLE_WORDS = 5
NUM_PERM = 128
# Independent write-ups of one event share at most a quoted sentence (a few
# percent of their 5-gram shingles); a republication keeps most of the story
# even with a new headline, boilerplate or a cut paragraph.
DUPLICATE_JACCARD = 0.5

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def _shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words).encode()} if words else set()
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode()
        for i in range(len(words) - SHINGLE_WORDS + 1)
    }


class _Components:
    """Union-find whose representative is the smallest member name."""

    def __init__(self, names: Sequence[str]) -> None:
        self.parent = {n: n for n in names}

    def find(self, n: str) -> str:
        while self.parent[n] != n:
            self.parent[n] = self.parent[self.parent[n]]
            n = self.parent[n]
        return n

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            lo, hi = (ra, rb) if ra < rb else (rb, ra)
            self.parent[hi] = lo


def near_duplicate_groups(docs: list[tuple[str, str]]) -> dict[str, str]:
    """Map each document id to its near-duplicate group (the group's smallest id)."""
    docs = sorted(docs)
    ids = [d for d, _ in docs]
    hashes = MinHash.bulk([list(_shingles(t)) for _, t in docs], num_perm=NUM_PERM)
    lsh = MinHashLSH(threshold=DUPLICATE_JACCARD, num_perm=NUM_PERM)
    groups = _Components(ids)
    seen: dict[str, MinHash] = {}
    for doc_id, mh in zip(ids, hashes, strict=True):
        if mh.is_empty() or doc_id in seen:
            continue
        for other in lsh.query(mh):
            # LSH proposes; the estimated Jaccard decides.
            if mh.jaccard(seen[other]) >= DUPLICATE_JACCARD:
                groups.union(doc_id, other)
        lsh.insert(doc_id, mh)
        seen[doc_id] = mh
    return {d: groups.find(d) for d in ids}


@functools.lru_cache(maxsize=65536)
def normalise_source(name: str) -> str:
    """A comparable form of an outlet or party name ("The Kremlin's" -> "kremlin")."""
    name = name.lower().replace("\u2019", "'")
    name = re.sub(r"'s\b", "", name)
    words = _WORD.findall(name)
    if words and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def source_name(report: Report) -> str:
    """Who a report counts as: the party it relays, else its publisher, else its document."""
    return report.origin or report.publisher or report.document_id


def source_key(report: Report) -> tuple[str, str]:
    """The entity a report counts as: (key, label) of its origin, else of the wire it
    credits, else of its outlet's family."""
    if report.origin:
        return origin_entity(report.origin)
    if report.wire:  # a wire story, whoever ran it
        return "wire:" + report.wire.lower(), report.wire
    if report.publisher:
        return outlet_family(report.publisher)
    return "doc:" + report.document_id, report.document_id


def assign_sources(
    reports: Sequence[Report], duplicate_groups: Mapping[str, str] | None = None
) -> list[str]:
    """The independent source of each report, as the display name of its source.

    Reports of one near-duplicate group, or of one source entity (the origin
    they relay, normalised, else their outlet's family) share a source; the
    source is named after its earliest report's entity.
    """
    groups = duplicate_groups or {}
    order = sorted(range(len(reports)), key=lambda i: sort_key(reports[i]))
    docs = [reports[i].document_id for i in order]
    comps = _Components(sorted(set(docs)))
    first_by_key: dict[str, str] = {}
    for i in order:
        r = reports[i]
        for key in (
            "dup:" + groups.get(r.document_id, "text:" + r.text_sha256),
            "src:" + source_key(r)[0],
        ):
            if key in first_by_key:
                comps.union(first_by_key[key], r.document_id)
            else:
                first_by_key[key] = r.document_id
    label: dict[str, str] = {}
    for i in order:  # earliest report names its source
        root = comps.find(reports[i].document_id)
        label.setdefault(root, source_key(reports[i])[1])
    return [label[comps.find(r.document_id)] for r in reports]
