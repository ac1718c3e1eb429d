"""Whole reports written for the tests, in the styles news agencies use (datelines, headlines,
recalled incidents, claims), and what an analyst codes from each (data/reports/expected.yaml)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from sahelwatch.model import Document
from sahelwatch.pipeline import extract_many

DATA = Path(__file__).parent / "data" / "reports"
EXPECTED = yaml.safe_load((DATA / "expected.yaml").read_text(encoding="utf-8"))
PUBLISHED = dt.date(2024, 3, 7)


@pytest.fixture(scope="module")
def extracted() -> dict[str, list[dict]]:
    docs = [Document(doc_id=name, text=(DATA / f"{name}.txt").read_text(encoding="utf-8"), published=PUBLISHED)
            for name in EXPECTED]
    return {doc.doc_id: [e.to_dict() for e in evs] for doc, evs in extract_many(docs)}


def _fits(event: dict, want: dict) -> bool:
    for key, value in want.items():
        got = event.get(key)
        if key.startswith("actor"):
            if not str(got).startswith(value):
                return False
        elif got != value:
            return False
    return True


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_report_codes_as_an_analyst_would(name, extracted):
    events = extracted[name]
    assert len(events) == len(EXPECTED[name]), [(e["event_date"], e["sub_event_type"], e["location"]) for e in events]
    for want in EXPECTED[name]:
        assert any(_fits(e, want) for e in events), (want, events)
