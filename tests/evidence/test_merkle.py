"""RFC 6962 Merkle tree: the root matches the recursive definition, proofs verify."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from dossier.evidence.merkle import inclusion_proof, merkle_root, verify_inclusion


def reference_root(leaves: list[bytes]) -> bytes:
    """MTH of RFC 6962 section 2.1, written straight from the definition."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(
        b"\x01" + reference_root(leaves[:k]) + reference_root(leaves[k:])
    ).digest()


leaf_lists = st.lists(st.binary(min_size=1, max_size=40), min_size=1, max_size=70)


@given(st.lists(st.binary(max_size=40), max_size=70))
def test_root_matches_the_recursive_rfc6962_definition(leaves: list[bytes]) -> None:
    assert merkle_root(leaves) == reference_root(leaves)


@given(leaf_lists)
def test_every_leaf_has_a_verifying_inclusion_proof(leaves: list[bytes]) -> None:
    root = merkle_root(leaves)
    for i, leaf in enumerate(leaves):
        assert verify_inclusion(leaf, i, len(leaves), inclusion_proof(leaves, i), root)


@given(leaf_lists, st.data())
def test_a_changed_leaf_fails_its_proof(leaves: list[bytes], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(leaves) - 1))
    root = merkle_root(leaves)
    proof = inclusion_proof(leaves, i)
    changed = leaves[i] + b"x"
    assert not verify_inclusion(changed, i, len(leaves), proof, root)


@given(
    st.lists(st.binary(min_size=1, max_size=40), min_size=2, max_size=70, unique=True), st.data()
)
def test_a_wrong_index_fails(leaves: list[bytes], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(leaves) - 1))
    j = data.draw(st.integers(0, len(leaves) - 1).filter(lambda j: j != i))
    root = merkle_root(leaves)
    assert not verify_inclusion(leaves[i], j, len(leaves), inclusion_proof(leaves, i), root)


def path_shape(m: int, n: int) -> list[bool]:
    """Bottom-up sides of leaf m's audit path in a tree of n (True: sibling on the right)."""
    if n == 1:
        return []
    k = 1
    while k * 2 < n:
        k *= 2
    return path_shape(m, k) + [True] if m < k else path_shape(m - k, n - k) + [False]


@given(
    st.lists(st.binary(min_size=1, max_size=40), min_size=1, max_size=70, unique=True), st.data()
)
def test_a_wrong_size_fails(leaves: list[bytes], data: st.DataObject) -> None:
    # An RFC 6962 path binds the size only through its shape (leaf 0 of 9 and of 10
    # have alike paths; the signed checkpoint binds size and root together), so a
    # wrong size must fail whenever it implies a different path.
    i = data.draw(st.integers(0, len(leaves) - 1))
    size = data.draw(st.integers(1, 140).filter(lambda s: s != len(leaves)))
    root = merkle_root(leaves)
    accepted = verify_inclusion(leaves[i], i, size, inclusion_proof(leaves, i), root)
    if i >= size or path_shape(i, size) != path_shape(i, len(leaves)):
        assert not accepted


def test_a_wrong_size_with_another_path_shape_fails() -> None:
    leaves = [bytes([x]) for x in range(5)]
    root = merkle_root(leaves)
    assert verify_inclusion(leaves[4], 4, 5, inclusion_proof(leaves, 4), root)
    assert not verify_inclusion(leaves[4], 4, 6, inclusion_proof(leaves, 4), root)
    assert not verify_inclusion(leaves[4], 4, 4, inclusion_proof(leaves, 4), root)


def test_index_outside_the_tree_is_refused() -> None:
    leaves = [b"a", b"b", b"c"]
    root = merkle_root(leaves)
    assert not verify_inclusion(b"a", 3, 3, inclusion_proof(leaves, 2), root)
    assert not verify_inclusion(b"a", -1, 3, [], root)


@given(st.lists(st.binary(min_size=32, max_size=32), max_size=70))
def test_the_incremental_frontier_gives_the_root_of_every_prefix(leaves: list[bytes]) -> None:
    from dossier.evidence.merkle import MerkleFrontier

    frontier = MerkleFrontier()
    assert frontier.root() == merkle_root([])
    for i, leaf in enumerate(leaves, start=1):
        frontier.add(leaf)
        assert frontier.size == i
        assert frontier.root() == merkle_root(leaves[:i])


@given(st.lists(st.binary(min_size=32, max_size=32), min_size=1, max_size=40))
def test_a_stored_frontier_restores_and_goes_on(leaves: list[bytes]) -> None:
    from dossier.evidence.merkle import MerkleFrontier

    frontier = MerkleFrontier()
    for leaf in leaves:
        frontier.add(leaf)
    assert frontier.last is not None
    again = MerkleFrontier.restore(frontier.size, frontier.last.hex(), frontier.nodes())
    assert again.root() == merkle_root(leaves)
    again.add(b"\x07" * 32)
    assert again.root() == merkle_root([*leaves, b"\x07" * 32])


def test_a_frontier_of_the_wrong_shape_is_refused() -> None:
    import pytest

    from dossier.evidence.merkle import MerkleFrontier

    node = "00" * 32
    for size, nodes in (
        (3, [(1, node)]),
        (3, [(0, node), (1, node)]),
        (0, []),
        (2, [(0, node)] * 2),
    ):
        with pytest.raises(ValueError, match="not the Merkle frontier"):
            MerkleFrontier.restore(size, node, nodes)
