"""French-only date phrases that dates.py takes in, and French roles for events.py.

Kept apart so that the English modules stay readable: ``DATE_PATTERNS`` (kinds prefixed
``fr_``) are tried before the shared patterns and resolved by ``resolve_date``;
``is_report_date`` tells a date that dates the announcement ("une annonce faite le 21 mars",
"le communiqué du 21 mars") rather than the incident. French toll words live in tolls_fr.yaml.
No import from dates.py (no cycle).
"""
from __future__ import annotations

import datetime as dt
import re

from sahelwatch.extract.numbers import word_numbers

WEEKDAYS_FR = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
_WD = "|".join(WEEKDAYS_FR)
_N = r"(?:\d+|quelques|plusieurs|un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze)"
_BACK = r"(?:cette|cet|ces|l['’]|la|le|les)\s*(?:attaque|embuscade|assaut|incursion|raid|frappe|explosion|massacre|" \
        r"enl[èe]vement|tuerie|affrontement|incident|drame|\w+)"

DATE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # "dans la nuit de mardi à mercredi", "de mardi à mercredi", "entre lundi et mardi"
    ("fr_wd_span", re.compile(rf"\b(?P<night>(?:dans )?la nuit )?(?:de|du|entre)\s+(?P<wd1>{_WD})\s+(?:à|au|et)\s+"
                              rf"(?P<wd2>{_WD})\b", re.IGNORECASE)),
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
]

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


# Who did what, for events._role: French verbs after an actor mention. The passive ("ont été
# interpellés") makes the actor the patient; an auxiliary and a participle ("ont repris",
# "a enlevé", "ont jeudi incendié") or a present-tense deed ("revendique", "affirme avoir") the agent.
_PARTICIPLES = (r"attaqu[ée]|tu[ée]|enlev[ée]|kidnapp[ée]|incendi[ée]|pill[ée]|neutralis[ée]|ouvert le feu|pris|repris|"
                r"frapp[ée]|bombard[ée]|pilonn[ée]|tir[ée]|assassin[ée]|ex[ée]cut[ée]|abattu|dispers[ée]|interpell[ée]|"
                r"arr[êe]t[ée]|revendiqu[ée]|investi|fait irruption|encercl[ée]|tendu|men[ée]|vis[ée]|cibl[ée]|"
                r"d[ée]truit|saccag[ée]|lynch[ée]|occup[ée]|mitraill[ée]|massacr[ée]|ratiss[ée]|ripost[ée]|"
                r"repouss[ée]|d[ée]log[ée]|chass[ée]|infiltr[ée]|pris d['’]assaut|fait exploser|pos[ée]|plac[ée]")
_PASSIVE = (r"attaqu|tu|enlev|kidnapp|neutralis|dispers|interpell|arr[êe]t|assassin|ex[ée]cut|abattu|vis|cibl|"
            r"bless|pris|surpris|encercl|massacr|lynch|d[ée]log|chass|repouss|frapp|touch")
PATIENT_AFTER = re.compile(rf"^[\s,]*(?:[\w'’-]+\s+){{0,4}}?(?:ont été|a été|avaient été|avait été|sont|est|"
                           rf"furent|fut|se sont fait|se sont retrouvés)\s+(?:\w+\s+)?(?:{_PASSIVE})\w*\b", re.IGNORECASE)
AGENT_AFTER = re.compile(rf"^[\s,)]*(?:[\w'’-]+,?\s+){{0,3}}?(?:(?:a|ont|avait|avaient|auraient|aurait)\s+(?!été\b)"
                         rf"(?:\w+\s+)?(?:{_PARTICIPLES})(?:s|e|es)?\b|se sont empar[ée]s|s['’]est empar[ée]e?|"
                         rf"(?:affirme|affirment|dit|disent|assure|assurent|annonce|annoncent) avoir|revendique|"
                         rf"revendiquent|attaquent|enl[èe]vent|incendient|frappent|tirent|ouvrent le feu|"
                         rf"s['’]emparent|reprennent|prennent le contr[ôo]le)\b", re.IGNORECASE)

PATIENT_BEFORE = re.compile(r"\b(?:neutralis[ée]|tu[ée]|abattu|vis[ée]|cibl[ée]|attaqu[ée]|enlev[ée]|frapp[ée]|"
                            r"bombard[ée]|ex[ée]cut[ée]|assassin[ée]|massacr[ée]|dispers[ée]|interpell[ée]|arr[êe]t[ée]|"
                            r"bless[ée]|visant|ciblant|tuant|blessant|enl[èe]vement|assassinat|massacre|ex[ée]cution|"
                            r"embuscade contre|attaque contre|assaut contre)(?:s|e|es)?\s+(?:[\w'’-]+\s+){0,3}$",
                            re.IGNORECASE)


def role(before: str, after: str) -> str | None:
    """'patient' or 'agent' when a French verb next to an actor mention says which, else None."""
    if PATIENT_AFTER.match(after):
        return "patient"
    if AGENT_AFTER.match(after):
        return "agent"
    if PATIENT_BEFORE.search(before):
        return "patient"
    return None
