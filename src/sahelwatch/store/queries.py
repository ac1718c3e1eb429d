"""Reading the store: events by filters (newest first, counted, streamed), one event with its sources and
audit trail, one document, and statistics by period, place, actor or type."""
from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from sahelwatch import dedup
from sahelwatch.store.db import Database
from sahelwatch.store.records import (
    EVENT_FIELDS,
    STORE_FIELDS,
    AuditRecord,
    DocumentRecord,
    EventDetail,
    MergeRecord,
    SourceRecord,
    StatRow,
    StoredEvent,
    iso_date,
    stored_event,
    stored_events,
)
from sahelwatch.store.schema import actors, audit, documents, event_sources, events, merges

STATS_BY = ("month", "week", "country", "admin1", "actor", "event_type")


@dataclass(frozen=True)
class EventFilter:
    """What `sahelwatch events` and GET /api/events filter on (unset: no condition)."""

    country: str | tuple[str, ...] | list[str] | None = None
    admin1: str | None = None
    actor: str | None = None
    event_type: str | list[str] | None = None
    since: dt.date | str | None = None
    until: dt.date | str | None = None
    min_fatalities: int | None = None
    bbox: Any = None
    text: str | None = None
    status: str | list[str] | None = None
    claimed: bool | None = None
    confirmed: bool | None = None  # a source other than a claim or the claimant's own reports it
    min_sources: int | None = None  # at least this many independent sources
    include_merged: bool = False

    def __post_init__(self) -> None:  # lists become tuples: a filter is a cache key
        for name in ("country", "event_type", "status", "bbox"):
            value = getattr(self, name)
            if isinstance(value, list | set):
                object.__setattr__(self, name, tuple(value))


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


def like_pattern(text: str) -> str:
    """``%text%`` for LIKE ... ESCAPE '\\', with the wildcards % and _ in ``text`` matched as themselves."""
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


ACTOR_COLUMNS = (events.c.actor1, events.c.actor2, events.c.assoc_actor_1, events.c.assoc_actor_2)
NEWEST_FIRST = (events.c.event_date.desc(), events.c.id.desc())
# An actor filter's page reads the newest events of each (actor column, matching name) from its index and
# merges them; a substring matching more names than this is read the plain way.
MAX_ACTOR_READS = 48
_EQUAL = ("country", "admin1", "event_type", "status")
_COMPARED = {"since": lambda p: events.c.event_date >= p, "until": lambda p: events.c.event_date <= p,
             "min_fatalities": lambda p: events.c.fatalities >= p}


def actor_names(text: str) -> sa.Select:
    """The names in the (small) actors table that contain ``text``, whatever the case."""
    return sa.select(actors.c.name).where(sa.func.lower(actors.c.name).like(
        sa.bindparam("actor_like", like_pattern(text)), escape="\\"))


def where(db: Database, f: EventFilter) -> list[Any]:
    """The SQL conditions of a filter."""
    conds = where_but_actor(db, f)
    if f.actor:
        # the names that match, from the small actors table, then the events of those names by index
        names = actor_names(f.actor)
        conds.append(sa.or_(*(c.in_(names) for c in ACTOR_COLUMNS)))
    return conds


def where_but_actor(db: Database, f: EventFilter) -> list[Any]:
    """The SQL conditions of a filter, its actor left out."""
    return _conditions(db, *filter_terms(db, f))


