"""The layout of a news report: sentences and paragraphs, the headline, and datelines ("BAMAKO:",
"Cotonou, June 5 (AFP)") that say where and when a report was filed, not where the incident was."""
from __future__ import annotations

import bisect
import re

DATELINE = re.compile(r"^[ \t]*(?:[A-Z][A-Za-z.'’ -]{2,30}?|[A-Z][A-Z .'-]{2,30})(?:,[ \t]*[A-Z][a-z]+)?[ \t]*"
                      r"(?:\([A-Za-z ]+\))?[ \t]*(?::|—|–|-{1,2}[ \t]|,[ \t]*(?:[A-Z][a-z]{2,8}\.? \d{1,2}|"
                      r"\d{1,2} [A-Z][a-z]+))",
                      re.M)


AGENCY_DATELINE = re.compile(r"\b[A-Z][A-Za-z'’-]+(?: [A-Z][A-Za-z'’-]+)?,\s*(?:[A-Z][a-z]{2,8}\.? \d{1,2}|\d{1,2} [A-Z][a-z]+)"
                             r"\s*\((?:AFP|AP|Reuters|APA|Xinhua|ANP|AA|dpa|UNI|NAN)\)"
                             r"(?:\s*[A-Z][a-z]{2,8}\.? \d{1,2},? \d{4})?")
NAMED_THING = re.compile(r"\b(boat|ship|vessel|ferry|steamer|newspaper|daily|radio|hotel|stadium|university|"
                         r"airline|flight|operation)\s+$", re.I)


# "(Nairobi) – Burkina Faso soldiers ...": the office a report was issued from (NGO style)
PAREN_DATELINE = re.compile(r"^[ \t]*\([A-Z][A-Za-z .'’-]{2,30}\)[ \t]*[–—-]", re.M)


def headline_end(text: str) -> int:
    """End offset of a headline (a short first line without a full stop), or 0."""
    first = text.lstrip().split("\n", 1)[0]
    offset = len(text) - len(text.lstrip())
    if "\n" in text.strip() and len(first.split()) <= 25 and not first.rstrip().endswith((".", "!", "?", '"', "”")):
        return offset + len(first)
    return 0


def datelines(text: str) -> list[tuple[int, int]]:
    """'BAMAKO:', 'Cotonou, June 5 (AFP)', 'DAKAR, Senegal (AP) —': where the report was filed, not
    where the incident was."""
    out = []
    out += [(m.start(), m.end()) for m in DATELINE.finditer(text[:400])]
    out += [(m.start(), m.end()) for m in PAREN_DATELINE.finditer(text[:600])]
    out += [(m.start(), m.end()) for m in AGENCY_DATELINE.finditer(text[:600])]
    return out


def sentences(doc, text: str) -> list[tuple[int, int, int]]:
    """(start, end, paragraph) for each sentence; newlines always end a sentence."""
    para_starts = [0] + [m.end() for m in re.finditer(r"\n\s*\n|\n", text)]
    out = []
    for sent in doc.sents:
        s, e = sent.start_char, sent.end_char
        for piece in re.finditer(r"[^\n]+", text[s:e]):
            ps, pe = s + piece.start(), s + piece.end()
            if not text[ps:pe].strip():
                continue
            para = bisect.bisect_right(para_starts, ps) - 1
            if out and out[-1][2] == para and text[out[-1][0]:out[-1][1]].rstrip().endswith(";"):
                out[-1] = (out[-1][0], pe, para)  # "...; leurs corps ont été retrouvés": one sentence
            else:
                out.append((ps, pe, para))
    return out
