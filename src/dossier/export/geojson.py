"""Incidents as a GeoJSON FeatureCollection (RFC 7946): a Point per located incident.

Properties hold the whole incident record, so a map client has everything the
list shows; incidents without coordinates get a null geometry rather than
being dropped, so the export always holds every incident the filter matched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from ..records import ReviewedIncident


def feature(incident: ReviewedIncident) -> dict[str, Any]:
    """One incident as a Feature; coordinates are [longitude, latitude] as RFC 7946 says."""
    place = incident.incident.place
    geometry = None
    if place is not None and place.lat is not None and place.lon is not None:
        geometry = {"type": "Point", "coordinates": [place.lon, place.lat]}
    return {
        "type": "Feature",
        "id": incident.id,
        "geometry": geometry,
        "properties": incident.to_json(),
    }


def write_geojson(incidents: Iterable[ReviewedIncident], stream: TextIO) -> int:
    """Stream a FeatureCollection one feature at a time; return the number of features."""
    stream.write('{"type":"FeatureCollection","features":[')
    n = 0
    for incident in incidents:
        if n:
            stream.write(",")
        stream.write("\n")
        stream.write(json.dumps(feature(incident), ensure_ascii=False, sort_keys=True))
        n += 1
    stream.write("\n]}\n")
    return n