def filter_terms(db: Database, f: EventFilter) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """A filter (its actor left out) as its shape, which conditions apply, and the values of their parameters:
    filters of one shape share one statement, built once (see ``_statement``)."""
    shape: list[Any] = [] if f.include_merged else ["live"]
    values: dict[str, Any] = {}
    for name in _EQUAL:
        value = getattr(f, name)
        if value:
            many = isinstance(value, (list, tuple, set))
            shape.append((name, many))
            values[name] = list(value) if many else value
    for name, value in (("since", iso_date(f.since)), ("until", iso_date(f.until)),
                        ("min_fatalities", None if f.min_fatalities is None else int(f.min_fatalities))):
        if value is not None:
            shape.append(name)
            values[name] = value
    if f.claimed is not None:
        shape.append(("claimed", bool(f.claimed)))
    if f.confirmed is not None:
        shape.append(("confirmed", bool(f.confirmed)))
    if f.min_sources is not None:
        shape.append("min_sources")
        values["min_sources"] = int(f.min_sources)
    if f.bbox:
        shape.append("bbox")
        values.update(zip(("bw", "bs", "be", "bn"), parse_bbox(f.bbox)))
    if f.text and f.text.strip():
        shape.append("text")
        values["q"] = f.text if db.dialect == "postgresql" else " ".join(
            '"' + t.replace('"', '""') + '"' for t in f.text.split())
    return tuple(shape), values


def _conditions(db: Database, shape: tuple[Any, ...], values: dict[str, Any]) -> list[Any]:
    """The SQL conditions of a filter's shape, their parameters bound to ``values`` (a statement built from
    them runs with other values of the same shape given at execution)."""
    conds: list[Any] = []
    for term in shape:
        name, arg = term if isinstance(term, tuple) else (term, None)
        if name == "live":
            conds.append(events.c.merged_into.is_(None))
        elif name in _EQUAL:
            param = sa.bindparam(name, values[name], expanding=arg)
            conds.append(events.c[name].in_(param) if arg else events.c[name] == param)
        elif name in _COMPARED:
            conds.append(_COMPARED[name](sa.bindparam(name, values[name])))
        elif name == "claimed":
            conds.append(events.c.claimed == (sa.true() if arg else sa.false()))
        elif name == "confirmed":  # a source other than the claimant confirms it
            has = sa.func.coalesce(events.c.confirmed_by, "") != ""
            conds.append(has if arg else sa.not_(has))
        elif name == "min_sources":
            conds.append(sa.func.coalesce(events.c.independent_sources, events.c.source_count)
                         >= sa.bindparam("min_sources", values["min_sources"]))
        elif name == "bbox":
            conds += _in_bbox(db, tuple(values[k] for k in ("bw", "bs", "be", "bn")))
        elif name == "text":
            conds.append(events.c.event_id.in_(sa.select(event_sources.c.event_id)
                                               .where(event_sources.c.doc_id.in_(_matching_documents(db, values["q"])))))
    return conds


def _in_bbox(db: Database, box: tuple[float, ...]) -> list[Any]:
    w, s, e, n = box
    if db.dialect == "postgresql":
        return [sa.text("events.geom && ST_MakeEnvelope(:bw, :bs, :be, :bn, 4326)").bindparams(bw=w, bs=s, be=e, bn=n)]
    if db.dialect == "sqlite":
        return [sa.text("events.id IN (SELECT id FROM events_rtree WHERE min_lon >= :bw AND max_lon <= :be"
                        " AND min_lat >= :bs AND max_lat <= :bn)").bindparams(bw=w, bs=s, be=e, bn=n)]
    return [events.c.longitude.between(sa.bindparam("bw", w), sa.bindparam("be", e)),
            events.c.latitude.between(sa.bindparam("bs", s), sa.bindparam("bn", n))]


def _matching_documents(db: Database, q: str) -> Any:
    """doc_ids of the documents containing the words of ``q`` (full-text index; on SQLite, ``q`` is an FTS5
    query of quoted words, see ``filter_terms``)."""
    if db.dialect == "postgresql":
        return sa.select(documents.c.doc_id).where(
            sa.text("documents.tsv @@ websearch_to_tsquery('simple', :q)").bindparams(q=q))
    return sa.select(documents.c.doc_id).where(documents.c.id.in_(
        sa.text("SELECT rowid FROM documents_fts WHERE documents_fts MATCH :q").bindparams(q=q)
        .columns(sa.column("rowid"))))


def page_query(db: Database, f: EventFilter, limit: int | None = 100, offset: int = 0) -> sa.Select:
    """The SELECT of a page of events matching ``f``, newest first (the plain way: one pass over ``where``)."""
    q = sa.select(events).where(*where(db, f)).order_by(*NEWEST_FIRST).offset(offset)
    return q if limit is None else q.limit(limit)


