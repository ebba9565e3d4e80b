"""Versions that mean something: a changed extraction rule is a new pipeline version.

tests/golden/extract/VERSION.json (written by scripts/regen_golden.py) records
the pipeline version of the golden files and, per component, the version and
the fingerprint of its files. These tests need no model: they compare the
code under src/dossier/extract/ with that manifest.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from dossier.extract import analyzer, versions
from dossier.extract.lang import cyrillic

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden" / "extract"
FIX = (
    "bump the version of the component you changed in extract/versions.py "
    "and rerun scripts/regen_golden.py"
)


def recorded() -> dict[str, dict[str, str]]:
    data: dict[str, dict[str, str]] = json.loads(
        (GOLDEN / "VERSION.json").read_text(encoding="utf-8")
    )["components"]
    return data


def unbumped(manifest: dict[str, dict[str, str]]) -> list[str]:
    """Components whose files changed since the manifest while their version did not."""
    now = versions.fingerprints()
    return [
        name
        for name, component in versions.COMPONENTS.items()
        if name in manifest
        and now[name] != manifest[name]["fingerprint"]
        and component.version == manifest[name]["version"]
    ]


def test_golden_version_matches_code_fingerprint() -> None:
    stale = unbumped(recorded())
    assert not stale, (
        f"the files of extraction component(s) {', '.join(stale)} changed but their "
        f"version did not: {FIX}"
    )


def test_golden_files_record_the_current_pipeline_version() -> None:
    manifest = json.loads((GOLDEN / "VERSION.json").read_text(encoding="utf-8"))
    assert set(manifest["components"]) == set(versions.COMPONENTS), FIX
    assert manifest["pipeline"] == versions.PIPELINE_VERSION, (
        f"the golden files were made by {manifest['pipeline']}, the code is "
        f"{versions.PIPELINE_VERSION}: rerun scripts/regen_golden.py and review the diff"
    )
    cases = sorted(GOLDEN.glob("bucha-article*.json"))
    assert len(cases) == 3
    for case in cases:
        golden = json.loads(case.read_text(encoding="utf-8"))
        assert golden["pipeline"] == versions.PIPELINE_VERSION, f"{case.name}: {FIX}"


def test_a_changed_rule_without_a_bump_is_caught(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The manifest as scripts/regen_golden.py writes it for today's code ...
    fresh = {
        name: {"version": c.version, "fingerprint": versions.fingerprints()[name]}
        for name, c in versions.COMPONENTS.items()
    }
    assert unbumped(fresh) == []
    # ... then a copy of extract/ with one rule added to events/harm.py and no bump.
    copy = tmp_path / "extract"
    shutil.copytree(versions.ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    harm = copy / "events/harm.py"
    harm.write_text(harm.read_text(encoding="utf-8") + "\nEXTRA_RULE = 1\n", encoding="utf-8")
    monkeypatch.setattr(versions, "ROOT", copy)
    assert unbumped(fresh) == ["harm"]
    harm_files = versions.COMPONENTS["harm"].files
    bumped = dict(versions.COMPONENTS, harm=versions.Component("harm.999", harm_files))
    monkeypatch.setattr(versions, "COMPONENTS", bumped)
    assert unbumped(fresh) == []


def test_every_file_under_extract_belongs_to_one_component_or_none() -> None:
    owners = {
        p.relative_to(versions.ROOT).as_posix(): versions.owner(p) for p in versions.source_files()
    }
    assert owners["events/harm.py"] == "harm"
    assert owners["lang/uk.py"] == "cyrillic"
    assert owners["runner.py"] is None
    assert {o for o in owners.values() if o} == set(versions.COMPONENTS)


def test_a_file_of_no_component_is_an_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "rules.py").write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(versions, "ROOT", tmp_path)
    with pytest.raises(LookupError, match=r"extract/rules\.py belongs to 0 components"):
        versions.fingerprints()


def test_pipeline_name_changes_with_each_component_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    names = {versions.pipeline_name()}
    for name, component in versions.COMPONENTS.items():
        bumped = dict(versions.COMPONENTS)
        bumped[name] = versions.Component(component.version + "x", component.files)
        monkeypatch.setattr(versions, "COMPONENTS", bumped)
        names.add(versions.pipeline_name())
        monkeypatch.undo()
    assert len(names) == len(versions.COMPONENTS) + 1
    assert all(len(n) <= 60 for n in names)  # the store's pipeline column
    assert analyzer.PIPELINE_VERSION == versions.PIPELINE_VERSION
    assert versions.COMPONENTS["cyrillic"].version == cyrillic.VERSION
