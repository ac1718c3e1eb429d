"""sahelwatch.pipeline on long reports (issue 13, item 7): read in overlapping windows of paragraphs, one
event per incident however the windows fall, offsets into the whole report, bounded memory, a time
budget per report and a size limit shared with the CLI and the API."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newslike import CONTEXT, long_report, repeated_sentence
from sahelwatch.model import MAX_REPORT_BYTES, Document
from sahelwatch.pipeline import (
    OVERLAP_CHARS,
    WINDOW_CHARS,
    ExtractionError,
    ExtractionTimeout,
    ReportTooLarge,
    extract_events,
    extract_many,
    windows,
)

TESTS = Path(__file__).resolve().parent
PUBLISHED = dt.date(2024, 5, 22)
ATTACK = "Gunmen on motorbikes attacked the village of Tin-Akoff near Djibo on Monday, residents said."
TOLL = "Twelve civilians were killed in the attack and several houses were burned, a local official said."
FILLER = "\n\n".join(CONTEXT)  # analysis paragraphs that tell no incident


def _filler(n_chars: int) -> str:
    text = ""
    while len(text) < n_chars:
        text += FILLER + "\n\n"
    return text


@pytest.mark.parametrize("layout", ["news", "repeated sentence", "no sentence breaks", "no spaces", "only newlines"])
def test_windows_cover_the_text_in_bounded_overlapping_pieces(layout: str):
    text = {"news": lambda: long_report(200_000),
            "repeated sentence": lambda: repeated_sentence(3_000),
            "no sentence breaks": lambda: "word " * 40_000,
            "no spaces": lambda: "x" * 200_000,
            "only newlines": lambda: "\n" * 200_000}[layout]()
    spans = windows(text)
    assert spans[0][0] == 0 and spans[-1][1] == len(text)
    assert all(0 < e - s <= WINDOW_CHARS for s, e in spans)
    for (s1, e1), (s2, e2) in zip(spans, spans[1:]):
        assert s1 < s2 <= e1 < e2  # each window moves on, and starts inside the one before
        assert e1 - s2 <= OVERLAP_CHARS
    if layout == "news":  # windows start at a paragraph, and carry at least one over
        assert all(text[s - 1] == "\n" for s, _e in spans[1:])
        assert all(s2 < e1 for (_s1, e1), (s2, _e2) in zip(spans, spans[1:]))


def test_a_short_report_is_one_window():
    assert windows("Gunmen killed two people in Djibo on Monday.") == [(0, 44)]


def test_incident_told_across_a_paragraph_break_at_a_window_edge_is_one_event():
    # the attack ends the first window; its toll, in the next paragraph, only the second window sees
    size = WINDOW_CHARS - len(ATTACK) - 12  # the head, then the attack's paragraph, end just inside the window
    head = _filler(WINDOW_CHARS)
    head = head[:head.rfind("\n\n", 0, size - 200)]
    head += " " * (size - 2 - len(head)) + "\n\n"
    text = head + ATTACK + "\n\n" + TOLL + "\n\n" + _filler(30_000)
    a, t = text.index(ATTACK), text.index(TOLL)
    (s1, e1), (s2, e2) = windows(text)[:2]
    assert e1 < t + len(TOLL) and s2 <= a and t + len(TOLL) <= e2  # the layout the test is about

    events = extract_events(Document("long", text, published=PUBLISHED, language="en"))
    told = [e for e in events if any(a <= x.start < t + len(TOLL) for x in e.evidence)]
    assert len(told) == 1
    ev = told[0]
    assert (ev.location, ev.fatalities, ev.event_date) == ("Tin-Akoff", 12, "2024-05-20")
    assert sorted((x.start, x.end) for x in ev.evidence) == [(a, a + len(ATTACK)), (t, t + len(TOLL))]


def test_long_report_matches_reading_it_whole():
    """Windows give the events one pass over the whole text gives (here, 50 KB: small enough for both)."""
    from sahelwatch.extract.events import extract_from_docs

    text = long_report(50_000)
    windowed = extract_events(Document("long", text, published=PUBLISHED, language="en"))
    [(_doc, whole)] = list(extract_from_docs([Document("long", text, published=PUBLISHED, language="en")]))

    def key(e):
        return (e.event_date, e.location, e.actor1, e.actor2, e.sub_event_type, e.fatalities)

    assert len(whole) > 30
    assert len({key(e) for e in windowed} ^ {key(e) for e in whole}) <= 0.1 * len(whole)
    assert len({e.event_id for e in windowed}) == len(windowed)  # ids stay unique across windows
    spans = [(x.start, x.end) for e in windowed for x in e.evidence]
    assert len(spans) == len(set(spans))  # no sentence counted in two events
    for e in windowed:  # evidence offsets point into the whole report
        assert all(text[x.start:x.end].strip() == x.text for x in e.evidence)


MEASURE = r"""
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from newslike import long_report
from sahelwatch.model import Document
from sahelwatch.pipeline import extract_events
text = long_report(int(sys.argv[2]))
t0 = time.perf_counter()
events = extract_events(Document("long", text, language="en"))
# this process's own peak: ru_maxrss would also count the (large) pytest process it was forked from
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
peak_kb = int(status["VmHWM"].split()[0]) if "VmHWM" in status else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"events": len(events), "seconds": time.perf_counter() - t0, "peak_mb": peak_kb / 1024}))
"""


def test_peak_memory_of_a_long_report_stays_bounded():
    # 400 KB took 1.47 GB before reports were read in windows; 2 MB must stay under 600 MB
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(TESTS), "400000"], capture_output=True, text=True,
                          timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    figures = json.loads(proc.stdout.splitlines()[-1])
    assert figures["events"] > 100
    assert figures["peak_mb"] < 450, figures


def test_time_budget_stops_a_pathological_report_with_an_error_naming_it():
    text = repeated_sentence(20_000)  # one sentence, 1.3 MB, no paragraph break
    t0 = time.monotonic()
    with pytest.raises(ExtractionTimeout) as caught:
        extract_events(Document("loop", text, language="en"), budget=2.0)
    assert time.monotonic() - t0 < 30
    message = str(caught.value)
    assert message.startswith("loop: extraction stopped after") and "budget" in message and "\n" not in message


def test_one_report_over_budget_does_not_stop_the_others():
    docs = [Document("loop", repeated_sentence(20_000), language="en"),
            Document("ok", ATTACK + "\n\n" + TOLL, published=PUBLISHED, language="en")]
    failed: list[ExtractionError] = []
    out = list(extract_many(docs, budget=2.0, on_error=failed.append))
    assert [d.doc_id for d, _evs in out] == ["ok"] and out[0][1][0].fatalities == 12
    assert [e.doc_id for e in failed] == ["loop"] and isinstance(failed[0], ExtractionTimeout)


def test_report_over_the_size_limit_is_refused_before_parsing():
    text = "Gunmen killed two people in Djibo on Monday. " * (MAX_REPORT_BYTES // 40)
    t0 = time.monotonic()
    with pytest.raises(ReportTooLarge, match=r"^huge: report too large \(2\.\d MB > 2\.0 MB\)"):
        extract_events(Document("huge", text))
    assert time.monotonic() - t0 < 5


def test_cli_names_the_report_over_budget_and_extracts_the_rest(tmp_path: Path):
    (tmp_path / "loop.txt").write_text(repeated_sentence(20_000), encoding="utf-8")
    (tmp_path / "ok.txt").write_text(ATTACK + "\n\n" + TOLL + "\n", encoding="utf-8")
    exe = Path(sys.executable).with_name("sahelwatch")
    env = {**__import__("os").environ, "SAHELWATCH_TIME_BUDGET": "2"}
    res = subprocess.run([str(exe), "extract", str(tmp_path / "loop.txt"), str(tmp_path / "ok.txt"),
                          "--published", "2024-05-22"], capture_output=True, text=True, timeout=300, env=env)
    assert res.returncode == 1
    assert [json.loads(line)["doc_id"] for line in res.stdout.splitlines()] == ["ok"]
    lines = res.stderr.strip().splitlines()
    assert lines[0].startswith("sahelwatch: error: loop: extraction stopped after") and "Traceback" not in res.stderr
