"""Violation events from short texts: each type, non-violations, negation, hypotheticals,
places."""

from __future__ import annotations

import pytest

from dossier.extract.analyzer import Analyzer
from dossier.records import Analysis, DocumentMeta, Event


def analyse(analyzer: Analyzer, text: str) -> Analysis:
    return analyzer.analyze(text, DocumentMeta("doc:test", None, "2022-04-04", None, "en"))


def happened(analysis: Analysis) -> list[Event]:
    return [e for e in analysis.events if e.status not in ("hypothetical", "negated")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Soldiers shot three civilians at a checkpoint in Irpin.", "killing"),
        ("The bodies of 12 men were found in a forest near the road.", "killing"),
        ("Investigators exhumed a mass grave in Izium.", "mass_grave"),
        ("Detainees said they were tortured with electric shocks in Kherson.", "torture"),
        ("Soldiers raped two women in the village of Motyzhyn.", "sexual_violence"),
        ("Russian troops abducted the mayor of Melitopol.", "detention"),
        ("Thousands of children were deported to Russia from Mariupol.", "deportation"),
        ("Russian forces shelled residential areas of Kharkiv overnight.", "attack_on_civilians"),
        ("A missile hit a maternity hospital in Mariupol.", "attack_on_protected"),
        ("Troops looted shops and burned houses in Borodianka.", "pillage_destruction"),
        ("Cluster munitions were used against Mykolaiv, the monitors said.", "prohibited_weapon"),
    ],
)
def test_each_ontology_type_is_recognised(analyzer: Analyzer, text: str, expected: str) -> None:
    assert expected in {e.type for e in happened(analyse(analyzer, text))}


@pytest.mark.parametrize(
    "text",
    [
        "The United States will send more anti-tank weapons to Ukraine.",
        "Russian forces withdrew from the area around Chernihiv.",
        "Leaders demand an investigation into war crimes.",
        "The president condemned the invasion.",
        "Troops executed the plan to encircle the city.",
        "The strike hit an ammunition depot near Belgorod.",
        "Ukrainian forces attacked Russian positions near Izium.",
        "Workers went on strike at the factory.",
    ],
)
def test_sentences_without_a_violation_give_no_event(analyzer: Analyzer, text: str) -> None:
    assert happened(analyse(analyzer, text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "No civilians were killed in the attack, the governor said.",
        "Troops did not shoot the prisoners.",
        "Nobody was abducted from the village.",
    ],
)
def test_negated_acts_are_kept_as_negated(analyzer: Analyzer, text: str) -> None:
    analysis = analyse(analyzer, text)
    assert analysis.events and {e.status for e in analysis.events} == {"negated"}


@pytest.mark.parametrize(
    "text",
    [
        "If Russian troops shell Odesa, civilians will die.",
        "Russia threatened to strike government buildings in Kyiv.",
        "Officials fear that soldiers would kill the hostages.",
        "The army plans to bomb residential districts of the city.",
    ],
)
def test_hypothetical_acts_are_not_reported_as_having_happened(
    analyzer: Analyzer, text: str
) -> None:
    analysis = analyse(analyzer, text)
    assert happened(analysis) == []
    assert all(e.status == "hypothetical" for e in analysis.events)


def test_event_place_is_the_place_attached_to_its_trigger(analyzer: Analyzer) -> None:
    text = (
        "The governor of Kharkiv said troops shot two civilians in Izium, "
        "while the front held near Donetsk."
    )
    (event,) = happened(analyse(analyzer, text))
    assert event.place is not None and event.place.name in ("Izium", "Izyum")


def test_region_phrase_gives_a_first_level_place(analyzer: Analyzer) -> None:
    text = "A mayor of a village in the Kharkiv region was killed by Russian soldiers."
    (event,) = happened(analyse(analyzer, text))
    assert event.place is not None and event.place.precision == "admin1"


def test_sentence_without_place_falls_back_to_the_document_place(analyzer: Analyzer) -> None:
    text = (
        "Shelling hit homes in Chernihiv on Monday. "
        "Residents said soldiers had abducted two teachers."
    )
    detention = next(e for e in analyse(analyzer, text).events if e.type == "detention")
    assert detention.place is not None and detention.place.name == "Chernihiv"


