"""Minimal first registry (to be deepened by the actor-registry issue)."""
from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

# category: named | state_forces | police | unidentified_armed | civilians | protesters | rioters | government
_NAMED = {
    "JNIM: Group for Support of Islam and Muslims": (2, ["JNIM", "GSIM", "Jama'at Nusrat al-Islam wal-Muslimin",
                                                        "Group for Support of Islam and Muslims",
                                                        "Group for the Support of Islam and Muslims"]),
    "Islamic State (Sahel)": (2, ["ISSP", "ISGS", "Islamic State in the Greater Sahara", "Islamic State Sahel Province",
                                  "Islamic State in Sahel Province", "EIGS"]),
    "Islamic State (West Africa)": (2, ["ISWAP", "Islamic State West Africa Province"]),
    "Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawati wal-Jihad": (2, ["Boko Haram", "JAS"]),
    "Ansaroul Islam": (2, ["Ansaroul Islam", "Ansarul Islam"]),
}
_CATEGORIES = {
    "state_forces": ["army", "soldiers", "troops", "military", "special forces", "national guard", "armed forces"],
    "police": ["police", "police officers", "gendarmes"],
    "unidentified_armed": ["jihadists", "gunmen", "militants", "terrorists", "attackers", "assailants"],
    "civilians": ["civilians", "villagers", "farmers", "worshippers", "women", "children", "residents"],
    "protesters": ["protesters", "demonstrators"],
}
DEMONYMS = {"Nigerien": "Niger", "Malian": "Mali", "Burkinabe": "Burkina Faso", "Nigerian": "Nigeria",
            "Beninese": "Benin", "Togolese": "Togo", "Chadian": "Chad"}


@dataclass(frozen=True)
class ActorMention:
    start: int
    end: int
    text: str
    category: str  # named | state_forces | police | unidentified_armed | civilians | protesters | rioters | government
    key: str | None = None  # canonical name of a named actor
    country: str | None = None  # a country the mention itself names ("Nigerien soldiers" -> Niger)


@dataclass(frozen=True)
class ResolvedActor:
    name: str
    inter: int
    key: str | None = None


class Registry:
    def __init__(self) -> None:
        alias_to = {}
        for name, (_inter, aliases) in _NAMED.items():
            for a in aliases:
                alias_to[a.lower()] = ("named", name)
        for cat, words in _CATEGORIES.items():
            for w in words:
                alias_to[w.lower()] = (cat, None)
        self._alias_to = alias_to
        alts = sorted(alias_to, key=len, reverse=True)
        dem = "|".join(DEMONYMS)
        self._re = re.compile(rf"(?:\b(?P<dem>{dem})\s+)?\b(?P<alias>{'|'.join(re.escape(a) for a in alts)})\b",
                              re.IGNORECASE)

    def find_mentions(self, text: str) -> list[ActorMention]:
        out = []
        for m in self._re.finditer(text):
            cat, key = self._alias_to[m.group("alias").lower()]
            dem = m.group("dem")
            country = DEMONYMS.get(dem.capitalize()) if dem else None
            out.append(ActorMention(m.start(), m.end(), m.group(0), cat, key, country))
        return out

    def resolve(self, mention: ActorMention, country: str | None, date: dt.date | None) -> ResolvedActor:
        c = mention.country or country or "Unknown"
        if mention.category == "named":
            return ResolvedActor(mention.key, _NAMED[mention.key][0], mention.key)
        if mention.category == "state_forces":
            return ResolvedActor(f"Military Forces of {c}", 1)
        if mention.category == "police":
            return ResolvedActor(f"Police Forces of {c}", 1)
        if mention.category == "civilians":
            return ResolvedActor(f"Civilians ({c})", 7)
        if mention.category == "protesters":
            return ResolvedActor(f"Protesters ({c})", 6)
        return ResolvedActor(f"Unidentified Armed Group ({c})", 3)


@functools.cache
def default_registry() -> Registry:
    return Registry()
