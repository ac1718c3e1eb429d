"""Writing stored events out, streamed from the database: ACLED CSV, JSON Lines, GeoJSON, Parquet."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from sahelwatch.formats import to_feature, write_csv, write_jsonl

EXPORT_FORMATS = ("acled-csv", "jsonl", "geojson", "parquet")


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


def _batches(events: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for ev in events:
        batch.append(ev)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_parquet(events: Iterable[dict[str, Any]], path: str | Path, batch: int = 50_000) -> int:
    """Events to a Parquet file with a fixed schema (evidence as JSON text), written in row groups."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from sahelwatch.store.records import EVENT_FIELDS, STORE_FIELDS

    ints = {"time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities", "injured",
            "source_count", "fatalities_min", "fatalities_max"}
    floats = {"latitude", "longitude", "confidence"}
    bools = {"civilian_targeting", "claimed"}
    fields = [pa.field(name, pa.int64() if name in ints else pa.float64() if name in floats
                       else pa.bool_() if name in bools else pa.string())
              for name in (*EVENT_FIELDS, *STORE_FIELDS)]
    schema = pa.schema(fields)
    n = 0
    with pq.ParquetWriter(str(path), schema, compression="zstd") as writer:
        for rows in _batches(events, batch):
            for r in rows:
                r["evidence"] = json.dumps(r.get("evidence") or [], ensure_ascii=False)
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
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
        return write_parquet(events, path)
    with open(path, "w", encoding="utf-8", newline="") as out:
        if fmt == "acled-csv":
            return write_csv((_with_timestamp(ev) for ev in events), out, acled_only=True)
        if fmt == "jsonl":
            return write_jsonl(events, out)
        return write_geojson_stream(events, out)
