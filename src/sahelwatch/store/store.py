"""The event store: documents, events and their sources in SQLite (default) or PostgreSQL/PostGIS.

Every event a report yields is stored as its own row; when it describes an incident already in the
store (``sahelwatch.dedup``) it is merged into that event: the kept event gains the source and its
evidence, the combined figures, and the merge is recorded so that it can be undone.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import json
import os
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Self
from urllib.parse import urlsplit

import sqlalchemy as sa

from sahelwatch import dedup
from sahelwatch.model import Document, Event
from sahelwatch.store.schema import actors, audit, documents, event_sources, events, id_counters, merges, places

DEFAULT_URL = "sqlite:///sahelwatch.db"
_MIGRATE_LOCK = threading.Lock()
STATUSES = ("unreviewed", "verified", "rejected")
EVENT_FIELDS = tuple(f.name for f in dataclasses.fields(Event))
STORE_FIELDS = ("status", "source_count", "source_scale", "fatalities_min", "fatalities_max", "created", "updated",
                "merged_into")
EDITABLE = tuple(f for f in EVENT_FIELDS if f not in ("event_id", "doc_id", "evidence")) + ("status",)
_EVENT_COLUMNS = {c.name for c in events.columns} - {"id"}
_INT_FIELDS = {"time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities", "injured"}
_BOOL_FIELDS = {"civilian_targeting", "claimed"}
_FLOAT_FIELDS = {"latitude", "longitude", "confidence"}
_SALIENCE = ("main", "background")


def resolve_url(url: str | None = None) -> str:
    """The database URL: the argument, else $SAHELWATCH_DB, else sqlite:///sahelwatch.db.

    A bare path means a SQLite file; ``postgresql://`` uses the psycopg (3) driver.
    """
    url = url or os.environ.get("SAHELWATCH_DB") or DEFAULT_URL
    if "://" not in url:
        return f"sqlite:///{url}"
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@functools.cache
def _alpha3(iso: int | None, country: str) -> str:
    import pycountry

    try:
        if iso:
            found = pycountry.countries.get(numeric=f"{int(iso):03d}")
            if found:
                return found.alpha_3
        if country:
            return pycountry.countries.lookup(country).alpha_3
    except (LookupError, ValueError):
        pass
    return "XXX"


def id_prefix(event: dict[str, Any]) -> str:
    """ACLED's event_id_cnty prefix: the ISO 3166 alpha-3 code of the event's country ("NER")."""
    return _alpha3(event.get("iso"), event.get("country") or "")


@dataclass
class IngestReport:
    """What one ingest run did."""

    documents_seen: int = 0
    documents_added: int = 0
    documents_skipped: int = 0  # already stored: same URL or same text
    events_extracted: int = 0
    events_added: int = 0  # new incidents
    events_linked: int = 0  # merged into an incident already stored
    errors: list[str] = field(default_factory=list)

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


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _iso(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)


class Store:
    """Documents, events, sources, merges and the audit log in one database."""

    def __init__(self, url: str | None = None, batch_docs: int = 16) -> None:
        self.url = resolve_url(url)
        self.batch_docs = batch_docs
        kwargs: dict[str, Any] = {}
        if self.url.startswith("postgresql"):
            kwargs["pool_pre_ping"] = True
        self.engine = sa.create_engine(self.url, **kwargs)
        self.dialect = self.engine.dialect.name
        if self.dialect == "sqlite":
            _sqlite_setup(self.engine)
        self._migrate()

    # ------------------------------------------------------------------ set-up
    def _migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(resources.files("sahelwatch.store").joinpath("migrations")))
        with _MIGRATE_LOCK, self._write() as conn:  # alembic's context is global: one migration at a time
            if self.dialect == "postgresql":  # and one process at a time per database
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(5512460)"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @contextlib.contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """A write transaction (BEGIN IMMEDIATE on SQLite, so two writers queue instead of deadlocking)."""
        with self.engine.connect() as conn:
            conn.execution_options(sahelwatch_write=True)
            with conn.begin():
                yield conn

    def close(self) -> None:
        if self.dialect == "sqlite":  # refresh the planner's statistics where they are stale (cheap)
            with contextlib.suppress(sa.exc.SQLAlchemyError), self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
        self.engine.dispose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ ingest
    def ingest(self, documents: Iterable[Document], progress: bool = False, n_process: int = 1,
               extract: Callable[[Iterable[Document]], Iterable[tuple[Document, list[Event]]]] | None = None,
               ) -> IngestReport:
        """Extract events from new documents, link them to stored incidents and store them.

        Idempotent: a document whose URL or text is already stored is skipped before extraction.
        Commits every ``batch_docs`` documents, so an interrupted run keeps what it committed.
        ``extract`` runs the pipeline elsewhere (e.g. ``sahelwatch.engine.extractor("dask")``);
        by default it runs here, on ``n_process`` processes.
        """
        from sahelwatch.ingest.files import InputError
        from sahelwatch.pipeline import extract_many

        report = IngestReport()
        total = len(documents) if isinstance(documents, Sequence) else None
        bar = _progress(progress and (total is None or total > 3), total)

        def fresh() -> Iterator[Document]:
            for item in documents:
                if isinstance(item, InputError):
                    report.errors.append(str(item))
                    continue
                report.documents_seen += 1
                if self.is_known(item):
                    report.documents_skipped += 1
                    bar.advance()
                    continue
                yield item

        with bar:
            batch: list[tuple[Document, list[Event]]] = []
            pairs = extract(fresh()) if extract is not None else extract_many(
                fresh(), n_process=n_process, on_error=lambda exc: report.errors.append(str(exc)))
            for pair in pairs:
                batch.append(pair)
                if len(batch) >= self.batch_docs:
                    report.merge(self.add_many(batch))
                    bar.advance(len(batch))
                    batch = []
            if batch:
                report.merge(self.add_many(batch))
                bar.advance(len(batch))
        return report

    def is_known(self, document: Document) -> bool:
        """True when a document with this URL or this text is already stored."""
        cond = documents.c.content_hash == document.content_hash
        if document.url:
            cond = sa.or_(cond, documents.c.url == document.url)
        with self.engine.connect() as conn:
            return conn.execute(sa.select(documents.c.id).where(cond).limit(1)).first() is not None

    def has_url(self, url: str) -> bool:
        """True when a document fetched from this URL is stored (lets feed watching skip known entries)."""
        with self.engine.connect() as conn:
            q = sa.select(documents.c.id).where(documents.c.url == url).limit(1)
            return conn.execute(q).first() is not None

    def add_extracted(self, document: Document, events_: list[Event]) -> list[str]:
        """Store one document and its extracted events (linked to stored incidents); the ids they now have.

        A document already stored (same URL or text) adds nothing; the ids of its events are returned.
        """
        ids: list[str] = []
        self.add_many([(document, events_)], _ids=ids)
        return ids

    def add_many(self, pairs: Sequence[tuple[Document, list[Event]]], _ids: list[str] | None = None,
                 fetched: str | None = None) -> IngestReport:
        """Store (document, events) pairs in one transaction, with dedup; the bulk path of ingest."""
        report = IngestReport()
        with self._write() as conn:
            self._add_batch(conn, pairs, report, _ids, fetched or _now())
        return report

    def _add_batch(self, conn: sa.Connection, pairs: Sequence[tuple[Document, list[Event]]], report: IngestReport,
                   ids_out: list[str] | None, now: str) -> None:
        # 1. documents: skip those already stored (URL or text), rename a reused doc_id with other text
        hashes = {d.content_hash for d, _ in pairs}
        urls = {d.url for d, _ in pairs if d.url}
        doc_ids = {d.doc_id for d, _ in pairs}
        known_hash: dict[str, str] = {}
        known_url: dict[str, str] = {}
        taken: set[str] = set()
        for chunk in _chunks(sorted(hashes), 500):
            for h, did in conn.execute(sa.select(documents.c.content_hash, documents.c.doc_id)
                                       .where(documents.c.content_hash.in_(chunk))):
                known_hash[h] = did
        for chunk in _chunks(sorted(urls), 500):
            q = sa.select(documents.c.url, documents.c.doc_id).where(documents.c.url.in_(chunk))
            for u, did in conn.execute(q):
                known_url[u] = did
        for chunk in _chunks(sorted(doc_ids), 500):
            taken.update(r[0] for r in conn.execute(sa.select(documents.c.doc_id).where(documents.c.doc_id.in_(chunk))))
        new_docs: list[dict[str, Any]] = []
        new_events: list[dict[str, Any]] = []
        for doc, evs in pairs:
            h = doc.content_hash
            existing = known_hash.get(h) or (known_url.get(doc.url) if doc.url else None)
            if existing:
                report.documents_skipped += 1
                if ids_out is not None:
                    ids_out += self._event_ids_of_doc(conn, existing)
                continue
            doc_id = doc.doc_id
            if doc_id in taken:
                doc_id = f"{doc.doc_id}-{h[:8]}"
            taken.add(doc_id)
            known_hash[h] = doc_id
            if doc.url:
                known_url[doc.url] = doc_id
            new_docs.append({"doc_id": doc_id, "text": doc.text, "title": doc.title, "url": doc.url,
                             "source": doc.source, "published": _iso(doc.published), "language": doc.language,
                             "fetched": now, "content_hash": h})
            report.documents_added += 1
            source = doc.source or (urlsplit(doc.url).hostname if doc.url else "") or ""
            for ev in evs:
                d = ev.to_dict() if isinstance(ev, Event) else dict(ev)
                d["doc_id"] = doc_id
                if not d.get("source"):
                    d["source"] = source
                new_events.append(d)
        if new_docs:
            conn.execute(documents.insert(), new_docs)
        report.events_extracted += len(new_events)
        if not new_events:
            return
        # 2. ids: one per extracted record, ACLED style (country prefix + number)
        by_prefix: dict[str, list[dict[str, Any]]] = {}
        for d in new_events:
            by_prefix.setdefault(id_prefix(d), []).append(d)
        for prefix, group in by_prefix.items():
            start = self._allocate(conn, prefix, len(group))
            for i, d in enumerate(group):
                d["event_id"] = f"{prefix}{start + i}"
        # 3. dedup: candidates from the store by (country, day window), blocked by country and week
        index = dedup.BlockIndex()
        for cand in self._candidates(conn, new_events):
            cand["_new_docs"] = set()
            index.add(cand)
        rows: list[dict[str, Any]] = []
        sources: list[dict[str, Any]] = []
        touched: dict[str, dict[str, Any]] = {}
        merge_rows: list[dict[str, Any]] = []
        for d in new_events:
            d["fatalities_min"] = d["fatalities_max"] = d.get("fatalities") or 0
            d["source_scale"] = dedup.source_scale_of(d.get("source"))
            d["source_count"] = 1
            match = None
            cands = [c for c in index.candidates(d) if d["doc_id"] not in c["_new_docs"]
                     and c.get("doc_id") != d["doc_id"]]
            if cands:
                match = dedup.best_match(d, cands)
            row = _event_row(d, now)
            rows.append(row)
            sources.append({"event_id": match["event_id"] if match else d["event_id"], "origin_event_id": d["event_id"],
                            "doc_id": d["doc_id"], "evidence": _json(d.get("evidence") or []),
                            "extracted": _json(_extracted(d))})
            if match is None:
                d["_new_docs"] = {d["doc_id"]}
                index.add(d)
                report.events_added += 1
                if ids_out is not None:
                    ids_out.append(d["event_id"])
                continue
            report.events_linked += 1
            row["merged_into"] = match["event_id"]
            before = {k: match.get(k) for k in _EVENT_COLUMNS if k in match}
            combined = dedup.combine([match, d])
            new_count = int(match.get("source_count") or 1) + 1
            match_docs = match["_new_docs"]
            match.update(combined)
            match["_new_docs"] = match_docs | {d["doc_id"]}
            match["source_count"] = new_count
            match["updated"] = now
            touched[match["event_id"]] = match
            merge_rows.append({"merge_id": uuid.uuid4().hex[:16], "kept_event_id": match["event_id"],
                               "absorbed": _json({d["event_id"]: [d["event_id"]]}), "before": _json(before),
                               "user": "sahelwatch-dedup", "automatic": True,
                               "score": dedup.match_score(d, before), "created": now, "undone": None})
            if ids_out is not None:
                ids_out.append(match["event_id"])
        # 4. write: new rows, then the kept events that gained sources
        new_ids = {r["event_id"] for r in rows}
        for r in rows:
            kept = touched.get(r["event_id"])
            if kept is not None:  # created in this batch and already merged into: write its combined form
                r.update(_event_row(kept, now, created=r["created"]))
        conn.execute(events.insert(), rows)
        conn.execute(event_sources.insert(), sources)
        updates = [dict(_event_row(m, now, created=m.get("created")), b_event_id=eid)
                   for eid, m in touched.items() if eid not in new_ids]
        if updates:
            cols = {k: sa.bindparam(k) for k in updates[0] if k not in ("b_event_id", "event_id", "created")}
            conn.execute(events.update().where(events.c.event_id == sa.bindparam("b_event_id")).values(cols), updates)
        if merge_rows:
            conn.execute(merges.insert(), merge_rows)
        self._register_names(conn, new_events)

    def _event_ids_of_doc(self, conn: sa.Connection, doc_id: str) -> list[str]:
        q = sa.select(event_sources.c.event_id).where(event_sources.c.doc_id == doc_id).order_by(event_sources.c.id)
        return list(dict.fromkeys(r[0] for r in conn.execute(q)))

    def _allocate(self, conn: sa.Connection, prefix: str, n: int) -> int:
        """Reserve n consecutive numbers for ids with this prefix; the first one (row-locked on PostgreSQL)."""
        self._insert_ignore(conn, id_counters, [{"prefix": prefix, "next": 1}])
        q = sa.select(id_counters.c.next).where(id_counters.c.prefix == prefix)
        if self.dialect == "postgresql":
            q = q.with_for_update()
        start = int(conn.execute(q).scalar_one())
        conn.execute(id_counters.update().where(id_counters.c.prefix == prefix).values(next=start + n))
        return start

    def _candidates(self, conn: sa.Connection, new_events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Stored, live events in the same country whose day falls in a new event's window (index range scans).

        Day-precise stored events are looked up in the new events' own windows; week- and month-precise
        ones in the widest window, so a batch of day-precise reports reads few rows.
        """
        days: dict[str, list[tuple[int, int]]] = {}
        for d in new_events:
            d["event_day"] = day = dedup.day_number(d.get("event_date"))
            if day is not None and d.get("country"):
                days.setdefault(d["country"], []).append((day, dedup.date_window(d.get("time_precision"))))
        widest = dedup.max_window()
        out: list[dict[str, Any]] = []
        live = (events.c.merged_into.is_(None), events.c.status != "rejected")
        for country, pairs in days.items():
            precise = _merge_ranges([(day - max(w, 1), day + max(w, 1)) for day, w in pairs])
            coarse = _merge_ranges([(day - widest, day + widest) for day, _ in pairs])
            for ranges, cond in ((precise, sa.or_(events.c.time_precision <= 1, events.c.time_precision.is_(None))),
                                 (coarse, events.c.time_precision > 1)):
                for lo, hi in ranges:
                    q = sa.select(events).where(events.c.country == country, events.c.event_day.between(lo, hi),
                                                cond, *live)
                    out += [_row_dict(r) for r in conn.execute(q).mappings()]
        return out

    def _register_names(self, conn: sa.Connection, evs: list[dict[str, Any]]) -> None:
        """Keep the actors and places tables up to date (insert the names not seen before)."""
        names: dict[str, int | None] = {}
        place_rows: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        for d in evs:
            for col, inter in (("actor1", "inter1"), ("actor2", "inter2")):
                if d.get(col):
                    names.setdefault(d[col], d.get(inter))
            for col in ("assoc_actor_1", "assoc_actor_2"):
                for n in (d.get(col) or "").split(";"):
                    if n.strip():
                        names.setdefault(n.strip(), None)
            key = tuple((d.get(c) or "") for c in ("country", "admin1", "admin2", "location"))
            if any(key):
                place_rows.setdefault(key, {"country": key[0], "admin1": key[1], "admin2": key[2],
                                            "location": key[3], "latitude": d.get("latitude"),
                                            "longitude": d.get("longitude"), "geo_precision": d.get("geo_precision")})
        if names:
            self._insert_ignore(conn, actors, [{"name": n[:300], "key": dedup.actor_key(n)[:300], "inter": i}
                                               for n, i in names.items()])
        if place_rows:
            self._insert_ignore(conn, places, list(place_rows.values()))

    def _insert_ignore(self, conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        conn.execute(insert(table).on_conflict_do_nothing(), rows)

    # ------------------------------------------------------------------ queries
    def _where(self, *, country: Any = None, admin1: Any = None, actor: str | None = None,
               event_type: Any = None, since: Any = None, until: Any = None, min_fatalities: int | None = None,
               bbox: Any = None, text: str | None = None, status: Any = None, claimed: bool | None = None,
               include_merged: bool = False) -> list[Any]:
        conds: list[Any] = []
        if not include_merged:
            conds.append(events.c.merged_into.is_(None))
        for col, value in ((events.c.country, country), (events.c.admin1, admin1), (events.c.event_type, event_type),
                           (events.c.status, status)):
            if value:
                conds.append(col.in_(list(value)) if isinstance(value, (list, tuple, set)) else col == value)
        if actor:
            # the names that match, from the small actors table, then the events of those names by index
            names = sa.select(actors.c.name).where(sa.func.lower(actors.c.name).like(f"%{actor.lower()}%"))
            conds.append(sa.or_(*(c.in_(names) for c in (
                events.c.actor1, events.c.actor2, events.c.assoc_actor_1, events.c.assoc_actor_2))))
        if since:
            conds.append(events.c.event_date >= _iso(since))
        if until:
            conds.append(events.c.event_date <= _iso(until))
        if min_fatalities is not None:
            conds.append(events.c.fatalities >= int(min_fatalities))
        if claimed is not None:
            conds.append(events.c.claimed == (sa.true() if claimed else sa.false()))
        if bbox:
            w, s, e, n = parse_bbox(bbox)
            if self.dialect == "postgresql":
                conds.append(sa.text("events.geom && ST_MakeEnvelope(:bw, :bs, :be, :bn, 4326)")
                             .bindparams(bw=w, bs=s, be=e, bn=n))
            elif self.dialect == "sqlite":
                conds.append(sa.text("events.id IN (SELECT id FROM events_rtree WHERE min_lon >= :bw AND max_lon <= :be"
                                     " AND min_lat >= :bs AND max_lat <= :bn)").bindparams(bw=w, bs=s, be=e, bn=n))
            else:
                conds += [events.c.longitude.between(w, e), events.c.latitude.between(s, n)]
        if text and text.strip():
            if self.dialect == "postgresql":
                match = sa.text("documents.tsv @@ websearch_to_tsquery('simple', :q)").bindparams(q=text)
                docs = sa.select(documents.c.doc_id).where(match)
            else:
                terms = " ".join('"' + t.replace('"', '""') + '"' for t in text.split())
                docs = sa.select(documents.c.doc_id).where(documents.c.id.in_(
                    sa.text("SELECT rowid FROM documents_fts WHERE documents_fts MATCH :q").bindparams(q=terms)
                    .columns(sa.column("rowid"))))
            conds.append(events.c.event_id.in_(sa.select(event_sources.c.event_id)
                                               .where(event_sources.c.doc_id.in_(docs))))
        return conds

    def query_events(self, *, limit: int | None = 100, offset: int = 0, **filters: Any) -> list[dict[str, Any]]:
        """Live (not merged-away) events matching the filters, newest first."""
        q = (sa.select(events).where(*self._where(**filters))
             .order_by(events.c.event_date.desc(), events.c.id.desc()).offset(offset))
        if limit is not None:
            q = q.limit(limit)
        with self.engine.connect() as conn:
            return [_row_dict(r) for r in conn.execute(q).mappings()]

    def count_events(self, **filters: Any) -> int:
        q = sa.select(sa.func.count()).select_from(events).where(*self._where(**filters))
        with self.engine.connect() as conn:
            return int(conn.execute(q).scalar_one())

    def iter_events(self, *, batch: int = 2000, newest_first: bool = False,
                    **filters: Any) -> Iterator[dict[str, Any]]:
        """All matching events, streamed from the database (for exports and trends over millions of rows);
        oldest first unless ``newest_first``."""
        order = (events.c.event_date.desc(), events.c.id.desc()) if newest_first else (events.c.event_date,
                                                                                          events.c.id)
        q = sa.select(events).where(*self._where(**filters)).order_by(*order)
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True, yield_per=batch).execute(q)
            for r in result.mappings():
                yield _row_dict(r)

    def get_event(self, event_id: str) -> dict[str, Any] | None:
        """One event with its sources (documents and evidence spans) and its audit trail."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(events).where(events.c.event_id == event_id)).mappings().first()
            if row is None:
                return None
            out = _row_dict(row)
            out["sources"] = self._sources(conn, event_id)
            out["audit"] = [
                {"action": a.action, "user": a.user, "at": a.at, "before": json.loads(a.before or "null"),
                 "after": json.loads(a.after or "null")}
                for a in conn.execute(sa.select(audit).where(audit.c.event_id == event_id).order_by(audit.c.id))]
            out["merges"] = [
                {"merge_id": m.merge_id, "absorbed": list(json.loads(m.absorbed)), "user": m.user,
                 "automatic": bool(m.automatic), "created": m.created, "undone": m.undone}
                for m in conn.execute(sa.select(merges).where(merges.c.kept_event_id == event_id)
                                      .order_by(merges.c.created))]
            return out

    def _sources(self, conn: sa.Connection, event_id: str) -> list[dict[str, Any]]:
        q = (sa.select(event_sources.c.doc_id, event_sources.c.evidence, event_sources.c.origin_event_id,
                       documents.c.title, documents.c.url, documents.c.source, documents.c.published)
             .join(documents, documents.c.doc_id == event_sources.c.doc_id, isouter=True)
             .where(event_sources.c.event_id == event_id).order_by(event_sources.c.id))
        return [{"doc_id": r.doc_id, "title": r.title, "url": r.url, "source": r.source, "published": r.published,
                 "origin_event_id": r.origin_event_id, "evidence": json.loads(r.evidence or "[]")}
                for r in conn.execute(q)]

    def get_document(self, doc_id: str) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(*(c for c in documents.c if c.name != "id"))
                               .where(documents.c.doc_id == doc_id)).mappings().first()
            if row is None:
                return None
            out = dict(row)
            out["events"] = self._event_ids_of_doc(conn, doc_id)
            return out

    def count_documents(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one())

    def stats(self, by: str, period: str = "month", **filters: Any) -> list[dict[str, Any]]:
        """Events, fatalities and civilian fatalities grouped by month|week|country|admin1|actor|event_type."""
        if by == "period":
            by = period
        civ = sa.func.sum(sa.case((events.c.civilian_targeting == sa.true(), events.c.fatalities), else_=0))
        aggs = (sa.func.count().label("events"), sa.func.coalesce(sa.func.sum(events.c.fatalities), 0).label("f"),
                sa.func.coalesce(civ, 0).label("c"))
        where = self._where(**filters)
        keys: list[Any]
        if by == "month":
            keys = [sa.func.substr(events.c.event_date, 1, 7)]
        elif by == "week":
            keys = [events.c.event_day - (events.c.event_day + 3) % 7]
        elif by in ("country", "admin1", "event_type"):
            keys = [events.c[by]]
        elif by == "actor":
            keys = [events.c.actor1, events.c.actor2]
        else:
            raise ValueError(f"stats by {by!r}: choose month, week, country, admin1, actor or event_type")
        totals: dict[Any, list[int]] = {}
        with self.engine.connect() as conn:
            for key in keys:
                q = sa.select(key.label("key"), *aggs).where(*where, key.is_not(None)).group_by(key)
                for r in conn.execute(q):
                    if r.key in ("", None):
                        continue
                    t = totals.setdefault(r.key, [0, 0, 0])
                    t[0] += int(r.events)
                    t[1] += int(r.f)
                    t[2] += int(r.c)
        rows = []
        for key, (n, f, c) in totals.items():
            if by == "week":
                key = (dedup.EPOCH + dt.timedelta(days=int(key))).isoformat()
            rows.append({"key": key, "events": n, "fatalities": f, "civilian_fatalities": c})
        if by in ("month", "week"):
            rows.sort(key=lambda r: r["key"])
        else:
            rows.sort(key=lambda r: (-r["events"], str(r["key"])))
        return rows

    # ------------------------------------------------------------------ review
    def update_event(self, event_id: str, changes: dict[str, Any], user: str) -> dict[str, Any]:
        """Edit fields and/or the status of an event; the change is audited (who, when, before, after)."""
        if not changes:
            raise ValueError("no changes given")
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise ValueError(f"unknown or read-only field(s): {', '.join(unknown)}; editable: {', '.join(EDITABLE)}")
        with self._write() as conn:
            current = self._live(conn, event_id)
            values = {k: _validate(k, v) for k, v in changes.items()}
            merged = {**current, **values}
            if {"event_type", "sub_event_type"} & set(values):
                from sahelwatch import codebook

                if merged.get("event_type") or merged.get("sub_event_type"):
                    try:
                        codebook.check(merged.get("event_type") or "", merged.get("sub_event_type") or "")
                    except ValueError as exc:
                        raise ValueError(f"{exc}; change event_type and sub_event_type together") from None
                    if "disorder_type" not in values:
                        values["disorder_type"] = codebook.disorder_type(merged["event_type"])
            if {"inter1", "inter2"} & set(values) and "interaction" not in values:
                from sahelwatch import codebook

                values["interaction"] = codebook.interaction(merged.get("inter1"), merged.get("inter2"))
            if "event_date" in values:
                values["event_day"] = dedup.day_number(values["event_date"])
            if "fatalities" in values:
                low = current.get("fatalities_min")
                values["fatalities_min"] = min(values["fatalities"], values["fatalities"] if low is None else low)
                values["fatalities_max"] = max(values["fatalities"], current.get("fatalities_max") or 0)
            values["updated"] = _now()
            before = {k: current.get(k) for k in changes}
            conn.execute(events.update().where(events.c.event_id == event_id).values(values))
            self._register_names(conn, [{**current, **values}])  # an edited actor can be filtered on
            self._audit(conn, event_id, "status" if set(changes) == {"status"} else "edit", user, before,
                        {k: values[k] for k in changes})
        return self.get_event(event_id)  # type: ignore[return-value]

    def _live(self, conn: sa.Connection, event_id: str, allow_merged: bool = False) -> dict[str, Any]:
        row = conn.execute(sa.select(events).where(events.c.event_id == event_id)).mappings().first()
        if row is None:
            raise KeyError(f"no event {event_id!r}")
        d = _row_dict(row)
        if d.get("merged_into") and not allow_merged:
            raise ValueError(f"event {event_id} was merged into {d['merged_into']}; work on that event")
        return d

    def _audit(self, conn: sa.Connection, event_id: str, action: str, user: str, before: Any, after: Any) -> None:
        conn.execute(audit.insert().values(event_id=event_id, action=action, user=user, at=_now(),
                                           before=_json(before), after=_json(after)))

    def merge_events(self, event_ids: list[str], user: str) -> dict[str, Any]:
        """Merge events into the first one (it keeps every source and evidence span); undoable."""
        ids = list(dict.fromkeys(event_ids))
        if len(ids) < 2:
            raise ValueError("merge needs at least two different event ids")
        now = _now()
        with self._write() as conn:
            recs = [self._live(conn, e) for e in ids]
            kept = recs[0]
            combined = dedup.combine(recs)
            absorbed: dict[str, list[str]] = {}
            for other in recs[1:]:
                origins = [r[0] for r in conn.execute(sa.select(event_sources.c.origin_event_id)
                                                      .where(event_sources.c.event_id == other["event_id"]))]
                absorbed[other["event_id"]] = origins
                conn.execute(event_sources.update().where(event_sources.c.event_id == other["event_id"])
                             .values(event_id=kept["event_id"]))
                conn.execute(events.update().where(events.c.event_id == other["event_id"])
                             .values(merged_into=kept["event_id"], updated=now))
            combined["source_count"] = self._source_count(conn, kept["event_id"])
            combined["status"] = kept.get("status") or "unreviewed"
            conn.execute(events.update().where(events.c.event_id == kept["event_id"])
                         .values(_event_row(combined, now, created=kept.get("created"))))
            merge_id = uuid.uuid4().hex[:16]
            conn.execute(merges.insert().values(merge_id=merge_id, kept_event_id=kept["event_id"],
                                                absorbed=_json(absorbed), before=_json(kept), user=user,
                                                automatic=False, created=now))
            self._audit(conn, kept["event_id"], "merge", user, {"event_ids": ids[1:]}, {"merge_id": merge_id})
            for other in ids[1:]:
                self._audit(conn, other, "merged", user, None, {"merged_into": kept["event_id"], "merge_id": merge_id})
        out = self.get_event(kept["event_id"])
        assert out is not None
        out["merge_id"] = merge_id
        return out

    def _source_count(self, conn: sa.Connection, event_id: str) -> int:
        q = sa.select(sa.func.count(sa.distinct(event_sources.c.doc_id))).where(event_sources.c.event_id == event_id)
        return int(conn.execute(q).scalar_one())

    def _recompute(self, conn: sa.Connection, event_id: str, now: str) -> None:
        """Rebuild an event from the records extracted from its remaining sources, keeping what reviewers set
        (status and edited fields)."""
        current = self._live(conn, event_id)
        srcs = conn.execute(sa.select(event_sources.c.origin_event_id, event_sources.c.extracted)
                            .where(event_sources.c.event_id == event_id).order_by(event_sources.c.id)).all()
        records = [json.loads(s.extracted) for s in srcs if s.origin_event_id == event_id]
        records += [json.loads(s.extracted) for s in srcs if s.origin_event_id != event_id]
        if not records:
            return
        combined = dedup.combine(records)
        edited: set[str] = set()
        for a in conn.execute(sa.select(audit.c.after).where(audit.c.event_id == event_id,
                                                             audit.c.action == "edit")):
            edited |= set(json.loads(a.after or "{}"))
        for k in edited:
            combined[k] = current.get(k)
        combined["event_id"] = event_id
        combined["status"] = current.get("status") or "unreviewed"
        combined["source_count"] = self._source_count(conn, event_id)
        row = _event_row(combined, now, created=current.get("created"))
        row.pop("merged_into", None)
        conn.execute(events.update().where(events.c.event_id == event_id).values(row))

    def undo_merge(self, merge_id: str, user: str) -> list[dict[str, Any]]:
        """Undo a merge (automatic or by hand): the absorbed events come back with their sources."""
        now = _now()
        with self._write() as conn:
            m = conn.execute(sa.select(merges).where(merges.c.merge_id == merge_id)).first()
            if m is None:
                raise KeyError(f"no merge {merge_id!r}")
            if m.undone:
                raise ValueError(f"merge {merge_id} was already undone at {m.undone}")
            kept = self._live(conn, m.kept_event_id, allow_merged=True)
            if kept.get("merged_into"):
                raise ValueError(f"event {m.kept_event_id} was merged into {kept['merged_into']} since; "
                                 "undo that merge first")
            absorbed: dict[str, list[str]] = json.loads(m.absorbed)
            for other, origins in absorbed.items():
                conn.execute(event_sources.update().where(event_sources.c.event_id == m.kept_event_id,
                                                          event_sources.c.origin_event_id.in_(origins))
                             .values(event_id=other))
                conn.execute(events.update().where(events.c.event_id == other).values(merged_into=None, updated=now))
                self._audit(conn, other, "unmerged", user, {"merged_into": m.kept_event_id}, {"merge_id": merge_id})
            self._recompute(conn, m.kept_event_id, now)
            conn.execute(merges.update().where(merges.c.merge_id == merge_id).values(undone=now))
            self._audit(conn, m.kept_event_id, "undo_merge", user, {"merge_id": merge_id},
                        {"restored": list(absorbed)})
        return [self.get_event(e) for e in (m.kept_event_id, *absorbed)]  # type: ignore[misc]

    def split_event(self, event_id: str, doc_ids: list[str], user: str) -> list[dict[str, Any]]:
        """Move the given documents' sources out of an event into a new event; both are rebuilt from their
        sources. Returns [the event, the new event]."""
        now = _now()
        with self._write() as conn:
            current = self._live(conn, event_id)
            srcs = conn.execute(sa.select(event_sources.c.id, event_sources.c.doc_id, event_sources.c.extracted)
                                .where(event_sources.c.event_id == event_id).order_by(event_sources.c.id)).all()
            have = {s.doc_id for s in srcs}
            missing = sorted(set(doc_ids) - have)
            if missing:
                raise ValueError(f"event {event_id} has no source document(s) {', '.join(missing)}; "
                                 f"its sources: {', '.join(sorted(have))}")
            moving = [s for s in srcs if s.doc_id in set(doc_ids)]
            if not moving or len(moving) == len(srcs):
                raise ValueError("split must move some but not all of the event's source documents")
            combined = dedup.combine([json.loads(s.extracted) for s in moving])
            prefix = id_prefix(current)
            new_id = f"{prefix}{self._allocate(conn, prefix, 1)}"
            combined.update(event_id=new_id, status="unreviewed", source_count=len({s.doc_id for s in moving}),
                            doc_id=moving[0].doc_id)
            row = _event_row(combined, now)
            row["merged_into"] = None
            conn.execute(events.insert().values(row))
            conn.execute(event_sources.update().where(event_sources.c.id.in_([s.id for s in moving]))
                         .values(event_id=new_id))
            self._recompute(conn, event_id, now)
            self._audit(conn, event_id, "split", user, {"doc_ids": sorted(have)},
                        {"new_event_id": new_id, "doc_ids": sorted(set(doc_ids))})
            self._audit(conn, new_id, "split_from", user, None, {"event_id": event_id, "doc_ids": sorted(set(doc_ids))})
        return [self.get_event(event_id), self.get_event(new_id)]  # type: ignore[list-item]


# ---------------------------------------------------------------------- helpers
def _sqlite_setup(engine: sa.Engine) -> None:
    """WAL, a busy timeout, and transactions whose kind the caller picks (BEGIN IMMEDIATE for writes)."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=60000", "cache_size=-65536",
                       "temp_store=MEMORY"):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("sahelwatch_write") else "BEGIN")


