"""Multi-member gzip (one member per WARC record) inflates whole, in linear work, capped."""

from __future__ import annotations

import gzip
import random
import zlib
from typing import Any

import pytest

from dossier.errors import MalformedInput
from dossier.ingest import warc
from dossier.ingest.warc import inflate


def members(n: int, seed: int = 7) -> list[bytes]:
    """``n`` payloads of varied size and compressibility, some far larger than a feed slice."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        size = rng.choice([0, 1, 40, 700, 5000, 90_000])
        words = [rng.choice(["shell", "market", "civilians", "Irpin", "said"]) for _ in range(size)]
        text = " ".join(words).encode()[:size]
        if i % 5 == 0:
            text += rng.randbytes(size // 3)  # incompressible: compressed members cross slices
        out.append(text)
    return out


def gz(parts: list[bytes]) -> bytes:
    return b"".join(gzip.compress(p, mtime=0) for p in parts)


@pytest.mark.parametrize(
    "feed", [(1, 1), (1, 64), (7, 7), (64, 4096), (warc.MIN_FEED, warc.MAX_FEED)]
)
def test_every_member_is_inflated_whatever_the_slice_boundaries(
    monkeypatch: pytest.MonkeyPatch, feed: tuple[int, int]
) -> None:
    parts = members(60)
    monkeypatch.setattr(warc, "MIN_FEED", feed[0])
    monkeypatch.setattr(warc, "MAX_FEED", feed[1])
    data, err = inflate(gz(parts), "crawl.warc.gz", 10**9)
    assert err is None
    assert data == b"".join(parts)


def test_nul_padding_after_the_last_member_is_not_data() -> None:
    parts = members(5)
    data, err = inflate(gz(parts) + b"\x00" * 100_000, "padded.warc.gz", 10**9)
    assert (data, err) == (b"".join(parts), None)


def test_a_truncated_last_member_keeps_the_members_before_it() -> None:
    parts = [b"first record " * 100, b"second record " * 100]
    whole = gz(parts)
    data, err = inflate(whole[:-20], "cut.warc.gz", 10**9)
    assert data.startswith(parts[0]) and len(data) < len(parts[0]) + len(parts[1])
    assert isinstance(err, MalformedInput)
    assert str(err) == (
        f"cut.warc.gz: truncated gzip stream: ends after {len(data)} decompressed bytes"
    )


def test_a_corrupt_member_in_the_middle_is_named_and_the_members_before_it_kept() -> None:
    parts = [b"first record " * 100, b"second record " * 100]
    data, err = inflate(gz(parts[:1]) + b"not gzip at all" + gz(parts[1:]), "bad.warc.gz", 10**9)
    assert data == parts[0]
    assert err is not None and str(err).startswith(
        f"bad.warc.gz: corrupt gzip data after {len(parts[0])} bytes ("
    )


def test_the_cap_counts_all_members_together() -> None:
    parts = [b"a" * 6000] * 10  # each member alone is under the cap, all of them over
    with pytest.raises(MalformedInput, match="decompresses to more than 50000 bytes"):
        inflate(gz(parts), "bomb.warc.gz", 50_000)
    data, err = inflate(gz(parts), "fits.warc.gz", 60_000)
    assert (len(data), err) == (60_000, None)


REAL_DECOMPRESSOBJ = zlib.decompressobj


class CountingDecompressor:
    """A zlib decompressor that counts the input bytes handed to it."""

    fed = 0

    def __init__(self, wbits: int) -> None:
        self.inner = REAL_DECOMPRESSOBJ(wbits)

    def decompress(self, chunk: Any, max_length: int = 0) -> bytes:
        CountingDecompressor.fed += len(chunk)
        return self.inner.decompress(chunk, max_length)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_the_input_is_handed_to_zlib_about_once_not_once_per_member(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The regression: every member was given the whole rest of the file, so a
    # crawl of n small members cost n times its size (12 MB: 56 s to inflate).
    parts = [f"record {i}: shells hit the market. ".encode() * 20 for i in range(3000)]
    data = gz(parts)
    monkeypatch.setattr(warc.zlib, "decompressobj", CountingDecompressor)
    CountingDecompressor.fed = 0
    out, err = inflate(data, "crawl.warc.gz", 10**9)
    assert (out, err) == (b"".join(parts), None)
    # Each byte about once, plus what a member's end hands back: at most its last
    # slice, which doubles from MIN_FEED only while the member goes on. Before,
    # every member was handed the rest of the file: about 1500 times the file here.
    assert CountingDecompressor.fed <= 3 * len(data) + len(parts) * warc.MIN_FEED
