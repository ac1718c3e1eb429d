"""JSON answers written in one pass by pydantic-core (records) or orjson (a page of event rows, straight from
the database); the route's response model documents the shape in /openapi.json."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import orjson
from fastapi.responses import Response
from pydantic_core import to_json


def _fallback(value: Any) -> Any:
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, set | frozenset):
        return sorted(value)
    return str(value)


def dumps(data: Any) -> bytes:
    """``data`` as compact UTF-8 JSON (dates as ISO strings)."""
    return to_json(data, fallback=_fallback)


def json_response(data: Any, status_code: int = 200) -> Response:
    return Response(dumps(data), status_code=status_code, media_type="application/json")


def events_page(keys: Sequence[str], rows: Sequence[Sequence[Any]], **page: Any) -> Response:
    """A page of events straight from database rows: each row a dict of its columns, the JSON text of the
    evidence, source_notes and fatality_figures columns embedded as stored (orjson.Fragment), booleans as
    booleans; ``page``: total, limit, offset."""
    lists = [keys.index(k) for k in ("evidence", "source_notes", "fatality_figures") if k in keys]
    flags = [keys.index("civilian_targeting"), keys.index("claimed")]
    events = []
    for row in rows:
        values = list(row)
        for i in lists:
            values[i] = orjson.Fragment(values[i] or "[]")
        for i in flags:
            values[i] = bool(values[i])
        events.append(dict(zip(keys, values)))
    return Response(orjson.dumps({**page, "events": events}), media_type="application/json")
