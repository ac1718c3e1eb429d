"""Reviewing stored events: verify, reject, edit, merge, split and undo a merge, each written to the audit
log (who, when, before, after) so that it can be explained and undone."""
from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa

from sahelwatch import codebook, dedup
from sahelwatch.errors import InvalidRequest, NotFound
from sahelwatch.store import linking
from sahelwatch.store.db import Database
from sahelwatch.store.queries import get_event
from sahelwatch.store.records import (
    BOOL_FIELDS,
    EVENT_FIELDS,
    STATUSES,
    EventDetail,
    event_row,
    now,
    stored_event,
    to_json,
)
from sahelwatch.store.schema import audit, event_sources, events, merges

EDITABLE = tuple(f for f in EVENT_FIELDS if f not in ("event_id", "doc_id", "evidence")) + ("status",)
MAX_INT = 2**31 - 1
_INT_FIELDS = {"time_precision", "inter1", "inter2", "interaction", "iso", "geo_precision", "fatalities", "injured"}
_NULLABLE = {"inter1", "inter2", "interaction", "iso", "injured", "latitude", "longitude", "geo_precision"}
_FLOAT_RANGES = {"latitude": (-90, 90), "longitude": (-180, 180), "confidence": (0, 1)}
_PRECISION = {"time_precision": "1 (day), 2 (week) or 3 (month)", "geo_precision": "1, 2 or 3"}
_SALIENCE = ("main", "background")
_BAD_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def live(conn: sa.Connection, event_id: str, allow_merged: bool = False) -> dict[str, Any]:
    row = conn.execute(sa.select(events).where(events.c.event_id == event_id)).mappings().first()
    if row is None:
        raise NotFound(f"no event {event_id!r}")
    d = dict(stored_event(row))
    if d.get("merged_into") and not allow_merged:
        raise InvalidRequest(f"event {event_id} was merged into {d['merged_into']}; work on that event")
    return d


def _audit(conn: sa.Connection, event_id: str, action: str, user: str, before: Any, after: Any) -> None:
    conn.execute(audit.insert().values(event_id=event_id, action=action, user=user, at=now(),
                                       before=to_json(before), after=to_json(after)))


def note(db: Database, event_id: str, action: str, user: str, before: Any, after: Any) -> None:
    """Add an entry to an event's audit log (e.g. "learn": what a review of it taught the extractor)."""
    with db.write() as conn:
        _audit(conn, event_id, action, user, before, after)


def is_reviewed(conn: sa.Connection, event: Mapping[str, Any]) -> bool:
    """A reviewer verified, rejected or edited the event: re-extraction never overwrites it."""
    if (event.get("status") or "unreviewed") != "unreviewed":
        return True
    q = sa.select(audit.c.id).where(audit.c.event_id == event["event_id"], audit.c.action == "edit").limit(1)
    return conn.execute(q).first() is not None


def _derived(current: Mapping[str, Any], values: dict[str, Any]) -> None:
    """Fields that follow from edited ones: disorder type, interaction, event day, fatality range."""
    merged = {**current, **values}
    if {"event_type", "sub_event_type"} & set(values) and (merged.get("event_type") or merged.get("sub_event_type")):
        try:
            codebook.check(merged.get("event_type") or "", merged.get("sub_event_type") or "")
        except ValueError as exc:
            raise InvalidRequest(f"{exc}; change event_type and sub_event_type together") from None
        values.setdefault("disorder_type", codebook.disorder_type(merged["event_type"]))
    if {"inter1", "inter2"} & set(values) and "interaction" not in values:
        values["interaction"] = codebook.interaction(merged.get("inter1"), merged.get("inter2"))
    if "event_date" in values:
        values["event_day"] = dedup.day_number(values["event_date"])
    if "fatalities" in values:
        low = current.get("fatalities_min")
        values["fatalities_min"] = min(values["fatalities"], values["fatalities"] if low is None else low)
        values["fatalities_max"] = max(values["fatalities"], current.get("fatalities_max") or 0)


def update_event(db: Database, event_id: str, changes: Mapping[str, Any], user: str) -> EventDetail:
    """Edit fields and/or the status of an event; the change is audited (who, when, before, after)."""
    if not changes:
        raise InvalidRequest("no changes given")
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InvalidRequest(f"unknown or read-only field(s): {', '.join(unknown)}; editable: {', '.join(EDITABLE)}")
    with db.write() as conn:
        current = live(conn, event_id)
        values = {k: validate(k, v) for k, v in changes.items()}
        _derived(current, values)
        values["updated"] = now()
        conn.execute(events.update().where(events.c.event_id == event_id).values(values))
        linking.register_names(db, conn, [{**current, **values}])  # an edited actor can be filtered on
        _audit(conn, event_id, "status" if set(changes) == {"status"} else "edit", user,
               {k: current.get(k) for k in changes}, {k: values[k] for k in changes})
    return _detail(db, event_id)


