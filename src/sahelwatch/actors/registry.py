"""The actor registry: finding actor mentions in a text and naming them as ACLED does.

``find_mentions`` makes one pass over the text's tokens with a trie of every alias, so its cost
grows with the text, not with the number of aliases. ``resolve`` turns a mention into the
canonical actor of an event in a country on a date (regime eras, "Unidentified Armed Group (Mali)").
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path

from sahelwatch.actors.data import (
    COUNTRYABLE,
    NOT_AN_ACTOR,
    STATE_CATEGORIES,
    Actor,
    ActorFileError,
    Country,
    Descriptor,
    RegistryData,
    load_data,
)
from sahelwatch.actors.matcher import Token, Trie, fold, tokenize

ENV_VAR = "SAHELWATCH_ACTORS"  # read by sahelwatch.settings, which hands the files to configure()
_CONFIGURED: list[str] = []  # this process's user files, set by configure()
_LEARNED: list[str] = []  # the user actors file that reviews teach, set by configure_learned()
log = logging.getLogger("sahelwatch.actors")

# Words before a mention that belong to it ("suspected jihadists", "presumed Boko Haram fighters").
_MODIFIERS = frozenset({"suspected", "alleged", "presumed", "suspect", "presumes", "presume", "supposes", "presumees"})
# Words after a named armed actor that belong to it ("JNIM fighters", "Boko Haram elements").
_TRAILING = frozenset({
    "fighters", "militants", "insurgents", "jihadists", "terrorists", "gunmen", "elements", "members", "combatants",
    "militiamen", "forces", "troops", "mercenaries", "operatives", "commanders", "rebels", "group", "faction",
    "jihadistes", "terroristes", "combattants", "membres", "hommes", "militia", "militias", "cells",
})
# "militants linked to the Islamic State", "jihadistes liés à l'État islamique", "fighters from JNIM"
_CONNECTORS = ("linked to", "affiliated to", "affiliated with", "allied to", "allied with", "loyal to",
               "belonging to", "aligned with", "from", "of", "lies a", "lie a", "affilies a", "affilie a",
               "appartenant a", "proches de", "proches d", "du", "de", "des", "se reclamant de", "se reclamant d")
_CHUNK = 100_000  # characters read at a time
_MEMBERS = frozenset({"members", "member", "elements", "element", "membres", "membre", "affiliates", "cells"})
_ARTICLES = frozenset({"the", "l", "la", "le", "les"})
_OF = frozenset({"of", "de", "du", "des", "d"})
_ARMED = ("named", "militia", "external")


@dataclass(frozen=True)
class ActorMention:
    """An actor named in a text: ``text[start:end]``, its category and, for named actors, its canonical name."""

    start: int
    end: int
    text: str
    category: str  # named | state_forces | police | unidentified_armed | civilians | civilians_weak |
    #                protesters | rioters | government | militia | external
    key: str | None = None  # canonical name of a registry actor
    country: str | None = None  # a country the mention itself names ("Nigerien soldiers" -> Niger)


@dataclass(frozen=True)
class ResolvedActor:
    """The actor to code: ACLED-style name and inter code; ``assoc`` marks one usually coded as associated actor."""

    name: str
    inter: int
    key: str | None = None
    assoc: bool = False
    category: str | None = None
    country: str | None = None


@dataclass(frozen=True, slots=True)
class _Generic:
    category: str
    country: str | None
    descriptor: Descriptor


class Registry:
    """Canonical Sahel actors with their aliases, inter codes, parents and eras."""

    def __init__(self, data: RegistryData) -> None:
        self.data = data
        self.actors: list[Actor] = list(data.actors)
        self.countries: dict[str, Country] = dict(data.countries)
        self._by_name = {a.name: a for a in self.actors}
        self._country_keys: dict[str, str] = {}
        self._spell = dict(data.spellings)
        self._trie = Trie(self._spell)
        self._pre = Trie(self._spell)  # country names and demonyms before a noun
        self._post: dict[str, str] = {}  # French demonyms after a noun
        self._names = Trie(self._spell)  # country names after "of"/"de"
        self._connectors = Trie(self._spell)
        for c in self.countries.values():
            for word in (c.name, c.iso, *c.names):
                if word:
                    self._country_keys.setdefault(fold(word), c.name)
            for word in (*c.names, *c.demonyms):
                self._pre.add(word, c.name)
            for word in c.names:
                self._names.add(word, c.name)
            for word in c.postnominal:
                self._post[fold(word)] = c.name
        for phrase in _CONNECTORS:
            self._connectors.add(phrase, phrase)
        for d in data.descriptors:
            target = _Generic(d.category, d.country, d)
            for alias in d.aliases:
                self._trie.add(alias, target, plural=True)
        for actor in self.actors:
            for alias in actor.all_aliases:
                self._trie.add(alias, actor)

    # ----------------------------------------------------------------------------------------- loading
    @classmethod
    def load(cls, extra_paths: tuple[str | Path, ...] | list[str | Path] = ()) -> Registry:
        """The built-in registry with user files merged over it; raises :class:`ActorFileError` on a bad file."""
        return cls(load_data(tuple(extra_paths)))

    # ----------------------------------------------------------------------------------------- lookup
    def country_name(self, text: str | None) -> str | None:
        """The registry's name for a country given by name, ISO3 code or French name; else ``text`` itself."""
        if not text:
            return None
        return self._country_keys.get(fold(text.strip()), text.strip())

    def get(self, name: str) -> Actor | None:
        return self._by_name.get(name)

    def search(self, text: str = "") -> list[Actor]:
        """Actors whose name, short name, aliases, kind or parent contain ``text`` (folded); all when empty."""
        want = fold(text)
        if not want:
            return list(self.actors)
        return [a for a in self.actors
                if any(want in fold(s) for s in (*a.all_aliases, a.kind, a.parent or ""))]

    def lookup(self, name: str, cutoff: float = 88.0) -> Actor | None:
        """The actor an actor name stands for: exact alias match first, then the closest alias by spelling."""
        tokens = tokenize(name, self._spell)
        if tokens:
            hit = self._trie.longest(name, tokens, 0, want=lambda t: isinstance(t, Actor))
            if hit and hit[0] == len(tokens):
                return hit[1].target
        from rapidfuzz import fuzz, process

        choices = {fold(alias): a for a in self.actors for alias in a.all_aliases}
        best = process.extractOne(fold(name), list(choices), scorer=fuzz.ratio, score_cutoff=cutoff)
        return choices[best[0]] if best else None

    # ----------------------------------------------------------------------------------------- mentions
    def find_mentions(self, text: str, date: dt.date | None = None) -> list[ActorMention]:
        """Every actor mention in ``text``: longest first, non-overlapping, in text order, with offsets.

        ``date`` (e.g. the publication date) sets the category of people and juntas whose role changed
        ("Captain Traore" is state forces up to his coup, government after); without it, their latest role.
        A long text is read in pieces cut at line ends, so memory stays small whatever its size.
        """
        if len(text) <= _CHUNK:
            return self._find(text, 0, date)
        out: list[ActorMention] = []
        start = 0
        while start < len(text):
            stop = min(len(text), start + _CHUNK)
            if stop < len(text):
                cut = max(text.rfind("\n", start, stop), text.rfind(". ", start, stop))
                stop = cut + 1 if cut > start else stop
            out.extend(self._find(text[start:stop], start, date))
            start = stop
        return out

    def _find(self, text: str, offset: int, date: dt.date | None) -> list[ActorMention]:
        tokens = tokenize(text, self._spell)
        out: list[ActorMention] = []
        n = len(tokens)
        i = 0
        while i < n:
            found = self._mention_at(text, tokens, i, date)
            if found is None and tokens[i].key in _MODIFIERS:
                # "suspected Boko Haram fighters": the modifier belongs to the mention after it
                j = i + 1
                if j < n and tokens[j].key in _MODIFIERS:
                    j += 1
                if j < n and _spaced(text, tokens, j):
                    found = self._mention_at(text, tokens, j, date)
            if found is None:
                i += 1
                continue
            end, category, key, country = found
            if category != NOT_AN_ACTOR:
                start, stop = tokens[i].start, tokens[end - 1].end
                out.append(ActorMention(start + offset, stop + offset, text[start:stop], category, key, country))
            i = end
        return out

    def _mention_at(self, text: str, tokens: list[Token], i: int, date: dt.date | None = None):
        """(end token, category, key, country) of the longest mention at token ``i``, or None."""
        best = None
        n = len(tokens)
        pre = self._country_noun(text, tokens, i)
        if pre is not None:
            best = (self._same_kind(text, tokens, pre[0], pre[1]), pre[1], None, pre[2])
        elif (p := self._pre.longest(text, tokens, i)) is not None and p[0] + 1 < n \
                and tokens[p[0]].key in ("and", "et") and _spaced(text, tokens, p[0], hyphen=False):
            # "Malian and Russian forces": the first demonym shares the noun of the second
            second = self._country_noun(text, tokens, p[0] + 1)
            if second is not None:
                best = (p[0], second[1], None, p[1].target)
        if best is None and tokens[i].key in _MEMBERS:
            # "members of JNIM", "elements of the Islamic State"
            end, category, key, _country = self._with_country(text, tokens, i + 1, "unidentified_armed")
            if key is not None:
                best = (end, category, key, None)
        hit = self._trie.longest(text, tokens, i)
        if hit is not None and (best is None or hit[0] > best[0]):
            best = self._extend(text, tokens, hit[0], hit[1].target, date)
        return best

    def _country_noun(self, text: str, tokens: list[Token], i: int):
        """(end token, category, country) for "Nigerien soldiers", "Niger's army", "Burkina Faso military"."""
        pre = self._pre.longest(text, tokens, i)
        if pre is None:
            return None
        k = pre[0]
        if k < len(tokens) and tokens[k].key == "s" and text[tokens[k - 1].end:tokens[k].start] in ("'", "’", "ʼ"):
            k += 1
        if k >= len(tokens) or not (k > pre[0] or _spaced(text, tokens, k, hyphen=False)):
            return None
        hit = self._trie.longest(text, tokens, k, want=_countryable)
        if hit is None:
            return None
        return hit[0], hit[1].target.category, pre[1].target

    def _same_kind(self, text: str, tokens: list[Token], end: int, category: str) -> int:
        """Extend over following nouns of the same kind: "Islamist insurgents", "army soldiers"."""
        for _ in range(2):
            if end >= len(tokens) or not _spaced(text, tokens, end):
                break
            hit = self._trie.longest(text, tokens, end, want=lambda t: _countryable(t) and t.category == category)
            if hit is None:
                break
            end = hit[0]
        return end

    def _extend(self, text: str, tokens: list[Token], end: int, target, date: dt.date | None = None):
        """Add what follows a matched alias: trailing nouns, "linked to <group>", French demonyms, "of <country>"."""
        if isinstance(target, Actor):
            role = target.role_on(date)
            country = role.country if role else None
            if target.rules and end < len(tokens) and _spaced(text, tokens, end):
                # "al-Qaeda-linked JNIM", "the Al Qaeda-linked Group to Support Islam and Muslims"
                hit = self._trie.longest(text, tokens, end, want=_specific_armed_actor)
                if hit is not None:
                    end, target = hit[0], hit[1].target
            if (target.category in _ARMED and end < len(tokens) and tokens[end].key in _TRAILING
                    and _spaced(text, tokens, end)):
                end += 1
            return end, role.category if role else target.category, target.name, country
        if target.country is not None:
            return end, target.category, None, target.country
        return self._with_country(text, tokens, end, target.category)

    def _with_country(self, text: str, tokens: list[Token], end: int, category: str):
        n = len(tokens)
        end = self._same_kind(text, tokens, end, category)
        if category in ("unidentified_armed", "militia") and end < n:
            conn = self._connectors.longest(text, tokens, end)
            if conn is not None:
                k = conn[0]
                if k < n and tokens[k].key in _ARTICLES:
                    k += 1
                hit = self._trie.longest(text, tokens, k, want=_armed_actor)
                if hit is not None:
                    actor = hit[1].target
                    stop = hit[0]
                    if stop < n and tokens[stop].key in _TRAILING and _spaced(text, tokens, stop):
                        stop += 1
                    return stop, actor.category, actor.name, None
        if category in COUNTRYABLE and end < n:
            post = self._post.get(tokens[end].key)
            if post is not None and _spaced(text, tokens, end):
                return end + 1, category, None, post
            if tokens[end].key in _OF and category in STATE_CATEGORIES:
                k = end + 1
                if k < n and tokens[k].key in _ARTICLES:
                    k += 1
                name = self._names.longest(text, tokens, k)
                if name is not None:
                    return name[0], category, None, name[1].target
        return end, category, None, None

    # ----------------------------------------------------------------------------------------- resolution
    def resolve(self, mention: ActorMention, country: str | None = None, date: dt.date | None = None,
                admin1: str | None = None) -> ResolvedActor:
        """Canonical name and inter code of ``mention`` for an event in ``country`` on ``date``.

        The country the mention names itself ("Nigerien soldiers") wins over the event's country.
        ``admin1`` (optional) lets a rule pick by region: "Islamic State" in Diffa is ISWAP.
        """
        event_country = self.country_name(country)
        own = self.country_name(mention.country)
        actor = self._by_name.get(mention.key) if mention.key else None
        if actor is not None:
            return self._resolve_actor(actor, own, event_country, date, actor.name, admin1=admin1)
        return self._generic(mention.category, own or event_country, event_country, date, None)

    def operates_in(self, mention: ActorMention, country: str | None) -> bool:
        """Whether a named actor is known to operate in a country (its registry ``countries``; any
        country when the registry lists none): JNIM is not a suspect in Borno, nor Boko Haram in Mopti."""
        actor = self._by_name.get(mention.key) if mention.key else None
        where = self.country_name(country)
        return actor is None or not actor.countries or not where or where in actor.countries

    def resolve_name(self, name: str, country: str | None = None, date: dt.date | None = None) -> ResolvedActor | None:
        """Resolve a bare actor name ("JNIM", "soldiers", "Nigerien army") as if it were a mention."""
        mentions = self.find_mentions(name)
        if mentions:
            return self.resolve(max(mentions, key=lambda m: m.end - m.start), country, date)
        actor = self.lookup(name)
        if actor is None:
            return None
        return self._resolve_actor(actor, None, self.country_name(country), date, actor.name)

    def _resolve_actor(self, actor: Actor, own: str | None, event_country: str | None, date: dt.date | None,
                       key: str, depth: int = 0, admin1: str | None = None) -> ResolvedActor:
        if actor.roles:
            role = actor.role_on(date)
            return self._generic(role.category, role.country, event_country, date, key)
        where = own or event_country
        for rule in actor.rules:
            if depth < 5 and rule.fits(where, date, admin1):
                if rule.as_category:
                    resolved = self._generic(rule.as_category, where, event_country, date, key)
                    return replace(resolved, assoc=actor.assoc)
                target = self._by_name[rule.to]
                return replace(self._resolve_actor(target, own, event_country, date, key, depth + 1, admin1), key=key)
        if "{country}" in actor.name:
            home = where if (where in actor.countries or not actor.countries) else actor.countries[0]
            name = _fill(actor.name, self.countries.get(home), home, None)
        else:
            name, home = actor.name, None
        return ResolvedActor(name, actor.inter or 8, key, actor.assoc, actor.category, home)

    def _generic(self, category: str, where: str | None, event_country: str | None, date: dt.date | None,
                 key: str | None) -> ResolvedActor:
        rule = self.data.categories.get(category) or self.data.categories["unidentified_armed"]
        country = self.countries.get(where) if where else None
        name = _fill(rule.name, country, where, date)
        inter = rule.inter
        if rule.abroad_inter and where and event_country and where != event_country:
            inter = rule.abroad_inter
        return ResolvedActor(name, inter, key, False, category, where)


