"""Place mentions found by spaCy and resolved with the document's context."""

from __future__ import annotations

import pytest
from spacy.language import Language

from dossier.extract.places.gazetteer import Gazetteer
from dossier.extract.places.resolver import resolve_name, resolve_places, resolve_spans
from dossier.records import PlaceMention


def places(nlp: Language, text: str, gaz: Gazetteer) -> list[PlaceMention]:
    return resolve_places(nlp(text), gaz)


def by_text(mentions: list[PlaceMention]) -> dict[str, PlaceMention]:
    return {m.text: m for m in mentions}


def test_bucha_outside_kyiv_resolves_to_the_ukrainian_town(nlp: Language, gaz: Gazetteer) -> None:
    text = "Bodies of civilians lay in the streets of Bucha, outside Kyiv."
    found = by_text(places(nlp, text, gaz))
    bucha = found["Bucha"].place
    assert (bucha.country, bucha.admin1, bucha.precision) == ("UA", "Kyiv Oblast", "locality")
    assert bucha.geonames_id == 711350  # GeoNames' Bucha; 711660 is Boryspil
    assert found["Kyiv"].place.geonames_id == 703448


def test_spans_are_character_offsets_in_text_order(nlp: Language, gaz: Gazetteer) -> None:
    text = "Shelling hit Kharkiv and then Odesa."
    found = places(nlp, text, gaz)
    assert [text[m.start : m.end] for m in found] == ["Kharkiv", "Odesa"]
    assert [m.start for m in found] == sorted(m.start for m in found)


def test_region_phrase_resolves_to_the_first_level_region(nlp: Language, gaz: Gazetteer) -> None:
    text = "The mayor of a village in the Kyiv region was killed."
    found = by_text(places(nlp, text, gaz))
    region = found["Kyiv region"].place
    assert region.precision == "admin1" and region.name == "Kyiv Oblast"
    assert region.geonames_id != 703448


@pytest.mark.parametrize("phrase", ["Donetsk oblast", "Kharkiv Oblast", "Luhansk region"])
def test_oblast_phrases_are_admin1(nlp: Language, gaz: Gazetteer, phrase: str) -> None:
    found = places(nlp, f"Fighting continued in {phrase} on Sunday.", gaz)
    assert [m.place.precision for m in found if m.text == phrase] == ["admin1"]


@pytest.mark.parametrize(
    ("old", "new"), [("Kiev", "Kyiv"), ("Kharkov", "Kharkiv"), ("Nikolaev", "Mykolaiv")]
)
def test_transliteration_variants_resolve_alike(gaz: Gazetteer, old: str, new: str) -> None:
    a = resolve_name(old, gazetteer=gaz)
    b = resolve_name(new, gazetteer=gaz)
    assert a is not None and a == b and a.country == "UA" and a.precision == "locality"


def test_apposition_with_a_state_picks_the_town_in_that_state(
    nlp: Language, gaz: Gazetteer
) -> None:
    found = by_text(places(nlp, "She grew up in Paris, Texas, near the Oklahoma line.", gaz))
    paris = found["Paris"].place
    assert (paris.country, paris.admin1) == ("US", "Texas")


def test_bare_paris_is_the_french_capital(nlp: Language, gaz: Gazetteer) -> None:
    found = by_text(places(nlp, "Thousands marched in Paris on Saturday.", gaz))
    assert found["Paris"].place.country == "FR"


def test_document_context_decides_between_namesakes(nlp: Language, gaz: Gazetteer) -> None:
    us = by_text(places(nlp, "Police in Louisiana said the fire in Alexandria was arson.", gaz))
    egypt = by_text(places(nlp, "Protesters in Egypt filled the streets of Alexandria.", gaz))
    assert us["Alexandria"].place.country == "US"
    assert egypt["Alexandria"].place.country == "EG"


def test_country_mention_has_country_precision(nlp: Language, gaz: Gazetteer) -> None:
    found = by_text(places(nlp, "Ukraine asked for more air defence.", gaz))
    ukraine = found["Ukraine"].place
    assert (ukraine.precision, ukraine.geonames_id, ukraine.country) == ("country", 690791, "UA")


def test_nationality_adjectives_are_not_places(nlp: Language, gaz: Gazetteer) -> None:
    found = places(nlp, "Ukrainian officials accused Russian soldiers of looting.", gaz)
    assert found == []


