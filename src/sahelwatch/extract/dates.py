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
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

from sahelwatch.extract import lang_fr
from sahelwatch.extract.numbers import word_numbers

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS.update({"sept": 9, "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
               "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
               "décembre": 12, "decembre": 12})
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}
WEEKDAYS.update({"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6})
# "May" is also a modal verb: only counted next to a day number.
_MONTH_RE = "|".join(sorted((re.escape(m) for m in MONTHS if m not in ("may", "mar", "jun", "jan", "dec",
                                                                         "oct", "nov", "aug", "sep", "feb", "apr",
                                                                         "jul", "sept")),
                            key=len, reverse=True))
_MONTH_RE_ALL = "|".join(sorted((re.escape(m) for m in MONTHS), key=len, reverse=True))
_WD_RE = "|".join(WEEKDAYS)
_NUM_RE = r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a few|several|few)"

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "on the night of Saturday to Sunday", "overnight Monday to Tuesday": the night's first day
    ("night", re.compile(rf"\b(?:(?:on |during |in )?the night of |overnight (?:from )?|between |from )"
                         rf"(?P<wd>{_WD_RE})(?:\s+night)?\s+(?:to|and|into|through)\s+(?:{_WD_RE})\b", re.I)),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|er)?\s+(?P<m>{_MONTH_RE_ALL})\.?(?:,?\s+(?P<y>(?:19|20)\d\d))?\b",
                       re.I)),
    ("mdy", re.compile(rf"\b(?P<m>{_MONTH_RE_ALL})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:%|km|kilomet|people|soldiers))"
                       rf"(?:,?\s+(?P<y>(?:19|20)\d\d))?", re.I)),
    ("part_month", re.compile(rf"\b(?:in |at |by |during |from )?(?:the )?(?P<part>mid|middle of|early|earlier|late|"
                              rf"later|end of|start of|beginning of|begin(?:ning)? of|début|debut|fin|mi)[-\s]+"
                              rf"(?P<m>{_MONTH_RE})(?:\s+(?P<y>(?:19|20)\d\d))?\b", re.I)),
    ("month_last_year", re.compile(rf"\b(?:in )?(?P<m>{_MONTH_RE_ALL}) (?:of )?last year\b", re.I)),
    ("month", re.compile(rf"\b(?:in|en|during|since|throughout|last|this) (?P<m>{_MONTH_RE})(?:\s+(?P<y>(?:19|20)\d\d))?\b",
                         re.I)),
    # "In May, eight soldiers were killed": the capitalised month after a time preposition, not the verb
    ("month", re.compile(r"\b(?:[Ii]n|[Dd]uring|[Ss]ince|[Tt]hroughout|[Ll]ast|[Tt]his) (?P<m>May)\b(?:\s+(?P<y>(?:19|20)\d\d))?"
                         r"(?!\s+(?:be|have|not|also|well|still|need|want)\b)")),
    ("weekday", re.compile(rf"\b(?P<wd>{_WD_RE})(?:'s)?(?P<last>\s+(?:dernier|last))?\b", re.I)),
    ("last_weekday", re.compile(rf"\b(?:last|this past) (?P<wd>{_WD_RE})\b", re.I)),
    ("yesterday", re.compile(r"\b(yesterday|hier|last night|overnight)\b", re.I)),
    ("today", re.compile(r"\b(today|this morning|aujourd'hui|earlier today)\b", re.I)),
    ("last_week", re.compile(r"\b(last week|la semaine dernière|la semaine derniere|earlier this week|this week|"
                             r"cette semaine|in recent days|over the weekend|at the weekend|ce week-end)\b", re.I)),
    ("last_month", re.compile(r"\b(last month|le mois dernier)\b", re.I)),
    ("this_month", re.compile(r"\b(early|earlier) this month\b", re.I)),
    ("ago", re.compile(rf"\b(?:about |some |nearly |almost |around )?(?P<n>{_NUM_RE}) "
                       rf"(?P<unit>days?|weeks?|months?|years?) ago\b", re.I)),
    ("il_y_a", re.compile(r"\bil y a (?P<n>\w+) (?P<unit>jours?|semaines?|mois|ans?)\b", re.I)),
    ("story", re.compile(rf"\b(?P<n>{_NUM_RE}|the) (?P<unit>days?|weeks?|hours?)\s+(?P<dir>before|after|earlier|later|prior)"
                         rf"(?P<rest>\s+\w+\s+\w+)?", re.I)),
    ("story_day", re.compile(r"\bthe (?P<dir>day before|next day|following day|previous day|day after|night before)\b", re.I)),
    ("story_week", re.compile(r"\b(?:the|a) (?P<dir>previous|preceding|following|next) (?P<unit>week|month)\b|"
                              r"\b(?:the|a) (?P<unit2>week|month) (?P<dir2>before|earlier|after|later)\b|"
                              r"\b(?:la|le) (?P<unit3>semaine|mois) (?P<dir3>précédente?|pr[ée]c[ée]dent|suivante?|d'avant|d'apr[èe]s)\b",
                              re.I)),
    ("response", re.compile(r"\b(responded|retaliated|in response|in retaliation|hit back|counter-attacked|"
                            r"counter-offensive|riposté|en représailles)\b", re.I)),
    ("story_days", re.compile(r"\bin the (?:(?P<dir>days|weeks) (?:that )?(?:followed|following|after)|following "
                              r"(?P<dir2>days|weeks))\b", re.I)),
]
# French-only patterns (extract/lang_fr.py), tried first so that "avant-hier" is not read as "hier".
PATTERNS[:0] = lang_fr.DATE_PATTERNS
REPORTING = re.compile(r"\b(said|says|say|told|tells|reported|reports|announced|announces|confirmed|confirms|"
                       r"released|issued|circulated|appeared|shared|"
                       r"declared|stated|added|explained|according to|statement|annonce|annoncé|déclaré|indiqué|"
                       r"communiqué|selon|a précisé|affirmé|wrote|tweeted|posted|published|broadcast|interviewed)\b",
                       re.I)


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


