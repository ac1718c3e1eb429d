"""Reading, checking and merging actor registry files (the YAML format of ``actors.yaml``).

A bad file raises :class:`ActorFileError` with one line naming the file, the line and the entry.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

STATE_CATEGORIES = ("state_forces", "police", "government")
# Categories whose generic mentions take a country from a demonym or the event ("Nigerien soldiers").
COUNTRYABLE = (*STATE_CATEGORIES, "unidentified_armed", "militia", "civilians", "civilians_weak", "protesters",
               "rioters")
NAMED_CATEGORIES = ("named", "militia", "external", "protesters", "state_forces", "government", "police")
_LINE = "__line__"
# Descriptors of this category are matched (so their words make no mention) but never reported:
# "military sources said", "the army spokesman" name who speaks, not who acts.
NOT_AN_ACTOR = "none"


class ActorFileError(ValueError):
    """A registry file that cannot be used; the message is one line: file, line, entry, problem."""


@dataclass(frozen=True)
class Era:
    start: dt.date
    label: str


@dataclass(frozen=True)
class Country:
    name: str
    iso: str = ""
    acled: str = ""  # the form in actor names, e.g. "the United States"
    names: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    postnominal: tuple[str, ...] = ()
    eras: tuple[Era, ...] = ()

    def era_ranges(self) -> list[tuple[dt.date, dt.date | None, str]]:
        """(first day, last day or None for the current one, label) of each era."""
        ends = [e.start - dt.timedelta(days=1) for e in self.eras[1:]] + [None]
        return [(e.start, end, e.label) for e, end in zip(self.eras, ends, strict=True)]

    def era(self, date: dt.date | None) -> str | None:
        """The label of the era in force on ``date`` (the latest era when no date is known)."""
        if not self.eras:
            return None
        if date is None:
            return self.eras[-1].label
        current = self.eras[0]
        for era in self.eras:
            if era.start <= date:
                current = era
        return current.label


@dataclass(frozen=True)
class CategoryRule:
    name: str  # template with {country} and {era}
    inter: int
    abroad_inter: int | None = None


@dataclass(frozen=True)
class Descriptor:
    category: str
    aliases: tuple[str, ...]
    country: str | None = None


@dataclass(frozen=True)
class Rule:
    """Names the actor to code instead: the first rule that fits the country and date wins."""

    to: str | None = None
    as_category: str | None = None
    countries: tuple[str, ...] = ()
    start: dt.date | None = None
    end: dt.date | None = None
    admin1: tuple[str, ...] = ()  # folded region names

    def fits(self, country: str | None, date: dt.date | None, admin1: str | None = None) -> bool:
        if self.countries and country not in self.countries:
            return False
        if self.admin1 and (not admin1 or _region(admin1) not in self.admin1):
            return False
        if date is not None and self.start and date < self.start:
            return False
        return not (date is not None and self.end and date > self.end)


@dataclass(frozen=True)
class Role:
    """What a person or junta counts as between two dates (e.g. government of Niger)."""

    category: str
    country: str
    start: dt.date | None = None
    end: dt.date | None = None

    def distance(self, date: dt.date) -> int:
        if self.start and date < self.start:
            return (self.start - date).days
        if self.end and date > self.end:
            return (date - self.end).days
        return 0


@dataclass(frozen=True)
class Actor:
    name: str
    short: str
    category: str = "named"
    inter: int | None = None
    kind: str = ""
    parent: str | None = None
    countries: tuple[str, ...] = ()
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    assoc: bool = False
    rules: tuple[Rule, ...] = ()
    roles: tuple[Role, ...] = ()
    source: str = ""

    @property
    def all_aliases(self) -> tuple[str, ...]:
        """Canonical name, short name and every alias, each once, in file order."""
        seen: dict[str, None] = {}
        if "{" not in self.name:
            seen[self.name] = None
        if not self.roles:  # a person's short name ("Traore", "Keita") is too common a surname to match
            seen[self.short] = None
        for words in self.aliases.values():
            for word in words:
                seen[word] = None
        return tuple(seen)

    def role_on(self, date: dt.date | None) -> Role | None:
        if not self.roles:
            return None
        if date is None:
            return self.roles[-1]
        return min(self.roles, key=lambda r: r.distance(date))


@dataclass
class RegistryData:
    categories: dict[str, CategoryRule]
    countries: dict[str, Country]
    descriptors: list[Descriptor]
    actors: list[Actor]
    spellings: dict[str, str] = field(default_factory=dict)


def _region(name: str) -> str:
    """A region name for comparison: "Diffa Region" = "diffa" = "Diffa"."""
    words = fold_word(name).replace("-", " ").split()
    if len(words) > 1 and words[-1] in ("region", "state", "province"):
        words = words[:-1]
    return " ".join(words)


def fold_word(word: str) -> str:
    """A spelling as the matcher keys it: accents, apostrophes and case dropped."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c)
                   and c not in "'’ʼ").casefold()


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that notes the line of every mapping, for error messages."""


def _mapping_with_line(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[_LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def builtin_path() -> Path:
    return Path(str(resources.files("sahelwatch.actors").joinpath("actors.yaml")))


def read_raw(path: str | Path) -> dict:
    """Parse one registry file into plain data, with the line number of each mapping."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ActorFileError(f"{path}: no such actor file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ActorFileError(f"{path}: cannot read actor file ({exc.__class__.__name__}: {exc})") from None
    try:
        raw = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ActorFileError(f"{path}{where}: not valid YAML ({problem})") from None
    except ValueError as exc:  # e.g. a date YAML recognises but cannot build: 2023-13-45
        raise ActorFileError(f"{path}: not valid YAML ({exc})") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ActorFileError(f"{path}:1: an actor file is a mapping with 'actors', 'descriptors', 'countries' "
                             f"or 'categories', not a {type(raw).__name__}")
    unknown = set(raw) - {"actors", "descriptors", "countries", "categories", "spellings", "aliases", _LINE}
    if unknown:
        raise ActorFileError(f"{path}:1: unknown section(s) {', '.join(sorted(map(str, unknown)))} "
                             "(want actors, descriptors, countries, categories, spellings, aliases)")
    raw["__path__"] = str(path)
    return raw


