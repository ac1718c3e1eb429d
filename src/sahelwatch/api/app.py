"""The FastAPI application: JSON API under /api, the web app under / and /static.

Route modules are found, not listed: every module in sahelwatch.api.routes with a ``router``
attribute is included (sorted by name), so other parts of sahelwatch add endpoints with one file.
"""
from __future__ import annotations

import contextlib
import importlib
import logging
import pkgutil
import threading
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from sahelwatch import __version__
from sahelwatch.api.auth import Token, load_token
from sahelwatch.api.deps import require_read
from sahelwatch.api.errors import ERROR_RESPONSES, BodyLimit, install_error_handlers
from sahelwatch.runtime import configure_extraction
from sahelwatch.settings import Settings, load_settings

if TYPE_CHECKING:
    from sahelwatch.store import Store

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
PLUGIN_SCRIPTS = ("alerts.js",)


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
        except Exception as exc:  # one broken plugin module must not take the server down
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


def create_app(config: Settings | None = None, store: Store | None = None, token: Token | None = None,
               warm: bool = True) -> FastAPI:
    """The application over ``store`` (or a new Store at ``config.db``), with writes guarded by ``token``
    (or the settings' token).

    ``config`` (default: the settings of the environment) says whether non-loopback clients read without
    the token (``open_read``), whether POST /api/ingest may fetch private addresses (``allow_private``)
    and the body size limit; ``warm`` builds the map's first answer in the background at start-up.
    """
    config = config or load_settings()
    configure_extraction(config)
    if store is None:
        from sahelwatch.store import Store

        store = Store(config.db)

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
                    "(`Authorization: Bearer TOKEN`). Every error answers `{\"error\": {\"code\", \"message\"}}`.",
        dependencies=[Depends(require_read)],
        responses=ERROR_RESPONSES,
    )
    app.state.settings = config
    app.state.store = store
    app.state.token = token or load_token(config)
    app.state.data_version = 0  # bumped by every write made through this app (cache key)
    app.add_middleware(BodyLimit, max_bytes=config.max_body_bytes)
    app.add_middleware(SecurityHeaders)
    install_error_handlers(app)
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
    except Exception as exc:  # a warm-up is an optimisation; the request path reports errors
        log.warning("sahelwatch: map cache warm-up failed: %s", exc)
