"""Corrections that teach the extractor: a reviewer's fix of a place or an actor goes into the user files that
extraction reads (``Settings.user_places``: a places CSV in the ``sahelwatch gazetteer import`` layout;
``Settings.user_actors``: an actors file in the ``actors.yaml`` layout), with who added it and from which event.

The gazetteer and the actor registry read those files again when they change, so the next report naming the
village or the alias is placed and attributed with them. Every entry can be listed and undone.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import fcntl
import hashlib
import io
import os
import re
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sahelwatch.errors import ConfigError, InvalidRequest, NotFound
from sahelwatch.settings import Settings

PLACE_COLUMNS = ("name", "alternate_names", "country", "admin1", "admin2", "latitude", "longitude", "feature", "source",
                 "added_by", "event_id", "added_at")
LEARNED_SOURCE = "learned from review"
NEAR_KM = 15.0  # a known place of that name this close is the same place: nothing to learn
# ACLED inter code -> the registry category of a named actor learned with it
INTER_CATEGORY = {1: "state_forces", 2: "named", 3: "named", 4: "militia", 5: "rioters", 6: "protesters",
                  7: "civilians", 8: "external"}
_NAME = re.compile(r"[^\W\d_][\w .,'’()&:/-]{0,149}")
_ACTORS_HEADER = ("# sahelwatch user actors file: actors and aliases merged over the built-in registry.\n"
                  "# Reviews add entries here (added_by, event_id, added_at say who and from which event);\n"
                  "# the file is rewritten on each change, so keep hand-written comments in an --actors file.\n")


@dataclass(frozen=True)
class Learned:
    """One entry of the user files: a place, a new actor, or an alias of a known actor."""

    id: str
    kind: str  # place | actor | alias
    name: str  # the village, the actor's name, or the alias words
    actor: str | None = None  # alias: the actor it names
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    inter: int | None = None
    added_by: str = ""
    event_id: str = ""
    added_at: str = ""
    file: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Outcome:
    """What a review taught (entries added) and why a correction taught nothing (one line each)."""

    learned: list[Learned] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def learned_id(kind: str, *parts: Any) -> str:
    from sahelwatch.geo.gazetteer import norm

    key = "|".join([kind, *(norm(str(p or "")) for p in parts)])
    return hashlib.sha1(key.encode()).hexdigest()[:12]


# ---------------------------------------------------------------------- files
@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One writer at a time across processes (a lock file beside ``path``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it over ``path`` (readers never see half)."""
    handle, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def read_places(path: Path) -> list[dict[str, str]]:
    """The rows of a user places CSV (empty when the file does not exist)."""
    if not path.exists():
        return []
    try:
        with path.open(encoding="utf-8", newline="") as f:
            return [{k: (v or "") for k, v in row.items() if k} for row in csv.DictReader(f)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"{path}: cannot read the user places file ({exc})") from None


def _write_places(path: Path, rows: list[dict[str, str]]) -> None:
    columns = list(PLACE_COLUMNS) + sorted({k for r in rows for k in r} - set(PLACE_COLUMNS))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    _replace(path, buf.getvalue())


def read_actors(path: Path) -> dict[str, Any]:
    """The user actors file as plain data (empty when it does not exist)."""
    if not path.exists():
        return {}
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read the user actors file ({str(exc).splitlines()[0]})") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the user actors file must be a mapping with 'actors' and 'aliases'")
    return raw


def _write_actors(path: Path, raw: dict[str, Any]) -> None:
    body = yaml.safe_dump({k: v for k, v in raw.items() if v not in (None, [], {})}, allow_unicode=True,
                          sort_keys=False, width=120)
    _replace(path, _ACTORS_HEADER + body)


# ---------------------------------------------------------------------- learning from one review
def _stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clean_name(value: Any, what: str) -> str:
    text = " ".join(str(value or "").split())
    if not _NAME.fullmatch(text):
        raise InvalidRequest(f"{what} {str(value)[:60]!r}: not a name (letters first, at most 150 characters, "
                             "no markup or control characters)")
    return text


def learn_place(settings: Settings, event: Mapping[str, Any], changes: Mapping[str, Any], user: str,
                event_id: str) -> Outcome:
    """A place edit to a village the gazetteer lacks adds it to the user places CSV, with the event's (or the
    edit's) country, admin1 and admin2: a new location with its coordinates, or new coordinates for a location
    name the gazetteer does not know at all (the extractor kept the unknown name but placed it at its region)."""
    out = Outcome()
    named = bool(str(changes.get("location") or "").strip())
    moved = "latitude" in changes or "longitude" in changes
    if not named and not moved:
        return out
    if named and not moved:
        out.notes.append("place not learned: give the village's latitude and longitude with its name")
        return out
    row, why = _new_place({**event, **changes}, named, user, event_id)
    if row is None:
        if named and why:
            out.notes.append(f"place not learned: {why}")
        return out
    path = settings.user_places_path()
    with _locked(path):
        key = _place_id(row)
        _write_places(path, [r for r in read_places(path) if _place_id(r) != key] + [row])
    out.learned.append(_place_entry(row, path))
    return out


