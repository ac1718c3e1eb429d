"""The words around a name that tell the geoparser it is a place, one data file per language.

``data/cues_en.yaml`` and ``data/cues_fr.yaml`` hold the words; this module gives them their shape
(a word boundary, "at the end of the text before the name") and compiles them once per language, so
an English report is read with English cues only and a French one with French cues only.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import yaml

from sahelwatch.geo.gazetteer import norm

LANGUAGES = ("en", "fr")
# a capitalised name of up to four words ("Barkaram", "Tongo Tongo", "Fada N'Gourma", "Wendou-Mbodji")
NAME_RUN = r"([A-ZÀ-ÖØ-Þ][\w’'-]*(?:[ \t]+[A-ZÀ-ÖØ-Þ][\w’'-]*){0,3})"


@dataclass(frozen=True)
class Cues:
    """One language's cue words, as sets and compiled patterns (see cues_en.yaml for what each does)."""

    language: str
    function_words: frozenset[str]
    in_cues: frozenset[str]
    weak_in_cues: frozenset[str]
    connectors: frozenset[str]
    region_words: frozenset[str]  # normalised
    noun_endings: tuple[str, ...]
    not_in_name: frozenset[str]
    lower_starts: frozenset[str]
    lower_ends: frozenset[str]
    pair_cues: frozenset[str]
    direction_names: dict[str, str]
    near: re.Pattern
    name_cue: re.Pattern
    plural: re.Pattern
    noun_after: re.Pattern
    region_after: re.Pattern
    of_cue: re.Pattern
    admin_before: re.Pattern
    local_government: re.Pattern
    distance: re.Pattern
    apposed_kind: re.Pattern
    kind_after: re.Pattern
    ner_kind_after: re.Pattern
    before_kind: re.Pattern
    before_distance: re.Pattern
    before_apposed: re.Pattern
    measured_after: re.Pattern
    before_region: re.Pattern
    name_list: re.Pattern
    list_inside: re.Pattern
    directions: tuple[re.Pattern, ...]
    road_after: re.Pattern
    road_after_pair: re.Pattern
    road_word_before: re.Pattern
    road_word_before_pair: re.Pattern
    near_after: re.Pattern
    border_after: re.Pattern
    border_before: re.Pattern
    reporting_before: re.Pattern
    reporting_after: re.Pattern
    told_in: re.Pattern
    target_before: re.Pattern
    movement_before: re.Pattern
    based_after: re.Pattern
    strong_before: re.Pattern
    article_before: re.Pattern
    wide_before: re.Pattern
    prev_word: re.Pattern
    leading_article: re.Pattern
    region_gap: re.Pattern
    after_country_gap: re.Pattern
    possessive_after: re.Pattern
    possessive_region: re.Pattern
    organisation: re.Pattern


def cue_file(language: str) -> dict:
    """The cue words of a language as written in its data file."""
    if language not in LANGUAGES:
        raise ValueError(f"no geoparser cues for language {language!r} (known: {', '.join(LANGUAGES)})")
    path = resources.files("sahelwatch.geo") / "data" / f"cues_{language}.yaml"
    return yaml.safe_load(path.read_text("utf-8")) or {}


def function_words() -> set[str]:
    """Every language's function words, normalised: never a place name in a gazetteer that serves all of them."""
    return {norm(w) for language in LANGUAGES for w in cue_file(language).get("function_words") or ()}


def _alt(items) -> str:
    """Regular-expression alternatives as one group; an empty list matches nothing."""
    items = list(items or ())
    return "(?:" + "|".join(items) + ")" if items else "(?!)"


def _phrases(items) -> str:
    """Literal phrases as alternatives, longest first (a space matches any spaces, ' either apostrophe)."""
    return _alt(re.escape(p).replace("\\ ", r"\s+").replace("'", "['’]")
                for p in sorted(items or (), key=len, reverse=True))


