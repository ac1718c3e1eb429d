"""The extractor as spaCy pipeline components, registered by name (``nlp.add_pipe("sahel_events")``).

``nlp.load_extractor(language)`` is spaCy's sentences and named entities followed by, in order:

- ``sahel_triggers``: each sentence's trigger phrases (rules_<lang>.yaml) on ``Doc._.triggers``;
- ``sahel_tolls``: each sentence's figures of dead and injured (tolls_<lang>.yaml) on ``Doc._.figures``;
- ``sahel_actors``: the actor mentions of the registry (actors.yaml) on ``Doc._.actors``;
- ``sahel_places``: the place mentions (geoparse, geo/data/cues_<lang>.yaml) on ``Doc._.places``, and
  those an incident can be at (not where a source spoke or the wounded went) on ``Doc._.incident_places``;
- ``sahel_dates``: the days told by each sentence that may tell an incident on ``Doc._.dates``, the days a
  source spoke and the days still to come left out, read from the dependency parse (``nlp.load_parser``,
  with the ``sahel_roles`` component whose roles the events step reads);
- ``sahel_events``: the report's events on ``Doc._.events``: candidates, document-level linking and
  assembly (extract/events.py).

Sentence maps are keyed by sentence start, over the report's text with its dateline blanked out
(``report_layout``). The report itself (its id and publication date) rides on ``Doc._.report``; a
report whose extraction fails keeps its error on ``Doc._.error`` and no events, so one report never
stops a batch. Each ``report_*`` function returns what its component left on the Doc, and makes it
when the component did not run (a Doc from ``nlp.load``), so events_from_parsed reads any Doc.
"""
from __future__ import annotations

import datetime as dt

from spacy.language import Language
from spacy.tokens import Doc

from sahelwatch.extract import layout, syntax
from sahelwatch.extract.dates import find_dates
from sahelwatch.extract.fatalities import death, find_figures
from sahelwatch.extract.triggers import find_triggers, load_rules

