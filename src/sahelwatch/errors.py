"""The errors a user can meet, each with a one-line message, a CLI exit code and an HTTP status.

The CLI prints ``sahelwatch: error: MESSAGE`` and exits with ``exit_code``; the API answers
``{"error": {"code": CODE, "message": MESSAGE}}`` with ``status``. Anything else is a bug.
"""
from __future__ import annotations


class SahelwatchError(Exception):
    """Base class: ``str(exc)`` is the one-line message."""

    code = "error"
    status = 500
    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(SahelwatchError):
    """A setting (flag, environment variable) that cannot be used."""

    code, status, exit_code = "bad_setting", 500, 2


class DatabaseError(SahelwatchError):
    """The database cannot be opened or reached."""

    code, status, exit_code = "database_unavailable", 503, 2


class NotFound(SahelwatchError, KeyError):
    """No event, document or merge with that id."""

    code, status, exit_code = "not_found", 404, 1

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


class InvalidRequest(SahelwatchError, ValueError):
    """A value or a change that is refused, with the reason (a bad field, a merge already undone...)."""

    code, status, exit_code = "invalid_request", 400, 2


class PayloadTooLarge(SahelwatchError, ValueError):
    """A request body or a report over the size limit of the settings."""

    code, status, exit_code = "too_large", 413, 2


class EngineError(SahelwatchError, RuntimeError):
    """The extraction cluster could not be reached or started (the message says which and why)."""

    code, status, exit_code = "engine_unavailable", 503, 2


class InputError(SahelwatchError):
    """One input (file, line, URL) that could not be read, with where and why.

    Readers yield it as a value so that a run goes on with the other inputs and reports it at the end.
    """

    code, status, exit_code = "bad_input", 400, 1

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.path, self.line = path, line
        self.args = (path, message, line)

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, InputError) and self.args == other.args

    def __hash__(self) -> int:
        return hash(self.args)


HTTP_CODES = {400: "invalid_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
              422: "invalid_request", 429: "too_many_requests", 501: "not_implemented", 503: "unavailable"}


def code_for_status(status: int) -> str:
    """The error code of an HTTP status the API answers without a SahelwatchError (auth, routing)."""
    return HTTP_CODES.get(status, "error" if status >= 500 else "invalid_request")
