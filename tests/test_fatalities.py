"""Fatality figures and ACLED's counting rules (CODEBOOK.md, Fatalities)."""
import re
from importlib import resources

import pytest
import yaml

from sahelwatch.extract.fatalities import combine, find_figures
from sahelwatch.extract.numbers import parse_number


def count(*sentences, kind="killed", language="en"):
    figures = []
    for i, s in enumerate(sentences):
        figures += find_figures(s, offset=i * 1000, language=language)
    return combine(figures, kind)[0]


@pytest.mark.parametrize("sentence, killed", [
    ("At least 12 soldiers were killed in the ambush.", 12),
    ("Gunmen killed seven villagers and wounded three others.", 7),
    ("Four soldiers and two gendarmes were killed.", 6),
    ("The attack left 9 soldiers dead and 14 wounded.", 9),
    ("Dozens of civilians were reportedly killed.", 12),
    ("The army said it killed an unspecified number of militants.", 10),
    ("Between 8 and 11 soldiers died in the raid.", 8),
    ("Militants killed 31 people, including 12 children, in the village.", 31),
    ("Eleven soldiers were wounded in the blast.", 0),
    ("Nearly 300 troops and 40 trucks left the base.", 0),
    ("The strike claimed the lives of at least three women.", 3),
    ("Thousands of people have been displaced by the violence in 2023.", 0),
])
def test_one_sentence(sentence, killed):
    assert count(sentence) == killed


def test_injured_are_kept_apart():
    assert count("Five soldiers were killed and 13 were injured.", kind="injured") == 13
    assert count("Five soldiers were killed and 13 were injured.") == 5


def test_lowest_of_conflicting_reports():
    assert count("At least 20 soldiers were killed.", "A local official said 14 soldiers were killed.") == 14


def test_sides_add_up_in_a_battle():
    assert count("Nine soldiers were killed and about 20 militants were neutralised.") == 29


def test_bound_refined_by_precise_figure():
    assert count("More than 40 people were killed.", "A hospital source said 46 people died.") == 46


def test_people_and_civilians_are_the_same_dead():
    assert count("Three people were killed.", "Residents said five civilians were killed.") == 3


def test_figure_keeps_its_phrase():
    (fig,) = [f for f in find_figures("Gunmen killed at least 15 soldiers on Monday.") if f.kind == "killed"]
    assert fig.text == "at least 15 soldiers" and fig.qualifier == "at_least" and fig.group == "state"


@pytest.mark.parametrize("sentence, values", [
    ("Gunmen raided two villages, killing 17 people in Koro and nine in Dinangourou.", [17, 9]),
    ("Between 10 and 15 soldiers fell and five others went missing.", [10]),
    ('The group said it killed "dozens" of soldiers.', [12]),
    ("The army said 17 'terrorists' were killed in the operation.", [17]),
])
def test_killed_figures_in_order(sentence, values):
    assert [f.value for f in find_figures(sentence) if f.kind == "killed"] == values


def test_vague_deaths_noun():
    assert count("Local reports cited scores of civilian deaths after the strikes.") == 10


@pytest.mark.parametrize("sentence, killed", [
    ("Gunmen stormed the village, killing seven people, including a woman and two boys.", 7),
])
def test_parts_and_repeated_digits(sentence, killed):
    assert count(sentence) == killed


@pytest.mark.parametrize("sentence, killed", [
    ("Fighting around the town left dozens dead on both sides, local sources said.", 12),
    ("Gunmen shot dead three farmers outside the village.", 3),
    ("The police confirmed the attack but put the death toll at nine.", 9),
    ("The group said it lost two fighters.", 2),
    ("A farmer who lost two sons in the attack spoke to reporters.", 0),
])
def test_more_ways_to_tell_deaths(sentence, killed):
    assert count(sentence) == killed


@pytest.mark.parametrize("sentences, killed", [
    # a part of a figure adds nothing
    (("Gunmen shot dead 26 villagers, 9 of them women, in the attack.",), 26),
    (("The raid left at least 60 people dead; the dead included 11 soldiers and several militiamen.",), 60),
    # ages are no counts
    (("Six herders aged 15 to 60 were executed near the well.",), 6),
    # feared dead
    (("At least 14 soldiers are feared to have died in the assault.",), 14),
    # the bomber counts among the dead
    (("A suicide bomber blew himself up at the market gate, killing three traders.",), 4),
    (("A bomber blew himself up at the checkpoint, killing nobody else.",), 1),
    # victims and attackers are two sides
    (("Militants killed 22 people in the raid.", "The army said it killed 9 of the attackers."), 31),
    # the killers are no victims
    (("Four gunmen killed two herders at the well.",), 2),
    # a figure with its parts in apposition takes the verb after them
    (("Six people, four of them officials and one a soldier, were killed at the checkpoint.",), 6),
    # "of them" without a figure before it counts
    (("The gendarmes were attacked at dawn.", "Four of them were killed."), 4),
])
def test_toll_forms(sentences, killed):
    assert count(*sentences) == killed


def test_singular_attackers_are_a_side():
    assert count("Two soldiers were killed when militants raided the post; the army said it killed one militant.") == 3


def test_a_bare_figure_after_and_with_a_qualifier_repeats_the_verb():
    figures = find_figures("Gunmen killed 17 people in Koro and about nine in Dinangourou.")
    assert [f.value for f in figures if f.kind == "killed"] == [17, 9]


@pytest.mark.parametrize("sentence, value", [
    ("Gunmen abducted four traders near Djibo on Monday; their bodies were found the next day.", 4),
    ("The bodies of six herders taken by gunmen were found on Wednesday.", 6),
])
def test_the_taken_whose_bodies_were_found_are_dead(sentence, value):
    killed = [f for f in find_figures(sentence) if f.kind == "killed"]
    assert [f.value for f in killed] == [value]


