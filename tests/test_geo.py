"""Geoparsing and locating: the sentence in, the place fields out (sentences written for these tests)."""
from __future__ import annotations

import itertools
import re

import pytest

from sahelwatch.geo import Location, geoparse, load_gazetteer, locate
from sahelwatch.geo.cues import cue_file
from sahelwatch.nlp import detect_language


@pytest.fixture(scope="module")
def gz():
    return load_gazetteer(user=False)


def place_of(text: str, gz, entities=()) -> Location | None:
    """The place of a one-sentence report, read in its language as the pipeline reads it."""
    mentions = geoparse(text, entities, gazetteer=gz, language=detect_language(text))
    return locate(mentions, mentions, gazetteer=gz)


def ner(text: str, *names: str, label: str = "GPE") -> list[tuple[int, int, str]]:
    """Entity spans as spaCy would give them, for the names listed."""
    out = []
    for name in names:
        m = re.search(re.escape(name), text)
        out.append((m.start(), m.end(), label))
    return out


@pytest.mark.parametrize("text, location, country, admin1, precision", [
    ("Gunmen attacked the village of Tongo Tongo near Ouallam in the Tillabéri region of Niger on Monday.",
     "Tongo Tongo", "Niger", "Tillaberi", 2),
    ("Jihadists killed 12 civilians in Djibo, in Burkina Faso's Soum province, on Sunday.",
     "Djibo", "Burkina Faso", "Sahel", 1),
    ("Boko Haram fighters stormed Zabarmari in Jere local government area of Borno State.",
     "Zabarmari", "Nigeria", "Borno", 2),
    ("Militants attacked an army post in Boni, between Douentza and Hombori in central Mali.",
     "Boni", "Mali", "Mopti", 1),
    ("Gunmen raided a gold site in Boni, in Burkina Faso's Tuy province, near Hounde.",
     "Boni", "Burkina Faso", "Hauts-Bassins", 1),
    ("Soldiers were ambushed on the road between Boni and Torodi in western Niger.",
     "Torodi", "Niger", "Tillaberi", 2),
    ("Suspected jihadists attacked a military post in Asamaka, in Niger's Agadez region.",
     "Assamaka", "Niger", "Agadez", 1),
    ("In Say, soldiers clashed with gunmen on Friday, Nigerien officials said.", "Say", "Niger", "Tillaberi", 1),
    ("Fifty soldiers were killed in Benin's W National Park, which straddles the border with Niger.",
     "W National Park", "Benin", "Alibori", 2),
    ("Bandits killed 20 villagers in Kagara, Niger State, police said.", "Kagara", "Nigeria", "Niger", 1),
    ("Fighters killed women about 12 kilometres north of Arbinda in northern Burkina Faso.",
     "Arbinda", "Burkina Faso", "Sahel", 2),
    ("Des hommes armés ont attaqué le village de Dargol, près de Gothèye, dans la région de Tillabéri.",
     "Dargol", "Niger", "Tillaberi", 2),
    ("Mortar shells hit Tombouctou on Thursday, the Malian army said.", "Timbuktu", "Mali", "Timbuktu", 1),
    ("Attackers struck the town of Ménaka in north-eastern Mali.", "Menaka", "Mali", "Menaka", 1),
    ("A police station in Tanougou, near the Pendjari park in northern Benin, was attacked.",
     "Tanougou", "Benin", "Atacora", 2),
    ("Togolese soldiers were killed at an outpost in Kpinkankandi in the Savanes region.",
     "Kpinkankandi", "Togo", "Savanes", 2),
])
def test_event_place(text, location, country, admin1, precision, gz):
    loc = place_of(text, gz)
    assert loc is not None
    assert (loc.location, loc.country, loc.admin1, loc.geo_precision) == (location, country, admin1, precision)
    assert loc.latitude is not None and loc.longitude is not None
    assert loc.iso == {"Niger": 562, "Mali": 466, "Burkina Faso": 854, "Nigeria": 566, "Benin": 204,
                       "Togo": 768}[country]