def _detail(db: Database, event_id: str) -> EventDetail:
    out = get_event(db, event_id)
    if out is None:
        raise NotFound(f"no event {event_id!r}")
    return out


def _source_count(conn: sa.Connection, event_id: str) -> int:
    q = sa.select(sa.func.count(sa.distinct(event_sources.c.doc_id))).where(event_sources.c.event_id == event_id)
    return int(conn.execute(q).scalar_one())


def merge_events(db: Database, event_ids: list[str], user: str) -> EventDetail:
    """Merge events into the first one (it keeps every source and evidence span); undoable."""
    ids = list(dict.fromkeys(event_ids))
    if len(ids) < 2:
        raise InvalidRequest("merge needs at least two different event ids")
    stamp = now()
    with db.write() as conn:
        recs = [live(conn, e) for e in ids]
        kept = recs[0]
        combined = dedup.combine(recs)
        absorbed: dict[str, list[str]] = {}
        for other in recs[1:]:
            q = sa.select(event_sources.c.origin_event_id).where(event_sources.c.event_id == other["event_id"])
            absorbed[other["event_id"]] = [r[0] for r in conn.execute(q)]
            conn.execute(event_sources.update().where(event_sources.c.event_id == other["event_id"])
                         .values(event_id=kept["event_id"]))
            conn.execute(events.update().where(events.c.event_id == other["event_id"])
                         .values(merged_into=kept["event_id"], updated=stamp))
        combined["source_count"] = _source_count(conn, kept["event_id"])
        combined["status"] = kept.get("status") or "unreviewed"
        conn.execute(events.update().where(events.c.event_id == kept["event_id"])
                     .values(event_row(combined, stamp, created=kept.get("created"))))
        merge_id = uuid.uuid4().hex[:16]
        conn.execute(merges.insert().values(merge_id=merge_id, kept_event_id=kept["event_id"],
                                            absorbed=to_json(absorbed), before=to_json(kept), user=user,
                                            automatic=False, created=stamp))
        _audit(conn, kept["event_id"], "merge", user, {"event_ids": ids[1:]}, {"merge_id": merge_id})
        for other_id in ids[1:]:
            _audit(conn, other_id, "merged", user, None, {"merged_into": kept["event_id"], "merge_id": merge_id})
    out = _detail(db, kept["event_id"])
    out["merge_id"] = merge_id
    return out


def _recompute(conn: sa.Connection, event_id: str, stamp: str) -> None:
    """Rebuild an event from the records extracted from its remaining sources, keeping what reviewers set
    (status and edited fields)."""
    current = live(conn, event_id)
    srcs = conn.execute(sa.select(event_sources.c.origin_event_id, event_sources.c.extracted)
                        .where(event_sources.c.event_id == event_id).order_by(event_sources.c.id)).all()
    records = [json.loads(s.extracted) for s in srcs if s.origin_event_id == event_id]
    records += [json.loads(s.extracted) for s in srcs if s.origin_event_id != event_id]
    if not records:
        return
    combined = dedup.combine(records)
    edited: set[str] = set()
    for a in conn.execute(sa.select(audit.c.after).where(audit.c.event_id == event_id, audit.c.action == "edit")):
        edited |= set(json.loads(a.after or "{}"))
    for k in edited:
        combined[k] = current.get(k)
    combined.update(event_id=event_id, status=current.get("status") or "unreviewed",
                    source_count=_source_count(conn, event_id))
    row = event_row(combined, stamp, created=current.get("created"))
    row.pop("merged_into", None)
    conn.execute(events.update().where(events.c.event_id == event_id).values(row))


def undo_merge(db: Database, merge_id: str, user: str) -> list[EventDetail]:
    """Undo a merge (automatic or by hand): the absorbed events come back with their sources."""
    stamp = now()
    with db.write() as conn:
        m = conn.execute(sa.select(merges).where(merges.c.merge_id == merge_id)).first()
        if m is None:
            raise NotFound(f"no merge {merge_id!r}")
        if m.undone:
            raise InvalidRequest(f"merge {merge_id} was already undone at {m.undone}")
        kept = live(conn, m.kept_event_id, allow_merged=True)
        if kept.get("merged_into"):
            raise InvalidRequest(f"event {m.kept_event_id} was merged into {kept['merged_into']} since; "
                                 "undo that merge first")
        absorbed: dict[str, list[str]] = json.loads(m.absorbed)
        for other, origins in absorbed.items():
            conn.execute(event_sources.update().where(event_sources.c.event_id == m.kept_event_id,
                                                      event_sources.c.origin_event_id.in_(origins))
                         .values(event_id=other))
            conn.execute(events.update().where(events.c.event_id == other).values(merged_into=None, updated=stamp))
            _audit(conn, other, "unmerged", user, {"merged_into": m.kept_event_id}, {"merge_id": merge_id})
        _recompute(conn, m.kept_event_id, stamp)
        conn.execute(merges.update().where(merges.c.merge_id == merge_id).values(undone=stamp))
        _audit(conn, m.kept_event_id, "undo_merge", user, {"merge_id": merge_id}, {"restored": list(absorbed)})
    return [_detail(db, e) for e in (m.kept_event_id, *absorbed)]


