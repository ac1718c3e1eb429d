"""Typed records that flow through sahelwatch: Document in, Event out, with Evidence spans."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import os
from dataclasses import dataclass, field
from typing import Any

# The largest report (UTF-8 bytes of its text) sahelwatch reads, from a file, the API or any other way:
# the one limit the CLI, the API and the pipeline share. SAHELWATCH_MAX_REPORT_BYTES overrides it
# (SAHELWATCH_MAX_DOC_BYTES, its former name, still works).
MAX_REPORT_BYTES: int = int(os.environ.get("SAHELWATCH_MAX_REPORT_BYTES")
                            or os.environ.get("SAHELWATCH_MAX_DOC_BYTES") or 2_000_000)


@dataclass(frozen=True)
class Evidence:
    """A span of the article text (character offsets) that a field was read from."""

    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass
class Document:
    """One news report or analysis, as received."""

    doc_id: str
    text: str
    published: dt.date | None = None
    source: str | None = None
    url: str | None = None
    title: str | None = None
    language: str | None = None

    @property
    def content_hash(self) -> str:
        """SHA-256 of the whitespace-normalised text: the same report under another id hashes the same."""
        return hashlib.sha256(" ".join(self.text.split()).encode("utf-8")).hexdigest()


# ACLED's export columns, in ACLED's order (31 columns).
ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes",
    "fatalities", "tags", "timestamp",
)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    """The field names of a dataclass, in order (``dataclasses.fields`` is slow on every record)."""
    return tuple(f.name for f in dataclasses.fields(cls))


@dataclass
class Event:
    """One incident: one place, one day, one pair of sides (ACLED's codebook, as data/codebook.yaml codes it)."""

    event_id: str = ""
    doc_id: str = ""
    event_date: str | None = None  # ISO date
    time_precision: int = 1
    disorder_type: str = ""
    event_type: str = ""
    sub_event_type: str = ""
    actor1: str = ""
    assoc_actor_1: str = ""
    inter1: int | None = None
    actor2: str = ""
    assoc_actor_2: str = ""
    inter2: int | None = None
    interaction: int | None = None
    civilian_targeting: bool = False
    iso: int | None = None  # ISO 3166-1 numeric, as ACLED
    country: str = ""
    admin1: str = ""
    admin2: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    source: str = ""
    notes: str = ""
    fatalities: int = 0
    injured: int | None = None
    claimed: bool = False
    fatalities_text: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    confidence: float = 0.5
    salience: str = "main"  # "main" news or a recalled "background" incident

    def to_dict(self) -> dict[str, Any]:
        d = {name: getattr(self, name) for name in _field_names(type(self))}
        d["evidence"] = [e.to_dict() for e in self.evidence]
        return d

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Event:
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs = {k: v for k, v in data.items() if k in names}
        kwargs["evidence"] = [Evidence(**e) for e in data.get("evidence") or []]
        return cls(**kwargs)

    @property
    def year(self) -> int | None:
        return int(self.event_date[:4]) if self.event_date else None