for _name in ("report", "triggers", "figures", "actors", "places", "incident_places", "dates", "events", "error"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

MAX_SENTENCE = 2000  # characters: longer "sentences" are tables or lists, not news prose


def report_layout(doc: Doc) -> tuple[str, list[tuple[int, int, int]], list[tuple[int, int]]]:
    """(the text with its datelines blanked, its sentences as (start, end, paragraph), the datelines), made
    once per Doc: where and when a report was filed ("NIAMEY (AFP) -") is not where and when the incident was."""
    if "sahel_layout" not in doc.user_data:
        text = doc.text
        filed = layout.datelines(text)
        work = text
        for s, e in filed:
            work = work[:s] + " " * (e - s) + work[e:]
        doc.user_data["sahel_layout"] = (work, layout.sentences(doc, text), filed)
    return doc.user_data["sahel_layout"]


def _published(doc: Doc) -> dt.date:
    report = doc._.report
    return (report.published if report is not None and report.published else None) or dt.date.today()


def _language(language: str) -> str:
    return language if language in ("en", "fr") else "en"


def _sentences(doc: Doc):
    work, sentences, _filed = report_layout(doc)
    return ((s, work[s:e]) for s, e, _p in sentences if e - s <= MAX_SENTENCE)


def report_triggers(doc: Doc, language: str) -> dict:
    """{sentence start: [Trigger]} (``sahel_triggers``)."""
    if doc._.triggers is None:
        rules = load_rules(_language(language))
        doc._.triggers = {s: find_triggers(sentence, rules, s) for s, sentence in _sentences(doc)}
    return doc._.triggers


def report_figures(doc: Doc, language: str) -> dict:
    """{sentence start: [Figure]} (``sahel_tolls``)."""
    if doc._.figures is None:
        doc._.figures = {s: find_figures(sentence, s, _language(language)) for s, sentence in _sentences(doc)}
    return doc._.figures


def report_actors(doc: Doc, language: str) -> list:
    """The registry's actor mentions of the report (``sahel_actors``)."""
    if doc._.actors is None:
        from sahelwatch.actors import default_registry
        from sahelwatch.extract.events import same_victims

        doc._.actors = same_victims(default_registry().find_mentions(doc.text, date=_published(doc)))
    return doc._.actors


def report_places(doc: Doc, language: str) -> tuple[list, list]:
    """(every place mention, those an incident can be at) (``sahel_places``); the words of place names
    ("the W National Park") leave the actor mentions."""
    if doc._.places is None:
        from sahelwatch.extract.events import place_mentions

        text = doc.text
        work, _sentences, filed = report_layout(doc)
        entities = [(e.start_char, e.end_char, e.label_) for e in doc.ents
                    if not any(s <= e.start_char < f for s, f in filed)]
        actors = report_actors(doc, language)
        doc._.places, doc._.incident_places = place_mentions(text, work, entities, actors,
                                                      load_rules(_language(language)))
        doc._.actors = [m for m in actors if not any(p.start <= m.start and m.end <= p.end
                                                     and p.end - p.start > m.end - m.start for p in doc._.places)]
    return doc._.places, doc._.incident_places


def report_parses(doc: Doc, language: str) -> syntax.SentenceParses:
    """The dependency parses of the sentences that may tell an incident (an actor named, a trigger or a
    death word), made in one batch and kept with the Doc."""
    if "sahel_parses" not in doc.user_data:
        text = doc.text
        lang = _language(language)
        rules = load_rules(lang)
        actors = report_actors(doc, language)
        parses = syntax.SentenceParses(text, report_layout(doc)[1], lang)
        parses.prepare(lambda s, e: any(s <= m.start < e for m in actors) and (
            any(p.search(text, s, e) for r in rules.triggers for p in r.patterns) or death(lang).search(text, s, e)))
        doc.user_data["sahel_parses"] = parses
    return doc.user_data["sahel_parses"]


def report_dates(doc: Doc, language: str) -> dict:
    """{sentence start: [DateMention]} for the sentences with a trigger or a death (``sahel_dates``)."""
    if doc._.dates is None:
        triggers, figures = report_triggers(doc, language), report_figures(doc, language)
        parses = report_parses(doc, language)
        published = _published(doc)
        lang = _language(language)
        # "authorities scheduled to take over on Friday": a day still to come dates nothing
        doc._.dates = {s: [d for d in find_dates(sentence, published, s, parses.said_on, lang)
                           if not parses.in_future(d.start)]
                       for s, sentence in _sentences(doc)
                       if triggers.get(s) or any(f.kind == "killed" for f in figures.get(s, ()))}
    return doc._.dates


class _Step:
    """A component that fills one of the Doc's attributes with its ``report_*`` function (``fill``)."""

    fill: staticmethod

    def __init__(self, language: str):
        self.language = _language(language)

    def __call__(self, doc: Doc) -> Doc:
        if doc._.error is None:
            try:
                type(self).fill(doc, self.language)
            except Exception as exc:  # one report's failure must not stop a batch of thousands
                doc._.error = exc
        return doc


class TriggerFinder(_Step):
    """``sahel_triggers``: Doc._.triggers = {sentence start: [Trigger]}."""

    fill = staticmethod(report_triggers)


class TollFinder(_Step):
    """``sahel_tolls``: Doc._.figures = {sentence start: [Figure]}."""

    fill = staticmethod(report_figures)


class ActorFinder(_Step):
    """``sahel_actors``: Doc._.actors = the registry's actor mentions."""

    fill = staticmethod(report_actors)


class PlaceFinder(_Step):
    """``sahel_places``: Doc._.places, Doc._.incident_places = the place mentions."""

    fill = staticmethod(report_places)


class DateFinder(_Step):
    """``sahel_dates``: Doc._.dates = {sentence start: [DateMention]}."""

    fill = staticmethod(report_dates)


class EventExtractor(_Step):
    """``sahel_events``: Doc._.events = the report's events (Doc._.error when its extraction failed)."""

    def __call__(self, doc: Doc) -> Doc:
        from sahelwatch.extract.events import events_from_parsed
        from sahelwatch.model import Document

        report = doc._.report or Document(doc_id="", text=doc.text, language=self.language)
        doc._.events = []
        if doc._.error is None:
            try:
                doc._.events = events_from_parsed(report, doc, self.language)
            except Exception as exc:  # one report's failure must not stop a batch of thousands
                doc._.error = exc
        return doc


STEPS = {"sahel_triggers": TriggerFinder, "sahel_tolls": TollFinder, "sahel_actors": ActorFinder,
         "sahel_places": PlaceFinder, "sahel_dates": DateFinder, "sahel_events": EventExtractor}

for _pipe, _cls in STEPS.items():
    Language.factory(_pipe, default_config={"language": "en"},
                     func=lambda nlp, name, language, _cls=_cls: _cls(language))
