"""Speakers: a speech verb's subject as a named person, a role, a group or a pronoun's referent."""

from __future__ import annotations

from typing import Any

from dossier.extract.entities import extract_entities
from dossier.extract.speech.speakers import sentence_bounds, speaker_for
from dossier.records import Speaker


def _speaker_of(nlp: Any, text: str, sentence: str) -> Speaker | None:
    """The speaker of the clause ``sentence`` (a substring of ``text``)."""
    doc = nlp(text)
    start = text.index(sentence)
    return speaker_for(doc, start, start + len(sentence), extract_entities(doc))


def test_named_subject_of_say_is_the_speaker_with_role(nlp: Any) -> None:
    text = "Kremlin spokesman Dmitry Peskov said the images were staged."
    speaker = _speaker_of(nlp, text, text)
    assert speaker == Speaker(name="Dmitry Peskov", role="Kremlin spokesman", side="RU")


def test_role_without_a_name_is_a_role_only_speaker(nlp: Any) -> None:
    text = "Ukraine’s deputy prime minister is reporting that a mayor was murdered."
    speaker = _speaker_of(nlp, text, text)
    assert speaker is not None
    assert speaker.name is None
    assert speaker.role == "Ukraine’s deputy prime minister"
    assert speaker.side == "UA"


def test_pronoun_takes_the_most_recent_speaker_of_previous_sentences(nlp: Any) -> None:
    text = (
        "Ukraine’s deputy prime minister is reporting that a mayor of a village was murdered. "
        "She adds that at least 11 mayors are held captive."
    )
    speaker = _speaker_of(nlp, text, "She adds that at least 11 mayors are held captive.")
    assert speaker is not None
    assert speaker.role == "Ukraine’s deputy prime minister"


def test_singular_pronoun_skips_groups_and_finds_the_person(nlp: Any) -> None:
    text = (
        "Prime Minister Boris Johnson visited the hospital. Doctors were exhausted. "
        "He said the attack was a war crime."
    )
    speaker = _speaker_of(nlp, text, "He said the attack was a war crime.")
    assert speaker is not None and speaker.name == "Boris Johnson"


def test_plural_group_subject_is_a_group_speaker(nlp: Any) -> None:
    text = "Ukrainian authorities and residents are accusing Russian forces of targeted killings."
    speaker = _speaker_of(nlp, text, text)
    assert speaker == Speaker(name="Ukrainian authorities and residents", role=None, side="UA")


def test_organisation_subject_keeps_its_text(nlp: Any) -> None:
    text = "The killings were reported on Sunday, but the Kremlin is rejecting the claims."
    speaker = _speaker_of(nlp, text, "the Kremlin is rejecting the claims")
    assert speaker is not None and speaker.name == "the Kremlin" and speaker.role is None


def test_according_to_names_the_source(nlp: Any) -> None:
    text = "According to the United Nations, at least 50 civilians were killed."
    speaker = _speaker_of(nlp, text, text)
    assert speaker is not None and speaker.name == "the United Nations"


def test_coordinated_speech_verb_borrows_the_subject(nlp: Any) -> None:
    text = "The Kremlin is rejecting the claims and calling them a provocation."
    speaker = _speaker_of(nlp, text, "calling them a provocation")
    assert speaker is not None and speaker.name == "The Kremlin"


def test_sentence_without_speech_verb_has_no_speaker(nlp: Any) -> None:
    text = "Multiple bodies were scattered on the roads of the town."
    assert _speaker_of(nlp, text, text) is None


def test_paragraph_break_cuts_a_sentence_the_parser_ran_together(nlp: Any) -> None:
    doc = nlp("LATEST STORIES:\n\nOfficials say the town was shelled.")
    starts = [doc[s].text for s, _ in sentence_bounds(doc)]
    assert "Officials" in starts


def test_surname_the_parser_left_untagged_resolves_to_the_full_name(nlp: Any) -> None:
    text = (
        "Superintendent Ed Hightower spoke on Monday. Hightower said the tax rate would not change."
    )
    speaker = _speaker_of(nlp, text, "Hightower said the tax rate would not change.")
    assert speaker is not None and speaker.name == "Ed Hightower"


def test_pronoun_ignores_inanimate_subjects_that_are_not_speakers(nlp: Any) -> None:
    text = (
        "Mayor Anna Kowalski said the town would recover. The main challenge is money. "
        "She said the state must help."
    )
    speaker = _speaker_of(nlp, text, "She said the state must help.")
    assert speaker is not None and speaker.name == "Anna Kowalski"


def test_crowd_chanting_is_a_group_speaker(nlp: Any) -> None:
    text = "Protesters chanted slogans against the police outside the cathedral."
    speaker = _speaker_of(nlp, text, text)
    assert speaker is not None and speaker.name == "Protesters" and speaker.role is None


def _quote_speakers(nlp: Any, text: str) -> list[Speaker]:
    from dossier.extract.speech.quotes import extract_quotes

    doc = nlp(text)
    return [q.speaker for q in extract_quotes(doc, extract_entities(doc))]


def test_a_definite_role_resolves_to_the_person_named_with_that_title(nlp: Any) -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov spoke to reporters on Monday.\n\n"
        "“The images are staged,” the spokesman said."
    )
    (speaker,) = _quote_speakers(nlp, text)
    assert speaker.name == "Dmitry Peskov"
    assert speaker.role == "spokesman"


def test_an_indefinite_role_stays_a_role(nlp: Any) -> None:
    text = (
        "Kremlin spokesman Dmitry Peskov spoke to reporters on Monday.\n\n"
        "“The images are real,” said a spokesman for the regional police."
    )
    (speaker,) = _quote_speakers(nlp, text)
    assert speaker.name is None
    assert speaker.role is not None and "spokesman" in speaker.role


def test_a_role_the_text_never_names_stays_unresolved(nlp: Any) -> None:
    text = "Residents fled the town.\n\n“We will rebuild,” the mayor said."
    (speaker,) = _quote_speakers(nlp, text)
    assert speaker.name is None and speaker.role == "mayor"


def test_a_name_before_a_colon_speaks_the_quote_on_its_line(nlp: Any) -> None:
    text = "Mark Cuban: “A businessman can run this country.”\n\nOther news followed."
    (speaker,) = _quote_speakers(nlp, text)
    assert speaker.name == "Mark Cuban"


def test_a_dateline_is_never_a_speaker(nlp: Any) -> None:
    text = "WASHINGTON (AP) — “We will not stop,” WASHINGTON said, the statement read."
    for speaker in _quote_speakers(nlp, text):
        assert speaker.name != "WASHINGTON"
