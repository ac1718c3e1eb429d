"""Numbers written in words, per language, as news reports use them.

The words live in tolls_<language>.yaml (``numbers``, ``compounds``, ``vague``), one file per
language, so that an English report is never read with French number words.
"""
from __future__ import annotations

import functools
from importlib import resources

import yaml


@functools.cache
def tolls_file(language: str) -> dict:
    """The toll vocabulary of a language as written in its data file (empty for a language without one)."""
    path = resources.files("sahelwatch.extract").joinpath(f"tolls_{language}.yaml")
    return (yaml.safe_load(path.read_text("utf-8")) or {}) if path.is_file() else {}


@functools.cache
def word_numbers(language: str = "en") -> dict[str, int]:
    """Number words of a language -> value: "seventeen", "twenty-three"; "vingt-trois", "trente et un"."""
    data = tolls_file(language)
    words = dict(data.get("numbers", {}))
    compounds = data.get("compounds", {})
    for ten, ten_value in compounds.get("tens", {}).items():
        for ending, value in compounds.get("endings", {}).items():
            words[f"{ten}{ending}"] = ten_value + value
    return words


@functools.cache
def vague(language: str = "en") -> dict[str, int]:
    """Approximate and vague quantities of a language -> the value CODEBOOK.md gives them ("dozens" 12)."""
    return dict(tolls_file(language).get("vague", {}))


def parse_number(text: str, language: str = "en") -> int | None:
    """'17', '1,500', 'seventeen', 'twenty-three' (or 'vingt-trois' in French) -> int; None when not a number."""
    t = text.strip().lower().replace("\u2019", "'")
    digits = t.replace(",", "").replace("\u202f", "").replace(" ", "")
    if digits.isdigit():
        return int(digits)
    return word_numbers(language).get(t)
