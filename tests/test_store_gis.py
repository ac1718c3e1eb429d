"""GIS exports: `sahelwatch export --format parquet | gpkg` open in real GIS readers as a point layer.

The GeoPackage is read by GDAL (pyogrio's wheels bundle it); the GeoParquet by GeoPandas, the
reference reader of the GeoParquet specification (GDAL in pyogrio's wheels lacks the Parquet driver).
"""
from __future__ import annotations

import json
import sqlite3
import struct

import jsonschema_rs
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from sahelwatch.cli import main
from sahelwatch.model import ACLED_COLUMNS, Document, Event
from sahelwatch.store import Store
from sahelwatch.store.gis import gpkg_point, point_wkb

pyogrio = pytest.importorskip("pyogrio")
geopandas = pytest.importorskip("geopandas")

EVENTS = [
    ("makalondi", Event(event_date="2024-05-20", event_type="Violence against civilians", sub_event_type="Attack",
                        actor1="Unidentified Armed Group (Niger)", iso=562, country="Niger", admin1="Tillaberi",
                        location="Makalondi", latitude=12.83, longitude=1.68, geo_precision=1, fatalities=3)),
    ("boulkessi", Event(event_date="2024-05-19", event_type="Battles", sub_event_type="Armed clash",
                        actor1="Military Forces of Mali (2021-)", actor2="JNIM: Group for Support of Islam and Muslims",
                        iso=466, country="Mali", admin1="Mopti", location="Boulkessi", latitude=15.06, longitude=-1.48,
                        geo_precision=1, fatalities=10)),
    ("nowhere", Event(event_date="2024-05-18", event_type="Protests", sub_event_type="Peaceful protest",
                      actor1="Protesters (Burkina Faso)", iso=854, country="Burkina Faso", fatalities=0)),
]

# The GeoParquet 1.1 `geo` metadata: the keys the specification requires, and the values it allows.
GEO_SCHEMA = {
    "type": "object",
    "required": ["version", "primary_column", "columns"],
    "properties": {
        "version": {"type": "string", "pattern": r"^1\.1\.\d+$"},
        "primary_column": {"type": "string", "minLength": 1},
        "columns": {"type": "object", "minProperties": 1, "additionalProperties": {
            "type": "object",
            "required": ["encoding", "geometry_types"],
            "properties": {
                "encoding": {"const": "WKB"},
                "geometry_types": {"type": "array", "uniqueItems": True, "items": {
                    "type": "string", "pattern": "^(GeometryCollection|(Multi)?(Point|LineString|Polygon))( Z)?$"}},
                "crs": {"oneOf": [{"type": "object", "required": ["type", "name"]}, {"type": "null"}]},
                "edges": {"enum": ["planar", "spherical"]},
                "bbox": {"type": "array", "items": {"type": "number"}, "minItems": 4, "maxItems": 4},
            },
        }},
    },
}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """The three events exported as GeoParquet and as a GeoPackage."""
    d = tmp_path_factory.mktemp("gis")
    url = f"sqlite:///{d / 'gis.db'}"
    with Store(url) as s:
        for doc_id, event in EVENTS:
            s.add_extracted(Document(doc_id, f"A report about {event.location or 'somewhere'}.", source="RFI"), [event])
    files = {}
    for fmt in ("parquet", "gpkg"):
        files[fmt] = d / f"events.{fmt}"
        result = CliRunner().invoke(main, ["export", "--db", url, "--format", fmt, "-o", str(files[fmt])])
        assert result.exit_code == 0 and "3 event(s) written" in result.output, result.output
    return files


def test_a_point_is_little_endian_iso_wkb_longitude_first():
    assert point_wkb(1.68, 12.83) == b"\x01" + struct.pack("<I", 1) + struct.pack("<dd", 1.68, 12.83)


