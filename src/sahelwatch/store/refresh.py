"""Re-extraction, the store's side: a stored document's fresh records replace what its sources said, and the
unreviewed events they support are rebuilt from their sources (a diff first; written only when asked).

Events a reviewer verified, rejected or edited are never overwritten. Records that match no stored source
are new events (stored and linked like an ingest's when applied); stored sources the document no longer
yields are reported and kept. The extraction itself is not the store's job (``sahelwatch.service.reextract``).
"""
from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from sahelwatch import dedup
from sahelwatch.store import linking
from sahelwatch.store.db import Database
from sahelwatch.store.ingest import write_linked
from sahelwatch.store.records import EVENT_FIELDS, DocumentRecord, event_row, extracted, now, to_json
from sahelwatch.store.review import is_reviewed, live
from sahelwatch.store.schema import audit, documents, event_sources, events

# the fields a diff shows and a refresh rewrites (the event's identity, source and evidence stay)
COMPARED = tuple(f for f in EVENT_FIELDS if f not in ("event_id", "doc_id", "source", "evidence"))
USER = "sahelwatch-reextract"


@dataclass
class EventChange:
    event_id: str
    changes: dict[str, tuple[Any, Any]]  # field -> (stored, re-extracted)


@dataclass
class DocumentRefresh:
    """What re-extracting one document changes (or would change)."""

    doc_id: str
    changed: list[EventChange] = field(default_factory=list)
    reviewed: list[str] = field(default_factory=list)  # events kept as a reviewer left them
    new: list[dict[str, Any]] = field(default_factory=list)  # records matching no stored source
    gone: list[str] = field(default_factory=list)  # stored events this document no longer yields (kept)
    added: list[str] = field(default_factory=list)  # ids the new records got (applied)


def documents_since(db: Database, since: str | None = None, batch: int = 200) -> Iterator[DocumentRecord]:
    """Stored documents published (else fetched) on or after ``since`` (YYYY-MM-DD), oldest first."""
    cond = sa.true()
    if since:
        cond = sa.or_(documents.c.published >= since,
                      sa.and_(documents.c.published.is_(None), documents.c.fetched >= since))
    last = 0
    while True:
        with db.engine.connect() as conn:
            rows = conn.execute(sa.select(documents).where(cond, documents.c.id > last)
                                .order_by(documents.c.id).limit(batch)).mappings().all()
        if not rows:
            return
        for r in rows:
            yield {**{k: r[k] for k in r.keys() if k != "id"}, "events": []}  # type: ignore[misc]
        last = rows[-1]["id"]


def _spans(evidence: Any) -> list[tuple[int, int]]:
    items = json.loads(evidence or "[]") if isinstance(evidence, str) else evidence or []
    out = []
    for e in items:
        e = e if isinstance(e, dict) else e.to_dict()
        if isinstance(e.get("start"), int) and isinstance(e.get("end"), int):
            out.append((e["start"], e["end"]))
    return out


