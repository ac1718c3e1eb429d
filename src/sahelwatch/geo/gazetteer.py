"""The gazetteer: place records, the embedded default tables and the user's imported places.

The embedded default is three small files shipped in ``geo/data`` (GeoNames ``cities500`` for the
Sahel and neighbours, admin1/admin2 tables, and a curated list of conflict-relevant localities);
places a user imports (``sahelwatch gazetteer import``) live in a SQLite file and are merged over
the default when the gazetteer is loaded. Loading happens once, on first use, never at import.
"""
from __future__ import annotations

import csv
import functools
import math
import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

ENV_VAR = "SAHELWATCH_GAZETTEER"


@dataclass(frozen=True)
class Place:
    """One gazetteer entry: a locality, an administrative unit or a country."""

    name: str
    country: str
    iso: int | None
    admin1: str = ""
    admin2: str = ""
    latitude: float | None = None
    longitude: float | None = None
    feature: str = "PPL"  # GeoNames feature code: PPL*, ADM1, ADM2, PCLI, PRK, MN, ... (PPL-APPROX: at its commune)
    population: int = 0
    source: str = ""

    @property
    def kind(self) -> str:
        """country | admin1 | admin2 | locality."""
        return {"PCLI": "country", "ADM1": "admin1", "ADM2": "admin2"}.get(self.feature, "locality")

    @property
    def approximate(self) -> bool:
        """True when the coordinates are those of the commune or district, not the place itself."""
        return self.feature.endswith("APPROX")


@dataclass(frozen=True)
class PlaceMention:
    """A place named in a text: its character span, the surface text and the place it resolved to."""

    start: int
    end: int
    text: str
    place: Place | None
    kind: str  # country | admin1 | admin2 | locality | unknown
    near: bool = False  # "near X", "X area", "between X and Y": geo_precision 2
    cue: str = ""  # "in" when introduced by in/at/village of..., "near" for near-cues, "" otherwise
    source: str = "gazetteer"  # gazetteer | ner
    admin1_hint: str = ""  # for a country: the region a direction implies ("western Niger" -> Tillaberi)
    road: bool = False  # an end of a named road ("the Kaduna-Abuja highway"): the event lies between the ends
    context: bool = False  # where it was told ("police in Kaduna state said"): context, not the event's place


@dataclass(frozen=True)
class Location:
    """Where one event happened, in ACLED's fields."""

    country: str
    iso: int | None
    admin1: str
    admin2: str
    location: str
    latitude: float | None
    longitude: float | None
    geo_precision: int


