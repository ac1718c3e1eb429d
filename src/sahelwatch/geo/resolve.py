"""Finding place names in an article and resolving them in the article's context.

``geoparse`` scans the text for gazetteer names (longest match, capitalised, with cues for words
that are also ordinary words), adds the NER spans the caller passes, then picks for each name the
candidate that best fits the article: the countries and regions it names, the places near the
other places it names, population and feature class. ``locate`` turns the mentions of one event's
sentences into ACLED location fields.
"""
from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from sahelwatch.geo.cues import Cues, cues
from sahelwatch.geo.gazetteer import Gazetteer, Location, Place, PlaceMention, km, load_gazetteer, norm

_TOKEN = re.compile(r"[^\W\d_]+")
_JOIN = re.compile(r"[ \t\-‐–'’/]{1,3}|\s")
_SENTENCE_END = re.compile(r"[.!?;\n]")
_NER_PLACE = {"GPE", "LOC", "FAC"}
_NER_BLOCK = {"PERSON", "PER"}  # small models tag many villages ORG; only person names block a match
_CORE = {"Niger", "Mali", "Burkina Faso", "Nigeria", "Chad", "Benin", "Togo", "Mauritania"}
_ROAD_BEFORE = re.compile(r"[A-Z][\w'’]*\s*[-–‐]\s*$")
FAR_KM = 100  # "some 250 miles from Bamako": a point of reference, not where it happened
# "NIAMEY (Reuters) -", "MAIDUGURI, Nigeria, Nov 3 -": where the report was filed
_DATELINE_AFTER = re.compile(r"\s*(,\s*[A-Z][\w .]{0,25})?\s*(\([\w .-]{2,30}\)\s*)?[-—–:]|\s*\([\w .-]{2,30}\)")


@dataclass
class _Words:
    """The name lists of a gazetteer (words.yaml: names, not cue words), normalised once."""

    common: set[str]
    first_names: set[str]
    not_places: set[str]
    no_article: set[str]
    stop: set[str]
    max_not_place_tokens: int
    agencies: set[str]
    not_village_names: set[str]


def _words(gz: Gazetteer) -> _Words:
    got = gz.words.get("_compiled")
    if got is None:
        w = gz.words
        got = gz.words["_compiled"] = _Words(
            common={norm(x) for x in w["common_words"]}, first_names=set(w["first_names"]),
            not_places={norm(x) for x in w.get("not_places", ())},
            no_article={norm(x) for x in w.get("no_article", ())}, stop=set(w.get("stopwords", ())),
            max_not_place_tokens=max((len(x.split()) for x in w.get("not_places", ())), default=1),
            agencies={norm(x) for x in w.get("news_agencies", ())},
            not_village_names={norm(x) for x in w.get("not_village_names", ())})
    return got


@dataclass
class _Span:
    start: int
    end: int
    text: str
    places: list[Place]
    source: str = "gazetteer"
    cue: str = ""
    near: bool = False
    admin_cue: bool = False
    admin_after: bool = False
    chosen: Place | None = None
    kind: str = "unknown"
    weight: float = 1.0
    extra: dict = field(default_factory=dict)


def geoparse(text: str, entities: Iterable[tuple[int, int, str]] = (), gazetteer: Gazetteer | None = None,
             language: str = "en") -> list[PlaceMention]:
    """All place mentions in an article, in text order, each resolved in the article's context; the words
    around a name are read in the article's ``language`` ("en", "fr") only (see cues.py)."""
    gz = gazetteer or load_gazetteer()
    c = cues(language)
    entities = [(int(s), int(e), str(label)) for s, e, label in entities]
    blocked = [(s, e) for s, e, label in entities if label in _NER_BLOCK and not _place_pair(text[s:e], gz)]
    spans, demonyms = _scan(text, gz, c)
    spans = [s for s in spans if _keep(text, s, gz, blocked, c)]
    for s in spans:
        _cues(text, s, c)
    spans = _add_entities(text, spans, entities, gz, c)
    spans = _repeat_unknown(text, _add_cued_names(text, spans, gz, c), c)
    spans.sort(key=lambda s: s.start)
    _inherit_cues(text, spans, c)
    _reference_points(text, spans)
    for s in spans:
        _choose_kind(s)
    _stated_regions(text, spans, c)
    _resolve(text, spans, demonyms, gz)
    spans = _drop_generic_regions(spans, gz)
    return [PlaceMention(s.start, s.end, s.text, s.chosen, s.chosen.kind if s.chosen else "unknown",
                         s.near, s.cue, s.source, _admin1_hint(text, s, gz, c), bool(s.extra.get("road")),
                         bool(s.extra.get("context"))) for s in spans]


