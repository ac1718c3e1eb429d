"""Importing places into the user gazetteer: GeoNames dumps and local CSV files.

Formats:
- GeoNames dump (``allCountries.txt``, ``NE.txt``, ...): 19 tab-separated columns, no header.
- Places CSV with a header: ``name,alternate_names,country,admin1,admin2,latitude,longitude,feature``
  (``alternate_names`` separated by ``|``; ``population`` and ``source`` columns are optional).

Each file is read and checked in full before anything is written, then stored in one transaction:
a bad file is reported as ``FILE:LINE: what is wrong`` and changes nothing, files imported before
it stay. Rows have stable keys (GeoNames id; name+country+admin1+admin2 for CSV), so importing the
same file again changes nothing.
"""
from __future__ import annotations

import csv
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sahelwatch.geo.gazetteer import Gazetteer, load_gazetteer, norm, reset_cache

SCHEMA = """
CREATE TABLE IF NOT EXISTS places (
    key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    alternate_names TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL,
    admin1 TEXT NOT NULL DEFAULT '',
    admin2 TEXT NOT NULL DEFAULT '',
    latitude REAL,
    longitude REAL,
    feature TEXT NOT NULL DEFAULT 'PPL',
    population INTEGER NOT NULL DEFAULT 0,
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS places_name ON places(name);
"""
COLUMNS = ("key", "name", "alternate_names", "country", "admin1", "admin2", "latitude", "longitude", "feature",
           "population", "source")
GEONAMES_COLUMNS = 19
# GeoNames feature classes kept: populated places, admin units, areas (parks), spots (mines, camps,
# military posts), roads/tracks and terrain features; hydrography, undersea and vegetation are skipped.
GEONAMES_CLASSES = {"P", "A", "L", "S", "R", "T"}
CSV_REQUIRED = ("name", "country", "latitude", "longitude")


class GazetteerFileError(ValueError):
    """A file that cannot be imported, with the line that shows why."""

    def __init__(self, path: Path, line: int, message: str) -> None:
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class ImportResult:
    path: Path
    format: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0

    def summary(self) -> str:
        return (f"{self.path}: {self.format}: {self.added} added, {self.updated} updated, {self.unchanged} unchanged"
                + (f", {self.skipped} skipped (feature class or country not kept)" if self.skipped else ""))


def connect(db_path: Path) -> sqlite3.Connection:
    """Open (creating if needed) a user gazetteer file."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(db_path)
    con.executescript(SCHEMA)
    return con


def _latin(name: str) -> bool:
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in name) and bool(name.strip())


def _coord(value: str, low: float, high: float, what: str) -> float:
    try:
        x = float(value)
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a number") from None
    if not low <= x <= high:
        raise ValueError(f"{what} {x} is outside {low:g}..{high:g}")
    return x


def _int(value: str, what: str) -> int:
    if value.strip() == "":
        return 0
    try:
        return int(value)
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a whole number") from None


def detect_format(path: Path) -> str:
    """'geonames' or 'csv' from a file's first line; raises GazetteerFileError otherwise."""
    try:
        with path.open(encoding="utf-8") as f:
            first = next((line for line in f if line.strip()), "")
    except FileNotFoundError:
        raise GazetteerFileError(path, 0, "no such file") from None
    except UnicodeDecodeError:
        raise GazetteerFileError(path, 1, "not UTF-8 text") from None
    if first.count("\t") == GEONAMES_COLUMNS - 1 and first.split("\t", 1)[0].strip().isdigit():
        return "geonames"
    header = [h.strip().lower() for h in next(csv.reader([first]))]
    if all(c in header for c in CSV_REQUIRED):
        return "csv"
    raise GazetteerFileError(path, 1, "neither a GeoNames dump (19 tab-separated columns) nor a places CSV "
                                      "(header name,alternate_names,country,admin1,admin2,latitude,longitude,feature)")


