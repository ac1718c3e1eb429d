"""Dedup linking and ids: ACLED-style event ids per country, and new events linked to the stored incidents
they describe (``sahelwatch.dedup`` decides; this module reads candidates and records the merges)."""
from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from sahelwatch import dedup
from sahelwatch.store.db import Database
from sahelwatch.store.records import EVENT_COLUMNS, event_row, extracted, stored_event, to_json
from sahelwatch.store.schema import actors, events, id_counters, places


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


def allocate(db: Database, conn: sa.Connection, prefix: str, n: int) -> int:
    """Reserve n consecutive numbers for ids with this prefix; the first one (row-locked on PostgreSQL)."""
    db.insert_ignore(conn, id_counters, [{"prefix": prefix, "next": 1}])
    q = sa.select(id_counters.c.next).where(id_counters.c.prefix == prefix)
    if db.dialect == "postgresql":
        q = q.with_for_update()
    start = int(conn.execute(q).scalar_one())
    conn.execute(id_counters.update().where(id_counters.c.prefix == prefix).values(next=start + n))
    return start


def assign_ids(db: Database, conn: sa.Connection, new_events: list[dict[str, Any]]) -> None:
    """One id per extracted record, ACLED style (country prefix + number)."""
    by_prefix: dict[str, list[dict[str, Any]]] = {}
    for d in new_events:
        by_prefix.setdefault(id_prefix(d), []).append(d)
    for prefix, group in by_prefix.items():
        start = allocate(db, conn, prefix, len(group))
        for i, d in enumerate(group):
            d["event_id"] = f"{prefix}{start + i}"


def merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[list[int]] = []
    for lo, hi in sorted(ranges):
        if out and lo <= out[-1][1] + 1:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(a, b) for a, b in out]


def candidates(conn: sa.Connection, new_events: list[dict[str, Any]]) -> list[dict[str, Any]]:
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
        precise = merge_ranges([(day - max(w, 1), day + max(w, 1)) for day, w in pairs])
        coarse = merge_ranges([(day - widest, day + widest) for day, _ in pairs])
        for ranges, cond in ((precise, sa.or_(events.c.time_precision <= 1, events.c.time_precision.is_(None))),
                             (coarse, events.c.time_precision > 1)):
            for lo, hi in ranges:
                q = sa.select(events).where(events.c.country == country, events.c.event_day.between(lo, hi),
                                            cond, *live)
                out += [dict(stored_event(r)) for r in conn.execute(q).mappings()]
    return out


@dataclass
class Linked:
    """What linking a batch of new events gives: rows to insert and update, sources, merges, counts."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    touched: dict[str, dict[str, Any]] = field(default_factory=dict)
    merges: list[dict[str, Any]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)  # the event each new record is (or was linked to)
    added: int = 0
    linked: int = 0


def link(conn: sa.Connection, new_events: list[dict[str, Any]], stamp: str) -> Linked:
    """Link each new event to the best stored (or earlier new) event it describes, else keep it as new."""
    index = dedup.BlockIndex()
    for cand in candidates(conn, new_events):
        cand["_new_docs"] = set()
        index.add(cand)
    out = Linked()
    for d in new_events:
        d["fatalities_min"] = d["fatalities_max"] = d.get("fatalities") or 0
        d["source_scale"] = dedup.source_scale_of(d.get("source"))
        d["source_count"] = 1
        d.update(dedup.corroboration(d))
        cands = [c for c in index.candidates(d) if d["doc_id"] not in c["_new_docs"] and c.get("doc_id") != d["doc_id"]]
        match = dedup.best_match(d, cands) if cands else None
        row = event_row(d, stamp)
        out.rows.append(row)
        reason = dedup.link_reason(d, match) if match else None
        out.sources.append({"event_id": match["event_id"] if match else d["event_id"], "origin_event_id": d["event_id"],
                            "doc_id": d["doc_id"], "evidence": to_json(d.get("evidence") or []),
                            "extracted": to_json(extracted(d)), "link_reason": to_json(reason) if reason else None})
        if match is None:
            d["_new_docs"] = {d["doc_id"]}
            index.add(d)
            out.added += 1
            out.ids.append(d["event_id"])
            continue
        row["merged_into"] = match["event_id"]
        _absorb(match, d, stamp, out, reason)
    return out


def _absorb(match: dict[str, Any], d: dict[str, Any], stamp: str, out: Linked, reason: dict[str, Any]) -> None:
    """Merge the new event ``d`` into ``match`` (its combined figures, one more source) and record the merge."""
    out.linked += 1
    before = {k: match.get(k) for k in EVENT_COLUMNS if k in match}
    combined = dedup.combine([match, d])
    new_count = int(match.get("source_count") or 1) + 1
    match_docs = match["_new_docs"]
    match.update(combined)
    match.update(_new_docs=match_docs | {d["doc_id"]}, source_count=new_count, updated=stamp)
    out.touched[match["event_id"]] = match
    out.merges.append({"merge_id": uuid.uuid4().hex[:16], "kept_event_id": match["event_id"],
                       "absorbed": to_json({d["event_id"]: [d["event_id"]]}), "before": to_json(before),
                       "user": "sahelwatch-dedup", "automatic": True, "score": reason["score"],
                       "reason": to_json(reason), "created": stamp, "undone": None})
    out.ids.append(match["event_id"])


def register_names(db: Database, conn: sa.Connection, evs: list[dict[str, Any]]) -> None:
    """Keep the actors and places tables up to date (insert the names not seen before)."""
    names: dict[str, int | None] = {}
    place_rows: dict[tuple[str, ...], dict[str, Any]] = {}
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
            place_rows.setdefault(key, {"country": key[0], "admin1": key[1], "admin2": key[2], "location": key[3],
                                        "latitude": d.get("latitude"), "longitude": d.get("longitude"),
                                        "geo_precision": d.get("geo_precision")})
    if names:
        db.insert_ignore(conn, actors, [{"name": n[:300], "key": dedup.actor_key(n)[:300], "inter": i}
                                        for n, i in names.items()])
    if place_rows:
        db.insert_ignore(conn, places, list(place_rows.values()))
