"""Assembling events from the stages: sentences with triggers, dates, places, actors and figures
become candidates; candidates that tell the same incident (same day, same place, same sides)
merge into one event (CODEBOOK.md, Aggregation)."""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace

from sahelwatch import codebook
from sahelwatch.actors import ActorMention, default_registry
from sahelwatch.extract import layout, roles, sides, syntax
from sahelwatch.extract.dates import DateMention, citation_date, find_dates, last_weekday
from sahelwatch.extract.fatalities import Figure, combine, death, find_figures
from sahelwatch.extract.roles import ARMED
from sahelwatch.extract.sides import STATE
from sahelwatch.extract.triggers import Rules, Trigger, find_triggers, is_claim, is_hypothetical, load_rules, states_responsibility
from sahelwatch.geo import Location, PlaceMention, geoparse, load_gazetteer, locate
from sahelwatch.model import Document, Event, Evidence

log = logging.getLogger("sahelwatch")

ISO3 = {"Niger": "NER", "Mali": "MLI", "Burkina Faso": "BFA", "Nigeria": "NGA", "Chad": "TCD", "Benin": "BEN",
        "Togo": "TGO", "Mauritania": "MRT", "Cameroon": "CMR", "Ghana": "GHA", "Algeria": "DZA", "Libya": "LBY",
        "Ivory Coast": "CIV", "Cote d'Ivoire": "CIV", "Senegal": "SEN", "Guinea": "GIN"}
SPECIFIC_FIRST = (
    "Other", "Non-state actor overtakes territory", "Government regains territory", "Suicide bomb", "Air/drone strike",
    "Shelling/artillery/missile attack", "Remote explosive/landmine/IED", "Grenade", "Abduction/forced disappearance",
    "Sexual violence", "Violent demonstration", "Mob violence", "Excessive force against protesters",
    "Protest with intervention", "Peaceful protest", "Attack", "Non-violent transfer of territory", "Arrests",
    "Looting/property destruction",
)
VIOLENT = set(SPECIFIC_FIRST[1:16])
PROTEST = {"Excessive force against protesters", "Protest with intervention", "Peaceful protest"}



@dataclass
class Candidate:
    """One sentence (or one place-segment of a sentence) that tells of an incident."""

    start: int
    end: int
    paragraph: int
    triggers: list[Trigger]
    figures: list[Figure]
    dates: list[DateMention]
    places: list[PlaceMention]
    actors: list[tuple[ActorMention, str]]  # (mention, role: agent | patient | other)
    claimed: bool = False
    date: dt.date | None = None
    precision: int = 1
    date_explicit: bool = False
    location: Location | None = None
    place_explicit: bool = False
    own_place: Location | None = None  # the place a back-reference names ("the raid took place near X")
    text: str = ""
    headline: bool = False
    lede: bool = False  # in the report's first paragraph after the headline
    abroad: bool = False  # names no place but a country other than the report's
    year_only: bool = False  # dated only by an earlier year ("seized 270 schoolgirls in Chibok in 2014")
    sentence_start: int = 0  # where the candidate's sentence (``text``) starts in the report
    relative: bool = False
    rules: Rules | None = None

    @property
    def sub(self) -> str | None:
        subs = [t.sub for t in self.triggers]
        if "Arrests" in subs and not any(f.kind == "killed" for f in self.figures) and not (
                set(subs) & (VIOLENT - {"Attack"} | {"Other"})):
            return "Arrests"  # "arrested several army officers": no violence told
        for s in SPECIFIC_FIRST:
            if s in subs:
                return s
        return "Attack" if any(f.kind == "killed" for f in self.figures) else None


@dataclass
class Draft:
    """An event being assembled from candidates."""

    candidates: list[Candidate] = field(default_factory=list)

    @property
    def first(self) -> Candidate:
        return self.candidates[0]

    def subs(self) -> list[str]:
        return [c.sub for c in self.candidates if c.sub]


def _choose_date(dates: list[DateMention]) -> DateMention | None:
    if not dates:
        return None
    absolute = [d for d in dates if d.date is not None and d.precision == 1 and d.story_offset is None]
    return (absolute or dates)[0]


def _listed_places(locs: list[PlaceMention], text: str, rules: Rules) -> list[PlaceMention]:
    """Localities listed side by side in a sentence ("in Seytenga, Barani and Karma"), none inside another:
    the list, else nothing."""
    distinct: list[PlaceMention] = []
    for p in sorted(locs, key=lambda p: p.start):
        name = p.place.name if p.place is not None else p.text
        if any((q.place.name if q.place is not None else q.text) == name for q in distinct):
            return []  # a place named again ("killing 17 in A and nine in B"): the figures split it
        if p.near or p.road:
            continue
        distinct.append(p)
    if len(distinct) < 2:
        return []
    for a, b in zip(distinct, distinct[1:]):
        between = text[a.end:b.start]
        if not rules.cue("list_join").match(between) or rules.cue("not_a_list").search(between):
            return []
    countries = {p.place.country for p in distinct if p.place is not None}
    return distinct if len(countries) <= 1 else []


def _split_after(ends: list[int], start: int, end: int) -> list[tuple[int, int]]:
    """A sentence's span cut after each of ``ends`` (the last piece runs to the sentence's end)."""
    bounds = list(zip([start, *ends[:-1]], ends))
    return bounds[:-1] + [(bounds[-1][0], end)]


