"""Who does what in a sentence: an actor mention is the doer (agent), the target (patient) or
neither, read from the words around it ("X attacked", "attacked by X", "X were killed").

The cues are data, one set per language: the `window:` section of roles_<lang>.yaml. A report is
read with its own language's cues only, so that English never matches French words nor the reverse."""
from __future__ import annotations

import functools
import re
from importlib import resources

import yaml

from sahelwatch.actors import ActorMention

ARMED = {"named", "unidentified_armed", "militia"}

# The cues role() reads, in the order it tries them; a language may lack some (they never match).
CUES = ("agent_before", "says_it_did", "neutral_after", "patient_after", "target_before", "agent_after",
        "patient_before", "deed_after", "active_verb", "not_doer_between", "not_doer_before")


@functools.cache
def load_window(language: str) -> dict[str, tuple[re.Pattern[str], ...]]:
    """The compiled `window:` cues of a language ('en', 'fr'; English for any other), by name."""
    base = resources.files("sahelwatch.extract")
    name = f"roles_{language}.yaml" if base.joinpath(f"roles_{language}.yaml").is_file() else "roles_en.yaml"
    window = yaml.safe_load(base.joinpath(name).read_text("utf-8")).get("window", {})
    unknown = set(window) - set(CUES)
    if unknown:
        raise ValueError(f"{name}: unknown window cues {sorted(unknown)}")
    return {cue: tuple(re.compile(p, re.I) for p in ([v] if isinstance(v, str) else v))
            for cue, v in window.items()}


def _search(cues: dict[str, tuple[re.Pattern[str], ...]], name: str, text: str) -> re.Match[str] | None:
    """The first match of a cue anywhere in text (the cue's regexes in their order)."""
    return next((m for p in cues.get(name, ()) if (m := p.search(text))), None)


def _starts(cues: dict[str, tuple[re.Pattern[str], ...]], name: str, text: str) -> bool:
    """True when a cue matches at the start of text."""
    return any(p.match(text) for p in cues.get(name, ()))


def role(text: str, m: ActorMention, start: int = 0, end: int | None = None, language: str = "en") -> str:
    """agent, patient or other: what an actor mention does in its sentence (text[start:end]), read with
    the cues of the report's language."""
    cues = load_window(language)
    end = len(text) if end is None else end
    after = text[m.end:min(end, m.end + 70)]
    before = text[max(start, m.start - 60):m.start]
    if _search(cues, "agent_before", before):
        return "agent"  # "attacked by gunmen", "blamed the Islamic State", "attaqués par des hommes armés"
    if _starts(cues, "says_it_did", after):
        return "agent"  # "the army said on Monday it had killed ...", "JNIM says it has taken ..."
    if _starts(cues, "neutral_after", after) and m.category not in ARMED:
        return "other"  # "the army said", "selon une source sécuritaire"
    if _starts(cues, "patient_after", after) or _search(cues, "target_before", before):
        return "patient"  # "soldiers were killed", "an attack targeting the army"
    if _starts(cues, "agent_after", after):
        return "agent"  # "gunmen stormed", "des hommes armés ont attaqué"
    if _search(cues, "patient_before", before):
        return "patient"  # "killed 12 soldiers", "une embuscade contre des militaires"
    if _starts(cues, "deed_after", after):
        return "agent"  # "a jihadist attack", "JNIM fighters"
    verb = _search(cues, "active_verb", text[m.end:min(end, m.end + 160)])
    between = re.sub(r",[^,]{0,120},", " ", text[m.end:m.end + verb.start()]) if verb else ""
    if verb and len(between) < 90 and not _search(cues, "not_doer_between", between) \
            and not _search(cues, "not_doer_before", before):
        return "agent"  # "Malian troops and foreign personnel believed to be Russian killed ..."
    return "other"
