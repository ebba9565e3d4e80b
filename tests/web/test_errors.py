"""One table maps Dossier's exception classes to HTTP statuses; routes only raise."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dossier import errors
from dossier.web.errors import status_of

ROUTES = Path(__file__).resolve().parents[2] / "src" / "dossier" / "web" / "routes"
IN_THE_FORM = {("pages.py", "FilterError"), ("pages.py", "Conflict", "InvalidRequest", "NotFound")}


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (errors.ReviewInvalid("every review action needs a reason"), 400),
        (errors.FilterError("bbox must be 4 numbers", "bbox"), 400),
        (errors.InvalidRequest("kind must be document or incident", "kind"), 400),
        (errors.ReviewNotAllowed("merge needs the reviewer role"), 403),
        (errors.PermissionDenied("this document is restricted"), 403),
        (errors.ReviewNotFound("no incident 'x'"), 404),
        (errors.NotFound("no document 'x'"), 404),
        (errors.ReviewConflict("already merged"), 409),
    ],
)
def test_each_error_class_has_its_status(exc: errors.DossierError, status: int) -> None:
    assert status_of(exc) == status


def test_an_error_that_is_not_the_askers_has_no_status() -> None:
    # a store or integrity failure is a 500 with nothing of its message shown
    for exc in (errors.StoreError("db"), errors.IntegrityError("hash"), errors.Busy("x")):
        with pytest.raises(LookupError):
            status_of(exc)


def test_review_errors_say_what_happened_not_how_to_answer() -> None:
    from dossier.review import actions

    assert not hasattr(actions, "ReviewRefused")
    for cls in (errors.ReviewInvalid, errors.ReviewNotAllowed, errors.ReviewNotFound):
        assert not hasattr(cls("x"), "status")


def test_no_route_builds_an_error_answer_itself() -> None:
    # The 13 `except ... return error(...)` blocks of five route modules are gone: a
    # route raises, web/errors.py answers. An except clause naming a Dossier error, an
    # error page rendered or an {"error": ...} body built in a route brings them back.
    names = {n for n in dir(errors) if isinstance(getattr(errors, n), type)}
    found = []
    for path in sorted(ROUTES.glob("*.py")):
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ExceptHandler) and node.type is not None:
                caught = {
                    n.id if isinstance(n, ast.Name) else n.attr
                    for n in ast.walk(node.type)
                    if isinstance(n, ast.Name | ast.Attribute)
                }
                # pages that show the refusal in their own form: the incident list keeps
                # the readable filters and says which it left out; the users page
                if caught & names and (path.name, *sorted(caught)) not in IN_THE_FORM:
                    found.append(f"{path.name}:{node.lineno} except {sorted(caught & names)}")
            if isinstance(node, ast.Constant) and node.value == "error.html":
                found.append(f"{path.name}:{node.lineno} renders error.html")
            if isinstance(node, ast.Dict) and any(
                isinstance(k, ast.Constant) and k.value == "error" and isinstance(v, ast.Dict)
                for k, v in zip(node.keys, node.values, strict=True)
            ):
                found.append(f"{path.name}:{node.lineno} builds an error body")
    assert not found


def test_a_refusal_answers_json_to_the_api_and_a_page_to_a_browser(
    api: Callable[[str | None], TestClient], as_role: Callable[[str | None], TestClient]
) -> None:
    r = api("viewer").get("/api/v1/incidents/no-such-incident")
    assert (r.status_code, r.json()) == (
        404,
        {"error": {"status": 404, "message": "no incident 'no-such-incident'"}},
    )
    r = api("viewer").get("/api/v1/search", params={"q": "x", "kind": "weather"})
    assert (r.status_code, r.json()["error"]["message"]) == (
        400,
        "kind must be document or incident",
    )
    page = as_role("viewer").get("/incidents/no-such-incident")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert "no incident no-such-incident" in page.text
    assert 'action="/logout"' in page.text or "logout" in page.text.lower()  # the nav is kept
