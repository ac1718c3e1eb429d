"""Alert subscriptions in the store: the named filters, the alerts found for each (recorded once, so an
alert is delivered once) and the log of webhook delivery attempts.

Persistence only: finding alerts and posting them is ``sahelwatch.notify``'s job.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from sahelwatch.errors import InvalidRequest, NotFound
from sahelwatch.store.db import Database, chunks
from sahelwatch.store.records import now
from sahelwatch.store.schema import deliveries, subscription_alerts, subscriptions

FILTER_FIELDS = ("country", "admin1", "admin2", "actor", "event_type", "min_fatalities")
FEED_STATES = ("feed", "pending", "delivered", "failed")  # every state but "baseline"


@dataclass(frozen=True)
class Subscription:
    """A named filter of events, the alert rules it follows and where its alerts go."""

    id: int
    name: str
    created: str
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    actor: str | None = None
    event_type: str | None = None
    min_fatalities: int | None = None
    rules: tuple[str, ...] = ()  # empty: every rule
    period: str = "month"
    webhook_url: str | None = None
    secret: str | None = field(default=None, repr=False)

    def event_filters(self) -> dict[str, Any]:
        """The store filters of its events (Store.iter_events keywords; admin2 is applied on the frame)."""
        out = {k: getattr(self, k) for k in ("country", "admin1", "actor", "event_type", "min_fatalities")}
        return {k: v for k, v in out.items() if v not in (None, "")}

    def public(self) -> dict[str, Any]:
        """Its fields without the webhook secret (what reads of the API show)."""
        out = asdict(self)
        out.pop("secret")
        out["rules"] = list(self.rules)
        out["signed"] = bool(self.secret)
        return out


@dataclass(frozen=True)
class SubscriptionAlert:
    """An alert found for a subscription, with where its delivery stands."""

    subscription_id: int
    alert_key: str
    alert: dict[str, Any]
    found: str
    state: str
    rounds: int = 0
    delivered: str | None = None


@dataclass(frozen=True)
class Delivery:
    """One attempt to POST an alert to a subscription's webhook."""

    subscription_id: int
    alert_key: str
    url: str
    attempt: int
    at: str
    ok: bool
    status_code: int | None = None
    error: str | None = None
    seconds: float | None = None
    id: int | None = None


def _subscription(row: Any) -> Subscription:
    m = row._mapping
    return Subscription(id=m["id"], name=m["name"], created=m["created"], country=m["country"], admin1=m["admin1"],
                        admin2=m["admin2"], actor=m["actor"], event_type=m["event_type"],
                        min_fatalities=m["min_fatalities"], rules=tuple(r for r in (m["rules"] or "").split(",") if r),
                        period=m["period"], webhook_url=m["webhook_url"], secret=m["secret"])


def add_subscription(db: Database, name: str, *, period: str = "month", rules: tuple[str, ...] = (),
                     webhook_url: str | None = None, secret: str | None = None, **filters: Any) -> Subscription:
    """Store a new subscription; InvalidRequest when the name is taken."""
    unknown = set(filters) - set(FILTER_FIELDS)
    if unknown:
        raise InvalidRequest(f"unknown subscription filter(s) {', '.join(sorted(unknown))}; want {', '.join(FILTER_FIELDS)}")
    row = {"name": name, "period": period, "rules": ",".join(rules), "webhook_url": webhook_url or None,
           "secret": secret or None, "created": now(), **{k: filters.get(k) for k in FILTER_FIELDS}}
    with db.write() as conn:
        if conn.execute(sa.select(subscriptions.c.id).where(subscriptions.c.name == name)).first():
            raise InvalidRequest(f"a subscription named {name!r} already exists (remove it first, or pick another name)")
        new_id = conn.execute(subscriptions.insert().values(**row)).inserted_primary_key[0]
    return get_subscription(db, int(new_id))


def list_subscriptions(db: Database) -> list[Subscription]:
    with db.engine.connect() as conn:
        return [_subscription(r) for r in conn.execute(sa.select(subscriptions).order_by(subscriptions.c.id))]


