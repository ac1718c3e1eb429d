"""Linking event records from different reports that describe the same incident.

Pure functions over event dicts (the fields of ``sahelwatch.model.Event``): ``same_incident``
decides whether two records match, ``combine`` folds matching records into one,
``candidate_window`` gives the day range a store looks candidates up in (an index on
(country, day)) and ``BlockIndex`` blocks them by country, date bucket and map cell, so linking
n events costs O(n log n), not O(n^2). The rules are data (``data/dedup.yaml``).
"""
from __future__ import annotations

import datetime as dt
import difflib
import functools
import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any

import yaml
from rapidfuzz.distance import LCSseq

EPOCH = dt.date(1970, 1, 1)
_ERA = re.compile(r"\s*\((?:\d{4}\s*-\s*(?:\d{4})?|[^)]*\d{4}[^)]*)\)\s*$")
_PARENS = re.compile(r"\s*\([^)]*\)\s*$")


@functools.cache
def rules() -> dict[str, Any]:
    """The matching rules from data/dedup.yaml (loaded once, on first use)."""
    data = yaml.safe_load(resources.files("sahelwatch").joinpath("data/dedup.yaml").read_text("utf-8"))
    data["date_window_days"] = {int(k): int(v) for k, v in data["date_window_days"].items()}
    data["distance_km"] = {int(k): float(v) for k, v in data["distance_km"].items()}
    data["different_places_km"] = {int(k): float(v) for k, v in data["different_places_km"].items()}
    groups: dict[str, set[str]] = {}
    for group in data["compatible_event_types"]:
        for name in group:
            groups.setdefault(name, set()).update(group)
    data["type_groups"] = groups
    data["generic_actors"] = set(data["generic_actors"])
    data["unidentified_matches_inter"] = set(data["unidentified_matches_inter"])
    data["named_group_inter"] = set(data["named_group_inter"])
    data["denial_words"] = tuple(data["denial_words"])
    return data


@functools.lru_cache(maxsize=65536)
def day_number(date: str | dt.date | None) -> int | None:
    """Days since 1970-01-01 of an ISO date (the store's blocking key); None when unknown or malformed."""
    if not date:
        return None
    try:
        d = date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date)[:10])
    except ValueError:
        return None
    return (d - EPOCH).days


@functools.lru_cache(maxsize=65536)
def actor_key(name: str | None) -> str:
    """Canonical actor name for comparison: lower case, era in parentheses dropped.

    "Military Forces of Niger (2023-)" and "Military Forces of Niger (2011-2023)" share a key.
    """
    if not name:
        return ""
    return _ERA.sub("", name.strip()).strip().lower()


def _base_key(name: str) -> str:
    """Actor key without any trailing parenthesis (the country of a generic actor)."""
    return _PARENS.sub("", name).strip()


def _split_assoc(value: str | None) -> list[str]:
    return [p.strip() for p in (value or "").split(";") if p.strip()]


def actor_keys(event: dict[str, Any]) -> set[str]:
    """Keys of every actor an event names: actor1, actor2 and the associated actors."""
    names = [event.get("actor1"), event.get("actor2"), *_split_assoc(event.get("assoc_actor_1")),
             *_split_assoc(event.get("assoc_actor_2"))]
    return {k for k in (actor_key(n) for n in names) if k}


def date_window(time_precision: int | None) -> int:
    """Days either side within which a record of this time precision may fall."""
    windows = rules()["date_window_days"]
    return windows.get(int(time_precision or 1), max(windows.values()))


def max_window() -> int:
    return max(rules()["date_window_days"].values())


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def dates_match(a: dict[str, Any], b: dict[str, Any]) -> bool:
    da, db = day_number(a.get("event_date")), day_number(b.get("event_date"))
    if da is None or db is None:
        return False
    return abs(da - db) <= max(date_window(a.get("time_precision")), date_window(b.get("time_precision")))


def _norm(s: str | None) -> str:
    return (s or "").strip().lower()