def _segments(sent_start: int, sent_end: int, places: list[PlaceMention], figures: list[Figure],
              dates: list[DateMention] = (), text: str | None = None, rules: Rules | None = None):
    """Split a sentence that tells two incidents: figures for two localities ("44 in A, and 179 in B"),
    or two days ("40 women were abducted on Thursday and 20 others on Friday")."""
    days = [d for d in dates if d.date is not None and d.story_offset is None]
    # "the next day, Wednesday 22 January": a story-relative day in apposition with the day it names
    dates = [d for d in dates if not (d.story_offset and any(0 <= x.start - d.end <= 3 for x in days))]
    if days and any(d.story_offset for d in dates):
        # "The army retook the town on Saturday, two days after rebels seized the camp": two incidents
        days = sorted(days + [d for d in dates if d.story_offset], key=lambda d: d.start)
        return [(sent_start if i == 0 else days[i].start, days[i + 1].start if i + 1 < len(days) else sent_end)
                for i in range(len(days))]
    if len({d.date for d in days}) >= 2:
        return _split_after([d.end for d in days], sent_start, sent_end)
    locs = [p for p in places if p.kind in ("locality", "unknown")]
    # "100 civilians died in the two villages, 70 of them in A and 30 in B": the parts split the toll
    killed = [f for f in figures if f.kind in ("killed", "part")]
    names = {p.place.name if p.place is not None else p.text for p in locs}
    listed = _listed_places(locs, text, rules) if text is not None and rules is not None else []
    if len(listed) >= 2:
        # "three targets were hit: the prison of Ouallam, the camp of Mangaize and a patrol at Zaroumey":
        # places listed side by side are as many incidents
        return _split_after([p.end for p in listed], sent_start, sent_end)
    if len(names) < 2 or len(killed) < 2:
        return [(sent_start, sent_end)]
    figure_leads = all(any(0 <= p.start - f.end <= 25 for p in locs) for f in killed if f.kind == "killed")
    if not figure_leads and min(p.start for p in locs) < min(f.start for f in killed):
        # "In Nondin, soldiers killed 44 people; in Soro, they killed 179": each place leads its figures
        starts = [p.start for p in locs[1:]]
        bounds = list(zip([sent_start, *starts], [*starts, sent_end]))
    else:
        # "killing 17 people in Tondikiwindi and nine in Dingazi": each figure leads to its place
        bounds = _split_after([p.end for p in locs], sent_start, sent_end)
    return [b for b in bounds if any(b[0] <= f.start < b[1] for f in killed)] or [(sent_start, sent_end)]


def _candidates(text: str, sentences, rules: Rules, places: list[PlaceMention], actors: list[ActorMention],
                published: dt.date, role_of, triggers_at: dict, figures_at: dict, dates_at: dict) -> list[Candidate]:
    """Every sentence (or place- or day-segment of one) that tells an incident, from the sahel_triggers,
    sahel_tolls and sahel_dates components' findings (by sentence start)."""
    from sahelwatch.extract.components import MAX_SENTENCE

    out = []
    for s, e, para in sentences:
        sentence = text[s:e]
        if len(sentence) > MAX_SENTENCE:
            continue
        triggers, figures = triggers_at[s], figures_at[s]
        if not triggers and not any(f.kind == "killed" for f in figures):
            continue
        dates = dates_at[s]
        days = [d.start for d in dates if d.date is not None and d.precision == 1 and d.story_offset is None]
        # "its deadliest attack to date on 20 May": a habit word the day follows tells no habit
        generic = [(s + m.start(), s + m.end()) for p in rules.generic for m in p.finditer(sentence)
                   if not any(0 <= day - (s + m.end()) <= 15 for day in days)]

        def near_generic(start: int, end: int, generic: list[tuple[int, int]] = generic) -> bool:
            return any(gs < end + 80 and start - 80 < ge for gs, ge in generic)

        no_deaths = rules.cue("no_deaths").search(sentence)
        triggers = [t for t in triggers if not is_hypothetical(text[max(s, t.start - 60):t.start], rules)
                    and not near_generic(t.start, t.end)
                    and not (no_deaths and death(rules.language).fullmatch(t.text))]  # "nobody was killed"
        cumulative = bool(generic) and any(p.search(sentence) for p in rules.cumulative)
        figures = [f for f in figures if not near_generic(f.start, f.end) and not cumulative]
        if not triggers and not any(f.kind == "killed" for f in figures):
            continue  # "could attack", "plans to seize": what may happen is no incident
        after = rules.cue("came_after").search(sentence)
        if after:  # "The attack came a day after X": only X can be a new incident
            tail = sentence[after.end():]
            triggers = find_triggers(tail, rules, s + after.end())
            if not triggers and not any(f.kind == "killed" for f in find_figures(tail, language=rules.language)):
                continue
        if after:  # "X came a week after the ambush that killed 12": the ambush lies before the story's day
            dates = [DateMention(d.start, d.end, d.text, d.date, d.precision, -abs(d.story_offset), d.weekday)
                     if d.story_offset else d for d in dates]
        local_places = [p for p in places if s <= p.start < e]
        for a, b in _segments(s, e, local_places, figures, dates, text, rules):
            seg_places = [p for p in local_places if a <= p.start < b] or (local_places if (a, b) == (s, e) else [])
            seg_figs = [f for f in figures if a <= f.start < b]
            if (a, b) != (s, e) and not any(f.kind == "killed" for f in seg_figs):
                # a segment told by a part of the sentence's toll ("70 of them in A") counts that part
                seg_figs = [replace(f, kind="killed") if f.kind == "part" else f for f in seg_figs]
            seg_triggers = [t for t in triggers if a <= t.start < b] or triggers
            sent_actors = [(m, _counted_victim(m, figures) or role_of(m, s, e)) for m in actors if s <= m.start < e]
            seg_actors = [(m, r) for m, r in sent_actors if a <= m.start < b]
            for role in ("agent", "patient"):  # "..., and 179 in Soro": the doer and the victims told once
                if not any(r == role for _m, r in seg_actors):
                    seg_actors += [(m, r) for m, r in sent_actors if r == role and not a <= m.start < b]
            seg_dates = [d for d in dates if a <= d.start < b] or [d for d in dates if d.start < b] or dates
            c = Candidate(a, b, para, seg_triggers, seg_figs, seg_dates,
                          seg_places, seg_actors, claimed=is_claim(sentence, rules), text=sentence, rules=rules,
                          year_only=not dates and any(int(y.group("y")) < published.year
                                                      for y in rules.cue("year").finditer(sentence)),
                          sentence_start=s)
            if c.sub:
                out.append(c)
    _follow_ups(text, sentences, out, actors, rules)
    return out




def _counted_victim(m: ActorMention, figures: list[Figure]) -> str | None:
    """"Five soldiers killed in the far north": the side a toll counts is the victim, whatever the parse says."""
    return "patient" if any(f.kind in ("killed", "injured") and f.start <= m.start < f.end for f in figures) else None


