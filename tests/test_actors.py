"""The actor registry: mentions found in a sentence, and the ACLED actor each one is coded as."""
from __future__ import annotations

import datetime as dt
import itertools
import logging
from collections import defaultdict

import pytest

from sahelwatch.actors import ActorFileError, ActorMention, Registry, builtin_registry, default_registry
from sahelwatch.actors import registry as registry_module
from sahelwatch.actors.matcher import tokenize
from sahelwatch.actors.registry import ENV_VAR, _cached, user_paths

REG = builtin_registry()
D = dt.date


def _alias_cases():
    for actor in REG.actors:
        for alias in actor.all_aliases:
            yield pytest.param(actor, alias, id=f"{actor.short}:{alias}")


def _descriptor_cases():
    for d in REG.data.descriptors:
        for alias in d.aliases:
            yield pytest.param(d, alias, id=f"{d.category}/{d.country or '-'}:{alias}")


def _frame(alias: str) -> tuple[str, int, int]:
    """A sentence around ``alias`` and where the alias's words are in it."""
    head = "On Tuesday "
    words = alias.rstrip(").")
    return f"{head}{alias} were reported near the town.", len(head), len(head) + len(words)


def only(text: str, country: str | None = None, date: dt.date | None = None, registry: Registry = REG):
    """The one mention in ``text``, resolved."""
    mentions = registry.find_mentions(text)
    assert len(mentions) == 1, mentions
    return mentions[0], registry.resolve(mentions[0], country, date)


# --- generated from the registry itself -----------------------------------------------------------------
@pytest.mark.parametrize(("actor", "alias"), list(_alias_cases()))
def test_every_actor_alias_is_found_and_resolves_back_to_its_actor(actor, alias):
    sentence, start, end = _frame(alias)
    hits = [m for m in REG.find_mentions(sentence) if m.start == start and m.end == end]
    assert hits, f"{alias!r} not found in {sentence!r}: {REG.find_mentions(sentence)}"
    mention = hits[0]
    assert mention.key == actor.name
    assert mention.text == sentence[start:end]
    country = actor.countries[0] if actor.countries else None
    resolved = REG.resolve(mention, country, D(2024, 6, 1))
    assert resolved.key == actor.name
    assert 1 <= resolved.inter <= 8
    if not actor.rules and not actor.roles:
        assert resolved.name == actor.name.replace("{country}", country or "")
        assert resolved.inter == actor.inter


@pytest.mark.parametrize(("descriptor", "alias"), list(_descriptor_cases()))
def test_every_descriptor_alias_is_found_with_its_category(descriptor, alias):
    sentence, start, end = _frame(alias)
    if descriptor.category == "none":  # who speaks ("military sources"): no mention at all
        assert [m for m in REG.find_mentions(sentence) if m.start < end and start < m.end] == []
        return
    hits = [m for m in REG.find_mentions(sentence) if m.start == start and m.end == end]
    assert hits, f"{alias!r} not found in {sentence!r}: {REG.find_mentions(sentence)}"
    assert (hits[0].category, hits[0].country, hits[0].key) == (descriptor.category, descriptor.country, None)


def test_no_alias_stands_for_two_different_actors():
    meaning = defaultdict(set)
    for d in REG.data.descriptors:
        for alias in d.aliases:
            meaning[tuple(t.key for t in tokenize(alias, REG.data.spellings))].add((d.category, d.country))
    for actor in REG.actors:
        for alias in actor.all_aliases:
            meaning[tuple(t.key for t in tokenize(alias, REG.data.spellings))].add(actor.name)
    assert {k: v for k, v in meaning.items() if len(v) > 1} == {}


def test_every_canonical_name_that_a_rule_points_to_is_in_the_registry():
    for actor in REG.actors:
        for rule in actor.rules:
            assert rule.to is None or REG.get(rule.to) is not None


