"""Places as news reports name them: unknown villages after cues, roads, where a report was told, regions the text
states, and news agencies (sentences written for these tests; invented village names are unknown to the gazetteer)."""
from __future__ import annotations

import re

import pytest

from sahelwatch.geo import geoparse, load_gazetteer, locate
from sahelwatch.geo.importers import import_files
from sahelwatch.nlp import detect_language


@pytest.fixture(scope="module")
def gz():
    return load_gazetteer(user=False)


def located(text: str, gz, entities=()):
    """The place of a one-sentence report, read in its language as the pipeline reads it."""
    mentions = geoparse(text, entities, gazetteer=gz, language=detect_language(text))
    return locate(mentions, mentions, gazetteer=gz)


def ner(text: str, *names: str, label: str = "GPE") -> list[tuple[int, int, str]]:
    """Entity spans as spaCy would give them, for the names listed."""
    return [(m.start(), m.end(), label) for m in (re.search(re.escape(n), text) for n in names)]


# ------------------------------------------------------------------------------------- Chad's Lac province

@pytest.mark.parametrize("text, written", [
    ("ISWAP fighters raided a fishing camp in Lake Chad province on Tuesday.", "Lake Chad province"),
    ("Chadian troops patrolled the islands of Lac province after the raid.", "Lac province"),
    ("Soldiers were redeployed to the Lac region after the attack.", "Lac region"),
    ("Des renforts ont été envoyés dans la province du Lac.", "Lac"),
])
def test_lake_chad_province_and_the_lac_region_are_chads_lac(text, written, gz):
    (m,) = [m for m in geoparse(text, gazetteer=gz, language=detect_language(text)) if m.place is not None]
    assert (m.text, m.kind, m.place.country, m.place.admin1) == (written, "admin1", "Chad", "Lac")


@pytest.mark.parametrize("text, village", [
    (("Boko Haram fighters killed nine soldiers at a base on the island of Ballarom in Lake Chad province, the army "
     "said."), "Ballarom"),
    ("Jihadists overran an army post on the island of Kourmadji in the Lac province overnight.", "Kourmadji"),
    ("Boko Haram abducted 12 fishermen in the village of Ngaltoua, in Chad's Lac region.", "Ngaltoua"),
])
def test_an_unknown_island_in_the_lac_is_kept_at_the_province(text, village, gz):
    loc = located(text, gz)  # no NER span: the cue alone makes the name a place
    lac = gz.admin1[("Chad", "Lac")]
    assert (loc.location, loc.country, loc.admin1, loc.geo_precision) == (village, "Chad", "Lac", 3)
    assert (loc.latitude, loc.longitude) == (lac.latitude, lac.longitude)


@pytest.mark.parametrize("text, name", [
    ("Gunmen burned the village of Tobrakaye on Sunday night.", "Tobrakaye"),
    ("Soldiers were deployed to the town of Sendimbo after the raid.", "Sendimbo"),
    ("Residents fled the locality of Kafilado, a local official said.", "Kafilado"),
    ("Jihadists attacked a market in the commune of Yelbaga.", "Yelbaga"),
    ("The army shelled the island of Wassakoye, killing fishermen.", "Wassakoye"),
    ("Bandits raided the hamlet of Bangassogo before dawn.", "Bangassogo"),
    ("Herders were killed in the village of Toumbakoro on Monday.", "Toumbakoro"),
    ("An explosion was heard near the village of Dagabolo, witnesses said.", "Dagabolo"),
    ("Des hommes armés ont attaqué la localité de Tobrakaye dans la nuit.", "Tobrakaye"),
    ("Les assaillants ont incendié le village de Sendimbo, selon des habitants.", "Sendimbo"),
    ("Une patrouille a été prise à partie dans la commune de Kafilado.", "Kafilado"),
    ("Les terroristes ont visé la commune d'Yelbaga lundi.", "Yelbaga"),
    ("Gunmen attacked Wassakoye village on Friday.", "Wassakoye"),
])
def test_a_name_after_a_place_cue_is_an_unknown_place(text, name, gz):
    (m,) = geoparse(text, gazetteer=gz, language=detect_language(text))
    assert (m.text, m.place, m.kind) == (name, None, "unknown")


def test_each_name_after_a_plural_cue_is_a_place(gz):
    text = "Gunmen attacked the villages of Tobrakaye, Sendimbo and Kafilado in Niger's Tillabéri region."
    names = [(m.text, m.kind) for m in geoparse(text, gazetteer=gz)]
    assert names == [("Tobrakaye", "unknown"), ("Sendimbo", "unknown"), ("Kafilado", "unknown"),
                     ("Niger", "country"), ("Tillabéri", "admin1")]


