"""Quality gate: casualty counts on a fixed sample of the GVA shooting reports.

In the manner of trafilatura's evaluation gate: the benchmark's own scoring
(``benchmarks/extraction_gva.py``) runs on a fixed sample, and each figure must
stay at or above a floor pinned just under what that sample measured when the
floor was set. A change that lowers a figure fails here; one that raises it
should raise the floor in the same commit. The corpus lives outside the
repository (../shared/eval/gva-dev); without it the gate is skipped.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "eval" / "gva-dev"
SAMPLE = 150
# Measured on this sample when pinned (2026-12-01), Dossier / regex baseline: fatal F1
# 0.850 / 0.759, exact killed 0.659 / 0.488, exact injured 0.611 / 0.435.
FLOORS = {
    "fatal-or-not F1": 0.84,
    "exact killed (fatal)": 0.65,
    "exact injured (injured)": 0.60,
}

pytestmark = pytest.mark.slow


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "extraction_gva", REPO / "benchmarks" / "extraction_gva.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    if not (CORPUS / "docs.jsonl").is_file():
        pytest.skip(
            f"GVA evaluation corpus not found at {CORPUS} (see benchmarks/extraction_gva.py)"
        )
    return dict(_benchmark().run(sample=SAMPLE, corpus=CORPUS))


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_gva_figure_stays_above_its_floor(result: dict[str, Any], metric: str) -> None:
    row = next(r for r in result["rows"] if r["metric"] == metric)
    assert row["dossier"] >= FLOORS[metric], (
        f"{metric} fell to {row['dossier']} (floor {FLOORS[metric]}, regex baseline "
        f"{row['baseline']}) on the fixed {SAMPLE}-report sample"
    )


def test_gva_sample_is_the_fixed_one(result: dict[str, Any]) -> None:
    assert result["n"] == SAMPLE
    assert result["n_fatal"] > 30 and result["n_injured"] > 30
