"""Helpers the CLI verbs share: one-line errors, dates, output writing."""
from __future__ import annotations

import datetime as dt

import click


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
