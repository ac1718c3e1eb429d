"""Which actor mention is actor1 and which actor2 of an incident: a table in the codebook data for
the sub-event types it can say (protests, riots, coups, territory), and the rules of violence (who
initiated, who was the target, air strikes, associated actors) here."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sahelwatch import codebook
from sahelwatch.actors import ActorMention
from sahelwatch.extract.roles import ARMED

STATE = {"state_forces", "police"}
DOERS = ["named", "unidentified_armed", "state_forces", "police", "militia", "external", "civilians"]
TARGETS = ["state_forces", "police", "named", "unidentified_armed", "militia", "external", "civilians",
           "government", "civilians_weak"]
ONE_SIDED = ("Abduction/forced disappearance", "Sexual violence")


@dataclass
class Sides:
    """The actor mentions of one incident by role, and how to read them on its day and place."""

    agents: list[ActorMention]
    patients: list[ActorMention]
    others: list[ActorMention]
    told: list[tuple[bool, int, list[tuple[ActorMention, str]]]]  # (headline, start, actors) per sentence
    victim_groups: set[str]
    resolve: Callable
    country: str
    foreign: list[str]  # countries other than the incident's named in its sentences
    sources: list[ActorMention] = None  # who told of the incident ("the army said"): never a side, but
    #                                     an air force telling of its strike is its doer

    def category(self, m: ActorMention) -> str:
        """The mention's category on the event's day (a junta leader is state forces before his coup)."""
        return getattr(self.resolve(m), "category", None) or m.category

    def pick(self, mentions: list[ActorMention], prefer: list[str]) -> ActorMention | None:
        for cat in prefer:
            for m in mentions:
                if self.category(m) == cat:
                    return m
        return None

    def by_roles(self, roles: list[str]) -> list[ActorMention]:
        every = [m for _h, _s, actors in self.told for m, _r in actors]
        table = {"agent": self.agents, "patient": self.patients, "other": self.others, "any": every}
        return [m for role in roles for m in table[role]]


def choose(s: Sides, sub: str) -> tuple[ActorMention | None, ActorMention | None]:
    """(actor1, actor2) mentions of an incident of sub-event type ``sub``."""
    spec = codebook.sides().get(sub)
    if spec is not None:
        return _from_table(s, spec["actor1"]), _from_table(s, spec["actor2"])
    if sub == "Non-violent transfer of territory":
        return _handover(s)
    return _violence(s, sub)


def _from_table(s: Sides, side: dict) -> ActorMention | None:
    if side.get("none"):
        return None
    if side.get("fixed"):
        return ActorMention(0, 0, side["fixed"], side["fixed"])
    return s.pick(s.by_roles(side["from"]), side["prefer"])


def _handover(s: Sides) -> tuple[ActorMention | None, ActorMention]:
    """The foreign force that leaves hands over to the state forces of the country."""
    a1 = s.pick(s.agents + s.others + s.patients, ["external"])
    if a1 is None and s.foreign:
        a1 = ActorMention(0, 0, "troops", "state_forces", None, s.foreign[0])
    return a1, ActorMention(0, 0, "army", "state_forces", None, s.country)


def _doer(s: Sides, sub: str) -> ActorMention | None:
    """The doer named where the incident is told first (headlines last: they drop their verbs' "were")."""
    a1 = None
    if sub in ONE_SIDED:
        a1 = s.pick(s.agents, ["named", "unidentified_armed", "militia", "state_forces", "police", "external"])
    else:
        for _h, _s, actors in s.told:
            a1 = s.pick([m for m, r in actors if r == "agent"], DOERS)
            if a1 is not None:
                break
    if a1 is not None and a1.category == "unidentified_armed":
        # "the terrorists" told after "Boko Haram terrorists": the group named once
        a1 = s.pick(s.agents, ["named"]) or a1
    if sub == "Air/drone strike" and (a1 is None or a1.category not in STATE | {"external"}):
        # air strikes are a state's unless a group is told doing it ("JNIM drones struck ...")
        a1 = s.pick(s.agents + s.others + s.patients + (s.sources or []), ["state_forces", "external"]) or (
            a1 if a1 is not None and s.category(a1) == "named" else None)
    return a1


def _violence(s: Sides, sub: str) -> tuple[ActorMention | None, ActorMention | None]:
    a1 = _doer(s, sub)
    civilians_first = ("civilian" in s.victim_groups and not s.victim_groups & {"state", "militant"}) \
        or sub in ONE_SIDED
    prefer = (["civilians", "civilians_weak"] if civilians_first else []) + TARGETS
    a2 = None
    for _h, _s, actors in s.told:  # the target named where the incident is told first
        # a named group's own fighters ("JNIM ... the jihadists") are not its target
        a2 = s.pick([m for m, r in actors if r == "patient" and (a1 is None or s.category(m) != s.category(a1))
                     and not (a1 is not None and s.category(a1) == "named" and m.category == "unidentified_armed")],
                    prefer)
        if a2 is not None:
            break
    if a1 is None and sub != "Air/drone strike":
        a1 = s.pick([m for m in s.others if m.category in ARMED], ["named", "unidentified_armed"])
    if a2 is None and a1 is not None and s.category(a1) == "named" and sub == "Attack":
        # "fighters of JNIM and the Islamic State fought": two named groups, one against the other
        a2 = next((m for m in s.agents + s.others if s.category(m) == "named"
                   and s.resolve(m).name != s.resolve(a1).name), None)
    if a2 is None:
        a2 = s.pick([m for m in s.others if a1 is None or m.category != a1.category],
                    ["civilians", "state_forces", "police"] if sub != "Air/drone strike" else
                    ["civilians", "named", "unidentified_armed"])
    if a1 is not None and a1.category in STATE and "state" in s.victim_groups and sub == "Attack" \
            and not any(m.category in STATE for m in s.agents):
        a1 = None  # soldiers among the dead, nobody named as doer: the attackers are unidentified
    return a1, a2


def associated(s: Sides, a1: ActorMention | None, a2: ActorMention | None):
    """Wagner, VDP, CJTF fight beside the state forces: coded as associated actors of those forces.
    Returns (actor1, actor2, {1: assoc name, 2: assoc name})."""
    assoc = {1: "", 2: ""}
    sides = {1: a1, 2: a2}
    for side, m in ((1, a1), (2, a2)):
        if m is not None and getattr(s.resolve(m), "assoc", False):
            alt = s.pick([x for x in s.agents + s.patients + s.others
                          if x is not m and (x in s.agents) == (m in s.agents)], ["state_forces", "police"])
            if alt is not None:
                assoc[side] = s.resolve(m).name
                sides[side] = alt
    return sides[1], sides[2], assoc
