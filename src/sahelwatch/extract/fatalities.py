"""Fatality and injury figures in a sentence, and ACLED's rules for combining them.

Each figure keeps the phrase it came from. Combining (CODEBOOK.md): within one group of victims
(soldiers, militants, civilians, people) the lowest figure of conflicting reports; "at least N"
is N; a bound ("more than 70") is refined by a precise figure just above it (77); the groups
of every side are added; injured are never fatalities.

The words are data, one file per language (tolls_en.yaml, tolls_fr.yaml): a report is read with
its own language's words only, so that an English report never matches a French word.
"""
from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

from sahelwatch.extract.numbers import parse_number, tolls_file, vague, word_numbers

_QUOTES = "\"'“”‘’"  # quotes around a group word: 'killed 17 "terrorists"'


def _alt(words: list[str], escape: bool = False) -> str:
    """A regex group of the alternatives (a group that matches nothing when there are none)."""
    words = [re.escape(w) for w in words] if escape else list(words)
    return "(?:" + "|".join(words) + ")" if words else "(?!)"


def _longest_first(words) -> str:
    """Literal words as alternatives, the longest first ("a few dozen" before "a few")."""
    return _alt(sorted(words, key=len, reverse=True), escape=True)


@dataclass(frozen=True)
class Vocabulary:
    """The toll words of one language (tolls_<language>.yaml), compiled into the patterns find_figures uses."""

    language: str
    vague: dict[str, int]
    collective: frozenset[str]  # "une trentaine": approximate, not vague
    qualifiers: dict[str, str]  # "at least" -> at_least
    quantity: re.Pattern[str]
    group_word: dict[str, str]  # "soldiers" -> state
    group: re.Pattern[str]
    death: re.Pattern[str]
    death_noun: re.Pattern[str]
    injury: re.Pattern[str]  # group "hurt" for the injured, "taken" for the abducted and missing
    part_before: re.Pattern[str]
    part_clause: re.Pattern[str]
    part_after: re.Pattern[str]
    not_a_count_after: re.Pattern[str]
    not_counted_after: dict[str, re.Pattern[str]]
    ages: re.Pattern[str]
    killed_before: re.Pattern[str]
    injured_next: re.Pattern[str]
    lost_before: re.Pattern[str]
    killers_aux: re.Pattern[str]
    killers_verb: re.Pattern[str]
    active_verb: frozenset[str]
    object_start: re.Pattern[str]
    before_verb: re.Pattern[str]
    verb_before: re.Pattern[str]
    left_before: re.Pattern[str]
    loss: re.Pattern[str]
    been_before_verb: re.Pattern[str]
    and_before: re.Pattern[str]
    and_between: re.Pattern[str]
    bare_qualifier: re.Pattern[str]
    bodies_found: re.Pattern[str]
    self_blast: re.Pattern[str]
    lost_one: re.Pattern[str]
    one_dead: re.Pattern[str]
    one_more: re.Pattern[str]

    def number(self, text: str) -> int | None:
        """The value of a figure's number ("17", "seventeen"), None when it is not one."""
        return parse_number(text, self.language)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.I)


