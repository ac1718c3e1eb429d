"""Writing events out: JSON Lines, CSV (ACLED's column order first), GeoJSON, a terminal table."""
from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from typing import IO, Any

from sahelwatch.model import ACLED_COLUMNS, Event

# After ACLED's 31 columns, the fields sahelwatch adds.
EXTRA_COLUMNS = ("event_id", "doc_id", "injured", "claimed", "fatalities_text", "evidence", "confidence", "salience")
REGIONS = {"Chad": "Middle Africa", "Cameroon": "Middle Africa", "Central African Republic": "Middle Africa",
           "Libya": "Northern Africa", "Algeria": "Northern Africa", "Sudan": "Northern Africa"}

FORMATS = ("jsonl", "csv", "geojson", "table")


def _row(event: Event | dict[str, Any]) -> dict[str, Any]:
    return event.to_dict() if isinstance(event, Event) else dict(event)


def write_jsonl(events: Iterable[Event | dict], out: IO[str]) -> int:
    n = 0
    for ev in events:
        out.write(json.dumps(_row(ev), ensure_ascii=False) + "\n")
        n += 1
    return n


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_safe(value: Any) -> Any:
    """A CSV cell a spreadsheet cannot run: text starting with = + - @ tab or CR gets a leading
    apostrophe (OWASP's advice); numbers, and text that is just a number ("-3.5"), stay as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def to_acled_row(event: Event | dict[str, Any], spreadsheet: bool = True) -> dict[str, Any]:
    """ACLED's 31 columns (and sahelwatch's extras) for one CSV row; with ``spreadsheet`` (the default)
    every text cell made safe to open in a spreadsheet (``spreadsheet_safe``)."""
    row = _row(event)
    date = row.get("event_date") or ""
    acled = {c: row.get(c, "") for c in ACLED_COLUMNS}
    acled["event_id_cnty"] = row.get("event_id_cnty") or row.get("event_id", "")
    acled["year"] = date[:4]
    acled["region"] = row.get("region") or (REGIONS.get(row.get("country") or "", "Western Africa")
                                            if row.get("country") else "")
    acled["source_scale"] = row.get("source_scale") or ""
    acled["tags"] = row.get("tags") or ("claimed" if row.get("claimed") else "")
    for c in ("civilian_targeting",):
        acled[c] = "Civilian targeting" if row.get(c) in (True, 1, "true", "Civilian targeting") else ""
    for c in EXTRA_COLUMNS:
        acled[c] = row.get(c, "")
    acled["evidence"] = json.dumps(row.get("evidence") or [], ensure_ascii=False)
    return {k: ("" if v is None else spreadsheet_safe(v) if spreadsheet else v) for k, v in acled.items()}


def write_csv(events: Iterable[Event | dict], out: IO[str], acled_only: bool = False) -> int:
    """CSV in ACLED's column order (31 columns), then sahelwatch's extras unless ``acled_only``."""
    cols = list(ACLED_COLUMNS) + ([] if acled_only else list(EXTRA_COLUMNS))
    writer = csv.DictWriter(out, fieldnames=cols, extrasaction="ignore")
    writer.writeheader()
    n = 0
    for ev in events:
        writer.writerow(to_acled_row(ev))
        n += 1
    return n


def to_feature(event: Event | dict) -> dict[str, Any]:
    row = _row(event)
    lat, lon = row.get("latitude"), row.get("longitude")
    geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
    props = {k: v for k, v in row.items() if k not in ("latitude", "longitude")}
    return {"type": "Feature", "geometry": geometry, "properties": props}


def write_geojson(events: Iterable[Event | dict], out: IO[str]) -> int:
    features = [to_feature(ev) for ev in events]
    json.dump({"type": "FeatureCollection", "features": features}, out, ensure_ascii=False)
    out.write("\n")
    return len(features)


def write_table(events: Iterable[Event | dict], out: IO[str]) -> int:
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for col in ("doc_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "location",
                "admin1", "country", "fatalities", "claimed"):
        table.add_column(col, overflow="fold")
    n = 0
    for ev in events:
        r = _row(ev)
        table.add_row(*(str(r.get(c) if r.get(c) is not None else "") for c in (
            "doc_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "location", "admin1",
            "country", "fatalities", "claimed")))
        n += 1
    Console(file=out, width=200).print(table)
    return n


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "geojson": write_geojson, "table": write_table}