@pytest.mark.parametrize("text, location, admin1, admin2", [
    ("The army said it killed jihadists in the Tillabéri region on Tuesday.", "Tillaberi", "Tillaberi", ""),
    ("Clashes were reported in Yatenga province.", "Yatenga", "Nord", "Yatenga"),
    ("Fighting spread across Oudalan province.", "Oudalan", "Sahel", "Oudalan"),
    ("Insurgents attacked villages in the Loroum province.", "Loroum", "Nord", "Loroum"),
    ("Troops patrolled the Mafa local government area of Borno State.", "Mafa", "Borno", "Mafa"),
])
def test_region_only_is_precision_3_at_the_region_seat(text, location, admin1, admin2, gz):
    loc = place_of(text, gz)
    assert (loc.location, loc.admin1, loc.admin2, loc.geo_precision) == (location, admin1, admin2, 3)
    assert loc.latitude is not None


@pytest.mark.parametrize("text, village, region, country, admin1", [
    ("Gunmen attacked the village of Kpatoumbaga in Niger's Tillabéri region.", "Kpatoumbaga", "Tillabéri", "Niger",
     "Tillaberi"),
    ("Jihadists burned Wendou-Mbodji, in the Soum province of Burkina Faso.", "Wendou-Mbodji", "Soum",
     "Burkina Faso", "Sahel"),
])
def test_unknown_village_is_kept_as_text_at_its_region(text, village, region, country, admin1, gz):
    loc = place_of(text, gz, ner(text, village))
    assert (loc.location, loc.country, loc.admin1, loc.geo_precision) == (village, country, admin1, 3)


def test_unknown_village_takes_the_region_the_article_implies(gz):
    article = ("Jihadists attacked Torodi in Niger on Monday. On Tuesday they raided Kpatoumbaga village, "
               "residents said.")
    mentions = geoparse(article, ner(article, "Kpatoumbaga"), gazetteer=gz)
    local = [m for m in mentions if m.start > article.index("On Tuesday")]
    loc = locate(local, mentions, gazetteer=gz)
    assert (loc.location, loc.country, loc.admin1, loc.geo_precision) == ("Kpatoumbaga", "Niger", "Tillaberi", 3)


@pytest.mark.parametrize("text, names", [
    ("Say what you will, the army retook Makalondi.", ["Makalondi"]),
    ("Moussa Kaya, a trader, was killed in Djibo.", ["Djibo"]),
    ("Gunmen attacked near the Malian border in Ayorou.", ["Ayorou"]),
    ("The Bank of Africa closed its branch in Niamey.", ["Niamey"]),
    ("Boko Haram attacked fishermen on Lake Chad near Baga.", ["Baga"]),
    ("Jihadists are active across the Sahel and in Mali.", ["Mali"]),
    ("Soldiers from the North region of Cameroon and Niger met.", ["North", "Cameroon", "Niger"]),
    ("Gunmen Kill 12 In Attack On Village In Northern Burkina Faso", ["Burkina Faso"]),
    ("Katiba Macina fighters and Ansarul Islam claimed attacks in Mali.", ["Mali"]),
    ("Share this article. Come what may, Tom Hanks and Janet Yellen met in Niamey.", ["Niamey"]),
])
def test_ordinary_words_and_person_names_are_not_places(text, names, gz):
    assert [m.text for m in geoparse(text, gazetteer=gz)] == names


@pytest.mark.parametrize("text, kinds", [
    ("Niger, Mali and Burkina Faso left ECOWAS.", ["country", "country", "country"]),
    ("Attacks in the Gao region and in Gao town.", ["admin1", "locality"]),
    ("Violence in Borno and Yobe states.", ["admin1", "admin1"]),
    ("Clashes in Soum province.", ["admin2"]),
])
def test_mention_kinds(text, kinds, gz):
    assert [m.kind for m in geoparse(text, gazetteer=gz)] == kinds