def _follow_ups(text: str, sentences, cands: list[Candidate], actors: list[ActorMention], rules: Rules) -> None:
    """'This included several leaders of ISSP': a named group in the sentence after an incident, told by
    anaphora, tells who the incident's unnamed side was."""
    by_start = {c.start: c for c in cands}
    for k, (s, e, para) in enumerate(sentences[:-1]):
        c = by_start.get(s)
        ns, ne, npara = sentences[k + 1]
        if c is None or npara != para or ns in by_start or not rules.cue("follow_up").match(text[ns:ne]):
            continue
        named = [m for m in actors if ns <= m.start < ne and m.category == "named"]
        if not named:
            continue
        for i, (m, role) in enumerate(c.actors):
            if m.category == "unidentified_armed":
                c.actors[i] = (named[0], role)


def _lead_in_dates(cands: list[Candidate], text: str, sentences, published: dt.date, said_on) -> None:
    """'On Tuesday 21 January a patrol took the road to X. On its way, three men were taken': a candidate
    with no date of its own takes the day of the sentence that leads into it in its paragraph."""
    told = {c.start for c in cands}
    paragraphs_told: set[int] = set()
    for c in cands:
        first_of_paragraph = c.paragraph not in paragraphs_told
        paragraphs_told.add(c.paragraph)
        if c.dates or not first_of_paragraph:
            continue  # a later candidate of the paragraph goes on with the day the paragraph told
        before = [(s, e) for s, e, para in sentences if para == c.paragraph and e <= c.start and s not in told]
        if before and before[-1][1] >= c.start - 3:
            s, e = before[-1]
            c.dates = [d for d in find_dates(text[s:e], published, s, said_on, c.rules.language) if d.date is not None]


RECALLED_DAYS = 14  # a vague first date this far before publication recalls an earlier incident


def _date_candidates(cands: list[Candidate], published: dt.date, pluperfect=None) -> None:
    """Give every candidate a date: its own, one relative to the story so far, or the story's."""
    anchor: tuple[dt.date, int] | None = None
    for k, c in enumerate(cands):
        d = _choose_date(c.dates)
        if d is not None and d.date is not None:
            anchor = (d.date, d.precision)
            if k > 0 and d.precision >= 2 and (published - d.date).days > RECALLED_DAYS \
                    and c.paragraph > cands[0].paragraph:
                # an undated lede, then "Last month, gunmen stormed ...": the lede is the news of the report's day
                anchor = (published, 2)
            break
    if anchor is None:
        anchor = (published - dt.timedelta(days=3), 2)  # an undated report: the days before publication
    current = anchor
    prev: Candidate | None = None
    for c in cands:
        d = _choose_date(c.dates)
        if d is not None and d.date is not None:
            c.date, c.precision, c.date_explicit = d.date, d.precision, True
            told_before = pluperfect(d.start) if pluperfect is not None else None
            if told_before is None:
                told_before = bool(c.rules is not None and c.rules.cue("past_perfect").search(c.text))
            if d.weekday is not None and d.date > current[0] and current[1] == 1 and told_before:
                # "the rebels had overrun the camp on Thursday": the Thursday before the story's day
                c.date = last_weekday(d.weekday, current[0])
        elif d is not None and d.story_offset is not None:
            base = current[0]
            c.date, c.precision, c.date_explicit = base + dt.timedelta(days=d.story_offset), max(d.precision,
                                                                                                 current[1]), True
            c.relative = 0 < abs(d.story_offset) <= 7  # "a few days earlier": another day than the story's
        elif prev is not None and prev.paragraph == c.paragraph:
            c.date, c.precision = prev.date, prev.precision
        elif (cited := citation_date(c.text, published)) is not None:
            c.date, c.precision, c.date_explicit = cited, 2, True
        else:
            c.date, c.precision = anchor
        if c.date > published:
            c.date = published
        current = (c.date, c.precision)
        prev = c


def _specificity(loc: Location) -> int:
    """Lower is more precise: a village, a place near one, a district, a region."""
    if loc.geo_precision < 3:
        return loc.geo_precision
    if not loc.admin1 and _norm(loc.location) in ("", _norm(loc.country)):
        return 5  # the country alone
    if loc.location and _norm(loc.location) not in (_norm(loc.admin1), _norm(loc.admin2)):
        return 2  # a named village the gazetteer does not know, coded at its district
    return 3 if loc.admin2 and _norm(loc.location) == _norm(loc.admin2) else 4


def _cued_unknown(loc: Location, mentions: list[PlaceMention]) -> bool:
    """"near Kwala", "in the village of Kwala": a place the gazetteer lacks, named after a place cue."""
    return any(m.place is None and m.kind == "unknown" and m.cue and _norm(m.text) == _norm(loc.location)
               for m in mentions)


def _told_here(loc: Location, mentions: list[PlaceMention]) -> bool:
    """Whether a located place is one the sentence itself names (not one borrowed from the article)."""
    names = {_norm(m.text) for m in mentions} | {_norm(m.place.name) for m in mentions if m.place is not None}
    names |= {_norm(m.place.admin1) for m in mentions if m.place is not None and m.kind in ("admin1", "admin2")}
    return _norm(loc.location) in names or (not loc.location and _norm(loc.admin1) in names) or any(
        m.place is None and m.kind == "unknown" and _norm(m.text) == _norm(loc.location) for m in mentions)


def _same_place(a: Location | None, b: Location | None) -> bool:
    """Two places that can be one: the same named place, or a region and a place in it."""
    if a is None or b is None:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if _specificity(a) <= 2 and _specificity(b) <= 2:  # two named places, known or not
        return _norm(a.location) == _norm(b.location)
    return not (a.admin1 and b.admin1 and a.admin1 != b.admin1)


def _same_date(a: Candidate, b: Candidate) -> bool:
    """Equal days, or within the vaguer one's precision (a week for 2, a month for 3)."""
    if a.date == b.date:
        return True
    if a.relative or b.relative:
        return False  # "two days earlier" says it is not the same day
    slack = {1: 0, 2: 5, 3: 31}[max(a.precision, b.precision)]
    return abs((a.date - b.date).days) <= slack and not (a.place_explicit and b.place_explicit and a.precision == 1
                                                          and b.precision == 1)