# --- descriptive mentions take the event's country ------------------------------------------------------
@pytest.mark.parametrize(("sentence", "country", "mention", "name", "inter"), [
    ("Gunmen stormed the market.", "Mali", "Gunmen", "Unidentified Armed Group (Mali)", 3),
    ("Suspected jihadists attacked the post.", "Niger", "Suspected jihadists", "Unidentified Armed Group (Niger)", 3),
    ("The terrorists fled on motorbikes.", "Burkina Faso", "terrorists", "Unidentified Armed Group (Burkina Faso)", 3),
    ("Suspected militants set fire to the school.", "Benin", "Suspected militants",
     "Unidentified Armed Group (Benin)", 3),
    ("Des hommes armés ont enlevé le maire.", "Niger", "hommes armés", "Unidentified Armed Group (Niger)", 3),
    ("Les assaillants ont été repoussés.", "Mali", "assaillants", "Unidentified Armed Group (Mali)", 3),
    ("Kidnappers struck at night.", "Nigeria", "Kidnappers", "Unidentified Armed Group (Nigeria)", 3),
    ("Soldiers repelled the raid.", "Niger", "Soldiers", "Military Forces of Niger (2023-)", 1),
    ("The army announced a curfew.", "Chad", "army", "Military Forces of Chad (2021-)", 1),
    ("Special forces were flown in.", "Burkina Faso", "Special forces", "Military Forces of Burkina Faso (2022-)", 1),
    ("The national guard lost a vehicle.", "Niger", "national guard", "Military Forces of Niger (2023-)", 1),
    ("Gendarmes set up a checkpoint.", "Mali", "Gendarmes", "Military Forces of Mali (2021-)", 1),
    ("Defense and security forces secured the town.", "Burkina Faso", "Defense and security forces",
     "Military Forces of Burkina Faso (2022-)", 1),
    ("Les FDS ont riposté.", "Niger", "FDS", "Military Forces of Niger (2023-)", 1),
    ("Police fired tear gas.", "Togo", "Police", "Police Forces of Togo (2005-)", 1),
    ("Villagers fled to the town.", "Burkina Faso", "Villagers", "Civilians (Burkina Faso)", 7),
    ("Worshippers were praying at dawn.", "Niger", "Worshippers", "Civilians (Niger)", 7),
    ("Rice farmers were working.", "Nigeria", "Rice farmers", "Civilians (Nigeria)", 7),
    ("Les villageois ont fui.", "Mali", "villageois", "Civilians (Mali)", 7),
    ("Protesters marched on the assembly.", "Togo", "Protesters", "Protesters (Togo)", 6),
    ("Des manifestants ont bloqué la route.", "Niger", "manifestants", "Protesters (Niger)", 6),
    ("Rioters torched a bank.", "Nigeria", "Rioters", "Rioters (Nigeria)", 5),
    ("The government declared mourning.", "Benin", "government", "Government of Benin (2016-)", 1),
    ("A local militia guarded the well.", "Mali", "local militia", "Unidentified Communal Militia (Mali)", 4),
])
def test_descriptive_mentions_resolve_with_the_event_country(sentence, country, mention, name, inter):
    m, r = only(sentence, country, D(2024, 6, 1))
    assert m.text == mention
    assert (r.name, r.inter) == (name, inter)


def test_the_people_of_a_sentence_are_weak_civilians_left_to_the_pipeline():
    m, r = only("Twelve people died.", "Mali", D(2024, 6, 1))
    assert m.category == "civilians_weak"
    assert r.name == "Civilians (Mali)"


