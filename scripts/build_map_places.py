"""Rebuild the map's place labels (src/dossier/web/static/mapdata/places-*.json) from the gazetteer.

The gazetteer (GeoNames, shipped in packages; see dossier.extract.gazetteer_build)
holds every populated place with its population. A label gets the first zoom at
which it is the most populous place within a label's box of those already shown
(national capitals first), so each zoom shows the largest places that fit, and a
label once shown stays at every closer zoom. Three files: zooms 2-6 (loaded at once),
7-8 and 9-11 (loaded when zoomed in that far).

    PYTHONPATH=src python scripts/build_map_places.py
"""

from __future__ import annotations

import json
import math
import sqlite3
import sys
from pathlib import Path

from dossier.extract.gazetteer import get_gazetteer

OUT = Path(__file__).resolve().parent.parent / "src/dossier/web/static/mapdata"
ZOOMS = range(2, 12)
PARTS = ((2, 6), (7, 8), (9, 11))  # zooms per file: places-1.json, places-2.json, places-3.json
MIN_POPULATION = 5000
BOX = (110.0, 28.0)  # pixels: a label's width and height, with margin


def project(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates at ``zoom`` (256-pixel tiles)."""
    size = 256 * 2**zoom
    lat = max(min(lat, 85.0), -85.0)
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * size, (1 - y / math.pi) / 2 * size


def main() -> int:
    path = get_gazetteer().path
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    names = dict(con.execute("SELECT pid, COUNT(*) FROM names GROUP BY pid"))
    found = con.execute(
        "SELECT pid, name, lat, lon, population, capital FROM places WHERE kind = 'locality' "
        "AND (population >= ? OR capital = 1)",
        (MIN_POPULATION,),
    ).fetchall()
    # A city's districts (GeoNames counts them as places, some more populous than the
    # city) have few names; a known place has many: weigh population by renown.
    found.sort(key=lambda r: (-r[5], -r[4] * math.sqrt(min(names.get(r[0], 1), 40) / 40), r[1]))
    rows = [r[1:] for r in found]
    minzoom: list[int | None] = [None] * len(rows)
    for zoom in ZOOMS:
        grid: dict[tuple[int, int], list[tuple[float, float]]] = {}

        def free(
            x: float, y: float, grid: dict[tuple[int, int], list[tuple[float, float]]] = grid
        ) -> bool:
            cx, cy = int(x // BOX[0]), int(y // BOX[1])
            for gx in (cx - 1, cx, cx + 1):
                for gy in (cy - 1, cy, cy + 1):
                    for ox, oy in grid.get((gx, gy), ()):
                        if abs(ox - x) < BOX[0] and abs(oy - y) < BOX[1]:
                            return False
            return True

        for k, (_, lat, lon, _, _) in enumerate(rows):
            x, y = project(lat, lon, zoom)
            if minzoom[k] is None and free(x, y):
                minzoom[k] = zoom
            if minzoom[k] is not None:
                grid.setdefault((int(x // BOX[0]), int(y // BOX[1])), []).append((x, y))
    chosen = sorted(
        (z, -pop, name, round(lat, 4), round(lon, 4), pop)
        for z, (name, lat, lon, pop, _) in zip(minzoom, rows, strict=True)
        if z is not None
    )
    source = "GeoNames (CC BY 4.0) through the Dossier gazetteer; populous places per zoom"
    for part, (low, high) in enumerate(PARTS, 1):
        places = [
            [name, lat, lon, z, pop] for z, _, name, lat, lon, pop in chosen if low <= z <= high
        ]
        target = OUT / f"places-{part}.json"
        target.write_text(
            json.dumps(
                {"source": source, "places": places}, ensure_ascii=False, separators=(",", ":")
            )
            + "\n",
            encoding="utf-8",
        )
        print(f"{target}: {len(places)} places, {target.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