def _norm(s: str | None) -> str:
    return re.sub(r"[^a-z]", "", (s or "").lower())


def _side(c: Candidate) -> str | None:
    """The kind of actor that initiates a candidate's incident, when it names one."""
    for m, role in c.actors:
        if role == "agent":
            return "armed" if m.category in ARMED else m.category
    return None


def _family(sub: str | None) -> str:
    if sub in ("Air/drone strike", "Shelling/artillery/missile attack"):
        return "remote"
    if sub in PROTEST or sub in ("Violent demonstration", "Mob violence"):
        return "protest"
    if sub == "Other":
        return "coup"
    if sub == "Non-violent transfer of territory":
        return "transfer"
    if sub in ("Arrests", "Looting/property destruction"):
        return "aside"  # what happens beside an incident: part of it
    return "violence"


def _compatible(d: Draft, c: Candidate) -> bool:
    fams = {_family(s) for s in d.subs()} - {"aside"}
    fam = _family(c.sub)
    if not fams and d.subs() and fam in ("protest", "transfer"):
        return False  # leaders taken into custody, then a crowd dispersed: two incidents
    if fam == "aside" or not fams or fam in fams:
        return True
    if "coup" in fams and c.sub == "Attack" and not any(f.kind == "killed" for f in c.figures):
        return True  # gunfire during a coup is part of the coup
    if "protest" in fams and c.sub == "Attack" and _side(c) is None:
        return True  # "one protester died of his injuries": the protest's own toll
    if "protest" in fams and _side(c) in STATE and not any(f.kind == "killed" for f in c.figures):
        return True  # "police fired tear gas and threw grenades to break up the march": the protest's intervention
    if {"coup", "transfer", "protest"} & (fams | {fam}):
        return False
    side_c = _side(c)
    sides_d = {_side(x) for x in d.candidates} - {None}
    if fam == "remote" or "remote" in fams:
        return not side_c or not sides_d or side_c in sides_d
    return True


CAPITALS = {"Niger": "Niamey", "Mali": "Bamako", "Burkina Faso": "Ouagadougou", "Nigeria": "Abuja", "Chad": "N'Djamena",
            "Benin": "Porto-Novo", "Togo": "Lome", "Mauritania": "Nouakchott", "Senegal": "Dakar",
            "Cameroon": "Yaounde", "Ghana": "Accra", "Guinea": "Conakry"}


def capital_of(loc: Location | None) -> Location | None:
    """The capital of a location's country, located by the gazetteer."""
    return _capital(loc.country) if loc is not None and loc.country in CAPITALS else None


@functools.cache
def _capital(country: str) -> Location | None:
    mentions = geoparse(f"in {CAPITALS[country]}, {country}")
    return locate(mentions, mentions)


def _refers_back(c: Candidate) -> bool:
    """Only definite references to an incident ("the attack", "these abductions") and no deaths of its own."""
    if any(f.kind == "killed" for f in c.figures) or not c.triggers:
        return False
    words = list(c.rules.incident_word.finditer(c.text))
    return bool(words) and all(c.rules.definite_before.search(c.text[max(0, m.start() - 40):m.start()]) for m in words)


def _told_before_its_day(c: Candidate) -> bool:
    """"The strike was carried out on Sunday": the incident named before the day dates it; "between 28 February
    and 31 March, researchers interviewed witnesses to the killings": a day before it is the telling's."""
    word = c.rules.incident_word.search(c.text) if c.rules is not None else None
    day = min((d.start - c.sentence_start for d in c.dates if d.date is not None), default=None)
    return word is not None and day is not None and day > word.start()


def _strong(c: Candidate) -> bool:
    """Enough in one sentence to stand as an incident of its own: deaths, or a specific deed with its doer."""
    if any(f.kind == "killed" for f in c.figures):
        return True
    return c.sub in VIOLENT and c.sub not in ("Attack", "Peaceful protest") and _side(c) is not None


def _draft_place(d: Draft) -> Location | None:
    """Where a draft's incident is: a place one of its sentences names, else a named village it took
    from the story (the headline's, the paragraph's), else nowhere in particular."""
    told = _told_place(d)
    if told is not None:
        return told
    loc = d.first.location
    return loc if loc is not None and _specificity(loc) <= 2 else None


def _told_place(d: Draft) -> Location | None:
    """The most precise place a draft's sentences name themselves, if any."""
    told = [c.location for c in d.candidates if c.place_explicit and c.location is not None]
    return min(told, key=_specificity) if told else None


def _named_back(drafts: list[Draft], c: Candidate) -> Draft | None:
    """The draft a back-reference names by its place ("the Inates assault"), when that is not the last one."""
    if c.own_place is None or len(drafts) < 2 or not _refers_back(c):
        return None
    here = [d for d in drafts if (p := _told_place(d)) is not None and _specificity(p) <= 2
            and _norm(p.location) == _norm(c.own_place.location)]
    return here[-1] if len(here) == 1 and here[-1] is not drafts[-1] else None


def _credited(drafts: list[Draft], c: Candidate) -> Draft | None:
    """"In its statement the group said its fighters had killed 100 troops": a named group already credited
    with one incident of the report, telling of a deed with no place or day of its own, tells of that one."""
    if c.place_explicit or c.date_explicit or len(drafts) < 2:
        return None
    keys = {m.key for m, r in c.actors if r == "agent" and m.category == "named" and m.key}
    if not keys:
        return None
    here = [d for d in drafts if any(m.key in keys and r == "agent" for x in d.candidates for m, r in x.actors)]
    return here[0] if len(here) == 1 and here[0] is not drafts[-1] else None


def _refine_place(d: Draft, c: Candidate) -> None:
    """"The raid took place near Kwala": a back-reference that names a place inside the incident's country
    places an incident told so far only at the country or region level."""
    own, told = c.own_place, _draft_place(d)
    if own is None or c.place_explicit or _specificity(own) > 2:
        return
    base = told or d.first.location
    if base is None or (_told_place(d) is not None and (base.country != own.country or _specificity(told) <= 2)):
        return  # (an incident placed only by the story's places takes the village told, in any country)
    if base.admin1 and own.admin1 and _norm(base.admin1) != _norm(own.admin1) and base.geo_precision == 3 \
            and _norm(base.location) == _norm(base.admin1):
        return  # an incident in one region, a place named in another: not a refinement
    c.location, c.place_explicit = own, True


