"""French date phrases that dates.py takes in.

Kept apart so that the English modules stay English: ``DATE_PATTERNS`` are every French date
pattern dates.find_dates tries on a French report, its own kinds (prefixed ``fr_``, resolved by
``resolve_date``) before the kinds it shares with English (``dmy``, ``weekday``, ``yesterday``...,
resolved by dates.py with ``MONTHS_FR``, ``WEEKDAYS_FR``, ``MONTH_PARTS`` and ``UNIT_DAYS``); the
cue words around a date (``REPORTING``, ``SINCE``...) say whose day it is; ``is_report_date``
tells a date that dates the announcement ("une annonce faite le 21 mars", "le communiqué du
21 mars") rather than the incident. French toll words live in tolls_fr.yaml, French role cues in
roles_fr.yaml. No import from dates.py (no cycle).
"""
from __future__ import annotations

import datetime as dt
import re

from sahelwatch.extract.numbers import word_numbers

MONTHS_FR = {"janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
             "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12}
# "Ouagadougou, 13 nov.": abbreviated only next to a day number ("sept" is also seven)
MONTH_ABBREVIATIONS_FR = {"janv": 1, "févr": 2, "fevr": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11,
                          "déc": 12, "dec": 12}
WEEKDAYS_FR = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
# "à la mi-avril", "début janvier", "fin mars": the day of the month a part of it stands for
MONTH_PARTS = {"début": 5, "debut": 5, "mi": 15, "fin": 25}
# "il y a trois semaines", "la semaine précédente": days in a unit
UNIT_DAYS = {"jour": 1, "jours": 1, "semaine": 7, "semaines": 7, "mois": 30, "an": 365, "ans": 365}
_MONTH = "|".join(sorted(MONTHS_FR, key=len, reverse=True))
_MONTH_OR_ABBREVIATION = "|".join(sorted({**MONTHS_FR, **MONTH_ABBREVIATIONS_FR}, key=len, reverse=True))
_WD = "|".join(WEEKDAYS_FR)
_YEAR = r"(?P<y>(?:19|20)\d\d)"
_N = r"(?:\d+|quelques|plusieurs|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze)"
_BACK = r"(?:cette|cet|ces|l['’]|la|le|les)\s*(?:attaque|embuscade|assaut|incursion|raid|frappe|explosion|massacre|" \
        r"enl[èe]vement|tuerie|affrontement|incident|drame|\w+)"

DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "dans la nuit de mardi à mercredi", "de mardi à mercredi", "entre lundi et mardi"
    ("fr_wd_span", re.compile(rf"\b(?P<night>(?:dans )?la nuit )?(?:de|du|entre)\s+(?P<wd1>{_WD})\s+(?:à|au|et)\s+"
                              rf"(?P<wd2>{_WD})\b", re.IGNORECASE)),
    # "pendant la nuit du dimanche 14 avril au lundi 15 avril 2019": the night's first day, told by its date
    ("fr_night_dates", re.compile(rf"\b(?:(?:pendant|durant|dans) )?la nuit du\s+(?:(?:{_WD})\s+)?(?P<d>\d{{1,2}})(?:er)?"
                                  rf"(?:\s+(?P<m>{_MONTH}))?\s+au\s+(?:(?:{_WD})\s+)?\d{{1,2}}(?:er)?\s+(?P<m2>{_MONTH})"
                                  rf"(?:\s+{_YEAR})?\b", re.IGNORECASE)),
    ("fr_before_yesterday", re.compile(r"\bavant[- ]hier\b", re.IGNORECASE)),
    # "le lendemain", "la veille", "le surlendemain", "l'avant-veille", "le jour suivant"
    ("fr_story_day", re.compile(r"\b(?P<w>le lendemain|le surlendemain|l['’]avant-veille|la veille|"
                                r"le jour (?:suivant|d['’]apr[èe]s|pr[ée]c[ée]dent)|la nuit (?:suivante|pr[ée]c[ée]dente)|"
                                r"la journ[ée]e (?:suivante|pr[ée]c[ée]dente))\b", re.IGNORECASE)),
    # "quelques jours avant cette attaque", "deux jours plus tard", "trois jours après"
    ("fr_story", re.compile(rf"\b(?P<n>{_N})\s+(?P<unit>jours?|semaines?|heures?)\s+"
                            rf"(?P<dir>avant|apr[èe]s|plus t[ôo]t|plus tard|auparavant|auparavent)"
                            rf"(?P<rest>\s+{_BACK})?", re.IGNORECASE)),
    ("fr_last_week", re.compile(r"\b(?:la semaine (?:pass[ée]e|pr[ée]c[ée]dente)|en d[ée]but de semaine|"
                                r"plus t[ôo]t (?:dans|cette) (?:la )?semaine)\b", re.IGNORECASE)),
    # the kinds shared with English, resolved by dates.py: "le 21 mars", "le 1er août 2023"
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})(?:er)?\s+(?P<m>{_MONTH_OR_ABBREVIATION})\.?(?:,?\s+{_YEAR})?\b", re.IGNORECASE)),
    ("part_month", re.compile(rf"\b(?P<part>début|debut|fin|mi)[-\s]+(?P<m>{_MONTH})(?:\s+{_YEAR})?\b", re.IGNORECASE)),
    ("month", re.compile(rf"\ben (?P<m>{_MONTH})(?:\s+{_YEAR})?\b", re.IGNORECASE)),
    # "jeudi", "lundi dernier"
    ("weekday", re.compile(rf"\b(?P<wd>{_WD})(?P<last>\s+dernier)?\b", re.IGNORECASE)),
    ("yesterday", re.compile(r"\b(?P<word>hier)\b", re.IGNORECASE)),
    ("today", re.compile(r"\b(?P<word>aujourd'hui)\b", re.IGNORECASE)),
    ("last_week", re.compile(r"\b(?:(?P<last>la semaine derni[èe]re)|cette semaine|(?P<weekend>ce week-end))\b",
                             re.IGNORECASE)),
    ("last_month", re.compile(r"\ble mois dernier\b", re.IGNORECASE)),
    ("il_y_a", re.compile(r"\bil y a (?P<n>\w+) (?P<unit>jours?|semaines?|mois|ans?)\b", re.IGNORECASE)),
    # "la semaine précédente, des hommes armés avaient...", "le mois suivant"
    ("story_week", re.compile(r"\b(?:la|le) (?P<unit>semaine|mois) (?:(?P<back>précédente?|pr[ée]c[ée]dent|d'avant)|"
                              r"suivante?|d'apr[èe]s)\b", re.IGNORECASE)),
    ("response", re.compile(r"\b(riposté|en représailles)\b", re.IGNORECASE)),
]

