"""``/charts``: events and fatalities per week or month, and the table by region (with its CSV).

Every figure is aggregated on the server from ``View.list_incidents``, so an
incident the role may not see changes no bar, count or cell. The table's CSV
is a ``downloaded`` custody entry like the other exports.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from ...errors import InvalidRequest
from ...export.downloads import log_bytes
from ...records import Incident
from ...store.memo import since_last_change
from ..charts import (
    REGION_SORTS,
    UNITS,
    Unit,
    chart,
    chart_types,
    period_of,
    previous_period,
    region_rows,
    regions_csv,
    series,
)
from ..render import render
from ..security import GuardedRoute, role
from ..views import FilterError, Query, parse_query, policy

router = APIRouter(route_class=GuardedRoute, include_in_schema=False)


def _choices(request: Request) -> tuple[Unit, str]:
    unit = str(request.query_params.get("unit") or "week")
    if unit not in UNITS:
        raise FilterError(f"unit must be one of {', '.join(UNITS)}, got {unit[:40]!r}", "unit")
    by = str(request.query_params.get("by") or "-events")
    if by.lstrip("-") not in REGION_SORTS:
        raise FilterError(
            f"by must be one of {', '.join(REGION_SORTS)} (a leading - for descending), "
            f"got {by[:40]!r}",
            "by",
        )
    return unit, by


def _regions(
    request: Request, query: Query, items: list[Incident], by: str
) -> tuple[tuple[date, date] | None, list[Any]]:
    """The period (the filter's dates), and the rows by region beside the period before it."""
    period = period_of(query.filter.since, query.filter.until, items)
    if period is None:
        return None, []
    before = previous_period(period)
    earlier: list[Incident] = []
    if query.filter.since:
        found, _ = policy(request).list_incidents(
            replace(query.filter, since=before[0].isoformat(), until=before[1].isoformat()),
            sort="date",
        )
        earlier = [i.incident for i in found]
    # else the period starts on the first day of the matching incidents: none lies before it,
    # and the second read (a whole list at 20k incidents) is saved
    return period, region_rows(items, earlier, period, by)


@router.get("/charts", openapi_extra=role("viewer"))
def charts_page(request: Request) -> Response:
    store, view = request.app.state.store, policy(request)
    unit, by = _choices(request)  # a FilterError is a 400 page (web/errors.py)
    query = parse_query(store, request.query_params, view=view)

    def figures() -> dict[str, Any]:
        found, total = view.list_incidents(query.filter, sort="date")
        items = [i.incident for i in found]
        s = series(items, unit)
        types = chart_types(s)
        period, rows = _regions(request, query, items, by)
        return {
            "total": total,
            "series": s,
            "types": types,
            "charts": [chart(s, "events", types), chart(s, "fatalities", types)]
            if s.periods
            else [],
            "period": period,
            "previous": previous_period(period) if period else None,
            "rows": rows,
        }

    # reading every matching incident is the page's cost: once per store state, role and query
    key = ("charts", view.role, unit, by, tuple(sorted(query.params.items())))
    shown = since_last_change(store, key, figures)
    return render(
        request,
        "charts.html",
        {
            "params": query.params,
            "unit": unit,
            "by": by,
            **shown,
        },
    )


@router.get("/charts/regions.csv", openapi_extra=role("viewer"))
def regions_download(request: Request) -> Response:
    """The table by region for the current filters as CSV; logged with the hash of its bytes."""
    store, view = request.app.state.store, policy(request)
    _, by = _choices(request)
    query = parse_query(store, request.query_params, view=view)
    found, _ = view.list_incidents(query.filter, sort="date")
    period, rows = _regions(request, query, [i.incident for i in found], by)
    if period is None:
        raise InvalidRequest("no dated incident matches the filters; no table to send")
    data = regions_csv(rows, period)
    detail = {
        "filters": query.params,
        "sort": by,
        "period": [period[0].isoformat(), period[1].isoformat()],
        "rows": len(rows),
    }
    digest = log_bytes(store, request.state.account.name, "regions", data, detail=detail)
    return Response(
        data,
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="dossier-regions.csv"',
            "X-Content-SHA256": digest,
        },
    )
