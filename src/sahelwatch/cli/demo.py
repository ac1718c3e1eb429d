"""`sahelwatch demo`: the main job of `make run`: ingest the example reports, then serve the web app."""
from __future__ import annotations

import sys

import click

from sahelwatch.cli._common import error


@click.command()
@click.argument("inputs", nargs=-1)
@click.option("--db", "db", envvar="SAHELWATCH_DB", default=None,
              help="Database URL (default: SAHELWATCH_DB or sqlite:///sahelwatch.db).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (the next free one if it is taken).")
@click.option("--no-serve", is_flag=True, help="Ingest and print the events, but do not start the server.")
def demo(inputs: tuple[str, ...], db: str | None, host: str, port: int, no_serve: bool) -> None:
    """Ingest the example reports (default: examples/) into the database, then serve the web app."""
    from sahelwatch.cli.serve import port_is_free, run_server
    from sahelwatch.formats import write_table
    from sahelwatch.ingest import InputError, read_inputs
    from sahelwatch.store import Store

    items = list(read_inputs(inputs or ("examples",)))
    for bad in (i for i in items if isinstance(i, InputError)):
        error(str(bad))
    docs = [d for d in items if not isinstance(d, InputError)]
    try:
        store = Store(db)
    except Exception as exc:  # noqa: BLE001 - a bad URL or unreachable server: one line, no traceback
        error(f"cannot open the database {db or '(default)'}: {exc}")
        sys.exit(2)
    report = store.ingest(docs, progress=len(docs) > 5)
    total = store.count_events()
    write_table(store.query_events(limit=50), sys.stdout)
    summary = report.summary() if hasattr(report, "summary") else str(report)
    click.echo(f"{len(docs)} example reports: {summary}; the database holds {total} events")
    if no_serve:
        store.close()
        return
    for candidate in range(port, port + 20):
        if port_is_free(host, candidate):
            break
    else:
        error(f"ports {port}-{port + 19} on {host} are all taken; pick one with --port")
        sys.exit(2)
    run_server(db, host, candidate, store=store)


COMMANDS = [demo]