@functools.cache
def vocabulary(language: str = "en") -> Vocabulary:
    """The compiled toll vocabulary of a language (English for a language without a tolls file)."""
    if not tolls_file(language):
        language = "en"
    d = tolls_file(language)
    vague_words = vague(language)
    wordnum = _longest_first(w for w in word_numbers(language) if w not in d.get("not_alone", []))
    figure = "|".join([r"\d{1,3}(?:,\d{3})+|\d+", wordnum, _longest_first(vague_words), *d.get("figure_words", [])])
    quantity = _compile(rf"(?P<q>{'|'.join(re.escape(q) for q in d.get('qualifiers', {}))})?\s*"
                        rf"(?:(?P<range>{_alt(d.get('range_start', []))})\s+)?"
                        rf"\b(?P<n>{figure})\b"
                        rf"(?:\s+{_alt(d.get('range_join', []), escape=True)}\s+(?P<n2>\d+|{wordnum})\b)?")
    group_word = {w: g for g, words in d.get("groups", {}).items() for w in words}
    group = _compile(rf"^[\s{_QUOTES}]*(?:{_alt(d.get('group_prefix', []))}\s*)*"
                     rf"(?P<g>{_longest_first(group_word)})\b")
    at_least = [q for q, kind in d.get("qualifiers", {}).items() if kind == "at_least"]
    bare_q = _alt(d.get("and_qualifiers", []))
    return Vocabulary(
        language=language, vague=vague_words, collective=frozenset(d.get("collective", [])),
        qualifiers=dict(d.get("qualifiers", {})), quantity=quantity, group_word=group_word, group=group,
        death=_compile(rf"\b({_alt(d.get('death', []))})\b"),
        death_noun=_compile(rf"{_alt(d.get('death_nouns', []))}$"),
        injury=_compile(rf"\b(?:(?P<hurt>{_alt(d.get('injured', []))})|(?P<taken>{_alt(d.get('taken', []))}))\b"),
        part_before=_compile(rf"\b{_alt(d.get('part_before', []))}\s*(?:{_alt([q + ' ' for q in at_least], True)})?$"),
        part_clause=_compile(rf"\b{_alt(d.get('part_clause', []))}\b[^,.;()]*"),
        part_after=_compile(rf"\s+{_alt(d.get('part_after', []))}\b"),
        not_a_count_after=_compile(rf"^\s*{_alt(d.get('not_a_count_after', []))}"),
        not_counted_after={w: _compile(p) for w, p in d.get("not_counted_after", {}).items()},
        ages=_compile(rf"\b{_alt(d.get('ages', []))}"),
        killed_before=_compile(rf"\b{_alt(d.get('killed_before', []))}"
                               rf"(?: {_alt(d.get('killed_before_qualifier', []))})?[\s{_QUOTES}]*$"),
        injured_next=_compile(rf"^\s*{_alt(d.get('injured_next', []))}\b"),
        lost_before=_compile(rf"\b{_alt(d.get('lost_before', []))}\s*$"),
        killers_aux=_compile(rf"{_alt(d.get('killers_aux', []))}\s+$"),
        killers_verb=_compile(_alt(d.get("killers_verb", []))),
        active_verb=frozenset(d.get("active_verb", [])),
        object_start=_compile(rf"\s+{_alt(d.get('object_start', []))}\b"),
        before_verb=_compile(rf"[\s,]*{_alt(d.get('been', []) + d.get('before_verb', []))}?[\s,]*"),
        verb_before=_compile(rf"\b{_alt(d.get('verb_before', []))}\s+$"),
        left_before=_compile(rf"\b{_alt(d.get('left_before', []))}\s*$"),
        loss=_compile(rf"\b{_alt(d.get('loss', []))}\b"),
        been_before_verb=_compile(rf"[^,]*,\s*{_alt(d.get('been', []))}?\s*$"),
        and_before=_compile(rf"\b{_alt(d.get('and', []))}\s+(?:{bare_q} )?$"),
        and_between=_compile(rf"[\s,]*(?:{_alt(d.get('and', []))}|,)?[\s,]*"),
        bare_qualifier=_compile(rf"^{_alt(d.get('bare_qualifiers', []))}\s+"),
        bodies_found=_compile(_alt(d.get("bodies_found", []))),
        self_blast=_compile(_alt(d.get("self_blast", []))),
        lost_one=_compile(_alt(d.get("lost_one", []))),
        one_dead=_compile(_alt(d.get("one_dead", []))),
        one_more=_compile(d.get("one_more") or "(?!)"),
    )


def death(language: str = "en") -> re.Pattern[str]:
    """The death words of a language ("killed", "tués"): whether a sentence may tell a toll."""
    return vocabulary(language).death


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


def _qualifier(m: re.Match[str], v: Vocabulary) -> str:
    q = (m.group("q") or "").lower()
    if m.group("n2"):
        return "range"
    if m.group("n").lower() in v.collective:  # "une trentaine" is about 30, a number, not a vague word
        return "approx"
    if m.group("n").lower() in v.vague:
        return "vague"
    return v.qualifiers.get(q, "approx") if q else "exact"


