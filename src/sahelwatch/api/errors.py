"""Every API error in one shape, ``{"error": {"code": ..., "message": ...}}``, and the body size limit.

sahelwatch.errors types keep their status and code; FastAPI's HTTP and validation errors get a code
from their status; anything unexpected is a 500 with code ``internal_error`` (and a log line).
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from sahelwatch.errors import SahelwatchError, code_for_status

log = logging.getLogger("sahelwatch.api")


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable word for the kind of error: not_found, invalid_request, unauthorized...",
                      examples=["not_found"])
    message: str = Field(description="One line naming the input and what was wrong", examples=["no event 'NER9'"])


class ErrorBody(BaseModel):
    """What every error answers."""

    error: ErrorDetail


_STATUS_WHY = {400: "A value or a change the server refuses", 401: "The API token is needed",
               403: "The API token given is not this server's", 404: "No such event, document or merge",
               413: "The request body is over the size limit", 415: "Not JSON or multipart",
               422: "A parameter or body field of the wrong type, length or range",
               503: "The database or the cluster is unavailable"}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": why} for status, why in _STATUS_WHY.items()}


def error_response(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = ErrorBody(error=ErrorDetail(code=code, message=message))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def validation_message(errors: list[Any]) -> str:
    """FastAPI's validation errors in one line: ``where: what; where: what``."""
    parts = []
    for err in errors:
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "body", "path")]
        parts.append(f"{'.'.join(loc) or 'request'}: {err.get('msg', 'invalid')}")
    return "; ".join(parts)[:500] or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    """Route every error through ``error_response``."""

    @app.exception_handler(SahelwatchError)
    async def known(_request: Request, exc: SahelwatchError) -> JSONResponse:
        return error_response(exc.status, exc.code, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return error_response(exc.status_code, code_for_status(exc.status_code), str(exc.detail),
                              headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", validation_message(list(exc.errors())))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.error("sahelwatch: %s %s failed: %s: %s", request.method, request.url.path, type(exc).__name__, exc)
        return error_response(500, "internal_error", "the server failed on this request; its log says why")


class BodyLimit:
    """Pure ASGI middleware: a request body over ``max_bytes`` answers 413, whether it announces its length
    or comes in chunks (the stream is counted as it is read, then replayed to the app)."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await self._refuse(scope, send)
            return
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > self.max_bytes:
                await self._refuse(scope, send)
                return
        body = b"".join(chunks)
        replayed = False

        async def replay() -> dict:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: dict, send: Any) -> None:
        limit = f"{self.max_bytes / 1e6:g} MB" if self.max_bytes >= 1_000_000 else f"{self.max_bytes} bytes"
        response = error_response(413, "too_large", f"request body is larger than {limit} (SAHELWATCH_MAX_BODY_BYTES)")
        await response(scope, _no_receive, send)


async def _no_receive() -> dict:
    return {"type": "http.disconnect"}
