"""Dates of incidents as news reports write them, resolved against the publication date.

Absolute and publication-relative dates ("On August 15", "21 September", "February 25, 2024",
"three days ago", "hier") are read by dateparser against the publication date; this module finds
them in the sentence, decides which are the incident's, and keeps the story-relative layer.
Handles absolute dates ("On August 15", "21 September", "February 25, 2024", "le 21 mars"),
weekdays ("on Thursday", "Wednesday night", "mardi"), relative expressions ("last week",
"yesterday", "in mid-April", "about three years ago") and story-relative ones ("a few days before
that attack", "two days after", "the next day") that are resolved against the incident the story
was just telling. Dates inside parentheses (citations), after "since", or right after a reporting
verb ("told AFP on Sunday") date the report, not the incident, and are skipped.

The English words and patterns live here, the French ones in lang_fr.py; ``LANGUAGES`` holds each
language's set, and ``find_dates`` reads a sentence with its report's language (English for others).
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sahelwatch.extract import lang_fr
from sahelwatch.extract.numbers import word_numbers

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
# "in mid-April", "early March": the day of the month a part of it stands for
MONTH_PARTS = {"mid": 15, "middle of": 15, "early": 5, "earlier": 5, "start of": 5, "beginning of": 5, "begin of": 5,
               "late": 25, "later": 25, "end of": 25}
# "three weeks ago", "the month before": days in a unit
UNIT_DAYS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30, "year": 365, "years": 365}
# Every language's month and weekday names: a citation "(AFP, 12 mars)" and a parse's day words
# are read whatever the report's language.
ALL_MONTHS = {**MONTHS, **lang_fr.MONTHS_FR, **lang_fr.MONTH_ABBREVIATIONS_FR}
ALL_WEEKDAYS = {**WEEKDAYS, **lang_fr.WEEKDAYS_FR}


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, the longest first ("september" before "sept")."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


# "May" is also a modal verb, and "Mar", "Sept" are abbreviations: only counted next to a day number.
_MONTH_RE = _alternatives(m.lower() for m in calendar.month_name if m and m != "May")
_MONTH_RE_ALL = _alternatives(MONTHS)
_WD_RE = "|".join(WEEKDAYS)
_NUM_RE = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several|few)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "on the night of Saturday to Sunday", "overnight Monday to Tuesday": the night's first day
    ("night", re.compile(rf"\b(?:(?:on |during |in )?the night of |overnight (?:from )?|between |from )"
                         rf"(?P<wd>{_WD_RE})(?:\s+night)?\s+(?:to|and|into|through)\s+(?:{_WD_RE})\b", re.I)),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m>{_MONTH_RE_ALL})\.?(?:,?\s+(?P<y>(?:19|20)\d\d))?\b",
                       re.I)),
    ("mdy", re.compile(rf"\b(?P<m>{_MONTH_RE_ALL})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:%|km|kilomet|people|soldiers))"
                       rf"(?:,?\s+(?P<y>(?:19|20)\d\d))?", re.I)),
    ("part_month", re.compile(rf"\b(?:in |at |by |during |from )?(?:the )?(?P<part>mid|middle of|early|earlier|late|"
                              rf"later|end of|start of|beginning of|begin(?:ning)? of)[-\s]+"
                              rf"(?P<m>{_MONTH_RE})(?:\s+(?P<y>(?:19|20)\d\d))?\b", re.I)),
    ("month_last_year", re.compile(rf"\b(?:in )?(?P<m>{_MONTH_RE_ALL}) (?:of )?last year\b", re.I)),
    ("month", re.compile(rf"\b(?:in|during|since|throughout|last|this) (?P<m>{_MONTH_RE})(?:\s+(?P<y>(?:19|20)\d\d))?\b",
                         re.I)),
    # "In May, eight soldiers were killed": the capitalised month after a time preposition, not the verb
    ("month", re.compile(r"\b(?:[Ii]n|[Dd]uring|[Ss]ince|[Tt]hroughout|[Ll]ast|[Tt]his) (?P<m>May)\b(?:\s+(?P<y>(?:19|20)\d\d))?"
                         r"(?!\s+(?:be|have|not|also|well|still|need|want)\b)")),
    ("weekday", re.compile(rf"\b(?P<wd>{_WD_RE})(?:'s)?(?P<last>\s+last)?\b", re.I)),
    ("last_weekday", re.compile(rf"\b(?:last|this past) (?P<wd>{_WD_RE})\b", re.I)),
    # "yesterday" and "today" alone are read by dateparser
    ("yesterday", re.compile(r"\b(?:(?P<word>yesterday)|last night|overnight)\b", re.I)),
    ("today", re.compile(r"\b(?:(?P<word>today)|this morning|earlier today)\b", re.I)),
    ("last_week", re.compile(r"\b(?:(?P<last>last week)|earlier this week|this week|in recent days|"
                             r"(?P<weekend>over the weekend|at the weekend))\b", re.I)),
    ("last_month", re.compile(r"\blast month\b", re.I)),
    ("this_month", re.compile(r"\b(early|earlier) this month\b", re.I)),
    # "about three years ago": dateparser reads the phrase from its number on
    ("ago", re.compile(rf"\b(?:about |some |nearly |almost |around )?(?P<read>(?P<n>{_NUM_RE}) "
                       rf"(?P<unit>days?|weeks?|months?|years?) ago)\b", re.I)),
    ("story", re.compile(rf"\b(?P<n>{_NUM_RE}|the) (?P<unit>days?|weeks?|hours?)\s+(?P<dir>before|after|earlier|later|prior)"
                         rf"(?P<rest>\s+\w+\s+\w+)?", re.I)),
    ("story_day", re.compile(r"\bthe (?P<dir>day before|next day|following day|previous day|day after|night before)\b", re.I)),
    ("story_week", re.compile(r"\b(?:the|a) (?:(?P<back>previous|preceding)|following|next) (?P<unit>week|month)\b|"
                              r"\b(?:the|a) (?P<unit2>week|month) (?:(?P<back2>before|earlier)|after|later)\b", re.I)),
    ("response", re.compile(r"\b(responded|retaliated|in response|in retaliation|hit back|counter-attacked|"
                            r"counter-offensive)\b", re.I)),
    ("story_days", re.compile(r"\bin the (?:(?P<dir>days|weeks) (?:that )?(?:followed|following|after)|following "
                              r"(?P<dir2>days|weeks))\b", re.I)),
]
REPORTING = re.compile(r"\b(said|says|say|told|tells|reported|reports|announced|announces|confirmed|confirms|"
                       r"released|issued|circulated|appeared|shared|declared|stated|added|explained|according to|"
                       r"statement|wrote|tweeted|posted|published|broadcast|interviewed)\b", re.I)
REPORTED_THAT = re.compile(r"\bthat\b", re.I)
ACCORDING_TO = re.compile(r"\baccording to\b[^.;,]*$", re.I)
SINCE = re.compile(r"\b(since|until|from)\s*(the )?$", re.I)
WHO = re.compile(r"\b(who|that|which)\s+(had\s+|have\s+)?$", re.I)
DATED = re.compile(r"\bdated\s*$", re.I)
BACKGROUND_NOUN = re.compile(r"\b(after|following|followed|before|since)\s+(the|a|an|its|their)\s*"
                             r"(\w+\s+){1,3}(in|of)?\s*$", re.I)
INCIDENT_NOUN = re.compile(r"^\s*(?:attacks?|raids?|ambush(?:es)?|massacres?|assaults?|strikes?|killings?|coup|"
                           r"incident|bombings?|explosions?|abductions?)\b")
DEFINITE = re.compile(r"\b(the|that|this)\s*$")
_NEVER = re.compile(r"(?!)")


@dataclass(frozen=True)
class DateWords:
    """One language's date patterns and the words around a date that say whose day it is."""

    patterns: list[tuple[str, re.Pattern[str]]]  # tried in order: a match takes its span from the later ones
    months: dict[str, int]
    weekdays: dict[str, int]
    month_parts: dict[str, int]  # "mid" April: the 15th
    unit_days: dict[str, int]  # "weeks" ago: 7 days each
    reporting: re.Pattern[str]  # "told AFP on Sunday": a day right after dates the report...
    reported_that: re.Pattern[str]  # ...unless "said that on Friday"
    according_to: re.Pattern[str]  # "according to the army, on Sunday"
    since: re.Pattern[str]  # "since 8 May": the bound of a period
    who: re.Pattern[str]  # "the soldiers who responded": who fought, not a later day
    dated: re.Pattern[str]  # "a note dated Thursday": the day of a document
    background_noun: re.Pattern[str]  # "after the military coup in July"
    incident_noun: re.Pattern[str] = _NEVER  # "the August 15 attack": an incident told elsewhere, named...
    definite: re.Pattern[str] = _NEVER  # ...after "the", "that"
    report_date: Callable[[str, int], bool] | None = None  # "une annonce faite le 21 mars"
    language: str = "en"  # whose number words ("two days ago", "il y a deux jours")