def merge(base: dict, extra: dict) -> dict:
    """``extra`` over ``base``: countries and categories by name (fields replace), actors by name, descriptors added."""
    out = {
        "categories": {**base.get("categories", {})},
        "spellings": {**base.get("spellings", {})},
        "countries": {k: dict(v) for k, v in (base.get("countries") or {}).items()},
        "descriptors": list(base.get("descriptors") or []),
        "actors": list(base.get("actors") or []),
        "aliases": list(base.get("aliases") or []),
    }
    path = extra.get("__path__", "")
    for key in ("categories", "countries", "descriptors", "actors", "spellings", "aliases"):
        section = extra.get(key)
        if section is None:
            continue
        want = list if key in ("descriptors", "actors", "aliases") else dict
        if not isinstance(section, want):
            raise ActorFileError(f"{path}: '{key}' must be a {'list' if want is list else 'mapping'}")
    for variant, form in (extra.get("spellings") or {}).items():
        if variant == _LINE:
            continue
        if not isinstance(variant, str) or not isinstance(form, str):
            raise ActorFileError(f"{path}:{extra['spellings'].get(_LINE, '?')}: spellings: want 'variant: form' texts, "
                                 f"got {variant!r}: {form!r}")
        out["spellings"][fold_word(variant)] = fold_word(form)
    for name, rule in (extra.get("categories") or {}).items():
        if name != _LINE:
            out["categories"][name] = _tag(rule, path)
    for name, fields in (extra.get("countries") or {}).items():
        if name == _LINE:
            continue
        if not isinstance(fields, dict):
            raise ActorFileError(f"{path}: country {name!r} must be a mapping of fields")
        out["countries"][name] = {**out["countries"].get(name, {}), **_tag(fields, path)}
    out["descriptors"].extend(_tag(d, path) for d in extra.get("descriptors") or [])
    out["aliases"].extend(_tag(a, path) for a in extra.get("aliases") or [])
    index = {a.get("name"): i for i, a in enumerate(out["actors"]) if isinstance(a, dict)}
    for actor in extra.get("actors") or []:
        actor = _tag(actor, path)
        name = actor.get("name") if isinstance(actor, dict) else None
        if name in index:
            out["actors"][index[name]] = actor
        else:
            index[name] = len(out["actors"])
            out["actors"].append(actor)
    return out


