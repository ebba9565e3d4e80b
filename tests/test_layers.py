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


# Modules outside store/ that still speak SQL, each with the work that will end it.
# The test below fails on any other module that imports sqlalchemy or calls
# ``.execute(``, and on an entry here that no longer does (so the list only shrinks).
SQL_OUTSIDE_STORE = {
    # The gazetteer is its own SQLite data file (built by places/build.py, read by the
    # resolver), never the store's database: it stays with the place resolver.
    "extract/places/gazetteer.py": "the gazetteer's own SQLite file, not the store",
    "extract/places/build.py": "the gazetteer's own SQLite file, not the store",
}


def _speaks_sql(path: Path) -> list[str]:
    """Where a module imports sqlalchemy or calls ``.execute(``: "line: what"."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            names = []
        found += [f"{node.lineno}: imports {n}" for n in names if n.split(".")[0] == "sqlalchemy"]
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "execute"
        ):
            found.append(f"{node.lineno}: calls .execute(")
    return found


def test_only_store_speaks_sql() -> None:
    src = REPO / "src" / "dossier"
    speaking = {
        path.relative_to(src).as_posix(): hits
        for path in sorted(src.rglob("*.py"))
        if path.relative_to(src).parts[0] != "store" and (hits := _speaks_sql(path))
    }
    outside = {m: hits for m, hits in speaking.items() if m not in SQL_OUTSIDE_STORE}
    assert not outside, f"SQL outside store/ (move the query into a store/ module): {outside}"
    present = {m for m in SQL_OUTSIDE_STORE if (src / m).is_file()}
    stale = sorted(present - set(speaking))
    assert not stale, f"no SQL left in {stale}: remove them from SQL_OUTSIDE_STORE"


def test_the_sql_detector_sees_imports_and_execute(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "import sqlalchemy.orm\nfrom sqlalchemy import select\n"
        "def f(conn):\n    return conn.execute(select())\n",
        encoding="utf-8",
    )
    assert _speaks_sql(module) == [
        "1: imports sqlalchemy.orm",
        "2: imports sqlalchemy",
        "4: calls .execute(",
    ]
    module.write_text("import sqlite3\nx = 'conn.execute('\n", encoding="utf-8")
    assert _speaks_sql(module) == []
