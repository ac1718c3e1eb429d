"""`sahelwatch gazetteer import|lookup`: the user's gazetteer of places."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from sahelwatch.cli._common import error


def _db(path: str | None) -> Path:
    from sahelwatch.geo.gazetteer import default_db_path

    return Path(path).expanduser() if path else default_db_path()


@click.group("gazetteer")
def gazetteer() -> None:
    """The gazetteer of places: import GeoNames dumps and local CSV files, look names up."""


_DB_OPTION = click.option("--gazetteer", "db", metavar="PATH", default=None,
                          help="User gazetteer file (default: $SAHELWATCH_GAZETTEER or "
                               "~/.local/share/sahelwatch/gazetteer.db).")


@gazetteer.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--country", "countries", multiple=True, metavar="CC",
              help="Keep only this country's rows of a GeoNames dump (repeatable; for allCountries.txt).")
@_DB_OPTION
def import_cmd(files: tuple[Path, ...], countries: tuple[str, ...], db: str | None) -> None:
    """Import GeoNames dumps (NE.txt, ML.txt, ...) and places CSV files into the user gazetteer.

    CSV header: name,alternate_names,country,admin1,admin2,latitude,longitude,feature.
    Each file is all-or-nothing; importing the same file again changes nothing.
    """
    from sahelwatch.geo.importers import GazetteerFileError, connect, import_file

    target = _db(db)
    con = connect(target)
    failed = 0
    try:
        for path in files:
            try:
                click.echo(import_file(con, path, countries=countries).summary())
            except GazetteerFileError as e:
                error(f"{e} (nothing imported from this file)")
                failed += 1
    finally:
        con.close()
    if failed:
        sys.exit(1)


@gazetteer.command("lookup")
@click.argument("name")
@click.option("--country", default=None, help="Only candidates in this country (name or ISO code).")
@_DB_OPTION
def lookup_cmd(name: str, country: str | None, db: str | None) -> None:
    """Show the gazetteer's candidates for a place name."""
    from sahelwatch.geo.gazetteer import load_gazetteer

    gz = load_gazetteer(_db(db))
    if country and gz.country_name(country) is None:
        error(f"--country {country!r}: unknown country")
        sys.exit(2)
    places = gz.lookup(name, country)
    if not places:
        error(f"no place named {name!r}" + (f" in {gz.country_name(country)}" if country else ""))
        sys.exit(1)
    header = ("name", "country", "admin1", "admin2", "lat", "lon", "feature", "population", "source")
    rows = [(p.name, p.country, p.admin1, p.admin2, f"{p.latitude:.4f}" if p.latitude is not None else "",
             f"{p.longitude:.4f}" if p.longitude is not None else "", p.feature, str(p.population), p.source)
            for p in places]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, *rows]:
        click.echo("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())


COMMANDS = [gazetteer]