# --- a country named in the mention wins over the event's ----------------------------------------------
@pytest.mark.parametrize(("sentence", "event_country", "mention", "country", "name", "inter"), [
    ("Nigerien soldiers crossed the border.", "Mali", "Nigerien soldiers", "Niger", "Military Forces of Niger (2023-)", 8),
    ("Niger's army hit back.", "Niger", "Niger's army", "Niger", "Military Forces of Niger (2023-)", 1),
    ("Niger’s army hit back.", "Mali", "Niger’s army", "Niger", "Military Forces of Niger (2023-)", 8),
    ("The Malian army advanced.", "Mali", "Malian army", "Mali", "Military Forces of Mali (2021-)", 1),
    ("The Burkinabe military advanced.", "Mali", "Burkinabe military", "Burkina Faso",
     "Military Forces of Burkina Faso (2022-)", 8),
    ("Burkina Faso's military advanced.", "Burkina Faso", "Burkina Faso's military", "Burkina Faso",
     "Military Forces of Burkina Faso (2022-)", 1),
    ("Beninese troops patrolled.", "Benin", "Beninese troops", "Benin", "Military Forces of Benin (2016-)", 1),
    ("Togolese police charged.", "Togo", "Togolese police", "Togo", "Police Forces of Togo (2005-)", 1),
    ("Nigerian troops pursued them.", "Niger", "Nigerian troops", "Nigeria", "Military Forces of Nigeria (2023-)", 8),
    ("Chadian soldiers were killed.", "Nigeria", "Chadian soldiers", "Chad", "Military Forces of Chad (2021-)", 8),
    ("French troops left the base.", "Niger", "French troops", "France", "Military Forces of France (2017-)", 8),
    ("U.S. troops left the base.", "Niger", "U.S. troops", "United States",
     "Military Forces of the United States (2021-2025)", 8),
    ("Les soldats maliens ont riposté.", "Mali", "soldats maliens", "Mali", "Military Forces of Mali (2021-)", 1),
    ("L'armée nigérienne a riposté.", "Mali", "armée nigérienne", "Niger", "Military Forces of Niger (2023-)", 8),
    ("Les FDS nigériennes ont riposté.", "Niger", "FDS nigériennes", "Niger", "Military Forces of Niger (2023-)", 1),
    ("The FAMa retook the town.", "Burkina Faso", "FAMa", "Mali", "Military Forces of Mali (2021-)", 8),
    ("The Nigerien Armed Forces said so.", "Niger", "Nigerien Armed Forces", "Niger",
     "Military Forces of Niger (2023-)", 1),
    ("The army of Mali said so.", "Niger", "army of Mali", "Mali", "Military Forces of Mali (2021-)", 8),
    ("Malian civilians fled.", "Burkina Faso", "Malian civilians", "Mali", "Civilians (Mali)", 7),
])
def test_a_country_named_in_the_mention_overrides_the_event_country(sentence, event_country, mention, country, name,
                                                                    inter):
    m, r = only(sentence, event_country, D(2024, 6, 1))
    assert (m.text, m.country) == (mention, country)
    assert (r.name, r.inter) == (name, inter)


