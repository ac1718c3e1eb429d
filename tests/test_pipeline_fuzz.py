"""Property tests of the extractor (issue 13): whatever text comes in (arbitrary Unicode with lone
surrogates, huge numbers, no punctuation, only line breaks, right-to-left scripts, emojis, control
characters), ``extract_events`` returns events, never raises, and every event can be written out:
evidence inside the text, tolls a store can hold, fields UTF-8 can encode.

The example counts are bounded (about 40 s in all on a shared 2-core machine) and the runs
derandomised, so the suite is the same on every run; raise them locally to search harder:
``SAHELWATCH_FUZZ_EXAMPLES=500 pytest tests/test_pipeline_fuzz.py``.
"""
from __future__ import annotations

import datetime as dt
import json
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sahelwatch.model import Document
from sahelwatch.pipeline import MAX_TOLL, extract_events

SCALE = int(os.environ.get("SAHELWATCH_FUZZ_EXAMPLES", "0")) or None
FUZZ = settings(max_examples=SCALE or 60, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

TOWNS = ["Djibo", "Menaka", "Tillaberi", "Maiduguri", "Fada N'Gourma", "Tombouctou", "Diffa", "Bol"]
SENTENCES = [
    "Gunmen killed {n} villagers in {town} on Monday, residents said.",
    "{n} soldiers were killed when jihadists attacked an army post near {town}.",
    "Des hommes armés ont tué {n} civils à {town} dimanche.",
    "An air strike on {town} killed {n} people on 3 March 2024.",
    "Bandits abducted {n} women near {town} on Friday.",
    "The army said {n} terrorists were neutralised around {town}.",
]
NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**40).map(str),
    st.sampled_from(["10**30", "1e30", "9" * 400, "-5", "0", "dozens of", "a hundred", "trois", "1,000,000,000,000",
                     "٣", "５", "½", "NaN", "∞", "twenty-one thousand million"]),
)
NOISE = st.sampled_from(["", " ", "\n", "\n\n", "\r\n", "\t", "\u2029", "\u200f", "\u202e", "\ufeff", "\x00",
                         "🔥", "💀💀", "مسلحون قتلوا خمسة في القرية.", "חמושים תקפו את הכפר.", "\ud800", "\udfff"])


@st.composite
def reports(draw) -> str:
    """News-like sentences with odd numbers, glued together by odd separators and noise."""
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        sentence = draw(st.sampled_from(SENTENCES)).format(n=draw(NUMBERS), town=draw(st.sampled_from(TOWNS)))
        if draw(st.booleans()):
            sentence = sentence.replace(".", "").replace(",", "")  # no punctuation at all
        parts += [sentence, draw(NOISE)]
    return draw(st.sampled_from(["", " ", "\n", "\n\n"])).join(parts)


def _check(text: str, language: str | None = None) -> None:
    events = extract_events(Document("fuzz", text, published=dt.date(2024, 5, 22), language=language))
    readable = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace") if text else text
    for ev in events:
        assert 0 <= ev.fatalities <= MAX_TOLL and (ev.injured is None or 0 <= ev.injured <= MAX_TOLL)
        json.dumps(ev.to_dict(), ensure_ascii=False).encode("utf-8")  # writable as JSON Lines, storable
        for x in ev.evidence:
            assert 0 <= x.start <= x.end <= len(text)
            assert len(readable) != len(text) or readable[x.start:x.end].strip() == x.text


@FUZZ
@given(st.text(alphabet=st.characters(exclude_categories=()), max_size=400))
def test_arbitrary_unicode_never_raises(text: str):
    _check(text)


@FUZZ
@given(reports(), st.sampled_from([None, "en", "fr"]))
def test_news_like_text_with_huge_numbers_and_odd_layouts_never_raises(text: str, language: str | None):
    _check(text, language)


@settings(FUZZ, max_examples=SCALE or 15)
@given(st.sampled_from(["\n", " ", ".", "\u2029", "🔥", "killed ", "Djibo ", "\ud800"]), st.integers(1, 3000))
def test_one_character_or_word_repeated_never_raises(unit: str, times: int):
    _check(unit * times)


@settings(FUZZ, max_examples=SCALE or 10)
@given(st.integers(0, 10**60))
def test_a_huge_toll_is_not_a_toll(n: int):
    events = extract_events(Document("toll", f"Gunmen killed {n} villagers in Djibo on Monday, residents said.",
                                     published=dt.date(2024, 5, 22), language="en"))
    assert [ev.fatalities for ev in events] == [n if n <= MAX_TOLL else 0]
