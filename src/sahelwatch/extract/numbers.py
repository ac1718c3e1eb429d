"""Numbers written in words, in English and French, as news reports use them."""
from __future__ import annotations

WORD_NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
    "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a hundred": 100, "a dozen": 12, "dozen": 12,
    "a": 1, "an": 1,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8, "neuf": 9,
    "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
    "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100,
    "dix-sept": 17, "dix-huit": 18, "dix-neuf": 19, "soixante-dix": 70, "quatre-vingt": 80, "quatre-vingts": 80,
    "quatre-vingt-dix": 90,
}
_UNITS = {k: v for k, v in WORD_NUMBERS.items() if 1 <= v <= 9 and k not in ("a", "an", "un", "une")}
_TENS_EN = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}
_TENS_FR = {"vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}
for _t, _tv in _TENS_EN.items():
    for _u, _uv in _UNITS.items():
        if _u.isascii() and _u in ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"):
            WORD_NUMBERS[f"{_t}-{_u}"] = _tv + _uv
for _t, _tv in _TENS_FR.items():
    for _u, _uv in (("deux", 2), ("trois", 3), ("quatre", 4), ("cinq", 5), ("six", 6), ("sept", 7), ("huit", 8),
                    ("neuf", 9)):
        WORD_NUMBERS[f"{_t}-{_u}"] = _tv + _uv
    WORD_NUMBERS[f"{_t} et un"] = _tv + 1
    WORD_NUMBERS[f"{_t}-et-un"] = _tv + 1

# Approximate and vague quantities (CODEBOOK.md): "dozens" is 12, "tens" 10, "hundreds" 100;
# "several", "many", "a few", "an unspecified number" 3 for a limited attack (10 when significant).
VAGUE: dict[str, int] = {
    "dozens": 12,
    "dozens of": 12,
    "several dozen": 12,
    "a few dozen": 12,
    "some dozen": 12,
    "tens": 10,
    "tens of": 10,
    "scores": 10,
    "scores of": 10,
    "hundreds": 100,
    "hundreds of": 100, "several": 3, "many": 3, "a few": 3, "few": 3, "some": 3, "numerous": 3,
    "an unspecified number": 10, "an unknown number": 10, "a number": 3, "a dozen": 12,
    "une dizaine": 10, "une douzaine": 12, "une quinzaine": 15, "une vingtaine": 20, "une trentaine": 30,
    "une quarantaine": 40, "une cinquantaine": 50, "une soixantaine": 60, "une centaine": 100,
    "des dizaines": 12, "plusieurs": 3, "des centaines": 100, "de nombreux": 3, "quelques": 3,
}


def parse_number(text: str) -> int | None:
    """'17', '1,500', 'seventeen', 'twenty-three', 'vingt-trois' -> int; None when not a number."""
    t = text.strip().lower().replace("\u2019", "'")
    digits = t.replace(",", "").replace("\u202f", "").replace(" ", "")
    if digits.isdigit():
        return int(digits)
    return WORD_NUMBERS.get(t)