def test_perpetrator_side_comes_from_the_actor_phrase(analyzer: Analyzer) -> None:
    for text in (
        "Russian troops killed five civilians in Bucha.",
        "Five civilians were killed by Kremlin forces in Bucha.",
        "Civilians said departed Russian forces had tortured them.",
    ):
        events = happened(analyse(analyzer, text))
        assert events and events[0].perpetrator is not None
        assert events[0].perpetrator.side == "RU", text


def test_reports_of_one_violation_merge_into_one_event(analyzer: Analyzer) -> None:
    text = (
        "Russian troops killed civilians in Bucha. "
        "Witnesses say soldiers went door to door shooting civilians. "
        "The killings shocked the world."
    )
    killings = [e for e in analyse(analyzer, text).events if e.type == "killing"]
    assert len(killings) == 1
    assert killings[0].status == "alleged"


def test_different_victims_are_different_events(analyzer: Analyzer) -> None:
    text = "Troops killed civilians in Bucha. A mayor was also killed in Bucha."
    killings = [e for e in analyse(analyzer, text).events if e.type == "killing"]
    assert {h.category for e in killings for h in e.harm} == {"civilians", "officials"}
    assert len(killings) == 2


def test_event_ids_are_deterministic(analyzer: Analyzer) -> None:
    text = "Russian troops killed five civilians in Bucha."
    first = [e.id for e in analyse(analyzer, text).events]
    assert first == [e.id for e in analyse(analyzer, text).events]
    assert all(i.startswith("ev_") for i in first)


def test_event_spans_point_into_the_text(analyzer: Analyzer) -> None:
    text = "Soldiers shot three civilians at a checkpoint in Irpin."
    (event,) = analyse(analyzer, text).events
    assert text[event.trigger.start : event.trigger.end] == event.trigger.text
    assert text[event.sentence.start : event.sentence.end] == event.sentence.text


@pytest.mark.parametrize(
    "text",
    [
        "Russian soldiers were killed in a Ukrainian counteroffensive near Kherson.",
        "Drone strikes killed three Russian soldiers in Donetsk.",
    ],
)
def test_soldiers_killed_in_combat_are_no_violation(analyzer: Analyzer, text: str) -> None:
    assert happened(analyse(analyzer, text)) == []


def test_killing_soldiers_who_surrendered_is_a_violation(analyzer: Analyzer) -> None:
    text = "Two Ukrainian soldiers who had surrendered were executed near Bakhmut."
    (event,) = happened(analyse(analyzer, text))
    assert event.type == "killing"
    assert event.perpetrator is None, "the victims are not their own killers"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The hospital was destroyed in an air strike on Wednesday.", "attack_on_protected"),
        ("A church was damaged by shelling in Kharkiv.", "attack_on_protected"),
    ],
)
def test_destruction_by_a_strike_is_the_strike(
    analyzer: Analyzer, text: str, expected: str
) -> None:
    assert [e.type for e in happened(analyse(analyzer, text))] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Kyiv said Russian forces had executed the village's mayor.",
        "Ukraine accused Russia of deporting more than 1,000 children.",
    ],
)
def test_a_state_named_as_an_actor_is_not_the_event_place(analyzer: Analyzer, text: str) -> None:
    (event,) = happened(analyse(analyzer, text))
    assert event.place is None


def test_who_finds_the_bodies_is_not_the_perpetrator(analyzer: Analyzer) -> None:
    text = "Police found the bodies of three men in a forest in the Kyiv region."
    (event,) = happened(analyse(analyzer, text))
    assert event.perpetrator is None
    assert [(h.category, h.min) for h in event.harm] == [("people", 3)]


def test_weapon_with_a_national_adjective_names_the_side(analyzer: Analyzer) -> None:
    text = "Russian missiles struck a residential building in Kharkiv, killing 39 people."
    events = happened(analyse(analyzer, text))
    assert {e.type for e in events} == {"attack_on_civilians", "killing"}
    assert {e.perpetrator.side for e in events if e.perpetrator} == {"RU"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Amnesty said it had documented extrajudicial executions in Bucha.", "killing"),
        ("Witnesses saw Russian troops take away men from the village.", "detention"),
        (
            "Russian troops have been accused of using phosphorus bombs in Popasna.",
            "prohibited_weapon",
        ),
    ],
)
def test_phrasal_triggers_are_recognised(analyzer: Analyzer, text: str, expected: str) -> None:
    assert expected in {e.type for e in happened(analyse(analyzer, text))}


