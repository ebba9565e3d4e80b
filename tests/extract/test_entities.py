"""Entities: labels kept, NER noise dropped, canonical names per document, roles from the parse."""

from __future__ import annotations

from typing import Any

from dossier.extract.entities import extract_entities
from dossier.records import Entity


def _people(nlp: Any, text: str) -> list[Entity]:
    return [e for e in extract_entities(nlp(text)) if e.label == "PERSON"]


def test_offsets_point_at_the_mention_text(nlp: Any) -> None:
    text = "Ukrainian officials met Olaf Scholz in Berlin on Monday."
    entities = extract_entities(nlp(text))
    assert entities
    for ent in entities:
        assert text[ent.start : ent.end] == ent.text
    assert {"NORP", "PERSON", "GPE"} <= {e.label for e in entities}
    assert "DATE" not in {e.label for e in entities}


def test_surname_alone_takes_the_full_name_of_the_document(nlp: Any) -> None:
    text = (
        "Ukraine president Volodymyr Zelensky visited the town on Sunday. "
        "Zelensky said the army would stay. Later Zelensky met the mayor."
    )
    people = _people(nlp, text)
    assert len(people) >= 2
    assert {p.canonical for p in people} == {"Volodymyr Zelensky"}


def test_compound_title_before_a_name_is_the_role(nlp: Any) -> None:
    people = _people(
        nlp, "Ukraine president Volodymyr Zelensky and western allies are alleging crimes."
    )
    assert people[0].canonical == "Volodymyr Zelensky"
    assert people[0].role == "Ukraine president"


def test_role_before_a_comma_and_name_is_the_role(nlp: Any) -> None:
    people = _people(nlp, "Germany’s defence minister, Karl Weber said the convoy was hit.")
    assert people[0].canonical == "Karl Weber"
    assert people[0].role == "Germany’s defence minister"


def test_role_with_of_phrase_keeps_the_complement_and_drops_the_article(nlp: Any) -> None:
    people = _people(nlp, "The U.S. secretary of state, Antony Blinken says the aid will grow.")
    assert people[0].role == "U.S. secretary of state"


def test_apposition_after_the_name_is_the_role(nlp: Any) -> None:
    people = _people(nlp, "John Smith, a spokesman for the city council, said the bridge was gone.")
    assert people[0].canonical == "John Smith"
    assert people[0].role == "spokesman for the city council"


def test_role_found_once_is_carried_to_later_mentions(nlp: Any) -> None:
    text = "Kremlin spokesman Dmitry Peskov rejected the accusations. Peskov said they were false."
    people = _people(nlp, text)
    assert [p.role for p in people] == ["Kremlin spokesman", "Kremlin spokesman"]


def test_plural_noun_or_date_before_a_name_is_not_a_role(nlp: Any) -> None:
    text = (
        "The scenes drew condemnation from NATO countries, Jens Stoltenberg said. "
        "On Monday, Anna Kowalski left."
    )
    assert all(p.role is None for p in _people(nlp, text))


def test_lowercase_common_noun_tagged_as_organisation_is_dropped(nlp: Any) -> None:
    text = "The U.S. secretary of state, Antony Blinken says the aid will grow."
    entities = extract_entities(nlp(text))
    assert not [e for e in entities if e.text == "state"]


def test_leading_article_leaves_the_canonical_name_but_not_the_span(nlp: Any) -> None:
    text = "The Kremlin denied it. The European Commission and the Kremlin disagreed."
    entities = [e for e in extract_entities(nlp(text)) if e.label == "ORG"]
    commission = [e for e in entities if "Commission" in e.text]
    assert commission and commission[0].canonical == "European Commission"
    assert commission[0].text.startswith("The")
    assert {e.canonical for e in entities if "Kremlin" in e.text} == {"Kremlin"}


def test_all_lowercase_place_name_is_capitalised_in_the_canonical_form(nlp: Any) -> None:
    text = "He said, between the united states and our allies, we are supplying tanks."
    places = [e for e in extract_entities(nlp(text)) if e.label == "GPE"]
    assert places and places[0].canonical == "United States"


def test_phrase_ending_before_a_comma_mid_clause_is_not_a_role(nlp: Any) -> None:
    text = "Around the time of the murder, Greg Taylor told the paper that the house was empty."
    assert all(p.role is None for p in _people(nlp, text))


def test_hyphenated_name_keeps_its_written_form(nlp: Any) -> None:
    text = "Benita Ferrero-Waldner, the European commissioner for external relations, said so."
    people = _people(nlp, text)
    assert people[0].canonical == "Benita Ferrero-Waldner"
    assert people[0].role == "European commissioner for external relations"


def test_role_mistagged_as_a_person_is_not_a_name(nlp: Any) -> None:
    text = '"We hope to help," said Queen drummer Roger Taylor.'
    people = _people(nlp, text)
    assert {p.canonical for p in people} == {"Roger Taylor"}
    assert people[-1].role == "Queen drummer"


def test_noun_before_a_name_outside_its_phrase_is_not_a_role(nlp: Any) -> None:
    text = "The disease may even be the reason Kevin Baker chose to make the trip."
    assert all(p.role is None for p in _people(nlp, text))


def test_role_stops_where_the_phrase_stops_hanging_on_the_name(nlp: Any) -> None:
    text = "The trails were built at the request of First Selectman Jeremy Shingleton."
    people = _people(nlp, text)
    assert people and people[0].role == "First Selectman"