def _tag(entry: Any, path: str) -> Any:
    if isinstance(entry, dict):
        return {**entry, "__path__": path}
    return entry


class _Checker:
    """Turns merged plain data into typed records, failing on the first bad field with file:line."""

    def __init__(self, raw: dict) -> None:
        self.raw = raw

    def fail(self, entry: Any, what: str, problem: str) -> None:
        if isinstance(entry, dict):
            where = f"{entry.get('__path__', '?')}:{entry.get(_LINE, '?')}"
        else:
            where = "?"
        raise ActorFileError(f"{where}: {what}: {problem}")

    def text_list(self, entry: dict, key: str, what: str, required: bool = False) -> tuple[str, ...]:
        value = entry.get(key)
        if value is None:
            if required:
                self.fail(entry, what, f"missing '{key}'")
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(entry, what, f"'{key}' must be a list of non-empty texts (quote words YAML reads as "
                                   f"numbers or yes/no), got {value!r}")
        return tuple(v.strip() for v in value)

    def date(self, entry: dict, key: str, what: str) -> dt.date | None:
        value = entry.get(key)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            self.fail(entry, what, f"'{key}' must be a date YYYY-MM-DD, got {value!r}")
        return None

    def aliases(self, entry: dict, what: str) -> dict[str, tuple[str, ...]]:
        value = entry.get("aliases")
        if value is None:
            return {}
        if isinstance(value, list):
            value = {"en": value}
        if not isinstance(value, dict):
            self.fail(entry, what, f"'aliases' must be a list or a mapping language -> list, got {value!r}")
        out = {}
        for lang, words in value.items():
            if lang in (_LINE, "__path__"):
                continue
            out[str(lang)] = self.text_list({**entry, "_a": words}, "_a", f"{what} aliases.{lang}")
        return out

    def run(self) -> RegistryData:
        categories = self.categories()
        countries = self.countries()
        descriptors = self.descriptors(categories, countries)
        actors = self.with_aliases(self.actors(categories, countries))
        return RegistryData(categories, countries, descriptors, actors, dict(self.raw.get("spellings", {})))

    def categories(self) -> dict:
        categories = {}
        for name, rule in self.raw.get("categories", {}).items():
            what = f"category {name!r}"
            if not isinstance(rule, dict) or not isinstance(rule.get("name"), str):
                self.fail(rule, what, "needs a 'name' template")
            categories[name] = CategoryRule(rule["name"], self.inter(rule, what, rule.get("inter")),
                                            self.inter(rule, what, rule.get("abroad_inter"), optional=True))
        return categories

    def countries(self) -> dict:
        countries = {}
        for name, c in self.raw.get("countries", {}).items():
            what = f"country {name!r}"
            eras = []
            for era in c.get("eras") or []:
                if not isinstance(era, dict) or "from" not in era or "label" not in era:
                    self.fail(c, what, f"each era needs 'from' and 'label', got {era!r}")
                eras.append(Era(self.date(era, "from", what), str(era["label"])))
            eras.sort(key=lambda e: e.start)
            countries[name] = Country(
                name, str(c.get("iso") or ""), str(c.get("acled") or name),
                self.text_list(c, "names", what) or (name,), self.text_list(c, "demonyms", what),
                self.text_list(c, "postnominal", what), tuple(eras))
        return countries

    def descriptors(self, categories: dict, countries: dict) -> list:
        descriptors = []
        for i, d in enumerate(self.raw.get("descriptors", [])):
            what = f"descriptors entry {i + 1}"
            if not isinstance(d, dict):
                self.fail(d, what, f"must be a mapping, got {d!r}")
            cat = d.get("category")
            if cat not in categories and cat != NOT_AN_ACTOR:
                self.fail(d, what, f"category must be one of {', '.join(categories)} or {NOT_AN_ACTOR}, got {cat!r}")
            country = d.get("country")
            if country is not None and country not in countries:
                self.fail(d, what, f"unknown country {country!r} (add it under 'countries')")
            aliases = tuple(a for words in self.aliases(d, what).values() for a in words)
            if not aliases:
                self.fail(d, what, "has no aliases")
            descriptors.append(Descriptor(cat, aliases, country))
        return descriptors

    def actors(self, categories: dict, countries: dict) -> list:
        actors = []
        names = {a.get("name") for a in self.raw.get("actors", []) if isinstance(a, dict)}
        for i, a in enumerate(self.raw.get("actors", [])):
            what = f"actors entry {i + 1}"
            if not isinstance(a, dict):
                self.fail(a, what, f"must be a mapping, got {a!r}")
            name = a.get("name")
            if not isinstance(name, str) or not name.strip():
                self.fail(a, what, "missing 'name' (the canonical ACLED-style name)")
            what = f"actor {name!r}"
            roles = tuple(self.role(r, a, what, countries, categories) for r in a.get("roles") or [])
            rules = tuple(self.rule(r, a, what, names, categories, countries) for r in a.get("resolve") or [])
            category = a.get("category") or (roles[-1].category if roles else "named")
            if category not in NAMED_CATEGORIES and category not in categories:
                self.fail(a, what, f"unknown category {category!r}")
            inter = self.inter(a, what, a.get("inter"), optional=bool(roles or rules))
            aliases = self.aliases(a, what)
            short = a.get("short") or name
            if not isinstance(short, str):
                self.fail(a, what, f"'short' must be text, got {short!r}")
            for country in self.text_list(a, "countries", what):
                if country not in countries:
                    self.fail(a, what, f"unknown country {country!r} (add it under 'countries')")
            actors.append(Actor(name.strip(), short, category, inter, str(a.get("kind") or ""), a.get("parent"),
                                self.text_list(a, "countries", what), aliases, bool(a.get("assoc", False)), rules,
                                roles, str(a.get("__path__", ""))))
        return actors

    def with_aliases(self, actors: list[Actor]) -> list[Actor]:
        """The ``aliases`` section: more words for a named actor ({alias, actor}; a review teaches them)."""
        index = {a.name: i for i, a in enumerate(actors)}
        for n, entry in enumerate(self.raw.get("aliases", [])):
            what = f"aliases entry {n + 1}"
            if not isinstance(entry, dict):
                self.fail(entry, what, f"must be a mapping with 'alias' and 'actor', got {entry!r}")
            alias, name = entry.get("alias"), entry.get("actor")
            if not isinstance(alias, str) or not alias.strip():
                self.fail(entry, what, "missing 'alias' (the words a report uses for the actor)")
            if name not in index:
                self.fail(entry, what, f"'actor' must name an actor of the registry, got {name!r}")
            actor = actors[index[name]]
            words = actor.aliases.get("learned", ())
            actors[index[name]] = replace(actor, aliases={**actor.aliases, "learned": (*words, alias.strip())})
        return actors

    def inter(self, entry: Any, what: str, value: Any, optional: bool = False) -> int | None:
        if value is None and optional:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 8:
            self.fail(entry, what, f"'inter' must be an ACLED inter code 1-8, got {value!r}")
        return value

    def role(self, r: Any, a: dict, what: str, countries: dict, categories: dict) -> Role:
        if not isinstance(r, dict) or r.get("category") not in categories or r.get("country") not in countries:
            self.fail(a, what, f"each role needs a known 'category' and 'country', got {r!r}")
        return Role(r["category"], r["country"], self.date(r, "from", what), self.date(r, "to", what))

    def rule(self, r: Any, a: dict, what: str, names: set, categories: dict, countries: dict) -> Rule:
        if not isinstance(r, dict) or not (r.get("to") in names or r.get("as") in categories):
            self.fail(a, what, f"each resolve rule needs 'to' (the name of another actor) or 'as' (a category), "
                               f"got {({k: v for k, v in r.items() if not k.startswith('__')} if isinstance(r, dict) else r)!r}")
        for country in self.text_list(r, "countries", what):
            if country not in countries:
                self.fail(a, what, f"unknown country {country!r} in a resolve rule")
        return Rule(r.get("to"), r.get("as"), self.text_list(r, "countries", what),
                    self.date(r, "from", what), self.date(r, "until", what),
                    tuple(_region(x) for x in self.text_list(r, "admin1", what)))


def load_data(extra_paths: tuple[str | Path, ...] = ()) -> RegistryData:
    """The built-in registry with each file of ``extra_paths`` merged over it, checked."""
    raw = merge({}, read_raw(builtin_path()))
    for path in extra_paths:
        raw = merge(raw, read_raw(path))
    return _Checker(raw).run()
