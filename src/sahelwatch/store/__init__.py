"""The event store: SQLite by default, PostgreSQL/PostGIS at scale; cross-source dedup on the way in."""
from sahelwatch.store.queries import EventFilter, parse_bbox
from sahelwatch.store.records import (
    STATUSES,
    DocumentRecord,
    EventDetail,
    IngestReport,
    StatRow,
    StoredEvent,
)
from sahelwatch.store.store import Store

__all__ = ["STATUSES", "DocumentRecord", "EventDetail", "EventFilter", "IngestReport", "StatRow", "Store",
           "StoredEvent", "parse_bbox"]