# --- eras of state actors follow the event date ---------------------------------------------------------
@pytest.mark.parametrize(("sentence", "country", "date", "name"), [
    ("Soldiers fought.", "Niger", D(2023, 7, 26), "Military Forces of Niger (2023-)"),
    ("Soldiers fought.", "Niger", D(2023, 7, 25), "Military Forces of Niger (2021-2023)"),
    ("Soldiers fought.", "Niger", D(2021, 4, 2), "Military Forces of Niger (2021-2023)"),
    ("Soldiers fought.", "Niger", D(2021, 4, 1), "Military Forces of Niger (2011-2021)"),
    ("Soldiers fought.", "Mali", D(2021, 5, 24), "Military Forces of Mali (2021-)"),
    ("Soldiers fought.", "Mali", D(2020, 9, 1), "Military Forces of Mali (2020-2021)"),
    ("Soldiers fought.", "Mali", D(2019, 1, 1), "Military Forces of Mali (2013-2020)"),
    ("Soldiers fought.", "Burkina Faso", D(2022, 9, 30), "Military Forces of Burkina Faso (2022-)"),
    ("Soldiers fought.", "Burkina Faso", D(2022, 5, 1), "Military Forces of Burkina Faso (2022-2022)"),
    ("Soldiers fought.", "Burkina Faso", D(2021, 5, 1), "Military Forces of Burkina Faso (2015-2022)"),
    ("Soldiers fought.", "Nigeria", D(2023, 6, 1), "Military Forces of Nigeria (2023-)"),
    ("Soldiers fought.", "Nigeria", D(2020, 6, 1), "Military Forces of Nigeria (2015-2023)"),
    ("Soldiers fought.", "Chad", D(2022, 1, 1), "Military Forces of Chad (2021-)"),
    ("Soldiers fought.", "Benin", D(2022, 1, 1), "Military Forces of Benin (2016-)"),
    ("Soldiers fought.", "Togo", D(2022, 1, 1), "Military Forces of Togo (2005-)"),
    ("Police fought.", "Niger", D(2022, 1, 1), "Police Forces of Niger (2021-2023)"),
    ("The government fell.", "Niger", D(2022, 1, 1), "Government of Niger (2021-2023)"),
    ("Soldiers fought.", "Niger", None, "Military Forces of Niger (2023-)"),
])
def test_state_actors_take_the_era_of_the_event_date(sentence, country, date, name):
    assert only(sentence, country, date)[1].name == name


@pytest.mark.parametrize(("sentence", "date", "name"), [
    ("Paul-Henri Sandaogo Damiba seized power.", D(2022, 1, 24), "Military Forces of Burkina Faso (2022-2022)"),
    ("Damiba was ousted.", D(2022, 9, 30), "Government of Burkina Faso (2022-)"),
    ("Captain Ibrahim Traore seized power.", D(2022, 9, 30), "Military Forces of Burkina Faso (2022-)"),
    ("Captain Ibrahim Traore decreed a mobilisation.", D(2023, 4, 13), "Government of Burkina Faso (2022-)"),
    ("President Mohamed Bazoum was detained.", D(2023, 7, 26), "Government of Niger (2023-)"),
    ("General Tiani led the coup.", D(2023, 7, 26), "Military Forces of Niger (2023-)"),
    ("General Tiani signed a decree.", D(2024, 1, 10), "Government of Niger (2023-)"),
])
def test_people_are_coded_by_their_role_on_the_event_date(sentence, date, name):
    assert only(sentence, None, date)[1].name == name


# --- named groups ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(("sentence", "country", "date", "mention", "name"), [
    ("JNIM claimed the attack.", "Mali", None, "JNIM", "JNIM: Group for Support of Islam and Muslims"),
    ("Jama’at Nusrat al-Islam wal-Muslimin claimed it.", "Mali", None, "Jama’at Nusrat al-Islam wal-Muslimin",
     "JNIM: Group for Support of Islam and Muslims"),
    ("Al-Qaeda-linked militants attacked.", "Burkina Faso", None, "Al-Qaeda-linked militants",
     "JNIM: Group for Support of Islam and Muslims"),
    ("the Al Qaeda-linked Group to Support Islam and Muslims claimed it", "Mali", None,
     "Al Qaeda-linked Group to Support Islam and Muslims", "JNIM: Group for Support of Islam and Muslims"),
    ("The al-Qaeda affiliate claimed it.", "Benin", None, "al-Qaeda affiliate", "JNIM: Group for Support of Islam and Muslims"),
    ("Islamic State-linked militants attacked.", "Niger", None, "Islamic State-linked militants", "Islamic State (Sahel)"),
    ("Islamic State-linked militants attacked.", "Nigeria", None, "Islamic State-linked militants",
     "Islamic State (West Africa)"),
    ("Militants linked to the Islamic State attacked.", "Mali", None, "Militants linked to the Islamic State",
     "Islamic State (Sahel)"),
    ("Des jihadistes liés à l'État islamique ont attaqué.", "Niger", None, "jihadistes liés à l'État islamique",
     "Islamic State (Sahel)"),
    ("EIGS a revendiqué l'attaque.", "Niger", None, "EIGS", "Islamic State (Sahel)"),
    ("ISWAP fighters overran the base.", "Nigeria", None, "ISWAP fighters", "Islamic State (West Africa)"),
    ("Suspected Boko Haram terrorists struck.", "Nigeria", None, "Suspected Boko Haram terrorists",
     "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad"),
    ("Ansarul Islam fighters attacked.", "Burkina Faso", None, "Ansarul Islam fighters", "Ansaroul Islam"),
    ("Katiba Macina attacked.", "Mali", None, "Katiba Macina", "JNIM: Group for Support of Islam and Muslims"),
    ("Tuareg rebels attacked the camp.", "Mali", D(2023, 9, 12),
     "Tuareg rebels", "CSP-PSD: Permanent Strategic Framework for Peace, Security and Development"),
    ("Tuareg rebels attacked the camp.", "Mali", D(2025, 3, 1), "Tuareg rebels", "FLA: Azawad Liberation Front"),
    ("Dozo hunters attacked the village.", "Burkina Faso", None, "Dozo hunters", "Dozo Communal Militia (Burkina Faso)"),
])
def test_named_groups_resolve_to_the_acled_actor_of_the_event_country(sentence, country, date, mention, name):
    m, r = only(sentence, country, date)
    assert m.text == mention
    assert r.name == name
    assert r.inter in (2, 3, 4)


