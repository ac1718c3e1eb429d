"""Event typing: trigger phrases (data in rules_<lang>.yaml) -> ACLED sub-event types."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources

import yaml


@dataclass(frozen=True)
class Rule:
    sub: str
    patterns: tuple[re.Pattern[str], ...]
    exclude: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class Rules:
    """The compiled trigger rules of one language."""

    triggers: tuple[Rule, ...]
    generic: tuple[re.Pattern[str], ...]
    hypothetical: tuple[re.Pattern[str], ...]
    claim: tuple[re.Pattern[str], ...]
    reporting: re.Pattern[str]
    responsibility: tuple[re.Pattern[str], ...] = ()
    responsibility_exclude: tuple[re.Pattern[str], ...] = ()
    incident_word: re.Pattern[str] | None = None
    definite_before: re.Pattern[str] | None = None
    separate: tuple[re.Pattern[str], ...] = ()
    cumulative: tuple[re.Pattern[str], ...] = ()
    plural_reference: re.Pattern[str] | None = None  # "claimed both attacks": every incident of that day
    series: re.Pattern[str] | None = None  # "accused of a series of killings": every incident the report tells
    vague_place: re.Pattern[str] | None = None  # "in the north and northwest": no place of the story's
    cues: dict[str, re.Pattern[str]] = field(default_factory=dict)  # the `cues:` of the rules file, by name
    language: str = "en"  # the reports' language these rules are for: dates and tolls are read with it

    def cue(self, name: str) -> re.Pattern[str]:
        """A named cue of this language (the `cues:` section of its rules file); one that matches nothing
        where the language has none."""
        return self.cues.get(name, NEVER)


NEVER = re.compile(r"(?!)")


def _compile(items: list[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.I) for p in items or ())


@functools.cache
def load_rules(language: str = "en") -> Rules:
    """Rules for a language (its own file merged after English for what it lacks)."""
    base = resources.files("sahelwatch.extract")
    data = yaml.safe_load(base.joinpath("rules_en.yaml").read_text("utf-8"))
    if language != "en" and base.joinpath(f"rules_{language}.yaml").is_file():
        own = yaml.safe_load(base.joinpath(f"rules_{language}.yaml").read_text("utf-8")) or {}
        merged = {}
        for rule in own.get("triggers", []) + data["triggers"]:
            if rule["sub"] in merged:
                merged[rule["sub"]]["patterns"] = merged[rule["sub"]]["patterns"] + rule.get("patterns", [])
                merged[rule["sub"]]["exclude"] = merged[rule["sub"]].get("exclude", []) + rule.get("exclude", [])
            else:
                merged[rule["sub"]] = {"sub": rule["sub"], "patterns": list(rule.get("patterns", [])),
                                       "exclude": list(rule.get("exclude", []))}
        order = [r["sub"] for r in data["triggers"]]
        data = {"triggers": [merged[s] for s in order if s in merged],
                "generic": data.get("generic", []) + own.get("generic", []),
                "hypothetical": data.get("hypothetical", []) + own.get("hypothetical", []),
                "claim": data.get("claim", []) + own.get("claim", []),
                "responsibility": own.get("responsibility", []),
                "responsibility_exclude": own.get("responsibility_exclude", []),
                "incident_word": own.get("incident_word") or data.get("incident_word"),
                "definite_before": own.get("definite_before") or data.get("definite_before"),
                "separate": own.get("separate", []),
                "cumulative": own.get("cumulative", []),
                "plural_reference": own.get("plural_reference") or data.get("plural_reference"),
                "series": own.get("series") or data.get("series"),
                "vague_place": own.get("vague_place") or data.get("vague_place"),
                "reporting": data["reporting"] + ("|" + own["reporting"] if own.get("reporting") else ""),
                "cues": {**data.get("cues", {}), **own.get("cues", {})}}
    triggers = tuple(Rule(r["sub"], _compile(r.get("patterns")), _compile(r.get("exclude")))
                     for r in data["triggers"])
    return Rules(triggers, _compile(data.get("generic")), _compile(data.get("hypothetical")), _compile(data.get("claim")),
                 re.compile(data["reporting"], re.I), _compile(data.get("responsibility")),
                 _compile(data.get("responsibility_exclude")), re.compile(data["incident_word"], re.I),
                 re.compile(data["definite_before"], re.I), _compile(data.get("separate")),
                 _compile(data.get("cumulative")), _one(data.get("plural_reference")), _one(data.get("series")),
                 _one(data.get("vague_place")), {k: re.compile(v, re.I) for k, v in data.get("cues", {}).items()},
                 language=language)


def _one(pattern: str | None) -> re.Pattern[str] | None:
    return re.compile(pattern, re.I) if pattern else None


@dataclass(frozen=True)
class Trigger:
    sub: str
    start: int
    end: int
    text: str


def find_triggers(sentence: str, rules: Rules, offset: int = 0) -> list[Trigger]:
    """Every rule that fires in a sentence, in rule order (the first is the most specific)."""
    found = []
    for rule in rules.triggers:
        if any(x.search(sentence) for x in rule.exclude):
            continue
        for p in rule.patterns:
            m = p.search(sentence)
            if m:
                found.append(Trigger(rule.sub, offset + m.start(), offset + m.end(), m.group(0)))
                break
    return found


def is_generic(sentence: str, rules: Rules) -> bool:
    """True for habitual or summary sentences that state no single incident."""
    return any(p.search(sentence) for p in rules.generic)


def is_hypothetical(sentence: str, rules: Rules) -> bool:
    """True for sentences about what may, could or should happen."""
    return any(p.search(sentence) for p in rules.hypothetical)


def states_responsibility(sentence: str, rules: Rules) -> bool:
    """True for a sentence that says who was behind an incident ("X claimed the attack", "blamed on X")."""
    return any(p.search(sentence) for p in rules.responsibility) and not any(
        p.search(sentence) for p in rules.responsibility_exclude)


def is_claim(sentence: str, rules: Rules) -> bool:
    """Whether a sentence tells the incident only through a party's claim ("JNIM said its fighters killed
    ..."); "nobody has claimed the attack" tells no claim."""
    return any(p.search(sentence) for p in rules.claim) and \
        not any(p.search(sentence) for p in rules.responsibility_exclude)
