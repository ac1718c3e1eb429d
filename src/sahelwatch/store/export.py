"""Writing stored events out, streamed from the database: ACLED CSV, JSON Lines, GeoJSON, GeoParquet, GeoPackage."""
from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from sahelwatch.formats import to_feature, write_csv, write_jsonl
from sahelwatch.store.gis import write_geopackage, write_geoparquet

EXPORT_FORMATS = ("acled-csv", "jsonl", "geojson", "parquet", "gpkg")


def write_geojson_stream(events: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """A GeoJSON FeatureCollection written feature by feature (constant memory for millions of events)."""
    out.write('{"type": "FeatureCollection", "features": [\n')
    n = 0
    for ev in events:
        if n:
            out.write(",\n")
        out.write(json.dumps(to_feature(ev), ensure_ascii=False, default=str))
        n += 1
    out.write("\n]}\n")
    return n


def _with_timestamp(event: dict[str, Any]) -> dict[str, Any]:
    """ACLED's ``timestamp`` column: the Unix time the record was last changed."""
    import datetime as dt

    if event.get("updated") and not event.get("timestamp"):
        try:
            event["timestamp"] = int(dt.datetime.fromisoformat(event["updated"]).timestamp())
        except ValueError:
            pass
    return event


def export_events(events: Iterable[dict[str, Any]], fmt: str, path: str | Path) -> int:
    """Write events to ``path`` in one of EXPORT_FORMATS; the number written."""
    if fmt not in EXPORT_FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: choose {', '.join(EXPORT_FORMATS)}")
    if fmt == "parquet":
        return write_geoparquet((_with_timestamp(ev) for ev in events), path)
    if fmt == "gpkg":
        return write_geopackage((_with_timestamp(ev) for ev in events), path)
    with open(path, "w", encoding="utf-8", newline="") as out:
        if fmt == "acled-csv":
            return write_csv((_with_timestamp(ev) for ev in events), out, acled_only=True)
        if fmt == "jsonl":
            return write_jsonl(events, out)
        return write_geojson_stream(events, out)