@pytest.mark.parametrize(("alias", "assoc", "inter"), [
    ("VDP", True, 3), ("Wagner", True, 8), ("Africa Corps", True, 8), ("Russian mercenaries", True, 8),
    ("CJTF", True, 3), ("JNIM", False, 2), ("MINUSMA", False, 8), ("Koglweogo", False, 3),
])
def test_associated_actors_are_flagged(alias, assoc, inter):
    r = only(f"{alias} were there.", "Mali", D(2024, 1, 1))[1]
    assert (r.assoc, r.inter) == (assoc, inter)


# --- how the matching behaves ---------------------------------------------------------------------------
@pytest.mark.parametrize("sentence", [
    "This is a fan of the team and it is Fama who said it.",
    "He said the jnim claim was false.",  # acronyms must be in capitals
    "We went to the market with us.",
])
def test_acronyms_match_only_in_capitals(sentence):
    assert [m for m in REG.find_mentions(sentence) if m.category != "civilians_weak"] == []


def test_mentions_are_longest_non_overlapping_in_text_order_with_offsets():
    text = ("Suspected jihadists from JNIM attacked Nigerien soldiers and VDP near Boni, killing villagers, "
            "before the Islamic State in the Greater Sahara claimed a raid on the gendarmerie.")
    mentions = REG.find_mentions(text)
    assert [m.text for m in mentions] == [
        "Suspected jihadists from JNIM", "Nigerien soldiers", "VDP", "villagers",
        "Islamic State in the Greater Sahara", "gendarmerie"]
    for a, b in itertools.pairwise(mentions):
        assert a.end <= b.start
    assert all(text[m.start:m.end] == m.text for m in mentions)


def test_words_across_a_sentence_end_are_not_one_name():
    assert [m.text for m in REG.find_mentions("They blamed the government. Forces arrived later.")] == [
        "government", "Forces"]


def test_lookup_finds_an_actor_by_a_misspelt_name():
    assert REG.lookup("Jamaat Nusrat al-Islam wal-Muslimeen").short == "JNIM"
    assert REG.lookup("Islamic State in the Greater Sahra").short == "ISSP"
    assert REG.lookup("completely unrelated words") is None


def test_resolve_name_codes_a_bare_name():
    assert REG.resolve_name("Nigerien army", "Mali", D(2022, 1, 1)).name == "Military Forces of Niger (2021-2023)"
    assert REG.resolve_name("ISGS").name == "Islamic State (Sahel)"


