"""The private evaluation corpora (data/corpus/*.jsonl) are valid gold files: every line parses, every
event carries the GOLD_FORMAT.md fields with codebook types, ISO dates and evidence quoted from its own
report. They say nothing about how well the extractor does (`sahelwatch evaluate` measures that)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sahelwatch import codebook

DIR = Path(__file__).parent / "data" / "corpus"
# file -> (language, articles, articles with nothing to code, minimum articles with two or more events)
PLANNED = {"corpus_en.jsonl": ("en", 40, 4, 10),
           "corpus2_en.jsonl": ("en", 24, 3, 6),
           "corpus2_fr.jsonl": ("fr", 8, 0, 2)}
DOC_FIELDS = {"doc_id", "source", "url", "published", "language", "text", "events"}
EVENT_FIELDS = {"salience", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
                "country", "admin1", "location", "latitude", "longitude", "fatalities", "injured",
                "civilian_targeting", "claimed", "evidence"}
LINES = {name: (DIR / name).read_text(encoding="utf-8").splitlines() for name in PLANNED}
DOCS = {name: [json.loads(line) for line in lines if line.strip()] for name, lines in LINES.items()}
NUMBERED_LINES = [(name, number) for name, lines in LINES.items() for number in range(1, len(lines) + 1)]
EVENTS = [(name, d["doc_id"], i, e) for name, docs in DOCS.items() for d in docs for i, e in enumerate(d["events"])]
EVENT_IDS = [f"{name}:{doc_id}#{i}" for name, doc_id, i, _ in EVENTS]


@pytest.mark.parametrize(("name", "number"), NUMBERED_LINES, ids=[f"{n}:{k}" for n, k in NUMBERED_LINES])
def test_every_line_is_one_json_article(name, number):
    doc = json.loads(LINES[name][number - 1])
    assert set(doc) >= DOC_FIELDS, f"{name} line {number}: missing {DOC_FIELDS - set(doc)}"
    assert doc["language"] == PLANNED[name][0]
    assert doc["url"].startswith("https://news.example.org/")
    dt.date.fromisoformat(doc["published"])


@pytest.mark.parametrize("name", PLANNED)
def test_doc_ids_are_unique_and_the_corpus_has_its_planned_shape(name):
    _language, articles, empty, multi = PLANNED[name]
    ids = [d["doc_id"] for d in DOCS[name]]
    assert len(ids) == len(set(ids)) == articles
    assert sum(1 for d in DOCS[name] if not d["events"]) == empty  # commentary, statements: nothing to code
    assert sum(1 for d in DOCS[name] if len(d["events"]) >= 2) >= multi


def test_doc_ids_are_unique_across_the_corpora():
    ids = [d["doc_id"] for docs in DOCS.values() for d in docs]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize(("name", "doc_id", "index", "event"), EVENTS, ids=EVENT_IDS)
def test_event_has_the_gold_fields_and_codebook_types(name, doc_id, index, event):
    assert set(event) == EVENT_FIELDS
    codebook.check(event["event_type"], event["sub_event_type"])
    assert event["salience"] in {"main", "background"}
    assert event["time_precision"] in {1, 2, 3}
    assert dt.date.fromisoformat(event["event_date"]).isoformat() == event["event_date"]
    assert isinstance(event["fatalities"], int) and event["fatalities"] >= 0
    assert event["injured"] is None or (isinstance(event["injured"], int) and event["injured"] >= 0)
    assert isinstance(event["civilian_targeting"], bool) and isinstance(event["claimed"], bool)
    assert (event["latitude"] is None) == (event["longitude"] is None)
    assert event["country"] and event["admin1"] and event["location"]


@pytest.mark.parametrize(("name", "doc_id", "index", "event"), EVENTS, ids=EVENT_IDS)
def test_actors_are_alias_lists_with_a_canonical_name_first(name, doc_id, index, event):
    assert isinstance(event["actor1"], list) and event["actor1"], "actor1 names the side that acted"
    assert isinstance(event["actor2"], list)
    assert all(isinstance(actor, str) and actor for actor in event["actor1"] + event["actor2"])
    if event["event_type"] == "Violence against civilians":
        assert event["actor2"][0].startswith("Civilians ("), "victims are always actor2"


@pytest.mark.parametrize(("name", "doc_id", "index", "event"), EVENTS, ids=EVENT_IDS)
def test_event_happened_no_later_than_its_report_and_evidence_is_quoted_from_it(name, doc_id, index, event):
    doc = next(d for d in DOCS[name] if d["doc_id"] == doc_id)
    assert event["event_date"] <= doc["published"]
    for piece in event["evidence"].split(" ... "):
        assert piece in doc["text"], f"{doc_id}: evidence not in the text: {piece[:60]!r}"
