"""WARC files (plain or gzipped): every HTML response record is one article.

Gzipped WARCs are inflated here, not by the parser, so the decompressed size
can be capped (a gzip bomb stops at the cap with a clear error) and a
truncated stream still yields the records before the break.
"""

from __future__ import annotations

import io
import re
import zlib

from fastwarc.warc import ArchiveIterator, WarcRecordType

from ..errors import InputError, MalformedInput
from .draft import Parsed
from .html import decode_html, extract_html

# Input goes to zlib in slices, each member's first one small and the next
# ones doubling: what zlib copies back after a member's end (``unused_data``)
# is then at most about the member's own size, never the rest of the file, so
# a crawl of many members inflates in time linear in its size.
MIN_FEED = 1 << 10
MAX_FEED = 1 << 16
_NOT_NUL = re.compile(rb"[^\x00]")


def inflate(data: bytes, name: str, cap: int) -> tuple[bytes, InputError | None]:
    """Inflate a (multi-member) gzip stream up to ``cap`` bytes, in time linear in its size.

    Returns the bytes inflated and, for a truncated or corrupt stream, the
    error to report; past the cap it raises, since nothing after is trusted.
    """
    out = bytearray()
    view = memoryview(data)
    pos = 0  # where the input not yet consumed by a finished member begins
    feed = MIN_FEED
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    started = False  # whether the current member has been fed anything
    while pos < len(data):
        chunk = view[pos : pos + feed]
        started = True
        try:
            # Output stops at cap + 1 bytes, so input is left unconsumed only past the cap.
            out += d.decompress(chunk, cap + 1 - len(out))
        except zlib.error as exc:
            return bytes(out), MalformedInput(
                name, f"corrupt gzip data after {len(out)} bytes ({exc})"
            )
        if len(out) > cap:
            raise MalformedInput(
                name,
                f"decompresses to more than {cap} bytes (possible gzip bomb); raise "
                "DOSSIER_MAX_INPUT_BYTES if it is genuine",
            )
        if not d.eof:
            pos += len(chunk)
            feed = min(feed * 2, MAX_FEED)
            continue
        pos += len(chunk) - len(d.unused_data)
        if _NOT_NUL.search(data, pos) is None:
            return bytes(out), None  # NUL padding after the last member is not data
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        feed = MIN_FEED
        started = False
    if started and not d.eof:
        return bytes(out), MalformedInput(
            name, f"truncated gzip stream: ends after {len(out)} decompressed bytes"
        )
    return bytes(out), None


def read_warc(data: bytes, name: str, cap: int) -> Parsed:
    """One document per HTML response record; failures per record."""
    parsed = Parsed("application/warc", container=True)
    if data[:2] == b"\x1f\x8b":
        data, err = inflate(data, name, cap)
        if err:
            parsed.failures.append(err)
    if not data.lstrip().startswith(b"WARC/"):
        raise MalformedInput(name, "not a WARC file (no WARC/1.x header at the start)")
    n_records = 0
    last_pos = -1
    records = ArchiveIterator(
        io.BytesIO(data), record_types=WarcRecordType.response, parse_http=True
    )
    try:
        for i, record in enumerate(records):
            n_records += 1
            last_pos = record.stream_pos
            locator = f"record:{i}@{record.stream_pos}"
            where = f"{name} {locator}"
            # A record cut inside its WARC header comes back with no Content-Length
            # and an empty body; without this check it would vanish unreported.
            if record.headers.get("Content-Length") is None:
                parsed.failures.append(
                    MalformedInput(where, "truncated record: its WARC header ends early")
                )
                continue
            uri = record.headers.get("WARC-Target-URI")
            ctype = (record.http_headers.get("Content-Type") if record.http_headers else None) or ""
            body = record.reader.read()
            if record.content_length is not None and len(body) < record.content_length:
                parsed.failures.append(
                    MalformedInput(
                        where, f"truncated record: {len(body)} of {record.content_length} bytes"
                    )
                )
                continue
            if "html" not in ctype.lower():
                continue  # images, scripts and JSON are preserved in the artifact, not articles
            try:
                parsed.drafts.append(
                    extract_html(decode_html(body, where), where, url=uri, locator=locator)
                )
            except InputError as exc:
                parsed.failures.append(exc)
    except (OSError, ValueError) as exc:
        # fastwarc raises on a header it cannot parse (a record cut mid-header); the
        # records before it stay documents and the rest of the batch goes on.
        parsed.failures.append(
            MalformedInput(name, f"unreadable WARC record after offset {max(last_pos, 0)} ({exc})")
        )
    if n_records == 0 and not parsed.failures:
        raise MalformedInput(name, "no response records in the WARC file")
    return parsed