@pytest.mark.parametrize("text, name, near", [
    ("The attack took place near Diffa.", "Diffa", True),
    ("Gunmen attacked the outskirts of Mopti.", "Mopti", True),
    ("An ambush on the Djibo-Ouagadougou road.", "Djibo", True),
    ("An ambush in the Tera area.", "Tera", True),
    ("Clashes in the Hombori district of Mali.", "Hombori", True),
    ("Fighting between Gao and Ansongo.", "Ansongo", True),
    ("Fighting in Gao on Monday.", "Gao", False),
])
def test_near_cues(text, name, near, gz):
    m = next(m for m in geoparse(text, gazetteer=gz) if m.text == name)
    assert m.near is near


def test_mentions_are_in_text_order_and_do_not_overlap(gz):
    text = "From Niamey to Tillabéri and Bourkou-Bourkou near Samira, then Fada N'Gourma in Burkina Faso."
    mentions = geoparse(text, ner(text, "Niamey", "Samira"), gazetteer=gz)
    assert [m.text for m in mentions] == ["Niamey", "Tillabéri", "Bourkou-Bourkou", "Samira", "Fada N'Gourma",
                                          "Burkina Faso"]
    assert all(a.end <= b.start for a, b in itertools.pairwise(mentions))


def test_in_beats_near_and_first_mention_breaks_ties(gz):
    text = "Near Mopti, gunmen attacked a market in Konna and then Sevare."
    mentions = geoparse(text, gazetteer=gz)
    assert locate(mentions, mentions, gazetteer=gz).location == "Konna"


def test_no_place_in_the_event_sentences_falls_back_to_the_article(gz):
    article = "Gunmen attacked Ayorou on Monday. Later, more soldiers died, the ministry said."
    mentions = geoparse(article, gazetteer=gz)
    loc = locate([], mentions, gazetteer=gz)
    assert (loc.location, loc.admin1, loc.geo_precision) == ("Ayorou", "Tillaberi", 2)


def test_nothing_to_locate_is_none(gz):
    assert locate([], [], gazetteer=gz) is None


def test_ner_place_not_in_the_gazetteer_is_an_unknown_mention(gz):
    text = "Gunmen attacked Kpatoumbaga on Monday."
    (m,) = geoparse(text, ner(text, "Kpatoumbaga"), gazetteer=gz)
    assert (m.text, m.place, m.kind) == ("Kpatoumbaga", None, "unknown")


def test_ner_misspelling_is_matched_fuzzily(gz):
    text = "Gunmen attacked Bourkou-Bourkouu on Monday."
    (m,) = geoparse(text, ner(text, "Bourkou-Bourkouu"), gazetteer=gz)
    assert m.place is not None and m.place.name == "Bourkou-Bourkou"


@pytest.mark.parametrize("label", ["ORG", "GPE"])
def test_demonyms_and_organisations_from_ner_are_not_places(label, gz):
    text = "Nigerien troops and Islamic State Sahel Province fighters clashed."
    mentions = geoparse(text, ner(text, "Nigerien", "Islamic State Sahel Province", label=label), gazetteer=gz)
    assert mentions == []


@pytest.mark.parametrize("text, names", [
    ('"So sad," said a farmer in Maiduguri.', ["Maiduguri"]),
    ("Jihadists are active in the wider Sahel region, analysts said of Niger.", ["Niger"]),
])
def test_function_words_and_the_wider_sahel_are_not_places(text, names, gz):
    assert [m.text for m in geoparse(text, gazetteer=gz)] == names


def test_countries_outside_the_region_are_countries_not_event_places(gz):
    text = "France withdrew its troops from Niger. Russia sent instructors."
    mentions = geoparse(text, ner(text, "France", "Russia"), gazetteer=gz)
    assert [(m.text, m.kind) for m in mentions] == [("France", "country"), ("Niger", "country"), ("Russia", "country")]
    local = [m for m in mentions if m.text == "Russia"]
    assert locate(local, mentions, gazetteer=gz).country == "Niger"


