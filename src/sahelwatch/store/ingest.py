"""Storing extracted (document, events) pairs: documents skipped when already stored (same URL or text),
events given ids and linked to stored incidents, all in one transaction per batch."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa

from sahelwatch.model import Document, Event
from sahelwatch.store import linking
from sahelwatch.store.db import Database, chunks
from sahelwatch.store.queries import event_ids_of_doc
from sahelwatch.store.records import IngestReport, event_row, iso_date, now
from sahelwatch.store.schema import documents, event_sources, events, merges

Pair = tuple[Document, list[Event]]


def is_known(db: Database, document: Document) -> bool:
    """True when a document with this URL or this text is already stored."""
    cond = documents.c.content_hash == document.content_hash
    if document.url:
        cond = sa.or_(cond, documents.c.url == document.url)
    with db.engine.connect() as conn:
        return conn.execute(sa.select(documents.c.id).where(cond).limit(1)).first() is not None


def has_url(db: Database, url: str) -> bool:
    """True when a document fetched from this URL is stored (lets feed watching skip known entries)."""
    with db.engine.connect() as conn:
        return conn.execute(sa.select(documents.c.id).where(documents.c.url == url).limit(1)).first() is not None


def add_many(db: Database, pairs: Sequence[Pair], ids_out: list[str] | None = None,
             fetched: str | None = None) -> IngestReport:
    """Store (document, events) pairs in one transaction, with dedup; the ids the events now have go to
    ``ids_out`` (a document already stored gives the ids of its events)."""
    report = IngestReport()
    stamp = fetched or now()
    with db.write() as conn:
        found = _new_documents(conn, pairs, stamp)
        report.documents_skipped += len(found.skipped)
        report.documents_added += len(found.rows)
        if ids_out is not None:
            for doc_id in found.skipped:
                ids_out += event_ids_of_doc(conn, doc_id)
        db.insert_rows(conn, documents, found.rows)
        report.events_extracted += len(found.events)
        if found.events:
            linking.assign_ids(db, conn, found.events)
            linked = linking.link(conn, found.events, stamp)
            write_linked(db, conn, linked, stamp)
            linking.register_names(db, conn, found.events)
            report.events_added += linked.added
            report.events_linked += linked.linked
            if ids_out is not None:
                ids_out += linked.ids
    return report


@dataclass
class _Found:
    rows: list[dict[str, Any]] = field(default_factory=list)  # documents to insert
    events: list[dict[str, Any]] = field(default_factory=list)  # their events, as dicts with doc_id and source
    skipped: list[str] = field(default_factory=list)  # doc_ids of the documents already stored


def _known(conn: sa.Connection, pairs: Sequence[Pair]) -> tuple[dict[str, str], dict[str, str], set[str]]:
    """The stored doc_id of each known content hash and URL, and the doc_ids already taken."""
    known_hash: dict[str, str] = {}
    known_url: dict[str, str] = {}
    taken: set[str] = set()
    for chunk in chunks(sorted({d.content_hash for d, _ in pairs}), 500):
        q = sa.select(documents.c.content_hash, documents.c.doc_id).where(documents.c.content_hash.in_(chunk))
        known_hash.update((h, did) for h, did in conn.execute(q))
    for chunk in chunks(sorted({d.url for d, _ in pairs if d.url}), 500):
        q = sa.select(documents.c.url, documents.c.doc_id).where(documents.c.url.in_(chunk))
        known_url.update((u, did) for u, did in conn.execute(q))
    for chunk in chunks(sorted({d.doc_id for d, _ in pairs}), 500):
        taken.update(r[0] for r in conn.execute(sa.select(documents.c.doc_id).where(documents.c.doc_id.in_(chunk))))
    return known_hash, known_url, taken


def _new_documents(conn: sa.Connection, pairs: Sequence[Pair], stamp: str) -> _Found:
    """Skip documents already stored (URL or text); rename a reused doc_id that comes with other text."""
    known_hash, known_url, taken = _known(conn, pairs)
    found = _Found()
    for doc, evs in pairs:
        h = doc.content_hash
        existing = known_hash.get(h) or (known_url.get(doc.url) if doc.url else None)
        if existing:
            found.skipped.append(existing)
            continue
        doc_id = f"{doc.doc_id}-{h[:8]}" if doc.doc_id in taken else doc.doc_id
        taken.add(doc_id)
        known_hash[h] = doc_id
        if doc.url:
            known_url[doc.url] = doc_id
        found.rows.append({"doc_id": doc_id, "text": doc.text, "title": doc.title, "url": doc.url,
                           "source": doc.source, "published": iso_date(doc.published), "language": doc.language,
                           "fetched": stamp, "content_hash": h})
        source = doc.source or (urlsplit(doc.url).hostname if doc.url else "") or ""
        for ev in evs:
            d = ev.to_dict() if isinstance(ev, Event) else dict(ev)
            d["doc_id"] = doc_id
            d["source"] = d.get("source") or source
            found.events.append(d)
    return found


def write_linked(db: Database, conn: sa.Connection, linked: linking.Linked, stamp: str) -> None:
    """New rows, then the kept events that gained sources, then the merges."""
    new_ids = {r["event_id"] for r in linked.rows}
    for r in linked.rows:
        kept = linked.touched.get(r["event_id"])
        if kept is not None:  # created in this batch and already merged into: write its combined form
            r.update(event_row(kept, stamp, created=r["created"]))
    db.insert_rows(conn, events, linked.rows)
    db.insert_rows(conn, event_sources, linked.sources)
    updates = [dict(event_row(m, stamp, created=m.get("created")), b_event_id=eid)
               for eid, m in linked.touched.items() if eid not in new_ids]
    if updates:
        cols = {k: sa.bindparam(k) for k in updates[0] if k not in ("b_event_id", "event_id", "created")}
        conn.execute(events.update().where(events.c.event_id == sa.bindparam("b_event_id")).values(cols), updates)
    if linked.merges:
        db.insert_rows(conn, merges, linked.merges)