def _kind_of(sentence: str, ms: int, window: str, group: str | None, rest_start: int, v: Vocabulary) -> str | None:
    """killed, injured or None: what the figure at ``ms`` counts, read from the verbs around it."""
    d = v.death.search(window)
    i = v.injury.search(window)
    before = sentence[max(0, ms - 25):ms]
    kind = None
    if v.killed_before.search(before) and not v.injured_next.match(window):
        kind = "killed"  # "claimed the lives of 12", "killing 17", "a fait 15 morts"
    elif group in ("state", "militant") and v.lost_before.search(before):
        kind = "killed"  # "the army lost 12 soldiers" (not "a farmer who lost two sons")
    elif d and v.killers_aux.search(window[:d.start()]) and v.killers_verb.match(d.group(0)):
        kind = None  # "a few dozen of its fighters had killed ...", "six hommes ont tué": the killers
    elif d and v.object_start.match(sentence[rest_start + d.end():]) and re.fullmatch(r"[\s,]*", window[:d.start()]) \
            and d.group(0).lower() in v.active_verb:
        kind = None  # "six gunmen killed two herders": an active verb with its object
    elif d and (not i or d.start() < i.start()) and not v.death_noun.match(d.group(0)) and (
            group is not None or v.before_verb.fullmatch(window[:d.start()])):
        kind = "killed"  # a bare number counts only right before its verb ("five were killed")
    elif i and (not d or i.start() < d.start()):
        kind = "injured" if i.group("hurt") else None
    elif group is not None or v.verb_before.search(sentence[max(0, ms - 20):ms]):
        before = sentence[max(0, ms - 110):ms]
        last_death = None
        for dm in v.death.finditer(before):
            last_death = dm
        last_inj = None
        for im in v.injury.finditer(before):
            last_inj = im
        if last_death and (not last_inj or last_inj.start() < last_death.start()):
            kind = "killed"
        elif last_inj:  # "killing eight soldiers and wounding five": the nearest verb counts
            kind = "injured" if last_inj.group("hurt") else None
    return kind


def _add_implied(sentence: str, offset: int, figures: list[Figure], v: Vocabulary) -> None:
    """The dead a sentence tells without a number: the bomber, "lost a soldier", "un mort", the taken
    whose bodies were found."""
    # "abducted three herders; their bodies were found": the taken were killed
    found = v.bodies_found.search(sentence)
    if found:
        for k, f in enumerate(figures):
            if not f.kind and f.group != "people" and f.end - offset <= found.start():
                figures[k] = Figure(f.start, f.end, f.text, f.value, f.group, "killed", f.qualifier, f.clause)
    # "a bomber blew himself up": ACLED counts the bomber among the dead
    for m in v.self_blast.finditer(sentence):
        figures.append(Figure(offset + m.start(), offset + m.end(), m.group(0), 1, "militant", "killed", "exact",
                              offset + 1))
    # "the army lost a soldier": one of its own dead
    for m in v.lost_one.finditer(sentence):
        figures.append(Figure(offset + m.start(), offset + m.end(), m.group(0), 1, "state", "killed", "exact", offset))
    # "un mort", "killing a soldier": one dead (the article is no number elsewhere)
    for m in v.one_dead.finditer(sentence):
        if not any(f.start <= offset + m.start() < f.end for f in figures):
            figures.append(Figure(offset + m.start(), offset + m.end(), m.group(0), 1, _group_of(m.group(0), v),
                                  "killed", "exact", offset))
    # "killing three soldiers and a civilian", "killing a soldier and a civilian": one more dead
    for f in [f for f in figures if f.kind == "killed"]:
        end = f.end - offset
        while (more := v.one_more.match(sentence, end)) is not None:
            figures.append(Figure(offset + more.start(), offset + more.end(), more.group(0).strip(" ,"), 1,
                                  _group_of(more.group(0), v), "killed", "exact", f.clause))
            end = more.end()


def _group_of(told: str, v: Vocabulary) -> str:
    """The group a figure told in words counts ("killing a soldier": state), "people" where none is named."""
    words = re.findall(r"[\w'’-]+", told.lower())
    for n in (2, 1):
        for k in range(len(words) - n + 1):
            group = v.group_word.get(" ".join(words[k:k + n]))
            if group is not None:
                return group
    return "people"


