"""Helpers the CLI verbs share: the --db option, the settings, the store, one-line errors, dates."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import click

from sahelwatch.settings import Settings, load_settings

if TYPE_CHECKING:
    from sahelwatch.store import Store

DB_HELP = ("Database URL: sqlite:///FILE, a bare path, or postgresql://USER@HOST:PORT/DB "
           "(default: $SAHELWATCH_DB, else sqlite:///sahelwatch.db).")
db_option = click.option("--db", "db", default=None, metavar="URL", help=DB_HELP)


def settings(**flags: Any) -> Settings:
    """The settings of this run: the flags given (None: not given), then SAHELWATCH_*, then defaults."""
    return load_settings(**flags)


def open_store(config: Settings) -> Store:
    """The store at ``config.db`` (DatabaseError, turned into one line by the CLI, when it cannot be opened)."""
    from sahelwatch.store import Store

    return Store(config.db)


def date_option(value: str | None, name: str = "--published") -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (want YYYY-MM-DD)", param_hint=name) from None


def error(message: str) -> None:
    """One line on standard error, prefixed so scripts and people can spot it."""
    click.echo(f"sahelwatch: error: {message}", err=True)