def _tells_no_incident(c: Candidate, context: Draft | None, told_any: bool) -> bool:
    """Whether a candidate that joins no incident told so far is no new incident either."""
    lede_news = c.lede and any(r != "patient" for _, r in c.actors)  # the dateline's place, the report's days
    if not (c.date_explicit or c.place_explicit or lede_news) and not _strong(c):
        return True  # a passing mention with nothing of its own to place or date it
    if _refers_back(c) and (told_any or not (c.lede or states_responsibility(c.text, c.rules))):
        # "who confirmed the attack in Maiduguri": names an incident told before (a first one it tells, and
        # the lede's is the headline's)
        return True
    if not c.place_explicit and c.rules.cue("other_place").search(c.text):
        return True  # "in another area": not the story's place, and no place of its own
    if c.abroad:
        return True  # another country, with no place in it: not placeable (GOLD_FORMAT.md)
    if c.year_only:
        return True  # known only to a year: vaguer than a month, not recorded (CODEBOOK.md)
    if c.sub == "Other" and not c.date_explicit and not c.lede:
        return True  # "the coup" in an analysis names the coup, it is not a new one (the lede tells today's)
    if c.sub in PROTEST and not c.rules.cue("protest_deed").search(c.text):
        return True  # "a clampdown on protests" names protests, it does not tell one
    # another time, and no place of its own: not placeable
    return c.date_explicit and not c.place_explicit and context is not None and \
        abs((c.date - context.first.date).days) > 31 and not c.rules.cue("same_place").search(c.text) \
        and c.sub not in PROTEST and c.sub != "Other"


def _cluster(cands: list[Candidate]) -> list[Draft]:
    drafts: list[Draft] = []
    context: Draft | None = None
    resume: tuple[Draft | None, int] | None = None
    headlines = [c for c in cands if c.headline]
    for c in [c for c in cands if not c.headline]:
        target = None
        named = _named_back(drafts, c) or _credited(drafts, c)
        if named is not None:  # "the Inates assault had been the work of ...": the incident told at Inates,
            resume, context = (context, c.paragraph), named  # for the rest of its paragraph
        elif resume is not None and c.paragraph != resume[1]:
            context, resume = resume[0], None
        separate = c.place_explicit and any(p.search(c.text) for p in c.rules.separate)
        if separate:  # "in a separate attack at Barani", "that same day ... at Karma": not the incident just told
            drafts_before = [d for d in drafts if _same_place(_draft_place(d), c.location)]
        else:
            drafts_before = drafts
        if context is not None and not separate and _compatible(context, c) and (
                (not c.date_explicit and not c.place_explicit) or _refers_back(c)
                or (not c.date_explicit and not _strong(c))):
            target = context  # a sentence that goes on about the incident just told
            # "The strike was carried out on Sunday": a back-reference dates an incident told with no day
            dates_it = c.date_explicit and _refers_back(c) and c.precision == 1 \
                and not any(x.date_explicit for x in target.candidates) and _told_before_its_day(c)
            if (c.date_explicit and not dates_it) or c.place_explicit:
                # "from February 28 to March 31, HRW interviewed witnesses to the killings": the dates and
                # places of the telling are not the incident's
                c.date, c.precision, c.date_explicit = target.first.date, target.first.precision, False
                c.location, c.place_explicit = target.first.location, False
        else:
            for d in reversed(drafts_before):
                f = d.first
                if _same_date(f, c) and not (c.date_explicit and c.precision == 3 and not f.date_explicit) \
                        and _same_place(_told_place(d), c.location if c.place_explicit else None) \
                        and _compatible(d, c) and (
                        c.place_explicit or c.date_explicit or d is context):
                    target = d
                    break
        if target is None and _tells_no_incident(c, context, bool(drafts)):
            continue
        if target is None:
            capital = capital_of(c.location) if c.sub in PROTEST or c.sub == "Other" else None
            if not c.place_explicit and capital is not None and (c.location is None or _specificity(c.location) > 2):
                # a national demand ("called on French troops to leave the country"): the capital, unless the
                # story is told from a town ("GAO (Reuters) - ... Tuesday's marchers hurled stones")
                c.location, c.place_explicit = capital, True
            elif not c.place_explicit and context is not None and context.first.place_explicit \
                    and abs((c.date - context.first.date).days) <= 7:
                # "Local media reported the army responded with air strikes": the story's place
                c.location, c.place_explicit = context.first.location, True
            target = Draft()
            drafts.append(target)
        target.candidates.append(c)
        if c.place_explicit and (not target.first.place_explicit or target.first.location is None or (
                c.location and _specificity(target.first.location) > _specificity(c.location))):
            # the most precise place told wins
            target.candidates.remove(c)
            target.candidates.insert(0, c)
        _refine_place(target, c)
        # "100 died, 70 of them in A and some 30 in B": what follows goes on about the first incident
        same_sentence = context is not None and context.candidates[-1].text == c.text and target is not context \
            and any(f.kind == "part" for f in context.candidates[-1].figures)
        context = context if same_sentence else target
    for c in headlines:  # a headline sums up the story: it joins the incident it announces
        target = next((d for d in drafts if _compatible(d, c)), None)
        if target is not None:
            target.candidates.append(c)
        elif not drafts and (c.place_explicit or _strong(c)):
            drafts.append(Draft([c]))
    return drafts