def _admin1_hint(text: str, s: _Span, gz: Gazetteer, c: Cues) -> str:
    """The region a direction before a country name implies ("in western Niger" -> Tillaberi)."""
    if s.chosen is None or s.chosen.kind != "country":
        return ""
    before = _window_before(text, s.start, 40)
    m = next((m for p in c.directions if (m := p.search(before))), None)
    if not m:
        return ""
    word = norm(m.group(1))
    word = c.direction_names.get(word, word)
    return (gz.words.get("directions") or {}).get(s.chosen.country, {}).get(word, "")


# ---------------------------------------------------------------------------------------------- scanning

def _capitalised(tok: str) -> bool:
    return tok[:1].isupper()


def _scan(text: str, gz: Gazetteer, c: Cues) -> tuple[list[_Span], list[tuple[int, str]]]:
    """Longest gazetteer matches over runs of tokens starting with a capital letter."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]
    words = _words(gz)
    not_places = words.not_places
    spans: list[_Span] = []
    demonyms: list[tuple[int, str]] = []
    i, n = 0, len(tokens)
    max_n = max(gz.max_tokens, _words(gz).max_not_place_tokens)
    while i < n:
        s0, e0, tok = tokens[i]
        if not _capitalised(tok) and tok not in c.lower_starts:
            if len(tok) > 5 and norm(tok) in gz.demonyms:  # French adjectives: "l'armée béninoise"
                demonyms.append((s0, gz.demonyms[norm(tok)]))
            i += 1
            continue
        matched = False
        for size in range(min(max_n, n - i), 0, -1):
            j = i + size - 1
            if size > 1:
                if any(not _JOIN.fullmatch(text[tokens[k][1]:tokens[k + 1][0]]) for k in range(i, j)):
                    continue
                last = tokens[j][2]
                if not _capitalised(last) and text[tokens[j - 1][1]:tokens[j][0]] not in ("'", "’") \
                        and last not in c.lower_ends and norm(last) not in c.region_words:
                    # "Lake Chad province" names Chad's Lac; "the W park" the park
                    continue
            key = norm(text[s0:tokens[j][1]])
            if key in not_places:
                i = j + 1
                matched = True
                break
            places = gz.index.get(key)
            if places and _agency(text[s0:tokens[j][1]], words):
                i = j + 1
                matched = True
                break
            if places:
                spans.append(_Span(s0, tokens[j][1], text[s0:tokens[j][1]], list(places)))
                i = j + 1
                matched = True
                break
            if size == 1 and key in gz.demonyms:
                after = text[e0:e0 + 30]
                demonyms.append((s0, gz.demonyms[key] if not c.border_after.match(after) else ""))
        if not matched:
            i += 1
    return spans, demonyms


def _agency(surface: str, words: _Words, known: bool = True) -> bool:
    """A news agency or publication named in capitals ("LEADERSHIP", "AFP"), or one the gazetteer does not know."""
    key = norm(re.sub(r"['’]s$", "", surface))
    return key in words.agencies and (not known or (surface.isupper() and len(key) > 1))


def _add_cued_names(text: str, spans: list[_Span], gz: Gazetteer, c: Cues) -> list[_Span]:
    """Capitalised names after "village of", "the island of", "localité de": places even when unknown."""
    w = _words(gz)
    out = list(spans)
    found: list[tuple[int, int]] = []
    for m in c.name_cue.finditer(text):
        found.append(m.span(1))
        if c.plural.search(m.group(0)):  # "the villages of Nondin, Soro and Dinguila"
            end = m.end(1)
            while (more := c.name_list.match(text, end)) is not None:
                found.append(more.span(1))
                end = more.end(1)
    for m in itertools.chain(c.before_region.finditer(text), c.before_distance.finditer(text),
                             c.before_apposed.finditer(text)):
        found.append(m.span(1))  # "in Falwel, in the Tillabéri region", "Zaroumdarey, 38 km from ...", "X, a village"
    for m in c.before_kind.finditer(text):  # "Kwatta village", "the Mamassi community"
        if not any(norm(t) in w.not_village_names or norm(t) in gz.demonyms for t in m.group(1).split()) \
                and not m.group(1).isupper():
            found.append(m.span(1))
    for start, end in found:
        start, end = _trim_name(text, start, end, out, c)
        if end <= start:
            continue
        surface = text[start:end]
        if _not_a_place(surface, gz, c) or _agency(surface, w, known=False) or norm(surface) in w.first_names:
            continue
        s = _Span(start, end, surface, list(gz.index.get(norm(surface)) or ()), source="cue")
        if not s.places:
            s.places = _fuzzy_lookup(gz, surface)
            s.extra["fuzzy"] = bool(s.places)
        _cues(text, s, c)
        out.append(s)
    return out


def _repeat_unknown(text: str, spans: list[_Span], c: Cues) -> list[_Span]:
    """A name the gazetteer lacks (or knows only by a near spelling), found once as a place, is that place
    wherever else the report names it."""
    out = list(spans)
    names = {s.text: s for s in spans if s.source in ("cue", "ner") and len(s.text) >= 4
             and (not s.places or s.extra.get("fuzzy"))}
    for name, found in sorted(names.items()):
        for m in re.finditer(r"(?<![\w'’-])" + re.escape(name) + r"(?![\w'’-])", text):
            if any(t.start < m.end() and m.start() < t.end for t in out):
                continue
            s = _Span(m.start(), m.end(), name, list(found.places), source="cue", extra=dict(found.extra))
            _cues(text, s, c)
            out.append(s)
    return out


def _place_pair(surface: str, gz: Gazetteer) -> bool:
    """"Dori-Seytenga" (the road), not a person: two gazetteer names joined by a hyphen."""
    parts = re.split(r"\s*[-–‐]\s*", surface)
    return len(parts) == 2 and all(norm(x) in gz.index for x in parts)


def _trim_name(text: str, start: int, end: int, spans: list[_Span], c: Cues) -> tuple[int, int]:
    """A cued name cut before function words ("Kpatoumbaga In Niger") and before other matches; empty if taken."""
    for tok in _TOKEN.finditer(text, start, end):
        key = norm(tok.group())
        if tok.start() > start and (key in c.function_words or key in c.in_cues or key in c.region_words
                                    or key in c.not_in_name):
            end = tok.start()
            break
    end = len(text[:end].rstrip(" \t-'’"))
    inner = [s for s in spans if start <= s.start < end or s.start < start < s.end]
    if not inner:
        return start, end
    # "Yar Katsina village": a longer unknown name swallows the gazetteer names inside it
    if all(start <= s.start and s.end <= end and (s.start, s.end) != (start, end)
           and not any(p.kind == "country" for p in s.places) for s in inner):
        for s in inner:
            spans.remove(s)
        return start, end
    if any(s.start <= start < s.end for s in inner):
        return start, start
    return start, min(s.start for s in inner)


def _window_before(text: str, start: int, size: int = 60) -> str:
    w = text[max(0, start - size):start]
    cut = max((m.end() for m in _SENTENCE_END.finditer(w)), default=0)
    return w[cut:].lower()


def _prev_word(text: str, start: int, c: Cues) -> str:
    """The word before a name, looking past an article ("in the Tillabéri region" -> in)."""
    m = c.prev_word.search(text[max(0, start - 30):start])
    return m.group(1) if m else ""


def _keep(text: str, s: _Span, gz: Gazetteer, blocked: list[tuple[int, int]], c: Cues) -> bool:
    """Drop matches that are ordinary words, first names or inside a person's/organisation's name."""
    key = norm(s.text)
    before = _window_before(text, s.start, 40)
    prev = _prev_word(text, s.start, c)
    after = text[s.end:s.end + 40].lower()
    w = _words(gz)
    strong = (prev.lower() in c.in_cues or bool(c.of_cue.search(before)) or bool(c.admin_before.search(before))
              or bool(c.strong_before.search(before)))
    noun_after = bool(c.noun_after.match(after)) or bool(c.local_government.match(text[s.end:s.end + 30]))
    common = key in w.common or key in w.first_names
    if common and _country_follows(text, s.end, gz):  # "in Northern Burkina Faso", "Central Mali"
        return False
    generic = key in w.no_article
    if generic and c.article_before.search(before) and not noun_after:  # "the North", "le Sahel"
        return False
    if generic and c.wide_before.search(before):  # "the wider Sahel"
        return False
    if common and not (strong and prev.lower() not in c.weak_in_cues or noun_after):
        return False
    surname = prev.lower() in w.first_names and _capitalised(prev)  # "Moussa Kaya": a person
    if surname and not any(p.kind == "country" for p in s.places):
        return False
    for b0, b1 in blocked:
        # a name strictly inside a longer person name ("Mohamed Say"), not a list ("Boni and Torodi")
        if b0 <= s.start and s.end <= b1 and (b0, b1) != (s.start, s.end) and not (strong or noun_after) \
                and not c.list_inside.search(text[b0:b1]) and not any(p.kind == "country" for p in s.places):
            return False
    return True


def _country_follows(text: str, end: int, gz: Gazetteer) -> bool:
    m = re.match(r"[ \t]+([^\W\d_][\w'’-]*)(?:[ \t]+([^\W\d_][\w'’-]*))?", text[end:end + 60])
    if not m:
        return False
    names = [m.group(1)] + ([f"{m.group(1)} {m.group(2)}"] if m.group(2) else [])
    return any(p.kind == "country" for n in names for p in gz.index.get(norm(n), ()))


def _cues(text: str, s: _Span, c: Cues) -> None:
    """Set the in/near/admin cues of a match from the words around it."""
    before = _window_before(text, s.start, 60)
    prev = _prev_word(text, s.start, c).lower()
    after = text[s.end:s.end + 40]
    after_l = after.lower()
    s.admin_after = bool(c.region_after.match(after_l) or c.local_government.match(after))
    s.admin_cue = s.admin_after or bool(c.admin_before.search(before)) \
        or bool(c.possessive_after.match(after))  # "Tillaberi's Anzourou commune": the region around it
    near_at, pair = -1, False
    for m in c.near.finditer(before):
        if not re.search(r"[,:;()]", before[m.end():]) and len(before) - m.end() <= 45 and m.end() >= near_at:
            near_at, pair = m.end(), m.group(1) in c.pair_cues
    m = None
    for m in c.distance.finditer(before):
        pass
    if m and len(before) - m.end() <= 30:
        near_at = max(near_at, m.end())
        s.extra["distance"] = True
        if _distance_km(m) > FAR_KM:
            s.extra["context"] = True
    in_at = -1
    if prev in c.in_cues and prev not in c.weak_in_cues:
        in_at = len(before)
    if c.target_before.search(before):  # "the raid on Guidan Roumdji", "l'attaque contre Boulkessi"
        in_at = len(before)
    if c.of_cue.search(before) and near_at < 0:  # "the village of X"; "near the village of X" stays near
        in_at = len(before)
    if c.kind_after.match(after_l) or c.apposed_kind.match(after_l) or c.measured_after.match(after_l):
        in_at = max(in_at, max(0, len(before) - 1) if near_at < 0 else in_at)
    if near_at >= 0 and near_at >= in_at:
        s.near, s.cue = True, "near"
        if pair:  # "the road connecting Boni and Torodi": the ends of a road
            s.extra["road"] = True
    elif in_at >= 0:
        s.cue = "in"
    if c.near_after.match(after_l):  # "the Tera area", "Mopti outskirts"
        s.near, s.cue = True, "near"
    if c.border_before.search(before) or c.border_after.match(after):
        s.extra["border"] = True
    raw_before = text[max(0, s.start - 60):s.start]
    if c.road_after.match(after) or (_ROAD_BEFORE.search(raw_before[-40:]) and c.road_after_pair.match(after_l)) \
            or (c.road_word_before.search(before) and re.match(r"^\s*[-–‐]\s*[A-Z]", after)) \
            or c.road_word_before_pair.search(raw_before):
        s.near, s.cue = True, "near"  # "the Djibo-Ouagadougou road", "l'axe Kaya-Dori"
        s.extra["road"] = True
    if (c.reporting_before.search(before) and c.reporting_after.match(text[s.end:s.end + 60])) \
            or c.told_in.search(before) or (
            s.text.isupper() and _DATELINE_AFTER.match(text, s.end) and not text[max(0, s.start - 2):s.start].strip()):
        s.extra["context"] = True  # "police in Kaduna state said": where it was told
    if c.movement_before.search(before):  # "retreated towards Maradi", "evacuated to Niamey": elsewhere
        s.extra["context"] = True
    if c.based_after.match(after_l):  # "a Maiduguri-based analyst"
        s.extra["context"] = True
        s.near, s.cue = False, ""


def _distance_km(m: re.Match) -> float:
    try:
        value = float(m.group(1).replace(",", "").rstrip("."))
    except ValueError:
        return 0.0
    return value * 1.609 if m.group(2) == "miles" else value


def _reference_points(text: str, spans: list[_Span]) -> None:
    """"on the road connecting Boni and Torodi (about 60 km west of Niamey)": a distance to a place in a sentence
    about a road measures from a reference point; the road is where it happened."""
    for s in spans:
        if s.extra.get("distance") and any(
                t.extra.get("road") and not _SENTENCE_END.search(text[min(s.end, t.end):max(s.start, t.start)])
                for t in spans):
            s.extra["context"] = True


def _inherit_cues(text: str, spans: list[_Span], c: Cues) -> None:
    """"X and Y", "X, Y": a name right after another takes its cue ("between Boni and Torodi")."""
    for a, b in itertools.pairwise(spans):
        gap = text[a.end:b.start].strip().lower()
        if gap in c.connectors or gap == ",":
            if not b.cue and a.cue:
                b.cue, b.near = a.cue, a.near
            if a.extra.get("road") and b.near and gap != ",":
                b.extra["road"] = True
            elif a.near and b.cue == "in" and c.of_cue.search(_window_before(text, a.start)):
                b.cue, b.near = "near", True


def _stated_regions(text: str, spans: list[_Span], c: Cues) -> None:
    """"Dioura in Mali's Segou region": a namesake inside the region the text states wins over the others."""
    for i, s in enumerate(spans):
        if not s.places or not all(p.kind == "locality" for p in s.places):
            continue
        pos, stated, admin_or_country = s.end, None, False
        for j in range(i + 1, min(i + 4, len(spans))):
            t = spans[j]
            gap = text[pos:t.start]
            if len(gap) > 40 or not (c.region_gap if j == i + 1 else c.after_country_gap).fullmatch(gap):
                break
            if t.places and all(p.kind == "country" for p in t.places):
                stated, admin_or_country = {(p.country, "") for p in t.places}, True
                pos = t.end
                continue
            if t.places:
                stated = {(p.country, p.admin1) for p in t.places if p.admin1}
                admin_or_country = all(p.kind in ("admin1", "admin2") for p in t.places)
            break
        if not stated and i > 0:  # "Kebbi state's Maga town", "Mali's Segou region"
            t = spans[i - 1]
            if t.places and c.possessive_region.fullmatch(text[t.end:s.start]):
                stated = {(p.country, p.admin1 if p.kind != "country" else "") for p in t.places}
                admin_or_country = all(p.kind in ("admin1", "admin2", "country") for p in t.places)
        if not stated:
            continue
        inside = [p for p in s.places if (p.country, p.admin1) in stated or (p.country, "") in stated]
        if inside:
            s.places = inside
        elif admin_or_country and not {p.country for p in s.places} & {c for c, _ in stated}:
            s.places = []  # "Kalaa in Borno" is not Mali's Kalaa: an unknown place of the stated region


def _choose_kind(s: _Span) -> None:
    """Narrow the candidates by kind: region cues pick admin units; countries beat namesakes."""
    has_country = any(p.kind == "country" for p in s.places)
    if s.admin_after or (s.admin_cue and not has_country):
        admin = [p for p in s.places if p.kind in ("admin1", "admin2")]
        if admin:
            s.places = admin
            return
        if s.admin_after:  # "the Boni district" of a place that is no district: around the place
            s.near, s.cue = True, "near"
    countries = [p for p in s.places if p.kind == "country"]
    if countries:
        s.places = countries
        return
    localities = [p for p in s.places if p.kind == "locality"]
    if localities:
        s.places = localities


# ------------------------------------------------------------------------------------------- NER spans

@dataclass
class _Fuzzy:
    keys: list[str]


_FUZZY: dict[int, _Fuzzy] = {}


def _fuzzy_lookup(gz: Gazetteer, surface: str) -> list[Place]:
    from rapidfuzz import fuzz, process

    key = norm(surface)
    if len(key) < 5:
        return []
    fz = _FUZZY.get(id(gz))
    if fz is None:
        fz = _FUZZY[id(gz)] = _Fuzzy([k for k in gz.index if len(k) >= 5])
    best = process.extractOne(key, fz.keys, scorer=fuzz.ratio, score_cutoff=88)
    return list(gz.index[best[0]]) if best else []


def _not_a_place(surface: str, gz: Gazetteer, c: Cues) -> bool:
    key = norm(surface)
    words = surface.split()
    if not surface[:1].isupper() or not key or any(ch.isdigit() for ch in surface) or len(words) > 6 \
            or "\n" in surface or key in _words(gz).stop:
        return True
    if key in gz.demonyms or key in _words(gz).not_places:
        return True
    if all(norm(w) in _words(gz).common for w in words):
        return True
    if len(words) == 1 and key not in gz.index and surface.lower().endswith(c.noun_endings):
        return True  # "Décentralisation": a common noun capitalised, not an unknown village
    return bool(c.organisation.search(surface))  # "Islamic State", "Niger Army"


def _tail_of_a_name(text: str, start: int, gz: Gazetteer, c: Cues) -> bool:
    """Whether the name at ``start`` ends a longer capitalised name (two capitalised words right before
    it that are neither places nor cue words): an organisation's or a person's name, not a place."""
    before = re.search(r"(?:^|[^\w'’-])([A-ZÀ-Ý][\w'’-]+) ([A-ZÀ-Ý][\w'’-]+) $", text[max(0, start - 60):start])
    if before is None:
        return False
    return not any(norm(w) in gz.index or norm(w) in c.function_words or w.lower() in c.in_cues for w in before.groups())


def _add_entities(text: str, spans: list[_Span], entities: list[tuple[int, int, str]], gz: Gazetteer,
                  c: Cues) -> list[_Span]:
    """NER place spans that no gazetteer match covers: looked up (fuzzily) or kept as unknown places."""
    out = list(spans)
    # a name spaCy also tags as a person somewhere in the article ("Bazoum") is not an unknown place
    persons = {norm(re.sub(r"['’]s$", "", text[s:e])) for s, e, label in entities if label in _NER_BLOCK}
    persons |= {norm(w) for s, e, label in entities if label in _NER_BLOCK for w in text[s:e].split()[1:]}
    for start, end, label in entities:
        if label not in _NER_PLACE or end <= start:
            continue
        if any(s.start < end and start < s.end for s in out):
            continue
        surface = text[start:end]
        # "the Sahel", "The Tillaberi region": drop a leading article before judging
        m = c.leading_article.match(surface)
        if m:
            start += m.end()
            surface = text[start:end]
        noun = c.ner_kind_after.search(surface)
        if noun and not gz.index.get(norm(surface)):  # "Mamassi village" from NER: the name is Mamassi
            end -= len(noun.group(0))
            surface = text[start:end]
        if _not_a_place(surface, gz, c) or norm(surface) in persons or _agency(surface, _words(gz),
                                                                             known=norm(surface) in gz.index):
            continue
        places = gz.index.get(norm(surface))
        if not places and _tail_of_a_name(text, start, gz, c):
            continue  # "Jeunesse Tabital Pulaaku": the last word of an association's name, not a village
        s = _Span(start, end, surface, list(places or ()), source="ner")
        if places and not _keep(text, s, gz, [], c):
            continue
        if not places:
            s.places = _fuzzy_lookup(gz, surface)
            s.extra["fuzzy"] = bool(s.places)
        _cues(text, s, c)
        out.append(s)
    return out


# ------------------------------------------------------------------------------------------ resolution

def _drop_generic_regions(spans: list[_Span], gz: Gazetteer) -> list[_Span]:
    """"Sahel", "Nord", "Centre" count as regions only in an article that names their country."""
    generic = _words(gz).no_article
    named = Counter(s.chosen.country for s in spans if s.chosen and norm(s.text) not in generic)
    return [s for s in spans if not (s.chosen and norm(s.text) in generic and not named.get(s.chosen.country))]


def _core_bonus(p: Place) -> float:
    return 0.3 if p.country in _CORE else 0.0


def _resolve(text: str, spans: list[_Span], demonyms: list[tuple[int, str]], gz: Gazetteer) -> None:
    """Pick each match's place from the article's countries, regions and other places."""
    countries: Counter[str] = Counter()
    admin1s: Counter[tuple[str, str]] = Counter()
    for _, c in demonyms:
        if c:
            countries[c] += 0.5
    anchors: list[tuple[_Span, Place]] = []
    for s in spans:
        if not s.places:
            continue
        cs = {p.country for p in s.places}
        if len(cs) == 1:
            c = next(iter(cs))
            w = 0.3 if s.extra.get("border") else 1.0
            countries[c] += w
            if len(s.places) == 1:
                p = s.places[0]
                if p.kind != "country":
                    admin1s[(p.country, p.admin1)] += 1
                    anchors.append((s, p))
    for _ in range(2):
        top = max(countries.values(), default=0) or 1
        top_a = max(admin1s.values(), default=0) or 1
        for s in spans:
            if not s.places:
                continue
            if len(s.places) == 1:
                s.chosen = s.places[0]
                continue
            s.chosen = max(s.places, key=lambda p: _score(p, s, countries, top, admin1s, top_a, anchors))
        anchors = [(s, s.chosen) for s in spans if s.chosen and s.chosen.kind != "country"]
        admin1s = Counter((p.country, p.admin1) for _, p in anchors if p.admin1)
        countries = Counter({c: w for c, w in countries.items()})
        for s, p in anchors:
            countries[p.country] += 0.5
    _drop_foreign_namesakes(spans, demonyms)


def _drop_foreign_namesakes(spans: list[_Span], demonyms: list[tuple[int, str]]) -> None:
    """A small place whose only namesake lies in a country the article never names, in an article about
    another country, is an unknown place of that article's country, not the namesake."""
    named: Counter[str] = Counter(c for _, c in demonyms if c)
    for s in spans:
        if s.chosen and s.chosen.kind == "country" and not s.extra.get("border"):
            named[s.chosen.country] += 1
    if not named:
        return
    main, weight = named.most_common(1)[0]
    for s in spans:  # a near-spelling found only in a country the article never names is not that place
        if s.extra.get("fuzzy") and s.chosen and not named.get(s.chosen.country):
            s.chosen, s.places = None, []
    if weight < 2:
        return
    places_in: dict[str, set[str]] = {}
    for s in spans:
        if s.chosen and s.chosen.kind != "country":
            places_in.setdefault(s.chosen.country, set()).add(norm(s.chosen.name))
    for s in spans:
        p = s.chosen
        if p is None or p.kind != "locality" or p.country == main or named.get(p.country):
            continue
        if p.population >= 50000 or p.feature in ("PPLC", "PPLA", "PRK") or len(places_in.get(p.country, ())) > 1:
            continue
        s.chosen, s.places = None, []


