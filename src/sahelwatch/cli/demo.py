"""`sahelwatch demo`: the main job of `make run` on the bundled example reports."""
from __future__ import annotations

import click


@click.command()
@click.argument("inputs", nargs=-1)
def demo(inputs: tuple[str, ...]) -> None:
    """Extract the example reports and print their events as a table."""
    import sys

    from sahelwatch.formats import write_table
    from sahelwatch.ingest import InputError, read_inputs
    from sahelwatch.pipeline import extract_many

    docs = [d for d in read_inputs(inputs or ("examples",)) if not isinstance(d, InputError)]
    events = [e for _d, evs in extract_many(docs) for e in evs]
    write_table(events, sys.stdout)
    click.echo(f"{len(events)} events from {len(docs)} reports")


COMMANDS = [demo]
