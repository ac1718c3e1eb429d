"""Document-level reasoning: statements of responsibility told apart from the incident they name,
on reports written for these tests (published on a Wednesday)."""
from __future__ import annotations

import datetime as dt

import pytest

from sahelwatch import extract_events
from sahelwatch.model import Document

PUB = dt.date(2024, 5, 22)


def events(text: str, language: str = "en"):
    return extract_events(Document(doc_id="t", text=text, published=PUB, language=language))


def test_a_claim_in_a_later_paragraph_names_the_doer():
    evs = events(
        "Gunmen attacked a gendarmerie post in Kantchari in eastern Burkina Faso on Monday, killing six "
        "gendarmes, security sources said.\n\n"
        "The post had been reinforced in March after several threats against the town.\n\n"
        "JNIM claimed responsibility for the assault in a message posted on Tuesday.")
    (ev,) = [e for e in evs if e.location == "Kantchari"]
    assert ev.actor1.startswith("JNIM")


def test_a_blame_statement_names_the_doer():
    evs = events(
        "Attackers killed eleven villagers in Tillia in Niger's Tahoua region on Sunday, a local official said.\n\n"
        "The governor blamed the killings on the Islamic State in the Sahel.")
    (ev,) = [e for e in evs if e.location == "Tillia"]
    assert "Islamic State" in ev.actor1


def test_a_denied_claim_names_no_doer():
    evs = events(
        "Gunmen killed seven traders near Djibo in northern Burkina Faso on Monday, residents said.\n\n"
        "No group has claimed the attack, and JNIM, which is active in the area, has not claimed it either.")
    (ev,) = [e for e in evs if e.location == "Djibo"]
    assert ev.actor1.startswith("Unidentified Armed Group")


def test_a_group_that_does_not_operate_in_the_country_is_not_the_doer():
    evs = events(
        "Gunmen killed nine herders near Bankass in central Mali on Monday, local officials said.\n\n"
        "Officials in Nigeria have blamed Boko Haram for similar raids on herders.")
    (ev,) = [e for e in evs if e.location == "Bankass"]
    assert "Boko Haram" not in ev.actor1


def test_a_french_claim_in_a_later_paragraph_names_the_doer():
    evs = events(
        "Des hommes armés ont attaqué lundi le poste de gendarmerie de Kantchari, dans l'est du Burkina Faso, "
        "tuant six gendarmes, selon des sources sécuritaires.\n\n"
        "Le JNIM a revendiqué l'assaut mardi dans un message.", language="fr")
    (ev,) = [e for e in evs if e.location == "Kantchari"]
    assert ev.actor1.startswith("JNIM")


def test_a_separate_attack_the_same_day_elsewhere_is_its_own_event():
    evs = events(
        "Jihadists kill eight gendarmes in northern Burkina Faso\n\n"
        "Suspected jihadists stormed a gendarmerie post in the north of the country on Sunday night, killing "
        "eight gendarmes, security sources said. The post, at Titao, had been attacked twice this year.\n\n"
        "Also on Sunday, three soldiers died in a separate attack on a patrol at Solenzo, the army said.\n\n"
        "That same day, gunmen struck a cattle market at Gorom-Gorom, killing two traders.")
    places = {e.location: e for e in evs}
    assert {"Solenzo", "Gorom-Gorom"} <= set(places), [(e.location, e.fatalities) for e in evs]
    assert places["Solenzo"].fatalities == 3 and places["Gorom-Gorom"].fatalities == 2


def test_a_toll_summed_over_years_counts_for_no_incident():
    evs = events(
        "Gunmen killed four villagers in Tillia in Niger's Tahoua region on Monday, a local official said.\n\n"
        "Since 2017, attacks by armed groups in the region have killed more than 1,500 people.")
    (ev,) = evs
    assert ev.fatalities == 4


def test_a_french_toll_summed_over_years_counts_for_no_incident():
    evs = events(
        "Des hommes armés ont tué quatre villageois lundi à Tillia, dans la région de Tahoua, selon un élu local.\n\n"
        "Depuis 2017, les attaques des groupes armés ont fait plus de 1 500 morts dans la région.", language="fr")
    (ev,) = evs
    assert ev.fatalities == 4