@pytest.mark.parametrize("text, names", [
    ("Gunmen Kill Seven In Village Of Tobrakaye In Niger", ["Tobrakaye", "Niger"]),
    ("Fighters attacked a Fulani village near Djibo.", ["Djibo"]),
    ("Troops visited the Christian community in Kafanchan.", ["Kafanchan"]),
])
def test_cued_names_stop_at_function_words_and_ethnic_words_name_no_village(text, names, gz):
    assert [m.text for m in geoparse(text, gazetteer=gz)] == names


# ----------------------------------------------------------------------------------------------------- roads

@pytest.mark.parametrize("text, location, admin1, precision", [
    (("Bandits kidnapped 18 travellers on the Kaduna-Abuja expressway near Katari late on Sunday, police in Kaduna "
     "state said."), "Katari", "Kaduna", 2),
    ("Gunmen stopped a bus on the Abuja-Kaduna highway close to Katari and seized the passengers.", "Katari",
     "Kaduna", 2),
    ("Soldiers were ambushed on the Djibo-Ouagadougou road near Namsiguia on Friday.", "Namsiguia", "Centre-Nord",
     2),
])
def test_a_named_place_beats_the_ends_of_a_named_road(text, location, admin1, precision, gz):
    loc = located(text, gz)
    assert (loc.location, loc.admin1, loc.geo_precision) == (location, admin1, precision)


@pytest.mark.parametrize("text, location, admin1", [
    ("Insurgents ambushed a supply convoy on the Maiduguri-Damboa road, killing four militiamen.", "Maiduguri", "Borno"),
    ("Un engin explosif a touché un véhicule militaire sur l'axe Dori-Seytenga.", "Dori", "Sahel"),
    ("Gunmen abducted 30 travellers on the Kaduna-Abuja highway on Wednesday.", "Kaduna", "Kaduna"),
    ("Bandits blocked the Abuja-Kaduna expressway overnight, police in Kaduna state said.", "Kaduna", "Kaduna"),
    ("Soldiers were ambushed on the road connecting Boni and Torodi on Tuesday.", "Torodi", "Tillaberi"),
    ("A roadside bomb killed five soldiers between Gao and Ansongo.", "Gao", "Gao"),
])
def test_a_road_alone_is_placed_at_its_main_end_but_not_the_capital(text, location, admin1, gz):
    loc = located(text, gz)
    assert (loc.location, loc.admin1, loc.geo_precision) == (location, admin1, 2)


@pytest.mark.parametrize("text, location", [
    ("Armed men abducted 20 passengers near Hombori, in the Douentza area of central Mali, on Wednesday.", "Hombori"),
    ("DIFFA: Two soldiers were killed when their vehicle struck a mine near Bosso, in the Diffa region.", "Bosso"),
])
def test_a_place_and_the_area_around_it_are_not_a_pair(text, location, gz):
    assert located(text, gz).location == location


@pytest.mark.parametrize("text, location, admin1, precision", [
    ("Gunmen killed two herders on the Djibo-Ouagadougou road, 20 km from Djibo.", "Djibo", "Sahel", 2),
])
def test_a_place_named_beside_a_road(text, location, admin1, precision, gz):
    loc = located(text, gz)
    assert (loc.location, loc.admin1, loc.geo_precision) == (location, admin1, precision)


def test_a_hyphenated_road_tagged_as_a_person_is_still_a_road(gz):
    text = "Un engin explosif a touché un véhicule militaire sur l'axe Dori-Seytenga."
    mentions = geoparse(text, ner(text, "Dori-Seytenga", label="PER"), gazetteer=gz, language="fr")
    assert [(m.text, m.road) for m in mentions] == [("Dori", True), ("Seytenga", True)]


def test_katari_lies_on_the_kaduna_abuja_highway(gz):
    (p,) = gz.lookup("Katari", "Nigeria")
    assert (p.admin1, round(p.latitude, 1), round(p.longitude, 1)) == ("Kaduna", 9.9, 7.3)


# ------------------------------------------------------------------------------- where the report was told

