"""Claims and attribution: who accuses, who denies which events, and when an event is
alleged or denied."""

from __future__ import annotations

import pytest

from dossier.extract.analyzer import Analyzer
from dossier.records import Analysis, DocumentMeta


def analyse(analyzer: Analyzer, text: str) -> Analysis:
    return analyzer.analyze(text, DocumentMeta("doc:claims", None, "2022-04-04", None, "en"))


@pytest.mark.parametrize(
    ("text", "source"),
    [
        ("Residents say soldiers killed civilians in Bucha.", "Residents"),
        (
            "Ukrainian authorities are accusing Russian forces of killing civilians in Bucha.",
            "Ukrainian authorities",
        ),
        (
            "Fifty people were killed at the station, according to Ukraine's state railway.",
            "Ukraine's state railway",
        ),
        (
            "The prosecutor reported that troops had tortured detainees in Kherson.",
            "The prosecutor",
        ),
    ],
)
def test_reported_speech_makes_an_event_alleged_by_its_source(
    analyzer: Analyzer, text: str, source: str
) -> None:
    event = analyse(analyzer, text).events[0]
    assert event.status == "alleged"
    assert source in [a.text for a in event.asserted_by]


def test_plain_narration_is_asserted(analyzer: Analyzer) -> None:
    event = analyse(analyzer, "Russian troops shelled a market in Kharkiv.").events[0]
    assert event.status == "asserted" and event.asserted_by == ()


def test_pronoun_source_stands_for_the_last_named_source(analyzer: Analyzer) -> None:
    text = (
        "The governor said troops shelled homes in Kharkiv. "
        "She adds that soldiers abducted four teachers in Izium."
    )
    detention = next(e for e in analyse(analyzer, text).events if e.type == "detention")
    assert [a.text for a in detention.asserted_by] == ["The governor"]


def test_denial_of_the_claims_marks_the_accused_sides_alleged_events(analyzer: Analyzer) -> None:
    text = (
        "Ukrainian officials say Russian troops killed civilians in Bucha. "
        "The Kremlin rejected the claims as a provocation."
    )
    analysis = analyse(analyzer, text)
    (event,) = analysis.events
    assert event.status == "denied"
    assert [(a.text, a.side) for a in event.denied_by] == [("The Kremlin", "RU")]
    denial = next(c for c in analysis.claims if c.stance == "denies")
    assert denial.events == (event.id,) and denial.speaker.side == "RU"


def test_denial_spares_the_other_sides_events_and_later_ones(analyzer: Analyzer) -> None:
    text = (
        "Officials say Ukrainian forces shelled homes in Donetsk. "
        "Witnesses say Russian soldiers killed civilians in Bucha. "
        "Moscow denied the accusations. "
        "Later, residents said Russian troops looted shops in Irpin."
    )
    by_type = {e.type: e for e in analyse(analyzer, text).events}
    assert by_type["killing"].status == "denied"
    assert by_type["attack_on_civilians"].status == "alleged"
    assert by_type["pillage_destruction"].status == "alleged"


def test_denial_naming_the_act_targets_it_in_the_same_sentence(analyzer: Analyzer) -> None:
    text = "Russia's defence ministry denied that its forces had shot civilians in Bucha."
    (event,) = analyse(analyzer, text).events
    assert event.status == "denied"
    assert [a.side for a in event.denied_by] == ["RU"]


def test_narrated_fact_is_not_denied_by_a_denial_of_claims(analyzer: Analyzer) -> None:
    text = (
        "A mass grave was discovered in Bucha. Officials say troops killed civilians there. "
        "The Kremlin rejected the claims."
    )
    by_type = {e.type: e for e in analyse(analyzer, text).events}
    assert by_type["mass_grave"].status == "asserted"
    assert by_type["killing"].status == "denied"


@pytest.mark.parametrize(
    ("text", "stance"),
    [
        ("Ukrainian officials accused Russian troops of killing civilians in Bucha.", "accuses"),
        ("The Kremlin denied that troops killed civilians in Bucha.", "denies"),
        ("Troops killed civilians in Bucha. NATO condemned the killings.", "condemns"),
        (
            "Troops killed civilians in Bucha. The EU demanded an investigation.",
            "calls_for_investigation",
        ),
        ("Troops killed civilians in Bucha. The UN confirmed the killings.", "confirms"),
        (
            "Troops killed civilians in Bucha. The minister called it a senseless murder.",
            "condemns",
        ),
    ],
)
def test_stances_are_recognised_with_their_events(
    analyzer: Analyzer, text: str, stance: str
) -> None:
    analysis = analyse(analyzer, text)
    claims = [c for c in analysis.claims if c.stance == stance]
    assert claims, [c.stance for c in analysis.claims]
    assert claims[0].events, "a claim about a violation points at its event"
    assert text[claims[0].start : claims[0].end] == claims[0].text


def test_named_speaker_carries_role_and_side(analyzer: Analyzer) -> None:
    text = (
        "Troops killed civilians in Bucha. Canada's foreign minister, Melanie Joly, "
        "condemned the killings."
    )
    claim = next(c for c in analyse(analyzer, text).claims if c.stance == "condemns")
    assert claim.speaker.name == "Melanie Joly"
    assert claim.speaker.side == "CA"


def test_a_party_saying_it_did_not_do_it_is_a_denial(analyzer: Analyzer) -> None:
    analysis = analyse(analyzer, "Russia said its forces did not target civilians in Mariupol.")
    assert [e.status for e in analysis.events] == ["negated"]
    assert [(c.stance, c.speaker.side) for c in analysis.claims] == [("denies", "RU")]


def test_source_is_found_above_an_unattributed_suspicion(analyzer: Analyzer) -> None:
    text = (
        "Ukrainian prosecutors said they had identified soldiers suspected of "
        "torturing civilians in Bucha."
    )
    (event,) = analyse(analyzer, text).events
    assert event.status == "alleged"
    assert [a.text for a in event.asserted_by] == ["Ukrainian prosecutors"]
