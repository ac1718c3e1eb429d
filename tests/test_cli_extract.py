"""End-to-end: `sahelwatch extract` and `evaluate` as a user runs them, on reports written for the tests."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from sahelwatch.model import ACLED_COLUMNS

AMBUSH = """Gunmen kill eight soldiers in western Niger

Suspected jihadists ambushed an army patrol near Ouallam in Niger's Tillaberi region on Monday, killing eight soldiers \
and wounding five, the defence ministry said on Tuesday.

The attackers fled on motorcycles towards the border with Mali, the ministry said.
"""
KIDNAP = """Armed men abducted 14 women collecting firewood outside Djibo in northern Burkina Faso on Saturday, \
residents said.

The women were taken by gunmen who arrived on motorcycles, a local official said on Monday.
"""


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("sahelwatch")
    return subprocess.run([str(exe), *args], input=stdin, capture_output=True, timeout=300)


@pytest.fixture()
def reports(tmp_path: Path) -> Path:
    (tmp_path / "ambush.txt").write_text(AMBUSH, encoding="utf-8")
    (tmp_path / "kidnap.md").write_text(KIDNAP, encoding="utf-8")
    return tmp_path


def test_extract_directory_to_jsonl(reports: Path):
    res = run("extract", str(reports), "--published", "2024-05-22")
    assert res.returncode == 0, res.stderr.decode()
    events = [json.loads(line) for line in res.stdout.decode().splitlines()]
    ambush = [e for e in events if e["doc_id"] == "ambush"]
    assert len(ambush) == 1
    ev = ambush[0]
    assert ev["event_type"] == "Battles" and ev["sub_event_type"] == "Armed clash"
    assert ev["event_date"] == "2024-05-20" and ev["time_precision"] == 1
    assert ev["country"] == "Niger" and ev["fatalities"] == 8 and ev["injured"] == 5
    assert ev["actor1"].startswith("Unidentified Armed Group (Niger)")
    assert ev["actor2"].startswith("Military Forces of Niger")
    assert ev["interaction"] == 13
    # every field traceable: the evidence spans point into the report
    for span in ev["evidence"]:
        assert AMBUSH[span["start"]:span["end"]].strip() == span["text"]
    kidnap = [e for e in events if e["doc_id"] == "kidnap"]
    assert kidnap and kidnap[0]["sub_event_type"] == "Abduction/forced disappearance"
    assert kidnap[0]["actor2"].startswith("Civilians (Burkina Faso)") and kidnap[0]["civilian_targeting"]


def test_csv_starts_with_acled_columns_in_order(reports: Path, tmp_path: Path):
    out = tmp_path / "events.csv"
    res = run("extract", str(reports / "ambush.txt"), "--published", "2024-05-22", "--format", "csv", "-o", str(out))
    assert res.returncode == 0, res.stderr.decode()
    header = next(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert header[:31] == list(ACLED_COLUMNS)


def test_geojson_is_a_feature_collection(reports: Path):
    res = run("extract", str(reports / "ambush.txt"), "--published", "2024-05-22", "--format", "geojson")
    data = json.loads(res.stdout)
    assert data["type"] == "FeatureCollection" and data["features"]
    lon, lat = data["features"][0]["geometry"]["coordinates"]
    assert 0 < lon < 5 and 12 < lat < 16


def test_stdin_and_jsonl(tmp_path: Path):
    res = run("extract", "-", "--published", "2024-05-22", stdin=AMBUSH.encode())
    assert res.returncode == 0 and json.loads(res.stdout.splitlines()[0])["fatalities"] == 8
    jl = tmp_path / "a.jsonl"
    jl.write_text(json.dumps({"doc_id": "x1", "text": AMBUSH, "published": "2024-05-22"}) + "\n", encoding="utf-8")
    res = run("extract", str(jl))
    assert res.returncode == 0 and json.loads(res.stdout.splitlines()[0])["doc_id"] == "x1"


def test_bad_inputs_are_named_and_the_rest_still_processed(tmp_path: Path, reports: Path):
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    (tmp_path / "latin1.txt").write_bytes(AMBUSH.replace("Gunmen", "Gunmen à").encode("cp1252"))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "ok", "text": "Nothing happened.", "published": "2024-01-01"}\n{not json\n'
                   '{"doc_id": "d", "text": "x", "published": "yesterday"}\n', encoding="utf-8")
    res = run("extract", str(tmp_path / "empty.txt"), str(tmp_path / "binary.txt"), str(bad),
              str(tmp_path / "latin1.txt"), str(tmp_path / "missing.txt"), "--published", "2024-05-22")
    err = res.stderr.decode()
    assert res.returncode == 1
    assert "empty.txt: empty file" in err
    assert "binary.txt: binary file" in err
    assert "bad.jsonl:2: invalid JSON" in err
    assert "bad.jsonl:3: invalid 'published' date" in err
    assert "missing.txt: no such file" in err
    assert "Traceback" not in err
    # the cp1252 report was still read and extracted
    assert any(json.loads(line)["doc_id"] == "latin1" for line in res.stdout.decode().splitlines())


def test_huge_input_is_refused_quickly(tmp_path: Path):
    big = tmp_path / "big.txt"
    with big.open("w", encoding="utf-8") as fh:
        line = "Gunmen attacked a village near Djibo on Monday, killing three people. " * 20 + "\n"
        while fh.tell() < 50_000_000:
            fh.write(line)
    res = run("extract", str(big))
    assert res.returncode == 1 and b"too large for one report" in res.stderr


def test_evaluate_scores_a_gold_file(tmp_path: Path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc_id": "g1", "text": AMBUSH, "published": "2024-05-22", "events": [{
        "salience": "main", "event_date": "2024-05-20", "time_precision": 1, "event_type": "Battles",
        "sub_event_type": "Armed clash", "actor1": ["Unidentified Armed Group (Niger)"],
        "actor2": ["Military Forces of Niger"], "country": "Niger", "admin1": "Tillaberi", "location": "Ouallam",
        "latitude": 14.32, "longitude": 2.09, "fatalities": 8, "claimed": False}]}) + "\n", encoding="utf-8")
    res = run("evaluate", str(gold))
    out = res.stdout.decode()
    assert res.returncode == 0
    assert "main events: P 1.00 R 1.00 F1 1.00" in out
    res = run("evaluate", str(gold), "--json")
    summary = json.loads(res.stdout)
    assert summary["field_accuracy"]["fatalities"] == 1.0 and summary["strict_f1"] == 1.0


def test_user_actor_file_names_a_new_group(tmp_path: Path):
    actors = tmp_path / "mine.yaml"
    actors.write_text('actors:\n  - name: "Katiba Example Group"\n    short: KEG\n    inter: 2\n'
                      '    aliases: [Katiba Example]\n', encoding="utf-8")
    text = "Katiba Example fighters attacked soldiers near Djibo in Burkina Faso on Monday, killing five soldiers."
    res = run("extract", "-", "--published", "2024-05-22", "--actors", str(actors), stdin=text.encode())
    assert res.returncode == 0, res.stderr.decode()
    assert json.loads(res.stdout.splitlines()[0])["actor1"] == "Katiba Example Group"


def test_malformed_actor_file_is_one_line_error(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("actors:\n  - short: X\n", encoding="utf-8")
    res = run("extract", "-", "--actors", str(bad), stdin=b"Gunmen killed two people in Djibo on Monday.")
    err = res.stderr.decode()
    assert res.returncode == 2 and "bad.yaml" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


HTML = """<!doctype html><html><head><title>Gunmen kill eight soldiers in western Niger</title>
<meta property="article:published_time" content="2024-05-22T09:30:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/africa">Africa</a></nav>
<article><h1>Gunmen kill eight soldiers in western Niger</h1>
<p>Suspected jihadists ambushed an army patrol near Ouallam in Niger's Tillaberi region on Monday, killing eight
soldiers and wounding five, the defence ministry said on Tuesday.</p>
<p>The attackers fled on motorcycles towards the border with Mali, the ministry said. The patrol had left its base
at dawn to escort traders to the weekly market, residents told reporters.</p></article>
<footer>Subscribe to our newsletter</footer></body></html>"""


def test_html_page_text_and_publication_date(tmp_path: Path):
    page = tmp_path / "page.html"
    page.write_text(HTML, encoding="utf-8")
    res = run("extract", str(page))  # no --published: the page's own date resolves "on Monday"
    assert res.returncode == 0, res.stderr.decode()
    (ev,) = [json.loads(line) for line in res.stdout.decode().splitlines()]
    assert ev["event_date"] == "2024-05-20" and ev["fatalities"] == 8
    assert all("Subscribe" not in span["text"] for span in ev["evidence"])


def test_an_output_in_a_missing_directory_is_one_line(reports: Path, tmp_path: Path):
    res = run("extract", str(reports / "ambush.txt"), "-o", str(tmp_path / "missing" / "dir" / "out.jsonl"))
    assert res.returncode == 2
    assert res.stderr.decode().splitlines() == [
        f"sahelwatch: error: cannot write {tmp_path / 'missing' / 'dir' / 'out.jsonl'}: No such file or directory"]


def test_an_html_page_without_text_and_a_bad_jsonl_line_are_one_clean_line_each(tmp_path: Path):
    (tmp_path / "empty.html").write_text("<!doctype html><html><head><title>x</title></head><body></body></html>",
                                         encoding="utf-8")
    (tmp_path / "bad.jsonl").write_text('{"text": "a\x01b"}\n', encoding="utf-8")
    res = run("extract", str(tmp_path / "empty.html"), str(tmp_path / "bad.jsonl"))
    assert res.returncode == 1
    assert res.stderr.decode().splitlines() == [
        f"sahelwatch: error: {tmp_path / 'empty.html'}: HTML page has no article text that could be extracted",
        f"sahelwatch: error: {tmp_path / 'bad.jsonl'}:1: invalid JSON (Invalid control character at column 12)",
        "sahelwatch: error: 2 input(s) could not be read or extracted"]


def test_a_lone_surrogate_in_jsonl_is_read_as_a_replacement_character(tmp_path: Path):
    line = json.dumps({"doc_id": "s", "title": "Djibo \ud800", "published": "2024-05-22",
                       "text": "Gunmen killed five villagers in Djibo\ud800 on Monday, residents said."})
    (tmp_path / "s.jsonl").write_text(line + "\n", encoding="utf-8")  # json.dumps escapes it: \\ud800
    res = run("extract", str(tmp_path / "s.jsonl"))
    assert res.returncode == 0, res.stderr.decode()
    [event] = [json.loads(x) for x in res.stdout.decode().splitlines()]
    assert event["fatalities"] == 5 and "Djibo\ufffd on Monday" in event["evidence"][0]["text"]
