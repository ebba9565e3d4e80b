"""The incident filter options, shared by ``dossier incidents`` and ``dossier export``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from ..store.incidents import SORTS, IncidentFilter


def _near(value: str | None) -> tuple[float, float, float] | None:
    if not value:
        return None
    try:
        lat, lon, km = (float(x) for x in value.split(","))
    except ValueError as exc:
        raise click.BadParameter("give LAT,LON,KM, for example 50.54,30.22,25") from exc
    return lat, lon, km


def filter_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Add the filter options; the command receives them as ``**filters``."""
    options = [
        click.option("--type", "type_", help="Event type (any of the incident's types)."),
        click.option("--country", help="ISO 3166 alpha-2 country code."),
        click.option("--admin1", help="First-level region, e.g. 'Kyiv Oblast'."),
        click.option("--near", help="LAT,LON,KM: within KM kilometres of a point."),
        click.option("--since", help="Incidents that end on or after this date."),
        click.option("--until", help="Incidents that start on or before this date."),
        click.option("--side", help="Perpetrator side (ISO alpha-2)."),
        click.option(
            "--grade", help="single_source, corroborated, well_corroborated, contested, discounted."
        ),
        click.option("--min-sources", type=int, help="At least this many independent sources."),
        click.option("--review", help="Review status."),
        click.option(
            "--sort", type=click.Choice(sorted(SORTS)), default="-date", show_default=True
        ),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def make_filter(**kw: Any) -> IncidentFilter:
    from ..ingest.runner import normalise_date

    return IncidentFilter(
        type=kw.get("type_"),
        country=kw.get("country"),
        admin1=kw.get("admin1"),
        near=_near(kw.get("near")),
        since=normalise_date(kw.get("since"), "--since"),
        until=normalise_date(kw.get("until"), "--until"),
        side=kw.get("side"),
        grade=kw.get("grade"),
        min_sources=kw.get("min_sources"),
        review=kw.get("review"),
    )
