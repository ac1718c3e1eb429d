"""Store.ingest: extraction + dedup + storage, idempotent and safe to interrupt (both backends)."""
from __future__ import annotations

import pytest

from sahelwatch.ingest.files import InputError
from sahelwatch.model import Document
from sahelwatch.store import Store


def reports(n: int) -> list[Document]:
    return [Document(f"r{i}", f"Report {i}: armed men attacked the village of Site{i} on Monday.") for i in range(n)]


def test_ingest_reports_what_it_did_and_is_idempotent(store):
    first = store.ingest(reports(5))
    assert (first.documents_seen, first.documents_added, first.documents_skipped) == (5, 5, 0)
    again = store.ingest(reports(5) + [Document("copy", reports(1)[0].text)])
    assert (again.documents_added, again.documents_skipped) == (0, 6)
    assert store.count_documents() == 5


def test_input_errors_are_reported_and_the_rest_is_stored(store):
    report = store.ingest([reports(1)[0], InputError("bad.jsonl", "invalid JSON", 3), reports(2)[1]])
    assert report.errors == ["bad.jsonl:3: invalid JSON"] and not report.ok
    assert report.documents_added == 2


def test_an_interrupted_ingest_keeps_what_it_committed_and_a_rerun_continues(store_url):
    docs = reports(7)

    def interrupted():
        for i, d in enumerate(docs):
            if i == 5:
                raise KeyboardInterrupt  # what Ctrl-C raises in the middle of a batch
            yield d

    with Store(store_url, batch_docs=2) as s, pytest.raises(KeyboardInterrupt):
        s.ingest(interrupted())
    with Store(store_url, batch_docs=2) as s:
        assert s.count_documents() == 4  # two whole batches committed, the third lost whole
        rerun = s.ingest(docs)
        assert (rerun.documents_added, rerun.documents_skipped) == (3, 4)
        assert s.count_documents() == 7
