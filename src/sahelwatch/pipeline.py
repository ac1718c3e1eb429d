"""The one entry point from Document to events: the CLI, the API, evaluate and Dask all call it.

A report longer than one window (``WINDOW_CHARS``) is read window by window: groups of whole
paragraphs of bounded size, each window starting with the last paragraphs of the one before
(``OVERLAP_CHARS``), so an incident told across a paragraph break is read whole in one of them.
Each window's spaCy Doc is freed before the next is parsed, so memory stays bounded whatever the
report's length, and time grows linearly with it. The same incident found in two overlapping
windows is one event; evidence offsets are offsets into the whole report's text.

A report over ``MAX_REPORT_BYTES`` is refused, and one whose extraction runs past its time budget
is stopped (``SAHELWATCH_TIME_BUDGET``): both are ``ExtractionError``s naming the document, which
``extract_many`` hands to ``on_error`` and goes on with the next document.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import itertools
import logging
import multiprocessing
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator

from sahelwatch.model import MAX_REPORT_BYTES, Document, Event, Evidence

log = logging.getLogger("sahelwatch")

# About 60 MB of spaCy and rule state per window of this many characters (bench/bench_long_reports.py).
WINDOW_CHARS = 20_000
# Carried over from the end of one window to the start of the next: at least the last paragraph.
OVERLAP_CHARS = 2_000
# A paragraph longer than this (or a text without line breaks) is cut at sentence ends, else at spaces.
PIECE_CHARS = OVERLAP_CHARS
# The time one report may take: a base plus so much per MB of text, about twice what a busy 2-core
# machine needs for news-like text with the dependency parse (about 120 s/MB); SAHELWATCH_TIME_BUDGET
# (seconds) sets a fixed budget instead.
TIME_BUDGET_BASE = 60.0
TIME_BUDGET_PER_MB = 240.0

# A toll above this is a misreading ("10**30 killed"), not a report: coded as unknown (0), its text kept.
MAX_TOLL = 1_000_000

_SURROGATE = re.compile("[\ud800-\udfff]")
_SENTENCE_END = re.compile(r"[.!?\u2026\u3002\u061f\u06d4][\"'\u201d\u2019\u00bb)\]]*\s+")
_SPACE = re.compile(r"\s+")
_CANCEL = threading.Event()


class ExtractionError(Exception):
    """One document whose events could not be extracted, with why (str: ``doc_id: reason``)."""

    def __init__(self, doc_id: str, reason: str) -> None:
        super().__init__(doc_id, reason)
        self.doc_id, self.reason = doc_id, reason

    def __str__(self) -> str:
        return f"{self.doc_id}: {self.reason}"


class ReportTooLarge(ExtractionError):
    """A report over MAX_REPORT_BYTES."""


class ExtractionTimeout(ExtractionError):
    """A report whose extraction ran past its time budget."""


class ExtractionCancelled(ExtractionError):
    """Extraction stopped because the process is shutting down (``cancel_running``)."""


def cancel_running() -> None:
    """Stop every extraction running in this process at its next window (a server shutting down).

    The one piece of process-wide state here: a server's SIGTERM handler calls it so that a worker
    thread in the middle of a long report does not hold the process up for its whole time budget.
    """
    _CANCEL.set()


def time_budget(n_bytes: int = 0) -> float:
    """Seconds one report of ``n_bytes`` may take (SAHELWATCH_TIME_BUDGET, else base + per MB)."""
    fixed = os.environ.get("SAHELWATCH_TIME_BUDGET", "").strip()
    if fixed:
        try:
            return max(float(fixed), 0.0)
        except ValueError:
            log.warning("sahelwatch: warning: SAHELWATCH_TIME_BUDGET=%r is not a number of seconds; ignored", fixed)
    return TIME_BUDGET_BASE + TIME_BUDGET_PER_MB * n_bytes / 1_000_000


def _report_bytes(text: str) -> int:
    if len(text) * 4 <= MAX_REPORT_BYTES:  # cannot be over the limit: skip encoding it
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def _too_large(document: Document) -> ReportTooLarge | None:
    size = _report_bytes(document.text)
    if size > MAX_REPORT_BYTES:
        return ReportTooLarge(document.doc_id, f"report too large ({size / 1e6:.1f} MB > {MAX_REPORT_BYTES / 1e6:.1f} MB);"
                                               " split it into several reports")
    return None


def _readable(document: Document) -> Document:
    """The document as the extractor can read it: lone surrogates (from a JSON "\\ud800") made U+FFFD,
    one character for one, so offsets into the text stay the same."""
    if not _SURROGATE.search(document.text):
        return document
    return dataclasses.replace(document, text=_SURROGATE.sub("\ufffd", document.text))


def _credible(events: list[Event]) -> list[Event]:
    for ev in events:
        if ev.fatalities > MAX_TOLL:
            ev.fatalities = 0
        if ev.injured is not None and ev.injured > MAX_TOLL:
            ev.injured = None
    return events


def extract_events(document: Document, budget: float | None = None) -> list[Event]:
    """The events one report states (pure: no database, network or global state besides loaded models).

    Raises ExtractionError (ReportTooLarge, ExtractionTimeout) for a report that cannot be read.
    """
    def fail(exc: ExtractionError) -> None:
        raise exc

    return next(iter(extract_many([document], budget=budget, on_error=fail)))[1]


# ---------------------------------------------------------------------------------------- windows
def _pieces(text: str, start: int, end: int, size: int = PIECE_CHARS) -> Iterator[tuple[int, int]]:
    """Cut text[start:end] into contiguous spans of at most ``size``: at a sentence end, else a space."""
    while end - start > size:
        chunk = text[start:start + size]
        cut = 0
        for m in _SENTENCE_END.finditer(chunk, size // 2):
            cut = m.end()
        if not cut:
            spaces = [m.end() for m in _SPACE.finditer(chunk, size // 2)]
            cut = spaces[-1] if spaces else size
        yield start, start + cut
        start += cut
    if end > start:
        yield start, end


def _spans(text: str) -> list[tuple[int, int]]:
    """Contiguous paragraph spans (each with its trailing line breaks) covering the whole text."""
    bounds = [0] + [m.end() for m in re.finditer(r"\n[\s]*", text)]
    if bounds[-1] != len(text):
        bounds.append(len(text))
    out: list[tuple[int, int]] = []
    for s, e in itertools.pairwise(bounds):
        out.extend(_pieces(text, s, e))
    return out


def windows(text: str, size: int = WINDOW_CHARS, overlap: int = OVERLAP_CHARS) -> list[tuple[int, int]]:
    """(start, end) of the windows a text is read in: whole paragraphs, at most ``size`` characters,
    each window starting with the paragraphs (at most ``overlap`` characters) that ended the one before."""
    if len(text) <= size:
        return [(0, len(text))]
    spans = _spans(text)
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(spans):
        j = i + 1
        while j < len(spans) and spans[j][1] - spans[i][0] <= size:
            j += 1
        out.append((spans[i][0], spans[j - 1][1]))
        if j == len(spans):
            break
        k = j
        while k - 1 > i and spans[j - 1][1] - spans[k - 1][0] <= overlap:
            k -= 1
        i = k
    return out


def _shifted(event: Event, offset: int) -> Event:
    event.evidence = [Evidence(e.start + offset, e.end + offset, e.text) for e in event.evidence]
    return event


def _overlaps(spans: list[tuple[int, int]], b: Event) -> bool:
    return any(s < y.end and y.start < e for s, e in spans for y in b.evidence)


def _key(e: Event) -> tuple:
    """What makes two events of one report one incident: day, place, both sides, type (as within a window)."""
    return (e.event_date, re.sub(r"[^a-z]", "", (e.location or e.admin1 or "").lower()), e.actor1, e.actor2,
            e.event_type)


def _absorb(kept: Event, other: Event, same_telling: bool) -> None:
    """Fold ``other`` into ``kept``: the union of their evidence; for one incident read in two windows,
    the reading with more evidence (it saw more of the telling); else the rule of one report's merge."""
    if same_telling and len(other.evidence) > len(kept.evidence):
        for name in Event.__dataclass_fields__:
            if name not in ("evidence", "event_id"):
                setattr(kept, name, getattr(other, name))
    elif not same_telling:
        kept.fatalities = min(kept.fatalities, other.fatalities) if kept.fatalities and other.fatalities else \
            max(kept.fatalities, other.fatalities)
    spans = {(e.start, e.end): e for e in kept.evidence + other.evidence}
    kept.evidence = [spans[k] for k in sorted(spans)]
    kept.notes = " ".join(e.text for e in kept.evidence)[:1000]


