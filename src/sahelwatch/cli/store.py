"""`sahelwatch ingest`, `watch`, `events` and `export`: the event store from the command line."""
from __future__ import annotations

import re
import sys
import time
from typing import Any

import click

from sahelwatch.cli._common import date_option, db_option, error, open_store, settings
from sahelwatch.cli.subscriptions import notify_after_ingest


def _collect(inputs: tuple[str, ...], published: Any, allow_private: bool, known: Any) -> tuple[list, int]:
    from sahelwatch.errors import InputError
    from sahelwatch.ingest.web import read_sources

    docs, failures = [], 0
    for item in read_sources(inputs, published=published, allow_private=allow_private, known=known):
        if isinstance(item, InputError):
            failures += 1
            error(str(item))
        else:
            docs.append(item)
    return docs, failures


@click.command()
@click.argument("inputs", nargs=-1, required=True)
@db_option
@click.option("--allow-private", is_flag=True, default=None, help="Allow URLs on private or loopback addresses.")
@click.option("--published", help="Publication date (YYYY-MM-DD) for inputs that do not carry one.")
@click.option("--processes", type=int, default=1, show_default=True, help="spaCy worker processes.")
@click.option("--engine", type=click.Choice(["local", "dask"]), default=None,
              help="Extract in this process (local, the default) or on a Dask cluster; the store is written here "
                   "either way.")
@click.option("--scheduler", metavar="tcp://HOST:PORT",
              help="Dask scheduler address (with --engine dask); without it a LocalCluster is started.")
@click.option("--workers", type=click.IntRange(min=1), help="LocalCluster worker processes (default: one per core).")
def ingest(inputs: tuple[str, ...], db: str | None, allow_private: bool | None, published: str | None,
           processes: int, engine: str | None, scheduler: str | None, workers: int | None) -> None:
    """Extract, deduplicate and store events from files, directories, .jsonl, '-', URLs and RSS/Atom feeds.

    Idempotent: documents already stored (same URL or same text) are skipped, so a rerun continues.
    """
    from sahelwatch.engine import extractor
    from sahelwatch.runtime import configure_extraction
    from sahelwatch.service import ingest_documents

    config = settings(db=db, allow_private=allow_private, engine=engine, scheduler=scheduler)
    configure_extraction(config)
    pub = date_option(published)
    store = open_store(config)
    unread: list[str] = []  # reports too large or over their time budget: named after the summary
    try:
        docs, failures = _collect(inputs, pub, config.allow_private, store.has_url)
        report = ingest_documents(store, docs, progress=True,
                                  extract=extractor(config.engine, scheduler=config.scheduler, workers=workers,
                                                    n_process=processes, settings=config,
                                                    on_error=lambda exc: unread.append(str(exc))))
        click.echo(report.summary())
        notify_after_ingest(store, config, report)
    except KeyboardInterrupt:
        error("interrupted: every batch committed so far is kept; run the same command again to continue")
        sys.exit(130)
    finally:
        store.close()
    for problem in report.errors + unread:
        error(problem)
    failures += len(report.errors) + len(unread)
    if failures:
        error(f"{failures} input(s) could not be read or extracted")
        sys.exit(1)