def split_event(db: Database, event_id: str, doc_ids: list[str], user: str) -> list[EventDetail]:
    """Move the given documents' sources out of an event into a new event; both are rebuilt from their
    sources. Returns [the event, the new event]."""
    stamp = now()
    with db.write() as conn:
        current = live(conn, event_id)
        srcs = conn.execute(sa.select(event_sources.c.id, event_sources.c.doc_id, event_sources.c.extracted)
                            .where(event_sources.c.event_id == event_id).order_by(event_sources.c.id)).all()
        have = {s.doc_id for s in srcs}
        missing = sorted(set(doc_ids) - have)
        if missing:
            raise InvalidRequest(f"event {event_id} has no source document(s) {', '.join(missing)}; "
                                 f"its sources: {', '.join(sorted(have))}")
        moving = [s for s in srcs if s.doc_id in set(doc_ids)]
        if not moving or len(moving) == len(srcs):
            raise InvalidRequest("split must move some but not all of the event's source documents")
        combined = dedup.combine([json.loads(s.extracted) for s in moving])
        prefix = linking.id_prefix(current)
        new_id = f"{prefix}{linking.allocate(db, conn, prefix, 1)}"
        combined.update(event_id=new_id, status="unreviewed", source_count=len({s.doc_id for s in moving}),
                        doc_id=moving[0].doc_id)
        conn.execute(events.insert().values({**event_row(combined, stamp), "merged_into": None}))
        conn.execute(event_sources.update().where(event_sources.c.id.in_([s.id for s in moving]))
                     .values(event_id=new_id))
        _recompute(conn, event_id, stamp)
        moved = sorted(set(doc_ids))
        _audit(conn, event_id, "split", user, {"doc_ids": sorted(have)}, {"new_event_id": new_id, "doc_ids": moved})
        _audit(conn, new_id, "split_from", user, None, {"event_id": event_id, "doc_ids": moved})
    return [_detail(db, event_id), _detail(db, new_id)]


# ---------------------------------------------------------------------- checking one edited value
def _whole(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or not str(value).strip().lstrip("-").isdigit():
        raise InvalidRequest(f"{name} {value!r}: want a whole number")
    if len(str(value).strip()) > 12 or not -MAX_INT <= int(value) <= MAX_INT:
        raise InvalidRequest(f"{name} {str(value)[:20]}: want a number between {-MAX_INT} and {MAX_INT}")
    number = int(value)
    if name in ("fatalities", "injured") and number < 0:
        raise InvalidRequest(f"{name} {number}: cannot be negative")
    if name in _PRECISION and number not in (1, 2, 3):
        raise InvalidRequest(f"{name} {number}: want {_PRECISION[name]}")
    return number


def _number(name: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise InvalidRequest(f"{name} {value!r}: want a number") from None
    low, high = _FLOAT_RANGES[name]
    if not low <= number <= high:  # also refuses NaN
        raise InvalidRequest(f"{name} {value}: want a number between {low} and {high}")
    return number


def _flag(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "1", "yes"):
        return True
    if str(value).lower() in ("false", "0", "no"):
        return False
    raise InvalidRequest(f"{name} {value!r}: want true or false")


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise InvalidRequest(f"{name} {value!r}: want text")
    if len(value) > 5000 or _BAD_TEXT.search(value):
        raise InvalidRequest(f"{name}: want at most 5000 characters, without control characters")
    if name == "event_date" and (dedup.day_number(value) is None or len(value) != 10):
        raise InvalidRequest(f"event_date {value!r}: want a date YYYY-MM-DD")
    if name == "salience" and value not in _SALIENCE:
        raise InvalidRequest(f"salience {value!r}: want main or background")
    return value


def validate(name: str, value: Any) -> Any:
    """One edited value, checked and converted; InvalidRequest (a ValueError) saying what is wrong."""
    if name == "status" and not (isinstance(value, str) and value in STATUSES):
        raise InvalidRequest(f"status {value!r}: want one of {', '.join(STATUSES)}")
    if value is None and name in _NULLABLE:
        return None
    if name in _INT_FIELDS:
        return _whole(name, value)
    if name in _FLOAT_RANGES:
        return _number(name, value)
    if name in BOOL_FIELDS:
        return _flag(name, value)
    return _text(name, value)
