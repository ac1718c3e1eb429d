"""sahelwatch.api over a real server: reading events, documents, actors, statistics, exports.

One `sahelwatch serve` process on a free loopback port per backend (a SQLite file, and a database
on the real PostgreSQL + PostGIS server of the test session), filled by ingesting
examples/reports.jsonl (real extraction) and five events built in tests/webserver.py.
"""
from __future__ import annotations

import csv
import io
import json

import pytest

from sahelwatch.model import ACLED_COLUMNS
from webserver import EXAMPLES, INJECTION, SCRIPT, Server, built_reports, fill_database

IN_2023 = {"until": "2023-12-31"}  # only the built events (the examples are from 2024)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, tmp_path_factory):
    if request.param == "sqlite":
        db = f"sqlite:///{tmp_path_factory.mktemp('api') / 'api.db'}"
    else:
        db = request.getfixturevalue("pg_server").new_database()
    ids = fill_database(db)
    srv = Server(db).start()
    srv.ids = ids
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def http(server):
    with server.client() as c:
        yield c


@pytest.mark.parametrize(("params", "expected"), [
    ({}, {"tera", "djibo", "menaka", "niamey", "inject"}),
    ({"country": "Niger"}, {"tera", "niamey"}),
    ({"admin1": "Sahel"}, {"djibo"}),
    ({"event_type": "Battles"}, {"tera"}),
    ({"type": "Protests"}, {"niamey"}),
    ({"since": "2023-06-01", "until": "2023-09-30"}, {"djibo", "menaka"}),
    ({"min_fatalities": 9}, {"tera", "djibo"}),
    ({"claimed": "true"}, {"djibo"}),
    ({"actor": "Islamic State"}, {"tera", "menaka"}),
    ({"bbox": "-2,13.5,1,14.5"}, {"tera", "djibo"}),
    ({"text": "drone"}, {"menaka"}),
])
def test_events_are_filtered_like_the_cli(http, server, params, expected):
    query = {**IN_2023, **params}
    data = http.get("/api/events", params=query).json()
    assert {e["event_id"] for e in data["events"]} == {server.ids[k] for k in expected}
    assert data["total"] == len(expected)


def test_events_page_with_limit_and_offset(http):
    first = http.get("/api/events", params={"limit": 2, "offset": 0}).json()
    second = http.get("/api/events", params={"limit": 2, "offset": 2}).json()
    assert len(first["events"]) == 2 and len(second["events"]) == 2
    assert not {e["event_id"] for e in first["events"]} & {e["event_id"] for e in second["events"]}
    assert first["total"] == second["total"] >= 6


@pytest.mark.parametrize("limit", [1, 2, 3, 4, 100])
def test_every_page_tells_the_same_total_the_last_short_one_and_one_past_the_end_too(http, limit):
    total = http.get("/api/events", params={"limit": 1}).json()["total"]
    for offset in range(0, total + limit + 1, limit):
        page = http.get("/api/events", params={"limit": limit, "offset": offset}).json()
        assert page["total"] == total and len(page["events"]) == max(0, min(limit, total - offset))


def test_ingested_example_reports_are_events_with_their_documents(http):
    docs = [json.loads(line)["doc_id"] for line in EXAMPLES.read_text(encoding="utf-8").splitlines()]
    events = http.get("/api/events", params={"since": "2024-01-01", "limit": 100}).json()["events"]
    assert events, "extraction found no event in examples/reports.jsonl"
    assert {e["doc_id"] for e in events} <= set(docs)
    for doc_id in docs:
        doc = http.get(f"/api/documents/{doc_id}").json()
        assert doc["doc_id"] == doc_id and doc["text"] and doc["published"].startswith("2024")


