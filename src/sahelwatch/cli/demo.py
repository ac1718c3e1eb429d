"""`sahelwatch demo`: the main job of `make run`: ingest the example reports, then serve the web app."""
from __future__ import annotations

import sys

import click

from sahelwatch.cli._common import db_option, error, open_store, settings


def free_port_from(host: str, port: int, tries: int = 20) -> int | None:
    """The first free port from ``port`` on, or None when ``tries`` of them are all taken."""
    from sahelwatch.cli.serve import port_is_free

    return next((p for p in range(port, port + tries) if port_is_free(host, p)), None)


@click.command()
@click.argument("inputs", nargs=-1)
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (the next free one if it is taken).")
@click.option("--no-serve", is_flag=True, help="Ingest and print the events, but do not start the server.")
def demo(inputs: tuple[str, ...], db: str | None, host: str, port: int, no_serve: bool) -> None:
    """Ingest the example reports (default: examples/) into the database, then serve the web app."""
    from sahelwatch.cli.serve import run_server
    from sahelwatch.errors import InputError
    from sahelwatch.formats import write_table
    from sahelwatch.ingest import read_inputs
    from sahelwatch.runtime import configure_extraction
    from sahelwatch.service import ingest_documents

    config = settings(db=db)
    configure_extraction(config)
    items = list(read_inputs(inputs or ("examples",), max_bytes=config.max_doc_bytes))
    for bad in (i for i in items if isinstance(i, InputError)):
        error(str(bad))
    docs = [d for d in items if not isinstance(d, InputError)]
    store = open_store(config)
    report = ingest_documents(store, docs, progress=len(docs) > 5)
    write_table(store.query_events(limit=50), sys.stdout)
    click.echo(f"{len(docs)} example reports: {report.summary()}; the database holds {store.count_events()} events")
    if no_serve:
        store.close()
        return
    chosen = free_port_from(host, port)
    if chosen is None:
        store.close()
        error(f"ports {port}-{port + 19} on {host} are all taken; pick one with --port")
        sys.exit(2)
    if chosen != port:
        click.echo(f"sahelwatch: port {port} is busy, so the server takes port {chosen}")
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"sahelwatch: open http://{shown}:{chosen}/ in a browser; Ctrl-C to stop")
    run_server(config, host, chosen, store=store)


COMMANDS = [demo]