@functools.cache
def cues(language: str = "en") -> Cues:
    """The compiled cues of one language, built once."""
    d = cue_file(language)

    def words(key: str) -> frozenset[str]:
        return frozenset(d.get(key) or ())

    def a(key: str) -> str:
        return _alt(d.get(key))

    art, of, units = a("articles"), a("of"), a("units")
    nouns = sorted(set(d.get("region_words") or ()) | set(d.get("place_nouns") or ()), key=len, reverse=True)
    measured = r",\s+(?:" + a("measured") + r"\s+)*\d+\s*" + units + r"\b"
    and_ = _alt(c for c in d.get("connectors") or () if c.isalpha())  # "Nondin, Soro and Dinguila"
    return Cues(
        language=language, function_words=frozenset(norm(w) for w in d.get("function_words") or ()),
        in_cues=words("in_cues"), weak_in_cues=words("weak_in_cues"), connectors=words("connectors"),
        region_words=frozenset(norm(w) for w in d.get("region_words") or ()),
        noun_endings=tuple(d.get("common_noun_endings") or ()), not_in_name=words("not_in_name"),
        lower_starts=words("lower_starts"), lower_ends=words("lower_ends"), pair_cues=words("pair_cues"),
        direction_names=dict(d.get("direction_names") or {}),
        near=re.compile(r"(?<![\w])(" + "|".join(map(re.escape, sorted(d.get("near_patterns") or (), key=len,
                                                                        reverse=True))) + r")(?![\w])"),
        name_cue=re.compile(r"(?i:\b" + _phrases(d.get("name_cues")) + r")(?:\s+|(?<=['’]))" + NAME_RUN),
        plural=re.compile(r"(?i)\b" + a("plural_kinds") + r"\b"),
        noun_after=re.compile(r"^\s*(" + "|".join(map(re.escape, nouns)) + r")\b"),
        region_after=re.compile(r"^\s*" + _phrases(d.get("region_words")) + r"\b"),
        # "the village of X", "la localité de X"
        of_cue=re.compile(r"\b" + a("kind_nouns") + r"\s+" + of + r"\s*$"),
        # "the region of Tillabéri", "la province de la Kossi"
        admin_before=re.compile(r"\b" + a("region_words") + r"\s+" + of + r"\s*(?:" + art + r"\s+)?$"),
        local_government=re.compile(r"^\s+" + a("local_government"), re.IGNORECASE),
        # "20 km from Djibo", "à 30 km de Kaya"
        distance=re.compile(r"(\d[\d,.]*)\s*(" + units + r")\b[^.;]{0,30}?\b" + a("from") + r"\b"),
        # "Kpari, a small town in ...", "Bouldé, un village de la commune de Mondoro"
        apposed_kind=re.compile(r"^\s*,\s*" + a("apposed_kind") + r"\b"),
        kind_after=re.compile(r"^\s*" + a("kind_after") + r"\b"),
        ner_kind_after=re.compile(r"(?i)\s+" + a("kind_after") + r"$"),
        # "Kwatta village", "the Mamassi community"
        before_kind=re.compile(r"(?<=[a-z,;:] )" + NAME_RUN + r"(?=\s+" + a("kind_after_unknown") + r"\b)"),
        # "Zaroumdarey, which is 38 kilometres from the border"
        before_distance=re.compile(r"(?<=[a-z,;:] )" + NAME_RUN + r"(?=" + measured + ")"),
        # "gunmen attacked Djiguibombo, a village in the Bandiagara region", "Doaga, village de la commune de
        # Pissila": a name the words after it call a village
        before_apposed=re.compile(r"(?:(?<=[a-z,;:] )|^)" + NAME_RUN + r"(?=\s*,\s*" + a("apposed_kind") + r"\b)", re.M),
        measured_after=re.compile(r"^" + measured, re.I),
        # "in Falwel, in the Tillabéri region", "at Gabalami, in the far west of the country"
        before_region=re.compile(
            _alt(rf"(?<=\b{w} )" for w in d.get("before_region") or ()) + NAME_RUN
            + r"(?=,\s+" + a("in_region") + r"\s+(?:" + art + r"\s+)?(?:[A-Z][\w'’-]*\s+){0,2}?"
            r"(?:[A-Z][\w'’-]*['’]s\s+[A-Z][\w'’-]*\s+)?" + a("region_nouns") + r"\b"
            r"|,\s+" + a("in_region") + r"\s+" + a("region_direction") + ")"),
        # "the villages of Nondin, Soro and Dinguila"
        name_list=re.compile(r"(?:\s*,\s*(?:" + and_ + r"\s+)?|\s+" + and_ + r"\s+)" + NAME_RUN),
        list_inside=re.compile(r"\b" + and_ + r"\b|,"),
        directions=tuple(re.compile(r"\b" + p + r"$") for p in d.get("direction") or ()),
        # "the Djibo-Ouagadougou road"
        road_after=re.compile(r"^\s*[-–‐]\s*[A-Z][\w'’\-]*(\s+[A-Z][\w'’]*)?\s+" + a("road_after") + r"\b"),
        road_after_pair=re.compile(r"^\s*" + a("road_after") + r"\b"),
        # "the axis Djibo-Ouagadougou", "l'axe Kaya-Dori": road word first
        road_word_before=re.compile(r"\b" + a("road_before") + r"\s+(?:" + of + r"\s+)?$", re.IGNORECASE),
        road_word_before_pair=re.compile(r"\b" + a("road_before") + r"\s+(?:" + of + r"\s+)?"
                                         r"[A-Z][\w'’]*(\s+[A-Z][\w'’]*)?\s*[-–‐]\s*$", re.IGNORECASE),
        near_after=re.compile(r"^\s*" + a("near_after") + r"\b"),
        border_after=re.compile(r"^\s*" + a("border"), re.IGNORECASE),
        border_before=re.compile(a("border") + r"\s+" + a("border_with") + r"\s*(?:" + art + r"\s+)?$"),
        # "police in Kaduna state said"
        reporting_before=re.compile(r"\b" + a("reporting_sources") + r"\s+" + a("reporting_in") + r"\s+(?:" + art
                                    + r"\s+)?$", re.IGNORECASE),
        reporting_after=re.compile(r"^[^.;!?]{0,40}?\b" + a("reporting_verbs") + r"\b", re.IGNORECASE),
        told_in=re.compile(r"\b" + a("told_in") + r"\s+" + a("reporting_in") + r"\s+(?:" + art + r"\s+)?$",
                           re.IGNORECASE),
        target_before=re.compile(r"\b" + a("target_before") + "$"),
        movement_before=re.compile(r"\b" + a("movement_before") + r"\s+(?:" + art + r"\s+)?$"),
        based_after=re.compile(r"[-–‐\s]*" + a("based_after") + r"\b"),
        strong_before=re.compile(r"\b" + a("strong_before") + r"\s*$"),
        article_before=re.compile(r"\b" + art + r"\s*$"),
        wide_before=re.compile(r"\b" + a("wide_before") + r"\s+(?:" + art + r"\s+)?$"),
        # "in the Tillabéri region" -> in
        prev_word=re.compile(r"([^\W\d_]+)(?:\s+" + art + r")?[\s'’]*$", re.IGNORECASE),
        leading_article=re.compile(r"(?i)" + art + r"\s+"),
        region_gap=re.compile(r"\s*[,(]?\s*(?:" + a("region_gap") + r")?\s*(?:" + art + r")?\s*", re.IGNORECASE),
        after_country_gap=re.compile(r"(?:" + a("possessive") + r")?\s*,?\s*(?:" + art + r")?\s*", re.IGNORECASE),
        # "Tillaberi's Anzourou commune"
        possessive_after=re.compile(a("possessive") + r"\s+[A-Z]"),
        # "Kebbi state's Maga town", "Mali's Segou region"
        possessive_region=re.compile(r"(\s+" + a("possessive_region") + r")?" + a("possessive") + r"\s+",
                                     re.IGNORECASE),
        organisation=re.compile(r"\b" + a("organisation_words") + r"\b"),
    )