def _score(p: Place, s: _Span, countries: Counter, top: float, admin1s: Counter, top_a: float,
           anchors: list[tuple[_Span, Place]]) -> float:
    score = 3.0 * countries.get(p.country, 0) / top
    score += 2.0 * admin1s.get((p.country, p.admin1), 0) / top_a if p.admin1 else 0.0
    dist = min((km(p, q) for t, q in anchors if t is not s and norm(t.text) != norm(s.text)), default=math.inf)
    if dist < 50:
        score += 2.0
    elif dist < 150:
        score += 1.5
    elif dist < 300:
        score += 0.5
    score += math.log10(p.population + 1) / 3
    if p.feature in ("PPLC", "PPLA", "ADM1"):
        score += 0.6
    elif p.feature in ("PPLA2", "ADM2"):
        score += 0.3
    if p.source.startswith("curated"):  # chosen for conflict reporting: above a GeoNames village of that name
        score += 1.5
    elif p.source.startswith("import"):
        score += 0.4
    return score + _core_bonus(p)


# --------------------------------------------------------------------------------------------- locate

_CUE_RANK = {"in": 0, "": 1, "near": 1}


def _location(p: Place, written: str, precision: int, gz: Gazetteer | None = None) -> Location:
    admin2 = p.admin2
    if not admin2 and p.kind == "locality" and gz is not None:
        admin2 = _nearest_admin2(gz, p)
    return Location(p.country, p.iso, p.admin1, admin2, written, p.latitude, p.longitude, precision)


