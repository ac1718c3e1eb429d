"""Who does what to whom, from the dependency parse: a spaCy component (``sahel_roles``) runs the
DependencyMatcher patterns of ``roles_<lang>.yaml`` and leaves each role-bearing token's role on
``Doc._.roles``; :func:`mention_role` reads the role of an actor mention from it."""
from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

import yaml
from spacy.language import Language
from spacy.matcher import DependencyMatcher
from spacy.tokens import Doc, Token

if not Doc.has_extension("roles"):
    Doc.set_extension("roles", default=None)
if not Doc.has_extension("events"):
    Doc.set_extension("events", default=None)


@dataclass(frozen=True)
class RolePatterns:
    """One language's role patterns, compiled from its data file."""

    patterns: tuple[dict, ...]
    climb: frozenset[str]
    through_of: frozenset[str]
    decisive: frozenset[str] = frozenset()  # pattern ids whose role wins over the word-window reading
    speech: frozenset[str] = frozenset()  # lemmas of verbs by which a source speaks
    future: frozenset[str] = frozenset()  # lemmas that put an infinitive ahead ("scheduled to", "doivent")


def _expand(value, words: dict[str, list[str]]):
    """Replace "$class" entries of IN lists by the words of that class."""
    if isinstance(value, dict):
        return {k: _expand(v, words) for k, v in value.items()}
    if isinstance(value, list):
        out = []
        for v in value:
            out += words[v[1:]] if isinstance(v, str) and v.startswith("$") else [_expand(v, words)]
        return out
    return value


@functools.cache
def load_patterns(language: str) -> RolePatterns:
    """The role patterns of a language ('en', 'fr'); English for any other."""
    base = resources.files("sahelwatch.extract")
    name = f"roles_{language}.yaml" if base.joinpath(f"roles_{language}.yaml").is_file() else "roles_en.yaml"
    data = yaml.safe_load(base.joinpath(name).read_text("utf-8"))
    words = data.get("words", {})
    patterns = tuple({**p, "pattern": _expand(p["pattern"], words)} for p in data["patterns"])
    return RolePatterns(patterns, frozenset(data.get("climb", [])), frozenset(data.get("climb_through_of", [])),
                        frozenset(p["id"] for p in patterns if p.get("decisive")),
                        frozenset(words.get("speech", []) + words.get("publish", [])), frozenset(words.get("future", [])))


class RoleFinder:
    """The ``sahel_roles`` component: Doc._.roles = {token index: (role, pattern id)}."""

    def __init__(self, nlp: Language, language: str):
        self.language = language
        self.data = load_patterns(language)
        self.matcher = DependencyMatcher(nlp.vocab)
        self.order: dict[str, tuple[int, str, int]] = {}
        for rank, p in enumerate(self.data.patterns):
            self.matcher.add(p["id"], [p["pattern"]])
            actor_index = next(i for i, node in enumerate(p["pattern"]) if node["RIGHT_ID"] == "actor")
            self.order[p["id"]] = (rank, p["role"], actor_index)

    def __call__(self, doc: Doc) -> Doc:
        found: dict[int, tuple[int, str, str]] = {}
        for match_id, token_ids in self.matcher(doc):
            pid = doc.vocab.strings[match_id]
            rank, role, actor_index = self.order[pid]
            i = token_ids[actor_index]
            if i not in found or rank < found[i][0]:
                found[i] = (rank, role, pid)
        doc._.roles = {i: (role, pid) for i, (_rank, role, pid) in found.items()}
        return doc


@Language.factory("sahel_roles", default_config={"language": "en"})
def make_role_finder(nlp: Language, name: str, language: str) -> RoleFinder:
    return RoleFinder(nlp, language)


def _climb(token: Token, data: RolePatterns) -> Token | None:
    """The noun a mention's token modifies: 'Islamic State' in 'fighters of the Islamic State' -> fighters."""
    dep = token.dep_
    if dep == "pobj" and token.head.lower_ in data.through_of and token.head.dep_ == "prep":
        return token.head.head
    if dep in data.climb and token.head is not token:
        if dep == "nmod" and not any(c.dep_ == "case" and c.lower_ in data.through_of for c in token.children):
            return None
        return token.head
    return None


def mention_role(doc: Doc, start: int, end: int, language: str = "en") -> tuple[str, str] | None:
    """(role, pattern id) of the actor mention at text[start:end], or None when the parse tells none."""
    roles = doc._.roles
    if not roles:
        return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return None
    for t in span:
        if t.i in roles:
            return roles[t.i]
    data = load_patterns(language)
    token = span.root
    for _ in range(4):
        token = _climb(token, data)
        if token is None:
            return None
        if token.i in roles:
            return roles[token.i]
    return None