LANGUAGES = {
    "en": DateWords(PATTERNS, MONTHS, WEEKDAYS, MONTH_PARTS, UNIT_DAYS, REPORTING, REPORTED_THAT, ACCORDING_TO, SINCE,
                    WHO, DATED, BACKGROUND_NOUN, INCIDENT_NOUN, DEFINITE),
    "fr": DateWords(lang_fr.DATE_PATTERNS, {**lang_fr.MONTHS_FR, **lang_fr.MONTH_ABBREVIATIONS_FR},
                    lang_fr.WEEKDAYS_FR, lang_fr.MONTH_PARTS, lang_fr.UNIT_DAYS, lang_fr.REPORTING,
                    lang_fr.REPORTED_THAT, lang_fr.ACCORDING_TO, lang_fr.SINCE, lang_fr.WHO, lang_fr.DATED,
                    lang_fr.BACKGROUND_NOUN, report_date=lang_fr.is_report_date, language="fr"),
}


@dataclass(frozen=True)
class DateMention:
    """A date found in a sentence. ``story`` ones are offsets from the incident told just before."""

    start: int
    end: int
    text: str
    date: dt.date | None
    precision: int
    story_offset: int | None = None  # days from the story's current incident, for "two days before" etc.
    weekday: int | None = None  # for "on Thursday": re-resolved against the story when it is set earlier