@functools.lru_cache(maxsize=1 << 16)
def norm(text: str) -> str:
    """Lookup key of a name: accents, case, spaces, hyphens and apostrophes removed ("Fada N'Gourma" -> fadangourma)."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if c.isalnum() and not unicodedata.combining(c)).lower()


def km(a: Place, b: Place) -> float:
    """Great-circle distance in kilometres (inf when either has no coordinates)."""
    if a.latitude is None or b.latitude is None or a.longitude is None or b.longitude is None:
        return math.inf
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


_CONFIGURED: list[Path] = []  # set by configure_db_path (sahelwatch.settings: SAHELWATCH_GAZETTEER)


_PLACES: list[Path] = []  # the user places CSV (settings.user_places), read on every load when it changed


def configure_db_path(path: Path | None) -> None:
    """Use this user gazetteer file from now on in this process (None: the default one)."""
    _CONFIGURED[:] = [Path(path).expanduser()] if path else []


def configure_places_path(path: Path | None) -> None:
    """Merge this user places CSV (the one reviews teach) over the gazetteer from now on in this process."""
    _PLACES[:] = [Path(path).expanduser()] if path else []


def default_db_path() -> Path:
    """The user gazetteer: the configured one, else ``$SAHELWATCH_GAZETTEER`` or ``~/.local/share/sahelwatch/gazetteer.db``."""
    if _CONFIGURED:
        return _CONFIGURED[0]
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env).expanduser()
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "sahelwatch" / "gazetteer.db"


@dataclass
class Country:
    name: str
    iso: int
    iso2: str
    latitude: float
    longitude: float
    alternate_names: list[str]
    demonyms: list[str]


@dataclass
class Gazetteer:
    """Places indexed by normalised name, with the country and region tables the resolver needs."""

    index: dict[str, list[Place]] = field(default_factory=dict)
    countries: dict[str, Country] = field(default_factory=dict)
    demonyms: dict[str, str] = field(default_factory=dict)  # norm(demonym) -> country
    admin1: dict[tuple[str, str], Place] = field(default_factory=dict)  # (country, admin1) -> ADM1 place
    admin1_codes: dict[tuple[str, str], str] = field(default_factory=dict)  # (iso2, geonames code) -> admin1
    world: dict[str, tuple[str, int]] = field(default_factory=dict)  # norm(name or ISO2) -> (country, iso)
    words: dict = field(default_factory=dict)
    max_tokens: int = 1

    def add(self, place: Place, names: Iterable[str] = ()) -> None:
        """Index a place under its name and alternate names (duplicates of the same place merged)."""
        stop = self.words.get("stopwords", ())
        for name in {place.name, *names}:
            key = norm(name)
            if len(key) < 2 or key in stop or (len(key) < 3 and name != place.name):
                continue
            bucket = self.index.setdefault(key, [])
            for i, other in enumerate(bucket):
                if _same_place(other, place):
                    bucket[i] = _merge(other, place)
                    break
            else:
                bucket.append(place)
            self.max_tokens = max(self.max_tokens, len(_WORD.findall(name)))

    def lookup(self, name: str, country: str | None = None) -> list[Place]:
        """Candidates for a name, most populous first; ``country`` restricts them."""
        places = self.index.get(norm(name), [])
        if country:
            c = self.country_name(country) or country
            places = [p for p in places if p.country == c]
        return sorted(places, key=lambda p: (-_rank(p), -p.population, p.name))

    def country_name(self, name: str) -> str | None:
        """The English short name of a country from a name, alias, ISO code or demonym; None if unknown."""
        key = norm(name)
        for c in self.countries.values():
            if key in {norm(c.name), c.iso2.lower(), *map(norm, c.alternate_names)}:
                return c.name
        if key in self.demonyms:
            return self.demonyms[key]
        return self.world[key][0] if key in self.world else None

    def iso(self, country: str) -> int | None:
        c = self.countries.get(country)
        if c:
            return c.iso
        got = self.world.get(norm(country))
        return got[1] if got else None


_WORD = re.compile(r"[^\W\d_]+")


def _rank(p: Place) -> int:
    return {"PCLI": 5, "ADM1": 4, "PPLC": 4, "PPLA": 3, "ADM2": 2, "PPLA2": 2}.get(p.feature, 0)


def _same_place(a: Place, b: Place) -> bool:
    if a.country != b.country or a.kind != b.kind:
        return False
    if a.kind != "locality":
        return a.name == b.name and a.admin1 == b.admin1
    if a.feature in {"PRK", "MN", "FRST"} or b.feature in {"PRK", "MN", "FRST"}:
        return a.feature == b.feature and km(a, b) < 60
    return km(a, b) < 15


def _merge(old: Place, new: Place) -> Place:
    """Two records of the same place: curated/imported facts win, the larger population is kept."""
    keep = new if _priority(new) >= _priority(old) else old
    other = old if keep is new else new
    return Place(keep.name, keep.country, keep.iso, keep.admin1 or other.admin1, keep.admin2 or other.admin2,
                 keep.latitude, keep.longitude,
                 other.feature if keep.feature == "PPL" and other.feature.startswith("PPL")
                 and not other.approximate else keep.feature,
                 max(keep.population, other.population), keep.source)


def _priority(p: Place) -> int:
    if p.source.startswith("curated"):
        return 3 if not p.approximate else 1
    if p.source.startswith("import"):
        return 2
    return 0


def _data(name: str):
    return resources.files("sahelwatch.geo") / "data" / name


def _float(value: str) -> float | None:
    return float(value) if value not in ("", None) else None


def _alts(value: str) -> list[str]:
    return [a.strip() for a in (value or "").split("|") if a.strip()]


def build_default() -> Gazetteer:
    """The embedded gazetteer: countries, admin tables, GeoNames cities500 and curated localities."""
    import yaml

    gz = Gazetteer()
    with _data("words.yaml").open(encoding="utf-8") as f:
        gz.words = {k: (set(v) if isinstance(v, list) else v) for k, v in yaml.safe_load(f).items()}
    from sahelwatch.geo.cues import function_words  # every language's: the gazetteer serves them all

    gz.words["stopwords"] = function_words()
    with _data("countries.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            c = Country(row["name"], int(row["iso"]), row["iso2"], float(row["latitude"]), float(row["longitude"]),
                        _alts(row["alternate_names"]), _alts(row["demonyms"]))
            gz.countries[c.name] = c
            for d in c.demonyms:
                gz.demonyms[norm(d)] = c.name
            gz.add(Place(c.name, c.name, c.iso, "", "", c.latitude, c.longitude, "PCLI", 0, row["source"]),
                   c.alternate_names)
    regional = {c.iso2 for c in gz.countries.values()}
    with _data("world.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            iso = int(row["iso"])
            for n in (row["name"], row["iso2"], *_alts(row["alternate_names"])):
                gz.world.setdefault(norm(n), (row["name"], iso))
            if row["iso2"] not in regional:
                gz.add(Place(row["name"], row["name"], iso, feature="PCLI", source="pycountry"),
                       _alts(row["alternate_names"]))
    with _data("admin.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            country = row["country"]
            level = row["level"]
            admin1 = row["admin1"]
            p = Place(row["name"], country, gz.iso(country), admin1, row["name"] if level == "2" else "",
                      _float(row["latitude"]), _float(row["longitude"]), f"ADM{level}", 0, "curated admin table")
            names = _alts(row["alternate_names"])
            if level == "1":
                gz.admin1[(country, admin1)] = p
                if row["geonames_code"]:
                    gz.admin1_codes[(gz.countries[country].iso2, row["geonames_code"])] = admin1
            gz.add(p, names)
    gz.admin1_codes[("MR", "")] = "Nouakchott Ouest"
    with _data("cities.tsv").open(encoding="utf-8") as f:
        reader = csv.DictReader(f, delimiter="\t")
        for row in reader:
            country = row["country"]
            gz.add(Place(row["name"], country, gz.iso(country), row["admin1"], row["admin2"], float(row["latitude"]),
                         float(row["longitude"]), row["feature"], int(row["population"] or 0), row["source"]),
                   _alts(row["alternate_names"]))
    with _data("localities.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            add_row(gz, row, row.get("source") or "curated")
    return gz


def add_row(gz: Gazetteer, row: dict, source: str) -> Place:
    """Add one row in the localities CSV layout (name, alternate_names, country, admin1, ...)."""
    country = gz.country_name(row["country"]) or row["country"]
    admin1 = _admin1_name(gz, country, row.get("admin1") or "")
    p = Place(row["name"], country, gz.iso(country), admin1, row.get("admin2") or "", _float(row["latitude"]),
              _float(row["longitude"]), row.get("feature") or "PPL", int(row.get("population") or 0), source)
    gz.add(p, _alts(row.get("alternate_names", "")))
    return p


def _admin1_name(gz: Gazetteer, country: str, admin1: str) -> str:
    """The table's spelling of a region name ("Tillabéri" -> "Tillaberi"), or the name as given."""
    if not admin1:
        return ""
    for p in gz.index.get(norm(admin1), []):
        if p.kind == "admin1" and p.country == country:
            return p.admin1
    return admin1


