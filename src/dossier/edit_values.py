"""The values a review edit may give an incident's fields, as pydantic models.

One definition serves both ends: ``review.actions`` refuses an edit that does
not fit (400, naming the field and the reason) and stores the normalised
value; ``review.incidents`` checks every stored edit again when it reads an
incident, so a value that got into the store some other way (an older
version, a hand-edited database) is left out with a warning instead of
breaking the incident page, the report or an export.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    TypeAdapter,
    ValidationError,
    model_validator,
)

from .records import EventType, HarmKind, PlacePrecision, TimePrecision

EDIT_FIELDS = ("type", "place", "time", "perpetrator", "harm")
MAX_COUNT = 10**9  # more people than any incident has; keeps counts inside every integer column
Text = Annotated[str, Field(max_length=500)]
Name = Annotated[str, Field(max_length=200)]
Side = Annotated[str, Field(pattern=r"^[A-Z]{2}$")]
Count = Annotated[int, Field(ge=0, le=MAX_COUNT)]
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    # pydantic's lax date also takes numbers (as timestamps); a review date is written out
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        raise ValueError(f"must be an ISO date YYYY-MM-DD, got {value!r}")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]


class _Strict(BaseModel):
    # unknown keys are refused: a typo must not pass as an edit that changes nothing
    model_config = ConfigDict(extra="forbid", frozen=True)


class PlaceValue(_Strict):
    name: Name = ""
    lat: Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
    lon: Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
    country: Side | None = None
    admin1: Name | None = None
    precision: PlacePrecision = "point"
    geonames_id: Annotated[int, Field(ge=0, le=2**53)] | None = None
    admin2: Name | None = None


class TimeValue(_Strict):
    start: Day
    end: Day
    precision: TimePrecision = "day"
    text: Text | None = None

    @model_validator(mode="after")
    def _ordered(self) -> TimeValue:
        if self.start > self.end:
            raise ValueError(f"start {self.start} is after end {self.end}")
        return self


class PerpetratorValue(_Strict):
    text: Text = ""
    side: Side | None = None


class HarmValue(_Strict):
    kind: HarmKind
    category: Name | None = None
    min: Count | None = None
    max: Count | None = None
    text: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _whole(cls, data: Any) -> Any:
        # 2.5 people or "many" are not counts; pydantic's lax int would take "12" and 12.0
        if isinstance(data, dict):
            for key in ("min", "max"):
                value = data.get(key)
                if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                    raise ValueError(f"{key} must be a whole number or null, got {value!r}")
        return data

    @model_validator(mode="after")
    def _ordered(self) -> HarmValue:
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is more than max {self.max}")
        return self


_ADAPTERS: dict[str, TypeAdapter[Any]] = {
    "type": TypeAdapter(EventType),
    "place": TypeAdapter(PlaceValue),
    "time": TypeAdapter(TimeValue),
    "perpetrator": TypeAdapter(PerpetratorValue),
    "harm": TypeAdapter(Annotated[list[HarmValue], Field(max_length=50)]),
}


class EditValueError(ValueError):
    """An edit value that does not fit its field; the message names where and why."""


def _explain(field: str, exc: ValidationError) -> str:
    parts = []
    for e in exc.errors()[:5]:
        where = ".".join(str(x) for x in (field, *e["loc"]))
        parts.append(f"{where}: {e['msg']}")
    return "; ".join(parts)


def check_edit(field: Any, value: Any) -> Any:
    """``value`` normalised for ``field`` (plain JSON), or EditValueError naming the fault."""
    if field not in _ADAPTERS:
        raise EditValueError(f"cannot edit {field!r}; editable: {', '.join(EDIT_FIELDS)}")
    adapter = _ADAPTERS[field]
    try:
        checked = adapter.validate_python(value)
    except ValidationError as exc:
        raise EditValueError(_explain(field, exc)) from exc
    return adapter.dump_python(checked, mode="json")