def test_a_geopackage_geometry_is_gp_version_0_flags_srs_envelope_then_wkb():
    blob = gpkg_point(1.68, 12.83)
    assert blob[:2] == b"GP" and blob[2] == 0 and blob[3] == 0b11
    assert struct.unpack("<i4d", blob[4:40]) == (4326, 1.68, 1.68, 12.83, 12.83)
    assert blob[40:] == point_wkb(1.68, 12.83)


def test_gdal_opens_the_geopackage_as_a_point_layer_in_wgs84(exported):
    assert [list(layer) for layer in pyogrio.list_layers(exported["gpkg"])] == [["events", "Point"]]
    info = pyogrio.read_info(exported["gpkg"], layer="events")
    assert info["crs"] == "EPSG:4326" and info["features"] == 3 and info["geometry_type"] == "Point"
    assert tuple(info["fields"][:31]) == ACLED_COLUMNS
    frame = pyogrio.read_dataframe(exported["gpkg"], layer="events")
    by_place = {row.location: row for row in frame.itertuples()}
    makalondi = by_place["Makalondi"]
    assert (makalondi.geometry.x, makalondi.geometry.y) == (1.68, 12.83)
    assert makalondi.fatalities == 3 and makalondi.event_id_cnty.startswith("NER") and makalondi.year == 2024
    assert by_place["Boulkessi"].actor2 == "JNIM: Group for Support of Islam and Muslims"
    assert frame.geometry.isna().sum() == 1  # the event without coordinates has a null geometry


def test_the_geopackage_is_a_geopackage_1_3(exported):
    db = sqlite3.connect(exported["gpkg"])
    try:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10300
        assert db.execute("SELECT data_type, srs_id FROM gpkg_contents WHERE table_name = 'events'").fetchone() == (
            "features", 4326)
        assert db.execute("SELECT column_name, geometry_type_name, srs_id FROM gpkg_geometry_columns").fetchall() == [
            ("geom", "POINT", 4326)]
        assert {r[0] for r in db.execute("SELECT srs_id FROM gpkg_spatial_ref_sys")} == {-1, 0, 4326}
        bounds = db.execute("SELECT min_x, min_y, max_x, max_y FROM gpkg_contents").fetchone()
        assert bounds == (-1.48, 12.83, 1.68, 15.06)
    finally:
        db.close()


def test_geopandas_reads_the_geoparquet_as_points_in_ogc_crs84(exported):
    frame = geopandas.read_parquet(exported["parquet"])
    assert frame.crs.to_string() == "OGC:CRS84" and frame.crs.equals("OGC:CRS84")
    assert len(frame) == 3 and frame.geometry.name == "geometry"
    assert list(frame.columns[:31]) == list(ACLED_COLUMNS)
    points = {row.location: row.geometry for row in frame.itertuples() if row.geometry is not None}
    assert {k: (p.x, p.y) for k, p in points.items()} == {"Makalondi": (1.68, 12.83), "Boulkessi": (-1.48, 15.06)}
    assert frame.geometry.isna().sum() == 1


def test_the_geoparquet_geo_metadata_meets_the_specification(exported):
    geo = json.loads(pq.read_schema(exported["parquet"]).metadata[b"geo"])
    jsonschema_rs.validate(GEO_SCHEMA, geo)
    assert geo["version"] == "1.1.0" and geo["primary_column"] == "geometry"
    column = geo["columns"]["geometry"]
    assert column["geometry_types"] == ["Point"] and column["bbox"] == [-1.48, 12.83, 1.68, 15.06]
    assert column["crs"]["id"] == {"authority": "OGC", "code": "CRS84"}


def test_an_empty_export_is_still_a_layer(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    Store(url).close()
    for fmt in ("parquet", "gpkg"):
        out = tmp_path / f"none.{fmt}"
        result = CliRunner().invoke(main, ["export", "--db", url, "--format", fmt, "-o", str(out)])
        assert result.exit_code == 0 and "0 event(s) written" in result.output
    assert pyogrio.read_info(tmp_path / "none.gpkg", layer="events")["features"] == 0
    assert len(geopandas.read_parquet(tmp_path / "none.parquet")) == 0
