"""RFC 6962 Merkle tree hashes and inclusion proofs over custody entries.

Leaves are the entry hashes (as bytes); leaf hash = SHA-256(0x00 || leaf),
node hash = SHA-256(0x01 || left || right), the split point is the largest
power of two smaller than the number of leaves (RFC 6962 section 2.1).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence


def _leaf(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def merkle_root(leaves: Sequence[bytes]) -> bytes:
    """The Merkle tree hash of ``leaves`` (the hash of the empty string for none)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = [_leaf(x) for x in leaves]
    return _root_of_hashes(level)


def _root_of_hashes(hashes: list[bytes]) -> bytes:
    # Iterative equivalent of the recursive definition: pair left to right and
    # carry an odd last node up unchanged; this matches RFC 6962's split rule.
    while len(hashes) > 1:
        nxt = [_node(hashes[i], hashes[i + 1]) for i in range(0, len(hashes) - 1, 2)]
        if len(hashes) % 2:
            nxt.append(hashes[-1])
        hashes = nxt
    return hashes[0]


def inclusion_proof(leaves: Sequence[bytes], index: int) -> list[bytes]:
    """The audit path for leaf ``index`` in the tree over ``leaves`` (RFC 6962 PATH)."""
    if not 0 <= index < len(leaves):
        raise IndexError(f"leaf {index} outside a tree of {len(leaves)}")
    return _path(index, [_leaf(x) for x in leaves])


def _path(m: int, hashes: list[bytes]) -> list[bytes]:
    n = len(hashes)
    if n == 1:
        return []
    k = _split(n)
    if m < k:
        return _path(m, hashes[:k]) + [_root_of_hashes(hashes[k:])]
    return _path(m - k, hashes[k:]) + [_root_of_hashes(hashes[:k])]


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> bool:
    """Check an RFC 9162 inclusion proof for ``leaf`` at ``index`` in a tree of ``size``."""
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    r = _leaf(leaf)
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _node(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = _node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


class MerkleFrontier:
    """The Merkle tree hash kept incrementally: O(log n) per added leaf, no re-read of the log.

    The frontier is the roots of the perfect subtrees that the binary form of
    the size splits the leaves into, largest first; the RFC 6962 root folds
    them from the right. ``root()`` equals ``merkle_root`` of every leaf added.
    """

    def __init__(self) -> None:
        self.size = 0
        self.last: bytes | None = None  # the last leaf added, to tell a stale copy
        self._stack: list[tuple[int, bytes]] = []  # (height, subtree hash), largest first

    def add(self, leaf: bytes) -> None:
        node, height = _leaf(leaf), 0
        while self._stack and self._stack[-1][0] == height:
            _, left = self._stack.pop()
            node, height = _node(left, node), height + 1
        self._stack.append((height, node))
        self.size += 1
        self.last = leaf

    def nodes(self) -> list[tuple[int, str]]:
        """The frontier as (height, hex hash) pairs, largest subtree first, for storing."""
        return [(h, node.hex()) for h, node in self._stack]

    @classmethod
    def restore(cls, size: int, last: str, nodes: list[tuple[int, str]]) -> MerkleFrontier:
        """A frontier from ``nodes()``; a shape that cannot be a frontier of ``size`` raises."""
        heights = [int(h) for h, _ in nodes]
        decreasing = heights == sorted(set(heights), reverse=True)
        if size < 1 or sum(1 << h for h in heights) != size or not decreasing:
            raise ValueError(f"not the Merkle frontier of {size} leaves: heights {heights}")
        frontier = cls()
        frontier.size = size
        frontier.last = bytes.fromhex(last)
        frontier._stack = [(int(h), bytes.fromhex(x)) for h, x in nodes]
        return frontier

    def root(self) -> bytes:
        if not self._stack:
            return hashlib.sha256(b"").digest()
        node = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            node = _node(left, node)
        return node
