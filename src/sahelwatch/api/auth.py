"""The API token that every write needs: Settings.token (SAHELWATCH_TOKEN), or a token file made on first start.

The file lives at Settings.token_file (SAHELWATCH_TOKEN_FILE), else $XDG_DATA_HOME/sahelwatch/token
(default ~/.local/share/sahelwatch/token), is created with mode 600 and holds one random token.
"""
from __future__ import annotations

import hmac
import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from sahelwatch.errors import ConfigError
from sahelwatch.settings import Settings, load_settings

TOKEN_HEADER = "X-Sahelwatch-Token"


@dataclass(frozen=True)
class Token:
    """The token and where it came from (printed by `serve`, never logged per request)."""

    value: str
    origin: str  # "SAHELWATCH_TOKEN" or the path of the token file


def token_path(config: Settings | None = None) -> Path:
    """Where the token file is kept (``config`` default: the settings of the environment)."""
    return (config or load_settings()).token_path()


class UnsafeTokenFile(ConfigError, PermissionError):
    """A token file other users can read or write: refused (as ssh refuses such a key), since
    anyone who could read it may already hold the token."""


def load_token(config: Settings | None = None) -> Token:
    """The token of the settings, else from the token file, creating it (mode 600) if absent.

    Raises UnsafeTokenFile when the file is open to the group or others."""
    config = config or load_settings()
    given = config.token.get_secret_value().strip() if config.token else ""
    if given:
        return Token(given, "SAHELWATCH_TOKEN")
    path = config.token_path()
    try:
        value = path.read_text(encoding="utf-8").strip()
        if value:
            mode = path.stat().st_mode & 0o777
            if mode & 0o077:
                raise UnsafeTokenFile(f"the API token file {path} is open to other users (mode {mode:o}): delete it "
                                      "and a new token is made, or chmod 600 it if no one else can have read it")
            return Token(value, str(path))
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = secrets.token_urlsafe(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(value + "\n")
    os.chmod(path, 0o600)
    return Token(value, str(path))


def token_matches(expected: str, given: str | None) -> bool:
    """Constant-time comparison of a presented token with the server's."""
    return bool(given) and hmac.compare_digest(expected.encode("utf-8"), given.encode("utf-8"))


def presented_token(headers: dict[str, str] | object) -> str | None:
    """The token a request presents: `Authorization: Bearer T` or the X-Sahelwatch-Token header."""
    get = headers.get  # type: ignore[attr-defined]
    auth = get("authorization") or ""
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    return (get(TOKEN_HEADER.lower()) or "").strip() or None


def is_loopback(host: str | None) -> bool:
    """True for 127.0.0.0/8, ::1 and the test client; reads are open only to these."""
    if not host:
        return False
    if host in ("localhost", "testclient"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
