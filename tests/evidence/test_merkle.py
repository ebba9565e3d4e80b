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


@given(
    st.lists(st.binary(min_size=1, max_size=40), min_size=1, max_size=70, unique=True), st.data()
)
def test_a_wrong_size_fails(leaves: list[bytes], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(leaves) - 1))
    size = data.draw(st.integers(1, 140).filter(lambda s: s != len(leaves)))
    root = merkle_root(leaves)
    assert not verify_inclusion(leaves[i], i, size, inclusion_proof(leaves, i), root)


def test_index_outside_the_tree_is_refused() -> None:
    leaves = [b"a", b"b", b"c"]
    root = merkle_root(leaves)
    assert not verify_inclusion(b"a", 3, 3, inclusion_proof(leaves, 2), root)
    assert not verify_inclusion(b"a", -1, 3, [], root)