def _pick_sub(d: Draft) -> str:
    sub = _first_sub(d)
    deaths = any(f.kind == "killed" for c in d.candidates for f in c.figures)
    if deaths and sub in ("Peaceful protest", "Protest with intervention"):
        return "Excessive force against protesters"  # protesters killed
    doers = {_side(c) for c in d.candidates if c.sub and _family(c.sub) == "violence"}
    if not deaths and _family(sub) == "violence" and any(s in PROTEST for s in d.subs()) and doers & STATE \
            and doers <= STATE | {None}:
        return "Protest with intervention"  # grenades or shots of the police at a march, no one killed
    if deaths and sub == "Abduction/forced disappearance":
        return "Attack"  # killed and abducted: the killing is the incident
    groups = {f.group for c in d.candidates for f in c.figures if f.kind in ("killed", "injured", "part")}
    only_civilians = "civilian" in groups and not groups & {"state", "militant"}
    if sub in ("Shelling/artillery/missile attack", "Air/drone strike") and not only_civilians \
            and any(c.rules.cue("ground").search(c.text) for c in d.candidates):
        # shells or aircraft during a ground battle are part of the battle (CODEBOOK.md); a strike that
        # killed only civilians stays a strike
        return "Attack"
    return sub


def _first_sub(d: Draft) -> str:
    subs = d.subs()
    for s in SPECIFIC_FIRST:
        if s in subs:
            if s == "Non-violent transfer of territory" and any(x in VIOLENT for x in subs):
                continue
            return s
    return "Attack"


class _Resolver:
    def __init__(self, registry, country: str | None, date: dt.date | None, admin1: str | None = None):
        self.registry, self.country, self.date, self.admin1 = registry, country, date, admin1

    def __call__(self, m: ActorMention):
        return self.registry.resolve(m, self.country, self.date, admin1=self.admin1)


def _assemble(d: Draft, document: Document, text: str, registry,
              index: int) -> Event | None:
    loc = _told_place(d) or next((c.location for c in d.candidates if c.location), None)
    if loc is None or not loc.country:
        return None
    if loc.geo_precision == 3 and not loc.admin1 and not loc.location:
        return None  # known only to the country level: not recorded (CODEBOOK.md)
    sub = _pick_sub(d)
    first = d.first
    date = min((c for c in d.candidates if c.date_explicit), key=lambda c: c.precision, default=first)
    resolve = _Resolver(registry, loc.country, date.date, loc.admin1 or None)
    # a named group that does not operate in the country is not a suspect there (actors.yaml countries)
    agents = [m for c in d.candidates for m, r in c.actors if r == "agent" and registry.operates_in(m, loc.country)]
    patients = [m for c in d.candidates for m, r in c.actors if r == "patient"]
    others = [m for c in d.candidates for m, r in c.actors if r == "other"]
    killed = [f for c in d.candidates for f in c.figures if f.kind == "killed"]
    injured = [f for c in d.candidates for f in c.figures if f.kind == "injured"]
    parts = [f for c in d.candidates for f in c.figures if f.kind == "part"]
    victim_groups = {f.group for f in killed + injured + parts}

    foreign = [p.place.country for c in d.candidates for p in c.places
               if p.kind == "country" and p.place is not None and p.place.country != loc.country]
    foreign += [m.country for c in d.candidates for m, _r in c.actors if m.country and m.country != loc.country]
    told = sorted(d.candidates, key=lambda c: (c.headline, c.start))
    ctx = sides.Sides(agents, patients, others, [(c.headline, c.start, c.actors) for c in told], victim_groups,
                      resolve, loc.country, foreign, [m for c in d.candidates for m, r in c.actors if r == "source"])
    a1, a2, assoc = sides.associated(ctx, *sides.choose(ctx, sub))
    name1, inter1 = _resolve_or_default(a1, resolve, sub, loc.country, "actor1", victim_groups, registry, date.date)
    name2, inter2 = _resolve_or_default(a2, resolve, sub, loc.country, "actor2", victim_groups, registry, date.date)
    if name2 == name1 and sub not in PROTEST and sub != "Other" and a1 is not None and a1.category in STATE:
        name1, inter1 = _resolve_category("unidentified_armed", registry, loc.country, date.date)
    if name2 == name1:
        name2, inter2 = "", None
    event_type, sub = _event_type(sub, inter2, name2, victim_groups)
    if not name2 and event_type in ("Violence against civilians", "Battles"):
        name2, inter2 = _resolve_category("civilians" if event_type == "Violence against civilians" else
                                          "state_forces", registry, loc.country, date.date)
    civilian_targeting = event_type == "Violence against civilians"
    fatalities, chosen = combine(killed, "killed")
    n_injured, _ = combine(injured, "injured")
    evidence = [Evidence(c.start, c.end, text[c.start:c.end].strip()) for c in d.candidates]
    independent = any(c.rules.cue("independent").search(c.text) for c in d.candidates)
    claimed = any(c.claimed for c in d.candidates) and not independent
    iso3 = ISO3.get(loc.country, loc.country[:3].upper())
    digest = int(hashlib.sha1(f"{document.doc_id}:{index}".encode()).hexdigest()[:12], 16) % 10**8
    confidence = 0.4 + 0.15 * bool(first.date_explicit) + 0.15 * (loc.geo_precision < 3) + 0.15 * bool(a1) \
        + 0.1 * bool(killed or injured)
    event = Event(
        event_id=f"{iso3}{digest:08d}", doc_id=document.doc_id, event_date=date.date.isoformat(),
        time_precision=date.precision, disorder_type=codebook.disorder_type(event_type), event_type=event_type,
        sub_event_type=sub, actor1=name1, assoc_actor_1=assoc[1], inter1=inter1, actor2=name2,
        assoc_actor_2=assoc[2] if name2 else "", inter2=inter2,
        interaction=codebook.interaction(inter1, inter2), civilian_targeting=civilian_targeting, iso=loc.iso,
        country=loc.country, admin1=loc.admin1, admin2=loc.admin2, location=loc.location, latitude=loc.latitude,
        longitude=loc.longitude, geo_precision=loc.geo_precision, source=document.source or "",
        notes=" ".join(e.text for e in evidence)[:1000], fatalities=fatalities,
        injured=n_injured or None, claimed=bool(claimed), fatalities_text="; ".join(f.text for f in chosen),
        evidence=evidence, confidence=round(min(confidence, 0.95), 2))
    return event


def _event_type(sub: str, inter2: int | None, name2: str, victim_groups: set[str]) -> tuple[str, str]:
    """(event type, sub-event type): an attack is violence against civilians when its target is
    civilians, else a battle (civilians killed in a battle are part of the battle, CODEBOOK.md)."""
    if sub != "Attack":
        return codebook.event_type_of(sub), sub
    civilian_victims = (inter2 == 7) or (not name2 and bool(victim_groups) and victim_groups <= {"civilian", "people"})
    if civilian_victims and not victim_groups & {"state", "militant"}:
        return "Violence against civilians", sub
    return "Battles", "Armed clash"