def _num(word: str, language: str = "en") -> int:
    word = word.lower().strip()
    if word.isdigit():
        return int(word)
    if word in ("a few", "several", "few"):
        return 3
    return word_numbers(language).get(word, 1)


def _year_for(month: int, day: int, published: dt.date) -> dt.date | None:
    """The latest date with this month and day that is not after the publication date (+2 days)."""
    for year in (published.year, published.year - 1):
        try:
            d = dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))
        except ValueError:
            return None
        if d <= published + dt.timedelta(days=2):
            return d
    return None


def last_weekday(wd: int, published: dt.date) -> dt.date:
    """The latest day with weekday ``wd`` (0 = Monday) on or before ``published``."""
    return _last_weekday(wd, published)


def _last_weekday(wd: int, published: dt.date) -> dt.date:
    return published - dt.timedelta(days=(published.weekday() - wd) % 7)


def _reported(before: str, words: DateWords) -> bool:
    """A reporting verb right before the date ("said on Friday", "told AFP on Sunday"), not "said that on Friday"."""
    last = None
    for last in words.reporting.finditer(before):
        pass
    return last is not None and not (words.reported_that.search(before[last.end():])
                                     or re.search(r"[:,\"“]", before[last.end():]))


def _inside_parentheses(text: str, pos: int) -> bool:
    opened = text.rfind("(", 0, pos)
    return opened != -1 and text.rfind(")", 0, pos) < opened


_ANY_MONTH = _alternatives(ALL_MONTHS)
CITATION = re.compile(rf"\([^()]*?\b(?P<m>{_ANY_MONTH})\.?\s+(?P<d>\d{{1,2}})\b[^()]*\)|"
                      rf"\([^()]*?\b(?P<d2>\d{{1,2}})\s+(?P<m2>{_ANY_MONTH})\b[^()]*\)", re.I)


def citation_date(sentence: str, published: dt.date | None) -> dt.date | None:
    """The date of the source a sentence cites, "(Africa News, August 23)": the incident is on or before it."""
    m = CITATION.search(sentence)
    if not m or published is None:
        return None
    month = ALL_MONTHS[(m.group("m") or m.group("m2")).lower()]
    return _year_for(month, int(m.group("d") or m.group("d2")), published)