def _new_place(merged: Mapping[str, Any], named: bool, user: str, event_id: str) -> tuple[dict | None, str]:
    """The places CSV row an edited event teaches, or (None, why not)."""
    from sahelwatch.geo.gazetteer import Place, km, load_gazetteer

    lat, lon = merged.get("latitude"), merged.get("longitude")
    if lat is None or lon is None or not str(merged.get("location") or "").strip():
        return None, "give the village's latitude and longitude with its name"
    try:
        name = _clean_name(merged["location"], "location")
    except InvalidRequest as exc:
        return None, str(exc)
    gz = load_gazetteer()
    country = gz.country_name(str(merged.get("country") or ""))
    if country is None:
        return None, f"unknown country {merged.get('country')!r}"
    known = gz.lookup(name, country)
    here = Place(name, country, None, latitude=float(lat), longitude=float(lon))
    if any(p.kind == "locality" and km(p, here) < NEAR_KM for p in known) or (known and not named):
        return None, f"the gazetteer already has {name} there"
    if known and all(p.kind != "locality" for p in known):
        return None, f"{name} is a country or an administrative area, not a village"
    return {"name": name, "alternate_names": "", "country": country, "admin1": str(merged.get("admin1") or ""),
            "admin2": str(merged.get("admin2") or ""), "latitude": f"{float(lat):.5f}",
            "longitude": f"{float(lon):.5f}", "feature": "PPL", "source": LEARNED_SOURCE, "added_by": user,
            "event_id": event_id, "added_at": _stamp()}, ""


def _place_id(row: Mapping[str, str]) -> str:
    return learned_id("place", row.get("name"), row.get("country"), row.get("admin1"), row.get("admin2"))


def _place_entry(row: Mapping[str, str], path: Path) -> Learned:
    def number(v: str | None) -> float | None:
        try:
            return float(v) if v not in (None, "") else None
        except ValueError:
            return None

    return Learned(_place_id(row), "place", row.get("name", ""), None, row.get("country") or None,
                   row.get("admin1") or None, row.get("admin2") or None, number(row.get("latitude")),
                   number(row.get("longitude")), None, row.get("added_by", ""), row.get("event_id", ""),
                   row.get("added_at", ""), str(path))


def _generic_name(registry: Any, name: str) -> bool:
    """A category's name ("Civilians (Niger)", "Military Forces of Mali (2021-)"): nothing to learn."""
    for rule in registry.data.categories.values():
        pattern = re.escape(rule.name).replace(re.escape("{country}"), ".+").replace(re.escape("{era}"), ".+")
        if re.fullmatch(pattern, name):
            return True
    return False


def known_actor(registry: Any, name: str) -> bool:
    """The registry names this actor already (a named actor, or a category's generic name)."""
    return registry.get(name) is not None or _generic_name(registry, name)


def learn_actors(settings: Settings, event: Mapping[str, Any], changes: Mapping[str, Any], user: str,
                 event_id: str) -> Outcome:
    """An actor edit to a name the registry lacks adds the actor to the user actors file (its inter code and
    the event's country)."""
    from sahelwatch.actors import default_registry

    out = Outcome()
    registry = default_registry()
    merged = {**event, **changes}
    for side, inter_field in (("actor1", "inter1"), ("actor2", "inter2")):
        value = (changes.get(side) or "").strip() if isinstance(changes.get(side), str) else ""
        if not value or known_actor(registry, value):
            continue
        try:
            name = _clean_name(value, side)
        except InvalidRequest as exc:
            out.notes.append(f"actor not learned: {exc}")
            continue
        inter = merged.get(inter_field) if merged.get(inter_field) in INTER_CATEGORY else 3
        country = registry.country_name(merged.get("country"))
        entry = {"name": name, "short": name, "inter": int(inter), "category": INTER_CATEGORY[int(inter)],
                 "countries": [country] if country in registry.countries else [],
                 "added_by": user, "event_id": event_id, "added_at": _stamp()}
        out.learned.append(_add_actor_entry(settings.user_actors_path(), "actors", entry))
    return out


def check_alias(alias: str, actor: str, also: tuple[str, ...] = ()) -> str:
    """The cleaned alias words; InvalidRequest when they are not a name or ``actor`` is neither a named actor
    of the registry nor one of ``also`` (actors the same review is about to teach)."""
    from sahelwatch.actors import default_registry

    words = _clean_name(alias, "alias")
    target = default_registry().get(actor)
    if actor not in also and (target is None or "{" in target.name):
        raise InvalidRequest(f"alias actor {actor[:100]!r}: not a named actor of the registry (see GET /api/actors "
                             "or `sahelwatch actors --search`)")
    return words


