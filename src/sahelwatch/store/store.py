"""The event store: documents, events and their sources in SQLite (default) or PostgreSQL/PostGIS.

``Store`` is a thin facade over the modules that each do one job: ``db`` (connection, migrations),
``ingest`` (documents and their events, one transaction per batch), ``linking`` (ids, dedup links),
``queries`` (filters, pages, statistics) and ``review`` (edits, merges, splits, the audit log).
Every event a report yields is stored as its own row; when it describes an incident already in the
store (``sahelwatch.dedup``) it is merged into that event, and the merge is recorded so that it can
be undone. Extraction is not the store's job: ``sahelwatch.service`` runs the pipeline and hands
the results here.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Self

from sahelwatch.model import Document, Event
from sahelwatch.settings import DEFAULT_DB
from sahelwatch.store import ingest, queries, refresh, review
from sahelwatch.store import subscriptions as subs
from sahelwatch.store.db import Database
from sahelwatch.store.queries import EventFilter
from sahelwatch.store.records import DocumentRecord, EventDetail, IngestReport, StatRow, StoredEvent
from sahelwatch.store.subscriptions import Delivery, Subscription, SubscriptionAlert


class Store:
    """Documents, events, sources, merges and the audit log in one database."""

    def __init__(self, url: str = DEFAULT_DB, batch_docs: int = 16) -> None:
        """Open (and migrate) the database at ``url`` (Settings.db); DatabaseError when it cannot be."""
        self.db = Database(url or DEFAULT_DB)
        self.url, self.dialect, self.engine = self.db.url, self.db.dialect, self.db.engine
        self.batch_docs = batch_docs
        self._counts = queries.CountCache()

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ ingest
    def is_known(self, document: Document) -> bool:
        """True when a document with this URL or this text is already stored."""
        return ingest.is_known(self.db, document)

    def has_url(self, url: str) -> bool:
        """True when a document fetched from this URL is stored (lets feed watching skip known entries)."""
        return ingest.has_url(self.db, url)

    def add_many(self, pairs: Sequence[tuple[Document, list[Event]]], fetched: str | None = None) -> IngestReport:
        """Store (document, events) pairs in one transaction, with dedup; the bulk path of ingest."""
        return ingest.add_many(self.db, pairs, fetched=fetched)

    def add_extracted(self, document: Document, events: list[Event]) -> list[str]:
        """Store one document and its extracted events (linked to stored incidents); the ids they now have.

        A document already stored (same URL or text) adds nothing; the ids of its events are returned.
        """
        ids: list[str] = []
        ingest.add_many(self.db, [(document, events)], ids_out=ids)
        return ids

    # ------------------------------------------------------------------ queries
    def query_events(self, *, limit: int | None = 100, offset: int = 0, **filters: Any) -> list[StoredEvent]:
        """Live (not merged-away) events matching the filters (EventFilter's fields), newest first."""
        return queries.query_events(self.db, EventFilter(**filters), limit, offset)

    def page_rows(self, *, limit: int = 100, offset: int = 0, **filters: Any) -> tuple[tuple[str, ...], list[Any]]:
        """(column names, rows) of a page of events, newest first, evidence as JSON text (the API's fast path)."""
        return queries.page_rows(self.db, EventFilter(**filters), limit, offset)

    def count_events(self, **filters: Any) -> int:
        """How many live events match the filters (kept until the data changes)."""
        return self._counts.count(self.db, EventFilter(**filters))

    def data_stamp(self) -> tuple[int, int]:
        """A value that changes whenever the events change (in any process)."""
        return queries.data_stamp(self.db)

    def iter_events(self, *, batch: int = 2000, newest_first: bool = False, **filters: Any) -> Iterator[StoredEvent]:
        """All matching events, streamed from the database; oldest first unless ``newest_first``."""
        return queries.iter_events(self.db, EventFilter(**filters), batch, newest_first)

    def get_event(self, event_id: str) -> EventDetail | None:
        """One event with its sources (documents and evidence spans) and its audit trail."""
        return queries.get_event(self.db, event_id)

    def get_document(self, doc_id: str) -> DocumentRecord | None:
        return queries.get_document(self.db, doc_id)

    def count_documents(self) -> int:
        return queries.count_documents(self.db)

    def stats(self, by: str, period: str = "month", **filters: Any) -> list[StatRow]:
        """Events, fatalities and civilian fatalities grouped by month|week|country|admin1|actor|event_type."""
        return queries.stats(self.db, by, EventFilter(**filters), period)

    # ------------------------------------------------------------------ review
    def update_event(self, event_id: str, changes: Mapping[str, Any], user: str) -> EventDetail:
        """Edit fields and/or the status of an event; the change is audited (who, when, before, after)."""
        return review.update_event(self.db, event_id, changes, user)

    def merge_events(self, event_ids: list[str], user: str) -> EventDetail:
        """Merge events into the first one (it keeps every source and evidence span); undoable."""
        return review.merge_events(self.db, event_ids, user)

    def undo_merge(self, merge_id: str, user: str) -> list[EventDetail]:
        """Undo a merge (automatic or by hand): the absorbed events come back with their sources."""
        return review.undo_merge(self.db, merge_id, user)

    def split_event(self, event_id: str, doc_ids: list[str], user: str) -> list[EventDetail]:
        """Move the given documents' sources out of an event into a new event. Returns [the event, the new one]."""
        return review.split_event(self.db, event_id, doc_ids, user)

    def record_audit(self, event_id: str, action: str, user: str, before: Any = None, after: Any = None) -> None:
        """Add an entry to an event's audit log (what a review taught the extractor, or its undoing)."""
        review.note(self.db, event_id, action, user, before, after)

    # ------------------------------------------------------------------ re-extraction
    def documents_since(self, since: str | None = None) -> Iterator[DocumentRecord]:
        """Stored documents published (else fetched) on or after ``since`` (YYYY-MM-DD), oldest first."""
        return refresh.documents_since(self.db, since)

    def refresh_document(self, doc_id: str, records: Sequence[Mapping[str, Any]],
                         apply: bool = False) -> refresh.DocumentRefresh:
        """What a document's fresh records change in its unreviewed events; written when ``apply``."""
        return refresh.refresh_document(self.db, doc_id, [dict(r) for r in records], apply)

    # ------------------------------------------------------------------ alert subscriptions
    def add_subscription(self, name: str, **fields: Any) -> Subscription:
        """Store a named filter with its rules, period and webhook (InvalidRequest when the name is taken)."""
        return subs.add_subscription(self.db, name, **fields)

    def subscriptions(self) -> list[Subscription]:
        return subs.list_subscriptions(self.db)

    def get_subscription(self, subscription_id: int) -> Subscription:
        """One subscription (NotFound when there is none with that id)."""
        return subs.get_subscription(self.db, subscription_id)

    def remove_subscription(self, subscription_id: int) -> Subscription:
        return subs.remove_subscription(self.db, subscription_id)

    def record_subscription_alerts(self, subscription_id: int, keyed: list[tuple[str, dict[str, Any]]],
                                   state: str) -> list[str]:
        """Record (key, alert) pairs not yet recorded for the subscription; the keys that were new."""
        return subs.record_alerts(self.db, subscription_id, keyed, state)

    def subscription_alerts(self, subscription_id: int, states: tuple[str, ...] = subs.FEED_STATES,
                            limit: int | None = None, newest_first: bool = False) -> list[SubscriptionAlert]:
        return subs.subscription_alerts_in(self.db, subscription_id, states, limit, newest_first)

    def finish_delivery_round(self, subscription_id: int, alert_key: str, delivered: bool, max_rounds: int) -> str:
        return subs.finish_round(self.db, subscription_id, alert_key, delivered, max_rounds)

    def log_delivery(self, delivery: Delivery) -> None:
        subs.log_delivery(self.db, delivery)

    def deliveries(self, subscription_id: int, limit: int = 100) -> list[Delivery]:
        """Webhook delivery attempts of a subscription, newest first."""
        return subs.list_deliveries(self.db, subscription_id, limit)
