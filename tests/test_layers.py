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


def test_no_import_error_is_swallowed() -> None:
    # A missing module is a broken installation: an error naming the package and the
    # install command, never a quiet fallback that hides it.
    import ast

    quiet = []
    for path in sorted((REPO / "src" / "dossier").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Try):
                continue
            for handler in node.handlers:
                names = ast.unparse(handler.type) if handler.type else ""
                catches = "ImportError" in names or "ModuleNotFoundError" in names
                if catches and not any(isinstance(n, ast.Raise) for n in ast.walk(handler)):
                    quiet.append(f"{path.relative_to(REPO)}:{handler.lineno}")
    assert not quiet, f"ImportError caught without raising: {quiet}"