@pytest.mark.parametrize("text, location, admin1, precision", [
    ("Police in Maiduguri said gunmen killed three farmers in Konduga on Monday.", "Konduga", "Borno", 1),
    ("Bandits abducted 40 villagers in Dansadau, police in Gusau said.", "Dansadau", "Zamfara", 1),
    ("Gunmen killed five people, police in Kaduna state said.", "Kaduna", "Kaduna", 3),
    ("Gunmen killed five traders overnight, the governor told reporters in Sokoto.", "Sokoto", "Sokoto", 3),
    ("NIAMEY (Reuters) - Jihadists killed 14 soldiers near Tillia in the Tahoua region, the ministry said.",
     "Tillia", "Tahoua", 2),
    ("MAIDUGURI, Nigeria - Insurgents killed nine farmers near Dikwa on Sunday.", "Dikwa", "Borno", 2),
])
def test_where_a_report_was_told_is_context_not_the_place(text, location, admin1, precision, gz):
    loc = located(text, gz)
    assert (loc.location, loc.admin1, loc.geo_precision) == (location, admin1, precision)


def test_a_place_in_a_reporting_clause_is_marked_as_context(gz):
    text = "Gunmen abducted 30 passengers near Katari, police in Kaduna state said."
    assert [(m.text, m.context) for m in geoparse(text, gazetteer=gz)] == [("Katari", False), ("Kaduna", True)]


# ------------------------------------------------------------------------------ the region the text states

@pytest.fixture
def namesakes(tmp_path):
    """Two invented villages of one name in two Malian regions, and one known only in Mali."""
    csv = tmp_path / "namesakes.csv"
    csv.write_text("name,alternate_names,country,admin1,admin2,latitude,longitude,feature,population\n"
                   "Toumbakoro,,Mali,Mopti,Djenne,13.95,-4.45,PPL,9000\n"
                   "Toumbakoro,,Mali,Segou,Bla,12.90,-5.80,PPL,700\n"
                   "Dagabolo,,Mali,Koulikoro,Kati,12.60,-8.30,PPL,3000\n", encoding="utf-8")
    db = tmp_path / "gazetteer.db"
    import_files([csv], db)
    return load_gazetteer(db)


@pytest.mark.parametrize("text, admin1, latitude", [
    ("Gunmen killed 10 people in the village of Toumbakoro in Mali's Segou region.", "Segou", 12.90),
    ("Jihadists attacked Toumbakoro, in the Ségou region, on Sunday.", "Segou", 12.90),
    ("Dozos attacked Toumbakoro in the Mopti region.", "Mopti", 13.95),
    ("Dozos attacked Toumbakoro on Monday, residents said.", "Mopti", 13.95),
])
def test_a_namesake_inside_the_stated_region_wins(text, admin1, latitude, namesakes):
    loc = located(text, namesakes)
    assert (loc.location, loc.admin1, loc.latitude) == ("Toumbakoro", admin1, latitude)


def test_a_village_stated_in_another_countrys_region_is_not_moved_abroad(namesakes):
    loc = located("Insurgents raided Dagabolo, in Nigeria's Borno State, on Friday.", namesakes)
    assert (loc.location, loc.country, loc.admin1, loc.geo_precision) == ("Dagabolo", "Nigeria", "Borno", 3)


def test_without_a_namesake_in_the_stated_region_the_gazetteer_place_stays(gz):
    loc = located("Gunmen killed 10 people in the village of Dioura in Mali's Segou region.", gz)
    assert (loc.location, loc.country, loc.admin1) == ("Dioura", "Mali", "Mopti")


# ------------------------------------------------------------------------------- names that are not places

@pytest.mark.parametrize("text, agencies, places", [
    ("MAIDUGURI (LEADERSHIP) - Insurgents killed nine farmers near Dikwa, LEADERSHIP gathered.", ["LEADERSHIP"],
     ["MAIDUGURI", "Dikwa"]),
    ("Islamic State claimed the raid on Kalaa through Amaq, which said 20 soldiers died.", ["Amaq"], []),
    ("NIAMEY (Reuters) - Jihadists killed 14 soldiers in Tillia, Reuters learned.", ["Reuters"],
     ["NIAMEY", "Tillia"]),
    ("Security sources told AFP that gunmen attacked Djibo.", ["AFP"], ["Djibo"]),
    ("PUNCH reported that bandits attacked Tsafe, VANGUARD said.", ["PUNCH", "VANGUARD"], ["Tsafe"]),
])
def test_news_agencies_are_never_places(text, agencies, places, gz):
    names = [m.text for m in geoparse(text, ner(text, *agencies), gazetteer=gz)]
    assert not set(agencies) & set(names)
    assert [n for n in names if n in places] == places


def test_the_news_agency_list_is_data(gz):
    assert {"leadership", "amaq", "reuters", "afp"} <= set(gz.words["news_agencies"])


# --------------------------------------------------------------------------------- villages around a place

