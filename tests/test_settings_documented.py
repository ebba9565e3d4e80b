"""Every setting in config.Settings is documented in docs/settings.md, with its variable."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dossier.config import Settings

DOC = Path(__file__).resolve().parents[1] / "docs" / "settings.md"


def documented_rows() -> dict[str, str]:
    """Setting name -> its table row in docs/settings.md."""
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\|\s*`(\w+)`\s*\|", line)
        if match:
            rows[match.group(1)] = line
    return rows


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_setting_is_documented_with_its_environment_variable(name: str) -> None:
    rows = documented_rows()
    assert name in rows, f"docs/settings.md has no row for the setting {name!r}"
    assert f"`DOSSIER_{name.upper()}`" in rows[name]


def test_no_documented_setting_is_gone() -> None:
    stale = set(documented_rows()) - set(Settings.model_fields)
    assert not stale, f"docs/settings.md documents settings that no longer exist: {sorted(stale)}"
