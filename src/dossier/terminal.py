"""Terminal-safe text: what the CLI prints of names and titles cannot steer the terminal.

File names, titles, publishers and places come from ingested documents and
are hostile. Printed raw, a newline in a file name forges a whole output line
(``error: …``, ``ingested …``), an ESC sequence clears the screen or rewrites
the line, and a bidirectional override (U+202E) shows ``txt.exe`` as
``exe.txt``. ``printable`` turns every such character into a visible escape
(``\\n``, ``\\x1b``, ``\\u202e``) and escapes Rich markup, so the text shows
as what it is and nothing else; every name and title the CLI prints passes
through it. ``json_text`` does the same inside JSON output, where the escapes
are JSON's own and the values read back unchanged.
"""

from __future__ import annotations

import re

from rich.markup import escape

# C0 controls (newline and tab included: inside a name they forge lines and
# columns), DEL and the C1 controls; the Unicode line and paragraph separators;
# and the bidirectional marks, embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# Inside JSON strings C0 controls are escaped by json.dumps already; the rest
# pass through raw with ensure_ascii=False.
_UNSAFE_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    ch = match.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: object, *, markup: bool = True) -> str:
    """``text`` with control and bidi characters as visible escapes and Rich markup escaped.

    ``markup=False`` for output printed with markup off (plain lines, table
    cells of a console without markup); the default suits ``Console.print``.
    """
    safe = _UNSAFE.sub(_visible, str(text))
    return escape(safe) if markup else safe


def json_text(text: str) -> str:
    """JSON text with C1, separator and bidi characters as ``\\uXXXX`` escapes (same values)."""
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
