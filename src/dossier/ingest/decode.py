"""Turn input bytes into text, or say exactly why they are not text."""

from __future__ import annotations

from ..errors import MalformedInput, UnsupportedInput

# Control characters other than tab, newline, carriage return and form feed
# mark binary data that merely happens to decode.
_CONTROL = {c for c in range(32) if c not in (9, 10, 12, 13)}


def decode_text(data: bytes, name: str, *, line: int | None = None) -> str:
    """Decode UTF-8 (with or without BOM) or BOM-marked UTF-16; refuse binary data."""
    if not data.strip():
        raise MalformedInput(name, "empty: no text to read", line=line)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise MalformedInput(name, f"broken UTF-16 ({exc.reason})", line=line) from exc
    if b"\x00" in data[:8192]:
        raise UnsupportedInput(name, "binary data (NUL bytes), not text", line=line)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedInput(
            name,
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert the file to UTF-8 and ingest it again",
            line=line,
        ) from exc
    sample = text[:8192]
    bad = sum(1 for ch in sample if ord(ch) in _CONTROL)
    if bad > max(8, len(sample) // 100):
        raise UnsupportedInput(name, "binary data (control characters), not text", line=line)
    return text