class _NoProgress:
    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def advance(self, n: int = 1) -> None:
        return None


class _Progress(_NoProgress):
    def __init__(self, total: int | None) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("ingesting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                                 console=Console(stderr=True), transient=False)
        self.task = self.progress.add_task("ingest", total=total)

    def __enter__(self) -> Self:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def advance(self, n: int = 1) -> None:
        self.progress.advance(self.task, n)


def _progress(show: bool, total: int | None) -> _NoProgress:
    return _Progress(total) if show else _NoProgress()


def parse_bbox(bbox: Any) -> tuple[float, float, float, float]:
    """W,S,E,N (string or sequence of four numbers) -> floats; ValueError naming what is wrong."""
    parts = bbox.split(",") if isinstance(bbox, str) else list(bbox)
    try:
        w, s, e, n = (float(p) for p in parts)
    except (TypeError, ValueError):
        raise ValueError(f"bbox {bbox!r}: want four numbers W,S,E,N (west, south, east, north)") from None
    if not (-180 <= w <= e <= 180 and -90 <= s <= n <= 90):
        raise ValueError(f"bbox {bbox!r}: want -180 <= W <= E <= 180 and -90 <= S <= N <= 90")
    return w, s, e, n


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(a, b) for a, b in out]


def _extracted(d: dict[str, Any]) -> dict[str, Any]:
    return {k: d.get(k) for k in EVENT_FIELDS}