def merge_user_db(gz: Gazetteer, path: Path) -> int:
    """Add the places of a user gazetteer file; returns how many were read."""
    if not path.exists():
        return 0
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT name, alternate_names, country, admin1, admin2, latitude, longitude, feature, "
                           "population, source FROM places").fetchall()
    except sqlite3.DatabaseError:
        return 0
    finally:
        con.close()
    for name, alts, country, admin1, admin2, lat, lon, feature, population, source in rows:
        gz.add(Place(name, country, gz.iso(country), admin1 or "", admin2 or "", lat, lon, feature or "PPL",
                     population or 0, source or "import"), _alts(alts))
    return len(rows)


def merge_places_csv(gz: Gazetteer, path: Path) -> int:
    """Add the places of a user places CSV (the ``gazetteer import`` CSV layout); returns how many were read.

    The file is checked when the settings are applied (``sahelwatch.learning.check_places_file``); here a row
    that cannot be read is skipped, so a file being edited never stops extraction.
    """
    try:
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except (OSError, UnicodeDecodeError, csv.Error):
        return 0
    n = 0
    for row in rows:
        try:
            if (row.get("name") or "").strip() and row.get("country"):
                add_row(gz, {k: (v or "").strip() for k, v in row.items() if k}, row.get("source") or "import:places")
                n += 1
        except (KeyError, ValueError):
            continue
    return n


def _stamp(path: Path | None) -> tuple[str, int, int, int] | None:
    """A file's identity and version (path, inode, mtime in ns, size): a cache key that changes when the file
    does, also when it is replaced by a rename."""
    if path is None:
        return None
    try:
        st = path.stat()
    except OSError:
        return (str(path), 0, 0, -1)
    return (str(path), st.st_ino, st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=4)
def _load(db: tuple[str, int, int, int] | None, places: tuple[str, int, int, int] | None) -> Gazetteer:
    gz = build_default()
    if db:
        merge_user_db(gz, Path(db[0]))
    if places and places[3] > 0:
        merge_places_csv(gz, Path(places[0]))
    return gz


def load_gazetteer(path: str | Path | None = None, *, user: bool = True) -> Gazetteer:
    """The gazetteer in use: the embedded default merged with the user gazetteer file and the user places CSV
    (cached per path and version: a file that changed, e.g. a village learned from a review, is read again)."""
    if not user:
        return _load(None, None)
    return _load(_stamp(Path(path or default_db_path())), _stamp(_PLACES[0] if _PLACES else None))


def reset_cache() -> None:
    """Forget loaded gazetteers (after an import, so the next lookup sees the new places)."""
    _load.cache_clear()