def test_given_spans_resolve_together(gaz: Gazetteer) -> None:
    text = "Springfield, Illinois"
    result = resolve_spans(text, [(0, 11), (13, 21)], gaz)
    assert result[0] is not None and result[0].admin1 == "Illinois"
    assert resolve_spans("Qwxzzyville", [(0, 11)], gaz) == [None]


def test_resolve_name_uses_context_places(gaz: Gazetteer) -> None:
    kyiv = resolve_name("Kyiv", gazetteer=gaz)
    assert kyiv is not None
    near = resolve_name("Bucha", context=[kyiv], gazetteer=gaz)
    assert near is not None and near.country == "UA"
    assert resolve_name("Qwxzzyville", gazetteer=gaz) is None


def test_mislabelled_town_after_a_locative_preposition_is_found(
    nlp: Language, gaz: Gazetteer
) -> None:
    # en_core_web_md labels "Bucha" NORP here; the preposition says it is a place.
    found = by_text(places(nlp, "Bodies of civilians lay in the streets of Bucha.", gaz))
    assert found["Bucha"].place.country == "UA"


def test_organisation_named_after_a_state_locates_it(nlp: Language, gaz: Gazetteer) -> None:
    found = by_text(places(nlp, "The Ohio Department of Health reported new cases.", gaz))
    assert found["Ohio"].place.precision == "admin1"


def test_compass_words_heading_organisations_are_not_places(nlp: Language, gaz: Gazetteer) -> None:
    found = places(nlp, "Northwest Airlines cancelled the flight.", gaz)
    assert [m.text for m in found] == []


def test_place_after_a_lowercase_article_is_kept(nlp: Language, gaz: Gazetteer) -> None:
    found = places(nlp, "Aid arrived from the United States on Monday.", gaz)
    assert [m.place.country for m in found] == ["US"]


def test_two_ambiguous_names_settle_on_the_same_country_as_their_unambiguous_neighbour(
    gaz: Gazetteer,
) -> None:
    # London and Brampton are both English towns and Ontario cities: each
    # alone prefers England, together with Sarnia they are in Ontario.
    text = "London won in Sarnia. Their goalie, from Brampton, made 30 saves in London."
    spans = [(text.index(w), text.index(w) + len(w)) for w in ("London", "Sarnia", "Brampton")]
    spans.append((text.rindex("London"), text.rindex("London") + len("London")))
    resolved = resolve_spans(text, spans, gaz)
    assert [p.country if p else None for p in resolved] == ["CA", "CA", "CA", "CA"]


def test_a_country_own_name_is_not_taken_for_a_city_that_has_it_as_an_alternate(
    gaz: Gazetteer,
) -> None:
    # GeoNames lists "Mexico" among Mexico City's names; nearby towns must not
    # pull the country's own name onto the capital.
    text = "Flooding hit Mexico, with damage in Mexico City, Ecatepec and Naucalpan."
    words = ("Mexico", "Mexico City", "Ecatepec", "Naucalpan")
    spans = [(text.index(w), text.index(w) + len(w)) for w in words]
    mexico = resolve_spans(text, spans, gaz)[0]
    assert mexico is not None and mexico.precision == "country" and mexico.country == "MX"


def test_a_town_the_model_calls_a_person_is_a_place_after_a_spatial_preposition(
    nlp: Language,
) -> None:
    doc = nlp("Shelling hit homes in Nova Kakhovka on Tuesday. Officials met Mary Jones in Kyiv.")
    found = [(m.text, m.place.name) for m in resolve_places(doc)]
    assert ("Nova Kakhovka", "Nova Kakhovka") in found
    assert all(text != "Mary Jones" for text, _ in found)


def test_the_mayor_of_a_town_the_model_calls_a_person_names_the_town(nlp: Language) -> None:
    doc = nlp("Troops detained the deputy mayor of Nova Kakhovka on Friday.")
    assert [(m.text, m.place.name) for m in resolve_places(doc)] == [
        ("Nova Kakhovka", "Nova Kakhovka")
    ]


def test_of_after_an_ordinary_noun_does_not_make_a_person_a_place(nlp: Language) -> None:
    doc = nlp("She met the friend of Nova Kakhovka yesterday.")
    assert all(m.text != "Nova Kakhovka" for m in resolve_places(doc))