_STATEMENTS: dict[tuple[Any, ...], Any] = {}


def _statement(key: tuple[Any, ...], build: Any) -> Any:
    """The statement ``build()`` makes for ``key`` (a filter's shape and the query's kind), built once: running
    a built statement with new values costs a fraction of building and keying a new one."""
    stmt = _STATEMENTS.get(key)
    if stmt is None:
        if len(_STATEMENTS) >= 1024:
            _STATEMENTS.clear()
        stmt = _STATEMENTS[key] = build()
    return stmt


def _page(conn: sa.Connection, db: Database, f: EventFilter, columns: str, limit: int | None,
          offset: int) -> sa.Result:
    """A page of events matching ``f``, newest first: ``columns`` "public" (PUBLIC_COLUMNS) or "all".

    With an actor filter, the page's ids come from reading, for each actor column and each matching name, its
    newest ``offset + limit`` events from the column's index (stopping there), then merging those: a few
    hundred index entries instead of every event of the actor fetched and sorted."""
    shape, values = filter_terms(db, f)
    values.update(limit=limit, offset=offset)
    cols = PUBLIC_COLUMNS if columns == "public" else (events,)
    names = _names(conn, f)
    if names is None or limit is None or len(names) * len(ACTOR_COLUMNS) > MAX_ACTOR_READS:
        def plain() -> sa.Select:
            q = sa.select(*cols).where(*where(db, f)).order_by(*NEWEST_FIRST).offset(sa.bindparam("offset"))
            return q if limit is None else q.limit(sa.bindparam("limit"))

        values["actor_like"] = like_pattern(f.actor or "")
        return conn.execute(_statement(("page", db.dialect, columns, shape, bool(f.actor), limit is None), plain), values)
    if not names:
        return conn.execute(sa.select(*cols).where(sa.false()))
    values.update({f"name{i}": name for i, name in enumerate(names)}, first=offset + limit)

    def newest() -> sa.Select:
        base = _conditions(db, shape, values)
        reads = [sa.select(events.c.event_date, events.c.id).where(*base, col == sa.bindparam(f"name{i}"))
                 .order_by(*NEWEST_FIRST).limit(sa.bindparam("first")).subquery().select()
                 for col in ACTOR_COLUMNS for i in range(len(names))]
        merged = sa.union(*reads).subquery() if len(reads) > 1 else reads[0].subquery()
        ids = (sa.select(merged.c.id).order_by(merged.c.event_date.desc(), merged.c.id.desc())
               .limit(sa.bindparam("limit")).offset(sa.bindparam("offset")))
        return sa.select(*cols).where(events.c.id.in_(ids)).order_by(*NEWEST_FIRST)

    return conn.execute(_statement(("actor page", db.dialect, columns, shape, len(names)), newest), values)


def _names(conn: sa.Connection, f: EventFilter) -> list[str] | None:
    """The actor names ``f.actor`` matches (None: no actor filter)."""
    if not f.actor:
        return None
    q = _statement(("actor names",), lambda: actor_names(""))
    return [r[0] for r in conn.execute(q, {"actor_like": like_pattern(f.actor)})]


PUBLIC_COLUMNS = tuple(events.c[k] for k in (*EVENT_FIELDS, *STORE_FIELDS))
PUBLIC_NAMES = tuple(str.__str__(c.name) for c in PUBLIC_COLUMNS)  # plain str (serialisers slow down on subclasses)


def page_rows(db: Database, f: EventFilter, limit: int = 100, offset: int = 0) -> tuple[tuple[str, ...], list[Any]]:
    """(column names, rows) of a page of events, newest first, as the database gives them (evidence as JSON
    text): the API's read path serialises these without building an event record per row."""
    with db.engine.connect() as conn:
        return PUBLIC_NAMES, list(_page(conn, db, f, "public", limit, offset).all())


