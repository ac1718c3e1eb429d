"""The private evaluation corpus (data/corpus/corpus_en.jsonl) is a valid gold file: every line parses,
every event carries the GOLD_FORMAT.md fields with codebook types, ISO dates and evidence quoted from
its own report. It says nothing about how well the extractor does (`sahelwatch evaluate` measures that)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sahelwatch import codebook

CORPUS = Path(__file__).parent / "data" / "corpus" / "corpus_en.jsonl"
DOC_FIELDS = {"doc_id", "source", "url", "published", "language", "text", "events"}
EVENT_FIELDS = {"salience", "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "actor2",
                "country", "admin1", "location", "latitude", "longitude", "fatalities", "injured",
                "civilian_targeting", "claimed", "evidence"}
LINES = CORPUS.read_text(encoding="utf-8").splitlines()
DOCS = [json.loads(line) for line in LINES if line.strip()]
EVENTS = [(d["doc_id"], i, e) for d in DOCS for i, e in enumerate(d["events"])]
EVENT_IDS = [f"{doc_id}#{i}" for doc_id, i, _ in EVENTS]


@pytest.mark.parametrize("number", range(1, len(LINES) + 1))
def test_every_line_is_one_json_article(number):
    doc = json.loads(LINES[number - 1])
    assert set(doc) >= DOC_FIELDS, f"line {number}: missing {DOC_FIELDS - set(doc)}"
    assert doc["language"] == "en"
    assert doc["url"].startswith("https://news.example.org/")
    dt.date.fromisoformat(doc["published"])


def test_doc_ids_are_unique_and_the_corpus_has_its_planned_shape():
    ids = [d["doc_id"] for d in DOCS]
    assert len(ids) == len(set(ids)) == 40
    assert sum(1 for d in DOCS if not d["events"]) == 4  # commentary, statements, threats: nothing to code
    assert sum(1 for d in DOCS if len(d["events"]) >= 2) >= 10


@pytest.mark.parametrize(("doc_id", "index", "event"), EVENTS, ids=EVENT_IDS)
def test_event_has_the_gold_fields_and_codebook_types(doc_id, index, event):
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


@pytest.mark.parametrize(("doc_id", "index", "event"), EVENTS, ids=EVENT_IDS)
def test_actors_are_alias_lists_with_a_canonical_name_first(doc_id, index, event):
    assert isinstance(event["actor1"], list) and event["actor1"], "actor1 names the side that acted"
    assert isinstance(event["actor2"], list)
    assert all(isinstance(name, str) and name for name in event["actor1"] + event["actor2"])
    if event["event_type"] == "Violence against civilians":
        assert event["actor2"][0].startswith("Civilians ("), "victims are always actor2"


@pytest.mark.parametrize(("doc_id", "index", "event"), EVENTS, ids=EVENT_IDS)
def test_event_happened_no_later_than_its_report_and_evidence_is_quoted_from_it(doc_id, index, event):
    doc = next(d for d in DOCS if d["doc_id"] == doc_id)
    assert event["event_date"] <= doc["published"]
    for piece in event["evidence"].split(" ... "):
        assert piece in doc["text"], f"{doc_id}: evidence not in the text: {piece[:60]!r}"
