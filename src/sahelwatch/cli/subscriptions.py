"""`sahelwatch subscriptions add | list | remove | check | deliveries`: alerts that reach people.

A subscription is a named filter (country, admin1/admin2, actor, event type, minimum fatalities) with the
alert rules it follows; its new alerts go to an Atom feed (/api/subscriptions/ID/feed.atom) and, when it
has one, to a webhook. `ingest` and `watch` evaluate the subscriptions after every run that stored events.
"""
from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from sahelwatch.cli._common import db_option, open_store, settings

if TYPE_CHECKING:
    from sahelwatch.settings import Settings
    from sahelwatch.store import IngestReport, Store

RULE_CHOICE = click.Choice(["escalation", "civilian_targeting_rise", "new_area", "new_actor",
                            "state_violence_against_civilians"])


def notify_after_ingest(store: Store, config: Settings, report: IngestReport) -> None:
    """Evaluate the subscriptions when the ingest stored or linked events (and there are subscriptions)."""
    if report.events_added + report.events_linked == 0 or not store.subscriptions():
        return
    from sahelwatch.notify import evaluate_subscriptions

    result = evaluate_subscriptions(store, config)
    click.echo(result.summary())
    for problem in result.errors:
        click.echo(f"sahelwatch: warning: {problem} (see `sahelwatch subscriptions deliveries`)", err=True)


@click.group()
def subscriptions() -> None:
    """Alert subscriptions: named filters whose new alerts go to an Atom feed and a webhook."""


@subscriptions.command("add")
@click.argument("name")
@click.option("--country", help="Country name, e.g. Mali.")
@click.option("--admin1", help="First-level region, e.g. Mopti.")
@click.option("--admin2", help="Second-level region, e.g. Djenne.")
@click.option("--actor", help="Actor name or part of it (actor1, actor2 or associated).")
@click.option("--type", "event_type", help="ACLED event type, e.g. Battles.")
@click.option("--min-fatalities", type=click.IntRange(0), help="Only events with at least this many fatalities.")
@click.option("--rule", "rules", multiple=True, type=RULE_CHOICE, help="Only these alert rules (repeatable; default all).")
@click.option("--period", type=click.Choice(["month", "week"]), default="month", show_default=True)
@click.option("--webhook", "webhook_url", metavar="URL", help="POST each new alert here as JSON (signed).")
@click.option("--secret", help="HMAC key of the webhook signature (default: a random one, printed once).")
@click.option("--backfill", is_flag=True, help="Also deliver the alerts there already (default: only new ones).")
@db_option
def add(name: str, db: str | None, rules: tuple[str, ...], **spec: Any) -> None:
    """Subscribe to the alerts of a filter; prints its id, its feed and the webhook secret."""
    from sahelwatch.notify import create_subscription

    store = open_store(settings(db=db))
    try:
        sub, existing = create_subscription(store, name, rules=rules, **spec)
    finally:
        store.close()
    click.echo(f"subscription {sub.id} {sub.name!r}: {existing} alert(s) there already "
               f"({'to be delivered' if spec.get('backfill') else 'not delivered'})")
    click.echo(f"feed: /api/subscriptions/{sub.id}/feed.atom (on the `sahelwatch serve` address)")
    if sub.webhook_url:
        click.echo(f"webhook: {sub.webhook_url}")
        click.echo(f"secret: {sub.secret}  (X-Sahelwatch-Signature: sha256=HMAC-SHA256 of the body; shown once)")


@subscriptions.command("list")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@db_option
def list_(fmt: str, db: str | None) -> None:
    """The subscriptions, with their filters, rules and webhook (never the secret)."""
    from sahelwatch.notify.atom import describe

    store = open_store(settings(db=db))
    try:
        subs = store.subscriptions()
    finally:
        store.close()
    for sub in subs:
        if fmt == "jsonl":
            click.echo(json.dumps(sub.public(), ensure_ascii=False))
        else:
            click.echo(f"{sub.id}\t{sub.name}\t{describe(sub)}\t{sub.webhook_url or '(feed only)'}")
    if not subs and fmt == "table":
        click.echo("no subscriptions (add one with `sahelwatch subscriptions add NAME --country ...`)", err=True)


@subscriptions.command("remove")
@click.argument("subscription_id", type=int)
@db_option
def remove(subscription_id: int, db: str | None) -> None:
    """Delete a subscription, the alerts found for it and its delivery log."""
    store = open_store(settings(db=db))
    try:
        sub = store.remove_subscription(subscription_id)
    finally:
        store.close()
    click.echo(f"subscription {sub.id} {sub.name!r} removed")


@subscriptions.command("check")
@click.argument("subscription_ids", type=int, nargs=-1)
@db_option
def check(subscription_ids: tuple[int, ...], db: str | None) -> None:
    """Evaluate the subscriptions now (ingest and watch do it after each run) and deliver what is pending."""
    from sahelwatch.notify import evaluate_subscriptions

    config = settings(db=db)
    store = open_store(config)
    try:
        for sid in subscription_ids:
            store.get_subscription(sid)  # NotFound: one line, exit code 1
        result = evaluate_subscriptions(store, config, only=list(subscription_ids) or None)
    finally:
        store.close()
    click.echo(result.summary())
    for problem in result.errors:
        click.echo(f"sahelwatch: warning: {problem}", err=True)
    if result.pending or result.failed:
        sys.exit(1)


@subscriptions.command("deliveries")
@click.argument("subscription_id", type=int)
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True)
@db_option
def deliveries(subscription_id: int, limit: int, db: str | None) -> None:
    """The webhook delivery attempts of a subscription, newest first."""
    store = open_store(settings(db=db))
    try:
        store.get_subscription(subscription_id)
        rows = store.deliveries(subscription_id, limit)
    finally:
        store.close()
    for d in rows:
        click.echo(f"{d.at}\t{d.alert_key[:12]}\tattempt {d.attempt}\t{'ok' if d.ok else 'FAILED'}\t"
                   f"{d.status_code or '-'}\t{d.error or ''}")


COMMANDS = [subscriptions]