def _resolve_category(category: str, registry, country: str, date: dt.date):
    m = ActorMention(0, 0, category, category)
    r = registry.resolve(m, country, date)
    return r.name, r.inter


def _resolve_or_default(m, resolve, sub, country, side, victim_groups, registry, date):
    if m is not None:
        r = resolve(m)
        return r.name, r.inter
    if side == "actor1":
        if sub in PROTEST:
            return _resolve_category("protesters", registry, country, date)
        if sub in ("Violent demonstration", "Mob violence"):
            return _resolve_category("rioters", registry, country, date)
        if sub == "Air/drone strike":
            return _resolve_category("state_forces", registry, country, date)
        if sub in ("Other", "Non-violent transfer of territory", "Arrests", "Government regains territory"):
            return _resolve_category("state_forces", registry, country, date)
        return _resolve_category("unidentified_armed", registry, country, date)
    if "state" in victim_groups and sub not in PROTEST:
        return _resolve_category("state_forces", registry, country, date)
    if victim_groups & {"civilian"} or sub in ("Abduction/forced disappearance", "Sexual violence"):
        return _resolve_category("civilians", registry, country, date)
    if sub == "Other":
        return _resolve_category("government", registry, country, date)
    if sub == "Government regains territory":
        return _resolve_category("unidentified_armed", registry, country, date)
    if sub in REMOTE_TARGETS:
        return _resolve_category("civilians", registry, country, date)  # a bomb among people: civilians
    return "", None


REMOTE_TARGETS = ("Suicide bomb", "Remote explosive/landmine/IED", "Grenade", "Shelling/artillery/missile attack")


def _salience(events: list[Event], published: dt.date) -> None:
    for e in events:
        d = dt.date.fromisoformat(e.event_date)
        e.salience = "main" if (published - d).days <= 14 else "background"
    if events and all(e.salience == "background" for e in events):
        for e in events:
            e.salience = "main"


def place_mentions(text: str, work: str, entities, actors: list[ActorMention],
            rules: Rules) -> tuple[list[PlaceMention], list[PlaceMention]]:
    """(every place named, the places an incident can be at): not where the victims come from ("Djibo
    residents"), where a source spoke or where the wounded were taken."""
    places = [p for p in geoparse(work, entities, language=rules.language)
              if "\n" not in p.text and len(p.text) > 2 and not layout.NAMED_THING.search(text[max(0, p.start - 12):p.start])
              and not any(m.start <= p.start < m.end for m in actors)]
    origin, speaker, destination = rules.cue("origin"), rules.cue("speaker_place"), rules.cue("destination")
    incident_places = [p for p in places if not origin.match(text[p.end:p.end + 30])
                       and not speaker.search(text[max(0, p.start - 90):p.start])
                       and not destination.search(text[max(0, p.start - 40):p.start])]
    return places, incident_places


CAPITAL_EVENTS = PROTEST | {"Other", "Arrests", "Violent demonstration"}


def _locate_candidates(cands: list[Candidate], places: list[PlaceMention], filed: Location | None = None) -> None:
    """Each candidate's place: its own, else the previous one's in the paragraph, else the report's."""
    for c in cands:
        loc = locate(c.places, places) if c.places else None
        if loc is not None and _cued_unknown(loc, c.places):
            loc = _in_forces_country(loc, c, places)
        if loc is not None and (loc.geo_precision < 3 or loc.admin1 or _cued_unknown(loc, c.places)) \
                and _told_here(loc, c.places):
            if _refers_back(c):  # "who confirmed the attack in Maiduguri": where it was told, unless the
                c.own_place = loc  # incident had no place finer than its region (see _refine_place)
            else:
                c.location, c.place_explicit = loc, True
    article_loc = locate([], places)
    prev = None
    for c in cands:
        countries = {m.place.country for m in c.places if m.place is not None}
        if article_loc is not None and not c.place_explicit and c.places \
                and all(m.kind == "country" for m in c.places) and article_loc.country not in countries:
            c.abroad = True  # "In December, Burkina Faso next door expelled ...": not the report's country
        vague = c.location is None and c.rules is not None and c.rules.vague_place is not None \
            and not c.places and c.rules.vague_place.search(c.text)
        if vague:  # "thirty-four villagers were killed in the north": the country, not the last place told
            c.location = _country_only(c.location or article_loc)
        elif c.location is None:
            if prev is not None and prev.location is not None and prev.paragraph == c.paragraph:
                c.location = prev.location
            else:
                c.location = article_loc
        if filed is not None and c.sub in CAPITAL_EVENTS and (c.location is None or (
                not c.location.admin1 and filed.country == c.location.country)):
            # "OUAGADOUGOU (AFP) - soldiers took the president into custody": a political event told
            # only at the country level is where the report was filed from
            c.location, c.place_explicit = filed, True
        prev = c


def _in_forces_country(loc: Location, c: Candidate, places: list[PlaceMention]) -> Location:
    """"a forward post of the Chadian army at Gabalami": a village the gazetteer lacks, told beside one country's
    own forces, lies in that country when the report names it, not in the region the report names most."""
    own = {m.country for m, _r in c.actors if m.category in STATE and m.country}
    named = {m.place.country for m in places if m.place is not None and m.kind == "country"}
    if len(own) != 1 or loc.country in own or not own <= named:
        return loc
    country = own.pop()
    gz = load_gazetteer()
    home = gz.countries.get(country)
    return Location(country, gz.iso(country), "", "", loc.location, home.latitude if home else None,
                    home.longitude if home else None, 3)


def _country_only(loc: Location | None) -> Location | None:
    if loc is None:
        return None
    return Location(loc.country, loc.iso, "", "", "", None, None, 3)