def find_dates(sentence: str, published: dt.date | None, offset: int = 0,
               said_on: Callable[[int], bool | None] | None = None, language: str = "en") -> list[DateMention]:
    """Incident dates written in one sentence, in text order (report dates and citations skipped).

    ``language`` (the report's) picks the patterns and cue words, English for a language without its own.
    ``said_on(position)`` (from the parse: is the day at that text offset the day a source spoke?)
    decides where it answers; the word window before the day decides where it cannot."""
    if published is None:
        published = dt.date.today()
    words = LANGUAGES.get(language, LANGUAGES["en"])
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in words.patterns:
        for m in pattern.finditer(sentence):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken) or _dates_another_thing(kind, m, words, said_on, offset):
                continue
            mention = _resolve(kind, m, published, words)
            if mention is None:
                continue
            date, precision, story = mention
            taken.append((s, e))
            wd = words.weekdays[m.group("wd").lower()] if kind in ("weekday", "last_weekday", "night") else None
            found.append(DateMention(offset + s, offset + e, m.group(0), date, precision, story, wd))
    found.sort(key=lambda d: d.start)
    return found


def _dates_another_thing(kind: str, m: re.Match[str], words: DateWords, said_on: Callable[[int], bool | None] | None,
                         offset: int) -> bool:
    """True when the date ``m`` of ``kind`` dates something else than its sentence's incident: a citation,
    the report, a document, the bound of a period or an incident named in passing."""
    sentence, (s, e) = m.string, m.span()
    if _inside_parentheses(sentence, s) or (words.report_date is not None and words.report_date(sentence, s)):
        return True
    before = sentence[max(0, s - 40):s]
    if words.since.search(before) and kind != "story":
        return True
    if kind == "response" and words.who.search(before):
        return True  # "the soldiers who responded": who fought, not a later day
    if words.dated.search(before):
        return True  # "an internal note dated Thursday": the day of a document, not of the incident
    if kind in ("month", "part_month") and words.background_noun.search(before):
        return True  # "after the military coup in July": the month of the coup named, not of this deed
    parsed = said_on(offset + s) if said_on is not None else None
    if kind in ("weekday", "yesterday", "today", "dmy", "mdy", "night") and (
            parsed or (parsed is None and _reported(sentence[max(0, s - 60):s], words))
            or words.according_to.search(sentence[:s])):
        return True
    # "the August 15 attack": names an incident told elsewhere, not this sentence's date
    return kind in ("dmy", "mdy", "weekday") and bool(words.incident_noun.match(sentence[e:])) and bool(
        words.definite.search(sentence[max(0, s - 6):s]))


_LIBRARY_SETTINGS = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day"]}


@functools.lru_cache(maxsize=4096)
def library_date(text: str, published: dt.date) -> dt.date | None:
    """An absolute or publication-relative date read by dateparser ("15 August 2023", "August 15",
    "three days ago", "il y a trois jours", "hier") against the publication date; None if it cannot."""
    import dateparser  # loads its language data on first use, not at import

    base = dt.datetime(published.year, published.month, published.day, 12)
    found = dateparser.parse(text, languages=["en", "fr"], settings={**_LIBRARY_SETTINGS, "RELATIVE_BASE": base})
    return found.date() if found is not None and found.date() <= published else None