def test_a_foreign_victim_is_a_civilian_of_their_country():
    (ev,) = events("A German aid worker was abducted in Niamey on Tuesday by unidentified gunmen, police said.")
    assert ev.sub_event_type == "Abduction/forced disappearance"
    assert ev.actor2 == "Civilians (Germany)"


def test_a_foreign_victim_in_french():
    (ev,) = events("Un travailleur humanitaire allemand a été enlevé mardi à Niamey par des hommes armés.", language="fr")
    assert ev.actor2 == "Civilians (Germany)"


def test_foreign_soldiers_are_their_own_forces():
    (ev,) = events("Two French soldiers were killed when their armoured vehicle hit a mine near Menaka in Mali on Saturday.")
    assert ev.actor2.startswith("Military Forces of France")


def test_a_headline_participle_is_passive():
    evs = events("Chinese engineer kidnapped in southern Mali\n\n"
                 "The engineer, who worked at a road construction site near Bougouni, was abducted on Monday, officials said.")
    (ev,) = evs
    assert ev.actor1.startswith("Unidentified Armed Group") and ev.actor2 == "Civilians (China)"


def test_places_listed_side_by_side_are_as_many_incidents():
    evs = events("On Thursday, three targets were attacked at the same time in the Tillaberi region: the prison "
                 "at Ouallam, the refugee camp at Mangaize and an army patrol at Banibangou, the ministry said.")
    assert {"Ouallam", "Mangaize", "Banibangou"} <= {e.location for e in evs}, [e.location for e in evs]


def test_a_village_and_its_commune_are_one_place():
    evs = events("Gunmen killed five herders in Boulel, a village in the commune of Tillia, on Monday.")
    assert len(evs) == 1


def test_a_political_event_told_only_at_country_level_is_where_the_report_was_filed():
    evs = events("MARADI, Niger (AFP) - Police fired tear gas on Tuesday to break up a crowd of students who "
                 "were protesting against a rise in university fees, witnesses said.")
    (ev,) = evs
    assert ev.sub_event_type == "Protest with intervention" and ev.location == "Maradi"


def test_a_bomb_among_people_targets_civilians():
    (ev,) = events("A suicide bomber blew himself up at the gate of the market in Gwoza in Borno State on Sunday, "
                   "killing nobody else, police said.")
    assert ev.sub_event_type == "Suicide bomb" and ev.actor2 == "Civilians (Nigeria)" and ev.fatalities == 1


def test_a_named_groups_own_fighters_are_not_its_target():
    (ev,) = events("JNIM fighters attacked the army camp at Boulkessi in central Mali on Monday; the jihadists "
                   "were repelled after hours of fighting, the army said.")
    assert ev.actor1.startswith("JNIM") and ev.actor2.startswith("Military Forces of Mali")


def test_soldiers_taking_leaders_into_custody_is_an_arrest():
    (ev,) = events("Soldiers of the presidential guard took the interim president and two ministers into custody "
                   "in Niamey on Wednesday, the speaker of parliament said.")
    assert ev.event_type == "Strategic developments" and ev.sub_event_type == "Arrests"
    assert ev.actor1.startswith("Military Forces of Niger") and ev.location == "Niamey"


@pytest.mark.parametrize(("text", "language"), [
    ("Two army posts were targeted near Djibo in northern Burkina Faso on Monday, killing four soldiers.", "en"),
    ("Deux postes de l'armée ont été visés lundi près de Djibo, dans le nord du Burkina Faso, tuant quatre "
     "soldats.", "fr"),
])
def test_targeted_is_an_attack(text, language):
    (ev,) = events(text, language)
    assert ev.event_type == "Battles" and ev.fatalities == 4