def events_from_parsed(document: Document, doc, language: str = "en") -> list[Event]:
    """Events of one report from its spaCy Doc: the findings of the sahel_* components where they ran
    (Doc._.triggers, _.figures, _.actors, _.places, _.dates; extract/components.py), made here where not."""
    from sahelwatch.extract import components, linking

    if doc._.report is None:
        doc._.report = document
    text = document.text
    published = document.published or dt.date.today()
    rules = load_rules(language)
    registry = default_registry()
    # where and when the report was filed is not where and when the incident was: blanked out
    work, sentences, filed = components.report_layout(doc)
    places, incident_places = components.report_places(doc, language)
    actors = components.report_actors(doc, language)  # less the words of place names ("W National Park")
    parses = components.report_parses(doc, language)
    headline_end = layout.headline_end(text)

    def role_of(m: ActorMention, s: int, e: int) -> str:
        """The mention's role from the parse; the word-window reading where the parse tells none."""
        if m.start < headline_end and rules.cue("headline_passive").match(text, m.end):
            return "patient"  # "Aid worker abducted in Niger": headlines drop the "was" of a passive
        parsed = parses.role(m.start, m.end)
        if parsed and parsed[1] in syntax.load_patterns(language).decisive:
            return parsed[0]  # "blamed the killings on X", "attacked by X": the parse is sure
        read = roles.role(work, m, s, e, language)
        return parsed[0] if parsed and read == "other" else read

    cands = _candidates(work, sentences, rules, incident_places, actors, published, role_of,
                        components.report_triggers(doc, language), components.report_figures(doc, language),
                        components.report_dates(doc, language))
    lede = next((para for s, e, para in sentences if s >= headline_end and not text[s:e].isupper()), None)
    for c in cands:
        c.headline = c.start < headline_end
        c.lede = c.paragraph == lede
    if not cands:
        return []
    _lead_in_dates(cands, work, sentences, published, parses.said_on)
    _date_candidates(cands, published, parses.in_pluperfect)
    filed_at = next((p.place for s, e in filed for p in geoparse(text[s:e], [], language=language)
                     if p.kind == "locality" and p.place is not None), None)
    _locate_candidates(cands, places, None if filed_at is None else Location(
        filed_at.country, filed_at.iso, filed_at.admin1, filed_at.admin2, filed_at.name, filed_at.latitude,
        filed_at.longitude, 1))
    drafts = _cluster(cands)
    linking.split_shared_tolls(drafts)
    linking.spread_responsibility(drafts)
    linking.link_responsibility(drafts, work, sentences, actors, role_of, rules, registry)
    linking.lead_accusation(drafts, work, sentences, actors, role_of, rules, registry)
    events = []
    for i, d in enumerate(drafts):
        ev = _assemble(d, document, text, registry, i)
        if ev is not None:
            events.append(ev)
    events = _merge_duplicates(events)
    events.sort(key=lambda ev: min((x.start for x in ev.evidence), default=0))
    _series_types(events, rules)
    _salience(events, published)
    return events




def same_victims(actors: list[ActorMention]) -> list[ActorMention]:
    """'A Chinese engineer ... the engineer': a civilian told again without a nationality keeps the one it
    was first told with (the same noun, one nationality in the report)."""
    told: dict[str, set[str]] = {}
    for m in actors:
        if m.category == "civilians" and m.country:
            told.setdefault(m.text.lower().split()[-1].rstrip("s"), set()).add(m.country)
    out = []
    for m in actors:
        countries = told.get(m.text.lower().split()[-1].rstrip("s"), set()) if m.category == "civilians" else set()
        out.append(replace(m, country=next(iter(countries))) if not m.country and len(countries) == 1 else m)
    return out


def _series_types(events: list[Event], rules: Rules) -> None:
    """'The first attack on the town': one of a series told by its weapon elsewhere in the report."""
    series = rules.cue("series_member")
    for ev in events:
        if ev.sub_event_type not in ("Attack", "Armed clash") or not any(series.search(x.text) for x in ev.evidence):
            continue
        for other in events:
            if other is not ev and other.location == ev.location and other.event_type == "Explosions/Remote violence":
                ev.event_type, ev.sub_event_type = other.event_type, other.sub_event_type
                ev.disorder_type, ev.civilian_targeting = other.disorder_type, False
                break


def _merge_duplicates(events: list[Event]) -> list[Event]:
    """Same actors, place and day within one article make one event."""
    out: dict[tuple, Event] = {}
    for e in events:
        key = (e.event_date, _norm(e.location) or _norm(e.admin1), e.actor1, e.actor2, e.event_type)
        if key in out:
            kept = out[key]
            kept.evidence.extend(e.evidence)
            kept.fatalities = min(kept.fatalities, e.fatalities) if kept.fatalities and e.fatalities else \
                max(kept.fatalities, e.fatalities)
            continue
        out[key] = e
    return list(out.values())


def extract_from_docs(documents: Iterable[Document],
                      batch_size: int = 16) -> Iterator[tuple[Document, list[Event]]]:
    """(document, events) for each document in order, in this process; spaCy runs batched, per language."""
    from sahelwatch.nlp import detect_language, load_extractor

    buffer: list[Document] = []

    def flush():
        by_lang: dict[str, list[int]] = {}
        for i, doc in enumerate(buffer):
            lang = doc.language or detect_language(doc.text)
            doc.language = lang if lang in ("en", "fr") else "en"
            by_lang.setdefault(doc.language, []).append(i)
        results: dict[int, list[Event]] = {}
        for lang, idx in by_lang.items():
            nlp = load_extractor(lang)
            docs = []
            for i in idx:
                docs.append(nlp.make_doc(buffer[i].text))
                docs[-1]._.report = buffer[i]
            for i, parsed in zip(idx, nlp.pipe(docs, batch_size=batch_size)):
                if parsed._.error is not None:  # one report's failure does not stop a batch of thousands
                    exc = parsed._.error
                    log.error("sahelwatch: error: %s: extraction failed (%s: %s)", buffer[i].doc_id,
                              type(exc).__name__, exc)
                results[i] = parsed._.events or []
        for i, doc in enumerate(buffer):
            yield doc, results[i]
        buffer.clear()

    chunk = max(batch_size * 4, 32)
    for document in documents:
        buffer.append(document)
        if len(buffer) >= chunk:
            yield from flush()
    if buffer:
        yield from flush()
