"""Fatality and injury figures in a sentence, and ACLED's rules for combining them.

Each figure keeps the phrase it came from. Combining (CODEBOOK.md): within one group of victims
(soldiers, militants, civilians, people) the lowest figure of conflicting reports; "at least N"
is N; a bound ("more than 70") is refined by a precise figure just above it (77); the groups
of every side are added; injured are never fatalities.
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from sahelwatch.extract.lang_fr import APPROXIMATE as APPROXIMATE_FR
from sahelwatch.extract.lang_fr import DEATH_WORDS as DEATH_WORDS_FR
from sahelwatch.extract.lang_fr import INJURED_NEXT as INJURED_NEXT_FR
from sahelwatch.extract.lang_fr import NUMBER_WORDS as NUMBER_WORDS_FR
from sahelwatch.extract.numbers import VAGUE, WORD_NUMBERS, parse_number

_WORDNUM = "|".join(sorted((re.escape(w) for w in WORD_NUMBERS if w not in ("a", "an", "un", "une", "sept")),
                           key=len, reverse=True))
_VAGUE = "|".join(sorted((re.escape(w) for w in VAGUE), key=len, reverse=True))
QUANTITY = re.compile(
    rf"(?P<q>at least|more than|over|nearly|almost|around|about|some|up to|roughly|approximately|an estimated|"
    rf"au moins|plus de|près de|pres de|environ|quelque|jusqu'à)?\s*"
    rf"(?:(?P<range>between)\s+)?"
    rf"\b(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+|{_WORDNUM}|{_VAGUE}|{NUMBER_WORDS_FR})\b"
    rf"(?:\s+(?:and|to|or|et|à|-)\s+(?P<n2>\d+|{_WORDNUM})\b)?",
    re.I)
GROUPS: dict[str, tuple[str, ...]] = {
    "state": ("soldiers", "soldier", "troops", "servicemen", "policemen", "police officers", "police", "officers",
              "gendarmes", "guards", "guardsmen", "military personnel", "members of the security forces",
              "security forces", "personnel", "militaires", "soldats", "policiers", "gendarmes", "éléments",
              "military police students", "recruits", "fighters of the vdp", "vdp", "volunteers",
              "members of the national guard", "national guards", "militiamen", "vigilantes", "vigilante",
              "members of the civilian jtf", "cjtf members", "dozos", "koglweogo", "auxiliaries", "park rangers",
              "rangers", "peacekeepers", "casques bleus", "supplétifs", "volontaires"),
    "militant": ("jihadists", "jihadist", "militants", "militant", "terrorists", "terrorist", "assailants",
                 "assailant", "attackers", "attacker", "insurgents", "insurgent", "fighters", "fighter", "gunmen",
                 "gunman", "bandits", "bandit", "rebels", "rebel", "extremists", "terroristes", "terroriste",
                 "jihadistes", "jihadiste", "assaillants", "assaillant", "combattants", "islamists", "kidnappers"),
    "civilian": ("civilians", "villagers", "children", "women", "worshippers", "farmers", "residents", "herders",
                 "passengers", "traders", "students", "pupils", "miners", "civils", "villageois", "fidèles",
                 "child", "man", "woman", "men", "girls", "boys", "displaced", "mourners",
                 "habitants", "paysans", "agriculteurs", "éleveurs", "bergers", "pasteurs",
                 "cultivateurs", "commerçants", "orpailleurs", "élèves",
                 "enfants", "femmes", "hommes", "chefs de famille", "fidèles", "déplacés", "passagers",
                 "peuls", "dogons", "bellahs", "fulani", "touaregs", "tuaregs", "mossi"),
    "people": ("people", "persons", "personnes", "others", "victims", "bodies", "individuals", "of them",
               "protesters", "protester", "demonstrators", "demonstrator", "rioters", "youths", "young men",
               "young man", "manifestants", "person"),
}
_GROUP_WORD = {w: g for g, words in GROUPS.items() for w in words}
_GROUP_RE = re.compile(r"^[\s\"'“”‘’]*(?:(?:of|de|d'|des|other|more|nigerien|malian|burkinabe|burkinabè|beninese|togolese|nigerian|"
                       r"chadian|french|local|of (?:the|its|their) |army|military|unarmed|innocent|rice|civilian|"
                       r"nigériens|maliens|burkinabè|[a-z]+ (?=soldiers|troops|civilians|people))\s*)*"
                       r"(?P<g>" + "|".join(sorted((re.escape(w) for w in _GROUP_WORD), key=len, reverse=True))
                       + r")\b", re.I)
DEATH = re.compile(r"\b(killed|kill|kills|killing|dead|died|die|deaths?|slain|perished|lost their lives|lost his life|"
                   r"fell|executed|massacred|neutrali[sz]ed|neutrali[sz]ing|shot dead|gunned down|murdered|beheaded|lives?|"
                   r"tués?|tuées?|tuant|morts?|co[ûu]t[ée] la vie|décédés?|neutralisés?|abattus?|exécutés?|ont péri|fatalities|"
                   rf"toll|{DEATH_WORDS_FR})\b", re.I)
INJURY = re.compile(r"\b(injured|injuring|wounded|wounding|hurt|injuries|blessés?|blessant|went missing|missing|"
                    r"abducted|kidnapped|taken|escaped|arrested|captured|enlevés?|disparus?|"
                    r"atteinte?s? par (?:balles?|des balles|des tirs)|touchée?s? par (?:balles?|des balles))\b", re.I)
SKIP_BEFORE = re.compile(r"\b(including|among them|among whom|dont|parmi lesquels|of whom|aged|age|over the age of|"
                         r"naming)\s*(at least |au moins )?$", re.I)
NOT_A_COUNT_AFTER = re.compile(r"^\s*(%|percent|per cent|km|kilomet|kilometres|miles|years?|ans|months?|days?|"
                               r"hours?|minutes?|am|pm|h\b|motorcycles|vehicles|trucks|million|billion|cfa|dollars|"
                               r"kg|tonnes|o'clock|vehicules|véhicules|motos|armored|armoured)", re.I)


@dataclass(frozen=True)
class Figure:
    """One number of dead or injured in the text, with the group it counts and its qualifier."""

    start: int
    end: int
    text: str
    value: int
    group: str  # state | militant | civilian | people
    kind: str  # killed | injured | part (a part of another figure: who the dead were, not how many)
    qualifier: str = "exact"  # exact | at_least | more_than | range | approx | vague
    clause: int = 0  # figures of one clause add up ("three soldiers and two police officers")


def _qualifier(m: re.Match[str]) -> str:
    q = (m.group("q") or "").lower()
    if m.group("n2"):
        return "range"
    if m.group("n").lower() in APPROXIMATE_FR:  # "une trentaine" is about 30, a number, not a vague word
        return "approx"
    if m.group("n").lower() in VAGUE:
        return "vague"
    if q in ("more than", "over", "plus de"):
        return "more_than"
    if q in ("at least", "au moins"):
        return "at_least"
    if q:
        return "approx"
    return "exact"


def _kind_of(sentence: str, ms: int, window: str, group: str | None, rest_start: int) -> str | None:
    """killed, injured or None: what the figure at ``ms`` counts, read from the verbs around it."""
    d = DEATH.search(window)
    i = INJURY.search(window)
    kind = None
    if re.search(r"\b(claimed the (?:life|lives) of|(?:the )?bod(?:y|ies) of|(?:les )?(?:corps|dépouilles) de|"
                 r"killing|killed|kills|tuant|a fait|co[ûu]t[ée] la vie [àa]|"
                 r"(?:la )?mort de|the deaths? of|"
                 r"ayant fait|shot dead|shooting dead|gunned down|executed|executing|massacred|slaughtered|"
                 r"beheaded|neutrali[sz](?:ing|ed|er|ant|é|és)|(?:death )?toll (?:at|of|to|rose to|stood at|"
                 r"climbed to|reached))"
                 r"(?: at least| more than| about| some| around)?[\s\"'“”‘’]*$",
                 sentence[max(0, ms - 25):ms], re.I) and not INJURED_NEXT_FR.match(window):
        kind = "killed"
    elif group in ("state", "militant") and re.search(r"\b(lost|losing)(?: at least| more than| about| some)?\s*$",
                                                       sentence[max(0, ms - 25):ms], re.I):
        kind = "killed"  # "the army lost 12 soldiers" (not "a farmer who lost two sons")
    elif d and re.search(r"(?<!\bto )\b(had|have|has|who|ont|a|avaient|avait|qui)\s+$", window[:d.start()]) \
            and re.match(r"(kill|shot|execut|massacr|murder|slain|tu[ée]|abattu|ex[ée]cut|massacr|assassin|neutralis)",
                         d.group(0), re.I):
        kind = None  # "a few dozen of its fighters had killed ...", "six hommes ont tué": the killers
    elif d and re.match(r"\s+(?:the|a|an|\d+|two|three|four|five|six|seven|eight|nine|ten|dozens|several|at least)\b",
                        sentence[rest_start + d.end():], re.I) and re.fullmatch(r"[\s,]*", window[:d.start()]) \
            and d.group(0).lower() in ("killed", "shot", "executed", "massacred", "murdered"):
        kind = None  # "six gunmen killed two herders": an active verb with its object
    elif d and (not i or d.start() < i.start()) and not re.match(r"(toll|lives?)$", d.group(0), re.I) and (
            group is not None or re.fullmatch(r"[\s,]*(were|was|have been|has been|had been|are|others?|more|"
                                              r"ont été|sont|(?:of )?(?:civilian|military|army|soldier|police|militant|other))?[\s,]*",
                                              window[:d.start()], re.I)):
        kind = "killed"  # a bare number counts only right before its verb ("five were killed")
    elif i and (not d or i.start() < d.start()):
        kind = "injured" if re.match(r"(injur|wound|hurt|bless|atteint|touch)", i.group(0), re.I) else None
    elif group is not None or re.search(r"\b(kill\w*|wound\w*|injur\w*|tuant|blessant)\s+$",
                                        sentence[max(0, ms - 20):ms], re.I):
        before = sentence[max(0, ms - 110):ms]
        last_death = None
        for dm in DEATH.finditer(before):
            last_death = dm
        last_inj = None
        for im in INJURY.finditer(before):
            last_inj = im
        if last_death and (not last_inj or last_inj.start() < last_death.start()):
            kind = "killed"
        elif last_inj:  # "killing eight soldiers and wounding five": the nearest verb counts
            kind = "injured" if re.match(r"(injur|wound|hurt|bless)", last_inj.group(0), re.I) else None
    return kind

# "abducted three herders; their bodies were found", "leurs corps ont été découverts": the taken were killed
BODIES_FOUND = re.compile(r"\b(?:their|whose|the) (?:lifeless |mutilated |decapitated |beheaded )?bod(?:y|ies)\b[^.]{0,60}?"
                          r"\b(?:found|discovered|recovered)\b|\b(?:leurs?|dont les) (?:corps|dépouilles?|cadavres?)\b[^.]{0,60}?"
                          r"\b(?:retrouvée?s?|découverte?s?)\b", re.I)


def _add_implied(sentence: str, offset: int, figures: list[Figure]) -> None:
    """The dead a sentence tells without a number: the bomber, "lost a soldier", "un mort", the taken
    whose bodies were found."""
    found = BODIES_FOUND.search(sentence)
    if found:
        for k, f in enumerate(figures):
            if not f.kind and f.group != "people" and f.end - offset <= found.start():
                figures[k] = Figure(f.start, f.end, f.text, f.value, f.group, "killed", f.qualifier, f.clause)
    # "a bomber blew himself up": ACLED counts the bomber among the dead
    for m in re.finditer(r"\b(?:blew|blows|blown|blowing) (?:himself|herself) up\b|\bs[''’](?:est|était) fait exploser\b",
                         sentence, re.I):
        figures.append(Figure(offset + m.start(), offset + m.end(), m.group(0), 1, "militant", "killed", "exact",
                              offset + 1))
    # "l'armée indique avoir perdu un homme", "the army lost a soldier": one of its own dead
    for m in re.finditer(r"\b(?:perdu|lost) (?:un|une|a|one) (?:seul )?(?:homme|soldat|militaire|élément|man|soldier)\b",
                         sentence, re.I):
        figures.append(Figure(offset + m.start(), offset + m.end(), m.group(0), 1, "state", "killed", "exact", offset))
    # "un mort", "d'un mort": one dead (the article is no number elsewhere)
    for m in re.finditer(r"\b(?:un|une) (?:seul(?:e)? )?(?:mort|tué|victime|décès)\b", sentence, re.I):
        if not any(f.start <= offset + m.start() < f.end for f in figures):
            figures.append(Figure(offset + m.start(), offset + m.end(), m.group(0), 1, "people", "killed", "exact",
                                  offset))


def _share_verbs(sentence: str, offset: int, figures: list[Figure]) -> None:
    """Figures joined by "and" share the verb (and victims) of the figure beside them."""
    # "killing 17 people in Tondikiwindi and nine in Dingazi": a bare figure after "and" repeats
    # the previous one's verb and victims.
    for k in range(1, len(figures)):
        f, prev = figures[k], figures[k - 1]
        between = sentence[prev.end - offset:f.start - offset]
        bare = re.sub(r"^(about|some|around|nearly|almost|roughly|environ|quelque)\s+", "", f.text, flags=re.I)
        if not f.kind and parse_number(bare) is not None and prev.kind \
                and re.search(r"\b(and|et)\s+(?:some |about |around |nearly |environ )?$", between) and len(between) < 60 \
                and f.group == "people":
            figures[k] = Figure(f.start, f.end, f.text, f.value, prev.group, prev.kind, f.qualifier, f.clause)
    # "Three soldiers and two police officers were killed": a figure joined by "and" to the next
    # one shares its verb.
    for k in range(len(figures) - 2, -1, -1):
        f, nxt = figures[k], figures[k + 1]
        if not f.kind and nxt.kind in ("killed", "injured") and re.fullmatch(
                r"[\s,]*(and|et|,)?[\s,]*", sentence[f.end - offset:nxt.start - offset], re.I):
            figures[k] = Figure(f.start, f.end, f.text, f.value, f.group, nxt.kind, f.qualifier, f.clause)
    # "Six people, four of them officials and one a soldier, were killed": the verb after the parts
    for k in range(len(figures) - 1):
        f = figures[k]
        parts = list(itertools.takewhile(lambda x: x.kind == "part", figures[k + 1:]))
        if f.kind or not parts:
            continue
        after = sentence[parts[-1].end - offset:parts[-1].end - offset + 60]
        d, i = DEATH.search(after), INJURY.search(after)
        if d and (not i or d.start() < i.start()) and re.match(r"[^,]*,\s*(were|was|have been|had been|ont été|sont)?\s*$",
                                                                after[:d.start()], re.I):
            figures[k] = Figure(f.start, f.end, f.text, f.value, f.group, "killed", f.qualifier, f.clause)


def find_figures(sentence: str, offset: int = 0) -> list[Figure]:
    """Killed and injured figures in one sentence (offsets into the article when ``offset`` is given)."""
    figures: list[Figure] = []
    # "deux (02) morts": the figure repeated in digits; keep offsets by blanking it
    sentence = re.sub(r"(?<=[a-zà-ÿ])\s\(\d{1,4}\)", lambda m: " " * len(m.group(0)), sentence)
    # "seven people, including a woman and two boys": the figures of an including-clause are a part
    partial = [(m.start(), m.end()) for m in re.finditer(r"\b(including|among them|among whom|parmi lesquels|parmi eux|"
                                                          r"dont|(?:the )?(?:dead|victims|toll) (?:included|includes|"
                                                          r"comprised))\b[^,.;()]*", sentence, re.I)]
    # "aged 14 to 73", "âgés de 14 à 73 ans": ages are no counts (blanked, offsets kept)
    sentence = re.sub(r"\b(?:aged|âgée?s?)\s+(?:de\s+|between\s+)?\d{1,3}\s+(?:à|to|and|et)\s+\d{1,3}(?:\s+(?:ans|years(?: old)?))?",
                      lambda m: " " * len(m.group(0)), sentence, flags=re.I)
    deaths = [m.start() for m in DEATH.finditer(sentence)]
    if not deaths and not INJURY.search(sentence) and not re.search(r"\b(los(t|ing)|perdu)\b", sentence) \
            and not BODIES_FOUND.search(sentence):
        return figures
    for m in QUANTITY.finditer(sentence):
        ms = m.start() + len(m.group(0)) - len(m.group(0).lstrip())  # the figure's first letter
        n_text = m.group("n").lower()
        if n_text in ("one", "a dozen") and re.match(r"\s+(of|another)\b", sentence[m.end():]) and n_text == "one":
            continue
        if n_text in VAGUE and re.match(r"\s+\d", sentence[m.end():]):
            continue  # "and some 30 in B": "some" qualifies the number after it
        value = VAGUE.get(n_text)
        if value is None:
            value = parse_number(n_text)
        if value is None or value == 0:
            continue
        if m.group("n2") and parse_number(m.group("n2")) is not None:
            value = min(value, parse_number(m.group("n2")) or value)
        after = sentence[m.end():m.end() + 80]
        if NOT_A_COUNT_AFTER.match(after) or (n_text.isdigit() and 1900 <= value <= 2100):
            continue
        # "the dead included 17 soldiers", "37 civilians, 14 of them children": a part of a figure told,
        # which says who the dead were (kind "part") but adds none
        part = bool(SKIP_BEFORE.search(sentence[max(0, ms - 30):ms]) or any(a < ms < b for a, b in partial)
                    or (bool(figures) and re.match(r"\s+(of them|of whom|d[''’]entre (eux|elles))\b", after, re.I)))
        g = _GROUP_RE.match(after)
        group = _GROUP_WORD.get(g.group("g").lower(), "people") if g else None
        rest_start = m.end() + (g.end() if g else 0)
        window = sentence[rest_start:rest_start + 90]
        # cut the window at the next figure: its verb belongs to it
        nxt = QUANTITY.search(window)
        if nxt and nxt.group("n") and (parse_number(nxt.group("n")) or nxt.group("n").lower() in VAGUE) \
                and nxt.start() > 0:
            window = window[:nxt.start()]
        kind = _kind_of(sentence, ms, window, group, rest_start)
        if kind is None and re.search(r"\bleft\s*$", sentence[max(0, ms - 12):ms], re.I):
            kind = "killed"
        if kind is None and group is None and not re.search(r"\b(and|et)\s+(?:some |about |around |nearly |environ )?$",
                                                            sentence[max(0, ms - 14):ms]):
            continue
        end = m.end() + (g.end() if g else 0)
        if part:
            if group is not None:
                figures.append(Figure(offset + ms, offset + end, sentence[ms:end].strip(), value, group, "part",
                                      _qualifier(m), offset))
            continue
        figures.append(Figure(offset + ms, offset + end, sentence[ms:end].strip(), value,
                              group or "people", kind or "", _qualifier(m), offset))
    _add_implied(sentence, offset, figures)
    _share_verbs(sentence, offset, figures)
    return [f for f in figures if f.kind]


def combine(figures: list[Figure], kind: str = "killed") -> tuple[int, list[Figure]]:
    """ACLED's count from the figures of one event: the lowest per group, the groups added."""
    by_group: dict[str, list[Figure]] = {}
    summed: dict[tuple[str, int], Figure] = {}
    for f in figures:
        if f.kind != kind:
            continue
        key = (f.group, f.clause)
        if key in summed:  # same sentence, same group: the figures add up
            prev = summed[key]
            f = Figure(prev.start, f.end, f"{prev.text} + {f.text}", prev.value + f.value, f.group, kind,
                       prev.qualifier, f.clause)
        summed[key] = f
    for (group, _clause), f in summed.items():
        by_group.setdefault(group, []).append(f)
    chosen: list[Figure] = []
    totals: dict[str, int] = {}
    for group, figs in by_group.items():
        precise = [f for f in figs if f.qualifier not in ("more_than", "vague")]
        candidates = []
        for f in figs:
            if f.qualifier == "more_than":
                refined = [p for p in precise if f.value < p.value <= f.value * 1.25]
                candidates.append(min(refined, key=lambda p: p.value) if refined else f)
            elif f.qualifier == "vague" and any(x.qualifier != "vague" and (x.group == f.group or "people" in (
                    x.group, f.group)) for x in figures if x.kind == kind):
                continue  # a number beats a word
            else:
                candidates.append(f)
        if not candidates:
            continue
        best = min(candidates, key=lambda f: f.value)
        totals[group] = best.value
        chosen.append(best)
    specific = sum(v for g, v in totals.items() if g != "people")
    sides = [g for g in totals if g != "people"]
    if "people" in totals and sides == ["militant"]:
        # "killed 30 people ... the army killed 16 of the assailants": the victims and the attackers
        total = specific + totals["people"]
    elif "people" in totals and len(sides) == 1:
        # "two people were killed" and "four civilians were killed": two reports of the same dead
        total = min(specific, totals["people"])
    else:
        total = max(specific, totals.get("people", 0))
    return total, chosen
