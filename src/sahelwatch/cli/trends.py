"""`sahelwatch trends`, `sahelwatch alerts` and `sahelwatch interactions`: change over time."""
from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from typing import Any

import click

from sahelwatch.cli._common import date_option, db_option, error, open_store, settings
from sahelwatch.errors import DatabaseError, InvalidRequest


class EventsError(InvalidRequest):
    """Events could not be read (the message names the input); one line and exit code 2."""


def read_jsonl(path: str) -> Iterator[dict[str, Any]]:
    """Events from a JSON Lines file ('-' for stdin); a bad line stops with FILE:LINE and the reason."""
    from sahelwatch.errors import InputError
    from sahelwatch.ingest.files import json_objects

    name = "<stdin>" if path == "-" else path
    try:
        fh = contextlib.nullcontext(sys.stdin) if path == "-" else open(path, encoding="utf-8")
    except OSError as exc:
        raise EventsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    with fh as lines:
        try:
            for item in json_objects(lines, name, max_bytes=10**9):
                if isinstance(item, InputError):
                    raise EventsError(f"{name}:{item.line}: not a JSON object ({item.message})")
                number, row = item
                if not row.get("event_date"):
                    raise EventsError(f"{name}:{number}: event has no event_date")
                yield row
        except UnicodeDecodeError:
            raise EventsError(f"{name}: not UTF-8 text") from None


def load_frame(events_file: str | None, db: str | None) -> Any:
    """The events of --events FILE, else of the store at --db (the settings' database)."""
    from sahelwatch.trends import EventFrame, FrameError

    try:
        if events_file:
            return EventFrame.from_records(read_jsonl(events_file))
        config = settings(db=db)
        try:
            store = open_store(config)
        except DatabaseError as exc:
            raise EventsError(f"{config.db}: cannot read events: {str(exc).split(': ', 2)[-1]}") from None
        try:
            return EventFrame.from_records(store.iter_events())
        finally:
            store.close()
    except FrameError as exc:
        raise EventsError(f"{events_file or db or 'store'}: {exc}") from None


def source_options(func: Callable) -> Callable:
    func = db_option(func)
    func = click.option("--events", "events_file", metavar="FILE.jsonl",
                        help="Read events from JSON Lines (e.g. `sahelwatch extract` output; '-' for stdin).")(func)
    return func




def _write(rows: list[dict[str, Any]], fmt: str, columns: list[str], title: str) -> None:
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, ensure_ascii=False))
        return
    if fmt == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold",
                         justify="right" if rows and isinstance(rows[0].get(col), (int, float)) else "left")
    for row in rows:
        table.add_row(*("" if row.get(c) is None else _cell(row.get(c)) for c in columns))
    Console(file=sys.stdout, width=Console().width if sys.stdout.isatty() else 200).print(table)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3g}" if value < 0.01 else f"{value:g}"
    return str(value)


@click.command()
@click.option("--by", type=click.Choice(["country", "admin1", "admin2", "actor", "event_type"]), default="admin1",
              show_default=True, help="What to count per period.")