# The words around a date that say whose day it is (dates.find_dates): "a déclaré lundi" dates the
# report, "a déclaré que lundi" the deed; "selon l'armée, lundi": the source's account.
REPORTING = re.compile(r"\b(annonce|annoncé|déclaré|indiqué|communiqué|selon|a précisé|affirmé)\b", re.IGNORECASE)
REPORTED_THAT = re.compile(r"\b(que|qu')\b", re.IGNORECASE)
ACCORDING_TO = re.compile(r"\bselon\b[^.;,]*$", re.IGNORECASE)
# "depuis mars", "jusqu'hier": a bound of a period, not the incident's day
SINCE = re.compile(r"\b(depuis|jusqu')\s*$", re.IGNORECASE)
# "les soldats qui ont riposté": who fought, not a later day
WHO = re.compile(r"\bqui\s+(ont\s+|avaient\s+)?$", re.IGNORECASE)
# "une note datée du jeudi": the day of a document
DATED = re.compile(r"\bdat[ée]e?s?(?: du)?\s*$", re.IGNORECASE)
# "après l'attaque du camp en juillet": the month of the incident named, not of this deed
BACKGROUND_NOUN = re.compile(r"\b(après|avant|depuis|suite à)\s+(le|la|les|l['’])\s*(\w+\s+){1,3}(en|de)?\s*$",
                             re.IGNORECASE)

# "une annonce faite le 21 mars", "le communiqué du 21 mars", "un bilan publié le 3 mai": the
# date that follows dates the announcement.
_REPORT_BEFORE = re.compile(r"\b(?:annonce|communiqu[ée]|d[ée]claration|message|bilan|note|point de presse|"
                            r"conf[ée]rence de presse)\b[^.;]{0,60}?\b(?:fait|faite|faits|publi[ée]e?|rendue? publique?|"
                            r"diffus[ée]e?|dat[ée]e?|sign[ée]e?|lue?|du|de ce)\s+(?:le\s+|ce\s+)?$", re.IGNORECASE)

