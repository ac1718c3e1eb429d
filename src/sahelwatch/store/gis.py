"""Exports that GIS tools open as a layer: GeoParquet 1.1 (pyarrow) and a GeoPackage 1.3 (sqlite3).

Both carry ACLED's 31 columns, then sahelwatch's own, and a point geometry in WGS 84 (longitude,
latitude); an event without coordinates has a null geometry. The WKB and GeoPackage binary are
written here with ``struct``: a point needs no geometry library.
"""
from __future__ import annotations

import json
import sqlite3
import struct
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path
from typing import Any

from sahelwatch.formats import EXTRA_COLUMNS, to_acled_row
from sahelwatch.model import ACLED_COLUMNS

# sahelwatch's columns after ACLED's (those of EXTRA_COLUMNS and the store's own).
OWN_COLUMNS = (*EXTRA_COLUMNS, "status", "source_count", "fatalities_min", "fatalities_max", "created", "updated")
COLUMNS = (*ACLED_COLUMNS, *OWN_COLUMNS)
INTEGERS = {"year", "time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities",
            "timestamp", "injured", "source_count", "fatalities_min", "fatalities_max"}
REALS = {"latitude", "longitude", "confidence"}
BOOLEANS = {"claimed"}
LAYER = "events"
WGS84_WKT = ('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
             'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],'
             'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4326"]]')


def point_wkb(lon: float, lat: float) -> bytes:
    """A 2D point as ISO WKB: little-endian (1), geometry type 1, then x=longitude, y=latitude."""
    return struct.pack("<BIdd", 1, 1, lon, lat)


def gpkg_point(lon: float, lat: float, srs_id: int = 4326) -> bytes:
    """A point as GeoPackage binary: 'GP', version 0, flags (little-endian, envelope [minx, maxx, miny, maxy]),
    the srs_id, the envelope, then the WKB."""
    flags = 0b0000_0011  # bit 0: little-endian header; bits 1-3 = 1: a 4-double envelope
    return b"GP" + struct.pack("<BBi4d", 0, flags, srs_id, lon, lon, lat, lat) + point_wkb(lon, lat)


def _coords(row: dict[str, Any]) -> tuple[float, float] | None:
    lat, lon = row.get("latitude"), row.get("longitude")
    if lat in (None, "") or lon in (None, ""):
        return None
    return float(lon), float(lat)


def _typed(name: str, value: Any) -> Any:
    if value in (None, ""):
        return None
    if name in INTEGERS or name in REALS:
        try:
            return int(value) if name in INTEGERS else float(value)
        except (TypeError, ValueError):  # not a number: an empty field rather than a broken layer
            return None
    if name in BOOLEANS:
        return value in (True, 1, "true", "True", "1")
    return str(value)


def gis_row(event: dict[str, Any]) -> dict[str, Any]:
    """One event as the typed fields of a GIS layer: ACLED's 31 columns, then sahelwatch's (None for empty)."""
    acled = to_acled_row(event)
    row = {c: _typed(c, acled.get(c)) for c in ACLED_COLUMNS}
    row.update({c: _typed(c, acled[c] if c in acled else event.get(c)) for c in OWN_COLUMNS})
    return row


class _Bounds:
    """The running bounding box of the points written (None until one is)."""

    def __init__(self) -> None:
        self.box: list[float] | None = None

    def add(self, xy: tuple[float, float] | None) -> None:
        if xy is None:
            return
        x, y = xy
        if self.box is None:
            self.box = [x, y, x, y]
        else:
            b = self.box
            self.box = [min(b[0], x), min(b[1], y), max(b[2], x), max(b[3], y)]


# ----- GeoParquet ------------------------------------------------------------------------------


def crs84_projjson() -> dict[str, Any]:
    """PROJJSON of OGC:CRS84 (WGS 84, longitude then latitude), as PROJ writes it."""
    return json.loads(resources.files("sahelwatch").joinpath("data/ogc_crs84.json").read_text("utf-8"))


def geo_metadata(bbox: list[float] | None) -> dict[str, Any]:
    """The ``geo`` file metadata of GeoParquet 1.1 for one WKB point column ``geometry``."""
    column: dict[str, Any] = {"encoding": "WKB", "geometry_types": ["Point"], "crs": crs84_projjson(),
                              "edges": "planar"}
    if bbox is not None:
        column["bbox"] = bbox
    return {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}