def test_a_town_in_the_sentence_beats_the_country_named_with_it(analyzer: Analyzer) -> None:
    text = "IZIUM, Ukraine - Police on Monday exhumed a mass grave in the town of Izium, Ukraine."
    events = happened(analyse(analyzer, text))
    assert events and all(e.place and e.place.precision == "locality" for e in events)


def test_a_town_named_as_a_landmark_beats_the_country(analyzer: Analyzer) -> None:
    text = (
        "A missile hit a school near Kramatorsk on Monday, killing two teachers. "
        "Strikes on schools have become common in Ukraine."
    )
    first = happened(analyse(analyzer, text))[0]
    assert first.place is not None and first.place.precision != "country"


def test_a_place_naming_the_source_is_not_the_event_place(analyzer: Analyzer) -> None:
    text = (
        "A missile struck a market in Kupiansk on Monday. The strike hit at noon, "
        "the Kharkiv regional military administration said."
    )
    places = {e.place.name for e in happened(analyse(analyzer, text)) if e.place}
    assert len(places) == 1 and places != {"Kharkiv"}


@pytest.mark.parametrize(
    "text",
    [
        "Officials said on Monday that a hospital in Irpin was shelled on Saturday.",
        "A hospital in Irpin was shelled on Saturday, killing two nurses.",
    ],
)
def test_the_time_in_the_triggers_clause_dates_the_event(analyzer: Analyzer, text: str) -> None:
    event = happened(analyse(analyzer, text))[0]
    assert (event.time.start, event.time.end) == ("2022-04-02", "2022-04-02")


@pytest.mark.parametrize(
    "text",
    [
        "Officials on Sunday denied that their troops shelled a hospital in Irpin.",
        "Residents of Irpin buried two nurses on Sunday, a day after troops shelled the hospital.",
    ],
)
def test_a_report_or_aftermath_time_only_bounds_the_event(analyzer: Analyzer, text: str) -> None:
    events = [e for e in analyse(analyzer, text).events if e.type == "attack_on_protected"]
    assert events and events[0].time.start is None and events[0].time.end == "2022-04-03"


def test_a_dateline_is_not_part_of_the_perpetrator(analyzer: Analyzer) -> None:
    text = "KHERSON, Ukraine (AP) - Russian artillery shelled a residential area of Kherson."
    event = happened(analyse(analyzer, text))[0]
    assert event.perpetrator is not None and event.perpetrator.side == "RU"
    assert event.perpetrator.text == "Russian artillery"


@pytest.mark.parametrize(
    "second",
    [
        "The strike hit at noon, when the market was crowded.",
        "The attack forced the hospital to close.",
        "The hospital's pharmacy burned down.",
    ],
)
def test_a_back_reference_to_the_attack_adds_to_it(analyzer: Analyzer, second: str) -> None:
    text = "A Russian missile hit a hospital in Irpin on Saturday, killing two nurses. " + second
    events = happened(analyse(analyzer, text))
    assert all(e.sentence.start == 0 for e in events)


def test_another_attack_is_a_new_event(analyzer: Analyzer) -> None:
    text = (
        "A Russian missile hit a hospital in Irpin on Saturday. "
        "Another attack hit a school in Bucha on Sunday, killing a teacher."
    )
    assert any(e.sentence.start > 0 for e in happened(analyse(analyzer, text)))


@pytest.mark.parametrize(
    "text",
    [
        "The army has stepped up air strikes on villages in the north.",
        "Monitors have documented dozens of attacks on hospitals in the country.",
    ],
)
def test_a_campaign_of_attacks_is_not_one_event(analyzer: Analyzer, text: str) -> None:
    assert not happened(analyse(analyzer, text))


def test_plural_attacks_with_a_day_or_toll_are_events(analyzer: Analyzer) -> None:
    text = "Air strikes on villages in the north killed nine civilians on Monday."
    assert happened(analyse(analyzer, text))


@pytest.mark.parametrize(
    "text",
    [
        "Soldiers took the mayor away from his office in Melitopol.",
        "Soldiers arrived at night and led him away with a bag over his head.",
    ],
)
def test_a_phrasal_verb_split_by_its_object_is_a_trigger(analyzer: Analyzer, text: str) -> None:
    assert "detention" in {e.type for e in happened(analyse(analyzer, text))}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Two people died when a missile hit their house in Odesa on Monday.", True),
        ("Three residents died in the shelling of Kherson.", True),
        ("Two people died in a car crash near Odesa.", False),
        ("The former mayor of Odesa died of cancer.", False),
    ],
)
def test_deaths_count_as_killings_only_when_put_down_to_an_attack(
    analyzer: Analyzer, text: str, expected: bool
) -> None:
    events = [e for e in happened(analyse(analyzer, text)) if e.type == "killing"]
    assert bool(events) == expected
    assert not events or events[0].harm[0].kind == "killed"


