"""The HTTP API and the analyst web app (FastAPI), served by `sahelwatch serve`.

``create_app(settings, store=...)`` builds the application; every module in ``sahelwatch.api.routes`` with a
``router`` attribute is included, so a new group of endpoints is one new file.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fastapi import FastAPI


def create_app(*args: Any, **kwargs: Any) -> FastAPI:
    """Build the FastAPI application (see sahelwatch.api.app.create_app)."""
    from sahelwatch.api.app import create_app as _create_app

    return _create_app(*args, **kwargs)


__all__ = ["create_app"]