def query_events(db: Database, f: EventFilter, limit: int | None = 100, offset: int = 0) -> list[StoredEvent]:
    """Live (not merged-away) events matching the filter, newest first."""
    with db.engine.connect() as conn:
        result = _page(conn, db, f, "all", limit, offset)
        return stored_events(tuple(result.keys()), result.all())


def count_events(db: Database, f: EventFilter) -> int:
    """How many events match ``f``. An actor filter is counted as four disjoint parts (the events the names
    match in actor1; in actor2 but not actor1; ...), each from its column's index, instead of one pass
    that fetches every event of the actor to drop the ones two columns both match."""
    shape, values = filter_terms(db, f)
    with db.engine.connect() as conn:
        names = _names(conn, f)
        if names is None:
            q = _statement(("count", db.dialect, shape), lambda: sa.select(sa.func.count()).select_from(events)
                           .where(*_conditions(db, shape, values)))
            return int(conn.execute(q, values).scalar_one())
        if not names:
            return 0
        values["names"] = names

        def parts() -> sa.Select:
            base, param = _conditions(db, shape, values), sa.bindparam("names", names, expanding=True)
            counts = [sa.select(sa.func.count()).select_from(events).where(
                *base, col.in_(param), *(sa.or_(c.is_(None), c.not_in(param)) for c in ACTOR_COLUMNS[:i]))
                .scalar_subquery() for i, col in enumerate(ACTOR_COLUMNS)]
            return sa.select(counts[0] + counts[1] + counts[2] + counts[3])

        return int(conn.execute(_statement(("actor count", db.dialect, shape), parts), values).scalar_one())


_STAMP = sa.select(sa.select(sa.func.max(events.c.id)).scalar_subquery(),
                   sa.select(sa.func.max(audit.c.id)).scalar_subquery())


def data_stamp(db: Database) -> tuple[int, int]:
    """Changes whenever the events change, in this process or another: every insert raises the largest
    event row id, every review (edit, merge, split, undo) adds an audit row. Two primary-key lookups."""
    with db.engine.connect() as conn:
        last_event, last_audit = conn.execute(_STAMP).one()
    return int(last_event or 0), int(last_audit or 0)


class CountCache:
    """Counts per filter, kept while the data stamp stays the same (a count scans every matching row;
    the stamp is two index lookups), so a page of events need not count again on every request. When full,
    the count used least recently goes: one-off filters (a random period) never push out the regular ones."""

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._items: OrderedDict[EventFilter, tuple[tuple[int, int], int]] = OrderedDict()
        self._lock = threading.Lock()

    def count(self, db: Database, f: EventFilter) -> int:
        stamp = data_stamp(db)
        with self._lock:
            hit = self._items.get(f)
            if hit is not None and hit[0] == stamp:
                self._items.move_to_end(f)
                return hit[1]
        n = count_events(db, f)
        with self._lock:
            self._items[f] = (stamp, n)
            self._items.move_to_end(f)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return n


def iter_events(db: Database, f: EventFilter, batch: int = 2000, newest_first: bool = False) -> Iterator[StoredEvent]:
    """All matching events, streamed from the database (for exports and trends over millions of rows)."""
    order = (events.c.event_date.desc(), events.c.id.desc()) if newest_first else (events.c.event_date, events.c.id)
    q = sa.select(events).where(*where(db, f)).order_by(*order)
    with db.engine.connect() as conn:
        result = conn.execution_options(stream_results=True, yield_per=batch).execute(q)
        keys = tuple(result.keys())
        for rows in result.partitions():
            yield from stored_events(keys, rows)


def get_event(db: Database, event_id: str) -> EventDetail | None:
    """One event with its sources (documents and evidence spans), its audit trail and its merges."""
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(events).where(events.c.event_id == event_id)).mappings().first()
        if row is None:
            return None
        out: EventDetail = {**stored_event(row), "sources": sources(conn, event_id)}  # type: ignore[typeddict-item]
        out["audit"] = [AuditRecord(action=a.action, user=a.user, at=a.at, before=json.loads(a.before or "null"),
                                    after=json.loads(a.after or "null"))
                        for a in conn.execute(sa.select(audit).where(audit.c.event_id == event_id).order_by(audit.c.id))]
        out["merges"] = [MergeRecord(merge_id=m.merge_id, absorbed=list(json.loads(m.absorbed)), user=m.user,
                                     automatic=bool(m.automatic), created=m.created, undone=m.undone,
                                     reason=json.loads(m.reason) if m.reason else None)
                         for m in conn.execute(sa.select(merges).where(merges.c.kept_event_id == event_id)
                                               .order_by(merges.c.created))]
        return out


