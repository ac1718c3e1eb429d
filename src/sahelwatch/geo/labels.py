"""Place labels for the web map, from the gazetteer in use (embedded + imported places), offline.

Each label has the zoom from which the map shows it: capitals first, then admin1 names and regional
towns at region zoom, towns by population, and villages last (population unknown or small).
"""
from __future__ import annotations

from dataclasses import dataclass

from sahelwatch.geo.gazetteer import Gazetteer, Place, load_gazetteer, norm

# (minimum population, zoom): the first row whose population a town reaches
TOWN_ZOOMS = ((100_000, 6), (30_000, 7), (10_000, 8), (2_000, 9))
CAPITAL_ZOOM, ADMIN1_ZOOM, REGIONAL_TOWN_ZOOM, DISTRICT_TOWN_ZOOM, VILLAGE_ZOOM = 5, 6, 6, 7, 10
DUPLICATE_DEGREES = 0.2
COLUMNS = ("name", "latitude", "longitude", "kind", "zoom", "population", "country", "admin1")


@dataclass(frozen=True)
class Label:
    """One map label: a place name at its coordinates, shown from ``zoom`` on."""

    name: str
    latitude: float
    longitude: float
    kind: str  # capital | admin1 | town | village
    zoom: int
    population: int
    country: str
    admin1: str

    def row(self) -> list[object]:
        return [self.name, self.latitude, self.longitude, self.kind, self.zoom, self.population, self.country,
                self.admin1]


def label_for(place: Place) -> Label | None:
    """The label of a place, or None for places the map does not name (countries, admin2 units, places
    without coordinates or placed only at their commune)."""
    if place.latitude is None or place.longitude is None or place.approximate:
        return None
    if place.kind == "admin1":
        kind, zoom = "admin1", ADMIN1_ZOOM
    elif place.kind != "locality":
        return None
    elif place.feature == "PPLC":
        kind, zoom = "capital", CAPITAL_ZOOM
    else:
        zoom = next((z for floor, z in TOWN_ZOOMS if place.population >= floor), VILLAGE_ZOOM)
        if place.feature == "PPLA":
            zoom = min(zoom, REGIONAL_TOWN_ZOOM)
        elif place.feature == "PPLA2":
            zoom = min(zoom, DISTRICT_TOWN_ZOOM)
        kind = "town" if zoom < VILLAGE_ZOOM else "village"
    return Label(place.name, round(place.latitude, 4), round(place.longitude, 4), kind, zoom, place.population,
                 place.country, place.admin1)


_CACHE: dict[int, tuple[Gazetteer, tuple[Label, ...]]] = {}


def _labels_of(gz: Gazetteer) -> tuple[Label, ...]:
    """Every label of a gazetteer, most prominent first (kept while that gazetteer is the one in use)."""
    cached = _CACHE.get(id(gz))
    if cached is not None and cached[0] is gz:
        return cached[1]
    seen: set[int] = set()
    found = []
    for bucket in gz.index.values():
        for place in bucket:
            if id(place) not in seen:
                seen.add(id(place))
                found.append(label_for(place))
    found.sort(key=lambda lb: (lb.zoom, -lb.population, lb.name) if lb else (99, 0, ""))
    # One label per place: two records of a name within about 20 km (two spellings, two sources) are one,
    # the more prominent kept.
    kept: dict[tuple[str, bool], list[Label]] = {}
    out = []
    for lb in found:
        if lb is None:
            continue
        near = kept.setdefault((norm(lb.name), lb.kind == "admin1"), [])
        if not any(abs(o.latitude - lb.latitude) < DUPLICATE_DEGREES and abs(o.longitude - lb.longitude) < DUPLICATE_DEGREES
                   for o in near):
            near.append(lb)
            out.append(lb)
    labels = tuple(out)
    _CACHE.clear()
    _CACHE[id(gz)] = (gz, labels)
    return labels


def map_labels(bbox: tuple[float, float, float, float] | None = None, max_zoom: int | None = None,
               gazetteer: Gazetteer | None = None) -> list[Label]:
    """The labels inside ``bbox`` (W, S, E, N) shown by ``max_zoom``, the most prominent first."""
    gz = gazetteer or load_gazetteer()
    labels = _labels_of(gz)
    if bbox is not None:
        w, s, e, n = bbox
        labels = tuple(lb for lb in labels if w <= lb.longitude <= e and s <= lb.latitude <= n)
    if max_zoom is not None:
        labels = tuple(lb for lb in labels if lb.zoom <= max_zoom)
    return list(labels)