def read_geonames(path: Path, gz: Gazetteer, result: ImportResult, only: set[str] | None = None
                  ) -> Iterator[tuple]:
    """Rows (in COLUMNS order) of a GeoNames dump; rows of other feature classes or countries are counted
    in ``result.skipped``."""
    import pycountry

    with path.open(encoding="utf-8", newline="") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                continue
            cols = line.split("\t")
            try:
                if len(cols) != GEONAMES_COLUMNS:
                    raise ValueError(f"{len(cols)} tab-separated columns, a GeoNames dump has {GEONAMES_COLUMNS}")
                gid = _int(cols[0], "geonameid")
                name = cols[1].strip()
                if not gid or not name:
                    raise ValueError("empty geonameid or name")
                lat = _coord(cols[4], -90, 90, "latitude")
                lon = _coord(cols[5], -180, 180, "longitude")
                cc = cols[8].strip().upper()
                country = gz.country_name(cc)
                if country is None:
                    rec = pycountry.countries.get(alpha_2=cc)
                    if rec is None:
                        raise ValueError(f"unknown country code {cols[8]!r}")
                    country = getattr(rec, "common_name", None) or rec.name
                population = _int(cols[14], "population")
            except ValueError as e:
                raise GazetteerFileError(path, n, str(e)) from None
            if cols[6] not in GEONAMES_CLASSES or (only and cc not in only):
                result.skipped += 1
                continue
            alts = sorted({a for a in cols[3].split(",") if a and a != name and _latin(a) and len(a) <= 60})[:20]
            if cols[2] and cols[2] != name:
                alts = sorted({*alts, cols[2]})
            feature = cols[7] or cols[6]
            admin1 = gz.admin1_codes.get((cc, cols[10].strip()), "")
            yield (f"geonames:{gid}", name, "|".join(alts), country, admin1, "", lat, lon, feature, population,
                   f"import:geonames {path.name}")


def read_csv(path: Path, gz: Gazetteer) -> Iterator[tuple]:
    """Rows (in COLUMNS order) of a places CSV."""
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = [h.strip().lower() for h in next(reader)]
        missing = [c for c in CSV_REQUIRED if c not in header]
        if missing:
            raise GazetteerFileError(path, 1, f"header lacks column(s): {', '.join(missing)}")
        for row in reader:
            n = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise GazetteerFileError(path, n, f"{len(row)} fields, the header has {len(header)}")
            r = {k: v.strip() for k, v in zip(header, row)}
            try:
                if not r["name"]:
                    raise ValueError("empty name")
                country = gz.country_name(r["country"])
                if country is None:
                    raise ValueError(f"unknown country {r['country']!r}")
                lat = _coord(r["latitude"], -90, 90, "latitude")
                lon = _coord(r["longitude"], -180, 180, "longitude")
                population = _int(r.get("population", ""), "population")
            except ValueError as e:
                raise GazetteerFileError(path, n, str(e)) from None
            admin1 = _admin1(gz, country, r.get("admin1", ""))
            admin2 = r.get("admin2", "")
            key = f"csv:{norm(r['name'])}|{country}|{norm(admin1)}|{norm(admin2)}"
            yield (key, r["name"], r.get("alternate_names", ""), country, admin1, admin2, lat, lon,
                   r.get("feature") or "PPL", population, r.get("source") or f"import:{path.name}")


def _admin1(gz: Gazetteer, country: str, admin1: str) -> str:
    for p in gz.index.get(norm(admin1), []) if admin1 else []:
        if p.kind == "admin1" and p.country == country:
            return p.admin1
    return admin1


def import_file(con: sqlite3.Connection, path: Path, gz: Gazetteer | None = None,
                countries: Iterable[str] = ()) -> ImportResult:
    """Store a file's rows in one transaction, checking them as they stream: all or nothing.

    ``countries`` (names or ISO codes) restricts a GeoNames dump such as allCountries.txt.
    """
    gz = gz or load_gazetteer(user=False)
    only = set()
    for c in countries:
        name = gz.country_name(c)
        if name is None:
            raise GazetteerFileError(path, 0, f"unknown country {c!r} in --country")
        only.add(next((k.upper() for k, (n, _) in gz.world.items() if n == name and len(k) == 2), c.upper()))
    fmt = detect_format(path)
    result = ImportResult(path, "GeoNames dump" if fmt == "geonames" else "places CSV")
    rows = read_geonames(path, gz, result, only or None) if fmt == "geonames" else read_csv(path, gz)
    select = f"SELECT {', '.join(COLUMNS)} FROM places WHERE key = ?"
    insert = f"INSERT OR REPLACE INTO places ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})"
    with con:  # one transaction per file: an error in any row rolls the whole file back
        for row in rows:
            old = con.execute(select, (row[0],)).fetchone()
            if old == row:
                result.unchanged += 1
                continue
            con.execute(insert, row)
            if old is None:
                result.added += 1
            else:
                result.updated += 1
    return result


def import_files(paths: Iterable[Path], db_path: Path) -> list[ImportResult]:
    """Import files one by one into the user gazetteer; stops at the first bad file (earlier ones kept)."""
    con = connect(db_path)
    try:
        return [import_file(con, Path(p)) for p in paths]
    finally:
        con.close()
        reset_cache()
