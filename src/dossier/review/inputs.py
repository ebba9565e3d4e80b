"""The parameters of each review action, as pydantic models, and the length caps of free text.

``actions.review`` checks an action's parameters here before it opens a
transaction, so a wrongly typed parameter (``"on": "yes please"``, a list as
``to``, a 20 MB note) is a 400 naming the parameter, never a stored value or
a 500. The vocabularies (statuses, flags, link kinds) and the edit values
(``edit_values``) are checked where the action is applied, with messages
that list the choices.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

MAX_TEXT = 10_000  # characters of a reason or a note: a paragraph, not a document
Id = Annotated[str, Field(max_length=200)]
Word = Annotated[str, Field(max_length=100)]


class _Params(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class NoParams(_Params):
    """confirm, reject: the action says it all."""


class StatusParams(_Params):
    status: Word | None = None


class EditParams(_Params):
    field: Word | None = None
    value: Any = None


class NoteParams(_Params):
    note: Annotated[str, Field(max_length=MAX_TEXT)] | None = None


class AssignParams(_Params):
    to: Id | None = None


class FlagParams(_Params):
    flag: Word | None = None
    on: bool = True


class LinkParams(_Params):
    kind: Word | None = None
    to: Id | None = None


class MergeParams(_Params):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    with_: Id | None = Field(default=None, alias="with")


class SplitParams(_Params):
    model_config = ConfigDict(extra="allow", populate_by_name=True)
    events: Annotated[list[Id], Field(max_length=10_000)] | None = None


PARAMS: dict[str, type[_Params]] = {
    "status": StatusParams,
    "confirm": NoParams,
    "reject": NoParams,
    "edit": EditParams,
    "note": NoteParams,
    "assign": AssignParams,
    "flag": FlagParams,
    "link": LinkParams,
    "merge": MergeParams,
    "split": SplitParams,
}


class ParamsError(ValueError):
    """Parameters that do not fit their action; the message names each one and why."""


def check_reason(reason: str) -> None:
    if len(reason) > MAX_TEXT:
        raise ParamsError(f"the reason is {len(reason)} characters; at most {MAX_TEXT} are kept")


def check_params(action: str, params: dict[str, Any]) -> dict[str, Any]:
    """``params`` typed for ``action`` (only the keys given); ParamsError when they do not fit."""
    model = PARAMS.get(action)
    if model is None:
        return params
    if not isinstance(params, dict):
        raise ParamsError(f"params of {action} must be an object")
    try:
        parsed = model.model_validate(params)
    except ValidationError as exc:
        problems = "; ".join(
            ".".join(str(x) for x in ("params", *e["loc"])) + f": {e['msg']}"
            for e in exc.errors()[:5]
        )
        raise ParamsError(f"{action}: {problems}") from exc
    return {**params, **parsed.model_dump(by_alias=True, exclude_unset=True)}