def _reported(before: str) -> bool:
    """A reporting verb right before the date ("said on Friday", "told AFP on Sunday"), not "said that on Friday"."""
    last = None
    for last in REPORTING.finditer(before):
        pass
    return last is not None and not re.search(r"\b(that|que|qu')\b|[:,\"“]", before[last.end():])


def _inside_parentheses(text: str, pos: int) -> bool:
    opened = text.rfind("(", 0, pos)
    return opened != -1 and text.rfind(")", 0, pos) < opened


CITATION = re.compile(rf"\([^()]*?\b(?P<m>{_MONTH_RE_ALL})\.?\s+(?P<d>\d{{1,2}})\b[^()]*\)|"
                      rf"\([^()]*?\b(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_RE_ALL})\b[^()]*\)", re.I)


def citation_date(sentence: str, published: dt.date | None) -> dt.date | None:
    """The date of the source a sentence cites, "(Africa News, August 23)": the incident is on or before it."""
    m = CITATION.search(sentence)
    if not m or published is None:
        return None
    month = MONTHS[(m.group("m") or m.group("m2")).lower()]
    return _year_for(month, int(m.group("d") or m.group("d2")), published)


BACKGROUND_NOUN = re.compile(r"\b(after|following|followed|before|since|après|avant|depuis|suite à)\s+"
                             r"(the|a|an|its|their|le|la|les|l['’])\s*"
                             r"(\w+\s+){1,3}(in|of|en|de)?\s*$", re.I)


