"""Dates as reports write them, resolved against the publication date (a Wednesday here)."""
import datetime as dt

import pytest

from sahelwatch.extract.dates import find_dates

PUB = dt.date(2024, 5, 22)  # Wednesday


def first(sentence, published=PUB):
    found = find_dates(sentence, published)
    return found[0] if found else None


@pytest.mark.parametrize("sentence, expected, precision", [
    ("Gunmen attacked the post on Monday, killing four soldiers.", dt.date(2024, 5, 20), 1),
    ("The ambush took place Sunday night near the village.", dt.date(2024, 5, 19), 1),
    ("On May 15, militants stormed the market.", dt.date(2024, 5, 15), 1),
    ("Militants stormed the market on 15 May.", dt.date(2024, 5, 15), 1),
    ("The convoy was hit on December 30 near the border.", dt.date(2023, 12, 30), 1),
    ("Soldiers were killed on February 3, 2022 in the north.", dt.date(2022, 2, 3), 1),
    ("Last week, three herders were abducted.", dt.date(2024, 5, 15), 2),
    ("Yesterday, a mine exploded under a truck.", dt.date(2024, 5, 21), 1),
    ("In mid-April, a base was overrun.", dt.date(2024, 4, 15), 2),
    ("At the start of March, a convoy was ambushed.", dt.date(2024, 3, 5), 2),
    ("In January, the junta arrested two officers.", dt.date(2024, 1, 15), 3),
    ("About two years ago the same village was attacked.", dt.date(2022, 5, 22), 3),
])
def test_incident_dates(sentence, expected, precision):
    d = first(sentence)
    assert d is not None and d.date == expected and d.precision == precision


@pytest.mark.parametrize("sentence", [
    "The army said on Tuesday that the situation was calm.",
    "Residents told reporters on Monday they had fled.",
    "The attack was condemned (Reuters, May 20).",
    "The town has been under blockade since 8 May.",
])
def test_report_dates_and_citations_are_not_incident_dates(sentence):
    assert all(d.date is None or d.story_offset is not None for d in find_dates(sentence, PUB)) or \
        not find_dates(sentence, PUB)


@pytest.mark.parametrize("sentence, offset", [
    ("A few days before that attack, four soldiers were killed nearby.", -3),
    ("Two days after the raid, gunmen burned the market.", 2),
    ("The raid came two days after 12 people were killed in a nearby village.", -2),
    ("The next day, the army retook the town.", 1),
])
def test_story_relative_dates(sentence, offset):
    d = first(sentence)
    assert d.date is None and d.story_offset == offset


@pytest.mark.parametrize(("sentence", "offset", "precision"), [
    ("The previous week, gunmen had killed four herders near the village.", -7, 2),
    ("The month before, a convoy was ambushed on the same road.", -30, 3),
])
def test_story_weeks_and_months(sentence, offset, precision):
    import datetime as dt

    from sahelwatch.extract.dates import find_dates

    (d,) = find_dates(sentence, dt.date(2024, 5, 22))
    assert (d.story_offset, d.precision) == (offset, precision)


@pytest.mark.parametrize(("text", "day"), [
    ("15 August 2023", "2023-08-15"), ("August 15", "2023-08-15"), ("three days ago", "2024-05-19"),
    ("il y a trois jours", "2024-05-19"), ("hier", "2024-05-21"),
])
def test_absolute_and_relative_dates_are_read_by_dateparser(text, day):
    import datetime as dt

    from sahelwatch.extract.dates import library_date

    assert library_date(text, dt.date(2024, 5, 22)).isoformat() == day


def test_capitalised_may_after_a_time_preposition_is_the_month():
    pub = dt.date(2022, 7, 17)
    (d,) = find_dates("In May, eight soldiers were killed in an attack on a post.", pub)
    assert (d.date, d.precision) == (dt.date(2022, 5, 15), 3)
    assert not find_dates("This may be the deadliest attack of the year.", pub)
    (fr,) = find_dates("Des hommes armés ont attaqué le village en mai 2021.", pub, language="fr")
    assert fr.date == dt.date(2021, 5, 15)


def test_a_night_into_the_next_day_is_the_first_day():
    pub = dt.date(2022, 7, 17)  # a Sunday
    (d,) = find_dates("The raid took place from Thursday night into Friday.", pub)
    assert d.date == dt.date(2022, 7, 14)


@pytest.mark.parametrize(("sentence", "language"), [
    ("Troops left the last base, a step in the withdrawal that followed the military coup in July.", "en"),
    ("The convoy was hit days after the army offensive in early March.", "en"),
    ("Les soldats ont quitté la base après le coup d'État de juillet.", "fr"),
    ("Les soldats ont quitté la base après l'attaque du camp en juillet.", "fr"),
])
def test_the_month_of_a_background_incident_named_after_after_is_not_the_sentences(sentence, language):
    assert not [d for d in find_dates(sentence, dt.date(2023, 10, 23), language=language) if d.precision == 3]


def test_a_month_that_dates_the_sentence_is_kept():
    (d,) = find_dates("In July, soldiers seized power in the capital.", dt.date(2023, 10, 23))
    assert d.date == dt.date(2023, 7, 15)


def test_the_day_a_document_is_dated_is_not_an_incident_day():
    found = find_dates("An internal note dated Thursday says militants had attacked a patrol.", dt.date(2021, 12, 2))
    assert not found


def test_who_responded_names_the_fighters_not_a_later_day():
    pub = dt.date(2021, 8, 22)
    assert not find_dates("The gunmen then turned on the soldiers who responded, the army said.", pub)
    (d,) = find_dates("The army responded with air strikes on the camps.", pub)
    assert d.story_offset == 1


@pytest.mark.parametrize(("english", "french", "day"), [
    ("Gunmen fired on revellers at the Mardi Gras parade.", "Mardi, des hommes armés ont attaqué le marché.",
     dt.date(2024, 5, 21)),
    ("The weekly market fin March drew traders from the border.", "Fin mars, des hommes armés ont attaqué le village.",
     dt.date(2024, 3, 25)),
    ("A witness quoted the headline 'l'attaque d'hier' to reporters.", "Hier, des hommes armés ont attaqué le village.",
     dt.date(2024, 5, 21)),
])
def test_each_language_reads_only_its_own_date_words(english, french, day):
    assert not find_dates(english, PUB)  # a French word in an English report is no date
    assert [d.date for d in find_dates(french, PUB, language="fr")] == [day]


def test_a_report_language_without_date_words_of_its_own_is_read_as_english():
    (d,) = find_dates("Yesterday, a mine exploded under a truck.", PUB, language="ha")
    assert d.date == dt.date(2024, 5, 21)
    assert not find_dates("Hier, une mine a explosé sous un camion.", PUB, language="ha")


def test_the_rules_of_a_language_tell_find_dates_which_it_is():
    from sahelwatch.extract.triggers import load_rules

    assert (load_rules("en").language, load_rules("fr").language) == ("en", "fr")


def test_a_french_night_told_by_its_dates_is_its_first_day():
    found = find_dates("Pendant la nuit du dimanche 14 avril au lundi 15 avril 2019, ses combattants ont attaqué.",
                       PUB, language="fr")
    assert [(str(d.date), d.precision) for d in found] == [("2019-04-14", 1)]
    found = find_dates("Dans la nuit du 3 au 4 mai, des hommes armés ont attaqué le poste.", PUB, language="fr")
    assert [str(d.date) for d in found] == ["2024-05-03"]
