"""The extractor as spaCy pipeline components registered by name (extract/components.py)."""
from __future__ import annotations

import datetime as dt

import pytest

from sahelwatch.model import Document
from sahelwatch.nlp import load_extractor

REPORTS = {
    "en": "NIAMEY (AFP) - Gunmen attacked an army post at Tera on Monday, killing seven soldiers, officials said.",
    "fr": "NIAMEY (AFP) - Des hommes armés ont attaqué lundi un poste de l'armée à Tera, tuant sept soldats.",
}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_extractor_is_a_spacy_pipeline_of_named_components(language):
    nlp = load_extractor(language)
    assert nlp.pipe_names[-6:] == ["sahel_triggers", "sahel_tolls", "sahel_actors", "sahel_places", "sahel_dates",
                                   "sahel_events"]
    text = REPORTS[language]
    doc = nlp.make_doc(text)
    doc._.report = Document(doc_id="t", text=text, published=dt.date(2024, 5, 22), language=language)
    doc = nlp(doc)
    (start,) = [s for s, found in doc._.triggers.items() if found]
    assert doc._.triggers[start][0].sub == "Attack"
    assert [f.value for fs in doc._.figures.values() for f in fs if f.kind == "killed"] == [7]
    assert [(e.location, e.event_date, e.fatalities) for e in doc._.events] == [("Tera", "2024-05-20", 7)]
    assert any(m.text == "Tera" for m in doc._.incident_places)
    assert any(m.category == "state_forces" for m in doc._.actors)
    assert [str(d.date) for ds in doc._.dates.values() for d in ds] == ["2024-05-20"]
    assert doc._.triggers[start][0].start == text.index("attacked" if language == "en" else "ont attaqué")


def test_a_report_whose_extraction_fails_keeps_its_error_and_no_events():
    nlp = load_extractor("en")
    text = REPORTS["en"]
    doc = nlp.make_doc(text)
    doc._.report = Document(doc_id="t", text=text, published="not a date")  # type: ignore[arg-type]
    doc = nlp(doc)
    assert doc._.events == [] and isinstance(doc._.error, AttributeError)


def test_the_pipeline_reads_events_from_the_components():
    from sahelwatch.extract.events import extract_from_docs

    text = REPORTS["en"]
    ((_doc, events),) = list(extract_from_docs([Document(doc_id="t", text=text, published=dt.date(2024, 5, 22))]))
    nlp = load_extractor("en")
    doc = nlp.make_doc(text)
    doc._.report = Document(doc_id="t", text=text, published=dt.date(2024, 5, 22))
    assert [e.to_dict() for e in events] == [e.to_dict() for e in nlp(doc)._.events]
