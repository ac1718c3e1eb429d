"""Events: list (JSON, GeoJSON, compact map rows), one event with its sources, review, export."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, HTTPException, Path, Query, Request
from fastapi.responses import FileResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from sahelwatch.api.deps import FiltersDep, StoreDep, require_write, reviewer
from sahelwatch.api.jsonio import dumps, events_page, json_response
from sahelwatch.api.models import (
    MAX_INT,
    CompactPage,
    EventDetail,
    EventPage,
    FeatureCollection,
    Review,
    ReviewResult,
)
from sahelwatch.formats import to_acled_row, to_feature
from sahelwatch.model import ACLED_COLUMNS

router = APIRouter(prefix="/api", tags=["events"])

MAX_PAGE = 10_000  # JSON and GeoJSON pages
MAX_COMPACT = 200_000  # compact rows for the map: small enough to send at once
COMPACT_COLUMNS = ("event_id", "latitude", "longitude", "event_date", "event_type", "fatalities", "status",
                   "claimed", "location")

class _CompactCache:
    """The map's compact answers per query (filters, limit, offset), each kept with the data stamp it was
    built at (this app's write counter and the store's event and document counts).

    A fresh answer is served as it is. When the data changed in another process (a CLI ingest or a feed
    watcher: the counts moved, this app's write counter did not) or the answer is older than ``ttl``
    (an edit elsewhere), the previous answer is served once more while a new one is built in the
    background, so no visitor waits for a rebuild they did not cause. After a change made through this
    app, the answer is rebuilt before it is served.
    """

    def __init__(self, ttl: float = 15.0, size: int = 16) -> None:
        self.ttl, self.size = ttl, size
        self._items: dict[Any, tuple[float, tuple, bytes]] = {}
        self._building: set[Any] = set()
        self._lock = threading.Lock()

    def lookup(self, query: Any, stamp: tuple) -> tuple[bytes | None, bool]:
        """(answer, fresh): a fresh answer; a stale one to serve while rebuilding; or (None, False)."""
        with self._lock:
            hit = self._items.get(query)
        if hit is None:
            return None, False
        built, old_stamp, body = hit
        if old_stamp == stamp and time.monotonic() - built < self.ttl:
            return body, True
        if old_stamp[0] == stamp[0]:  # no write through this app since: serve it while a new one is built
            return body, False
        return None, False

    def put(self, query: Any, stamp: tuple, body: bytes) -> None:
        with self._lock:
            if query not in self._items and len(self._items) >= self.size:
                self._items.pop(min(self._items, key=lambda k: self._items[k][0]))
            self._items[query] = (time.monotonic(), stamp, body)

    def rebuild(self, query: Any, build: Any) -> None:
        """Run ``build()`` (which puts the new answer) in a background thread, once per query at a time."""
        with self._lock:
            if query in self._building:
                return
            self._building.add(query)

        def run() -> None:
            try:
                build()
            except Exception:  # the next request builds it again and reports the error
                pass
            finally:
                with self._lock:
                    self._building.discard(query)

        threading.Thread(target=run, daemon=True).start()


def _data_stamp(app_state: Any, store: Any) -> tuple:
    return app_state.data_version, *store.data_stamp()


def compact_body(app_state: Any, store: Any, filters: dict, limit: int = MAX_COMPACT, offset: int = 0,
                 wait: bool = False) -> bytes:
    """The compact JSON answer for the map (cached; see _CompactCache). ``wait``: never serve a stale one."""
    if not hasattr(app_state, "compact_cache"):
        app_state.compact_cache = _CompactCache()
    cache = app_state.compact_cache
    query = (tuple(sorted((k, str(v)) for k, v in filters.items())), limit, offset)
    stamp = _data_stamp(app_state, store)

    def build() -> bytes:
        total = store.count_events(**filters)
        data = compact_rows(iter(store.query_events(**filters, limit=limit, offset=offset)))
        data.update(total=total, limit=limit, offset=offset)
        body = dumps(data)
        cache.put(query, stamp, body)
        return body

    body, fresh = cache.lookup(query, stamp)
    if body is not None and not fresh and not wait:
        cache.rebuild(query, build)
        return body
    if body is not None and fresh:
        return body
    return build()


def warm_map_cache(app_state: Any, store: Any) -> None:
    """Build the dashboard's first answer (all events, no filter) before anyone asks for it."""
    compact_body(app_state, store, {}, wait=True)


def compact_rows(events: Iterator[dict]) -> dict[str, Any]:
    """Events as rows of COMPACT_COLUMNS, event types and statuses as indexes into small lists."""
    types: dict[str, int] = {}
    statuses: dict[str, int] = {}
    rows = []
    for ev in events:
        lat, lon = ev.get("latitude"), ev.get("longitude")
        date = ev.get("event_date")
        rows.append([
            ev.get("event_id"),
            None if lat is None else round(float(lat), 4),
            None if lon is None else round(float(lon), 4),
            date.isoformat() if isinstance(date, dt.date) else date,
            types.setdefault(ev.get("event_type") or "", len(types)),
            int(ev.get("fatalities") or 0),
            statuses.setdefault(ev.get("status") or "unreviewed", len(statuses)),
            1 if ev.get("claimed") else 0,
            ev.get("location") or ev.get("admin1") or ev.get("country") or "",
        ])
    return {"columns": list(COMPACT_COLUMNS), "event_types": list(types), "statuses": list(statuses), "rows": rows}


@router.get("/events", summary="Events matching the filters (JSON page, GeoJSON, or compact rows for the map)",
            response_model=EventPage | FeatureCollection | CompactPage)
async def list_events(
    request: Request,
    filters: FiltersDep,
    store: StoreDep,
    limit: Annotated[int, Query(ge=1, le=MAX_COMPACT, description=f"At most {MAX_PAGE} (compact: {MAX_COMPACT})")] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
    format: Literal["json", "geojson", "compact"] = "json",
) -> Response:
    if format != "compact" and limit > MAX_PAGE:
        raise HTTPException(400, f"limit {limit} is above {MAX_PAGE} for format={format}; page with offset")
    if format == "compact":
        return Response(compact_body(request.app.state, store, filters, limit, offset), media_type="application/json")
    if format == "geojson":
        events = store.query_events(**filters, limit=limit, offset=offset)
        total = _total(store, filters, len(events), limit, offset)
        return json_response({"type": "FeatureCollection", "total": total, "limit": limit, "offset": offset,
                              "features": [to_feature(e) for e in events]})
    keys, rows = store.page_rows(**filters, limit=limit, offset=offset)
    return events_page(keys, rows, total=_total(store, filters, len(rows), limit, offset), limit=limit, offset=offset)


def _total(store: StoreDep, filters: dict, n: int, limit: int, offset: int) -> int:
    """A short page that is not empty is the last one: the total is its offset plus its rows, no need to count."""
    return offset + n if (n or offset == 0) and n < limit else store.count_events(**filters)


@router.get("/events/{event_id}", summary="One event with its sources, evidence spans and audit log",
            response_model=EventDetail)
def get_event(event_id: Annotated[str, Path(max_length=64)], request: Request, store: StoreDep) -> Response:
    event = store.get_event(event_id)
    if event is None:
        raise HTTPException(404, f"no event {event_id!r}")
    return json_response(with_learned(request.app.state.settings, dict(event)))


def with_learned(settings: Any, event: dict[str, Any]) -> dict[str, Any]:
    """The event with the learned entries (user places and actors files) its place and actors come from."""
    from sahelwatch.learning import learned_for_event

    event["learned"] = [e.to_dict() for e in learned_for_event(settings, event)]
    return event


@router.patch("/events/{event_id}", dependencies=[Depends(require_write)], response_model=ReviewResult,
              summary="Review an event: verify, reject, edit fields, merge, split or undo a merge (audited)")
def review_event(event_id: Annotated[str, Path(max_length=64)], request: Request, review: Annotated[Review, Body()],
                 store: StoreDep) -> Response:
    user = reviewer(request)
    actions = [name for name in ("merge_with", "split_docs", "undo_merge") if getattr(review, name)]
    edit = review.status is not None or bool(review.changes) or review.alias is not None
    if len(actions) + (1 if edit else 0) != 1:
        raise HTTPException(400, "give one action: status, changes and/or alias, or merge_with, or split_docs, "
                                 "or undo_merge")
    if store.get_event(event_id) is None:
        raise HTTPException(404, f"no event {event_id!r}")
    if edit:
        result: dict[str, Any] = _edit(request.app.state.settings, store, event_id, review, user)
    elif review.merge_with:
        missing = [i for i in review.merge_with if store.get_event(i) is None]
        if missing:
            raise HTTPException(404, f"cannot merge: no event {', '.join(map(repr, missing))}")
        ids = [event_id] + [i for i in review.merge_with if i != event_id]
        if len(ids) < 2:
            raise HTTPException(400, "merge_with must name at least one other event")
        result = {"action": "merge", "event": store.merge_events(ids, user)}
    elif review.split_docs:
        result = {"action": "split", "events": store.split_event(event_id, review.split_docs, user)}
    else:
        result = {"action": "undo_merge", "events": store.undo_merge(review.undo_merge or "", user)}
    request.app.state.data_version += 1
    return json_response(result)


def _edit(settings: Any, store: Any, event_id: str, review: Review, user: str) -> dict[str, Any]:
    """Edit fields and/or status, then teach the extractor what the edit (and ``review.alias``) says."""
    from sahelwatch.learning import Outcome, check_alias, learn_alias, learn_from_edit

    changes = dict(review.changes or {})
    if review.alias is not None:  # checked first: a bad alias changes nothing
        check_alias(review.alias.text, review.alias.actor, also=tuple(str(changes.get(k) or "")
                                                                       for k in ("actor1", "actor2")))
    before = store.get_event(event_id)
    if review.status is not None:
        changes["status"] = review.status
    event = store.update_event(event_id, changes, user) if changes else before
    outcome = Outcome()
    if review.learn and review.changes:
        outcome = learn_from_edit(settings, before, {k: event.get(k) for k in review.changes}, user, event_id)
    if review.alias is not None:
        taught = learn_alias(settings, review.alias.text, review.alias.actor, user, event_id)
        outcome.learned += taught.learned
        outcome.notes += taught.notes
    for entry in outcome.learned:
        store.record_audit(event_id, "learn", user, None, {k: v for k, v in entry.to_dict().items() if v and k != "file"})
    if outcome.learned:
        event = store.get_event(event_id)
    return {"action": "edit", "event": with_learned(settings, dict(event)),
            "learned": [e.to_dict() for e in outcome.learned], "notes": outcome.notes}


EXPORTS = {"acled-csv": ("text/csv; charset=utf-8", "csv"), "csv": ("text/csv; charset=utf-8", "csv"),
           "geojson": ("application/geo+json", "geojson"), "jsonl": ("application/x-ndjson", "jsonl"),
           "parquet": ("application/vnd.apache.parquet", "parquet"), "gpkg": ("application/geopackage+sqlite3", "gpkg")}
FILE_EXPORTS = ("parquet", "gpkg")  # binary files GIS tools open as a layer: written to a temporary file, then sent


def _export_chunks(events: Iterator[dict], fmt: str) -> Iterator[str]:
    buf = io.StringIO()
    n = 0
    if fmt in ("acled-csv", "csv"):
        cols = list(ACLED_COLUMNS) if fmt == "acled-csv" else list(ACLED_COLUMNS) + [
            "event_id", "doc_id", "injured", "claimed", "fatalities_text", "evidence", "confidence", "salience",
            "status", "source_count", "fatalities_min", "fatalities_max"]
        writer = csv.DictWriter(buf, fieldnames=cols, extrasaction="ignore")
        writer.writeheader()
        for ev in events:
            row = to_acled_row(ev)
            for extra in ("status", "source_count", "fatalities_min", "fatalities_max"):
                row[extra] = "" if ev.get(extra) is None else ev.get(extra)
            writer.writerow(row)
            n += 1
            if n % 500 == 0:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue()
    elif fmt == "geojson":
        yield '{"type":"FeatureCollection","features":['
        for ev in events:
            yield ("," if n else "") + dumps(to_feature(ev)).decode()
            n += 1
        yield "]}\n"
    else:
        for ev in events:
            yield dumps(ev).decode() + "\n"


@router.get("/export", summary="All events matching the filters as a file: ACLED CSV (31 columns), CSV, GeoJSON, JSONL, "
                               "GeoParquet, GeoPackage")
def export(filters: FiltersDep, store: StoreDep,
           format: Literal["acled-csv", "csv", "geojson", "jsonl", "parquet", "gpkg"] = "acled-csv") -> Response:
    media, ext = EXPORTS[format]
    name = f"sahelwatch-events-{dt.date.today():%Y%m%d}.{ext}"
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    if format in FILE_EXPORTS:
        return _file_export(store.iter_events(**filters), format, media, headers)
    return StreamingResponse(_export_chunks(store.iter_events(**filters), format), media_type=media, headers=headers)


def _file_export(events: Iterator[dict], fmt: str, media: str, headers: dict[str, str]) -> FileResponse:
    """GeoParquet and GeoPackage are written whole (their footer or tables come last), then sent and removed."""
    from sahelwatch.store.export import export_events

    handle, path = tempfile.mkstemp(prefix="sahelwatch-export-", suffix=f".{fmt}")
    os.close(handle)
    try:
        export_events(events, fmt, path)
    except BaseException:
        os.unlink(path)
        raise
    return FileResponse(path, media_type=media, headers=headers, background=BackgroundTask(os.unlink, path))