def _event_row(d: dict[str, Any], now: str, created: str | None = None) -> dict[str, Any]:
    """An event dict -> the values of its row in ``events``."""
    row = {k: d.get(k) for k in _EVENT_COLUMNS}
    ev = d.get("evidence") or []
    row["evidence"] = ev if isinstance(ev, str) else _json([e if isinstance(e, dict) else e.to_dict() for e in ev])
    row["event_day"] = dedup.day_number(d.get("event_date"))
    row["status"] = d.get("status") or "unreviewed"
    row["source_count"] = d.get("source_count") or 1
    row["fatalities"] = d.get("fatalities") or 0
    row["fatalities_min"] = d["fatalities_min"] if d.get("fatalities_min") is not None else row["fatalities"]
    row["fatalities_max"] = d["fatalities_max"] if d.get("fatalities_max") is not None else row["fatalities"]
    row["created"] = created or d.get("created") or now
    row["updated"] = now
    for k in _BOOL_FIELDS:
        row[k] = bool(d.get(k))
    return row


def _row_dict(row: Any) -> dict[str, Any]:
    """A row of ``events`` -> the event dict of the public API."""
    d = {k: row[k] for k in (*EVENT_FIELDS, *STORE_FIELDS) if k != "evidence"}
    d["evidence"] = json.loads(row["evidence"] or "[]")
    for k in _BOOL_FIELDS:
        d[k] = bool(d[k])
    return d