def learn_alias(settings: Settings, alias: str, actor: str, user: str, event_id: str) -> Outcome:
    """Mark words a report uses ("the Sirba fighters") as an alias of a known actor, in the user actors file.

    InvalidRequest when the words are not a name or the actor is not a named actor of the registry.
    """
    from sahelwatch.actors import default_registry

    words = check_alias(alias, actor)
    registry = default_registry()
    target = registry.get(actor)
    out = Outcome()
    if any(m.key == target.name and m.text.casefold() == words.casefold() for m in registry.find_mentions(words)):
        out.notes.append(f"alias not learned: {words!r} already names {target.name}")
        return out
    entry = {"alias": words, "actor": target.name, "added_by": user, "event_id": event_id, "added_at": _stamp()}
    out.learned.append(_add_actor_entry(settings.user_actors_path(), "aliases", entry))
    return out


def _add_actor_entry(path: Path, section: str, entry: dict[str, Any]) -> Learned:
    with _locked(path):
        raw = read_actors(path)
        items = [e for e in raw.get(section) or [] if _actor_id(section, e) != _actor_id(section, entry)]
        raw[section] = [*items, entry]
        _write_actors(path, raw)
    return _actor_item(section, entry, path)


def _actor_id(section: str, entry: Any) -> str:
    if not isinstance(entry, dict):
        return ""
    if section == "aliases":
        return learned_id("alias", entry.get("alias"), entry.get("actor"))
    return learned_id("actor", entry.get("name"))


def _actor_item(section: str, e: Mapping[str, Any], path: Path) -> Learned:
    countries = e.get("countries") or []
    common = {"added_by": str(e.get("added_by") or ""), "event_id": str(e.get("event_id") or ""),
              "added_at": str(e.get("added_at") or ""), "file": str(path)}
    if section == "aliases":
        return Learned(_actor_id(section, e), "alias", str(e.get("alias") or ""), str(e.get("actor") or ""), **common)
    inter = e.get("inter") if isinstance(e.get("inter"), int) else None
    return Learned(_actor_id(section, e), "actor", str(e.get("name") or ""), None,
                   str(countries[0]) if isinstance(countries, list) and countries else None, inter=inter, **common)


def learn_from_edit(settings: Settings, before: Mapping[str, Any], changes: Mapping[str, Any], user: str,
                    event_id: str) -> Outcome:
    """Everything an edit teaches: a village the gazetteer lacks, actors the registry lacks."""
    out = Outcome()
    for part in (learn_place(settings, before, changes, user, event_id),
                 learn_actors(settings, before, changes, user, event_id)):
        out.learned += part.learned
        out.notes += part.notes
    return out


# ---------------------------------------------------------------------- listing and undoing
def list_learned(settings: Settings) -> list[Learned]:
    """Every entry of the user places CSV and the user actors file, newest first."""
    places_path, actors_path = settings.user_places_path(), settings.user_actors_path()
    items = [_place_entry(r, places_path) for r in read_places(places_path) if r.get("name")]
    raw = read_actors(actors_path)
    for section in ("actors", "aliases"):
        items += [_actor_item(section, e, actors_path) for e in raw.get(section) or [] if isinstance(e, dict)]
    return sorted(items, key=lambda x: x.added_at, reverse=True)


def undo_learned(settings: Settings, entry_id: str) -> Learned:
    """Remove one learned entry from its file (extraction no longer uses it); NotFound when there is none."""
    places_path, actors_path = settings.user_places_path(), settings.user_actors_path()
    with _locked(places_path):
        rows = read_places(places_path)
        gone = [r for r in rows if _place_id(r) == entry_id]
        if gone:
            _write_places(places_path, [r for r in rows if _place_id(r) != entry_id])
            return _place_entry(gone[0], places_path)
    with _locked(actors_path):
        raw = read_actors(actors_path)
        for section in ("actors", "aliases"):
            entries = raw.get(section) or []
            gone = [e for e in entries if _actor_id(section, e) == entry_id]
            if gone:
                raw[section] = [e for e in entries if _actor_id(section, e) != entry_id]
                _write_actors(actors_path, raw)
                return _actor_item(section, gone[0], actors_path)
    raise NotFound(f"no learned place, actor or alias {entry_id!r}")


def learned_for_event(settings: Settings, event: Mapping[str, Any], text: str = "") -> list[Learned]:
    """The learned entries an event's fields come from: its place, its actors, and aliases of its actors that
    its evidence (or ``text``) uses."""
    from sahelwatch.actors.matcher import fold
    from sahelwatch.geo.gazetteer import Place, km, norm

    try:
        entries = list_learned(settings)
    except ConfigError:
        return []
    evidence = " ".join(str(e.get("text") or "") for e in event.get("evidence") or []) + " " + text
    words = fold(evidence)
    actors = {event.get(k) for k in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")} - {None, ""}
    out = []
    for e in entries:
        if e.kind == "place":
            here = Place(e.name, e.country or "", None, latitude=event.get("latitude"), longitude=event.get("longitude"))
            there = Place(e.name, e.country or "", None, latitude=e.latitude, longitude=e.longitude)
            if norm(str(event.get("location") or "")) == norm(e.name) and km(here, there) < NEAR_KM:
                out.append(e)
        elif e.kind == "actor" and e.name in actors:
            out.append(e)
        elif e.kind == "alias" and e.actor in actors and re.search(rf"(?<!\w){re.escape(fold(e.name))}(?!\w)", words):
            out.append(e)
    return out
