"""Every setting Dossier reads is documented, found from the code rather than a hand list.

- Every settings class (a ``pydantic_settings.BaseSettings`` subclass anywhere in
  src/dossier, found by reading the sources) has a documentation page chosen by
  its environment prefix; each of its fields has a row there, and no row names
  a field that is gone. ``config.Settings`` (``DOSSIER_``) is docs/settings.md,
  whose rows also give the variable; ``web.settings.WebSettings``
  (``DOSSIER_WEB_``) is docs/web.md's Settings table.
- Every environment variable read outside those classes (a ``"DOSSIER_…"`` string
  in the sources: ``DOSSIER_GAZETTEER``, the CLI's ``DOSSIER_HOME``) is named
  in docs/settings.md.
"""

from __future__ import annotations

import ast
import importlib
import re
from functools import cache
from pathlib import Path

import pytest
from pydantic_settings import BaseSettings

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src" / "dossier"
DOCS = REPO / "docs"
# Environment prefix -> the page whose table documents that class's fields.
PAGES = {"DOSSIER_": DOCS / "settings.md", "DOSSIER_WEB_": DOCS / "web.md"}
_VARIABLE = re.compile(r"DOSSIER_[A-Z][A-Z0-9_]*[A-Z0-9]")


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def settings_classes() -> tuple[type[BaseSettings], ...]:
    """Every BaseSettings subclass defined in src/dossier."""
    found: list[type[BaseSettings]] = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                ast.unparse(base).split(".")[-1] == "BaseSettings" for base in node.bases
            ):
                cls = getattr(importlib.import_module(_module(path)), node.name)
                assert issubclass(cls, BaseSettings)
                found.append(cls)
    return tuple(found)


def variables_in_code() -> set[str]:
    """Every whole string constant in src/dossier that names a DOSSIER_ variable."""
    names: set[str] = set()
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and _VARIABLE.fullmatch(node.value):
                names.add(node.value)
    return names


def prefix(cls: type[BaseSettings]) -> str:
    return str(cls.model_config.get("env_prefix", ""))


def documented_rows(page: Path) -> dict[str, str]:
    """Setting name -> its table row on ``page`` (rows that begin with a `name` cell; a
    row that begins with a variable, `DOSSIER_…`, documents a variable, not a field)."""
    rows = {}
    for line in page.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*`(\w+)`\s*\|", line)
        if match and not _VARIABLE.fullmatch(match.group(1)):
            rows[match.group(1)] = line
    return rows


def fields() -> list[tuple[str, str]]:
    return [
        (f"{cls.__module__}.{cls.__qualname__}", name)
        for cls in settings_classes()
        for name in sorted(cls.model_fields)
    ]


def _class(qualified: str) -> type[BaseSettings]:
    return next(c for c in settings_classes() if f"{c.__module__}.{c.__qualname__}" == qualified)


def test_the_settings_classes_are_found() -> None:
    from dossier.config import Settings
    from dossier.web.settings import WebSettings

    assert {Settings, WebSettings} <= set(settings_classes())


@pytest.mark.parametrize("cls", settings_classes(), ids=lambda c: c.__qualname__)
def test_every_settings_class_has_a_documentation_page(cls: type[BaseSettings]) -> None:
    assert prefix(cls) in PAGES, (
        f"{cls.__module__}.{cls.__qualname__} reads {prefix(cls)}<NAME>: document its "
        "settings in a table under docs/ and add the page to PAGES in this test"
    )
    assert f"`{prefix(cls)}<NAME>`" in PAGES[prefix(cls)].read_text(encoding="utf-8")


@pytest.mark.parametrize(("qualified", "name"), fields())
def test_setting_is_documented_with_its_environment_variable(qualified: str, name: str) -> None:
    cls = _class(qualified)
    page = PAGES[prefix(cls)]
    rows = documented_rows(page)
    assert name in rows, f"docs/{page.name} has no row for the setting {name!r} of {qualified}"
    if page.name == "settings.md":  # its table has a column for the variable
        assert f"`{prefix(cls)}{name.upper()}`" in rows[name]


@pytest.mark.parametrize("cls", settings_classes(), ids=lambda c: c.__qualname__)
def test_no_documented_setting_is_gone(cls: type[BaseSettings]) -> None:
    page = PAGES[prefix(cls)]
    stale = set(documented_rows(page)) - set(cls.model_fields)
    assert not stale, f"docs/{page.name} documents settings that no longer exist: {sorted(stale)}"


def test_every_variable_read_outside_a_settings_class_is_documented() -> None:
    read = variables_in_code()
    assert "DOSSIER_GAZETTEER" in read  # the scan sees os.environ.get("DOSSIER_GAZETTEER")
    of_classes = {
        prefix(cls) + name.upper() for cls in settings_classes() for name in cls.model_fields
    }
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    missing = sorted(v for v in read - of_classes if f"`{v}`" not in text)
    assert not missing, f"docs/settings.md does not name the environment variables {missing}"
