"""Document-level linking, after the incidents of a report are drafted (extract/events.py): statements of
responsibility anywhere in the report name the doer of the incident they refer to ("JNIM has claimed
responsibility for them", "the army blamed Boko Haram", "witnesses accuse the army of a series of
executions"), a group named for several incidents is the doer of each, and a toll told for several
incidents of one day is split across them. Each step only adds to the drafts it is given."""
from __future__ import annotations

from dataclasses import replace

from sahelwatch.actors import ActorMention
from sahelwatch.extract.events import VIOLENT, Draft
from sahelwatch.extract.triggers import Rules, states_responsibility


def spread_responsibility(drafts: list[Draft]) -> None:
    """'Both attacks were claimed by JNIM': the group is the doer of the incidents just told."""
    for k, d in enumerate(drafts):
        for c in d.candidates:
            named = [m for m, r in c.actors if r == "agent" and m.category == "named"]
            if not named or c.rules is None or not c.rules.cue("several_incidents").search(c.text):
                continue
            n = 2 if c.rules.cue("two_incidents").search(c.text) else 3
            for other in drafts[max(0, k - n + 1):k]:
                if not any(m.category == "named" and r == "agent" for x in other.candidates for m, r in x.actors):
                    other.candidates[0].actors.append((named[0], "agent"))
    spread_to_same_day(drafts)


def spread_to_same_day(drafts: list[Draft]) -> None:
    """"IS fighters killed 26 civilians in attacks on two villages on Saturday": the group named in a sentence
    that tells several incidents is the doer of each of that day's incidents that names none."""
    for d in drafts:
        for c in d.candidates:
            named = [m for m, r in c.actors if r == "agent" and m.category == "named"]
            ref = c.rules.plural_reference if c.rules is not None else None
            if not named or ref is None or not ref.search(c.text):
                continue
            for other in drafts:
                if other is not d and other.first.date == d.first.date and not has_named_doer(other):
                    other.candidates[0].actors.append((named[0], "agent"))


def split_shared_tolls(drafts: list[Draft]) -> None:
    """"Around 40 jihadists were neutralised in the wake of these attacks": a toll told for several incidents
    of the same day is split evenly across them, any remainder on the first (CODEBOOK.md, as for several days)."""
    for k, d in enumerate(drafts):
        for i, c in enumerate(d.candidates):
            if c is d.first or c.rules is None or not any(f.kind == "killed" for f in c.figures) \
                    or not c.rules.cue("several_incidents").search(c.text):
                continue
            n = 2 if c.rules.cue("two_incidents").search(c.text) else len(drafts)
            shared = [x for x in drafts[:k + 1] if x.first.date == d.first.date][-n:]
            if len(shared) < 2:
                continue
            for j, x in enumerate(shared):
                figures = []
                for f in c.figures:
                    if f.kind == "killed":
                        share = f.value // len(shared) + (j == 0) * (f.value % len(shared))
                        f = replace(f, value=share, text=f"{f.text} (1/{len(shared)} of a total)")
                    figures.append(f)
                part = replace(c, figures=figures)
                if x is d:
                    d.candidates[i] = part
                else:
                    x.candidates.append(part)


def has_named_doer(d: Draft) -> bool:
    return any(m.category == "named" and r == "agent" for c in d.candidates for m, r in c.actors)


def link_responsibility(drafts: list[Draft], text: str, sentences, actors: list[ActorMention], role_of,
                         rules: Rules, registry) -> None:
    """'JNIM has claimed responsibility for them', 'the army blamed Boko Haram', in a sentence of their own
    anywhere after the incident: the named group is the doer of the incident the statement refers to
    (the one told last before it; every one of its day for a plural reference), if it operates there."""
    told = {c.start for d in drafts for c in d.candidates}
    for s, e, _para in sentences:
        if s in told or not states_responsibility(text[s:e], rules):
            continue
        named = [m for m in actors if s <= m.start < e and m.category == "named" and role_of(m, s, e) == "agent"]
        before = [d for d in drafts if any(c.start < s and not c.headline for c in d.candidates)]
        if not named or not before:
            continue
        target = max(before, key=lambda d: max(c.start for c in d.candidates if c.start < s and not c.headline))
        targets = [target]
        if rules.plural_reference is not None and rules.plural_reference.search(text[s:e]):
            targets += [d for d in before if d is not target and abs((d.first.date - target.first.date).days) <= 2]
        credited = {m.key for d in drafts for c in d.candidates for m, r in c.actors if r == "agent" and m.key}
        for d in targets:
            country = d.first.location.country if d.first.location is not None else None
            # a group already credited with an incident of this report speaks of that one
            group = next((m for m in named if registry.operates_in(m, country) and m.key not in credited), None)
            if group is not None and not has_named_doer(d):
                d.first.actors.append((group, "agent"))


ACCUSED = ("named", "state_forces", "police", "external")


def lead_accusation(drafts: list[Draft], text: str, sentences, actors: list[ActorMention], role_of,
                     rules: Rules, registry) -> None:
    """"Witnesses accuse the army and Wagner of a series of executions": a statement of responsibility
    at the head of the report names the doer the unnamed attackers of every incident it goes on to tell were."""
    told = [c.start for d in drafts for c in d.candidates if not c.headline]
    if not told or rules.series is None:
        return
    first = min(told)
    for s, e, _para in sentences:
        if s > first:
            break
        sentence = text[s:e]
        if not states_responsibility(sentence, rules) or not rules.series.search(sentence):
            continue
        accused = [m for m in actors if s <= m.start < e and m.category in ACCUSED
                   and role_of(m, s, e) not in ("patient", "source")]
        for d in drafts if accused else ():
            country = d.first.location.country if d.first.location is not None else None
            doer = next((m for m in accused if m.category != "named" or registry.operates_in(m, country)), None)
            if doer is not None and not has_named_doer(d) and d.first.sub in VIOLENT:
                name_the_doer(d, doer)
        return


def name_the_doer(d: Draft, doer: ActorMention) -> None:
    """The unnamed attackers of every sentence of an incident are ``doer``; told none, it is its agent."""
    for c in d.candidates:
        for i, (m, role) in enumerate(c.actors):
            if m.category == "unidentified_armed" and role == "agent":
                c.actors[i] = (doer, role)
    if not any(r == "agent" for c in d.candidates for _m, r in c.actors):
        d.first.actors.append((doer, "agent"))