def find_dates(sentence: str, published: dt.date | None, offset: int = 0,
               said_on: Callable[[int], bool | None] | None = None) -> list[DateMention]:
    """Incident dates written in one sentence, in text order (report dates and citations skipped).

    ``said_on(position)`` (from the parse: is the day at that text offset the day a source spoke?)
    decides where it answers; the word window before the day decides where it cannot."""
    if published is None:
        published = dt.date.today()
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(sentence):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            if _inside_parentheses(sentence, s):
                continue
            if lang_fr.is_report_date(sentence, s):  # "une annonce faite le 21 mars", "le communiqué du ..."
                continue
            before = sentence[max(0, s - 40):s]
            if re.search(r"\b(since|depuis|until|jusqu'|from)\s*(the )?$", before, re.I) and kind != "story":
                continue
            if kind == "response" and re.search(r"\b(who|that|which|qui)\s+(had\s+|have\s+|ont\s+|avaient\s+)?$", before,
                                                re.I):
                continue  # "the soldiers who responded": who fought, not a later day
            if re.search(r"\b(dated|dat[ée]e?s?(?: du)?)\s*$", before, re.I):
                continue  # "an internal note dated Thursday": the day of a document, not of the incident
            if kind in ("month", "part_month") and BACKGROUND_NOUN.search(before):
                continue  # "after the military coup in July": the month of the coup named, not of this deed
            parsed = said_on(offset + s) if said_on is not None else None
            if kind in ("weekday", "yesterday", "today", "dmy", "mdy", "night") and (
                    parsed or (parsed is None and _reported(sentence[max(0, s - 60):s]))
                    or re.search(r"\b(according to|selon)\b[^.;,]*$", sentence[:s], re.I)):
                continue
            if kind in ("dmy", "mdy", "weekday") and re.match(
                    r"^\s*(?:attacks?|raids?|ambush(?:es)?|massacres?|assaults?|strikes?|killings?|coup|incident|"
                    r"bombings?|explosions?|abductions?)\b", sentence[e:]) and re.search(r"\b(the|that|this)\s*$",
                                                                                       sentence[max(0, s - 6):s]):
                continue  # "the August 15 attack": names an incident told elsewhere, not this sentence's date
            mention = _resolve(kind, m, published)
            if mention is None:
                continue
            date, precision, story = mention
            taken.append((s, e))
            wd = WEEKDAYS[m.group("wd").lower()] if kind in ("weekday", "last_weekday", "night") else None
            found.append(DateMention(offset + s, offset + e, m.group(0), date, precision, story, wd))
    found.sort(key=lambda d: d.start)
    return found


LIBRARY_KINDS = ("dmy", "mdy", "ago", "il_y_a", "yesterday", "today")
_LIBRARY_SETTINGS = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day"]}


@functools.lru_cache(maxsize=4096)
def library_date(text: str, published: dt.date) -> dt.date | None:
    """An absolute or publication-relative date read by dateparser ("15 August 2023", "August 15",
    "three days ago", "il y a trois jours", "hier") against the publication date; None if it cannot."""
    import dateparser  # loads its language data on first use, not at import

    base = dt.datetime(published.year, published.month, published.day, 12)
    found = dateparser.parse(text, languages=["en", "fr"], settings={**_LIBRARY_SETTINGS, "RELATIVE_BASE": base})
    return found.date() if found is not None and found.date() <= published else None


