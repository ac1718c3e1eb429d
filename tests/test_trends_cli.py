"""`sahelwatch trends`, `alerts` and `interactions` on JSON Lines event files written here."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sahelwatch.cli import main

JNIM = "JNIM: Group for Support of Islam and Muslims"
FAMA = "Military Forces of Mali (2021-)"


def ev(date: str, **fields) -> dict:
    base = {"event_date": date, "country": "Mali", "admin1": "Mopti", "admin2": "Djenne", "actor1": JNIM,
            "actor2": FAMA, "event_type": "Battles", "sub_event_type": "Armed clash", "fatalities": 1,
            "civilian_targeting": False, "inter1": 2, "inter2": 1}
    base.update(fields)
    return base


def history() -> list[dict]:
    """18 months of 5 battles a month in Mopti, then a month of 30, an air strike on civilians (on a
    day without a battle, so that a store does not fold it into one) and JNIM reaching Agadez."""
    out = []
    for m in range(18):
        y, mo = divmod(m, 12)
        out += [ev(dt.date(2023 + y, mo + 1, 3 + k).isoformat()) for k in range(5)]
    out += [ev(f"2024-07-{1 + k % 28:02d}") for k in range(30)]
    out.append(ev("2024-07-30", actor1=FAMA, inter1=1, actor2="Civilians (Mali)", inter2=7, fatalities=8,
                  event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", civilian_targeting=True))
    out.append(ev("2024-07-20", country="Niger", admin1="Agadez", admin2="Arlit", actor2="", status="verified"))
    out.append(ev("2024-07-21", country="Niger", admin1="Agadez", admin2="Arlit", status="rejected", fatalities=50))
    return out


@pytest.fixture()
def events_file(tmp_path: Path) -> Path:
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in history()), encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


@pytest.mark.parametrize(("by", "key", "expected"), [
    ("admin1", ("Mopti", "2024-07"), 31),
    ("admin1", ("Agadez", "2024-07"), 1),  # the rejected event does not count
    ("country", ("Mali", "2023-01"), 5),
    ("actor", (FAMA, "2024-07"), 31),
    ("event_type", ("Explosions/Remote violence", "2024-07"), 1),
])
def test_trends_counts_events_per_key_and_month(events_file, by, key, expected):
    result = run("trends", "--events", str(events_file), "--by", by, "--format", "jsonl")
    assert result.exit_code == 0
    rows = {(r[by], r["period"]): r for r in jsonl(result.output)}
    assert rows[key]["events"] == expected


@pytest.mark.parametrize(("verb", "country", "rows"), [
    ("trends", "Niger", 1), ("trends", "Mali", 19), ("trends", "Chad", 0), ("interactions", "Niger", 0)])
def test_trends_and_interactions_for_one_country(events_file, verb, country, rows):
    result = run(verb, "--events", str(events_file), "--country", country, "--format", "jsonl")
    assert result.exit_code == 0
    assert len(jsonl(result.output)) == rows


def test_trends_by_week_and_as_csv(events_file):
    result = run("trends", "--events", str(events_file), "--by", "country", "--period", "week", "--format", "csv")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "country,period,events,fatalities,civilian_events,civilian_fatalities"
    assert "Mali,2023-W01,5,5,0,0" in lines


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_trends_plot_writes_a_chart(events_file, tmp_path, suffix):
    chart = tmp_path / f"mopti{suffix}"
    result = run("trends", "--events", str(events_file), "--plot", str(chart), "--by", "admin1")
    assert result.exit_code == 0
    assert chart.stat().st_size > 5000
    assert "Mopti" in result.output


def test_alerts_lists_each_rule_with_its_numbers(events_file):
    result = run("alerts", "--events", str(events_file), "--format", "jsonl")
    assert result.exit_code == 0
    alerts = jsonl(result.output)
    rules = {(a["rule"], a["admin1"], a["period"]) for a in alerts}
    assert ("escalation", "Mopti", "2024-07") in rules
    assert ("state_violence_against_civilians", "Mopti", "2024-07") in rules
    assert ("new_area", "Agadez", "2024-07") in rules
    escalation = next(a for a in alerts if a["rule"] == "escalation" and a["level"] == "admin1"
                      and a["metric"] == "events")
    assert escalation["observed"] == 31 and escalation["baseline"] == 5 and escalation["p_value"] < 0.005


def test_alerts_since_and_rule_filter(events_file):
    result = run("alerts", "--events", str(events_file), "--since", "2024-08-01", "--format", "jsonl")
    assert result.exit_code == 0 and jsonl(result.output) == []
    result = run("alerts", "--events", str(events_file), "--rule", "new_area", "--format", "jsonl")
    assert {a["rule"] for a in jsonl(result.output)} == {"new_area"}


def test_alerts_table_shows_the_area_and_rule(events_file):
    result = run("alerts", "--events", str(events_file))
    assert result.exit_code == 0
    assert "escalation" in result.output and "Agadez, Niger" in result.output


def test_interactions_counts_who_fights_whom(events_file):
    result = run("interactions", "--events", str(events_file), "--format", "jsonl", "--since", "2024-07-01")
    assert result.exit_code == 0
    rows = {(r["actor1"], r["actor2"]): r["events"] for r in jsonl(result.output)}
    assert rows == {(JNIM, FAMA): 30, (FAMA, "Civilians (Mali)"): 1}


@pytest.mark.parametrize(("content", "message"), [
    ('{"event_date": "2024-01-01"}\nnot json\n', "events.jsonl:2: not a JSON object"),
    ('{"event_date": "2024-01-01"}\n[1, 2]\n', "events.jsonl:2: not a JSON object"),
    ('{"country": "Mali"}\n', "events.jsonl:1: event has no event_date"),
    ('{"event_date": "01/02/2024", "event_id": "X1"}\n', "event 'X1': event_date '01/02/2024' is not an ISO date"),
])
def test_bad_event_files_give_one_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "events.jsonl"
    path.write_text(content, encoding="utf-8")
    proc = subprocess.run([str(Path(sys.executable).parent / "sahelwatch"), "alerts", "--events", str(path)],
                          check=False, capture_output=True, text=True)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [["alerts", "--since", "last week"], ["trends", "--plot", "chart.jpg"]])
def test_bad_options_are_refused(events_file, args):
    result = CliRunner().invoke(main, [*args, "--events", str(events_file)])
    assert result.exit_code == 2


def test_a_missing_events_file_is_named(tmp_path):
    result = CliRunner().invoke(main, ["trends", "--events", str(tmp_path / "none.jsonl")])
    assert result.exit_code == 2
    assert "none.jsonl: cannot read" in result.output


def test_alerts_and_trends_read_the_store_given_by_db(tmp_path, events_file):
    store_module = pytest.importorskip("sahelwatch.store", reason="the event store is not on this branch yet")
    from sahelwatch.model import Document, Event

    url = f"sqlite:///{tmp_path / 'events.db'}"
    rows = [json.loads(line) for line in events_file.read_text(encoding="utf-8").splitlines()]
    store = store_module.Store(url)
    try:
        for i, row in enumerate(rows):
            status = row.pop("status", None)
            doc = Document(doc_id=f"doc{i}", text=f"Report {i} written for this test.", published=None)
            (event_id,) = store.add_extracted(doc, [Event.from_dict({**row, "event_id": f"E{i}", "doc_id": doc.doc_id})])
            if status == "rejected":
                store.update_event(event_id, {"status": "rejected"}, "test")
        exported = tmp_path / "exported.jsonl"
        exported.write_text("".join(json.dumps(e, default=str) + "\n" for e in store.iter_events()), encoding="utf-8")
    finally:
        store.close()
    for verb in (["alerts", "--format", "jsonl"], ["trends", "--by", "admin1", "--format", "jsonl"]):
        from_db = run(*verb, "--db", url)
        from_file = run(*verb, "--events", str(exported))
        assert from_db.exit_code == 0 and from_db.output == from_file.output
    alerts = jsonl(run("alerts", "--db", url, "--format", "jsonl").output)
    assert any(a["rule"] == "state_violence_against_civilians" for a in alerts)
    assert not any(a["admin1"] == "Agadez" and a["observed"] > 1 for a in alerts)  # the rejected event is out


def test_an_unreadable_database_is_named(tmp_path):
    pytest.importorskip("sahelwatch.store", reason="the event store is not on this branch yet")
    result = CliRunner().invoke(main, ["alerts", "--db", "nosuchdriver://x/y"])
    assert result.exit_code == 2
    assert "nosuchdriver://x/y: cannot read events" in result.output


def test_alerts_say_how_many_new_area_alerts_were_held_back_on_a_sparse_history(tmp_path):
    # Three battles in Mopti over two years, then JNIM in Segou: too little coverage to call it new.
    sparse = [ev("2022-01-10"), ev("2022-08-10"), ev("2023-05-10"), ev("2023-10-14", admin1="Segou", admin2="Macina")]
    path = tmp_path / "sparse.jsonl"
    path.write_text("".join(json.dumps(e) + "\n" for e in sparse), encoding="utf-8")
    result = run("alerts", "--events", str(path), "--rule", "new_area", "--format", "jsonl")
    assert result.exit_code == 0 and jsonl(result.stdout) == []
    assert "new area/actor alert(s) held back: the database had events in fewer than 8 of the 12 months" in result.stderr