def _nearest_admin2(gz: Gazetteer, p: Place) -> str:
    best, best_km = "", 80.0
    for q in _admin2_places(gz):
        if q.country == p.country and q.admin1 == p.admin1:
            d = km(p, q)
            if d < best_km:
                best, best_km = q.name, d
    return best


_ADMIN2_CACHE: dict[int, list[Place]] = {}


def _admin2_places(gz: Gazetteer) -> list[Place]:
    got = _ADMIN2_CACHE.get(id(gz))
    if got is None:
        got = _ADMIN2_CACHE[id(gz)] = [p for ps in gz.index.values() for p in ps if p.kind == "admin2"]
    return got


def _locality_precision(m: PlaceMention) -> int:
    assert m.place is not None
    return 2 if m.near or m.place.approximate or m.place.feature in ("PRK", "FRST") else 1


def _importance(p: Place) -> tuple[int, int]:
    return ({"PPLC": 3, "PPLA": 2, "PPLA2": 1}.get(p.feature, 0), p.population)


def locate(local: Sequence[PlaceMention], article: Sequence[PlaceMention], gazetteer: Gazetteer | None = None
           ) -> Location | None:
    """The place of one event from the mentions in its sentences, the article's mentions as context."""
    gz = gazetteer or load_gazetteer()
    told = [m for m in local if m.context]
    local = [m for m in local if not m.context]
    article = list(article)
    if told and not local:  # only where it was told: the story's place, else the region it was told in
        found = locate([], [m for m in article if not m.context], gz)
        if found is not None:
            return found
        m = told[0]
        region = gz.admin1.get((m.place.country, m.place.admin1)) if m.place and m.place.admin1 else None
        return _location(region, region.name, 3) if region is not None else None
    if not local and any(m.context for m in article) and any(not m.context for m in article):
        article = [m for m in article if not m.context]
    localities = [m for m in local if m.place and m.kind == "locality"]
    unknown = [m for m in local if m.place is None and m.kind == "unknown"]
    road = [m for m in localities if m.road]
    if road and len(road) < len(localities):  # "on the Kaduna-Abuja highway near Katari": Katari
        localities = [m for m in localities if not m.road]
    elif road:
        named = [m for m in unknown if m.cue in ("in", "near")]
        best = _road_end(road, told + [m for m in local if m.kind in ("admin1", "admin2")])
        if named:  # "on the Djibo-Ouagadougou road near Kpatoumbaga": the village, around the road
            return _location(best.place, named[0].text, 2, gz)
        return _location(best.place, best.place.name, 2, gz)
    if localities:
        best = min(localities, key=lambda m: (_CUE_RANK.get(m.cue, 1), local.index(m)))
        # "the village of Kpatoumbaga near Ouallam", "le village de X, dans la commune de Tansila": the village
        named = [m for m in unknown if m.cue == "in" and m.start < best.start + 1
                 and (best.cue != "in" or best.start - m.end <= 40)]
        if named:
            return _location(best.place, named[0].text, 2, gz)
        return _location(best.place, best.place.name, _locality_precision(best), gz)
    regions = [m for m in local if m.place and m.kind in ("admin2", "admin1")]
    if unknown:
        m = unknown[0]
        anchor = _context_region(regions or local, article, gz)
        if anchor is not None:
            return Location(anchor.country, anchor.iso, anchor.admin1, anchor.admin2 if anchor.kind == "admin2" else "",
                            m.text, anchor.latitude, anchor.longitude, 3)
        country = _article_country(article or local)
        if country:
            c = gz.countries.get(country)
            return Location(country, gz.iso(country), "", "", m.text, c.latitude if c else None,
                            c.longitude if c else None, 3)
        return None
    if regions:
        # the most specific region named (admin2 before admin1), first mentioned on ties
        m = min(regions, key=lambda m: (0 if m.kind == "admin2" else 1, local.index(m)))
        return _location(m.place, m.place.name, 3)
    countries_local = [m for m in local if m.place and m.kind == "country" and m.place.country in gz.countries]
    found = _article_fallback(article, {m.place.country for m in countries_local}, gz)
    hinted = _hinted_region(countries_local, gz)
    if hinted and (found is None or (found.country, found.admin1) != (hinted.country, hinted.admin1)):
        return _location(hinted, hinted.name, 3)
    return found


