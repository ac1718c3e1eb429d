"""The word-window reading of roles (extract/roles.py): each language reads with its own cues
(the `window:` section of roles_<lang>.yaml), so a French cue means nothing to English and the reverse."""
from __future__ import annotations

import datetime as dt
import re
from importlib import resources

import pytest
import yaml

from sahelwatch import extract_events
from sahelwatch.actors import ActorMention
from sahelwatch.extract import roles
from sahelwatch.model import Document


def _role(sentence: str, mention: str, language: str, category: str = "unidentified_armed") -> str:
    start = sentence.index(mention)
    m = ActorMention(start, start + len(mention), mention, category)
    return roles.role(sentence, m, language=language)


# (a French cue inside an English sentence, the same cue in a French sentence, the mention in each, its role)
SEPARATED = [
    ("Seven soldiers ont été tués near the border.", "Sept soldats ont été tués près de la frontière.",
     "soldiers", "soldats", "patient", "state_forces"),
    ("The post was attaqué par gunmen on Monday.", "Le poste a été attaqué par des hommes armés lundi.",
     "gunmen", "hommes armés", "agent", "unidentified_armed"),
    ("Gunmen ont attaqué the village at dawn.", "Des hommes armés ont attaqué le village à l'aube.",
     "Gunmen", "hommes armés", "agent", "unidentified_armed"),
    ("A raid contre villagers left five dead.", "Une embuscade contre des villageois a fait cinq morts.",
     "villagers", "villageois", "patient", "civilians"),
]


@pytest.mark.parametrize(("english", "french", "en_mention", "fr_mention", "expected", "category"), SEPARATED)
def test_a_french_cue_reads_only_in_french(english, french, en_mention, fr_mention, expected, category):
    assert _role(english, en_mention, "en", category) == "other"
    assert _role(french, fr_mention, "fr", category) == expected


def test_english_reads_with_english_cues_in_both_reports():
    """The English cues still read an English sentence; a French report does not read with them."""
    sentence = "Seven soldiers were killed near the border."
    assert _role(sentence, "soldiers", "en", "state_forces") == "patient"
    assert _role(sentence, "soldiers", "fr", "state_forces") == "other"


def test_a_language_without_its_own_file_reads_english():
    assert roles.load_window("ha") == roles.load_window("en")


def test_english_window_has_every_cue_and_no_french_word():
    window = yaml.safe_load(resources.files("sahelwatch.extract").joinpath("roles_en.yaml").read_text("utf-8"))["window"]
    assert set(window) == set(roles.CUES)
    text = " ".join(v if isinstance(v, str) else " ".join(v) for v in window.values())
    assert not re.search(r"[àâäçéèêëîïôöùûüÿœæ]", text, re.I)
    french = {"par", "des", "les", "le", "la", "de", "du", "contre", "selon", "ont", "est", "sont", "fut", "furent",
              "avait", "avaient", "pris", "tendu", "mené", "attaquent", "tué", "attaqué", "enlevé", "déclaré"}
    assert not french & set(re.findall(r"[^\W\d_]+", text.lower()))


@pytest.mark.parametrize(("language", "text"), [
    ("fr", "Des hommes armés ont attaqué le village de Koulogon lundi, tuant sept civils, selon des habitants."),
    ("en", "Gunmen attacked the village of Koulogon on Monday, killing seven civilians, residents said."),
])
def test_a_report_is_read_with_its_own_language(monkeypatch, language, text):
    """The extractor passes the report's language to the word-window reading."""
    seen = []
    read = roles.role

    def spy(*args, **kwargs):
        seen.append(kwargs.get("language", args[4] if len(args) > 4 else "en"))
        return read(*args, **kwargs)

    monkeypatch.setattr(roles, "role", spy)
    extract_events(Document(doc_id="t", text=text, published=dt.date(2024, 5, 22), language=language))
    assert seen and set(seen) == {language}