@pytest.mark.parametrize(("text", "language", "junk"), [
    ("Le ministère de l'Intérieur et de la Décentralisation a annoncé qu'un car avait été attaqué dimanche, "
     "faisant douze morts.", "fr", "Décentralisation"),
    ("Selon des témoins, des Dogons et des Peuls figurent parmi les douze victimes tuées lundi.", "fr", "Dogons"),
])
def test_common_nouns_and_communities_are_not_places(text, language, junk):
    from sahelwatch.geo import geoparse
    from sahelwatch.nlp import load

    doc = load(language)(text)
    places = geoparse(text, [(e.start_char, e.end_char, e.label_) for e in doc.ents], language=language)
    assert junk not in {p.text for p in places}
    assert all(e.location != junk for e in events(text, language))


def test_a_sentence_that_leads_into_an_incident_gives_its_day():
    evs = events("On Monday 20 May, an army patrol left Koro for the border. On its way, it came under fire near "
                 "Dinangourou and three soldiers were killed, residents said.")
    (ev,) = evs
    assert ev.event_date == "2024-05-20"


def test_a_story_day_in_apposition_with_its_date_is_one_day():
    evs = events("Gunmen attacked Tillia on Monday. The next day, Tuesday 21 May, they raided the market at Bankilare, "
                 "killing four traders.")
    assert {e.location: e.event_date for e in evs}.get("Bankilare") == "2024-05-21"
    assert len([e for e in evs if e.location == "Bankilare"]) == 1


def test_the_last_word_of_an_associations_name_is_not_a_place():
    from sahelwatch.geo import geoparse
    from sahelwatch.nlp import load

    text = ("On Thursday, Jeunesse Tabital Pulaaku, a group that speaks for herders, said 19 people were killed "
            "near Bounti.")
    doc = load("en")(text)
    places = {p.text for p in geoparse(text, [(e.start_char, e.end_char, e.label_) for e in doc.ents])}
    assert "Pulaaku" not in places and "Bounti" in places


def test_an_air_strike_that_killed_only_civilians_stays_an_air_strike():
    (ev,) = events("An air strike hit a wedding near Bounti in central Mali on Sunday, killing 19 civilians, "
                   "in an area where fighting between the army and jihadists has raged for months.")
    assert ev.sub_event_type == "Air/drone strike" and ev.actor2 == "Civilians (Mali)"


def test_each_place_leads_its_own_toll():
    evs = events("On Sunday soldiers carried out summary executions in two villages of Yatenga province. "
                 "In Nondin village, soldiers killed 44 people, 20 of them children; in nearby Soro village, "
                 "they killed 179 people, 36 of them children.")
    tolls = {e.location: e.fatalities for e in evs}
    assert tolls.get("Nondin") == 44 and tolls.get("Soro") == 179, tolls


def test_a_mission_handing_its_camp_to_the_army_is_a_handover():
    (ev,) = events("MINUSMA has formally transferred one of its last camps, in Menaka, to the national "
                   "army on Friday, state television reported.")
    assert ev.sub_event_type == "Non-violent transfer of territory"
    assert ev.actor1.startswith("MINUSMA") and ev.actor2.startswith("Military Forces of Mali")


def test_a_frequent_target_of_attacks_is_no_incident():
    evs = events("The town of Djibo, a frequent target of jihadist attacks, received a food convoy on Monday.")
    assert evs == []


def test_a_back_reference_places_an_incident_told_only_at_country_level():
    evs = events(
        "Armed men raided a quarry in western Niger on Saturday, seizing trucks and abducting two Indian "
        "engineers, the defence ministry said. The raid happened near Tagabati, according to the statement.")
    (ev,) = evs
    assert ev.location == "Tagabati" and ev.country == "Niger"
    assert ev.sub_event_type == "Abduction/forced disappearance"


def test_a_far_distance_is_a_point_of_reference_not_the_place():
    evs = events(
        "Gunmen attacked a checkpoint in Seno province on Monday night, some 260 kilometres from "
        "Ouagadougou, killing four volunteers, a local official said.")
    assert evs and {e.location for e in evs} == {"Seno"}


def test_a_near_spelling_in_a_country_the_report_never_names_is_no_place():
    # "Kwolla" is a Nigerian village; a report about Mali naming "Kwala" does not mean it
    evs = events("Gunmen kidnapped three Turkish engineers at a camp in northern Mali on Sunday, seizing their "
                 "vehicles, the army said. The raid took place 40 km from Kwala.")
    assert [(e.location, e.country) for e in evs] == [("Kwala", "Mali")]