def _road_end(ends: Sequence[PlaceMention], regions: Sequence[PlaceMention]) -> PlaceMention:
    """The end of a road or stretch ("the Kaduna-Abuja highway", "between Boni and Torodi") an event is placed at, as
    analysts code it: the end in a region the text names, not the national capital, the more important town, the first
    named."""
    stated = {(m.place.country, m.place.admin1) for m in regions if m.place and m.place.admin1}
    ends = list(ends[:2])
    return min(ends, key=lambda m: ((m.place.country, m.place.admin1) not in stated, m.place.feature == "PPLC",
                                    [-x for x in _importance(m.place)], ends.index(m)))


def _article_country(mentions: Sequence[PlaceMention]) -> str | None:
    counts = Counter(m.place.country for m in mentions if m.place)
    return counts.most_common(1)[0][0] if counts else None


def _hinted_region(mentions: Sequence[PlaceMention], gz: Gazetteer) -> Place | None:
    for m in mentions:
        if m.place and m.admin1_hint:
            got = gz.admin1.get((m.place.country, m.admin1_hint))
            if got:
                return got
    return None


def _context_region(local: Sequence[PlaceMention], article: Sequence[PlaceMention], gz: Gazetteer) -> Place | None:
    """The region an unresolved name most likely lies in: a region named beside it, a direction beside it
    ("in western Niger"), else the article's regions, else the article's directions."""
    for m in local:
        if m.place and m.kind in ("admin2", "admin1"):
            return m.place
    hinted = _hinted_region(local, gz)
    if hinted:
        return hinted
    country = _article_country(article)
    counts = Counter((m.place.country, m.place.admin1) for m in article
                     if m.place and m.kind != "country" and m.place.admin1 and m.place.country == country)
    if not counts:
        return _hinted_region(article, gz)
    c, a1 = counts.most_common(1)[0][0]
    return gz.admin1.get((c, a1))


