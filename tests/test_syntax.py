"""Roles from the dependency parse: every pattern of roles_<lang>.yaml fires on its own example,
and mentions in sentences written for these tests get the role a reader gives them."""
from __future__ import annotations

import pytest

from sahelwatch.extract import syntax
from sahelwatch.nlp import load_parser as load


def _cases():
    for lang in ("en", "fr"):
        for p in syntax.load_patterns(lang).patterns:
            yield pytest.param(lang, p["id"], p["role"], p["example"], id=f"{lang}-{p['id']}")


@pytest.mark.parametrize(("lang", "pid", "role", "example"), list(_cases()))
def test_every_pattern_fires_on_its_example(lang, pid, role, example):
    doc = load(lang)(example)
    assert (role, pid) in doc._.roles.values(), [(doc[i].text, r) for i, r in doc._.roles.items()]


@pytest.mark.parametrize(("lang", "sentence", "mention", "role"), [
    ("en", "Seven soldiers were killed when fighters of the Islamic State ambushed their patrol.", "Islamic State", "agent"),
    ("en", "The patrol was ambushed by fighters of the Islamic State near the border.", "Islamic State", "agent"),
    ("en", "A JNIM attack on the gendarmerie post left four gendarmes dead.", "JNIM", "agent"),
    ("en", "A JNIM attack on the gendarmerie post left four gendarmes dead.", "gendarmerie", "patient"),
    ("en", "Officials blamed the massacre on Boko Haram.", "Boko Haram", "agent"),
    ("en", "The group said it had killed nine soldiers in the raid.", "group", "agent"),
    ("en", "Gunmen on motorbikes killed eleven villagers in the market.", "villagers", "patient"),
    ("en", "The army said its drones had struck a convoy of militants.", "army", "agent"),
    ("en", "Soldiers backed by a helicopter were sent to the area.", "helicopter", None),
    ("fr", "Le camp a été attaqué par des hommes armés non identifiés.", "hommes armés", "agent"),
    ("fr", "Des terroristes ont tué trois gendarmes près de la frontière.", "gendarmes", "patient"),
    ("fr", "Le JNIM a revendiqué l'attaque du poste de Koutougou.", "JNIM", "agent"),
])
def test_role_of_a_mention(lang, sentence, mention, role):
    doc = load(lang)(sentence)
    start = sentence.index(mention)
    found = syntax.mention_role(doc, start, start + len(mention), lang)
    assert (found[0] if found else None) == role, found


@pytest.mark.parametrize(("lang", "sentence", "day", "said"), [
    ("en", "Gunmen attacked the post on Monday, the army said on Tuesday.", "Tuesday", True),
    ("en", "Gunmen attacked the post on Monday, the army said on Tuesday.", "Monday", False),
    ("en", "Several volunteers were killed when militants attacked their position in Di, on Sunday, residents said.",
     "Sunday", False),
    ("en", "Troops stationed near the palace opened fire on Friday night to break up the crowd, a reporter said.",
     "Friday", False),
    ("fr", "L'armée a annoncé mardi avoir repoussé une attaque à Djibo.", "mardi", True),
    # a day in front of the verb of speech, and what was said has a day of its own: the day of speaking
    ("en", "On Tuesday evening, a police spokesman announced that the 12 traders detained near Kayes on Saturday "
     "would be charged.", "Tuesday", True),
    ("en", "On Tuesday evening, a police spokesman announced that the traders had been freed.", "Tuesday", False),
    # a denial is told on the day it is made
    ("en", "The army on Friday rejected reports that its drones had killed herders.", "Friday", True),
    ("fr", "L'armée a démenti vendredi avoir tué des éleveurs.", "vendredi", True),
    ("fr", "Mardi soir, le porte-parole a annoncé que les commerçants interpellés samedi à Kayes seraient jugés.",
     "Mardi", True),
])
def test_the_day_a_source_spoke(lang, sentence, day, said):
    doc = load(lang)(sentence)
    assert syntax.said_on(doc, sentence.index(day), lang) is said


def test_a_day_a_source_spoke_is_not_the_incident_day():
    import datetime as dt

    from sahelwatch import extract_events
    from sahelwatch.model import Document

    text = ("Troops posted near the presidential palace in Ouagadougou opened fire on Wednesday night to break up "
            "a crowd of protesters, a reporter said.")
    (ev,) = extract_events(Document(doc_id="t", text=text, published=dt.date(2024, 5, 24), language="en"))
    assert ev.event_date == "2024-05-22"


@pytest.mark.parametrize(("lang", "sentence", "day", "pluperfect"), [
    ("en", "Officials said the rebels had overrun the camp on Thursday.", "Thursday", True),
    # the day dates the release; the pluperfect belongs to a clause about the dead
    ("en", "On Thursday, a herders' association released the names of 19 people it said had died in the strike.",
     "Thursday", False),
    ("fr", "Les assaillants avaient attaqué le poste jeudi, selon une source locale.", "jeudi", True),
    ("fr", "Jeudi, une association a publié les noms de 19 personnes qui avaient péri.", "Jeudi", False),
])
def test_a_day_told_in_the_pluperfect(lang, sentence, day, pluperfect):
    doc = load(lang)(sentence)
    assert syntax.in_pluperfect(doc, sentence.index(day)) is pluperfect


@pytest.mark.parametrize(("lang", "sentence", "day", "ahead"), [
    ("en", "The ministers will travel to Gao on Wednesday.", "Wednesday", True),
    ("en", "Traders were angry at the new councils that are scheduled, under the peace deal, to take over the "
     "running of the district on Friday.", "Friday", True),
    ("en", "Troops are due to leave the base on Friday.", "Friday", True),
    ("en", "Troops left the base on Friday.", "Friday", False),
    ("en", "The army managed to retake the town on Friday.", "Friday", False),
    ("fr", "Les ministres se rendront à Gao mercredi.", "mercredi", True),
    ("fr", "Les soldats ont quitté la base vendredi.", "vendredi", False),
])
def test_a_day_still_to_come(lang, sentence, day, ahead):
    doc = load(lang)(sentence)
    assert syntax.in_future(doc, sentence.index(day), lang) is ahead


def test_a_day_still_to_come_does_not_date_a_past_incident():
    import datetime as dt

    from sahelwatch import extract_events
    from sahelwatch.model import Document

    text = ("Protesters burn tyres in Gao\n\n"
            "On Tuesday, protesters in Gao set tyres alight and hurled stones at the police, angry at new councils "
            "that are scheduled to take over the running of the district on Friday.")
    evs = extract_events(Document(doc_id="t", text=text, published=dt.date(2024, 5, 22)))
    assert [(e.sub_event_type, e.event_date) for e in evs] == [("Violent demonstration", "2024-05-21")]
