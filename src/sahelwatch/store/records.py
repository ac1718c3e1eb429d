"""The typed records the store takes and gives, and their conversion to and from table rows.

Events cross module boundaries as ``StoredEvent`` (ACLED fields + review fields) and
``EventDetail`` (with sources, audit trail, merges); documents as ``DocumentRecord``; statistics as
``StatRow``; an ingest run's counts as ``IngestReport``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypedDict

from sahelwatch import dedup
from sahelwatch.model import Event
from sahelwatch.store.schema import events

STATUSES = ("unreviewed", "verified", "rejected")
EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(Event))
STORE_FIELDS = ("status", "source_count", "source_scale", "fatalities_min", "fatalities_max", "created", "updated",
                "merged_into", "independent_sources", "confirmed_by", "source_notes", "fatality_figures")
JSON_FIELDS = ("source_notes", "fatality_figures")  # lists kept as JSON text
EVENT_COLUMNS = {c.name for c in events.columns} - {"id"}
BOOL_FIELDS = {"civilian_targeting", "claimed"}


class EvidenceSpan(TypedDict):
    start: int
    end: int
    text: str


class StoredEvent(TypedDict):
    """One stored event: the fields of sahelwatch.model.Event, then the store's review fields."""

    event_id: str
    doc_id: str | None
    event_date: str | None
    time_precision: int | None
    disorder_type: str | None
    event_type: str | None
    sub_event_type: str | None
    actor1: str | None
    assoc_actor_1: str | None
    inter1: int | None
    actor2: str | None
    assoc_actor_2: str | None
    inter2: int | None
    interaction: int | None
    civilian_targeting: bool
    iso: int | None
    country: str | None
    admin1: str | None
    admin2: str | None
    location: str | None
    latitude: float | None
    longitude: float | None
    geo_precision: int | None
    source: str | None
    notes: str | None
    fatalities: int
    injured: int | None
    claimed: bool
    fatalities_text: str | None
    evidence: list[EvidenceSpan]
    confidence: float | None
    salience: str | None
    status: str
    source_count: int
    source_scale: str | None
    fatalities_min: int | None
    fatalities_max: int | None
    created: str | None
    updated: str | None
    merged_into: str | None
    independent_sources: int | None
    confirmed_by: str | None
    source_notes: list[dict[str, Any]]
    fatality_figures: list[dict[str, Any]]


class SourceRecord(TypedDict):
    doc_id: str
    title: str | None
    url: str | None
    source: str | None
    published: str | None
    origin_event_id: str
    evidence: list[EvidenceSpan]
    link_reason: dict[str, Any] | None


class AuditRecord(TypedDict):
    action: str
    user: str | None
    at: str
    before: Any
    after: Any


class MergeRecord(TypedDict):
    merge_id: str
    absorbed: list[str]
    user: str | None
    automatic: bool
    created: str | None
    undone: str | None
    reason: dict[str, Any] | None


class EventDetail(StoredEvent, total=False):
    """A stored event with its sources, audit trail and merges (and the merge id after a merge)."""

    sources: list[SourceRecord]
    audit: list[AuditRecord]
    merges: list[MergeRecord]
    merge_id: str


class DocumentRecord(TypedDict):
    doc_id: str
    text: str
    title: str | None
    url: str | None
    source: str | None
    published: str | None
    language: str | None
    fetched: str | None
    content_hash: str
    events: list[str]


class StatRow(TypedDict):
    key: str | int
    events: int
    fatalities: int
    civilian_fatalities: int


@dataclasses.dataclass
class IngestReport:
    """What one ingest run did."""

    documents_seen: int = 0
    documents_added: int = 0
    documents_skipped: int = 0  # already stored: same URL or same text
    events_extracted: int = 0
    events_added: int = 0  # new incidents
    events_linked: int = 0  # merged into an incident already stored
    errors: list[str] = dataclasses.field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def merge(self, other: IngestReport) -> None:
        for f in dataclasses.fields(self):
            if f.name == "errors":
                self.errors += other.errors
            else:
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def summary(self) -> str:
        return (f"{self.documents_added} document(s) added, {self.documents_skipped} already stored; "
                f"{self.events_extracted} event(s) extracted: {self.events_added} new, "
                f"{self.events_linked} linked to stored events")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)  # json.dumps with these options builds one per call


def to_json(value: Any) -> str:
    return _ENCODER.encode(value)


def iso_date(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


def extracted(d: Mapping[str, Any]) -> dict[str, Any]:
    """The Event fields of an event dict (what a source said, kept to rebuild the event later)."""
    return {k: d.get(k) for k in EVENT_FIELDS}


def event_row(d: Mapping[str, Any], stamp: str, created: str | None = None) -> dict[str, Any]:
    """An event dict -> the values of its row in ``events``."""
    row = {k: d.get(k) for k in EVENT_COLUMNS}
    ev = d.get("evidence") or []
    row["evidence"] = ev if isinstance(ev, str) else to_json([e if isinstance(e, dict) else e.to_dict() for e in ev])
    row["event_day"] = dedup.day_number(d.get("event_date"))
    row["status"] = d.get("status") or "unreviewed"
    row["source_count"] = d.get("source_count") or 1
    row["fatalities"] = d.get("fatalities") or 0
    row["fatalities_min"] = d["fatalities_min"] if d.get("fatalities_min") is not None else row["fatalities"]
    row["fatalities_max"] = d["fatalities_max"] if d.get("fatalities_max") is not None else row["fatalities"]
    row["independent_sources"] = d.get("independent_sources") or row["source_count"]
    for k in JSON_FIELDS:
        value = d.get(k)
        row[k] = value if value is None or isinstance(value, str) else to_json(value)
    row["created"] = created or d.get("created") or stamp
    row["updated"] = stamp
    for k in BOOL_FIELDS:
        row[k] = bool(d.get(k))
    return row


_NOT_PUBLIC = tuple(EVENT_COLUMNS - {*EVENT_FIELDS, *STORE_FIELDS}) + ("id",)


def stored_event(row: Mapping[str, Any]) -> StoredEvent:
    """A row of ``events`` -> the StoredEvent of the public API."""
    d = {k: row[k] for k in (*EVENT_FIELDS, *STORE_FIELDS) if k != "evidence"}
    d["evidence"] = json.loads(row["evidence"] or "[]")
    for k in BOOL_FIELDS:
        d[k] = bool(d[k])
    for k in JSON_FIELDS:
        d[k] = json.loads(d[k] or "[]")
    return d  # type: ignore[return-value]


def stored_events(keys: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[StoredEvent]:
    """Rows of ``SELECT * FROM events`` (as tuples, in ``keys`` order) -> StoredEvents: the read path of
    every page, so one dict per row and nothing else."""
    loads = json.loads
    keys = tuple(str.__str__(k) for k in keys)  # plain str: SQLAlchemy's quoted names slow every serialiser down
    out = []
    for row in rows:
        d = dict(zip(keys, row))
        for k in _NOT_PUBLIC:
            d.pop(k, None)
        d["evidence"] = loads(d["evidence"] or "[]")
        d["civilian_targeting"] = bool(d["civilian_targeting"])
        d["claimed"] = bool(d["claimed"])
        for k in JSON_FIELDS:
            d[k] = loads(d[k] or "[]")
        out.append(d)
    return out  # type: ignore[return-value]