# "ont rapporté lundi des sources", "a-t-on appris lundi", "a raconté mardi un habitant": a day
# right after a French reporting verb dates the report.
_REPORT_VERB = re.compile(r"\b(?:rapport[ée]e?s?|appris|racont[ée]|confirm[ée]|ajout[ée]|expliqu[ée]|soulign[ée]|"
                          r"assur[ée]|signal[ée]|pr[ée]cis[ée]|indiqu[ée]|d[ée]clar[ée]|annonc[ée]|affirm[ée]|dit|"
                          r"t[ée]moign[ée]|confi[ée]|d[ée]nonc[ée]|rapporte|apprend|indique|d[ée]clare|annonce|"
                          r"affirme|pr[ée]cise|ajoute|explique|raconte|confirme)"
                          r"(?:-t-(?:il|elle|on|ils|elles)|-(?:il|elle|on|ils|elles))?"
                          r"\s+(?:à (?:l['’])?\w+\s+|encore\s+|aussi\s+|également\s+)?(?:ce\s+|dès\s+)?$",
                          re.IGNORECASE)


def is_report_date(sentence: str, start: int) -> bool:
    """True when the date at ``start`` dates the report: "annonce faite le", "communiqué du",
    "a-t-on appris lundi", "ont rapporté mardi des sources" and the like."""
    before = sentence[max(0, start - 90):start]
    return bool(_REPORT_BEFORE.search(before) or _REPORT_VERB.search(before))


def _last(wd: int, published: dt.date) -> dt.date:
    return published - dt.timedelta(days=(published.weekday() - wd) % 7)


def _n(word: str) -> int:
    w = word.lower()
    if w.isdigit():
        return int(w)
    if w in ("quelques", "plusieurs"):
        return 3
    return word_numbers("fr").get(w, 1)


def resolve_date(kind: str, m: re.Match[str], published: dt.date) -> tuple[dt.date | None, int, int | None] | None:
    """(date, time_precision, story_offset) for a ``fr_`` pattern's match, as dates._resolve returns."""
    g = m.groupdict()
    if kind == "fr_wd_span":
        # the night of Tuesday to Wednesday: the attack is after midnight, on the Wednesday;
        # "de mardi à mercredi" (an operation over two days): the later day, to the week.
        d = _last(WEEKDAYS_FR[g["wd2"].lower()], published)
        return d, 1 if g.get("night") else 2, None
    if kind == "fr_night_dates":
        month = MONTHS_FR[(g["m"] or g["m2"]).lower()]
        year = int(g["y"]) if g.get("y") else published.year
        try:
            day = dt.date(year, month, int(g["d"]))
        except ValueError:
            return None
        if not g.get("y") and day > published:
            day = day.replace(year=year - 1)
        return day, 1, None
    if kind == "fr_before_yesterday":
        return published - dt.timedelta(days=2), 1, None
    if kind == "fr_story_day":
        w = g["w"].lower().replace("’", "'")
        offset = 2 if "surlendemain" in w else -2 if "avant-veille" in w else \
            -1 if ("veille" in w or "précédent" in w or "precedent" in w) else 1
        return None, 1, offset
    if kind == "fr_story":
        unit = g["unit"].lower()
        if unit.startswith("heure"):
            return None
        n = _n(g["n"])
        days = n * (7 if unit.startswith("semaine") else 1)
        direction = g["dir"].lower()
        sign = -1 if direction in ("avant", "plus tôt", "plus tot", "auparavant", "auparavent") else 1
        # as in English: "deux jours après que 30 civils ont été tués" dates the incident after the
        # phrase, which lies before the story's; "quelques jours avant cette attaque": as written.
        if direction in ("avant", "après", "apres") and not g.get("rest"):
            sign = -sign
        precision = 2 if g["n"].lower() in ("quelques", "plusieurs") or unit.startswith("semaine") else 1
        return None, precision, sign * days
    if kind == "fr_last_week":
        text = m.group(0).lower()
        return published - dt.timedelta(days=7 if ("pass" in text or "préc" in text or "prec" in text) else 3), 2, None
    return None