def said_on(doc: Doc, position: int, language: str = "en") -> bool | None:
    """Whether the day written at text offset ``position`` is when a source spoke ("the army said on
    Friday", "a annoncé lundi"): the verb that governs the day is a verb of speech. None when the
    parse has no verb for it."""
    span = doc.char_span(position, position + 1, alignment_mode="expand")
    if span is None or not len(span):
        return None
    day = token = span[0]
    speech = load_patterns(language).speech
    for _ in range(4):
        if token.head is token:
            return None
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            if token.lemma_.lower() not in speech:
                return False
            # "..., in Di, on Tuesday, local sources said": a day before the comma of an inverted
            # "X said" belongs to what was said (the parser often hangs it on the verb of speech)
            before = day.i < token.i and any(t.is_punct for t in doc[day.i:token.i])
            # "On Monday evening, the spokesman announced that the men arrested on Sunday ...": what was said
            # follows the verb with a day of its own, so the day in front is the day of speaking
            return not before or any(t.dep_ in ("ccomp", "xcomp") and t.i > token.i and _names_a_day(t)
                                     for t in token.children)
    return None


def _governing_verb(doc: Doc, position: int) -> Token | None:
    """The verb the word at text offset ``position`` hangs from (within four steps), if any."""
    span = doc.char_span(position, position + 1, alignment_mode="expand")
    if span is None or not len(span):
        return None
    token = span[0]
    for _ in range(4):
        if token.head is token:
            return None
        token = token.head
        if token.pos_ in ("VERB", "AUX"):
            return token
    return None


def in_pluperfect(doc: Doc, position: int) -> bool | None:
    """Whether the day at ``position`` dates a deed told in the pluperfect ("had overrun the camp on
    Thursday", "avait attaqué jeudi"): its verb has a past auxiliary of having. None without a verb."""
    verb = _governing_verb(doc, position)
    if verb is None:
        return None
    return any(c.dep_.startswith("aux") and c.lemma_.lower() in ("have", "avoir")
               and set(c.morph.get("Tense")) & {"Past", "Imp"} for c in verb.children)


def in_future(doc: Doc, position: int, language: str = "en") -> bool:
    """Whether the day at ``position`` dates what is still to come: its verb is in the future tense ("will
    travel on Wednesday", "se rendront mercredi") or an infinitive put ahead by a word of plan or schedule
    ("are scheduled to take over on Friday", "doivent prendre le relais vendredi")."""
    verb = _governing_verb(doc, position)
    if verb is None:
        return False
    ahead = load_patterns(language).future
    if "Fut" in verb.morph.get("Tense") or any(c.dep_.startswith("aux") and c.lemma_.lower() in ahead
                                               for c in verb.children):
        return True
    if "Inf" not in verb.morph.get("VerbForm") and verb.tag_ != "VB":
        return False
    return verb.head.lemma_.lower() in ahead or any(t.lemma_.lower() in ahead
                                                     for t in doc[max(0, verb.i - 12):verb.i])


def _names_a_day(token: Token) -> bool:
    from sahelwatch.extract.dates import ALL_MONTHS, ALL_WEEKDAYS

    return any((t.lower_ in ALL_WEEKDAYS or t.lower_ in ALL_MONTHS) and t.pos_ not in ("AUX", "VERB") for t in token.subtree)


class SentenceParses:
    """The dependency parses of a report's sentences, made when first asked for and kept."""

    def __init__(self, text: str, sentences: list[tuple[int, int, int]], language: str = "en"):
        self.text, self.language = text, language
        self.starts = [s for s, _e, _p in sentences]
        self.sentences = sentences
        self.parsed: dict[int, Doc] = {}

    def prepare(self, wanted) -> None:
        """Parse at once (batched: several times faster than one by one) the sentences ``wanted(s, e)`` picks."""
        from sahelwatch.nlp import load_parser

        spans = [(s, e) for s, e, _p in self.sentences if s not in self.parsed and wanted(s, e)]
        for (s, _e), doc in zip(spans, load_parser(self.language).pipe(self.text[s:e] for s, e in spans)):
            self.parsed[s] = doc

    def _at(self, position: int) -> tuple[Doc, int] | None:
        import bisect

        from sahelwatch.nlp import load_parser

        k = bisect.bisect_right(self.starts, position) - 1
        if k < 0 or not self.sentences[k][0] <= position < self.sentences[k][1]:
            return None
        s, e, _p = self.sentences[k]
        if s not in self.parsed:
            self.parsed[s] = load_parser(self.language)(self.text[s:e])
        return self.parsed[s], s

    def role(self, start: int, end: int) -> tuple[str, str] | None:
        """(role, pattern id) of the mention at text[start:end] (see :func:`mention_role`)."""
        found = self._at(start)
        return mention_role(found[0], start - found[1], end - found[1], self.language) if found else None

    def in_pluperfect(self, position: int) -> bool | None:
        """Whether the day at ``position`` dates a deed told in the pluperfect (see :func:`in_pluperfect`)."""
        found = self._at(position)
        return in_pluperfect(found[0], position - found[1]) if found else None

    def in_future(self, position: int) -> bool:
        """Whether the day at ``position`` dates what is still to come (see :func:`in_future`)."""
        found = self._at(position)
        return in_future(found[0], position - found[1], self.language) if found else False

    def said_on(self, position: int) -> bool | None:
        """Whether the day at ``position`` is when a source spoke (see :func:`said_on`)."""
        found = self._at(position)
        return said_on(found[0], position - found[1], self.language) if found else None
