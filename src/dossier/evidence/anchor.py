"""An outside anchor: the latest signed checkpoint, written to a file meant for publication.

No log can tell on its own that its last entries were cut off together with
their checkpoints. A published anchor (size, root, key id, signature, time)
can: ``dossier verify --anchor FILE`` fails unless the log's first ``size``
entries still have the anchored Merkle root under a signature of this
installation's key.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import MalformedInput
from ..records import Checkpoint

FORMAT = "dossier-anchor-v1"
FIELDS = ("size", "root", "key_id", "signature", "time")


def anchor_json(cp: Checkpoint) -> dict[str, Any]:
    """The anchor record of a checkpoint."""
    return {
        "format": FORMAT,
        "size": cp.size,
        "root": cp.root,
        "key_id": cp.key_id,
        "signature": cp.signature,
        "time": cp.time,
    }


def read_anchor(path: Path) -> Checkpoint:
    """Read an anchor file; a missing, unreadable or malformed one raises MalformedInput."""
    name = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise MalformedInput(name, f"cannot read the anchor ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise MalformedInput(name, f"not an anchor file: not JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise MalformedInput(name, f"not an anchor file: format is not {FORMAT!r}")
    missing = [f for f in FIELDS if f not in data]
    if missing:
        raise MalformedInput(name, f"anchor lacks {', '.join(missing)}")
    size = data["size"]
    if not isinstance(size, int) or isinstance(size, bool) or size < 1:
        raise MalformedInput(name, f"anchor size {size!r} is not a positive integer")
    texts = {f: data[f] for f in ("root", "key_id", "signature", "time")}
    bad = [f for f, v in texts.items() if not isinstance(v, str)]
    if bad:
        raise MalformedInput(name, f"anchor field(s) {', '.join(bad)} must be strings")
    return Checkpoint(size=size, **texts)