def test_the_taken_without_bodies_found_are_not_dead():
    assert not [f for f in find_figures("Gunmen abducted four traders near Djibo on Monday.") if f.kind == "killed"]


def test_an_approximate_part_after_and_is_a_part_of_the_toll():
    figs = find_figures("At least 50 civilians died in the two villages, about 35 of them in A and some 15 in B.")
    assert [(f.value, f.kind) for f in figs] == [(50, "killed"), (35, "part"), (15, "part")]


# --- one home per language: French tolls are read with French words only ----------------------

FRENCH_TOLLS = [
    ("L'assaut contre le camp a tué 20 membres des forces maliennes et en a blessé 5.", 20),
    ("Le bilan, encore provisoire, s'élève à une dizaine de morts.", 10),
    ("Une trentaine de tués ont été recensés dans le village.", 30),
    ("Au moins vingt-deux militaires ont été tués.", 22),
    ("L'attaque a fait deux (02) morts parmi les civils.", 2),
    # ages are no counts
    ("Quatre éleveurs âgés de 20 à 65 ans ont été exécutés.", 4),
    ("Le gouvernement fait état d'un mort parmi les manifestants.", 1),
    ("Neuf habitants du village ont perdu la vie dans l'attaque.", 9),
    # the killers are no victims
    ("Six hommes armés ont fait irruption et ont tué deux commerçants.", 2),
    # one's own loss, a death told by its noun
    ("L'armée indique avoir perdu un homme dans l'accrochage.", 1),
    ("Le gouverneur a déploré la mort de trois gendarmes.", 3),
    # the taken whose bodies were found are dead
    ("Des hommes armés ont enlevé trois bergers lundi, et leurs corps ont été découverts mardi.", 3),
    ("Quatre bergers auraient été emmenés de force ; leurs corps ont été retrouvés le lendemain.", 4),
    # the bomber counts among the dead
    ("Un kamikaze s'est fait exploser devant la mosquée, tuant trois fidèles.", 4),
]


@pytest.mark.parametrize("sentence, killed", FRENCH_TOLLS)
def test_a_french_toll_is_read_with_french_words(sentence, killed):
    assert count(sentence, language="fr") == killed


@pytest.mark.parametrize("sentence, killed", FRENCH_TOLLS)
def test_english_reads_no_french_toll(sentence, killed):
    assert count(sentence) == 0


def test_each_language_reads_only_its_own_toll_in_a_mixed_sentence():
    sentence = "Gunmen killed 12 soldiers; au moins 30 civils ont été tués."
    assert [f.value for f in find_figures(sentence)] == [12]
    assert [f.value for f in find_figures(sentence, language="fr")] == [30]


def test_number_words_belong_to_their_language():
    assert parse_number("vingt-trois") is None and parse_number("vingt-trois", "fr") == 23
    assert parse_number("twenty-three", "fr") is None and parse_number("twenty-three") == 23


def _strings(data):
    """Every key and value of a YAML document, as text."""
    if isinstance(data, dict):
        return [s for k, v in data.items() for s in (str(k), *_strings(v))]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return [str(data)]


def test_the_english_tolls_file_holds_no_french_word():
    text = resources.files("sahelwatch.extract").joinpath("tolls_en.yaml").read_text("utf-8")
    words = {w.lower() for s in _strings(yaml.safe_load(text)) for w in re.findall(r"[^\W\d_]+", s)}
    french = {"de", "des", "du", "le", "la", "les", "et", "au", "moins", "plus", "environ", "dont", "parmi", "ont",
              "sont", "été", "tués", "tué", "morts", "mort", "blessés", "enlevés", "corps", "perdu", "soldats",
              "militaires", "civils", "personnes", "habitants", "un", "une", "deux", "trois", "sept", "vingt", "ans",
              "entre", "exploser", "tuant", "terroristes"}
    assert not words & french
    assert not [w for w in words if re.search("[éèêàâçùûôî]", w) and w != "burkinabè"]


@pytest.mark.parametrize(("sentence", "language", "total"), [
    ("Gunmen struck a gold mine near Kaya on Sunday, killing a soldier and a civilian.", "en", 2),
    ("Gunmen killed three soldiers and a civilian near Kaya.", "en", 4),
    ("A gendarme was shot dead at a checkpoint near Kaya.", "en", 1),
    ("Des hommes armés ont attaqué une mine près de Kaya, tuant un soldat et un civil.", "fr", 2),
    ("Les assaillants ont tué deux soldats et un civil près de Kaya.", "fr", 3),
    ("Un gendarme a été tué à un poste de contrôle près de Kaya.", "fr", 1),
])
def test_one_dead_told_with_the_article(sentence, language, total):
    assert combine(find_figures(sentence, 0, language))[0] == total


def test_an_article_is_no_count_without_a_death():
    assert combine(find_figures("Gunmen abducted a teacher and a farmer near Kaya.", 0, "en"))[0] == 0


@pytest.mark.parametrize(("sentence", "language"), [
    ("A roadside bomb killed at least three peacekeepers and left five more with serious wounds.", "en"),
    ("L'explosion a tué au moins trois casques bleus et laissé cinq autres avec de graves blessures.", "fr"),
])
def test_those_left_with_wounds_are_injured_not_dead(sentence, language):
    figures = find_figures(sentence, 0, language)
    assert combine(figures)[0] == 3
    assert [f.value for f in figures if f.kind == "injured"] == [5]