def test_a_person_tagged_elsewhere_is_not_an_unknown_place(gz):
    text = "Mohamed Bazoum was overthrown. Supporters of Bazoum protested in Niamey."
    entities = ner(text, "Mohamed Bazoum", label="PERSON") + [(text.rindex("Bazoum"), text.rindex("Bazoum") + 6, "GPE")]
    assert [m.text for m in geoparse(text, entities, gazetteer=gz)] == ["Niamey"]


REPORTS = [
 ("Unidentified gunmen killed seven people in Solenzo, in Burkina Faso's Banwa province, on Saturday.", "Boucle du Mouhoun", "Solenzo"),
 ("JNIM fighters attacked the army detachment of Barsalogho in Sanmatenga province.", "Centre-Nord", "Barsalogho"),
 ("At least 30 civilians were killed in Seytenga, near the border with Niger.", "Sahel", "Seytenga"),
 ("The convoy was ambushed between Djibo and Namsiguia.", "Sahel", "Djibo"),
 ("Soldiers repelled an attack on Diapaga in the east of Burkina Faso.", "Est", "Diapaga"),
 ("ISWAP fighters overran a military base in Malam Fatori, Borno State.", "Borno", "Malam Fatori"),
 ("Bandits abducted 50 worshippers in Maru local government area of Zamfara State.", "Zamfara", "Maru"),
 ("Gunmen killed 12 farmers in Jibia, Katsina State, police said.", "Katsina", "Jibia"),
 ("Islamic State Sahel fighters attacked Tidermene in the Menaka region.", "Menaka", "Tidermene"),
 ("Tuareg rebels seized Anefis, north of Gao, from the Malian army.", "Kidal", "Anefis"),
 ("A drone strike hit a wedding in Tinzaouaten near the Algerian border.", "Kidal", "Tinzaouaten"),
 ("The Malian army and Wagner killed hundreds of people in Moura in March 2022.", "Mopti", "Moura"),
 ("Dozos attacked Ogossagou, a Fulani village in the Bankass circle.", "Mopti", "Ogossagou"),
 ("Jihadists ambushed a patrol near Intahaka in the Gao region.", "Gao", None),
 ("Residents fled Farabougou after jihadists besieged the village in the Segou region.", "Segou", "Farabougou"),
 ("Gunmen killed 22 soldiers in Tongo Tongo, in western Niger.", "Tillaberi", "Tongo Tongo"),
 ("The Inates military camp was attacked on Tuesday.", "Tillaberi", "Inates"),
 ("Boko Haram attacked Toumour in the Diffa region.", "Diffa", "Toumour"),
 ("Two soldiers were killed near Makalondi, close to the Burkinabe border.", "Tillaberi", "Makalondi"),
 ("Attack in Chinégodar kills 89 soldiers", "Tillaberi", "Sinegodar"),
 ("Six aid workers were killed in the Koure giraffe reserve near Niamey.", "Tillaberi", "Kouré"),
 ("Jihadists attacked a police post in Porga, northern Benin.", "Atacora", "Porga"),
 ("Gunmen attacked Mandouri in Togo's Savanes region.", "Savanes", "Mandouri"),
 ("Boko Haram attacked the island of Ngouboua on Lake Chad, in Chad's Lac province.", "Lac", "Ngouboua"),
 ("Suspected jihadists killed soldiers at Kafolo on the Ivorian side of the border.", "Savanes", "Kafolo"),
 ("Fighting broke out in Kousseri, in Cameroon's Far North region.", "Far North", "Kousseri"),
 ("Army says it killed 20 terrorists around Titao in Loroum province.", "Nord", "Titao"),
 ("The army retook Djibo town, capital of Soum.", "Sahel", "Djibo"),
 ("Des terroristes ont attaqué la localité de Kantchari, dans la province de la Tapoa.", "Est", "Kantchari"),
 ("Une attaque a visé le poste de Gossi, dans la région de Tombouctou.", "Timbuktu", "Gossi"),
 ("Des hommes armés ont tué dix civils à Tessit, dans le cercle d'Ansongo.", "Gao", "Tessit"),
 ("Les FAMa ont neutralisé des terroristes près de Boni, dans le cercle de Douentza.", "Mopti", "Boni"),
 ("Bandits killed 30 in Kaura Namoda.", "Zamfara", "Kaura Namoda"),
 ("Gunmen kidnapped pupils in Kuriga, Kaduna State.", "Kaduna", "Kuriga"),
 ("Herders attacked Yelwata in Guma LGA of Benue State.", "Benue", "Yelwata"),
 ("In Gao, residents reported gunfire.", "Gao", "Gao"),
 ("Niger State police said bandits attacked Kagara.", "Niger", "Kagara"),
]


