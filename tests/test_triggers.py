"""Event typing from trigger phrases (rules_en.yaml)."""
import pytest

from sahelwatch.extract.triggers import find_triggers, is_generic, is_hypothetical, load_rules

RULES = load_rules("en")


@pytest.mark.parametrize("sentence, sub", [
    ("A drone strike hit a wedding in the village.", "Air/drone strike"),
    ("Militants fired mortar shells at the airport.", "Shelling/artillery/missile attack"),
    ("A military vehicle struck an improvised explosive device.", "Remote explosive/landmine/IED"),
    ("A suicide bomber blew himself up at the checkpoint.", "Suicide bomb"),
    ("Gunmen abducted 20 women collecting firewood.", "Abduction/forced disappearance"),
    ("Police fired tear gas to disperse protesters in the capital.", "Protest with intervention"),
    ("Two protesters were shot dead during the demonstrations.", "Excessive force against protesters"),
    ("Hundreds of people marched peacefully in the capital.", "Peaceful protest"),
    ("The group said it had taken control of the army post.", "Non-state actor overtakes territory"),
    ("The army said it had retaken the town.", "Government regains territory"),
    ("Soldiers seized power in a military coup and ousted the president.", "Other"),
    ("Soldiers carried out summary executions of at least 40 villagers.", "Attack"),
    ("Around 40 women were seized on Thursday a dozen kilometres from the town.", "Abduction/forced disappearance"),
    ("Armed men seized the three workers on the road to the mine.", "Abduction/forced disappearance"),
    ("Officials said 76 of the girls freed from their kidnappers were in fact still missing.",
     "Abduction/forced disappearance"),
    ("The base was handed over to the national army.", "Non-violent transfer of territory"),
    ("Gunmen attacked a military post on Monday.", "Attack"),
])
def test_first_trigger_gives_sub_event_type(sentence, sub):
    triggers = find_triggers(sentence, RULES)
    assert triggers and triggers[0].sub == sub


def test_generic_and_hypothetical_sentences():
    assert is_generic("The group has carried out a series of attacks in recent years.", RULES)
    assert is_hypothetical("The group could attack Western bases.", RULES)
    assert not is_generic("Gunmen attacked the village of Koro on Monday.", RULES)


def test_aircraft_outside_the_strike_clause_is_no_air_strike():
    subs = {t.sub for t in find_triggers(
        "Aircraft rarely land now, since the airfield has been hit by mortar rounds several times.", RULES)}
    assert "Air/drone strike" not in subs and "Shelling/artillery/missile attack" in subs
    assert find_triggers("Army helicopters struck a convoy of fighters near the border.", RULES)[0].sub \
        == "Air/drone strike"


@pytest.mark.parametrize("sentence, sub", [
    ("Devant le lycée, élèves et policiers se sont affrontés toute la matinée.", "Violent demonstration"),
    ("Des affrontements ont opposé des jeunes aux forces de l'ordre ; affrontements entre jeunes et policiers.",
     "Violent demonstration"),
    ("Des centaines de commerçants sont descendus dans la rue samedi à Zinder.", "Peaceful protest"),
    ("Les enseignants ont défilé dans le calme jusqu'au gouvernorat.", "Peaceful protest"),
])
def test_french_ways_of_telling_demonstrations(sentence, sub):
    assert find_triggers(sentence, load_rules("fr"))[0].sub == sub


def test_a_coup_someone_was_sent_to_stage_is_no_coup():
    subs = {t.sub for t in find_triggers("Users branded them mercenaries sent to the country to stage a coup.", RULES)}
    assert "Other" not in subs
    assert find_triggers("Soldiers staged a coup on Wednesday.", RULES)[0].sub == "Other"


def test_a_protest_that_turned_violent_is_a_violent_demonstration():
    assert find_triggers("A march against fuel prices turned violent in Maradi on Monday.", RULES)[0].sub \
        == "Violent demonstration"
    assert find_triggers("La manifestation a dégénéré en fin de matinée à Zinder.", load_rules("fr"))[0].sub \
        == "Violent demonstration"


def test_the_coup_a_report_dates_its_story_from_is_no_coup():
    for sentence in ("The troops left the base, one step in the pull-out after the military coup in July.",
                     "Fuel prices have doubled since the July coup."):
        assert "Other" not in {t.sub for t in find_triggers(sentence, RULES)}, sentence


def test_a_government_expelling_an_envoy_is_a_strategic_development():
    for sentence in ("The junta has ordered the French ambassador to leave the country within 48 hours.",
                     "The foreign ministry said it was expelling the UN resident coordinator."):
        assert find_triggers(sentence, RULES)[0].sub == "Other", sentence
    fr = load_rules("fr")
    for sentence in ("La junte a expulsé l'ambassadeur de France, sommé de quitter le pays sous 48 heures.",
                     "Le gouvernement a déclaré la coordonnatrice de l'ONU persona non grata."):
        assert find_triggers(sentence, fr)[0].sub == "Other", sentence


@pytest.mark.parametrize("name", ["came_after", "independent", "protest_deed", "speaker_place", "destination",
                                  "past_perfect", "ground", "same_place", "headline_passive", "list_join", "not_a_list",
                                  "follow_up", "series_member", "several_incidents", "two_incidents", "year",
                                  "no_deaths"])
def test_each_language_keeps_its_own_cue_words(name):
    """A cue of the English rules names no French word, and the French rules have their own."""
    en, fr = load_rules("en").cue(name).pattern, load_rules("fr").cue(name).pattern
    assert en != fr
    for french in ("après", "habitants", "évacué", "avait", "assaut", "même", "tuée", "manifestants", "bilan",
                   "ainsi que", "près"):
        assert french not in en, (name, french)


def test_cues_read_the_language_of_the_report():
    en, fr = load_rules("en"), load_rules("fr")
    assert en.cue("ground").search("The soldiers fought off the attackers.")
    assert fr.cue("ground").search("De violents combats ont opposé les soldats aux assaillants.")
    assert not en.cue("ground").search("De violents combats ont opposé les soldats aux assaillants.")
    assert fr.cue("destination").search("Les blessés ont été évacués vers ")
    assert en.cue("destination").search("The wounded were evacuated to ")
    assert not en.cue("nonexistent").search("anything")


def test_nobody_claiming_an_attack_is_no_claim():
    from sahelwatch.extract.triggers import is_claim

    assert is_claim("JNIM said its fighters had killed 20 soldiers at the post.", RULES)
    assert not is_claim("Nobody immediately claimed the attack, but it bore the marks of Boko Haram.", RULES)
    assert not is_claim("The jihadist groups active in the area have not claimed it either.", RULES)
    fr = load_rules("fr")
    assert not is_claim("Aucun groupe n'a revendiqué l'attaque, qui porte la marque du JNIM.", fr)


def test_a_french_village_taken_as_a_target_is_attacked():
    found = find_triggers("Le village a une fois encore été pris pour cible par des hommes armés.", load_rules("fr"))
    assert found and found[0].sub == "Attack"


@pytest.mark.parametrize(("sentence", "language", "denied"), [
    ("Nobody was killed or hurt, according to the transporters' union.", "en", True),
    ("The blast caused no casualties.", "en", True),
    ("One person was killed in the blast.", "en", False),
    ("Personne n'a été tué ou blessé, selon le syndicat des transporteurs.", "fr", True),
    ("Une personne a été tuée dans l'explosion.", "fr", False),
])
def test_deaths_denied(sentence, language, denied):
    assert bool(load_rules(language).cue("no_deaths").search(sentence)) is denied