def sources(conn: sa.Connection, event_id: str) -> list[SourceRecord]:
    q = (sa.select(event_sources.c.doc_id, event_sources.c.evidence, event_sources.c.origin_event_id,
                   event_sources.c.link_reason, documents.c.title, documents.c.url, documents.c.source, documents.c.published)
         .join(documents, documents.c.doc_id == event_sources.c.doc_id, isouter=True)
         .where(event_sources.c.event_id == event_id).order_by(event_sources.c.id))
    return [SourceRecord(doc_id=r.doc_id, title=r.title, url=r.url, source=r.source, published=r.published,
                         origin_event_id=r.origin_event_id, evidence=json.loads(r.evidence or "[]"),
                         link_reason=json.loads(r.link_reason) if r.link_reason else None)
            for r in conn.execute(q)]


def event_ids_of_doc(conn: sa.Connection, doc_id: str) -> list[str]:
    """The events a document supports, in the order its events were stored."""
    q = sa.select(event_sources.c.event_id).where(event_sources.c.doc_id == doc_id).order_by(event_sources.c.id)
    return list(dict.fromkeys(r[0] for r in conn.execute(q)))


def get_document(db: Database, doc_id: str) -> DocumentRecord | None:
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(*(c for c in documents.c if c.name != "id"))
                           .where(documents.c.doc_id == doc_id)).mappings().first()
        if row is None:
            return None
        return DocumentRecord(**row, events=event_ids_of_doc(conn, doc_id))  # type: ignore[typeddict-item]


def count_documents(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(documents)).scalar_one())


def _stat_keys(by: str) -> list[Any]:
    if by == "month":
        return [sa.func.substr(events.c.event_date, 1, 7)]
    if by == "week":
        return [events.c.event_day - (events.c.event_day + 3) % 7]
    if by in ("country", "admin1", "event_type"):
        return [events.c[by]]
    if by == "actor":
        return [events.c.actor1, events.c.actor2]
    raise ValueError(f"stats by {by!r}: choose {', '.join(STATS_BY)}")


def stats(db: Database, by: str, f: EventFilter, period: str = "month") -> list[StatRow]:
    """Events, fatalities and civilian fatalities grouped by month|week|country|admin1|actor|event_type."""
    by = period if by == "period" else by
    keys = _stat_keys(by)
    civ = sa.func.sum(sa.case((events.c.civilian_targeting == sa.true(), events.c.fatalities), else_=0))
    aggs = (sa.func.count().label("events"), sa.func.coalesce(sa.func.sum(events.c.fatalities), 0).label("f"),
            sa.func.coalesce(civ, 0).label("c"))
    conds = where(db, f)
    totals: dict[Any, list[int]] = {}
    with db.engine.connect() as conn:
        for key in keys:
            q = sa.select(key.label("key"), *aggs).where(*conds, key.is_not(None)).group_by(key)
            for r in conn.execute(q):
                if r.key not in ("", None):
                    t = totals.setdefault(r.key, [0, 0, 0])
                    t[0], t[1], t[2] = t[0] + int(r.events), t[1] + int(r.f), t[2] + int(r.c)
    rows = [StatRow(key=(dedup.EPOCH + dt.timedelta(days=int(key))).isoformat() if by == "week" else key,
                    events=n, fatalities=fat, civilian_fatalities=c) for key, (n, fat, c) in totals.items()]
    if by in ("month", "week"):
        rows.sort(key=lambda r: r["key"])
    else:
        rows.sort(key=lambda r: (-r["events"], str(r["key"])))
    return rows