def get_subscription(db: Database, subscription_id: int) -> Subscription:
    with db.engine.connect() as conn:
        row = conn.execute(sa.select(subscriptions).where(subscriptions.c.id == subscription_id)).first()
    if row is None:
        raise NotFound(f"no subscription with id {subscription_id}")
    return _subscription(row)


def remove_subscription(db: Database, subscription_id: int) -> Subscription:
    """Delete a subscription with the alerts found for it and its delivery log."""
    sub = get_subscription(db, subscription_id)
    with db.write() as conn:
        for table in (deliveries, subscription_alerts):
            conn.execute(table.delete().where(table.c.subscription_id == subscription_id))
        conn.execute(subscriptions.delete().where(subscriptions.c.id == subscription_id))
    return sub


def record_alerts(db: Database, subscription_id: int, keyed: list[tuple[str, dict[str, Any]]], state: str) -> list[str]:
    """Record the alerts not recorded yet for the subscription, in ``state``; the keys of those that were new."""
    if not keyed:
        return []
    t = subscription_alerts
    stamp = now()
    with db.write() as conn:
        known: set[str] = set()
        for part in chunks([k for k, _ in keyed], 500):
            known.update(conn.execute(sa.select(t.c.alert_key).where(
                t.c.subscription_id == subscription_id, t.c.alert_key.in_(list(part)))).scalars())
        fresh, seen = [], set()
        for key, alert in keyed:
            if key in known or key in seen:
                continue
            seen.add(key)
            fresh.append({"subscription_id": subscription_id, "alert_key": key, "found": stamp, "state": state,
                          "alert": json.dumps(alert, ensure_ascii=False, sort_keys=True), "rounds": 0})
        if fresh:
            db.insert_ignore(conn, t, fresh)
    return [r["alert_key"] for r in fresh]


def _alert(row: Any) -> SubscriptionAlert:
    m = row._mapping
    return SubscriptionAlert(subscription_id=m["subscription_id"], alert_key=m["alert_key"], alert=json.loads(m["alert"]),
                             found=m["found"], state=m["state"], rounds=m["rounds"], delivered=m["delivered"])


def subscription_alerts_in(db: Database, subscription_id: int, states: tuple[str, ...], limit: int | None = None,
                           newest_first: bool = False) -> list[SubscriptionAlert]:
    """The subscription's recorded alerts in these states, oldest found first (or newest)."""
    t = subscription_alerts
    order = (t.c.id.desc(),) if newest_first else (t.c.id,)
    query = sa.select(t).where(t.c.subscription_id == subscription_id, t.c.state.in_(states)).order_by(*order)
    if limit is not None:
        query = query.limit(limit)
    with db.engine.connect() as conn:
        return [_alert(r) for r in conn.execute(query)]


def finish_round(db: Database, subscription_id: int, alert_key: str, delivered: bool, max_rounds: int) -> str:
    """After a round of attempts: delivered, or pending again, or failed after ``max_rounds`` rounds. The new state."""
    t = subscription_alerts
    where = (t.c.subscription_id == subscription_id) & (t.c.alert_key == alert_key)
    with db.write() as conn:
        rounds = (conn.execute(sa.select(t.c.rounds).where(where)).scalar() or 0) + 1
        state = "delivered" if delivered else ("failed" if rounds >= max_rounds else "pending")
        conn.execute(t.update().where(where).values(rounds=rounds, state=state, delivered=now() if delivered else None))
    return state


def log_delivery(db: Database, delivery: Delivery) -> None:
    row = asdict(delivery)
    row.pop("id")
    with db.write() as conn:
        conn.execute(deliveries.insert().values(**row))


def list_deliveries(db: Database, subscription_id: int, limit: int = 100) -> list[Delivery]:
    """The subscription's delivery attempts, newest first."""
    query = (sa.select(deliveries).where(deliveries.c.subscription_id == subscription_id)
             .order_by(deliveries.c.id.desc()).limit(limit))
    with db.engine.connect() as conn:
        return [Delivery(**dict(r._mapping)) for r in conn.execute(query)]
