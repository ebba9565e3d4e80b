"""The gazetteer built from the installed GeoNames packages.

Lookups use the installation's gazetteer (``make install`` builds it once, at
``default_path()``; loading builds it there if it is missing). The build itself
runs once more into a temporary directory, marked slow.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dossier.extract.places.gazetteer import Gazetteer
from dossier.extract.places.toponym import normalize_name


@pytest.mark.slow
def test_load_builds_the_file_when_missing(tmp_path: Path) -> None:
    built = Gazetteer.load(tmp_path / "gazetteer.sqlite")
    assert built.path.exists() and built.path.stat().st_size > 1_000_000
    assert any(c.place.name == "Bucha" for c in built.candidates("Bucha"))


def test_normalize_ignores_case_diacritics_apostrophes_and_hyphens() -> None:
    assert normalize_name("Khar'kov") == normalize_name("KHARKOV")
    assert normalize_name("Ivano-Frankivsk") == "ivano frankivsk"
    assert normalize_name("Zürich") == "zurich"


@pytest.mark.parametrize(
    ("spelling", "geonames_id"),
    [
        ("Kiev", 703448),
        ("Kyiv", 703448),
        ("Київ", 703448),
        ("Gostomel", 708251),
        ("Hostomel", 708251),
        ("Kharkov", 706483),
        ("Odessa", 698740),
        ("Nikolaev", 700569),
    ],
)
def test_transliteration_variants_find_the_same_city(
    gaz: Gazetteer, spelling: str, geonames_id: int
) -> None:
    ids = {c.place.geonames_id for c in gaz.candidates(spelling) if c.kind == "locality"}
    assert geonames_id in ids


def test_candidates_are_ordered_by_population(gaz: Gazetteer) -> None:
    pops = [c.population for c in gaz.candidates("Paris")]
    assert len(pops) > 3 and pops == sorted(pops, reverse=True)


def test_unknown_name_has_no_candidates(gaz: Gazetteer) -> None:
    assert gaz.candidates("Qwxzzyville") == []


def test_country_by_code_name_and_alias(gaz: Gazetteer) -> None:
    ukraine = gaz.country("UA")
    assert ukraine is not None and ukraine.geonames_id == 690791
    assert ukraine.precision == "country"
    assert gaz.country("Ukraine") == ukraine
    us = gaz.country("USA")
    assert us is not None and us.country == "US"
    assert gaz.country("Atlantis") is None


def test_admin1_named_after_its_city_takes_the_city_spellings(gaz: Gazetteer) -> None:
    oblast = gaz.admin1("Kyiv", "UA")
    assert oblast is not None and oblast.precision == "admin1"
    assert oblast.name == "Kyiv Oblast" and oblast.geonames_id is None
    assert gaz.admin1("Kiev", "UA") == oblast
    # Its point lies within the region around the capital, not across the country.
    assert abs(oblast.lat - 50.4) < 1.0 and abs(oblast.lon - 30.5) < 1.5


def test_us_states_carry_geonames_ids_and_news_abbreviations(gaz: Gazetteer) -> None:
    texas = gaz.admin1("Texas", "US")
    assert texas is not None and texas.geonames_id == 4736286
    assert gaz.admin1("Tex.", "US") == texas
    assert gaz.admin1("Texas", "UA") is None


def test_cities_name_their_region_like_the_region_entry(gaz: Gazetteer) -> None:
    bucha = [c for c in gaz.candidates("Bucha") if c.place.country == "UA"][0]
    assert bucha.place.admin1 == "Kyiv Oblast"


def test_reopening_the_file_gives_the_same_answers(gaz: Gazetteer) -> None:
    again = Gazetteer.load(Path(gaz.path))
    assert again.candidates("Bucha") == gaz.candidates("Bucha")


def test_country_point_is_the_centre_of_its_largest_land_mass(gaz: Gazetteer) -> None:
    # Overseas parts (Alaska, French Guiana) must not pull the point away,
    # and a country's point follows its shape, not where its cities crowd.
    us, france, canada = gaz.country("US"), gaz.country("FR"), gaz.country("CA")
    assert us is not None and france is not None and canada is not None
    assert 35 < us.lat < 43 and -105 < us.lon < -93
    assert 44 < france.lat < 48 and 0 < france.lon < 5
    assert canada.lat > 55  # most Canadians live near 45°N; the country reaches 83°N


def test_country_outlines_decode_to_plausible_centres() -> None:
    from dossier.extract.places.build import _data_file, country_centroids

    centres = country_centroids(_data_file("dossier.export", "data/countries-50m.json"))
    assert len(centres) > 200
    lat, lon = centres[643]  # Russia straddles the antimeridian
    assert 50 < lat < 70 and 60 < lon < 120
    assert all(-90 <= la <= 90 and -180 <= lo <= 180 for la, lo in centres.values())


def test_region_point_is_the_middle_of_its_extent_not_of_its_crowded_south(
    gaz: Gazetteer,
) -> None:
    # Ontario's towns crowd its southern edge; the region reaches 56°N.
    ontario = gaz.admin1("Ontario", "CA")
    assert ontario is not None and ontario.lat > 47


@pytest.mark.parametrize(
    ("abbreviation", "province"), [("B.C.", "British Columbia"), ("Ont.", "Ontario")]
)
def test_canadian_press_province_abbreviations_find_the_province(
    gaz: Gazetteer, abbreviation: str, province: str
) -> None:
    found = gaz.admin1(abbreviation, "CA")
    assert found is not None and found.name == province