# --- user files -----------------------------------------------------------------------------------------
USER_FILE = """\
countries:
  Niger:
    eras:
      - {from: 2023-07-26, label: "CNSP"}
actors:
  - name: "Katiba Hanifa"
    short: Hanifa
    inter: 2
    parent: "JNIM: Group for Support of Islam and Muslims"
    countries: [Burkina Faso]
    aliases:
      en: [Katiba Hanifa, Hanifa brigade]
  - name: "JNIM: Group for Support of Islam and Muslims"
    short: JNIM
    inter: 2
    aliases:
      en: [JNIM, the Nusrat group]
descriptors:
  - category: unidentified_armed
    aliases: [road pirates]
"""


def test_a_user_file_is_merged_over_the_built_in_registry(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(USER_FILE, encoding="utf-8")
    reg = Registry.load([path])
    m, r = only("Hanifa brigade fighters attacked.", "Burkina Faso", registry=reg)
    assert (m.text, r.name, r.inter) == ("Hanifa brigade fighters", "Katiba Hanifa", 2)
    assert only("The Nusrat group attacked.", "Mali", registry=reg)[1].name.startswith("JNIM")
    assert only("Road pirates attacked.", "Chad", registry=reg)[1].name == "Unidentified Armed Group (Chad)"
    assert only("Soldiers fought.", "Niger", D(2024, 1, 1), registry=reg)[1].name == "Military Forces of Niger (CNSP)"
    # the rest of the built-in registry is still there
    assert only("ISWAP attacked.", "Nigeria", registry=reg)[1].name == "Islamic State (West Africa)"
    # the replaced record lost its other aliases, as the user asked
    assert [m for m in reg.find_mentions("GSIM claimed it.") if m.key] == []
    # and the built-in registry is unchanged
    assert only("GSIM claimed it.")[0].key == "JNIM: Group for Support of Islam and Muslims"


@pytest.mark.parametrize(("content", "where", "problem"), [
    ("actors:\n  - name: X\n    inter: [1\n", ":4", "not valid YAML"),
    ("actors:\n  - short: X\n    inter: 2\n", ":2", "missing 'name'"),
    ("actors:\n  - name: OK\n    inter: 2\n  - name: Bad\n    inter: 12\n", ":4", "inter code 1-8"),
    ("actors:\n  - name: Bad\n    inter: 2\n    aliases:\n      en: [yes, no]\n", ":2", "list of non-empty texts"),
    ("actors:\n  - name: Bad\n    inter: 2\n    countries: [Atlantis]\n", ":2", "unknown country 'Atlantis'"),
    ("actors:\n  - name: Bad\n    resolve:\n      - {to: Nowhere}\n", ":2", "resolve rule"),
    ("descriptors:\n  - category: aliens\n    aliases: [x]\n", ":2", "category must be one of"),
    ("countries:\n  Niger:\n    eras:\n      - {from: 2023-13-45, label: x}\n", ":", "month must be in 1..12"),
    ("- just\n- a list\n", ":1", "is a mapping"),
    ("actors: {name: X}\n", "", "'actors' must be a list"),
    ("weapons: []\n", ":1", "unknown section"),
])
def test_a_malformed_user_file_gets_a_one_line_error_naming_file_and_line(tmp_path, content, where, problem):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ActorFileError) as info:
        Registry.load([path])
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}{where}")
    assert problem in message
    # the built-in registry keeps working
    assert only("JNIM attacked.", "Mali")[1].name.startswith("JNIM")


def test_a_missing_user_file_is_an_error_naming_it(tmp_path):
    with pytest.raises(ActorFileError, match="no such actor file"):
        Registry.load([tmp_path / "nope.yaml"])