def _arrow_schema():  # noqa: ANN202 - pyarrow is imported lazily
    import pyarrow as pa

    def kind(name: str):  # noqa: ANN202
        return (pa.int64() if name in INTEGERS else pa.float64() if name in REALS
                else pa.bool_() if name in BOOLEANS else pa.string())

    return pa.schema([pa.field(c, kind(c)) for c in COLUMNS] + [pa.field("geometry", pa.binary())])


def _batches(events: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for ev in events:
        batch.append(ev)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_geoparquet(events: Iterable[dict[str, Any]], path: str | Path, batch: int = 50_000) -> int:
    """Events to GeoParquet 1.1: the columns of a GIS layer plus WKB points in ``geometry``, in row groups.

    The bounding box is known only once every event is read, and the ``geo`` metadata lives in the
    schema written first; so the row groups go to a file beside ``path`` and are copied, one at a
    time, under the final schema (constant memory, as for the other formats).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _arrow_schema()
    bounds = _Bounds()
    n = 0
    target = Path(path)
    draft = target.with_name(target.name + ".part")
    try:
        with pq.ParquetWriter(str(draft), schema, compression="zstd") as writer:
            for rows in _batches(events, batch):
                records = []
                for ev in rows:
                    xy = _coords(ev)
                    bounds.add(xy)
                    records.append({**gis_row(ev), "geometry": None if xy is None else point_wkb(*xy)})
                writer.write_table(pa.Table.from_pylist(records, schema=schema))
                n += len(records)
        final = schema.with_metadata({"geo": json.dumps(geo_metadata(bounds.box))})
        source = pq.ParquetFile(str(draft))
        with pq.ParquetWriter(str(target), final, compression="zstd") as writer:
            for i in range(source.num_row_groups):
                writer.write_table(source.read_row_group(i).replace_schema_metadata(final.metadata))
            if source.num_row_groups == 0:
                writer.write_table(final.empty_table())
    finally:
        draft.unlink(missing_ok=True)
    return n


# ----- GeoPackage ------------------------------------------------------------------------------


def _gpkg_type(name: str) -> str:
    if name in INTEGERS:
        return "INTEGER"
    if name in REALS:
        return "REAL"
    if name in BOOLEANS:
        return "BOOLEAN"
    return "DATE" if name == "event_date" else "TEXT"


def _gpkg_tables(db: sqlite3.Connection) -> None:
    """The GeoPackage 1.3 core tables, the three required spatial reference systems and the layer's table."""
    db.execute("PRAGMA application_id = 1196444487")  # 'GPKG'
    db.execute("PRAGMA user_version = 10300")
    db.executescript("""
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
            organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
            description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
            identifier TEXT UNIQUE, description TEXT DEFAULT '',
            last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
            min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
            CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
            geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
            CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
            CONSTRAINT uk_gc_table_name UNIQUE (table_name),
            CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
            CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
    """)
    db.executemany("INSERT INTO gpkg_spatial_ref_sys VALUES (?, ?, ?, ?, ?, ?)", [
        ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
        ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
        ("WGS 84 geodetic", 4326, "EPSG", 4326, WGS84_WKT, "longitude/latitude coordinates in decimal degrees"),
    ])
    fields = ", ".join(f'"{c}" {_gpkg_type(c)}' for c in COLUMNS)
    db.execute(f'CREATE TABLE "{LAYER}" (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, {fields})')


def write_geopackage(events: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Events to a GeoPackage 1.3 file with one point layer ``events`` in EPSG:4326 (replacing the file)."""
    target = Path(path)
    target.unlink(missing_ok=True)
    db = sqlite3.connect(str(target))
    try:
        _gpkg_tables(db)
        names = ", ".join(f'"{c}"' for c in COLUMNS)
        insert = f'INSERT INTO "{LAYER}" (geom, {names}) VALUES (?{", ?" * len(COLUMNS)})'
        bounds = _Bounds()
        n = 0
        for rows in _batches(events, 5000):
            values = []
            for ev in rows:
                xy = _coords(ev)
                bounds.add(xy)
                row = gis_row(ev)
                values.append((None if xy is None else gpkg_point(*xy), *(row[c] for c in COLUMNS)))
            db.executemany(insert, values)
            n += len(values)
        box = bounds.box or [None] * 4
        db.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, "
                   "max_y, srs_id) VALUES (?, 'features', ?, ?, ?, ?, ?, ?, 4326)",
                   (LAYER, LAYER, "sahelwatch events (ACLED columns)", *box))
        db.execute("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', 4326, 0, 0)", (LAYER,))
        db.commit()
    finally:
        db.close()
    return n