def _article_fallback(article: Sequence[PlaceMention], countries: set[str], gz: Gazetteer) -> Location | None:
    """No place in the event's sentences: the article's main place (often named, named first, not a capital)."""
    resolved = [m for m in article if m.place and (not countries or m.place.country in countries)]
    for kinds in (("locality",), ("admin2", "admin1")):
        ms = [m for m in resolved if m.kind in kinds]
        if not ms:
            continue
        scores: dict[str, float] = {}
        first: dict[str, PlaceMention] = {}
        for i, m in enumerate(ms):
            key = norm(m.place.name) + "|" + m.place.country
            first.setdefault(key, m)
            scores[key] = scores.get(key, 0.0) + (1.0 if m.cue == "in" else 0.6)
        keys = list(first)
        scores[keys[0]] += 1.5
        for key, m in first.items():
            if m.place.feature == "PPLC" and len(keys) > 1:
                scores[key] *= 0.5
        key = max(keys, key=lambda k: (scores[k], -keys.index(k)))
        m = first[key]
        if m.kind == "locality":
            return _location(m.place, m.place.name, max(2, _locality_precision(m)), gz)
        return _location(m.place, m.place.name, 3)
    countries_named = [m for m in resolved if m.kind == "country" and m.place.country in gz.countries] or \
        [m for m in article if m.place and m.kind == "country" and m.place.country in gz.countries]
    if countries_named:
        name = Counter(m.place.country for m in countries_named).most_common(1)[0][0]
        c = gz.countries.get(name)
        return Location(name, gz.iso(name), "", "", name, c.latitude if c else None, c.longitude if c else None, 3)
    return None


