"""An offline map for reports: points drawn on country outlines as inline SVG.

The outlines are Natural Earth's 1:50m countries as pre-built TopoJSON
(world-atlas 2.0.2, ISC licence, in ``data/``); no tiles and no network. The
projection is equirectangular scaled by the cosine of the view's middle
latitude, which keeps shapes right at the scale of a region. The SVG carries
classes, no styles: the report's stylesheet (``templates/report.css``) colours
it, so it renders under a Content-Security-Policy that refuses inline styles.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from ..records import Incident

WIDTH, HEIGHT = 640, 400
MIN_SPAN_DEG = 10.0  # the smallest view, so one point still shows its region


@dataclass(frozen=True)
class MapPoint:
    lat: float
    lon: float
    label: str
    main: bool = False


@cache
def _countries() -> list[tuple[str, list[list[list[tuple[float, float]]]]]]:
    """(name, polygons) per country; each polygon a list of rings of (lon, lat)."""
    raw = resources.files(__package__).joinpath("data/countries-50m.json").read_text("utf-8")
    topo = json.loads(raw)
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs: list[list[tuple[float, float]]] = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # delta-encoded quantized positions
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        out: list[tuple[float, float]] = []
        for i in indexes:
            points = arcs[i] if i >= 0 else arcs[~i][::-1]
            out.extend(points if not out else points[1:])
        return out

    result = []
    for geom in topo["objects"]["countries"]["geometries"]:
        name = (geom.get("properties") or {}).get("name", "")
        if geom["type"] == "Polygon":
            polygons = [[ring(r) for r in geom["arcs"]]]
        elif geom["type"] == "MultiPolygon":
            polygons = [[ring(r) for r in poly] for poly in geom["arcs"]]
        else:
            continue
        result.append((name, polygons))
    return result


def _view(points: list[MapPoint]) -> tuple[float, float, float, float]:
    """South, west, north, east of a view around the points, padded, in the map's aspect."""
    lats, lons = [p.lat for p in points], [p.lon for p in points]
    mid_lat = (min(lats) + max(lats)) / 2
    k = max(math.cos(math.radians(mid_lat)), 0.2)
    span_lon = max(max(lons) - min(lons), (max(lats) - min(lats)) / k, MIN_SPAN_DEG) * 1.3
    span_lat = span_lon * k * HEIGHT / WIDTH
    mid_lon = (min(lons) + max(lons)) / 2
    return (
        mid_lat - span_lat / 2,
        mid_lon - span_lon / 2,
        mid_lat + span_lat / 2,
        mid_lon + span_lon / 2,
    )


def render_map(points: list[MapPoint], title: str = "Map") -> str:
    """An SVG document fragment; an empty string when no point has coordinates."""
    if not points:
        return ""
    south, west, north, east = _view(points)

    def xy(lon: float, lat: float) -> tuple[float, float]:
        return (lon - west) / (east - west) * WIDTH, (north - lat) / (north - south) * HEIGHT

    paths, labels = [], []
    for name, polygons in _countries():
        d = []
        inside: list[tuple[float, float]] = []
        for polygon in polygons:
            for r in polygon:
                xs = [p[0] for p in r]
                ys = [p[1] for p in r]
                if max(xs) < west or min(xs) > east or max(ys) < south or min(ys) > north:
                    continue  # outside the view: keep the SVG small
                coords = " ".join("{:.1f},{:.1f}".format(*xy(lon, lat)) for lon, lat in r)
                d.append(f"M{coords}Z")
                inside += [
                    (lon, lat) for lon, lat in r if west < lon < east and south < lat < north
                ]
        if d:
            paths.append(f'<path d="{"".join(d)}"><title>{escape(name)}</title></path>')
        if len(inside) > 20:  # enough of the country shows to be worth naming
            x, y = xy(
                sum(p[0] for p in inside) / len(inside), sum(p[1] for p in inside) / len(inside)
            )
            labels.append(f'<text class="country" x="{x:.1f}" y="{y:.1f}">{escape(name)}</text>')
    marks = []
    for p in sorted(points, key=lambda p: p.main):
        x, y = xy(p.lon, p.lat)
        radius, cls = (7.0, "main") if p.main else (4.5, "report")
        marks.append(
            f'<circle class="{cls}" cx="{x:.1f}" cy="{y:.1f}" r="{radius}">'
            f"<title>{escape(p.label)}</title></circle>"
        )
        if p.main:
            marks.append(f'<text x="{x + 10:.1f}" y="{y + 4:.1f}">{escape(p.label)}</text>')
    caption = (
        f"{south:.2f}°..{north:.2f}° N, {west:.2f}°..{east:.2f}° E · outlines: Natural Earth 1:50m"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label={quoteattr(title)} class="map">'
        f'<rect class="sea" width="{WIDTH}" height="{HEIGHT}"/>'
        + "".join(paths)
        + "".join(labels)
        + "".join(marks)
        + f'<text class="caption" x="6" y="{HEIGHT - 6}">{escape(caption)}</text></svg>'
    )


def points_of(incident: Incident, events: list[dict[str, Any]]) -> list[MapPoint]:
    """The incident's place (main) and each report's place, where coordinates are known."""
    out = []
    place = incident.place
    if place is not None and place.lat is not None and place.lon is not None:
        out.append(MapPoint(float(place.lat), float(place.lon), place.name or "incident", True))
    for ev in events:
        p = ev.get("place") or {}
        if p.get("lat") is not None and p.get("lon") is not None:
            out.append(MapPoint(float(p["lat"]), float(p["lon"]), p.get("name") or ""))
    return out
