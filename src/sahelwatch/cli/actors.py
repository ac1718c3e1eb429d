"""`sahelwatch actors`: list and search the actor registry, or resolve a name or a sentence."""
from __future__ import annotations

import sys

import click

from sahelwatch.cli._common import date_option, error, settings


@click.command("actors")
@click.option("--search", "-s", "search", default="", help="Show only actors whose names, aliases, kind or parent "
              "contain TEXT (accents and case ignored).")
@click.option("--actors", "actor_files", multiple=True, type=click.Path(dir_okay=False),
              help="A registry file merged over the built-in one (repeatable; also SAHELWATCH_ACTORS).")
@click.option("--resolve", "resolve_text", default=None, metavar="TEXT",
              help="Instead of listing, show the actor mentions in TEXT and how they are coded.")
@click.option("--eras", is_flag=True, help="Instead of actors, list the regime eras that name state forces, police "
              "and government (filtered by --search on the country).")
@click.option("--country", default=None, help="With --resolve: the event's country.")
@click.option("--date", "date", default=None, metavar="YYYY-MM-DD", help="With --resolve: the event's date.")
def actors(search: str, actor_files: tuple[str, ...], resolve_text: str | None, eras: bool, country: str | None,
           date: str | None) -> None:
    """List the actor registry: canonical name, short name, inter code, parent, countries, aliases."""
    from rich.console import Console
    from rich.table import Table

    from sahelwatch.actors import ActorFileError, load_registry
    from sahelwatch.runtime import configure_extraction

    configure_extraction(settings())  # the SAHELWATCH_ACTORS files
    try:
        registry = load_registry(actor_files)
    except ActorFileError as exc:
        error(str(exc))
        sys.exit(2)
    console = Console(width=200 if not sys.stdout.isatty() else None)
    if resolve_text is not None:
        when = date_option(date, "--date")
        table = Table("mention", "category", "country named", "coded as", "inter", "assoc")
        for m in registry.find_mentions(resolve_text):
            r = registry.resolve(m, country, when)
            table.add_row(m.text, m.category, m.country or "", r.name, str(r.inter), "yes" if r.assoc else "")
        console.print(table)
        return
    if eras:
        table = Table("country", "era", "from", "to", "state forces are named")
        from sahelwatch.actors.matcher import fold

        for c in registry.countries.values():
            if search and fold(search) not in fold(c.name):
                continue
            for start, end, label in c.era_ranges():
                named = registry.resolve_name("soldiers", c.name, start)
                table.add_row(c.name, label, start.isoformat(), end.isoformat() if end else "", named.name)
        console.print(table)
        return
    found = registry.search(search)
    if not found:
        error(f"no actor matches {search!r}")
        sys.exit(1)
    table = Table("name", "short", "inter", "category", "parent", "countries", "aliases")
    for a in found:
        inter = str(a.inter) if a.inter else "by role" if a.roles else "-"
        table.add_row(a.name, a.short, inter, a.category, a.parent or "", ", ".join(a.countries),
                      str(len(a.all_aliases)))
    console.print(table)
    click.echo(f"{len(found)} of {len(registry.actors)} actors")


COMMANDS = [actors]
