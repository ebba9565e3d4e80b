"""Quotes: marks told from apostrophes, direct or partial, speakers found around the quote."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from dossier.extract.entities import extract_entities
from dossier.extract.speech.marks import MAX_QUOTE, quoted_regions
from dossier.extract.speech.quotes import extract_quotes
from dossier.records import Quote


def _quotes(nlp: Any, text: str) -> list[Quote]:
    doc = nlp(text)
    return extract_quotes(doc, extract_entities(doc))


def test_quote_span_covers_the_words_without_the_marks(nlp: Any) -> None:
    text = "The mayor said, “Nobody is leaving this town.”"
    [quote] = _quotes(nlp, text)
    assert quote.text == "Nobody is leaving this town."
    assert text[quote.start : quote.end] == quote.text


def test_name_after_the_quote_is_the_speaker(nlp: Any) -> None:
    text = "“We will rebuild every house,” said John Smith, a spokesman for the city council."
    [quote] = _quotes(nlp, text)
    assert quote.text == "We will rebuild every house"
    assert quote.kind == "direct"
    assert quote.speaker.name == "John Smith"
    assert quote.speaker.role == "spokesman for the city council"


def test_quote_alone_takes_the_speaker_of_the_previous_sentence(nlp: Any) -> None:
    text = "Mayor Anna Kowalski spoke to reporters on Monday. “Nobody is leaving this town.”"
    [quote] = _quotes(nlp, text)
    assert quote.speaker.name == "Anna Kowalski"


def test_pronoun_attribution_resolves_to_the_named_person(nlp: Any) -> None:
    text = "Prime Minister Boris Johnson visited the hospital. “This is a war crime,” he said."
    [quote] = _quotes(nlp, text)
    assert quote.speaker.name == "Boris Johnson"
    assert quote.speaker.role == "Prime Minister"


def test_role_only_speaker_has_no_name(nlp: Any) -> None:
    text = "The regional governor said the shelling had stopped. “The bridge is gone,” she added."
    [quote] = _quotes(nlp, text)
    assert quote.speaker.name is None
    assert quote.speaker.role == "regional governor"


def test_single_quoted_phrase_inside_a_sentence_is_partial(nlp: Any) -> None:
    text = "The minister, Melanie Joly called it a ‘senseless murder of the innocent’ on Sunday."
    [quote] = _quotes(nlp, text)
    assert quote.kind == "partial"
    assert quote.text == "senseless murder of the innocent"
    assert quote.speaker.name == "Melanie Joly"


def test_nested_quote_stays_inside_the_outer_quote(nlp: Any) -> None:
    text = "\"He told me 'run' and I ran,\" said Olena Petrenko, a teacher."
    [quote] = _quotes(nlp, text)
    assert quote.text == "He told me 'run' and I ran"
    assert quote.speaker.name == "Olena Petrenko"


def test_nested_curly_quote_stays_inside_the_outer_quote(nlp: Any) -> None:
    text = "“They shouted ‘get down’ and fired,” a witness said."
    [quote] = _quotes(nlp, text)
    assert quote.text == "They shouted ‘get down’ and fired"
    assert quote.speaker.role == "witness"


def test_apostrophes_in_words_are_not_quote_marks(nlp: Any) -> None:
    text = "Canada’s envoy didn’t comment. The soldiers’ families don’t know where they are."
    assert _quotes(nlp, text) == []
    assert quoted_regions(text) == []


def test_unmatched_mark_is_not_a_quote() -> None:
    text = "“The first paragraph never closes.\n\n“The second one does,” she said."
    regions = quoted_regions(text)
    assert len(regions) == 1
    assert text[regions[0][0] : regions[0][1]] == "The second one does,"


def test_quote_longer_than_the_bound_is_dropped() -> None:
    text = "“" + "word " * (MAX_QUOTE // 4) + "”"
    assert quoted_regions(text) == []


def test_straight_quote_across_paragraphs_is_found_when_closed() -> None:
    text = 'She said: "We hid for days.\nThen we ran." Nobody followed.'
    [(start, end, mark)] = quoted_regions(text)
    assert mark == '"'
    assert text[start:end] == "We hid for days.\nThen we ran."


def test_sample_article_quotes_have_their_speakers(nlp: Any, shared_dir: Any) -> None:
    text = (shared_dir / "samples" / "bucha-article.txt").read_text(encoding="utf-8")
    quotes = _quotes(nlp, text)
    got = [(q.speaker.name, q.kind) for q in quotes]
    assert got == [
        ("Melanie Joly", "partial"),
        ("Jens Stoltenberg", "direct"),
        ("Antony Blinken", "direct"),
    ]
    roles = [q.speaker.role or "" for q in quotes]
    assert "foreign affairs minister" in roles[0]
    assert roles[1] == "NATO secretary-general"
    assert "secretary of state" in roles[2]


def test_sentence_after_a_closed_quote_is_not_its_attribution(nlp: Any) -> None:
    text = (
        "Dave Rinebolt spoke for the energy groups. “We anticipate plenty of jobs.” "
        "Sean Babylon said the agency could add employees."
    )
    [quote] = _quotes(nlp, text)
    assert quote.speaker.name == "Dave Rinebolt"


def test_attribution_after_a_comma_inside_the_marks_is_the_speaker(nlp: Any) -> None:
    text = "Anna Kowalski spoke first. “We will stay,” Jan Nowak said on Monday."
    [quote] = _quotes(nlp, text)
    assert quote.speaker.name == "Jan Nowak"


def test_quoted_term_in_a_sentence_without_speech_has_no_speaker(nlp: Any) -> None:
    text = (
        "The spokesperson said the issue was fixed. "
        "Dozens of prominent “influencers” were seen tagging their photos."
    )
    [quote] = _quotes(nlp, text)
    assert quote.kind == "partial"
    assert quote.speaker.name is None and quote.speaker.role is None


def test_possessor_inside_the_subject_is_not_the_speaker(nlp: Any) -> None:
    text = "“I was in shock,” added Ian Lau's wife, another doctor."
    [quote] = _quotes(nlp, text)
    assert quote.speaker.name != "Ian Lau"
    assert quote.speaker.role is not None and "wife" in quote.speaker.role


def test_quoted_clause_after_a_verb_without_comma_is_direct(nlp: Any) -> None:
    text = "Titus Mungou, a Red Cross spokesman, told Agence France-Presse “We are short of food.”"
    [quote] = _quotes(nlp, text)
    assert quote.kind == "direct"
    assert quote.speaker.name == "Titus Mungou"


def test_quoted_clause_after_that_is_partial(nlp: Any) -> None:
    text = "Anna Bruschke also said that “China is a very big country” and cases are rising."
    [quote] = _quotes(nlp, text)
    assert quote.kind == "partial"


def test_inverted_attribution_with_role_and_name(nlp: Any) -> None:
    text = (
        "Reporters Without Borders condemned the death. “Why was there such a conviction?” "
        "asked the organisation's North African head, Yasmine Kacha."
    )
    [quote] = _quotes(nlp, text)
    assert quote.speaker.name == "Yasmine Kacha"


@given(st.text(alphabet="ab ,.\n“”‘’\"'", max_size=300))
def test_quoted_regions_are_bounded_ordered_and_disjoint(text: str) -> None:
    regions = quoted_regions(text)
    previous_close = -1
    for start, end, mark in regions:
        assert mark in ("“", '"', "‘")
        assert previous_close < start - 1 and text[start - 1] == mark
        assert start < end <= len(text) and end - start <= MAX_QUOTE
        previous_close = end  # the index of the closing mark


@given(st.text(alphabet="abcs ", min_size=1, max_size=40))
def test_apostrophe_inside_a_word_never_opens_or_closes_a_quote(word: str) -> None:
    text = f"Canada’s {word} don’t know the soldiers’ {word}."
    assert quoted_regions(text) == []
