"""Whole reports in, events out: the aggregation, typing, actor and claim rules of CODEBOOK.md,
on short reports written for these tests (published on a Wednesday)."""
from __future__ import annotations

import datetime as dt

import pytest

from sahelwatch import extract_events
from sahelwatch.model import Document

PUB = dt.date(2024, 5, 22)


def events(text: str, published: dt.date = PUB):
    return extract_events(Document(doc_id="t", text=text, published=published, language="en"))


def test_one_incident_told_three_times_is_one_event():
    evs = events(
        "Jihadists kill nine soldiers in Niger\n\n"
        "Suspected jihadists attacked an army post in Ouallam in Niger's Tillaberi region on Monday, killing "
        "nine soldiers, the defence ministry said.\n\n"
        "The attackers arrived on dozens of motorcycles, a local official said. Nine soldiers died and "
        "four were wounded in the attack, the ministry added.")
    assert len(evs) == 1
    (ev,) = evs
    assert ev.event_type == "Battles" and ev.sub_event_type == "Armed clash"
    assert ev.event_date == "2024-05-20" and ev.fatalities == 9 and ev.injured == 4
    assert ev.location == "Ouallam" and ev.admin1 == "Tillaberi" and ev.geo_precision == 1
    assert len(ev.evidence) >= 2


def test_two_villages_on_one_day_are_two_events():
    evs = events("Gunmen killed 12 villagers in Koumbri and 7 villagers in the nearby village of Ouahigouya "
                 "in northern Burkina Faso on Sunday, residents said.")
    by_place = {e.location: e for e in evs}
    assert {"Koumbri", "Ouahigouya"} <= set(by_place)
    assert by_place["Koumbri"].fatalities == 12 and by_place["Ouahigouya"].fatalities == 7
    for e in by_place.values():
        assert e.event_type == "Violence against civilians" and e.civilian_targeting
        assert e.actor2.startswith("Civilians (Burkina Faso)")


def test_claim_by_the_group_is_flagged():
    (ev,) = [e for e in events("JNIM says it has seized a military camp in Menaka in eastern Mali after "
                               "heavy fighting on Saturday.") if e.location == "Menaka"]
    assert ev.claimed
    assert ev.sub_event_type == "Non-state actor overtakes territory"
    assert ev.actor1.startswith("JNIM")


def test_independently_reported_attack_is_not_a_claim():
    evs = events("Gunmen killed four soldiers near Diffa in south-eastern Niger on Monday, military sources said. "
                 "Boko Haram claimed responsibility for the attack.")
    assert evs and not any(e.claimed for e in evs)


def test_recalled_incident_is_a_background_event_with_its_own_date():
    evs = events("Suspected jihadists killed six soldiers near Djibo in northern Burkina Faso on Monday.\n\n"
                 "In mid-March, 20 soldiers were killed in an ambush near Arbinda, in the same province.")
    dates = {e.location: (e.event_date, e.time_precision, e.salience) for e in evs}
    assert dates["Djibo"] == ("2024-05-20", 1, "main")
    assert dates["Arbinda"] == ("2024-03-15", 2, "background")


def test_air_strike_by_the_army_on_civilians():
    evs = events("The Malian army carried out drone strikes on a market in Tinzaouaten on Sunday, killing at least "
                 "eight civilians, local sources said.")
    (ev,) = evs
    assert ev.event_type == "Explosions/Remote violence" and ev.sub_event_type == "Air/drone strike"
    assert ev.actor1.startswith("Military Forces of Mali") and ev.actor2.startswith("Civilians (Mali)")
    assert ev.fatalities == 8


def test_abduction_of_women():
    (ev,) = events("Armed men abducted about 30 women gathering firewood near Djibo on Thursday, residents said.")
    assert ev.sub_event_type == "Abduction/forced disappearance" and ev.fatalities == 0
    assert ev.actor1.startswith("Unidentified Armed Group (Burkina Faso)")


def test_protest_dispersed_by_police():
    (ev,) = events("Police fired tear gas on Friday to disperse hundreds of protesters in Niamey who demanded the "
                   "departure of foreign troops.")
    assert ev.event_type == "Protests" and ev.sub_event_type == "Protest with intervention"
    assert ev.actor1.startswith("Protesters (Niger)") and ev.actor2.startswith("Police Forces of Niger")


def test_country_only_report_is_not_recorded():
    assert events("Jihadists have killed hundreds of people across Niger in recent years.") == []


@pytest.mark.parametrize("text", ["", "The weather in Niamey was hot on Monday.",
                                  "The president met the ambassador of France in Bamako on Tuesday."])
def test_no_violence_no_event(text):
    assert events(text) == []


def test_two_armed_groups_fighting_is_a_battle_between_them():
    (ev,) = events("Fighters of JNIM and the Islamic State in the Sahel clashed near Menaka in eastern Mali on "
                   "Monday, leaving dozens dead on both sides, local sources said.")
    assert ev.event_type == "Battles" and ev.fatalities == 12
    assert {ev.actor1.split(":")[0], ev.actor2.split(":")[0]} == {"JNIM", "Islamic State (Sahel)"}
