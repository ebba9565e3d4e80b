"""Many RFC 6962 inclusion proofs against one tree, building the tree once.

``evidence.merkle.inclusion_proof`` rehashes every leaf per proof; a bundle
needs proofs for many entries of a log that may hold millions, so the levels
are built once and each audit path is read off them. The levels pair nodes
left to right and carry an odd last node up unchanged, which gives the same
tree as RFC 6962's split rule (tests compare with ``inclusion_proof``).

Consistency proofs (RFC 9162 section 2.1.4) from earlier checkpoints to the
bundle's let a recipient who holds an anchored (published or timestamped)
checkpoint check that the bundle's log extends it.
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


def _largest_power_below(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def range_root(levels: list[list[bytes]], start: int, end: int) -> bytes:
    """The RFC 6962 hash of the subtree over leaves [start, end) of the tree ``levels`` holds.

    The ranges asked for are subtrees of the whole tree: a full block of 2^j
    leaves starts at a multiple of 2^j, and is read off level j directly.
    """
    n = end - start
    if n & (n - 1) == 0:  # a full, aligned block
        return levels[n.bit_length() - 1][start // n]
    k = _largest_power_below(n)
    return hashlib.sha256(
        b"\x01" + range_root(levels, start, start + k) + range_root(levels, start + k, end)
    ).digest()


def consistency_proof(levels: list[list[bytes]], old_size: int, new_size: int) -> list[bytes]:
    """RFC 9162 PROOF(m, D[n]): the tree of ``old_size`` leaves is a prefix of ``new_size``'s."""
    if not 0 < old_size <= new_size <= (len(levels[0]) if levels else 0):
        raise IndexError(f"no consistency proof from size {old_size} to {new_size}")
    if old_size == new_size:
        return []

    def subproof(m: int, start: int, end: int, whole: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if whole else [range_root(levels, start, end)]
        k = _largest_power_below(n)
        if m <= k:
            return subproof(m, start, start + k, whole) + [range_root(levels, start + k, end)]
        return subproof(m - k, start + k, end, False) + [range_root(levels, start, start + k)]

    return subproof(old_size, 0, new_size, True)
