"""The FastAPI application: JSON API under /api, the web app under / and /static.

Route modules are found, not listed: every module in sahelwatch.api.routes with a ``router``
attribute is included (sorted by name), so other parts of sahelwatch add endpoints with one file.
"""
from __future__ import annotations

import contextlib
import importlib
import logging
import os
import pkgutil
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from sahelwatch import __version__
from sahelwatch.api.auth import Token, load_token
from sahelwatch.api.deps import require_read

WEB_DIR = Path(__file__).with_name("web")
log = logging.getLogger("sahelwatch.api")

# Scripts, styles and data come from this server only; no inline script can run, so text that
# slips past escaping still cannot execute.
SECURITY_HEADERS = [
    (b"content-security-policy", (b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                                 b"img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; "
                                 b"base-uri 'none'; frame-ancestors 'none'; form-action 'self'")),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]
# Optional front-end modules other parts of sahelwatch ship beside ours (loaded when present).
PLUGIN_SCRIPTS = ("alerts.js", "charts.js")


class SecurityHeaders:
    """Pure ASGI middleware adding SECURITY_HEADERS to every HTTP response (cheaper than BaseHTTPMiddleware)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = list(message["headers"]) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _error_body(status: int, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": message, "status": status, **extra}


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("query", "body", "path")]
        where = ".".join(loc) or "request"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "; ".join(parts) or "invalid request"


def discover_routers() -> list[tuple[str, Any]]:
    """(module name, router) for each module of sahelwatch.api.routes that has a ``router``."""
    from sahelwatch.api import routes

    found = []
    for info in sorted(pkgutil.iter_modules(routes.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        name = f"{routes.__name__}.{info.name}"
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - one broken plugin module must not take the server down
            log.error("sahelwatch: error: cannot load API routes %s: %s", name, exc)
            continue
        router = getattr(module, "router", None)
        if router is not None:
            found.append((name, router))
    return found


def index_html() -> str:
    """index.html with a <script> tag for each optional plugin script that is installed."""
    html = (WEB_DIR / "index.html").read_text(encoding="utf-8")
    tags = "".join(f'<script src="/static/{name}" defer></script>\n'
                   for name in PLUGIN_SCRIPTS if (WEB_DIR / name).is_file())
    return html.replace("<!-- plugin-scripts -->", tags)


def create_app(store: Any = None, db_url: str | None = None, token: Token | None = None,
               open_read: bool = False, allow_private: bool = False, warm: bool = True) -> FastAPI:
    """The application over ``store`` (or a new Store at ``db_url``), with writes guarded by ``token``.

    ``open_read`` lets non-loopback clients read without the token; ``allow_private`` lets
    POST /api/ingest fetch URLs on private and loopback addresses; ``warm`` builds the map's
    first answer in the background at start-up.
    """
    if store is None:
        from sahelwatch.store import Store

        store = Store(db_url)
    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            from sahelwatch.api.routes.events import warm_map_cache

            threading.Thread(target=_quietly, args=(warm_map_cache, app.state, store), daemon=True).start()
        yield

    app = FastAPI(
        lifespan=lifespan,
        docs_url=None,  # FastAPI's docs pages load their scripts from a CDN; the schema is at /openapi.json
        redoc_url=None,
        title="sahelwatch",
        version=__version__,
        description="Conflict events from news reports about the Sahel: query, review, export. "
                    "Reads are open on localhost; every write needs the API token "
                    "(`Authorization: Bearer TOKEN`).",
        dependencies=[Depends(require_read)],
    )
    app.state.store = store
    app.state.token = token or load_token()
    app.state.open_read = open_read
    app.state.allow_private = allow_private
    app.state.data_version = 0  # bumped by every write made through this app (cache key)
    app.add_middleware(SecurityHeaders)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(_error_body(exc.status_code, str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(_error_body(422, _validation_message(exc)), status_code=422)

    for _name, router in discover_routers():
        app.include_router(router)

    page = index_html()

    @app.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse, include_in_schema=False)
    def index() -> HTMLResponse:
        return HTMLResponse(page, headers={"cache-control": "no-cache"})

    app.mount("/static", StaticFiles(directory=WEB_DIR), name="static")
    return app


def _quietly(func: Any, *args: Any) -> None:
    try:
        func(*args)
    except Exception as exc:  # noqa: BLE001 - a warm-up is an optimisation; the request path reports errors
        log.warning("sahelwatch: map cache warm-up failed: %s", exc)


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in ("1", "true", "yes")


def app_from_env() -> FastAPI:
    """The app for `sahelwatch serve --workers N` (each worker process builds its own from the environment:
    SAHELWATCH_DB, SAHELWATCH_TOKEN, SAHELWATCH_OPEN_READ, SAHELWATCH_ALLOW_PRIVATE)."""
    return create_app(db_url=os.environ.get("SAHELWATCH_DB"), open_read=_flag("SAHELWATCH_OPEN_READ"),
                      allow_private=_flag("SAHELWATCH_ALLOW_PRIVATE"))
