"""sahelwatch.service.ingest_documents: extraction + dedup + storage, idempotent and safe to interrupt (both backends)."""
from __future__ import annotations

from pathlib import Path

import pytest

from sahelwatch.ingest.files import InputError
from sahelwatch.model import Document
from sahelwatch.service import ingest_documents
from sahelwatch.store import Store


def reports(n: int) -> list[Document]:
    return [Document(f"r{i}", f"Report {i}: armed men attacked the village of Site{i} on Monday.") for i in range(n)]


def test_ingest_reports_what_it_did_and_is_idempotent(store):
    first = ingest_documents(store, reports(5))
    assert (first.documents_seen, first.documents_added, first.documents_skipped) == (5, 5, 0)
    again = ingest_documents(store, reports(5) + [Document("copy", reports(1)[0].text)])
    assert (again.documents_added, again.documents_skipped) == (0, 6)
    assert store.count_documents() == 5


def test_input_errors_are_reported_and_the_rest_is_stored(store):
    report = ingest_documents(store, [reports(1)[0], InputError("bad.jsonl", "invalid JSON", 3), reports(2)[1]])
    assert report.errors == ["bad.jsonl:3: invalid JSON"] and not report.ok
    assert report.documents_added == 2


def test_an_interrupted_ingest_keeps_what_it_committed_and_a_rerun_continues(store_url):
    docs = reports(100)

    def interrupted():
        for i, d in enumerate(docs):
            if i == 90:
                raise KeyboardInterrupt  # what Ctrl-C raises in the middle of a batch
            yield d

    with Store(store_url, batch_docs=2) as s, pytest.raises(KeyboardInterrupt):
        ingest_documents(s, interrupted())
    with Store(store_url, batch_docs=2) as s:
        kept = s.count_documents()  # whole batches only; the extractor reads ahead, so fewer than 90
        assert 0 < kept < 90 and kept % 2 == 0
        rerun = ingest_documents(s, docs)
        assert (rerun.documents_added, rerun.documents_skipped) == (100 - kept, kept)
        assert s.count_documents() == 100


def test_dev_reports_ingested_twice_and_under_other_ids_leave_the_event_count_unchanged(store, shared_eval,
                                                                                         tmp_path):
    import json

    from sahelwatch.ingest import read_inputs

    files = sorted(str(p) for p in shared_eval.glob("dev_*.jsonl"))
    first = ingest_documents(store, list(read_inputs(files)))
    assert first.ok and first.documents_added > 0 and first.events_extracted > 0
    events, docs = store.count_events(), store.count_documents()
    assert ingest_documents(store, list(read_inputs(files))).documents_added == 0
    renamed = tmp_path / "renamed.jsonl"
    with renamed.open("w", encoding="utf-8") as out:
        for f in files:
            for line in Path(f).read_text("utf-8").splitlines():
                if line.strip():
                    obj = json.loads(line)
                    obj["doc_id"] = "copy-" + obj["doc_id"]
                    out.write(json.dumps(obj) + "\n")
    third = ingest_documents(store, list(read_inputs([str(renamed)])))
    assert third.documents_added == 0 and third.documents_skipped == first.documents_added
    assert (store.count_events(), store.count_documents()) == (events, docs)


def test_two_outlets_reporting_one_attack_make_one_event_with_both_sources(store):
    """End to end through the real extractor: other words, other figures, the same incident."""
    import datetime as dt

    wire = Document("wire", "Jihadists kill nine soldiers in western Niger\n\nSuspected jihadists attacked an army "
                    "post in Ouallam in Niger's Tillaberi region on Monday, killing nine soldiers, the defence "
                    "ministry said.", published=dt.date(2024, 5, 22), source="Reuters", language="en")
    local = Document("local", "Army post attacked near Ouallam\n\nGunmen on motorcycles stormed a military "
                     "position in Ouallam, Tillaberi region, on Monday. Seven soldiers were killed and several "
                     "others wounded, a security source said.", published=dt.date(2024, 5, 21), source="ActuNiger",
                     language="en")
    report = ingest_documents(store, [wire, local])
    assert (report.events_extracted, report.events_added, report.events_linked) == (2, 1, 1)
    [event] = store.query_events()
    assert event["location"] == "Ouallam" and event["event_date"] == "2024-05-20"
    assert (event["fatalities"], event["fatalities_min"], event["fatalities_max"]) == (7, 7, 9)
    assert event["source_count"] == 2 and event["source_scale"] == "National-International"
    assert {s["doc_id"] for s in store.get_event(event["event_id"])["sources"]} == {"wire", "local"}