# ------------------------------------------------------------------------------------------- helpers

def country_of(name: str, gazetteer: Gazetteer | None = None) -> str | None:
    """The country a name denotes or most likely lies in ("Nigerien" -> Niger, "Djibo" -> Burkina Faso)."""
    gz = gazetteer or load_gazetteer()
    c = gz.country_name(name)
    if c:
        return c
    places = gz.lookup(name)
    if not places:
        return None
    best = max(places, key=lambda p: (_rank_for_helper(p), p.population))
    return best.country


def admin1_of(name: str, country: str | None = None, gazetteer: Gazetteer | None = None) -> str | None:
    """The ACLED admin1 of a place or region name ("Soum" -> Sahel, "Tillabéri" -> Tillaberi)."""
    gz = gazetteer or load_gazetteer()
    places = [p for p in gz.lookup(name, country) if p.kind != "country"]
    if not places:
        return None
    return max(places, key=lambda p: (_rank_for_helper(p), p.population)).admin1 or None


def _rank_for_helper(p: Place) -> float:
    return (1.0 if p.country in _CORE else 0.0) + (0.5 if p.source.startswith("curated") else 0.0) + \
        {"ADM1": 0.8, "PPLC": 0.8, "PPLA": 0.6, "ADM2": 0.5, "PPLA2": 0.4}.get(p.feature, 0.0)


def mention_with(m: PlaceMention, **changes) -> PlaceMention:
    """A copy of a mention with some fields changed (for callers that adjust cues)."""
    return replace(m, **changes)