def _fill(template: str, country: Country | None, where: str | None, date: dt.date | None) -> str:
    """Fill {country} and {era}; drop the parts whose value is unknown ("Military Forces of Libya")."""
    era = country.era(date) if country else None
    text = template
    if era is None:
        text = re.sub(r"\s*\(\{era\}\)", "", text).replace("{era}", "")
    else:
        text = text.replace("{era}", era)
    if where is None:
        text = re.sub(r"\s*\(\{country\}\)|\s+of \{country\}", "", text).replace("{country}", "")
    else:
        text = text.replace("{country}", country.acled if country else where)
    return " ".join(text.split())


def _countryable(target) -> bool:
    return isinstance(target, _Generic) and target.country is None and target.category in COUNTRYABLE


def _armed_actor(target) -> bool:
    return isinstance(target, Actor) and target.category in _ARMED and not target.roles


def _specific_armed_actor(target) -> bool:
    return _armed_actor(target) and not target.rules


def _spaced(text: str, tokens: list[Token], k: int, hyphen: bool = True) -> bool:
    """Token ``k`` follows token ``k-1`` after white space (or a hyphen) only."""
    gap = text[tokens[k - 1].end:tokens[k].start]
    return 0 < len(gap) <= 2 and set(gap) <= set(" -\xa0" if hyphen else " \xa0")


