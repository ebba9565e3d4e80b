"""The Corroborator's saved state: plain JSON in the database, never code.

One row per (extraction pipeline, corroboration version). A row of another
version is simply not read; a row that does not parse or does not fit the
store is the caller's to rebuild. ``revision`` counts saves: a run saves only
over the revision it loaded, so two runs (a ``dossier corroborate`` and a
merge in the web app) cannot overwrite each other unseen.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from ..errors import StoreError
from ..evidence.custody import utc_now
from . import tables
from .database import Store


class StateConflict(StoreError):
    """Another run saved the corroboration state since this one loaded it."""


@dataclass(frozen=True)
class SavedState:
    revision: int
    data: Any  # parsed JSON; the caller checks its shape


def load_state(store: Store, pipeline: str, version: str) -> SavedState | None:
    """The saved state of (pipeline, version); its data is None when it does not parse."""
    s = tables.corroboration_state
    with store.engine.connect() as conn:
        row = conn.execute(
            select(s.c.revision, s.c.data).where(s.c.pipeline == pipeline, s.c.version == version)
        ).first()
    if row is None:
        return None
    try:
        data = json.loads(row.data)
    except ValueError:
        data = None
    return SavedState(int(row.revision), data)


def save_state(conn: Connection, pipeline: str, version: str, seen: int | None, data: Any) -> int:
    """Save ``data`` over revision ``seen`` (None: there was none) inside ``conn``'s transaction.

    Returns the new revision; raises ``StateConflict`` when the stored
    revision is not ``seen`` any more.
    """
    s = tables.corroboration_state
    text = json.dumps(data, separators=(",", ":"), allow_nan=False)
    now = utc_now()
    key = (s.c.pipeline == pipeline, s.c.version == version)
    current = conn.execute(select(s.c.revision).where(*key)).scalar_one_or_none()
    if current != seen:
        raise StateConflict(
            f"corroboration state of {pipeline} / {version} changed while this run worked "
            f"(revision {seen} -> {current}); run `dossier corroborate` again"
        )
    if current is None:
        conn.execute(
            insert(s).values(
                pipeline=pipeline, version=version, revision=1, data=text, updated_at=now
            )
        )
        return 1
    revision = int(current) + 1
    conn.execute(update(s).where(*key).values(revision=revision, data=text, updated_at=now))
    return revision


def state_saver(
    pipeline: str, version: str, seen: int | None, data_for: Callable[[str], Any]
) -> Callable[[Connection, str], None]:
    """The ``state`` hook of ``incidents.update_incidents``: inside its transaction, save
    ``data_for(digest)`` (the digest of the incidents just written) over revision ``seen``."""

    def save(conn: Connection, digest: str) -> None:
        save_state(conn, pipeline, version, seen, data_for(digest))

    return save