def _overlap(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> int:
    return sum(max(0, min(x1, y1) - max(x0, y0)) for x0, x1 in a for y0, y1 in b)


def match_records(sources: Sequence[Any], records: Sequence[dict[str, Any]]) -> tuple[list[tuple[Any, dict]], list[dict], list[Any]]:
    """Pair stored sources with fresh records by evidence overlap (greatest first): (pairs, new, gone)."""
    scored = sorted(((_overlap(_spans(s.evidence), _spans(r.get("evidence"))), i, j)
                     for i, s in enumerate(sources) for j, r in enumerate(records)), reverse=True)
    used_s: set[int] = set()
    used_r: set[int] = set()
    pairs = []
    for score, i, j in scored:
        if score <= 0 or i in used_s or j in used_r:
            continue
        used_s.add(i)
        used_r.add(j)
        pairs.append((sources[i], records[j]))
    new = [r for j, r in enumerate(records) if j not in used_r]
    gone = [s for i, s in enumerate(sources) if i not in used_s]
    return pairs, new, gone


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and round(float(a), 5) == round(float(b), 5)
    return (a if a != "" else None) == (b if b != "" else None)


def _rebuilt(conn: sa.Connection, event: dict[str, Any], fresh: dict[int, dict[str, Any]]) -> dict[str, Any]:
    """The event combined from its sources, with the fresh records in place of the sources they replace."""
    srcs = conn.execute(sa.select(event_sources.c.id, event_sources.c.origin_event_id, event_sources.c.extracted)
                        .where(event_sources.c.event_id == event["event_id"]).order_by(event_sources.c.id)).all()
    own = [s for s in srcs if s.origin_event_id == event["event_id"]] + \
        [s for s in srcs if s.origin_event_id != event["event_id"]]
    records = [fresh[s.id] if s.id in fresh else json.loads(s.extracted) for s in own]
    return dedup.combine(records)


def refresh_document(db: Database, doc_id: str, records: Sequence[dict[str, Any]], apply: bool = False
                     ) -> DocumentRefresh:
    """Compare a document's fresh records with its stored sources; with ``apply``, write the changes of the
    unreviewed events (audited as "reextract") and store the new records, in one transaction."""
    out = DocumentRefresh(doc_id)
    with (db.write() if apply else db.engine.connect()) as conn:
        srcs = conn.execute(sa.select(event_sources.c.id, event_sources.c.event_id, event_sources.c.evidence)
                            .where(event_sources.c.doc_id == doc_id).order_by(event_sources.c.id)).all()
        pairs, out.new, gone = match_records(srcs, records)
        out.gone = sorted({s.event_id for s in gone})
        by_event: dict[str, dict[int, dict[str, Any]]] = {}
        for src, rec in pairs:
            by_event.setdefault(src.event_id, {})[src.id] = {**extracted(rec), "event_id": src.event_id}
        for event_id, fresh in by_event.items():
            _refresh_event(db, conn, event_id, fresh, out, apply)
        if apply and out.new:
            out.added = _store_new(db, conn, doc_id, out.new)
    return out


def _refresh_event(db: Database, conn: sa.Connection, event_id: str, fresh: dict[int, dict[str, Any]],
                   out: DocumentRefresh, apply: bool) -> None:
    event = live(conn, event_id, allow_merged=True)
    if is_reviewed(conn, event):
        out.reviewed.append(event_id)
        return
    combined = _rebuilt(conn, event, fresh)
    diff = {k: (event.get(k), combined.get(k)) for k in COMPARED if not _same(event.get(k), combined.get(k))}
    if not diff:
        return
    out.changed.append(EventChange(event_id, diff))
    if not apply:
        return
    stamp = now()
    for source_id, rec in fresh.items():
        conn.execute(event_sources.update().where(event_sources.c.id == source_id)
                     .values(extracted=to_json({**rec, "event_id": rec.get("event_id")})))
    kept = ("fatalities_min", "fatalities_max", "source_scale")
    row = event_row({**event, **{k: combined.get(k) for k in COMPARED},
                     **{k: combined[k] for k in kept if combined.get(k) is not None}}, stamp, created=event.get("created"))
    row.pop("merged_into", None)
    conn.execute(events.update().where(events.c.event_id == event_id).values(row))
    linking.register_names(db, conn, [row])
    conn.execute(audit.insert().values(event_id=event_id, action="reextract", user=USER, at=stamp,
                                       before=to_json({k: v[0] for k, v in diff.items()}),
                                       after=to_json({k: v[1] for k, v in diff.items()})))


def _store_new(db: Database, conn: sa.Connection, doc_id: str, records: list[dict[str, Any]]) -> list[str]:
    """New records of a stored document: ids, linked to stored incidents, written like an ingest's."""
    stamp = now()
    evs = [{**extracted(r), "doc_id": doc_id, "source": r.get("source") or ""} for r in records]
    linking.assign_ids(db, conn, evs)
    linked = linking.link(conn, evs, stamp)
    write_linked(db, conn, linked, stamp)
    linking.register_names(db, conn, evs)
    for eid in linked.ids:
        conn.execute(audit.insert().values(event_id=eid, action="reextract", user=USER, at=stamp, before=None,
                                           after=to_json({"doc_id": doc_id, "new": True})))
    return linked.ids