@functools.lru_cache(maxsize=65536)
def place_key(name: str | None) -> str:
    """A place name for comparison: accents, case, hyphens, apostrophes and doubled letters dropped
    ("Inatès" and "Inates", "Seytenga" and "Seitenga" aside, "Bonni" and "Boni" share a key)."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    text = re.sub(r"[^a-z0-9]", "", text).replace("y", "i")
    return re.sub(r"(.)\1+", r"\1", text)


@functools.lru_cache(maxsize=65536)
def place_names_match(a: str | None, b: str | None) -> bool:
    """Two spellings of one place name: the same key, or keys one letter apart (another transliteration)."""
    ka, kb = place_key(a), place_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    if min(len(ka), len(kb)) < 5 or abs(len(ka) - len(kb)) > 2 or any(c.isdigit() for c in ka + kb):
        return False  # numbered sites ("Site-12", "Km 40") differ by their number
    # difflib's ratio counts at most the longest common subsequence (rapidfuzz's, much faster): below the
    # threshold there, below it in difflib too; only the pairs that pass are given to difflib, which decides.
    if 2 * LCSseq.similarity(ka, kb) / (len(ka) + len(kb)) < 0.85 - 1e-9:
        return False
    m = difflib.SequenceMatcher(None, ka, kb)
    return m.quick_ratio() >= 0.85 and m.ratio() >= 0.85


def places_match(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Same country, then: coordinates within the distance the coarser precision allows; without
    coordinates on both sides, the same admin2, else the same location name, else the same admin1."""
    ca, cb = _norm(a.get("country")), _norm(b.get("country"))
    if ca and cb and ca != cb:
        return False
    lat1, lon1, lat2, lon2 = a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")
    precision = max(int(a.get("geo_precision") or 3), int(b.get("geo_precision") or 3))
    if None not in (lat1, lon1, lat2, lon2):
        km = distance_km(float(lat1), float(lon1), float(lat2), float(lon2))
        if km > rules()["distance_km"].get(precision, max(rules()["distance_km"].values())):
            return False
        return km <= _named_place_limit(a, b, precision) or _strong_agreement(a, b)
    a2, b2 = _norm(a.get("admin2")), _norm(b.get("admin2"))
    if a2 and b2:
        a1, b1 = _norm(a.get("admin1")), _norm(b.get("admin1"))
        return a2 == b2 and (not a1 or not b1 or a1 == b1)
    la, lb = _norm(a.get("location")), _norm(b.get("location"))
    if la and lb:
        return la == lb
    a1, b1 = _norm(a.get("admin1")), _norm(b.get("admin1"))
    return bool(a1 and b1 and a1 == b1)


def _named_place_limit(a: dict[str, Any], b: dict[str, Any], precision: int) -> float:
    """Kilometres within which two records naming different places (not two spellings of one name) are still
    one place: the village and the camp beside it; a report placed only in its region names no place."""
    if precision >= 3 or place_names_match(a.get("location"), b.get("location")):
        return math.inf
    if not place_key(a.get("location")) or not place_key(b.get("location")):
        return math.inf
    return rules()["different_places_km"].get(precision, math.inf)