def parse_every(value: str) -> float:
    """'15m', '30s', '1h', '90' (seconds) -> seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", value or "")
    if not m:
        raise click.BadParameter(f"{value!r}: want a duration such as 30s, 15m, 1h", param_hint="--every")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


@click.command()
@click.argument("feeds", nargs=-1, required=True)
@click.option("--every", default="15m", show_default=True, help="Time between polls (30s, 15m, 1h).")
@click.option("--once", is_flag=True, help="Poll once and exit (non-zero if a feed failed).")
@db_option
@click.option("--allow-private", is_flag=True, default=None, help="Allow feeds on private or loopback addresses.")
def watch(feeds: tuple[str, ...], every: str, once: bool, db: str | None, allow_private: bool | None) -> None:
    """Poll RSS/Atom feeds (or pages) and ingest new entries; entries already stored are not fetched again."""
    import datetime as dt

    from sahelwatch.runtime import configure_extraction
    from sahelwatch.service import ingest_documents

    seconds = parse_every(every)
    config = settings(db=db, allow_private=allow_private)
    configure_extraction(config)
    store = open_store(config)
    try:
        while True:
            docs, failures = _collect(feeds, None, config.allow_private, store.has_url)
            report = ingest_documents(store, docs, progress=True)
            stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
            click.echo(f"{stamp} {report.summary()}")
            notify_after_ingest(store, config, report)
            if once:
                if failures:
                    error(f"{failures} feed(s) or entries could not be read")
                    sys.exit(1)
                return
            time.sleep(seconds)
    except KeyboardInterrupt:
        error("stopped: everything ingested so far is kept")
        sys.exit(130)
    finally:
        store.close()


def _filter_options(f: Any) -> Any:
    for opt in reversed([
        click.option("--country", multiple=True, help="Country name (repeatable)."),
        click.option("--admin1", help="First-level region, e.g. Tillaberi."),
        click.option("--actor", help="Actor name or part of it (actor1, actor2 or associated)."),
        click.option("--type", "event_type", multiple=True, help="ACLED event type (repeatable)."),
        click.option("--since", help="First event date, YYYY-MM-DD."),
        click.option("--until", help="Last event date, YYYY-MM-DD."),
        click.option("--min-fatalities", type=int, help="At least this many fatalities."),
        click.option("--bbox", help="W,S,E,N in degrees."),
        click.option("--text", help="Words that the source reports contain."),
        click.option("--status", type=click.Choice(["unreviewed", "verified", "rejected"]), help="Review status."),
        click.option("--claimed/--unclaimed", default=None, help="Only events resting on a party's claim, or none."),
        click.option("--confirmed/--unconfirmed", default=None,
                     help="Only events reported by a source other than a claim or the claimant's own, or the others."),
        click.option("--min-sources", type=click.IntRange(min=1), help="At least this many independent sources."),
        db_option,
    ]):
        f = opt(f)
    return f


def _filters(country: tuple[str, ...], admin1: str | None, actor: str | None, event_type: tuple[str, ...],
             since: str | None, until: str | None, min_fatalities: int | None, bbox: str | None, text: str | None,
             status: str | None, claimed: bool | None = None, confirmed: bool | None = None,
             min_sources: int | None = None) -> dict[str, Any]:
    from sahelwatch.store import parse_bbox

    if bbox:
        try:
            parse_bbox(bbox)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--bbox") from None
    return {"country": list(country) or None, "admin1": admin1, "actor": actor, "event_type": list(event_type) or None,
            "since": date_option(since, "--since"), "until": date_option(until, "--until"),
            "min_fatalities": min_fatalities, "bbox": bbox, "text": text, "status": status, "claimed": claimed,
            "confirmed": confirmed, "min_sources": min_sources}


@click.command()
@_filter_options
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv", "geojson"]), default="table",
              show_default=True)
@click.option("--limit", type=int, help="At most this many events (table: 100 unless given).")
def events(db: str | None, fmt: str, limit: int | None, **kw: Any) -> None:
    """List stored events, newest first, filtered."""
    from sahelwatch.formats import WRITERS

    filters = _filters(**kw)
    store = open_store(settings(db=db))
    try:
        if fmt == "table" and limit is None:
            limit = 100
        rows = store.query_events(limit=limit, **filters) if limit is not None else store.iter_events(newest_first=True, **filters)
        WRITERS[fmt](rows, sys.stdout)
        if fmt == "table":
            total = store.count_events(**filters)
            if limit is not None and total > limit:
                click.echo(f"({limit} of {total} events shown; use --limit or --format jsonl for more)", err=True)
    finally:
        store.close()


@click.command()
@_filter_options
@click.option("--format", "fmt", type=click.Choice(["acled-csv", "jsonl", "geojson", "parquet", "gpkg"]), required=True,
              help="parquet is GeoParquet 1.1 and gpkg a GeoPackage layer: both open in QGIS/GDAL as point layers.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, writable=True), help="File to write.")
def export(db: str | None, fmt: str, output: str, **kw: Any) -> None:
    """Export stored events: ACLED's 31-column CSV, JSON Lines, GeoJSON, GeoParquet or a GeoPackage."""
    from sahelwatch.store.export import export_events

    filters = _filters(**kw)
    store = open_store(settings(db=db))
    try:
        n = export_events(store.iter_events(**filters), fmt, output)
    except OSError as exc:
        error(f"{output}: cannot write: {exc.strerror or exc}")
        sys.exit(1)
    finally:
        store.close()
    click.echo(f"{n} event(s) written to {output}", err=True)


COMMANDS = [ingest, watch, events, export]
