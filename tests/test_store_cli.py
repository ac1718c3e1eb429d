"""`sahelwatch ingest | watch | events | export` on SQLite and on PostgreSQL + PostGIS."""
from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from sahelwatch.cli import main
from sahelwatch.model import ACLED_COLUMNS, Document, Event
from sahelwatch.store import Store

REPORT_A = "Gunmen attacked a gendarmerie post near Makalondi on Monday, killing three gendarmes, officials said."
REPORT_B = "Soldiers repelled an assault on their base at Boulkessi on Sunday; the army said ten attackers died."


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def reports(tmp_path):
    d = tmp_path / "reports"
    d.mkdir()
    (d / "makalondi.txt").write_text(REPORT_A, "utf-8")
    (d / "boulkessi.md").write_text(REPORT_B, "utf-8")
    return d


def test_ingest_stores_documents_and_a_rerun_adds_nothing(store_url, reports):
    first = run("ingest", str(reports), "--db", store_url, "--published", "2024-05-21")
    assert first.exit_code == 0, first.output
    assert "2 document(s) added, 0 already stored" in first.output
    again = run("ingest", str(reports), "--db", store_url)
    assert again.exit_code == 0 and "0 document(s) added, 2 already stored" in again.output
    with Store(store_url) as s:
        assert s.count_documents() == 2
        assert s.get_document("makalondi")["published"] == "2024-05-21"


def test_the_same_text_under_another_doc_id_is_not_stored_twice(store_url, tmp_path):
    gold = tmp_path / "a.jsonl"
    gold.write_text(json.dumps({"doc_id": "one", "text": REPORT_A, "published": "2024-05-21"}) + "\n"
                    + json.dumps({"doc_id": "two", "text": REPORT_A + "  \n", "published": "2024-05-21"}) + "\n",
                    "utf-8")
    result = run("ingest", str(gold), "--db", store_url)
    assert result.exit_code == 0 and "1 document(s) added, 1 already stored" in result.output
    with Store(store_url) as s:
        assert s.count_documents() == 1 and s.get_document("two") is None


def test_bad_inputs_are_named_one_line_each_and_the_rest_is_stored(store_url, reports, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "x", "text": "Fighting near Tera."}\nnot json\n', "utf-8")
    result = CliRunner().invoke(main, ["ingest", str(reports), str(bad), str(tmp_path / "absent.txt"),
                                       "ftp://example.org/r.txt", "--db", store_url])
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("sahelwatch: error:")]
    assert any("bad.jsonl:2" in e and "invalid JSON" in e for e in errors)
    assert any("absent.txt" in e and "no such file" in e for e in errors)
    assert any("ftp://example.org/r.txt" in e and "only http(s)" in e for e in errors)
    assert "Traceback" not in result.output
    with Store(store_url) as s:
        assert s.count_documents() == 3  # two reports and the good line of bad.jsonl


