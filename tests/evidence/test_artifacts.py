"""The artifact store: write-once, content-addressed, every read checked."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.errors import IntegrityError, NotFound
from dossier.evidence.artifacts import ArtifactStore


def test_put_stores_under_the_sha256_read_only(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    digest = store.put(b"original bytes")
    assert digest == hashlib.sha256(b"original bytes").hexdigest()
    path = tmp_path / digest[:2] / digest[2:]
    assert path.read_bytes() == b"original bytes"
    assert stat.S_IMODE(path.stat().st_mode) == 0o400
    assert store.get(digest) == b"original bytes"
    assert store.check(digest) is None


def test_put_twice_keeps_one_blob(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    digest = store.put(b"same")
    assert store.put(b"same") == digest
    assert [sha for _, sha in store.files()] == [digest]


def test_a_new_blob_is_marked_unlogged_until_its_entry_is_committed(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    digest = store.put(b"bytes before their custody entry")
    assert store.unlogged_markers() == {digest}
    store.logged(digest)
    assert store.unlogged_markers() == set()
    assert store.put(b"bytes before their custody entry") == digest
    assert store.unlogged_markers() == set(), "a blob already there is not new"


def test_missing_blob_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="is missing"):
        ArtifactStore(tmp_path).get("ab" * 32)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(min_size=1, max_size=300), st.data())
def test_any_single_changed_byte_is_detected(
    tmp_path: Path, data: bytes, draw: st.DataObject
) -> None:
    store = ArtifactStore(tmp_path / os.urandom(6).hex())
    digest = store.put(data)
    pos = draw.draw(st.integers(0, len(data) - 1))
    delta = draw.draw(st.integers(1, 255))
    path = store.path_for(digest)
    path.chmod(0o644)
    tampered = bytearray(data)
    tampered[pos] ^= delta
    path.write_bytes(bytes(tampered))
    assert store.check(digest) is not None
    with pytest.raises(IntegrityError, match=f"sha256:{digest}"):
        store.get(digest)


def test_leftover_temporary_files_are_listed(tmp_path: Path) -> None:
    store = ArtifactStore(tmp_path)
    digest = store.put(b"x")
    (tmp_path / digest[:2] / ".tmp-abc").write_bytes(b"partial")
    assert store.leftovers() == [tmp_path / digest[:2] / ".tmp-abc"]