@pytest.mark.parametrize(
    ("text", "subtype"),
    [
        ("Police arrested 12 protesters in the city on Sunday.", "arrest"),
        ("About 17 activists were arrested on Sunday, police said.", "arrest"),
        ("Russian troops abducted the mayor of Melitopol.", "abduction"),
        ("At least 11 mayors are in Russian captivity.", "captivity"),
        ("Activists say the journalist was forcibly disappeared in Kherson.", "disappearance"),
    ],
)
def test_each_detention_has_its_subtype(analyzer: Analyzer, text: str, subtype: str) -> None:
    detentions = [e for e in happened(analyse(analyzer, text)) if e.type == "detention"]
    assert [e.subtype for e in detentions] == [subtype]


def test_only_detentions_have_a_subtype(analyzer: Analyzer) -> None:
    events = happened(analyse(analyzer, "Soldiers shot three civilians in Irpin."))
    assert events and all(e.subtype is None for e in events)


@pytest.mark.parametrize(
    ("text", "type_", "doer"),
    [
        ("One person was killed in police firing in the town.", "killing", "police"),
        ("Four people were killed when police opened fire on the crowd.", "killing", "police"),
        ("Two civilians died at the hands of the soldiers.", "killing", "soldiers"),
        ("Six people died in Russian shelling of the market.", "killing", "Russian"),
        ("Eighty people were arrested by the railway police.", "detention", "railway police"),
        (
            "Police raided the camp before dawn. Twelve men were arrested there.",
            "detention",
            "Police",
        ),
        ("Troops stormed the village. Nine men were shot dead.", "killing", "Troops"),
    ],
)
def test_the_perpetrator_comes_from_every_agent_construction(
    analyzer: Analyzer, text: str, type_: str, doer: str
) -> None:
    events = [e for e in happened(analyse(analyzer, text)) if e.type == type_]
    assert events and events[0].perpetrator is not None
    assert doer.lower() in events[0].perpetrator.text.lower()


def test_a_demonym_gives_the_side_of_the_perpetrator(analyzer: Analyzer) -> None:
    event = happened(analyse(analyzer, "Six people died in Russian shelling of the market."))[0]
    assert event.perpetrator is not None and event.perpetrator.side == "RU"


def test_a_mob_is_not_made_the_police_by_a_police_report(analyzer: Analyzer) -> None:
    text = "Police said a mob killed two men in the market."
    killing = next(e for e in happened(analyse(analyzer, text)) if e.type == "killing")
    assert killing.perpetrator is None or "police" not in killing.perpetrator.text.lower()


@pytest.mark.parametrize(
    "text",
    [
        "Floods killed 40 people in the province last week.",
        "An earthquake killed hundreds of villagers.",
        "Three workers died in a fire at the factory.",
        "Five people were killed when a bus crashed into a truck.",
        "A gas cylinder blast killed three people in their home.",
    ],
)
def test_disasters_and_accidents_give_no_killing(analyzer: Analyzer, text: str) -> None:
    assert not happened(analyse(analyzer, text))


@pytest.mark.parametrize(
    "text",
    [
        "Witnesses said mustard gas was used on the town.",
        "Doctors treated dozens of victims of a poison gas attack in Douma.",
        "The chemical attack on the suburb was blamed on the government.",
        "Investigators found traces of sarin after the strike.",
        "Cluster munitions hit the market in Kharkiv.",
    ],
)
def test_prohibited_weapons_are_recognised(analyzer: Analyzer, text: str) -> None:
    assert "prohibited_weapon" in {e.type for e in happened(analyse(analyzer, text))}


@pytest.mark.parametrize(
    "text",
    [
        "The government should arrest the leaders.",
        "Protesters demanded the arrest of the officers.",
        "The police have not been able to arrest the kidnappers.",
        "He died of cardiac arrest on Monday.",
    ],
)
def test_arrests_asked_for_or_not_made_are_no_arrest(analyzer: Analyzer, text: str) -> None:
    assert "detention" not in {e.type for e in happened(analyse(analyzer, text))}