def test_a_lead_accusation_of_a_series_names_the_doer_of_every_incident():
    evs = events(
        "Survivors accuse the Burkinabe army of a series of executions in the north of the country.\n\n"
        "On Saturday, assailants entered Arbinda at dawn and shot dead seven herders, residents said.\n\n"
        "On Sunday, four traders were killed in Tongomayel, witnesses said.")
    placed = {e.location: e.actor1 for e in evs}
    assert placed.get("Arbinda", "").startswith("Military Forces of Burkina Faso")
    assert placed.get("Tongomayel", "").startswith("Military Forces of Burkina Faso")


def test_une_accusation_en_tete_nomme_les_auteurs_des_tueries():
    evs = events(
        "Des habitants accusent l'armée malienne d'avoir commis de nouvelles exécutions près de Douentza.\n\n"
        "Le lundi 20 mai, des assaillants ont tué six bergers à Mondoro, selon des sources locales.",
        language="fr")
    (ev,) = [e for e in evs if e.location == "Mondoro"]
    assert ev.actor1.startswith("Military Forces of Mali")


def test_a_lead_without_an_accusation_names_no_doer():
    evs = events(
        "Violence has spread across the Sahel region of Burkina Faso in recent months.\n\n"
        "On Saturday, assailants entered Arbinda at dawn and shot dead seven herders, residents said.")
    (ev,) = [e for e in evs if e.location == "Arbinda"]
    assert ev.actor1.startswith("Unidentified Armed Group")


def test_a_toll_split_between_two_villages_makes_two_incidents_with_the_same_sides():
    evs = events(
        "Gunmen attacked two villages in western Niger on Sunday: Tilwaré, 30 kilometres from "
        "Ouallam, and Zoumbouré, which is 25 kilometres from the border with Mali.\n\n"
        "At least 50 civilians were killed in the two villages, about 35 of them in Tilwaré and some "
        "15 in Zoumbouré, the prefect said.\n\n"
        "A survivor said the assailants first killed the chief and then turned on the men.")
    by_place = {e.location: e for e in evs}
    assert set(by_place) == {"Tilwaré", "Zoumbouré"}
    second = by_place["Zoumbouré"]
    assert second.sub_event_type == "Attack" and second.actor2.startswith("Civilians")
    assert second.fatalities == 15


def test_a_protest_told_from_a_town_stays_in_that_town():
    evs = events(
        "Mopti protesters demand governor quit after deadly shooting\n\n"
        "MOPTI, Mali (Reuters) - Demonstrators in the central Malian city of Mopti demanded on Wednesday that the "
        "regional governor step down, one day after security forces fired on a protest in the city and killed two "
        "people.\n\nAt least 20 other people were wounded in Tuesday's shooting, which the government has pledged "
        "to investigate.\n\nTuesday's marchers, some of whom set tyres alight and hurled stones at the police, were "
        "angry about new tax rules.")
    assert evs and {e.location for e in evs} == {"Mopti"}


def test_a_back_reference_gives_its_day_to_an_incident_told_without_one():
    evs = events(
        "Several people were killed and others hurt when gunmen raided villages in the far north of Togo, where "
        "an insurgency is spreading from Burkina Faso, the army said on Sunday.\n\n"
        "The government had already reported the attack, which took place in Kpendjal and Tone from Thursday "
        "night into Friday, but had said nothing about casualties.\n\n"
        "In April, gunmen also fought Togolese troops outside a military post in the Sanloaga area, in the far "
        "north of Togo.")
    assert "2024-05-16" in [e.event_date for e in evs]


def test_an_incident_placed_only_by_a_direction_does_not_take_the_last_place_told():
    evs = events(
        "Kaya was the scene on March 3 of an attack in which 40 people were killed. On March 20, twenty "
        "herders were killed in the north and northwest.")
    assert [e.location for e in evs] == ["Kaya"]
    fr = events("Kaya a été le théâtre le 3 mars d'une attaque qui a fait 40 morts. Le 20 mars, vingt bergers ont été "
                "tués dans le nord du pays.", language="fr")
    assert [e.location for e in fr] == ["Kaya"]