def _validate(name: str, value: Any) -> Any:
    """One edited value, checked and converted; ValueError saying what is wrong."""
    if name == "status":
        if value not in STATUSES:
            raise ValueError(f"status {value!r}: want one of {', '.join(STATUSES)}")
        return value
    if value is None and name in {"inter1", "inter2", "interaction", "iso", "injured", "latitude", "longitude",
                                  "geo_precision"}:
        return None
    if name in _INT_FIELDS:
        if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().lstrip("-").isdigit():
            raise ValueError(f"{name} {value!r}: want a whole number")
        value = int(value)
        if name in ("fatalities", "injured") and value < 0:
            raise ValueError(f"{name} {value}: cannot be negative")
        if name == "time_precision" and value not in (1, 2, 3):
            raise ValueError(f"time_precision {value}: want 1 (day), 2 (week) or 3 (month)")
        if name == "geo_precision" and value not in (1, 2, 3):
            raise ValueError(f"geo_precision {value}: want 1, 2 or 3")
        return value
    if name in _FLOAT_FIELDS:
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name} {value!r}: want a number") from None
        limit = {"latitude": 90, "longitude": 180, "confidence": 1}[name]
        low = 0 if name == "confidence" else -limit
        if not low <= value <= limit:
            raise ValueError(f"{name} {value}: want a number between {low} and {limit}")
        return value
    if name in _BOOL_FIELDS:
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "1", "yes"):
            return True
        if str(value).lower() in ("false", "0", "no"):
            return False
        raise ValueError(f"{name} {value!r}: want true or false")
    if name == "event_date":
        if dedup.day_number(value) is None or len(str(value)) != 10:
            raise ValueError(f"event_date {value!r}: want a date YYYY-MM-DD")
        return str(value)
    if name == "salience" and value not in _SALIENCE:
        raise ValueError(f"salience {value!r}: want main or background")
    if not isinstance(value, str):
        raise ValueError(f"{name} {value!r}: want text")  # noqa: TRY004 - the API promises ValueError
    return value