def test_damage_by_a_strike_is_the_strikes_harm(analyzer: Analyzer) -> None:
    text = "A missile strike destroyed three houses in the village."
    events = happened(analyse(analyzer, text))
    assert [e.type for e in events] == ["attack_on_civilians"]
    assert any(h.kind == "damaged" for h in events[0].harm)


@pytest.mark.parametrize(
    "text",
    [
        "Israeli air strikes hit Gaza City on Tuesday.",
        "A missile strike on Odesa started fires overnight.",
        "Rocket fire on Kharkiv continued for a second day.",
    ],
)
def test_a_strike_from_afar_on_a_town_is_an_attack_on_civilians(
    analyzer: Analyzer, text: str
) -> None:
    assert "attack_on_civilians" in {e.type for e in happened(analyse(analyzer, text))}


def test_a_strike_near_a_town_on_a_depot_is_no_violation(analyzer: Analyzer) -> None:
    text = "A missile strike hit an ammunition depot near Belgorod."
    assert not happened(analyse(analyzer, text))


def test_the_police_take_the_country_of_the_documents_places(analyzer: Analyzer) -> None:
    text = "Police arrested 12 protesters in Ahmedabad on Sunday."
    event = next(e for e in happened(analyse(analyzer, text)) if e.type == "detention")
    assert event.perpetrator is not None and event.perpetrator.side == "IN"


def test_an_army_does_not_take_the_country_of_the_place(analyzer: Analyzer) -> None:
    text = "Troops shot three civilians at a checkpoint in Irpin."
    event = next(e for e in happened(analyse(analyzer, text)) if e.type == "killing")
    assert event.perpetrator is None or event.perpetrator.side != "UA"


@pytest.mark.parametrize("text", ["Russian troops shelled the village.", "British officials said."])
def test_a_demonym_is_never_a_place(analyzer: Analyzer, text: str) -> None:
    analysis = analyse(analyzer, text)
    assert not [p for p in analysis.places if p.text in ("Russian", "British")]


def test_a_headline_passive_makes_its_subject_the_victim(analyzer: Analyzer) -> None:
    text = "Two civilians killed in Russian shelling of Kharkiv"
    killing = next(e for e in happened(analyse(analyzer, text)) if e.type == "killing")
    assert [(h.category, h.min) for h in killing.harm] == [("civilians", 2)]
    assert killing.perpetrator is not None and killing.perpetrator.side == "RU"


def test_a_bomb_at_a_checkpoint_that_hurts_only_soldiers_is_no_attack_on_civilians(
    analyzer: Analyzer,
) -> None:
    text = "A car bomb exploded near a checkpoint, injuring four soldiers."
    assert not happened(analyse(analyzer, text))


@pytest.mark.parametrize(
    "text",
    [
        "Russian forces executed nine Ukrainian soldiers near Bakhmut.",
        "The troops shot dead three captured Ukrainian soldiers.",
    ],
)
def test_soldiers_executed_or_shot_dead_are_victims(analyzer: Analyzer, text: str) -> None:
    # Regression: the rule that drops soldiers wounded in combat dropped executions too.
    assert [e.type for e in happened(analyse(analyzer, text))] == ["killing"]


@pytest.mark.parametrize(
    ("text", "doer"),
    [
        ("Militiamen torched three villages in Darfur.", "Militiamen"),
        ("Gunmen kidnapped 30 students in Kaduna.", "Gunmen"),
    ],
)
def test_armed_groups_are_perpetrators(analyzer: Analyzer, text: str, doer: str) -> None:
    event = happened(analyse(analyzer, text))[0]
    assert event.perpetrator is not None and event.perpetrator.text == doer


def test_a_detention_by_troops_is_captivity_and_by_police_an_arrest(analyzer: Analyzer) -> None:
    troops = "Russian troops entered the village on Monday. Twelve men were detained there."
    police = "Police entered the camp on Monday. Twelve men were detained there."
    by_troops = [e for e in happened(analyse(analyzer, troops)) if e.type == "detention"]
    by_police = [e for e in happened(analyse(analyzer, police)) if e.type == "detention"]
    assert [e.subtype for e in by_troops] == ["captivity"]
    assert by_troops[0].perpetrator is not None and by_troops[0].perpetrator.side == "RU"
    assert [e.subtype for e in by_police] == ["arrest"]
