"""`sahelwatch serve`: the API and the analyst web app over an event store."""
from __future__ import annotations

import functools
import socket
import sys
from typing import TYPE_CHECKING

import click
from pydantic import SecretStr

from sahelwatch.cli._common import db_option, error, open_store, settings
from sahelwatch.settings import Settings

if TYPE_CHECKING:
    from sahelwatch.store import Store


def port_is_free(host: str, port: int) -> bool:
    """True when nothing listens on host:port (so uvicorn can bind it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


# On SIGTERM or Ctrl-C, requests in flight get this long to finish before they are cancelled.
GRACE_SECONDS = 5


def _stopping_server(config: object) -> object:
    """A uvicorn server that, when told to stop, also stops the extractions running in its worker threads
    (at their next window), so a long report being ingested does not hold the process for minutes."""
    import uvicorn

    from sahelwatch.pipeline import cancel_running

    class StoppingServer(uvicorn.Server):
        def handle_exit(self, sig: int, frame: object) -> None:
            cancel_running()
            super().handle_exit(sig, frame)  # type: ignore[arg-type]

    return StoppingServer(config)  # type: ignore[arg-type]


def run_server(config: Settings, host: str, port: int, store: Store | None = None, workers: int = 1) -> None:
    """Open the store, print the address and where the token is, and serve until interrupted."""
    import uvicorn

    from sahelwatch.api.app import create_app
    from sahelwatch.api.auth import UnsafeTokenFile, is_loopback, load_token

    if not port_is_free(host, port):
        error(f"{host}:{port} is already in use; pick another with --port")
        sys.exit(2)
    try:
        token = load_token(config)
    except UnsafeTokenFile as exc:
        error(str(exc))
        sys.exit(2)
    except OSError as exc:
        error(f"cannot create the API token file: {exc}; set SAHELWATCH_TOKEN instead")
        sys.exit(2)
    store = store or open_store(config)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"sahelwatch: serving http://{shown}:{port}/  (API schema: http://{shown}:{port}/openapi.json)")
    click.echo(f"sahelwatch: API token for changes ({token.origin}): {token.value}")
    if not is_loopback(host):
        click.echo(f"sahelwatch: warning: listening on {host}, not loopback; "
                   + ("reads are open to every client" if config.open_read else "reads from other hosts need the token"),
                   err=True)
    if workers > 1:
        store.close()
        _serve_workers(config.model_copy(update={"token": SecretStr(token.value)}), host, port, workers)
        return
    app = create_app(config, store=store, token=token)
    server_config = uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False,
                                   timeout_graceful_shutdown=GRACE_SECONDS)
    try:
        _stopping_server(server_config).run()
    finally:
        store.close()


def _serve_workers(config: Settings, host: str, port: int, workers: int) -> None:
    """``workers`` server processes on one socket; each builds its app from ``config`` (handed to it, pickled)."""
    from uvicorn import Config
    from uvicorn.supervisors import Multiprocess

    from sahelwatch.api.app import create_app

    server_config = Config(functools.partial(create_app, config), factory=True, host=host, port=port,
                           workers=workers, log_level="warning", access_log=False)
    Multiprocess(server_config, sockets=[server_config.bind_socket()]).run()


@click.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--open-read", is_flag=True, default=None, help="Let clients on other hosts read without the token.")
@click.option("--allow-private", is_flag=True, default=None,
              help="Let POST /api/ingest fetch URLs on private/loopback addresses.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Server processes (more answer more concurrent clients; one per core is a good start).")
def serve(db: str | None, host: str, port: int, open_read: bool | None, allow_private: bool | None,
          workers: int) -> None:
    """Serve the API (/api, /openapi.json) and the web app (/) over the event store."""
    config = settings(db=db, open_read=open_read, allow_private=allow_private)
    run_server(config, host, port, workers=workers)


COMMANDS = [serve]