def _strong_agreement(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """The same named armed group, the same event type and the same day: enough to link two records that name
    neighbouring places (the post and the village beside it)."""
    ga, gb = _named_groups(a), _named_groups(b)
    return bool(ga & gb) and a.get("event_type") == b.get("event_type") and \
        day_number(a.get("event_date")) == day_number(b.get("event_date"))


def types_match(a: dict[str, Any], b: dict[str, Any]) -> bool:
    ta, tb = a.get("event_type") or "", b.get("event_type") or ""
    if not ta or not tb or ta == tb:
        return True
    return tb in rules()["type_groups"].get(ta, ())


def _inters(event: dict[str, Any]) -> set[int]:
    return {int(c) for c in (event.get("inter1"), event.get("inter2")) if c}


def _named_groups(event: dict[str, Any]) -> set[str]:
    """Keys of the named non-state armed groups a record codes as actor1/actor2 (inter codes in
    ``named_group_inter``; unidentified groups left out)."""
    wanted = rules()["named_group_inter"]
    out = set()
    for col, inter in (("actor1", "inter1"), ("actor2", "inter2")):
        key = actor_key(event.get(col))
        if key and not key.startswith("unidentified") and event.get(inter) in wanted:
            out.add(key)
    return out


def actors_match(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """At least one actor in common (ignoring eras); generic actors (civilians) count only when neither
    record names anyone else; an unidentified armed group matches a named armed group when nothing
    else that record names contradicts the other."""
    generic = rules()["generic_actors"]
    ga, gb = _named_groups(a), _named_groups(b)
    if ga and gb and not ga & gb:
        return False  # two different named armed groups: two incidents (the army they fought proves nothing)
    ka, kb = actor_keys(a), actor_keys(b)
    if not ka or not kb:
        return True
    sa_ = {k for k in ka if _base_key(k) not in generic}
    sb = {k for k in kb if _base_key(k) not in generic}
    if sa_ and sb:
        if sa_ & sb:
            return True
        wanted = rules()["unidentified_matches_inter"]
        for one, two, two_rec in ((sa_, sb, b), (sb, sa_, a)):
            unknown = {k for k in one if k.startswith("unidentified")}
            if unknown and not (one - unknown) and _inters(two_rec) & wanted:
                return True  # "gunmen" in one report, the group named in the other, no other side to contradict
        return False
    return bool(ka & kb)


def same_incident(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """True when two event records describe the same incident (date, place, type and actors all agree)."""
    return dates_match(a, b) and places_match(a, b) and types_match(a, b) and actors_match(a, b)


def match_score(a: dict[str, Any], b: dict[str, Any]) -> float:
    """How closely two matching records agree (higher is closer): used to pick among several candidates."""
    score = 0.0
    da, db = day_number(a.get("event_date")), day_number(b.get("event_date"))
    if da is not None and db is not None:
        score += 1.0 / (1 + abs(da - db))
    if a.get("event_type") == b.get("event_type"):
        score += 1.0
    if a.get("sub_event_type") and a.get("sub_event_type") == b.get("sub_event_type"):
        score += 0.5
    score += 0.5 * len(actor_keys(a) & actor_keys(b))
    if place_names_match(a.get("location"), b.get("location")):
        score += 1.0
    lat1, lon1, lat2, lon2 = a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")
    if None not in (lat1, lon1, lat2, lon2):
        score += 1.0 / (1 + distance_km(float(lat1), float(lon1), float(lat2), float(lon2)) / 10)
    return score


def best_match(event: dict[str, Any], candidates: Iterable[dict[str, Any]]) -> dict[str, Any] | None:
    """The candidate describing the same incident as ``event`` with the highest score, or None."""
    best, best_score = None, -1.0
    for cand in candidates:
        if same_incident(event, cand):
            s = match_score(event, cand)
            if s > best_score:
                best, best_score = cand, s
    return best


@functools.lru_cache(maxsize=65536)
def source_scale_of(source: str | None) -> str:
    """ACLED source_scale of one outlet name or domain: International, National, Subnational or Other."""
    name = _norm(source)
    if not name:
        return ""
    for scale, needles in rules()["source_scales"].items():
        if any(n in name for n in needles):
            return scale
    return "Other"


_SCALE_ORDER = ("Subnational", "National", "Regional", "International", "Other", "New media")


def combine_scales(scales: Iterable[str]) -> str:
    """ACLED-style combined scale: one scale as is, two as "National-International", more as "Other-..."."""
    found = sorted({s for s in scales if s}, key=lambda s: _SCALE_ORDER.index(s) if s in _SCALE_ORDER else 99)
    if not found:
        return ""
    if len(found) <= 2:
        return "-".join(found)
    return "Other-" + found[-1]


def _sources_of(event: dict[str, Any]) -> list[str]:
    return [s.strip() for s in (event.get("source") or "").split(";") if s.strip()]


def _evidence(event: dict[str, Any]) -> list[dict[str, Any]]:
    ev = event.get("evidence") or []
    if isinstance(ev, str):
        ev = json.loads(ev or "[]")
    return [dict(e) if isinstance(e, dict) else e.to_dict() for e in ev]


PLACE_FIELDS = ("iso", "country", "admin1", "admin2", "location", "latitude", "longitude", "geo_precision")


def combine(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One event from several records of the same incident (the first is the one kept).

    Keeps the first record's coding (types, actors, notes), the most precise date and place, the
    lowest fatality figure with the range in fatalities_min/fatalities_max, every source and
    evidence span; claimed only when every record is a claim.
    """
    if not records:
        raise ValueError("combine() needs at least one record")
    out = dict(records[0])
    _keep_best_date_and_place(out, records)
    for f in ("actor1", "actor2", "event_type", "sub_event_type", "disorder_type", "notes"):
        if not out.get(f):
            out[f] = next((r.get(f) for r in records if r.get(f)), out.get(f) or "")
    for f in ("inter1", "inter2", "interaction"):
        if out.get(f) is None:
            out[f] = next((r.get(f) for r in records if r.get(f) is not None), None)
    for f in ("assoc_actor_1", "assoc_actor_2"):
        out[f] = "; ".join(_union(_split_assoc(r.get(f)) for r in records))
    _combine_figures(out, records)
    _combine_claims(out, records)
    out["civilian_targeting"] = any(bool(r.get("civilian_targeting")) for r in records)
    out["confidence"] = max(float(r.get("confidence") or 0) for r in records)
    if any(r.get("salience") == "main" for r in records):
        out["salience"] = "main"
    sources = _union(_sources_of(r) for r in records)
    out["source"] = "; ".join(sources)
    out["source_scale"] = combine_scales(source_scale_of(s) for s in sources)
    out["independent_sources"] = len({source_origin(s) for s in sources}) or 1
    out["evidence"] = _union(_evidence(r) for r in records)
    return out


def _union(lists: Iterable[Iterable[Any]]) -> list[Any]:
    """The items of the lists in order, each once."""
    out: list[Any] = []
    for items in lists:
        out += [x for x in items if x not in out]
    return out


def _keep_best_date_and_place(out: dict[str, Any], records: Sequence[dict[str, Any]]) -> None:
    """The most precise date and the most precise place among the records."""
    dated = [r for r in records if r.get("event_date")]
    if dated:
        best = min(dated, key=lambda r: (int(r.get("time_precision") or 3), r["event_date"]))
        out["event_date"], out["time_precision"] = best["event_date"], best.get("time_precision")
    placed = [r for r in records if r.get("country") or r.get("latitude") is not None]
    if placed:
        best = min(placed, key=lambda r: (0 if r.get("latitude") is not None else 1,
                                          int(r.get("geo_precision") or 4)))
        for f in PLACE_FIELDS:
            out[f] = best.get(f)


def _json_list(value: Any) -> list[dict[str, Any]] | None:
    if value is None or value == "":
        return None
    return json.loads(value) if isinstance(value, str) else list(value)


def fatality_figures(record: dict[str, Any]) -> list[dict[str, Any]]:
    """The tolls behind a record, each with its source: a combined event's list, else the record's own figure
    (none when it gives no toll, or when it is a party's denial)."""
    kept = _json_list(record.get("fatality_figures"))
    if kept is not None:
        return kept
    if is_denial(record):
        return []
    figures = {int(x) for x in (record.get("fatalities_min"), record.get("fatalities"), record.get("fatalities_max"))
               if x}
    return [{"doc_id": record.get("doc_id") or "", "source": record.get("source") or "", "fatalities": f}
            for f in sorted(figures)]


def _combine_figures(out: dict[str, Any], records: Sequence[dict[str, Any]]) -> None:
    """The lowest toll any source gave, with the range and the source of each figure (a report giving no
    toll, or denying, lowers nothing); the lowest injured figure."""
    figures = _union(fatality_figures(r) for r in records)
    values = [int(f["fatalities"]) for f in figures]
    out["fatality_figures"] = figures
    out["fatalities_min"] = min(values) if values else 0
    out["fatalities_max"] = max(values) if values else 0
    out["fatalities"] = out["fatalities_min"]
    injured = [int(r["injured"]) for r in records if r.get("injured") is not None]
    out["injured"] = min(injured) if injured else None


# Blocks: (time class, place class) -> (days per time bucket, degrees per grid cell). A record is
# "fine" in time when day-precise, "fine" in place when it has coordinates at geo_precision 1-2.
_TIME_CLASSES = {"fine": 7, "coarse": 31}
_PLACE_CLASSES = {"fine": 0.5, "coarse": 1.5, "none": None}
_KM_PER_DEGREE = 111.0


def _time_class(event: dict[str, Any]) -> str:
    return "fine" if int(event.get("time_precision") or 1) <= 1 else "coarse"


def _place_class(event: dict[str, Any]) -> str:
    if event.get("latitude") is None or event.get("longitude") is None:
        return "none"
    return "fine" if int(event.get("geo_precision") or 3) <= 2 else "coarse"


class BlockIndex:
    """In-memory blocks of events by country, date bucket and map cell.

    Candidates for an event are the records in the few blocks its date window and distance limit
    touch: a handful of dict lookups and a handful of records per event however many are indexed,
    so linking n events costs O(n) lookups after the O(log n) index reads of the store.
    """

    def __init__(self) -> None:
        self._cells: dict[tuple, list[dict[str, Any]]] = {}
        self._by_time: dict[tuple, list[dict[str, Any]]] = {}  # every record, for events without coordinates
        self._present: set[tuple[str, str, str]] = set()  # (country, time class, place class) indexed so far

    def add(self, event: dict[str, Any]) -> None:
        day = day_number(event.get("event_date"))
        if day is None:
            return
        country, tc, pc = _norm(event.get("country")), _time_class(event), _place_class(event)
        bucket = day // _TIME_CLASSES[tc]
        self._by_time.setdefault((country, tc, bucket), []).append(event)
        self._present.add((country, tc, pc))
        size = _PLACE_CLASSES[pc]
        cell = (None, None) if size is None else (int(event["latitude"] // size), int(event["longitude"] // size))
        self._cells.setdefault((country, tc, pc, bucket, *cell), []).append(event)

    def candidates(self, event: dict[str, Any]) -> list[dict[str, Any]]:
        """Records that may describe the same incident (a superset: ``same_incident`` decides)."""
        day = day_number(event.get("event_date"))
        out: list[dict[str, Any]] = []
        if day is None:
            return out
        country = _norm(event.get("country"))
        countries = (country,) if country else {k[0] for k in self._by_time}
        own_window = date_window(event.get("time_precision"))
        lat, lon = event.get("latitude"), event.get("longitude")
        own_place = 3 if _place_class(event) != "fine" else 2
        widest = max_window()
        for c in countries:
            for tc, days in _TIME_CLASSES.items():
                w = max(own_window, widest if tc == "coarse" else 1)
                buckets = range((day - w) // days, (day + w) // days + 1)
                if lat is None or lon is None:
                    for b in buckets:
                        out += self._by_time.get((c, tc, b), ())
                    continue
                for pc in _PLACE_CLASSES:
                    if (c, tc, pc) in self._present:
                        self._near(out, (c, tc, pc), buckets, float(lat), float(lon), own_place)
        return out

    def _near(self, out: list[dict[str, Any]], block: tuple[str, str, str], buckets: range, lat: float, lon: float,
              own_place: int) -> None:
        """Add to ``out`` the records of one block within the distance limit's grid cells around (lat, lon)."""
        get, pc = self._cells.get, block[2]
        size = _PLACE_CLASSES[pc]
        if size is None:
            for b in buckets:
                out += get((*block, b, None, None), ())
            return
        limit_km = rules()["distance_km"][max(own_place, 2 if pc == "fine" else 3)]
        dlat = limit_km / _KM_PER_DEGREE
        dlon = dlat / max(0.1, math.cos(math.radians(lat)))
        rows = range(int((lat - dlat) // size), int((lat + dlat) // size) + 1)
        cols = range(int((lon - dlon) // size), int((lon + dlon) // size) + 1)
        for b in buckets:
            for y in rows:
                for x in cols:
                    found = get((*block, b, y, x))
                    if found:
                        out += found


def candidate_window(event: dict[str, Any]) -> tuple[int, int] | None:
    """The day range (inclusive) a store must look in for candidates of ``event``."""
    day = day_number(event.get("event_date"))
    if day is None:
        return None
    w = max(date_window(event.get("time_precision")), max_window())
    return day - w, day + w


def _needles_in(name: str, table: dict[str, list[str]]) -> str:
    for key, needles in table.items():
        if any(n in name for n in needles):
            return key
    return ""


@functools.lru_cache(maxsize=65536)
def source_origin(source: str | None) -> str:
    """Who a source's copy comes from: the agency an outlet carries ("France 24 (AFP)" -> "afp"), else the
    outlet itself; two sources with one origin are one independent source."""
    name = _norm(source)
    return _needles_in(name, rules()["agencies"]) or name


@functools.lru_cache(maxsize=65536)
def source_party(source: str | None) -> str:
    """The party to the fighting an outlet speaks for ("az-Zallaqa (JNIM)" -> "jnim"), else ""."""
    return _needles_in(_norm(source), rules()["party_sources"])


def _said(record: dict[str, Any]) -> str:
    return " ".join([str(record.get("notes") or ""), *(str(e.get("text") or "") for e in _evidence(record))]).lower()


def is_denial(record: dict[str, Any]) -> bool:
    """A party's outlet denying what is reported (kept as a note on the event; it confirms nothing)."""
    if not source_party(record.get("source")) or record.get("claimed"):
        return False
    said = _said(record)
    return any(w in said for w in rules()["denial_words"])


def source_notes(record: dict[str, Any]) -> list[dict[str, Any]]:
    """What a record adds to an event's notes: a combined event's list, else its own claim or denial."""
    kept = _json_list(record.get("source_notes"))
    if kept is not None:
        return kept
    base = {"doc_id": record.get("doc_id") or "", "source": record.get("source") or ""}
    if record.get("claimed"):
        return [{**base, "note": "claim", "by": record.get("actor1") or source_party(record.get("source"))}]
    if is_denial(record):
        return [{**base, "note": "denial", "by": source_party(record.get("source")),
                 "text": _denial_text(record)}]
    return []


def _denial_text(record: dict[str, Any]) -> str:
    for e in _evidence(record):
        for sentence in re.split(r"(?<=[.!?])\s+", str(e.get("text") or "")):
            if any(w in sentence.lower() for w in rules()["denial_words"]):
                return sentence.strip()[:500]
    return ""


def _confirmation(record: dict[str, Any], claimants: set[str]) -> str:
    """The source a record confirms its event with ("" when it cannot: a claim, a denial, the claimant's own)."""
    source = record.get("confirmed_by")  # a stored event: its own confirmation
    if source is None:
        if record.get("claimed") or is_denial(record):
            return ""
        source = str(record.get("source") or "") or "unnamed source"
    party = source_party(source)
    if party and any(party in actor_key(c) for c in claimants):
        return ""
    return str(source)


def _combine_claims(out: dict[str, Any], records: Sequence[dict[str, Any]]) -> None:
    """Claims and their confirmation: ``claimed`` until a source that is not the claimant's own reports the
    event (``confirmed_by`` names it); a party's denial stays as a note."""
    notes = _union(source_notes(r) for r in records)
    claimants = {n.get("by") or "" for n in notes if n.get("note") == "claim"}
    confirmed = next((c for r in records if (c := _confirmation(r, claimants))), "")
    out["source_notes"] = notes
    out["confirmed_by"] = confirmed
    out["claimed"] = not confirmed and (bool(claimants) or any(bool(r.get("claimed")) for r in records))


CORROBORATION_FIELDS = ("independent_sources", "confirmed_by", "source_notes", "fatality_figures", "claimed",
                        "fatalities", "fatalities_min", "fatalities_max")


def corroboration(record: dict[str, Any]) -> dict[str, Any]:
    """A new record's own corroboration fields (one source: its claim or denial, its toll)."""
    one: dict[str, Any] = {}  # what combine([record]) gives these fields, without the rest of combine's work
    _combine_figures(one, (record,))
    _combine_claims(one, (record,))
    one["independent_sources"] = len({source_origin(s) for s in _union([_sources_of(record)])}) or 1
    return {k: one[k] for k in CORROBORATION_FIELDS}


def link_reason(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """Why two records were linked, for the analyst: date gap, distance, place names, shared actors, types."""
    da, db = day_number(a.get("event_date")), day_number(b.get("event_date"))
    lat1, lon1, lat2, lon2 = a.get("latitude"), a.get("longitude"), b.get("latitude"), b.get("longitude")
    km = (round(distance_km(float(lat1), float(lon1), float(lat2), float(lon2)), 1)
          if None not in (lat1, lon1, lat2, lon2) else None)
    return {
        "date_gap_days": None if da is None or db is None else abs(da - db),
        "distance_km": km,
        "places": [a.get("location") or a.get("admin2") or a.get("admin1") or "",
                   b.get("location") or b.get("admin2") or b.get("admin1") or ""],
        "same_place_name": place_names_match(a.get("location"), b.get("location")),
        "shared_actors": sorted(actor_keys(a) & actor_keys(b)),
        "types": [a.get("event_type") or "", b.get("event_type") or ""],
        "score": round(match_score(a, b), 3),
    }