def test_geojson_has_points_in_lon_lat_order(http, server):
    data = http.get("/api/events", params={**IN_2023, "country": "Mali", "format": "geojson"}).json()
    assert data["type"] == "FeatureCollection"
    (feature,) = data["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [2.40, 15.92]}
    assert feature["properties"]["event_id"] == server.ids["menaka"]


def test_compact_rows_for_the_map(http, server):
    data = http.get("/api/events", params={**IN_2023, "format": "compact", "limit": 1000}).json()
    rows = {r[0]: dict(zip(data["columns"], r, strict=True)) for r in data["rows"]}
    tera = rows[server.ids["tera"]]
    assert (tera["latitude"], tera["longitude"], tera["event_date"], tera["fatalities"]) == (14.01, 0.75, "2023-03-10", 12)
    assert data["event_types"][tera["event_type"]] == "Battles"
    assert data["statuses"][tera["status"]] == "unreviewed"


def test_one_event_has_sources_and_evidence_spans_into_the_report(http, server):
    event = http.get(f"/api/events/{server.ids['menaka']}").json()
    (source,) = event["sources"]
    assert source["doc_id"] == "built-menaka" and source["title"] == "Drone strike near Menaka"
    document = http.get(f"/api/documents/{source['doc_id']}").json()
    assert server.ids["menaka"] in document["events"]
    for span in source["evidence"]:
        assert document["text"][span["start"]:span["end"]] == span["text"]
    assert "drone strike" in source["evidence"][0]["text"]


@pytest.mark.parametrize(("path", "message"), [
    ("/api/events/NOPE123", "no event 'NOPE123'"),
    ("/api/documents/nope", "no document 'nope'"),
])
def test_unknown_ids_are_404_with_a_message(http, path, message):
    response = http.get(path)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == message


@pytest.mark.parametrize(("params", "fragment"), [
    ({"since": "yesterday"}, "since"),
    ({"bbox": "1,2,3"}, "bbox"),
    ({"since": "2024-02-01", "until": "2024-01-01"}, "after until"),
    ({"status": "maybe"}, "status"),
    ({"status": "verified,maybe"}, "maybe"),
    ({"limit": 0}, "limit"),
    ({"limit": 50000}, "limit"),
    ({"format": "xml"}, "format"),
])
def test_bad_queries_are_4xx_naming_the_parameter(http, params, fragment):
    response = http.get("/api/events", params=params)
    assert 400 <= response.status_code < 500
    assert fragment in response.json()["error"]["message"]


def test_actors_come_from_the_registry_with_counts(http):
    actors = {a["name"]: a for a in http.get("/api/actors").json()["actors"]}
    jnim = actors["JNIM: Group for Support of Islam and Muslims"]
    assert jnim["in_registry"] and jnim["events"] >= 1
    assert "JNIM" in jnim.get("aliases", [])


@pytest.mark.parametrize(("by", "key", "events", "fatalities"), [
    ("country", "Niger", 2, 12),
    ("event_type", "Battles", 1, 12),
    ("admin1", "Menaka", 1, 4),
    ("month", "2023-06", 1, 9),
    ("actor", "Islamic State (Sahel)", 2, 16),
])
def test_stats_group_events_and_fatalities(http, by, key, events, fatalities):
    rows = {r["key"]: r for r in http.get("/api/stats", params={"by": by, **IN_2023}).json()["rows"]}
    assert (rows[key]["events"], rows[key]["fatalities"]) == (events, fatalities)


def test_acled_csv_export_has_acleds_31_columns_and_the_filtered_rows(http, server):
    response = http.get("/api/export", params={"format": "acled-csv", "country": "Niger", **IN_2023})
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert tuple(rows[0]) == ACLED_COLUMNS
    by_id = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(by_id) == {server.ids["tera"], server.ids["niamey"]}
    assert by_id[server.ids["tera"]]["fatalities"] == "12" and by_id[server.ids["tera"]]["year"] == "2023"


def test_geojson_export_is_one_feature_collection(http):
    response = http.get("/api/export", params={"format": "geojson", **IN_2023})
    data = response.json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 5


def test_untrusted_text_is_returned_verbatim_as_json_data(http, server):
    event = http.get(f"/api/events/{server.ids['inject']}").json()
    assert SCRIPT in event["notes"] and INJECTION in event["location"]
    assert event["sources"][0]["title"] == built_reports()["inject"][0].title


def test_openapi_lists_every_endpoint(http):
    paths = http.get("/openapi.json").json()["paths"]
    for path in ("/api/events", "/api/events/{event_id}", "/api/documents/{doc_id}", "/api/actors", "/api/stats",
                 "/api/ingest", "/api/export"):
        assert path in paths
    assert "patch" in paths["/api/events/{event_id}"]
    assert http.get("/docs").status_code == 404  # FastAPI's docs page would load scripts from a CDN


def test_pages_carry_a_content_security_policy_without_inline_scripts(http):
    response = http.get("/")
    assert response.status_code == 200 and '<section id="alerts-panel">' in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "unsafe-inline" not in response.headers["content-security-policy"].split("script-src")[1].split(";")[0]


@pytest.mark.parametrize("asset", [
    "/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
    "/static/vendor/topojson-client/topojson-client.min.js", "/static/vendor/world-atlas/countries-50m.json",
    "/static/js/main.js", "/static/app.css",
])
def test_web_assets_are_served_by_the_package_itself(http, asset):
    response = http.get(asset)
    assert response.status_code == 200 and len(response.content) > 1000


@pytest.mark.parametrize(("fmt", "media"), [("gpkg", "application/geopackage+sqlite3"),
                                             ("parquet", "application/vnd.apache.parquet")])
def test_gis_exports_are_point_layers_of_the_filtered_events(http, server, tmp_path, fmt, media):
    import geopandas
    import pyogrio

    response = http.get("/api/export", params={"format": fmt, "country": "Niger", **IN_2023})
    assert response.status_code == 200 and response.headers["content-type"].startswith(media)
    assert f'.{fmt}"' in response.headers["content-disposition"]
    path = tmp_path / f"events.{fmt}"
    path.write_bytes(response.content)
    frame = pyogrio.read_dataframe(path) if fmt == "gpkg" else geopandas.read_parquet(path)
    assert frame.crs.to_epsg() == 4326 or frame.crs.to_string() == "OGC:CRS84"
    assert set(frame["event_id_cnty"]) == {server.ids["tera"], server.ids["niamey"]}
    assert (frame.geometry.geom_type == "Point").all()
