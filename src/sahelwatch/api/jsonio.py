"""JSON answers written by pydantic-core in one pass, straight from the store's rows (no per-field Python work);
the route's response model documents the shape in /openapi.json."""
from __future__ import annotations

from typing import Any

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
