"""The extractor as spaCy pipeline components, registered by name (``nlp.add_pipe("sahel_events")``).

``nlp.load_extractor(language)`` is spaCy's sentences and named entities followed by:

- ``sahel_triggers``: each sentence's trigger phrases (rules_<lang>.yaml) on ``Doc._.triggers``;
- ``sahel_tolls``: each sentence's figures of dead and injured (tolls_<lang>.yaml) on ``Doc._.figures``;
- ``sahel_events``: the report's events on ``Doc._.events``: places (geoparse), actors (the registry),
  dates, the roles read from the dependency parse of the sentences that tell an incident
  (``sahel_roles``, in ``nlp.load_parser``), and the document-level linking of extract/events.py.

Both sentence maps are keyed by sentence start, over the report's text with its dateline blanked out
(``report_layout``). The report itself (its id and publication date) rides on ``Doc._.report``; a
report whose extraction fails keeps its error on ``Doc._.error`` and no events, so one report never
stops a batch.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from sahelwatch.extract import layout
from sahelwatch.extract.fatalities import find_figures
from sahelwatch.extract.triggers import find_triggers, load_rules

for _name in ("report", "triggers", "figures", "events", "error"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

MAX_SENTENCE = 2000  # characters: longer "sentences" are tables or lists, not news prose


def report_layout(doc: Doc) -> tuple[str, list[tuple[int, int, int]]]:
    """(the text with its datelines blanked, its sentences as (start, end, paragraph)), made once per Doc:
    where and when a report was filed ("NIAMEY (AFP) -") is not where and when the incident was."""
    if "sahel_layout" not in doc.user_data:
        text = doc.text
        work = text
        for s, e in layout.datelines(text):
            work = work[:s] + " " * (e - s) + work[e:]
        doc.user_data["sahel_layout"] = (work, layout.sentences(doc, text))
    return doc.user_data["sahel_layout"]


class _PerSentence:
    def __init__(self, language: str):
        self.language = language if language in ("en", "fr") else "en"

    def sentences(self, doc: Doc):
        work, sentences = report_layout(doc)
        return ((s, work[s:e]) for s, e, _p in sentences if e - s <= MAX_SENTENCE)


class TriggerFinder(_PerSentence):
    """``sahel_triggers``: Doc._.triggers = {sentence start: [Trigger]}."""

    def __call__(self, doc: Doc) -> Doc:
        rules = load_rules(self.language)
        doc._.triggers = {s: find_triggers(sentence, rules, s) for s, sentence in self.sentences(doc)}
        return doc


class TollFinder(_PerSentence):
    """``sahel_tolls``: Doc._.figures = {sentence start: [Figure]}."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.figures = {s: find_figures(sentence, s, self.language) for s, sentence in self.sentences(doc)}
        return doc


class EventExtractor(_PerSentence):
    """``sahel_events``: Doc._.events = the report's events (Doc._.error when its extraction failed)."""

    def __call__(self, doc: Doc) -> Doc:
        from sahelwatch.extract.events import events_from_parsed
        from sahelwatch.model import Document

        report = doc._.report or Document(doc_id="", text=doc.text, language=self.language)
        try:
            doc._.events = events_from_parsed(report, doc, self.language)
        except Exception as exc:  # one report's failure must not stop a batch of thousands
            doc._.events, doc._.error = [], exc
        return doc


@Language.factory("sahel_triggers", default_config={"language": "en"})
def make_trigger_finder(nlp: Language, name: str, language: str) -> TriggerFinder:
    return TriggerFinder(language)


@Language.factory("sahel_tolls", default_config={"language": "en"})
def make_toll_finder(nlp: Language, name: str, language: str) -> TollFinder:
    return TollFinder(language)


@Language.factory("sahel_events", default_config={"language": "en"})
def make_event_extractor(nlp: Language, name: str, language: str) -> EventExtractor:
    return EventExtractor(language)