def test_default_registry_merges_the_file_named_by_the_environment(tmp_path, monkeypatch):
    from sahelwatch.runtime import configure_extraction
    from sahelwatch.settings import load_settings

    path = tmp_path / "mine.yaml"
    path.write_text(USER_FILE, encoding="utf-8")
    monkeypatch.setenv(ENV_VAR, str(path))
    monkeypatch.setattr(registry_module, "_CONFIGURED", [])
    configure_extraction(load_settings())  # what each edge (CLI, API, Dask worker) does at start
    reg = default_registry()
    assert reg is default_registry()  # loaded once
    assert reg.get("Katiba Hanifa") is not None


def test_default_registry_with_a_bad_file_warns_once_and_uses_the_built_in_one(tmp_path, monkeypatch, caplog):
    path = tmp_path / "bad.yaml"
    path.write_text("actors:\n  - name: Bad\n    inter: 99\n", encoding="utf-8")
    monkeypatch.setattr(registry_module, "_CONFIGURED", [str(path)])  # a file configured, gone bad since
    _cached.cache_clear()
    with caplog.at_level(logging.WARNING, logger="sahelwatch.actors"):
        reg = default_registry()
        default_registry()
    assert reg is builtin_registry()
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1
    assert str(path) in warnings[0] and "built-in" in warnings[0]


def test_mention_records_keep_the_pipeline_interface():
    m = ActorMention(0, 4, "JNIM", "named", "JNIM: Group for Support of Islam and Muslims")
    r = REG.resolve(m, "Mali", D(2024, 1, 1))
    assert (r.name, r.inter, r.key, r.assoc) == ("JNIM: Group for Support of Islam and Muslims", 2,
                                                 "JNIM: Group for Support of Islam and Muslims", False)


@pytest.mark.parametrize(("date", "category"), [
    (D(2022, 9, 30), "state_forces"), (D(2023, 2, 1), "government"), (None, "government")])
def test_the_category_of_a_person_follows_the_date_given_to_find_mentions(date, category):
    [m] = REG.find_mentions("Captain Ibrahim Traore spoke.", date)
    assert (m.key, m.category, m.country) == ("Ibrahim Traore", category, "Burkina Faso")


@pytest.mark.parametrize(("sentence", "texts", "countries"), [
    ("In Benin, locals fled.", ["locals"], [None]),
    ("It was in Burkina Faso. People fled.", ["People"], [None]),
    ("Mali: soldiers were killed.", ["soldiers"], [None]),
])
def test_a_country_name_across_punctuation_is_not_the_mention_country(sentence, texts, countries):
    mentions = REG.find_mentions(sentence)
    assert ([m.text for m in mentions], [m.country for m in mentions]) == (texts, countries)


def test_common_surnames_alone_do_not_name_a_leader():
    assert REG.find_mentions("Modibo Keita and Fatoumata Traore spoke.") == []


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Malian and Russian forces attacked.", [("Malian", "state_forces", "Mali"), ("Russian forces", "state_forces",
                                                                                   "Russia")]),
    ("Islamist insurgents and army soldiers clashed.", [("Islamist insurgents", "unidentified_armed", None),
                                                         ("army soldiers", "state_forces", None)]),
    ("Nigerien army soldiers fell.", [("Nigerien army soldiers", "state_forces", "Niger")]),
    ("Members of JNIM attacked.", [("Members of JNIM", "named", None)]),
    ("Jihadists from the Islamic State in the Greater Sahara attacked.",
     [("Jihadists from the Islamic State in the Greater Sahara", "named", None)]),
    ("Des combattants du JNIM ont attaqué.", [("combattants du JNIM", "named", None)]),
    ("Rebel forces attacked.", [("Rebel forces", "unidentified_armed", None)]),
])
def test_nouns_that_belong_together_make_one_mention(sentence, expected):
    assert [(m.text, m.category, m.country) for m in REG.find_mentions(sentence)] == expected


