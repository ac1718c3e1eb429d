"""The event store: SQLite by default, PostgreSQL/PostGIS at scale; ingestion with cross-source dedup."""
from sahelwatch.store.store import STATUSES, IngestReport, Store, parse_bbox, resolve_url

__all__ = ["STATUSES", "IngestReport", "Store", "parse_bbox", "resolve_url"]
