"""A token trie for finding many aliases in a text in one pass.

Texts and aliases are cut into word tokens and folded (accents dropped, case folded), so
"Jama'at", "Jama’at" and "Jama at" are the same and "Tillabéri" matches "Tillaberi". A token
with two or more capitals in the alias ("JNIM", "FAMa", "IS") must appear in capitals.
"""
from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, NamedTuple

# A word; apostrophes inside a transliterated name join its parts ("Jama'at" = "Jamaat"), but not
# an elision or a possessive ("l'armée", "d'Ivoire", "Niger's" stay two words).
_WORD = re.compile(r"[^\W_]{2,}(?:['’ʼ][^\W_]{2,})+|[^\W_]+")
_APOSTROPHES = str.maketrans("", "", "'’ʼ")
_TERM = "\0"
# punctuation that may join the tokens of a name in any alias: hyphens and apostrophes
_JOINERS = frozenset("-'’‘ʼ`´–")
_MAX_GAP = 4


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def fold(text: str) -> str:
    return strip_accents(text).casefold()


class Token(NamedTuple):
    start: int
    end: int
    plain: str  # accents and apostrophes dropped, case kept
    key: str  # folded, spelling variants mapped to one form


def tokenize(text: str, spellings: dict[str, str] | None = None) -> list[Token]:
    """Word tokens of ``text``; ``spellings`` maps folded variants to one form ("qaida" -> "qaeda")."""
    out = []
    spell = spellings or {}
    ascii_text = text.isascii()
    apostrophes = "'" in text or "’" in text or "ʼ" in text
    for m in _WORD.finditer(text):
        plain = m.group()
        if not ascii_text and not plain.isascii():
            plain = strip_accents(plain)
        if apostrophes and len(plain) > 4:
            plain = plain.translate(_APOSTROPHES)
        key = plain.casefold()
        out.append(Token(m.start(), m.end(), plain, spell.get(key, key)))
    return out


def _is_cased(token: str) -> bool:
    return sum(1 for c in token if c.isupper()) >= 2


@dataclass(frozen=True, slots=True)
class Entry:
    """One alias at a trie leaf: what it stands for, its capitalised tokens and its own punctuation."""

    target: Any
    cased: tuple[str | None, ...]
    gaps: tuple[frozenset, ...]

    def accepts(self, text: str, tokens: list[Token], i: int) -> bool:
        for n, want in enumerate(self.cased):
            if want is not None and tokens[i + n].plain != want:
                return False
        for n, allowed in enumerate(self.gaps):
            left, right = tokens[i + n], tokens[i + n + 1]
            punct = set(text[left.end:right.start]) - set(" \t\n\r\xa0")
            if not punct <= allowed and not (punct == {"."} and len(left.plain) <= 3):
                return False
        return True


class Trie:
    """Aliases as token paths; ``longest(tokens, i)`` is the longest alias starting at token ``i``."""

    def __init__(self, spellings: dict[str, str] | None = None) -> None:
        self.root: dict = {}
        self.spellings = spellings or {}

    def add(self, alias: str, target: Any, plural: bool = False) -> bool:
        """Add ``alias``; ``plural`` also adds its last word with an "s". False when it has no words."""
        parts = [m for m in _WORD.finditer(alias)]
        if not parts:
            return False
        plain = [strip_accents(m.group()).translate(_APOSTROPHES) for m in parts]
        gaps = tuple(frozenset(set(alias[a.end():b.start()]) - {" "}) | _JOINERS for a, b in itertools.pairwise(parts))
        cased = tuple(p if _is_cased(p) else None for p in plain)
        keys = [self.spellings.get(p.casefold(), p.casefold()) for p in plain]
        self._put(keys, Entry(target, cased, gaps))
        if plural and cased[-1] is None and not keys[-1].endswith("s"):
            self._put([*keys[:-1], keys[-1] + "s"], Entry(target, cased, gaps))
        return True

    def _put(self, keys: list[str], entry: Entry) -> None:
        node = self.root
        for key in keys:
            node = node.setdefault(key, {})
        node.setdefault(_TERM, []).append(entry)

    def longest(self, text: str, tokens: list[Token], i: int, want=None) -> tuple[int, Entry] | None:
        """(end token index, entry) of the longest alias at ``i`` whose entry passes ``want``; later entries win."""
        node = self.root
        best = None
        n = len(tokens)
        k = i
        while k < n:
            if k > i:
                gap = text[tokens[k - 1].end:tokens[k].start]
                if len(gap) > _MAX_GAP or "\n\n" in gap:
                    break
            node = node.get(tokens[k].key)
            if node is None:
                break
            k += 1
            entries = node.get(_TERM)
            if entries:
                for entry in reversed(entries):
                    if (want is None or want(entry.target)) and entry.accepts(text, tokens, i):
                        best = (k, entry)
                        break
        return best
