"""The offline gazetteer: place names to GeoNames places, loaded once, fast.

The gazetteer is a prebuilt SQLite file (see :mod:`.build`) at
``$DOSSIER_GAZETTEER`` or ``~/.cache/dossier/gazetteer-v1.sqlite``. It is
built from the installed packages on first use and then opened read-only:
opening costs milliseconds because SQLite reads pages on demand, so every
worker process can load it without parsing 80 MB of JSON.

Build it ahead of time with ``python -m dossier.extract.places.gazetteer build``.
"""

from __future__ import annotations

import functools
import logging
import os
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ...errors import ConfigError
from ...records import Place, PlacePrecision
from .build import SCHEMA_VERSION
from .toponym import normalize_name

log = logging.getLogger(__name__)

PlaceKind = Literal["locality", "admin2", "admin1", "country", "continent"]
# Records know no continent precision; a continent is coarser than a
# country, so it carries the coarsest precision there is.
_PRECISION: dict[str, PlacePrecision] = {
    "locality": "locality",
    "admin2": "admin2",
    "admin1": "admin1",
    "country": "country",
    "continent": "country",
}
DEFAULT_PATH = Path(f"~/.cache/dossier/gazetteer-v{SCHEMA_VERSION}.sqlite")
_COLUMNS = "geonames_id, name, kind, lat, lon, cc, admin1_code, admin1, admin2, population, capital"


@dataclass(frozen=True)
class Candidate:
    """One gazetteer entry a name may refer to, with what ranking needs."""

    place: Place
    kind: PlaceKind
    population: int
    admin1_code: str | None
    primary: bool  # the name is the entry's own name, not one of its alternates
    capital: bool = False  # the national capital

    @property
    def region_key(self) -> tuple[str | None, str | None]:
        return (self.place.country, self.place.admin1)


def default_path() -> Path:
    """Where the gazetteer file lives: ``$DOSSIER_GAZETTEER`` or the user cache."""
    return Path(os.environ.get("DOSSIER_GAZETTEER") or DEFAULT_PATH).expanduser()


def _schema_of(path: Path) -> str | None:
    """The schema version a gazetteer file was built with (None if unreadable)."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    return None if row is None else str(row[0])


def _candidate(row: tuple[object, ...], norm: str) -> Candidate:
    gid, name, kind, lat, lon, cc, a1code, a1, a2, pop, capital = row
    precision = _PRECISION[str(kind)]
    place = Place(
        name=str(name),
        lat=round(float(lat), 5),  # type: ignore[arg-type]
        lon=round(float(lon), 5),  # type: ignore[arg-type]
        country=cc,  # type: ignore[arg-type]
        admin1=a1,  # type: ignore[arg-type]
        precision=precision,
        geonames_id=gid,  # type: ignore[arg-type]
        admin2=a2,  # type: ignore[arg-type]
    )
    return Candidate(
        place=place,
        kind=kind,  # type: ignore[arg-type]
        population=int(pop or 0),  # type: ignore[call-overload]
        admin1_code=a1code,  # type: ignore[arg-type]
        primary=normalize_name(str(name)) == norm,
        capital=bool(capital),
    )


class Gazetteer:
    """Read-only lookups of place names in the prebuilt gazetteer file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        uri = f"file:{path}?mode=ro&immutable=1"
        self._con = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._cache: dict[str, list[Candidate]] = {}

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        """Open the gazetteer at ``path`` (default: ``default_path()``), building it if missing."""
        target = path or default_path()
        if not target.exists() or _schema_of(target) != SCHEMA_VERSION:
            from .build import build_gazetteer

            log.info("gazetteer %s missing or of another schema; building it", target)
            try:
                build_gazetteer(target)
            except OSError as exc:
                raise ConfigError(
                    f"cannot write the gazetteer to {target} ({exc}); set DOSSIER_GAZETTEER to a "
                    "writable path or build it with "
                    "`python -m dossier.extract.places.gazetteer build`"
                ) from exc
        return cls(target)

    def candidates(self, name: str) -> list[Candidate]:
        """Every entry called ``name`` (any case, diacritics or listed spelling), largest first."""
        norm = normalize_name(name)
        if norm in self._cache:
            return self._cache[norm]
        rows = self._con.execute(
            f"SELECT {_COLUMNS} FROM names JOIN places USING (pid) WHERE norm = ?", (norm,)
        ).fetchall()
        found = sorted((_candidate(r, norm) for r in rows), key=lambda c: -c.population)
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[norm] = found
        return found

    def country(self, code_or_name: str) -> Place | None:
        """The country with this ISO alpha-2 code or name ("UA", "Ukraine", "USA")."""
        if len(code_or_name) == 2 and code_or_name.isupper():
            row = self._con.execute(
                f"SELECT {_COLUMNS} FROM places WHERE kind = 'country' AND cc = ?", (code_or_name,)
            ).fetchone()
            return None if row is None else _candidate(row, "").place
        found = [c for c in self.candidates(code_or_name) if c.kind == "country"]
        return found[0].place if found else None

    def admin1(self, name: str, country: str | None = None) -> Place | None:
        """The first-level region called ``name`` ("Kyiv", "Texas"), in ``country`` if given."""
        found = [
            c
            for c in self.candidates(name)
            if c.kind == "admin1" and (country is None or c.place.country == country)
        ]
        return found[0].place if found else None


@functools.lru_cache(maxsize=1)
def get_gazetteer() -> Gazetteer:
    """The process-wide gazetteer at the default path, loaded once."""
    return Gazetteer.load()


def main(argv: list[str]) -> int:
    """``python -m dossier.extract.places.gazetteer build [PATH]``: (re)build the file."""
    if not argv or argv[0] != "build":
        sys.stderr.write("usage: python -m dossier.extract.places.gazetteer build [PATH]\n")
        return 2
    from .build import build_gazetteer

    # Only the builder's own progress lines: a root INFO level would also print
    # every library's start-up chatter (Alembic's plugin registrations, for one).
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    builder_log = logging.getLogger("dossier.extract")
    builder_log.addHandler(handler)
    builder_log.setLevel(logging.INFO)
    build_gazetteer(Path(argv[1]).expanduser() if len(argv) > 1 else default_path())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