@click.option("--period", type=click.Choice(["week", "month"]), default="month", show_default=True)
@click.option("--plot", "plot_file", metavar="FILE.png|FILE.svg", help="Also draw the timeline of the top rows.")
@click.option("--top", type=click.IntRange(1, 50), default=8, show_default=True, help="Rows drawn in --plot.")
@click.option("--country", help="Only events in this country (e.g. Burkina Faso).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
@source_options
def trends(by: str, period: str, plot_file: str | None, top: int, country: str | None, fmt: str,
           events_file: str | None, db: str | None) -> None:
    """Events, fatalities and civilian fatalities per area, actor or event type, per week or month."""
    from sahelwatch.trends import AlertConfig, detect_alerts, series

    if plot_file and not plot_file.lower().endswith((".png", ".svg")):
        raise click.BadParameter(f"{plot_file!r}: chart files must end in .png or .svg", param_hint="--plot")
    frame = load_frame(events_file, db)
    if country:
        frame = frame.where(country=country)
    s = series(frame, by, period)
    rows = s.rows()
    keys = [f for f in ("country", "admin1", "admin2") if by in ("admin1", "admin2") and f in (s.keys[0] if s.keys
                                                                                                 else {})]
    columns = (keys if keys else [by]) + ["period", "events", "fatalities", "civilian_events", "civilian_fatalities"]
    _write(rows, fmt, columns, f"Events per {period} by {by}")
    if plot_file:
        from sahelwatch.trends.plot import plot_series

        alerts = detect_alerts(frame, AlertConfig(period=period), rules=("escalation",)) if by in (
            "country", "admin1", "admin2") else []
        try:
            plot_series(s, plot_file, top=top, alerts=alerts)
        except OSError as exc:
            error(f"{plot_file}: cannot write: {exc.strerror or exc}")
            sys.exit(2)
        click.echo(f"chart written to {plot_file}", err=True)


@click.command()
@click.option("--since", help="Only alerts for periods ending on or after this date (YYYY-MM-DD).")
@click.option("--period", type=click.Choice(["week", "month"]), default="month", show_default=True)
@click.option("--rule", "rules", multiple=True,
              type=click.Choice(["escalation", "civilian_targeting_rise", "new_area", "new_actor",
                                 "state_violence_against_civilians"]),
              help="Only these rules (repeatable; default all).")
@click.option("--alpha", type=click.FloatRange(0, 1, min_open=True, max_open=True),
              help="p-value below which a count is an escalation (default: data/alerts.yaml's, 0.005).")
@click.option("--window", type=click.IntRange(1, 520), help="Trailing baseline, in periods (default: data/alerts.yaml's, 12).")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@source_options
def alerts(since: str | None, period: str, rules: tuple[str, ...], alpha: float | None, window: int | None, fmt: str,
           events_file: str | None, db: str | None) -> None:
    """Early-warning alerts with the numbers behind them: escalation, new areas and actors, civilians."""
    from sahelwatch.trends import RULES, AlertConfig, detect_alerts

    since_date = date_option(since, "--since")
    frame = load_frame(events_file, db)
    given = {k: v for k, v in (("alpha", alpha), ("window", window)) if v is not None}
    config = AlertConfig(period=period, **given)
    held: list = []
    found = detect_alerts(frame, config, since=since_date, rules=rules or RULES, held=held)
    if held:
        click.echo(f"{len(held)} new area/actor alert(s) held back: the {config.coverage_scope} had events in fewer "
                   f"than {config.min_coverage_periods} of the {config.lookback_periods} {period}s before "
                   "(coverage thresholds in data/alerts.yaml)", err=True)
    rows = [a.to_dict() for a in found]
    if fmt == "table":
        for row in rows:
            row["baseline"] = "" if row["baseline"] is None else round(row["baseline"], 2)
            row["p_value"] = "" if row["p_value"] is None else f"{row['p_value']:.2g}"
    _write(rows, fmt, ["period", "rule", "area", "actor", "metric", "observed", "baseline", "p_value"],
           f"{len(rows)} alert(s)")


@click.command()
@click.option("--period", type=click.Choice(["week", "month"]), default="month", show_default=True)
@click.option("--since", help="Only periods ending on or after this date (YYYY-MM-DD).")
@click.option("--min-events", type=click.IntRange(1), default=1, show_default=True,
              help="Leave out pairs with fewer events in a period.")
@click.option("--country", help="Only events in this country.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv"]), default="table", show_default=True)
@source_options
def interactions(period: str, since: str | None, min_events: int, country: str | None, fmt: str,
                 events_file: str | None, db: str | None) -> None:
    """Who fights whom: events and fatalities per pair of actors, per period."""
    from sahelwatch.trends import interactions as pairs

    since_date = date_option(since, "--since")
    frame = load_frame(events_file, db)
    if country:
        frame = frame.where(country=country)
    rows = [r for r in pairs(frame, period) if r["events"] >= min_events]
    if since_date:
        rows = [r for r in rows if r["period_end"] >= since_date.isoformat()]
    _write(rows, fmt, ["period", "actor1", "actor2", "events", "fatalities", "civilian_fatalities"],
           f"Interactions per {period}")


COMMANDS = [trends, alerts, interactions]