def test_a_weekday_after_a_vague_week_is_the_last_such_day_before_the_report():
    evs = extract_events(Document(doc_id="t", published=dt.date(2024, 5, 23), text=(
        "Two soldiers were killed on Wednesday night when militants raided a border security post in the north of "
        "Benin, the army said.\n\nThe raid, in the Porga region, was the second in the country this week. On "
        "Tuesday morning, militants had attacked an army patrol in Alibori department, according to a note seen "
        "by reporters.")))
    assert [e.event_date for e in evs if e.admin1 == "Alibori"] == ["2024-05-21"]


INATES_LIKE = (
    "Jihadists stormed an army camp at Chinagodrar on Tuesday, killing 40 soldiers, the defence ministry said. "
    "The Islamic State Sahel Province claimed the assault on the camp at Chinagodrar on Wednesday.\n\n"
    "The ministry added that another army post, at Sanam in the Tillaberi region, was attacked on Monday, and "
    "that two soldiers died there.\n\n"
    "On Wednesday the ministry said the Chinagodrar assault had been the work of several hundred terrorists.\n\n"
    "In its statement, the Islamic State Sahel Province said its fighters had killed more than 60 troops.")


def test_a_group_already_credited_tells_of_its_incident_not_the_last_one_told():
    evs = events(INATES_LIKE)
    sanam = [e for e in evs if e.location == "Sanam"]
    camp = [e for e in evs if e.location != "Sanam"]  # Chinagodrar, as the gazetteer spells it
    assert len(sanam) == 1 and sanam[0].actor1.startswith("Unidentified Armed Group")
    assert len(camp) == 1 and camp[0].actor1 == "Islamic State (Sahel)"


def test_a_group_named_for_attacks_on_two_villages_is_the_doer_of_both():
    evs = events(
        "Suspected Islamic State Sahel Province fighters killed at least 20 civilians in attacks on two villages "
        "in Niger's Tillaberi region on Saturday, an official said.\n\n"
        "Gunmen on motorbikes raided Tondikiwindi and Dingazi, killing 12 people in Tondikiwindi and eight in "
        "Dingazi, the official said.")
    assert {e.location: e.actor1 for e in evs} == {"Tondikiwindi": "Islamic State (Sahel)",
                                                   "Dingazi": "Islamic State (Sahel)"}


def test_people_held_by_the_authorities_are_arrested_by_them():
    evs = events(
        "Thirty foreign soldiers who landed at Niamey airport on Sunday were arrested and held by the "
        "national authorities, a police officer said on Monday.")
    (ev,) = [e for e in evs if e.sub_event_type == "Arrests"]
    assert ev.actor1.startswith(("Government of Niger", "Police Forces of Niger"))


def test_leaders_taken_into_custody_and_a_crowd_dispersed_are_two_incidents():
    evs = events(
        "NIAMEY (AFP) - Soldiers took the interim prime minister and two ministers into custody on Wednesday, "
        "the speaker of parliament said.\n\n"
        "Troops near the palace fired tear gas on Wednesday night to disperse a crowd of several hundred "
        "people who had come out to denounce the detentions, an AFP reporter said.")
    assert {e.sub_event_type for e in evs} == {"Arrests", "Protest with intervention"}


def test_an_undated_lede_is_not_dated_by_an_incident_recalled_later():
    evs = events(
        "A roadside bomb has killed at least four peacekeepers escorting a convoy near Tessalit in northern "
        "Mali, the UN mission said.\n\n"
        "The mission has become the deadliest UN operation in the world.\n\n"
        "Last month, gunmen stormed the mission's camp in Timbuktu, leaving at least six people dead.")
    bomb = [e for e in evs if e.location == "Tessalit"]
    assert bomb and abs((dt.date.fromisoformat(bomb[0].event_date) - PUB).days) <= 3