def _share_verbs(sentence: str, offset: int, figures: list[Figure], v: Vocabulary) -> None:
    """Figures joined by "and" share the verb (and victims) of the figure beside them."""
    # "killing 17 people in Tondikiwindi and nine in Dingazi": a bare figure after "and" repeats
    # the previous one's verb and victims.
    for k in range(1, len(figures)):
        f, prev = figures[k], figures[k - 1]
        between = sentence[prev.end - offset:f.start - offset]
        bare = v.bare_qualifier.sub("", f.text)
        if not f.kind and v.number(bare) is not None and prev.kind \
                and v.and_before.search(between) and len(between) < 60 and f.group == "people":
            figures[k] = Figure(f.start, f.end, f.text, f.value, prev.group, prev.kind, f.qualifier, f.clause)
    # "Three soldiers and two police officers were killed": a figure joined by "and" to the next
    # one shares its verb.
    for k in range(len(figures) - 2, -1, -1):
        f, nxt = figures[k], figures[k + 1]
        if not f.kind and nxt.kind in ("killed", "injured") and v.and_between.fullmatch(
                sentence[f.end - offset:nxt.start - offset]):
            figures[k] = Figure(f.start, f.end, f.text, f.value, f.group, nxt.kind, f.qualifier, f.clause)
    # "Six people, four of them officials and one a soldier, were killed": the verb after the parts
    for k in range(len(figures) - 1):
        f = figures[k]
        parts = list(itertools.takewhile(lambda x: x.kind == "part", figures[k + 1:]))
        if f.kind or not parts:
            continue
        after = sentence[parts[-1].end - offset:parts[-1].end - offset + 60]
        d, i = v.death.search(after), v.injury.search(after)
        if d and (not i or d.start() < i.start()) and v.been_before_verb.match(after[:d.start()]):
            figures[k] = Figure(f.start, f.end, f.text, f.value, f.group, "killed", f.qualifier, f.clause)


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def find_figures(sentence: str, offset: int = 0, language: str = "en") -> list[Figure]:
    """Killed and injured figures in one sentence (offsets into the article when ``offset`` is given),
    read with the toll words of the report's ``language`` only."""
    v = vocabulary(language)
    figures: list[Figure] = []
    # "deux (02) morts": the figure repeated in digits; keep offsets by blanking it
    sentence = re.sub(r"(?<=[a-zà-ÿ])\s\(\d{1,4}\)", _blank, sentence)
    # "seven people, including a woman and two boys": the figures of an including-clause are a part
    partial = [(m.start(), m.end()) for m in v.part_clause.finditer(sentence)]
    # "aged 14 to 73": ages are no counts (blanked, offsets kept)
    sentence = v.ages.sub(_blank, sentence)
    if not v.death.search(sentence) and not v.injury.search(sentence) and not v.loss.search(sentence) \
            and not v.bodies_found.search(sentence):
        return figures
    for m in v.quantity.finditer(sentence):
        ms = m.start() + len(m.group(0)) - len(m.group(0).lstrip())  # the figure's first letter
        n_text = m.group("n").lower()
        not_counted = v.not_counted_after.get(n_text)
        if not_counted and not_counted.match(sentence, m.end()):
            continue  # "one of the soldiers"
        if n_text in v.vague and re.match(r"\s+\d", sentence[m.end():]):
            continue  # "and some 30 in B": "some" qualifies the number after it
        value = v.vague.get(n_text)
        if value is None:
            value = v.number(n_text)
        if value is None or value == 0:
            continue
        if m.group("n2") and v.number(m.group("n2")) is not None:
            value = min(value, v.number(m.group("n2")) or value)
        after = sentence[m.end():m.end() + 80]
        if v.not_a_count_after.match(after) or (n_text.isdigit() and 1900 <= value <= 2100):
            continue
        # "the dead included 17 soldiers", "37 civilians, 14 of them children": a part of a figure told,
        # which says who the dead were (kind "part") but adds none
        part = bool(v.part_before.search(sentence[max(0, ms - 30):ms]) or any(a < ms < b for a, b in partial)
                    or (bool(figures) and v.part_after.match(after)))
        g = v.group.match(after)
        group = v.group_word.get(g.group("g").lower(), "people") if g else None
        rest_start = m.end() + (g.end() if g else 0)
        window = sentence[rest_start:rest_start + 90]
        # cut the window at the next figure: its verb belongs to it
        nxt = v.quantity.search(window)
        if nxt and nxt.group("n") and (v.number(nxt.group("n")) or nxt.group("n").lower() in v.vague) \
                and nxt.start() > 0:
            window = window[:nxt.start()]
        kind = _kind_of(sentence, ms, window, group, rest_start, v)
        if kind is None and v.left_before.search(sentence[max(0, ms - 12):ms]):
            kind = "killed"  # "the attack left 9 soldiers dead"
        if kind is None and group is None and not v.and_before.search(sentence[max(0, ms - 14):ms]):
            continue
        end = m.end() + (g.end() if g else 0)
        if part:
            if group is not None:
                figures.append(Figure(offset + ms, offset + end, sentence[ms:end].strip(), value, group, "part",
                                      _qualifier(m, v), offset))
            continue
        figures.append(Figure(offset + ms, offset + end, sentence[ms:end].strip(), value,
                              group or "people", kind or "", _qualifier(m, v), offset))
    _add_implied(sentence, offset, figures, v)
    _share_verbs(sentence, offset, figures, v)
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