@pytest.mark.parametrize("text, entities, location, admin1, precision", [
    ("Gunmen attacked worshippers in Mamassi village, near Makalondi, in Niger's Tillabéri region.",
     ["Mamassi village"], "Mamassi", "Tillaberi", 2),
    ("Bandits attacked Kwatta village in Tambuwal local government area of Sokoto State, killing seven.", [],
     "Kwatta", "Sokoto", 2),
    ("Jihadists killed 11 soldiers at a post in Kourou, in Benin's Atacora department.", ["Kourou"], "Koualou",
     "Atacora", 2),
])
def test_villages_named_around_known_places(text, entities, location, admin1, precision, gz):
    loc = located(text, gz, ner(text, *entities))
    assert (loc.location, loc.admin1, loc.geo_precision) == (location, admin1, precision)


@pytest.mark.parametrize("text, location, admin1, precision", [
    ("Armed men attacked Tillaberi's Anzourou commune, killing 12 villagers.", "Anzourou", "Tillaberi", 2),
    ("Gunmen killed a village chief in Sendimbo, in the Tillabéri region, a security source said.", "Sendimbo",
     "Tillaberi", 3),
    ("Des hommes armés ont attaqué le village de Kafilado, dans la commune de Tansila, faisant six morts.", "Kafilado",
     "Boucle du Mouhoun", 2),
    ("Gunmen abducted 20 pupils from a school in Kebbi state's Maga town, officials said.", "Maga", "Kebbi", 2),
])
def test_the_region_or_commune_around_a_village_only_places_it(text, location, admin1, precision, gz):
    loc = located(text, gz)
    assert (loc.location, loc.admin1, loc.geo_precision) == (location, admin1, precision)


def test_a_namesake_abroad_of_a_village_in_a_possessive_region_is_not_taken(namesakes):
    loc = located("Bandits raided a school in Zamfara state's Toumbakoro town on Friday.", namesakes)
    assert (loc.location, loc.country, loc.admin1, loc.geo_precision) == ("Toumbakoro", "Nigeria", "Zamfara", 3)


@pytest.mark.parametrize("text, names", [
    ("Gunmen Attack Village Of Tobrakaye Near Ouallam", ["Tobrakaye", "Ouallam"]),
    ("Bandits killed 14 people in Yar Katsina village of Bungudu local government area.", ["Yar Katsina", "Bungudu"]),
])
def test_a_cued_name_is_the_whole_capitalised_run_up_to_a_function_word(text, names, gz):
    assert [m.text for m in geoparse(text, gazetteer=gz)] == names


@pytest.mark.parametrize("text, location", [
    ("A Maiduguri-based security analyst said ISWAP fighters attacked Marte on Friday.", "Marte"),
    ("A Niamey-based researcher said jihadists killed 12 soldiers in Tera.", "Tera"),
])
def test_a_place_before_based_is_where_someone_works_not_the_event(text, location, gz):
    assert located(text, gz).location == location


@pytest.mark.parametrize("text, location, country, admin1", [
    ("L'armée béninoise a perdu six soldats dans une attaque dans le parc W.", "W National Park", "Benin", "Alibori"),
    ("Des soldats nigériens ont été tués dans le parc national du W.", "W National Park", "Niger", "Tillaberi"),
    ("Rangers were ambushed inside the W park by jihadists, Beninese officials said.", "W National Park", "Benin",
     "Alibori"),
    ("Troops rescued 25 hostages in the Sambisa forest, the Nigerian army said.", "Sambisa Forest", "Nigeria", "Borno"),
])
def test_parks_and_forests_named_in_lower_case_and_french_demonyms(text, location, country, admin1, gz):
    loc = located(text, gz)
    assert (loc.location, loc.country, loc.admin1) == (location, country, admin1)


@pytest.mark.parametrize("text, location", [
    ("The attackers retreated towards Maradi after the raid on Guidan Roumdji.", "Guidan Roumdji"),
    ("Survivors fled to Djibo after jihadists attacked the village of Tobrakaye.", "Tobrakaye"),
    ("Wounded soldiers were evacuated to Niamey after the ambush near Tera.", "Tera"),
    ("Les assaillants se sont repliés vers Ménaka après l'attaque contre Tidermène.", "Tidermene"),
])
def test_where_people_went_afterwards_is_not_the_place(text, location, gz):
    assert located(text, gz).location == location


def test_a_credit_line_names_where_reporters_were(gz):
    text = "Gunmen killed nine people in Tera. Reporting by Moussa Kanta in Niamey; editing by Jane Doe in Dakar."
    mentions = geoparse(text, gazetteer=gz)
    assert [(m.text, m.context) for m in mentions] == [("Tera", False), ("Niamey", True)]
    assert locate([m for m in mentions if m.start > 30], mentions, gazetteer=gz).location == "Tera"
