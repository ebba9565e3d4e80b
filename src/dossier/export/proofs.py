"""Many RFC 6962 inclusion proofs against one tree, building the tree once.

``evidence.merkle.inclusion_proof`` rehashes every leaf per proof; a bundle
needs proofs for many entries of a log that may hold millions, so the levels
are built once and each audit path is read off them. The levels pair nodes
left to right and carry an odd last node up unchanged, which gives the same
tree as RFC 6962's split rule (tests compare with ``inclusion_proof``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence


def tree_levels(leaves: Sequence[bytes]) -> list[list[bytes]]:
    """Every level of the tree over ``leaves``, from leaf hashes up to the root."""
    level = [hashlib.sha256(b"\x00" + x).digest() for x in leaves]
    levels = [level]
    while len(level) > 1:
        nxt = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            nxt.append(level[-1])
        levels.append(nxt)
        level = nxt
    return levels


def audit_path(levels: list[list[bytes]], index: int) -> list[bytes]:
    """The inclusion proof (leaf upward) for leaf ``index``."""
    if not levels or not 0 <= index < len(levels[0]):
        raise IndexError(f"leaf {index} outside a tree of {len(levels[0]) if levels else 0}")
    path = []
    m = index
    for level in levels[:-1]:
        sibling = m ^ 1
        if sibling < len(level):  # a carried odd node has no sibling at this level
            path.append(level[sibling])
        m //= 2
    return path


def inclusion_proofs(leaves: Sequence[bytes], indexes: Iterable[int]) -> dict[int, list[bytes]]:
    """Proofs for every index in ``indexes`` against the tree over ``leaves``."""
    levels = tree_levels(leaves)
    return {i: audit_path(levels, i) for i in indexes}
