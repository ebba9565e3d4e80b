"""Quality gate: police killings and arrests on a fixed sample of IndiaPoliceEvents.

In the manner of trafilatura's evaluation gate: the figures of
``benchmarks/extraction_ipe.py`` on a fixed sample (every KILL or ARREST
document of the development corpus and 120 others, in a stable order) must
not fall below floors pinned just under what was measured, and must stay
above the keyword baseline computed on the same texts. The corpus is read
from ../shared/eval/ipe-dev and never copied into the repository; without it
the gate is skipped, saying so.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

import extraction_ipe as ipe  # noqa: E402

# Measured on the gate sample (188 documents: 18 KILL, 59 ARREST) on 2026-12-01:
# KILL P 0.923 R 0.667 F1 0.774; ARREST P 1.000 R 0.831 F1 0.907. Floors just under:
# one more miss or false alarm on KILL, two on ARREST, fails the gate.
FLOORS = {
    "KILL precision": 0.90,
    "KILL recall": 0.66,
    "KILL F1": 0.76,
    "ARREST precision": 0.97,
    "ARREST recall": 0.81,
    "ARREST F1": 0.89,
}


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    if not ipe.available():
        pytest.skip(f"IndiaPoliceEvents not found at {ipe.CORPUS.resolve()} (../shared/eval)")
    return ipe.run(docs=ipe.gate_sample())


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_figure_does_not_drop_below_its_floor(result: dict[str, Any], metric: str) -> None:
    row = next(r for r in result["rows"] if r["metric"] == metric)
    assert row["dossier"] >= FLOORS[metric], f"{metric}: {row['dossier']} < {FLOORS[metric]}"


@pytest.mark.parametrize("label", ["KILL", "ARREST"])
def test_f1_beats_the_keyword_baseline(result: dict[str, Any], label: str) -> None:
    row = next(r for r in result["rows"] if r["metric"] == f"{label} F1")
    assert row["dossier"] > row["baseline"]