def test_the_side_a_toll_counts_is_never_the_doer():
    evs = events(
        "Headlines. Four soldiers killed in the far north. The army confirms that four soldiers died on Monday "
        "when their position near Karimama was attacked. JNIM had claimed the attack on Tuesday.")
    (ev,) = evs
    assert ev.actor1.startswith("JNIM") and ev.actor2.startswith("Military Forces of Benin")


def test_an_undated_lede_tells_the_day_s_news_at_the_dateline():
    evs = events(
        "Mali's junta orders Danish envoy out\n\n"
        "BAMAKO - Mali's military rulers have ordered the Danish ambassador to leave the country "
        "within 72 hours, accusing Copenhagen of hostile remarks.\n\n"
        "The ambassador, who arrived in January, was told to make arrangements to depart from Bamako.")
    (ev,) = evs
    assert (ev.sub_event_type, ev.location) == ("Other", "Bamako")
    assert 0 <= (PUB - dt.date.fromisoformat(ev.event_date)).days <= 3  # the days before the report


def test_an_incident_told_only_by_another_country_s_name_is_not_placed_in_the_report_s():
    evs = events(
        "Niger's rulers expel French envoy\n\n"
        "NIAMEY - Niger's military rulers have ordered the French ambassador to leave within 48 hours.\n\n"
        "In January, the junta in Mali next door expelled the French ambassador posted there.")
    assert [(e.location, e.event_date[:7]) for e in evs] == [("Niamey", "2024-05")]


def test_a_lede_that_points_back_at_its_headline_tells_the_incident():
    evs = events(
        "Two drivers kidnapped in western Niger\n\n"
        "Two lorry drivers, a Ghanaian among them, have been kidnapped near Tera, a district the jihadists have "
        "attacked again and again, sources told reporters.\n\n"
        "A colleague confirmed the abduction.")
    assert [(e.sub_event_type, e.location) for e in evs] == [("Abduction/forced disappearance", "Tera")]


def test_a_toll_told_for_several_same_day_incidents_is_split_across_them():
    evs = events(
        "Gunmen attacked an army post at Koutougou in northern Burkina Faso on Monday, killing five soldiers.\n\n"
        "That same day, assailants struck a police station at Tin-Akoff, killing two officers.\n\n"
        "The army said some 31 attackers were killed in the wake of these attacks.")
    tolls = {e.location: e.fatalities for e in evs}
    assert tolls == {"Koutougou": 5 + 16, "Tin-Akoff": 2 + 15}  # 31 split evenly, the remainder on the first


def test_a_french_toll_told_for_several_incidents_is_split_across_them():
    evs = events(
        "Des hommes armés ont attaqué lundi le poste militaire de Koutougou, tuant cinq soldats.\n\n"
        "Le même jour, des assaillants ont visé le commissariat de Tin-Akoff, tuant deux policiers.\n\n"
        "Selon l'armée, une trentaine d'assaillants ont été neutralisés lors de ces attaques.", "fr")
    tolls = {e.location: e.fatalities for e in evs}
    assert tolls == {"Koutougou": 5 + 15, "Tin-Akoff": 2 + 15}


def test_a_french_march_is_told_by_its_own_words():
    evs = events(
        "Plusieurs personnes ont été blessées ce lundi 20 mai 2024 à Niamey pendant une marche organisée en "
        "hommage aux victimes.\n\n"
        "Des centaines d'habitants ont défilé dans le calme jusqu'au siège du gouvernorat.", "fr")
    assert [(e.event_type, e.location) for e in evs] == [("Protests", "Niamey")]


@pytest.mark.parametrize(("text", "language"), [
    ("Hundreds of people marched in Niamey on Monday to honour the victims of the massacre.\n\n"
     "The police threw stun grenades and fired tear gas to break up the march.", "en"),
    ("Des centaines de personnes ont marché lundi à Niamey en hommage aux victimes.\n\n"
     "Les policiers ont lancé des grenades et tiré des gaz lacrymogènes pour disperser la marche.", "fr"),
])
def test_police_grenades_at_a_march_are_the_protest_s_intervention(text, language):
    evs = events(text, language)
    assert [(e.sub_event_type, e.location) for e in evs] == [("Protest with intervention", "Niamey")]
    assert evs[0].actor2.startswith("Police Forces of Niger")


