"""`sahelwatch reextract` and `sahelwatch learned`: what reviews taught the extractor, and using it on stored
reports."""
from __future__ import annotations

import sys
from typing import Any

import click

from sahelwatch.cli._common import date_option, db_option, error, open_store, settings


def _value(v: Any) -> str:
    if v is None or v == "":
        return "–"
    if isinstance(v, float):
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return repr(v) if isinstance(v, str) else str(v)


def _show(refresh: Any, apply: bool) -> None:
    for change in refresh.changed:
        click.echo(f"{change.event_id} (report {refresh.doc_id}){' updated' if apply else ''}:")
        for name, (old, new) in change.changes.items():
            click.echo(f"  {name}: {_value(old)} -> {_value(new)}")
    for eid in refresh.reviewed:
        click.echo(f"{eid} (report {refresh.doc_id}): reviewed, kept as the reviewer left it")
    for i, rec in enumerate(refresh.new):
        where = rec.get("location") or rec.get("admin1") or rec.get("country") or "no place"
        what = f"{rec.get('event_type') or 'event'}, {where}, {rec.get('event_date') or 'no date'}"
        stored = f" stored as {refresh.added[i]}" if apply and i < len(refresh.added) else ""
        click.echo(f"+ new event in report {refresh.doc_id}: {what}{stored}")
    for eid in refresh.gone:
        click.echo(f"- {eid} (report {refresh.doc_id}): no longer extracted from this report; kept")


@click.command("reextract")
@click.option("--since", default=None, metavar="YYYY-MM-DD",
              help="Only reports published (else fetched) on or after this day.")
@db_option
@click.option("--apply", is_flag=True, help="Write the changes (default: only show them).")
@click.option("--processes", type=int, default=1, show_default=True, help="spaCy worker processes.")
def reextract(since: str | None, db: str | None, apply: bool, processes: int) -> None:
    """Run extraction again over stored reports, with the places and actors learned from reviews, and show
    what would change in unreviewed events (a diff); --apply writes it. Reviewed events are never overwritten.
    """
    from sahelwatch.runtime import configure_extraction
    from sahelwatch.service import reextract as run

    day = date_option(since, "--since")
    config = settings(db=db)
    configure_extraction(config)
    store = open_store(config)
    docs = changed = new = kept = 0
    try:
        for refresh in run(store, day.isoformat() if day else None, apply=apply, n_process=processes):
            docs += 1
            changed += len(refresh.changed)
            new += len(refresh.new)
            kept += len(refresh.reviewed)
            _show(refresh, apply)
    except KeyboardInterrupt:
        error("interrupted: the reports re-read so far are " + ("written" if apply else "unchanged"))
        sys.exit(130)
    finally:
        store.close()
    verb = "changed" if apply else "would change"
    click.echo(f"{docs} report(s) re-read: {changed} event(s) {verb}, {new} new event(s)"
               f"{' stored' if apply else ''}, {kept} reviewed event(s) kept"
               + ("" if apply or not (changed or new) else "; run again with --apply to write them"))


@click.command("learned")
@click.option("--undo", "undo_id", default=None, metavar="ID", help="Remove this learned entry (see the list).")
@click.option("--user", default="cli", show_default=True, help="Who undoes it (for the audit log).")
@db_option
def learned(undo_id: str | None, user: str, db: str | None) -> None:
    """List the places, actors and aliases learned from reviews (the user places and actors files), or undo one."""
    from sahelwatch.learning import list_learned, undo_learned

    config = settings(db=db)
    if undo_id:
        entry = undo_learned(config, undo_id)
        if entry.event_id:
            store = open_store(config)
            try:
                if store.get_event(entry.event_id) is not None:
                    store.record_audit(entry.event_id, "unlearn", user, entry.to_dict(), None)
            finally:
                store.close()
        click.echo(f"removed {entry.kind} {entry.name!r} from {entry.file}")
        return
    entries = list_learned(config)
    if not entries:
        click.echo(f"nothing learned yet ({config.user_places_path()}, {config.user_actors_path()})")
        return
    for e in entries:
        click.echo(f"{e.id}  {e.kind:<5}  {_describe(e)}  · by {e.added_by or '?'} from {e.event_id or '?'} "
                   f"{e.added_at}")


def _describe(e: Any) -> str:
    if e.kind == "place":
        return f"{e.name}, {e.admin2 or '–'}, {e.admin1 or '–'}, {e.country} ({_value(e.latitude)}, {_value(e.longitude)})"
    if e.kind == "actor":
        return f"{e.name} (inter {e.inter or '–'}, {e.country or 'no country'})"
    return f"{e.name!r} = {e.actor}"

COMMANDS = [reextract, learned]