def test_ingest_and_watch_fetch_pages_and_feeds(store_url, tmp_path):
    import functools
    import http.server
    import threading

    root = tmp_path / "www"
    root.mkdir()
    body = "<html><head><title>Clash at {0}</title></head><body><article><p>" + (
        "Fighting broke out near {0} on Monday between soldiers and armed men, residents said. " * 6) + (
        "</p></article></body></html>")
    for town in ("Tera", "Inates", "Ayorou"):
        (root / f"{town}.html").write_text(body.format(town), "utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
        http.server.SimpleHTTPRequestHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    items = "".join(f"<item><title>{t}</title><link>{base}/{t}.html</link></item>" for t in ("Inates", "Ayorou"))
    (root / "feed.rss").write_text(f'<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>{items}'
                                   "</channel></rss>", "utf-8")
    try:
        refused = run("ingest", f"{base}/Tera.html", "--db", store_url)
        assert refused.exit_code == 1 and "--allow-private" in refused.output
        page = run("ingest", f"{base}/Tera.html", "--db", store_url, "--allow-private")
        assert page.exit_code == 0 and "1 document(s) added" in page.output
        watched = run("watch", f"{base}/feed.rss", "--once", "--every", "1m", "--db", store_url, "--allow-private")
        assert watched.exit_code == 0 and "2 document(s) added" in watched.output
        (root / "Inates.html").unlink()  # known entries are not fetched again, so this is not noticed
        again = run("watch", f"{base}/feed.rss", "--once", "--db", store_url, "--allow-private")
        assert again.exit_code == 0 and "0 document(s) added" in again.output
    finally:
        server.shutdown()
        server.server_close()
    with Store(store_url) as s:
        assert s.count_documents() == 3 and s.has_url(f"{base}/Ayorou.html")


@pytest.mark.parametrize(("every", "seconds"), [("30s", 30), ("15m", 900), ("1h", 3600), ("90", 90)])
def test_watch_intervals(every, seconds):
    from sahelwatch.cli.store import parse_every

    assert parse_every(every) == seconds


@pytest.fixture
def filled_url(store_url):
    with Store(store_url) as s:
        s.add_extracted(Document("a", REPORT_A, source="ActuNiger"), [Event(
            event_date="2024-05-20", event_type="Violence against civilians", sub_event_type="Attack",
            actor1="Unidentified Armed Group (Niger)", actor2="Police Forces of Niger (2023-)", iso=562,
            country="Niger", admin1="Tillaberi", location="Makalondi", latitude=12.83, longitude=1.68,
            geo_precision=1, fatalities=3)])
        s.add_extracted(Document("b", REPORT_B, source="RFI"), [Event(
            event_date="2024-05-19", event_type="Battles", sub_event_type="Armed clash",
            actor1="Military Forces of Mali (2021-)", actor2="JNIM: Group for Support of Islam and Muslims",
            iso=466, country="Mali", admin1="Mopti", location="Boulkessi", latitude=15.06, longitude=-1.48,
            geo_precision=1, fatalities=10)])
    return store_url


@pytest.mark.parametrize(("args", "locations"), [
    ([], ["Makalondi", "Boulkessi"]),
    (["--country", "Mali"], ["Boulkessi"]),
    (["--type", "Battles", "--since", "2024-05-01"], ["Boulkessi"]),
    (["--min-fatalities", "5"], ["Boulkessi"]),
    (["--bbox", "0,12,3,14"], ["Makalondi"]),
    (["--text", "gendarmerie"], ["Makalondi"]),
    (["--actor", "JNIM"], ["Boulkessi"]),
])
def test_events_lists_filtered_events(filled_url, args, locations):
    result = run("events", "--db", filled_url, "--format", "jsonl", *args)
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert [r["location"] for r in rows] == locations


@pytest.mark.parametrize("fmt", ["table", "csv", "geojson"])
def test_events_formats(filled_url, fmt):
    result = run("events", "--db", filled_url, "--format", fmt)
    assert result.exit_code == 0 and "Boulkessi" in result.output


def test_events_refuses_a_bad_bbox_in_one_line(filled_url):
    result = CliRunner().invoke(main, ["events", "--db", filled_url, "--bbox", "1,2"])
    assert result.exit_code == 2 and "--bbox" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("fmt", ["acled-csv", "jsonl", "geojson", "parquet"])
def test_export(filled_url, tmp_path, fmt):
    out = tmp_path / f"events.{fmt}"
    result = run("export", "--db", filled_url, "--format", fmt, "-o", str(out))
    assert result.exit_code == 0 and "2 event(s) written" in result.output
    if fmt == "acled-csv":
        reader = csv.DictReader(io.StringIO(out.read_text("utf-8")))
        assert tuple(reader.fieldnames) == ACLED_COLUMNS and len(ACLED_COLUMNS) == 31
        rows = list(reader)
        assert {r["event_id_cnty"][:3] for r in rows} == {"NER", "MLI"}
        assert {r["source_scale"] for r in rows} == {"National", "International"}
        assert all(r["timestamp"].isdigit() and r["year"] == "2024" for r in rows)
    elif fmt == "jsonl":
        assert len(out.read_text("utf-8").splitlines()) == 2
    elif fmt == "geojson":
        data = json.loads(out.read_text("utf-8"))
        assert data["type"] == "FeatureCollection" and len(data["features"]) == 2
        assert data["features"][0]["geometry"]["type"] == "Point"
    else:
        import pyarrow.parquet as pq

        table = pq.read_table(out)
        assert table.num_rows == 2 and set(table.column("country").to_pylist()) == {"Niger", "Mali"}


def test_an_unreachable_database_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["events", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none"])
    assert result.exit_code == 2 and "cannot open database" in result.output and "Traceback" not in result.output


def test_a_toll_no_report_can_mean_is_stored_as_unknown(store_url, tmp_path):
    report = tmp_path / "huge.txt"
    report.write_text("Gunmen killed 1000000000000000000000000000000 villagers in Djibo on Monday, residents said.",
                      "utf-8")
    result = run("ingest", str(report), "--db", store_url, "--published", "2024-05-22")
    assert result.exit_code == 0, result.output
    with Store(store_url) as s:
        [event] = list(s.iter_events())
        assert event["fatalities"] == 0 and event["location"] == "Djibo"
