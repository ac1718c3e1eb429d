"""`sahelwatch extract` and `sahelwatch evaluate`."""
from __future__ import annotations

import sys

import click

from sahelwatch.cli._common import date_option, error, settings


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "geojson", "table"]), default="jsonl",
              show_default=True, help="Output format.")
@click.option("--published", help="Publication date (YYYY-MM-DD) for inputs that do not carry one.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="Write here instead of stdout.")
@click.option("--processes", type=int, default=1, show_default=True, help="spaCy worker processes.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default=None,
              help="Run in this process (local, the default) or on a Dask cluster.")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Dask scheduler address (with --engine dask); without it a LocalCluster is started.")
@click.option("--workers", type=click.IntRange(min=1), help="LocalCluster worker processes (default: one per core).")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="Your own actor file (YAML), merged over the built-in registry; repeatable.")
def extract(inputs: tuple[str, ...], fmt: str, published: str | None, output: str | None, processes: int,
            engine: str | None, scheduler: str | None, workers: int | None, actor_files: tuple[str, ...]) -> None:
    """Extract ACLED-style events from reports: files, directories, .jsonl, or '-' for stdin."""
    from pathlib import Path

    from sahelwatch.engine import extractor
    from sahelwatch.errors import InputError
    from sahelwatch.formats import WRITERS
    from sahelwatch.ingest import read_inputs
    from sahelwatch.runtime import configure_extraction

    base = settings(engine=engine, scheduler=scheduler)
    actors = (*base.actors, *(str(Path(p).resolve()) for p in actor_files))
    config = base.model_copy(update={"actors": actors})
    configure_extraction(config)
    pub = date_option(published)
    failures = 0

    def documents():
        nonlocal failures
        for item in read_inputs(inputs, published=pub, max_bytes=config.max_doc_bytes):
            if isinstance(item, InputError):
                failures += 1
                error(str(item))
            else:
                yield item

    def failed(exc: Exception) -> None:  # a report too large or over its time budget: named, then the next
        nonlocal failures
        failures += 1
        error(str(exc))

    try:
        out = open(output, "w", encoding="utf-8", newline="") if output else sys.stdout  # closed below
    except OSError as exc:
        error(f"cannot write {output}: {exc.strerror or exc}")
        sys.exit(2)
    results = extractor(config.engine, scheduler=config.scheduler, workers=workers, n_process=processes,
                        settings=config, on_error=failed)(documents())

    def events():
        for _doc, evs in results:
            yield from evs

    try:
        WRITERS[fmt](events(), out)
    finally:
        if output:
            out.close()
    if failures:
        error(f"{failures} input(s) could not be read or extracted")
        sys.exit(1)


@click.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--details", is_flag=True, help="Also list missed and spurious events per document.")
def evaluate(gold: str, as_json: bool, details: bool) -> None:
    """Score extraction on a gold file: precision/recall/F1 and field accuracy."""
    from sahelwatch.evaluate import evaluate_file, render

    try:
        result = evaluate_file(gold)
    except ValueError as exc:
        error(f"{gold}: {exc}")
        sys.exit(2)
    click.echo(render(result, as_json=as_json, details=details))


COMMANDS = [extract, evaluate]