@pytest.mark.parametrize("text, admin1, location", REPORTS)
def test_places_as_reports_name_them(text, admin1, location, gz):
    loc = place_of(text, gz)
    assert loc is not None and loc.admin1 == admin1
    if location:
        assert loc.location == location


def test_a_village_known_only_abroad_stays_in_the_article_country(gz):
    text = ("Niger's army said jihadists attacked Hombori on Monday. Niger's defence ministry said "
            "seven soldiers died. Niger has declared mourning.")
    (m, *_) = [m for m in geoparse(text, gazetteer=gz) if m.text == "Hombori"]
    assert (m.place, m.kind) == (None, "unknown")
    mentions = geoparse(text, gazetteer=gz)
    loc = locate([m for m in mentions if m.start < 60], mentions, gazetteer=gz)
    assert (loc.country, loc.location) == ("Niger", "Hombori")


def test_a_foreign_place_named_with_its_country_is_kept(gz):
    text = "Niger's army said it pursued the attackers to Hombori in Mali. Niger closed the border with Mali."
    (m,) = [m for m in geoparse(text, gazetteer=gz) if m.text == "Hombori"]
    assert m.place is not None and m.place.country == "Mali"


@pytest.mark.parametrize("text, admin1", [
    ("Gunmen attacked the village of Kpatoumbaga in western Niger.", "Tillaberi"),
    ("Jihadists attacked Wendou-Mbodji in northern Burkina Faso.", "Sahel"),
    ("Boko Haram attacked Kpatoumbaga village in North East Nigeria.", "Borno"),
    ("Des terroristes ont attaqué le village de Kpatoumbaga dans l'ouest du Niger.", "Tillaberi"),
    ("Gunmen attacked Kpatoumbaga in central Mali.", "Mopti"),
])
def test_a_direction_places_an_unknown_village_in_a_region(text, admin1, gz):
    village = "Wendou-Mbodji" if "Wendou" in text else "Kpatoumbaga"
    loc = place_of(text, gz, ner(text, village))
    assert (loc.location, loc.admin1, loc.geo_precision) == (village, admin1, 3)


def test_a_direction_alone_gives_the_region(gz):
    loc = place_of("Jihadists killed 12 soldiers in south-eastern Niger on Friday.", gz)
    assert (loc.country, loc.admin1, loc.geo_precision) == ("Niger", "Diffa", 3)


@pytest.mark.parametrize("text, village", [
    ("Le lendemain, c'est Tiguila, un village de la commune de Mondoro, qui a été visé.", "Tiguila"),
    ("On Wednesday it was Kobenga, a small village in the Djibo commune, that was hit.", "Kobenga"),
])
def test_a_village_named_in_apposition_is_the_place_not_its_commune(text, village, gz):
    loc = place_of(text, gz, ner(text, village))
    assert loc.location == village and loc.geo_precision == 2