def _resolve(kind: str, m: re.Match[str], published: dt.date,
             words: DateWords) -> tuple[dt.date | None, int, int | None] | None:
    """(date, precision, story offset) of a date mention of ``kind``; None when it names no date."""
    if kind.startswith("fr_"):
        return lang_fr.resolve_date(kind, m, published)
    g = m.groupdict()
    if kind in ("yesterday", "today") and g.get("word"):
        read = library_date(m.group(0), published)
        if read is not None:
            return read, 1, None
    if kind in ("dmy", "mdy"):
        month, day = words.months[g["m"].lower()], int(g["d"])
        if not 1 <= day <= 31:
            return None
        read = library_date(m.group(0).rstrip(".,"), published)
        if read is not None and read.month == month and read.day == day:
            return read, 1, None
        if g.get("y"):
            try:
                return dt.date(int(g["y"]), month, min(day, calendar.monthrange(int(g["y"]), month)[1])), 1, None
            except ValueError:
                return None
        d = _year_for(month, day, published)
        return (d, 1, None) if d else None
    if kind == "part_month":
        month = words.months[g["m"].lower()]
        day = words.month_parts[g["part"].lower()]
        d = dt.date(int(g["y"]), month, day) if g.get("y") else _year_for(month, day, published)
        return (d, 2, None) if d else None
    if kind == "month_last_year":
        return dt.date(published.year - 1, words.months[g["m"].lower()], 15), 3, None
    if kind == "month":
        month = words.months[g["m"].lower()]
        d = dt.date(int(g["y"]), month, 15) if g.get("y") else _year_for(month, 15, published)
        if d and d > published:
            d = published
        return (d, 3, None) if d else None
    if kind == "night":
        return _last_weekday(words.weekdays[g["wd"].lower()], published), 1, None
    if kind in ("weekday", "last_weekday"):
        wd = words.weekdays[g["wd"].lower()]
        d = _last_weekday(wd, published)
        if kind == "last_weekday" or g.get("last"):
            if d == published:
                d -= dt.timedelta(days=7)
        return d, 1, None
    if kind == "yesterday":
        return published - dt.timedelta(days=1), 1, None
    if kind == "today":
        return published, 1, None
    return _resolve_relative(kind, m, published, words)


def _resolve_relative(kind: str, m: re.Match[str], published: dt.date,
                      words: DateWords) -> tuple[dt.date | None, int, int | None] | None:
    """Dates relative to the publication ("last week", "three days ago") or to the story ("two days after")."""
    g = m.groupdict()
    if kind == "last_week":
        if g["weekend"]:
            return _last_weekday(5, published), 2, None
        return published - dt.timedelta(days=7 if g["last"] else 3), 2, None
    if kind == "last_month":
        first = published.replace(day=1) - dt.timedelta(days=1)
        return first.replace(day=15), 3, None
    if kind == "this_month":
        return published.replace(day=5) if published.day > 5 else published, 2, None
    if kind in ("ago", "il_y_a"):
        n = _num(g["n"], words.language)  # "two days ago", "il y a deux jours"
        unit = words.unit_days[g["unit"].lower()]
        read = library_date(g.get("read") or m.group(0), published)
        precision = (1 if n <= 2 else 2) if unit == 1 else 2 if unit == 7 else 3
        if read is not None:
            return read, precision, None
        if unit < 365:  # days, weeks and months (of 30 days) back
            return published - dt.timedelta(days=unit * n), precision, None
        try:
            return published.replace(year=published.year - n), 3, None
        except ValueError:  # 29 February
            return published.replace(year=published.year - n, day=28), 3, None
    if kind == "story":
        unit = g["unit"].lower()
        if unit.startswith("hour"):
            return None
        n = 1 if g["n"].lower() == "the" else _num(g["n"], words.language)
        days = n * (7 if unit.startswith("week") else 1)
        sign = -1 if g["dir"].lower() in ("before", "earlier", "prior") else 1
        rest = (g.get("rest") or "").lower()
        # "came two days after 69 people were killed": the new incident is the one after the phrase,
        # so it lies before the story's incident; "a few days before that attack": as written.
        refers_back = re.match(r"\s+(that|the|this|those|these)\s+(attack|raid|ambush|assault|incident|killing|"
                               r"strike|massacre|abduction|kidnapping|clash|\w+)", rest)
        if g["dir"].lower() in ("before", "after") and not refers_back:
            sign = -sign
        precision = 2 if g["n"].lower() in ("a few", "several", "few") or unit.startswith("week") else 1
        return None, precision, sign * days
    if kind == "story_day":
        d = g["dir"].lower()
        return None, 1, (-1 if d in ("day before", "previous day", "night before") else 1)
    if kind == "story_week":
        days = words.unit_days[(g["unit"] or g.get("unit2") or "").lower()]
        sign = -1 if g["back"] or g.get("back2") else 1
        return None, (2 if days == 7 else 3), sign * days
    if kind == "response":
        return None, 2, 1
    if kind == "story_days":
        return None, 2, 4 if (g["dir"] or g["dir2"]).lower() == "days" else 14
    return None
