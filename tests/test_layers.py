"""The layers of STYLE.md hold: import-linter's contract in pyproject.toml is kept."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_imports_follow_the_layers(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("importlinter", reason="import-linter is in the test extra")
    from importlinter.cli import lint_imports

    monkeypatch.chdir(REPO)
    assert lint_imports(no_cache=True) == 0, "run lint-imports to see the broken contract"