def test_a_sentence_that_tells_its_day_is_no_generic_statement():
    evs = events("Niger's army suffered its deadliest attack to date on 20 May, when gunmen stormed a post at Boni, "
                 "killing 12 soldiers.")
    assert [(e.location, e.event_date, e.fatalities) for e in evs] == [("Boni", "2024-05-20", 12)]


def test_an_incident_known_only_to_an_earlier_year_is_not_recorded():
    evs = events(
        "Gunmen abducted 12 pupils from a school in Maradi on Monday, officials said.\n\n"
        "In 2021, gunmen seized 80 pupils in Tillia.")
    assert [e.location for e in evs] == ["Maradi"]


def test_a_group_overtaking_a_town_takes_it_from_the_state_s_forces():
    evs = events("MNLA rebels have taken over the garrison town of Tessalit in northern Mali after a siege of several "
                 "weeks, sources on both the rebel and the military side said on Tuesday.")
    (ev,) = evs
    assert ev.sub_event_type == "Non-state actor overtakes territory"
    assert ev.actor1.startswith("MNLA") and ev.actor2.startswith("Military Forces of Mali")


def test_a_village_told_beside_one_country_s_army_lies_in_that_country():
    evs = events(
        "Soldier among five killed in Boko Haram raid on lake island\n\n"
        "Five people were killed when Boko Haram fighters hit a checkpoint of the Chadian army on an island of the "
        "lake, a military source said.\n\n"
        "The source said the overnight attack had hit a forward post of the Chadian army at Kolomdi, in the far "
        "west of the country.\n\n"
        "Boko Haram has killed thousands since launching its campaign in Nigeria, and fighting goes on around "
        "Damasak, in the Mobbar district of Nigeria, on the border with Chad.")
    (ev,) = [e for e in evs if e.location == "Kolomdi"]
    assert ev.country == "Chad" and ev.fatalities >= 4


def test_a_month_told_later_does_not_date_an_undated_incident():
    text = ("Five soldiers were killed when gunmen attacked a checkpoint at Tera, a security source said.\n\n"
            "Last month, state television said three soldiers had died in a clash with the jihadists, without "
            "saying where.")
    evs = extract_events(Document(doc_id="t", text=text, published=dt.date(2024, 5, 6)))
    assert [e.event_date >= "2024-05-01" for e in evs if e.fatalities == 5] == [True]


def test_a_word_of_a_place_s_name_is_no_actor():
    evs = events("The army confirmed that five soldiers died on Monday when their position near Karimama, close to the "
                 "W National Park, was attacked. JNIM claimed the attack.")
    (ev,) = evs
    assert not ev.actor1.startswith("Civilians") and not ev.actor2.startswith("Civilians")


def test_nobody_killed_tells_no_killing():
    evs = events("Jihadists set fire to 14 lorries on Monday on the road near Diema, transporters said. Nobody was "
                 "killed or hurt, according to the transporters' union.")
    assert [e.sub_event_type for e in evs] == ["Looting/property destruction"]


@pytest.mark.parametrize(("sentence", "dates_it"), [
    ("The killings took place on 28 April, according to witnesses.", True),
    ("Between 28 April and 15 May, researchers interviewed 12 witnesses to the killings.", False),
])
def test_a_back_reference_dates_its_incident_only_with_a_day_told_after_it(sentence, dates_it):
    from sahelwatch.extract.dates import find_dates
    from sahelwatch.extract.events import Candidate, _told_before_its_day
    from sahelwatch.extract.triggers import load_rules

    c = Candidate(100, 100 + len(sentence), 1, [], [], find_dates(sentence, PUB, 100), [], [], text=sentence,
                  rules=load_rules("en"), sentence_start=100)
    assert _told_before_its_day(c) is dates_it


def test_a_back_reference_that_names_the_incident_before_its_day_dates_it():
    evs = events("Soldiers executed at least 30 civilians in Kobeldaga village in central Mali, Human Rights Watch "
                 "said.\n\n"
                 "The killings took place on 28 April, according to witnesses.")
    (ev,) = evs
    assert ev.event_date == "2024-04-28"
