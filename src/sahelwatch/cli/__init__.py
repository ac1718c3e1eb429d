"""The command line: a click group of verbs, each thin over a library function.

Each module in this package defines its verbs and lists them in ``COMMANDS``; they are found
here without a central list, so adding a verb touches one file.
"""
from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import click

from sahelwatch import __version__
from sahelwatch.errors import SahelwatchError


class _Verbs(click.Group):
    """The group of verbs: an error a user can meet (sahelwatch.errors) is one line and its exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SahelwatchError as exc:
            from sahelwatch.cli._common import error

            error(str(exc))
            ctx.exit(exc.exit_code)


@click.group(cls=_Verbs, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sahelwatch")
def main() -> None:
    """sahelwatch: conflict events from news reports about the Sahel."""
    import logging

    logging.basicConfig(format="%(message)s", level=logging.WARNING)


def _register() -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            main.add_command(command)


_register()
