"""ontology.py and geo.py are the only homes of the vocabularies and of the distance."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from dossier import geo, ontology, records
from dossier.review import roles
from dossier.store import incidents

SRC = Path(__file__).resolve().parents[1] / "src" / "dossier"


def test_each_vocabulary_tuple_is_its_literal() -> None:
    assert ontology.EVENT_TYPES[0] == "killing" and len(ontology.EVENT_TYPES) == 10
    assert "in_review" in ontology.REVIEW_STATUSES
    assert set(ontology.VERDICTS) < set(ontology.REVIEW_STATUSES)
    assert set(ontology.HAPPENED) < set(ontology.EVENT_STATUSES)
    assert ontology.ROLES == ("viewer", "analyst", "reviewer", "admin")  # the order is the rank


def test_the_old_names_are_the_ontologys_own_objects() -> None:
    assert records.EVENT_TYPES is ontology.EVENT_TYPES
    assert roles.ROLES is ontology.ROLES and roles.FLAGS is ontology.FLAGS
    assert incidents.REVIEW_STATUSES is ontology.REVIEW_STATUSES


def test_every_event_type_maps_to_acled_and_the_rome_statute() -> None:
    for mapping in (
        ontology.ACLED_TYPES,
        ontology.ROME_STATUTE_ARTICLES,
        ontology.ROME_STATUTE,
        ontology.ROME_STATUTE_SHORT,
    ):
        assert list(mapping) == list(ontology.EVENT_TYPES)
    assert ontology.ROME_STATUTE["detention"] == (
        "8(2)(a)(vii) unlawful confinement; 8(2)(a)(viii) taking hostages"
    )
    assert ontology.ROME_STATUTE_SHORT["mass_grave"] == "evidence for Art. 8(2)(a)(i)"


@pytest.mark.parametrize(
    "pattern",
    [
        r"6371\.",  # an Earth radius: geo.py only
        r"def haversine",
        r"^\s*(EVENT_TYPES|ROLES|FLAGS|LINK_KINDS|REVIEW_STATUSES|VERDICTS|ACLED_TYPES"
        r"|ROME_STATUTE)\s*(:[^=]*)?=\s*[({]",
        r'"unreviewed",\s*"in_review"|"confirmed",\s*"rejected",\s*"discounted"',
    ],
)
def test_no_copy_outside_the_one_home(pattern: str) -> None:
    homes = {SRC / "ontology.py", SRC / "geo.py"}
    found = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted(SRC.rglob("*.py"))
        if path not in homes
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(pattern, line)
    ]
    assert not found, (
        f"a copy of a vocabulary or of the distance outside ontology.py/geo.py: {found}"
    )


def test_haversine_uses_the_mean_earth_radius() -> None:
    # A quarter of a meridian: pole to equator.
    assert geo.haversine_km(90, 0, 0, 0) == pytest.approx(math.pi / 2 * 6371.0088)
    assert geo.haversine_km(50.54, 30.22, 50.54, 30.22) == 0.0
    kyiv_bucha = geo.haversine_km(50.45, 30.52, 50.54, 30.22)
    assert 23 < kyiv_bucha < 24
