"""``export_incidents``: the filtered incidents in one format, streamed page by page.

The one entry point the CLI, the web download buttons and ``/api/v1/export``
call, so all of them write the same bytes for the same filter.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import TextIO

from ..errors import InvalidRequest
from ..records import ReviewedIncident
from ..review.incidents import list_reviewed
from ..review.visibility import View
from ..store.database import Store
from ..store.incidents import SORTS, IncidentFilter
from .acled import write_csv
from .geojson import write_geojson
from .jsonl import write_jsonl

log = logging.getLogger(__name__)
PAGE = 1000

WRITERS: dict[str, Callable[[Iterable[ReviewedIncident], TextIO], int]] = {
    "csv": write_csv,
    "geojson": write_geojson,
    "jsonl": write_jsonl,
}
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "jsonl": "application/jsonl",
}


def iter_incidents(store: Store, f: IncidentFilter, sort: str = "id") -> Iterator[ReviewedIncident]:
    """Every incident matching ``f`` in ``sort`` order, read a page at a time."""
    offset = 0
    while True:
        # every sort ends on the id, so pages neither overlap nor skip rows
        items, total = list_reviewed(store, f, sort=sort, limit=PAGE, offset=offset)
        yield from items
        offset += PAGE
        # `near` filters after the page is read, so a page may come back short
        # or empty while more rows remain: stop on the database's count.
        if offset >= total:
            return


def export_incidents(
    store: Store,
    f: IncidentFilter,
    fmt: str,
    stream: TextIO,
    *,
    sort: str = "id",
    view: View | None = None,
) -> int:
    """Write the incidents matching ``f`` to ``stream`` as ``fmt`` (csv, geojson, jsonl).

    Returns the number of incidents written; ``sort`` is one of the store's
    sorts; ``view``, when given, is the visibility policy the export goes
    through: the incidents its role may not see are left out in the store
    query, and the rest are redacted as that role sees them. None: everything
    (the local owner).
    """
    try:
        writer = WRITERS[fmt]
    except KeyError:
        raise InvalidRequest(
            f"unknown export format {fmt!r}; choose one of {', '.join(WRITERS)}", "format"
        ) from None
    if sort not in SORTS:
        raise InvalidRequest(f"unknown sort {sort!r}; choose one of {', '.join(SORTS)}", "sort")
    if view is None:
        items = iter_incidents(store, f, sort)
    else:
        scoped = view.scope(f)
        items = itertools.chain(
            map(view.incident, iter_incidents(store, scoped, sort)), view.recounted(scoped, sort)
        )
    n = writer(items, stream)
    log.info("exported %d incident(s) as %s", n, fmt)
    return n