class _Merger:
    """Events of successive windows into one report's events."""

    def __init__(self) -> None:
        self.events: list[Event] = []
        self.by_key: dict[tuple, Event] = {}
        self.recent: list[Event] = []  # the previous window's events: the only ones an overlap can touch

    def add(self, window_events: list[Event], start: int) -> None:
        """The events of the window that starts at ``start`` (their offsets already the report's)."""
        # only evidence inside this window can be shared with it: a long-merged event keeps the rest
        shared = [(x, [(y.start, y.end) for y in x.evidence if y.end > start]) for x in self.recent]
        recent = []
        for e in window_events:
            same = next((x for x, spans in shared if spans and _overlaps(spans, e)), None)
            target = same or self.by_key.get(_key(e))
            if target is None:
                self.events.append(e)
                target = e
            else:
                _absorb(target, e, same_telling=same is not None)
            self.by_key.setdefault(_key(target), target)
            if target not in recent:
                recent.append(target)
        self.recent = recent

    def result(self, document: Document) -> list[Event]:
        events = sorted(self.events, key=lambda ev: min((x.start for x in ev.evidence), default=0))
        for i, ev in enumerate(events):  # ids unique within the report, as a one-window report's are
            digest = int(hashlib.sha1(f"{document.doc_id}:{i}".encode()).hexdigest()[:12], 16) % 10**8
            ev.event_id = f"{ev.event_id[:-8]}{digest:08d}"
        published = document.published or dt.date.today()
        for ev in events:
            days = (published - dt.date.fromisoformat(ev.event_date)).days if ev.event_date else 0
            ev.salience = "main" if days <= 14 else "background"
        if events and all(ev.salience == "background" for ev in events):
            for ev in events:
                ev.salience = "main"
        return events