@pytest.mark.parametrize(("sentence", "mention", "short"), [
    ("Jamaat Nusrat al-Islam wal-Muslimeen claimed it.", "Jamaat Nusrat al-Islam wal-Muslimeen", "JNIM"),
    ("Jama’at Nusrat al Islam wal Muslimin claimed it.", "Jama’at Nusrat al Islam wal Muslimin", "JNIM"),
    ("Al-Qaida-linked fighters claimed it.", "Al-Qaida-linked fighters", "al-Qaeda"),
    ("Des djihadistes liés à Al-Qaïda ont attaqué.", "djihadistes liés à Al-Qaïda", "al-Qaeda"),
    ("Ansarul Islam claimed it.", "Ansarul Islam", "Ansaroul Islam"),
    ("The KOGLWEOGO arrived.", "KOGLWEOGO", "Koglweogo"),
])
def test_spelling_variants_and_transliterations_match(sentence, mention, short):
    [m] = REG.find_mentions(sentence)
    assert m.text == mention
    assert REG.get(m.key).short == short


def test_a_user_file_can_add_spellings(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("spellings:\n  Haraam: haram\n", encoding="utf-8")
    assert REG.find_mentions("Boko Haraam attacked.") == []
    [m] = Registry.load([path]).find_mentions("Boko Haraam attacked.")
    assert (m.text, m.key) == ("Boko Haraam", "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad")


def test_configure_makes_a_user_file_part_of_the_default_registry_for_workers_too(tmp_path, monkeypatch):
    from sahelwatch.actors import configure

    path = tmp_path / "mine.yaml"
    path.write_text(USER_FILE, encoding="utf-8")
    monkeypatch.setattr(registry_module, "_CONFIGURED", [])  # restored after the test, whatever configure() sets
    reg = configure([path])
    assert reg.get("Katiba Hanifa") is not None
    assert str(path.resolve()) in user_paths()  # handed to worker processes in their settings
    assert default_registry() is reg


def test_configure_with_a_bad_file_raises_and_changes_nothing(tmp_path, monkeypatch):
    from sahelwatch.actors import configure

    path = tmp_path / "bad.yaml"
    path.write_text("actors: [{name: X, inter: 0}]\n", encoding="utf-8")
    monkeypatch.setattr(registry_module, "_CONFIGURED", [])  # restored after the test, whatever configure() sets
    with pytest.raises(ActorFileError):
        configure([path])
    assert user_paths() == ()
    assert default_registry() is builtin_registry()


@pytest.mark.parametrize(("country", "admin1", "name"), [
    ("Niger", "Diffa", "Islamic State (West Africa)"),
    ("Niger", "Diffa Region", "Islamic State (West Africa)"),
    ("Niger", "Tillaberi", "Islamic State (Sahel)"),
    ("Niger", None, "Islamic State (Sahel)"),
])
def test_a_rule_can_pick_the_actor_by_the_event_region(country, admin1, name):
    [m] = REG.find_mentions("Islamic State fighters attacked.")
    assert REG.resolve(m, country, D(2024, 1, 1), admin1=admin1).name == name


def test_who_speaks_is_not_an_actor():
    text = "Military sources said soldiers repelled the jihadists, the army spokesman and the defence ministry said."
    assert [m.text for m in REG.find_mentions(text)] == ["soldiers", "jihadists"]


def test_a_long_text_is_read_in_pieces_with_offsets_into_the_whole():
    paragraph = "Suspected jihadists attacked Nigerien soldiers near the border, killing villagers.\n"
    text = paragraph * 20_000  # 1.7 MB
    mentions = REG.find_mentions(text)
    assert len(mentions) == 3 * 20_000
    assert all(text[m.start:m.end] == m.text for m in mentions)
    assert [m.text for m in mentions[-3:]] == ["Suspected jihadists", "Nigerien soldiers", "villagers"]


def test_united_nations_soldiers_are_the_un_mission():
    from sahelwatch.actors import default_registry

    found = default_registry().find_mentions("An explosive device killed three United Nations soldiers near Gao.")
    assert any((m.key or "").startswith("MINUSMA") and m.text == "United Nations soldiers" for m in found), found