@functools.lru_cache(maxsize=8)
def _cached(paths: tuple[str, ...], versions: tuple[tuple[int, int, int], ...] = ()) -> Registry:
    return Registry.load(paths)


def _versions(paths: tuple[str, ...]) -> tuple[tuple[int, int, int], ...]:
    """(inode, mtime in ns, size) of each file: part of the cache key, so a file that changed is read again."""
    out = []
    for p in paths:
        try:
            st = Path(p).stat()
            out.append((st.st_ino, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((0, 0, -1))
    return tuple(out)


def builtin_registry() -> Registry:
    """The registry shipped with sahelwatch, without user files (cached)."""
    return _cached(())


def user_paths() -> tuple[str, ...]:
    """The user's actor files configured in this process (Settings.actors, ``--actors``), then the user actors
    file that reviews teach (Settings.user_actors) when it exists."""
    learned = tuple(p for p in _LEARNED if Path(p).is_file() and Path(p).stat().st_size > 0)
    return (*_CONFIGURED, *learned)


def load_registry(extra_paths: tuple[str | Path, ...] | list[str | Path] = ()) -> Registry:
    """Built-in + the configured files + ``extra_paths`` (e.g. ``--actors FILE``); raises ActorFileError."""
    paths = (*user_paths(), *map(str, extra_paths))
    return _cached(paths, _versions(paths))


def configure(extra_paths: tuple[str | Path, ...] | list[str | Path]) -> Registry:
    """Make ``extra_paths`` (e.g. ``--actors FILE``) part of the default registry of this process
    (workers are handed the same files in their settings).

    Raises :class:`ActorFileError` on a bad file, before anything changes.
    """
    paths = tuple(dict.fromkeys((*_CONFIGURED, *(str(Path(p).resolve()) for p in extra_paths))))
    learned = tuple(p for p in _LEARNED if Path(p).is_file() and Path(p).stat().st_size > 0)
    registry = _cached((*paths, *learned), _versions((*paths, *learned)))
    _CONFIGURED[:] = paths
    return registry


def configure_learned(path: str | Path | None) -> Registry:
    """Merge the user actors file that reviews write (Settings.user_actors) over the others from now on; it may
    not exist yet. Raises :class:`ActorFileError` when it exists and is bad, before anything changes."""
    resolved = str(Path(path).expanduser().resolve()) if path else None
    previous = list(_LEARNED)
    _LEARNED[:] = [resolved] if resolved else []
    try:
        paths = user_paths()
        return _cached(paths, _versions(paths))
    except ActorFileError:
        _LEARNED[:] = previous
        raise


def default_registry() -> Registry:
    """Built-in registry merged with the configured file(s), loaded once per process and again when a file changes.

    A bad user file is reported once as a one-line warning and the built-in registry is used.
    """
    paths = user_paths()
    if not paths:
        return builtin_registry()
    try:
        return _cached(paths, _versions(paths))
    except ActorFileError as exc:
        _warn_once(str(exc))
        return builtin_registry()


@functools.lru_cache(maxsize=32)
def _warn_once(message: str) -> None:
    log.warning("%s; using the built-in actor registry", message)