def _language(document: Document) -> str:
    from sahelwatch.nlp import detect_language

    lang = document.language or detect_language(document.text)
    document.language = lang if lang in ("en", "fr") else "en"
    return document.language


def _extract_windowed(document: Document, budget: float | None) -> list[Event]:
    """One long report, window by window, within its time budget."""
    from sahelwatch.extract.events import extract_from_docs

    text = _readable(document).text
    limit = time_budget(_report_bytes(text)) if budget is None else budget
    started = time.monotonic()
    lang = _language(document)
    spans = windows(text)
    merger = _Merger()
    for n, (ws, we) in enumerate(spans, 1):
        if _CANCEL.is_set():
            raise ExtractionCancelled(document.doc_id, "extraction cancelled: the process is shutting down")
        elapsed = time.monotonic() - started
        if elapsed > limit:
            raise ExtractionTimeout(document.doc_id, f"extraction stopped after {elapsed:.0f} s, over the {limit:.0f} s "
                                                     f"budget for one report (window {n - 1} of {len(spans)}); split "
                                                     "the report or raise SAHELWATCH_TIME_BUDGET")
        part = Document(doc_id=document.doc_id, text=text[ws:we], published=document.published,
                        source=document.source, url=document.url, title=document.title, language=lang)
        for _doc, events in extract_from_docs([part], batch_size=1):
            merger.add([_shifted(e, ws) for e in events], ws)
    return merger.result(document)


# ------------------------------------------------------------------------------------ many reports
Outcome = tuple[Document, "list[Event] | ExtractionError"]


def _outcomes(documents: Iterable[Document], batch_size: int = 16, budget: float | None = None) -> Iterator[Outcome]:
    """(document, events or the ExtractionError that stopped it), in input order, in this process.

    Reports of one window go to the extractor in batches (spaCy is faster so); a long one is read
    by windows between two batches."""
    from sahelwatch.extract.events import extract_from_docs

    short: list[Document] = []
    chunk = max(batch_size * 4, 32)

    def flush() -> Iterator[Outcome]:
        batch, short[:] = short[:], []
        readable = [_readable(d) for d in batch]
        for original, copy, (_doc, events) in zip(batch, readable, extract_from_docs(readable, batch_size=batch_size)):
            original.language = copy.language
            yield original, _credible(events)

    for document in documents:
        if _CANCEL.is_set():
            raise ExtractionCancelled(document.doc_id, "extraction cancelled: the process is shutting down")
        problem = _too_large(document)
        if problem is None and len(document.text) <= WINDOW_CHARS:
            short.append(document)
            if len(short) >= chunk:
                yield from flush()
            continue
        yield from flush()
        if problem is not None:
            yield document, problem
            continue
        try:
            yield document, _credible(_extract_windowed(document, budget))
        except (ExtractionTimeout, ReportTooLarge) as exc:
            yield document, exc
    yield from flush()


def _extract_chunk(documents: list[Document], budget: float | None = None) -> list[Outcome]:
    return list(_outcomes(documents, budget=budget))


def _chunks(documents: Iterable[Document], size: int) -> Iterator[list[Document]]:
    it = iter(documents)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def log_error(exc: ExtractionError) -> None:
    """The default ``on_error``: one line on the sahelwatch logger, naming the document."""
    log.error("sahelwatch: error: %s", exc)


def extract_many(documents: Iterable[Document], n_process: int = 1, batch_size: int = 16,
                 budget: float | None = None,
                 on_error: Callable[[ExtractionError], None] | None = None) -> Iterator[tuple[Document, list[Event]]]:
    """(document, events) for each document, in input order, streaming.

    With ``n_process`` > 1 the whole pipeline (spaCy and the rules) runs in that many worker
    processes, each loading the models once, on batches of ``batch_size`` documents.
    A document that cannot be read (too large, over its time ``budget``) is not yielded: its
    ExtractionError goes to ``on_error`` (default: one logged line) and the next document follows.
    """
    report = on_error or log_error
    if n_process <= 1:
        outcomes: Iterable[Outcome] = _outcomes(documents, batch_size=batch_size, budget=budget)
    else:
        ctx = multiprocessing.get_context("forkserver")
        pool = ctx.Pool(n_process)
        outcomes = itertools.chain.from_iterable(
            pool.imap(functools.partial(_extract_chunk, budget=budget), _chunks(documents, batch_size)))
    try:
        for document, result in outcomes:
            if isinstance(result, ExtractionError):
                report(result)
                continue
            yield document, result
    finally:
        if n_process > 1:
            pool.terminate()