def test_a_name_measured_from_somewhere_is_a_place_everywhere_in_the_report(gz):
    text = ("Gunmen raided Zoumbouré, which is 25 kilometres from the border, on Sunday. "
            "Fifteen people died in Zoumbouré.")
    mentions = [m for m in geoparse(text, gazetteer=gz) if m.text == "Zoumbouré"]
    assert len(mentions) == 2


def test_a_capitalised_name_before_area_is_a_place(gz):
    text = "Gunmen fought soldiers outside a post in the Tambiga area of northern Togo on Sunday."
    names = [m.text for m in geoparse(text, gazetteer=gz)]
    assert "Tambiga" in names


def test_a_name_placed_by_a_direction_of_the_country_is_a_place(gz):
    text = "Fighters struck a forward post of the army at Koulfoua, in the far west of the country, on Sunday."
    assert "Koulfoua" in [m.text for m in geoparse(text, gazetteer=gz)]


# ------------------------------------------------------------------------- one language's cues at a time

@pytest.mark.parametrize("text, language, found", [
    ("Des hommes armés ont attaqué le village de Kpatoumbaga lundi.", "fr", ["Kpatoumbaga"]),
    ("Gunmen attacked le village de Kpatoumbaga on Monday.", "en", []),
    ("Gunmen attacked the village of Kpatoumbaga on Monday.", "en", ["Kpatoumbaga"]),
    ("Des hommes armés ont attaqué the village of Kpatoumbaga lundi.", "fr", []),
])
def test_a_name_cue_acts_only_in_its_own_language(text, language, found, gz):
    assert [m.text for m in geoparse(text, gazetteer=gz, language=language)] == found


@pytest.mark.parametrize("language, hint", [("fr", "Tillaberi"), ("en", "")])
def test_a_french_direction_places_a_country_only_in_french(language, hint, gz):
    (m,) = geoparse("Des terroristes ont tué dix civils dans l'ouest du Niger.", gazetteer=gz, language=language)
    assert (m.text, m.admin1_hint) == ("Niger", hint)


@pytest.mark.parametrize("language, context, cue", [("fr", True, "in"), ("en", False, "")])
def test_french_movement_and_target_words_act_only_in_french(language, context, cue, gz):
    text = "Les soldats ont été évacués vers Niamey après l'attaque contre Tera."
    niamey, tera = geoparse(text, gazetteer=gz, language=language)
    assert (niamey.text, niamey.context, tera.text, tera.cue) == ("Niamey", context, "Tera", cue)


def _strings(data) -> list[str]:
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in [str(k), *_strings(v)]]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return [str(data)]


def test_the_english_cue_file_holds_no_french_word():
    english = _strings(cue_file("en"))
    words = {w.lower() for s in english for w in re.findall(r"[^\W\d_]+", s)}
    french = {"de", "du", "des", "la", "le", "les", "et", "ou", "dans", "vers", "avec", "entre", "contre", "selon",
              "ville", "axe", "hameau", "nord", "sud", "ouest", "pres", "autour", "sur", "une", "un"}
    assert not words & french
    assert not [s for s in english if re.search(r"[àâçéèêëîïôûùœ]", s)]
    assert set(cue_file("en")) == set(cue_file("fr"))  # the same keys: each language says each thing its way


def test_a_language_without_cues_is_refused(gz):
    with pytest.raises(ValueError, match="no geoparser cues"):
        geoparse("Gunmen attacked Djibo.", gazetteer=gz, language="de")


@pytest.mark.parametrize(("text", "language", "name"), [
    ("Gunmen attacked Kobeldaga, a village in the Bandiagara region, on Monday.", "en", "Kobeldaga"),
    ("Much of Kobeldaga, a mainly Dogon village, was burned.", "en", "Kobeldaga"),
    ("Tangassogo, village de la commune de Pissila, a été pris pour cible.", "fr", "Tangassogo"),
])
def test_a_name_the_words_after_it_call_a_village_is_a_place(text, language, name):
    found = [m for m in geoparse(text, language=language) if m.text == name]
    assert found and found[0].kind == "unknown" and found[0].cue == "in"