def _resolve(kind: str, m: re.Match[str], published: dt.date) -> tuple[dt.date | None, int, int | None] | None:
    """(date, precision, story offset) of a date mention of ``kind``; None when it names no date."""
    if kind.startswith("fr_"):
        return lang_fr.resolve_date(kind, m, published)
    g = m.groupdict()
    if kind in ("yesterday", "today") and m.group(0).lower() in ("yesterday", "hier", "today", "aujourd'hui"):
        read = library_date(m.group(0), published)
        if read is not None:
            return read, 1, None
    if kind in ("dmy", "mdy"):
        month, day = MONTHS[g["m"].lower()], int(g["d"])
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
        month = MONTHS[g["m"].lower()]
        part = g["part"].lower()
        day = 15 if part in ("mid", "middle of", "mi") else 5 if part in (
            "early", "earlier", "start of", "beginning of", "begin of", "début", "debut") else 25
        d = dt.date(int(g["y"]), month, day) if g.get("y") else _year_for(month, day, published)
        return (d, 2, None) if d else None
    if kind == "month_last_year":
        return dt.date(published.year - 1, MONTHS[g["m"].lower()], 15), 3, None
    if kind == "month":
        month = MONTHS[g["m"].lower()]
        d = dt.date(int(g["y"]), month, 15) if g.get("y") else _year_for(month, 15, published)
        if d and d > published:
            d = published
        return (d, 3, None) if d else None
    if kind == "night":
        return _last_weekday(WEEKDAYS[g["wd"].lower()], published), 1, None
    if kind in ("weekday", "last_weekday"):
        wd = WEEKDAYS[g["wd"].lower()]
        d = _last_weekday(wd, published)
        if kind == "last_weekday" or g.get("last"):
            if d == published:
                d -= dt.timedelta(days=7)
        return d, 1, None
    if kind == "yesterday":
        return published - dt.timedelta(days=1), 1, None
    if kind == "today":
        return published, 1, None
    return _resolve_relative(kind, m, published)


def _resolve_relative(kind: str, m: re.Match[str], published: dt.date) -> tuple[dt.date | None, int, int | None] | None:
    """Dates relative to the publication ("last week", "three days ago") or to the story ("two days after")."""
    g = m.groupdict()
    if kind == "last_week":
        text = m.group(0).lower()
        if "weekend" in text or "week-end" in text:
            return _last_weekday(5, published), 2, None
        return published - dt.timedelta(days=7 if "last" in text or "derni" in text else 3), 2, None
    if kind == "last_month":
        first = published.replace(day=1) - dt.timedelta(days=1)
        return first.replace(day=15), 3, None
    if kind == "this_month":
        return published.replace(day=5) if published.day > 5 else published, 2, None
    if kind in ("ago", "il_y_a"):
        n = _num(g["n"], "en" if kind == "ago" else "fr")  # "two days ago", "il y a deux jours"
        unit = g["unit"].lower()
        read = library_date(re.sub(r"^(about|some|nearly|almost|around)\s+", "", m.group(0), flags=re.I), published)
        if read is not None:
            precision = (1 if n <= 2 else 2) if unit.startswith(("day", "jour")) else 2 if unit.startswith(
                ("week", "semaine")) else 3
            return read, precision, None
        if unit.startswith(("day", "jour")):
            return published - dt.timedelta(days=n), 1 if n <= 2 else 2, None
        if unit.startswith(("week", "semaine")):
            return published - dt.timedelta(days=7 * n), 2, None
        if unit.startswith("mois") or unit.startswith("month"):
            return published - dt.timedelta(days=30 * n), 3, None
        try:
            return published.replace(year=published.year - n), 3, None
        except ValueError:  # 29 February
            return published.replace(year=published.year - n, day=28), 3, None
    if kind == "story":
        unit = g["unit"].lower()
        if unit.startswith("hour"):
            return None
        n = 1 if g["n"].lower() == "the" else _num(g["n"])
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
        unit = (g.get("unit") or g.get("unit2") or g.get("unit3") or "").lower()
        direction = (g.get("dir") or g.get("dir2") or g.get("dir3") or "").lower()
        sign = -1 if direction.startswith(("previous", "preceding", "before", "earlier", "préc", "prec", "d'avant")) else 1
        return None, (2 if unit in ("week", "semaine") else 3), sign * (7 if unit in ("week", "semaine") else 30)
    if kind == "response":
        return None, 2, 1
    if kind == "story_days":
        return None, 2, 4 if (g["dir"] or g["dir2"]).lower() == "days" else 14
    return None
