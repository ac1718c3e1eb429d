"""Subscriptions evaluated: the alerts over each subscription's events, the new ones recorded once, and
those of a subscription with a webhook posted (sahelwatch.notify.webhook)."""
from __future__ import annotations

import hashlib
import re
import secrets
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sahelwatch.errors import InvalidRequest
from sahelwatch.notify.webhook import Policy, post_alert

if TYPE_CHECKING:
    from sahelwatch.settings import Settings
    from sahelwatch.store import Store
    from sahelwatch.store.subscriptions import Subscription
    from sahelwatch.trends import Alert

PERIODS = ("month", "week")
LIVE = ["unreviewed", "verified"]  # rejected events raise no alert
_URL = re.compile(r"^https?://[^\s/?#]+[^\s]*$", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_EVALUATING = threading.Lock()  # one evaluation at a time in a process, so a pending alert is posted once


@dataclass
class NotifyReport:
    """What one evaluation did."""

    subscriptions: int = 0
    new_alerts: int = 0
    delivered: int = 0
    failed: int = 0  # gave up on them after the rounds of attempts
    pending: int = 0  # not delivered yet: tried again at the next evaluation
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (f"subscriptions: {self.subscriptions} checked, {self.new_alerts} new alert(s), {self.delivered} "
                f"delivered to webhooks, {self.pending} pending, {self.failed} failed")


def alert_key(alert: Alert | dict[str, Any]) -> str:
    """Which alert this is, whatever its numbers: rule, period, area, actor and metric (hashed)."""
    d = alert if isinstance(alert, dict) else alert.to_dict()
    parts = [str(d.get(k) or "") for k in ("rule", "period", "level", "country", "admin1", "admin2", "actor", "metric")]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:40]


def subscription_alerts(store: Store, sub: Subscription) -> list[Alert]:
    """The alerts of the rules the subscription follows, over its events (rejected events left out)."""
    from sahelwatch.trends import RULES, AlertConfig, EventFrame, detect_alerts

    frame = EventFrame.from_records(store.iter_events(status=LIVE, **sub.event_filters()))
    if sub.admin2:
        frame = frame.where(admin2=sub.admin2)
    return detect_alerts(frame, AlertConfig(period=sub.period), rules=sub.rules or RULES)


def _check(name: str, rules: tuple[str, ...], period: str, webhook_url: str | None,
           min_fatalities: int | None) -> None:
    from sahelwatch.trends import RULES

    if not name.strip() or len(name) > 200 or _CONTROL.search(name):
        raise InvalidRequest(f"subscription name {name!r}: want 1 to 200 printable characters")
    bad = [r for r in rules if r not in RULES]
    if bad:
        raise InvalidRequest(f"rule {bad[0]!r}: want one of {', '.join(RULES)}")
    if period not in PERIODS:
        raise InvalidRequest(f"period {period!r}: want month or week")
    if webhook_url and not _URL.match(webhook_url):
        raise InvalidRequest(f"webhook_url {webhook_url!r}: want an http:// or https:// address")
    if min_fatalities is not None and min_fatalities < 0:
        raise InvalidRequest(f"min_fatalities {min_fatalities}: want 0 or more")


def create_subscription(store: Store, name: str, *, rules: tuple[str, ...] = (), period: str = "month",
                        webhook_url: str | None = None, secret: str | None = None, backfill: bool = False,
                        **filters: Any) -> tuple[Subscription, int]:
    """Store a subscription and record the alerts it has already (the baseline); (subscription, their number).

    The alerts there at creation are neither posted nor put in the feed, unless ``backfill``: a new
    subscription reports what happens from now on. A webhook without a secret gets a random one.
    """
    filters = {k: (v.strip() if isinstance(v, str) else v) for k, v in filters.items()}
    filters = {k: v for k, v in filters.items() if v not in (None, "")}
    _check(name, tuple(rules), period, webhook_url, filters.get("min_fatalities"))
    if webhook_url and not secret:
        secret = secrets.token_hex(32)
    sub = store.add_subscription(name.strip(), rules=tuple(rules), period=period, webhook_url=webhook_url or None,
                                 secret=secret if webhook_url else None, **filters)
    found = subscription_alerts(store, sub)
    state = ("pending" if sub.webhook_url else "feed") if backfill else "baseline"
    store.record_subscription_alerts(sub.id, [(alert_key(a), a.to_dict()) for a in found], state)
    return sub, len(found)


def evaluate_subscriptions(store: Store, config: Settings | None = None,
                           only: list[int] | None = None) -> NotifyReport:
    """Find each subscription's new alerts, record them once, and post those with a webhook.

    Called after every ingest that added or linked events (CLI ingest and watch, the API's ingest)."""
    from sahelwatch.settings import Settings

    config = config or Settings()
    with _EVALUATING:
        return _evaluate(store, config, only)


def _evaluate(store: Store, config: Settings, only: list[int] | None) -> NotifyReport:
    report = NotifyReport()
    for sub in store.subscriptions():
        if only is not None and sub.id not in only:
            continue
        report.subscriptions += 1
        found = subscription_alerts(store, sub)
        keyed = [(alert_key(a), a.to_dict()) for a in found]
        report.new_alerts += len(store.record_subscription_alerts(sub.id, keyed, "pending" if sub.webhook_url else "feed"))
        if sub.webhook_url and config.webhooks:
            _deliver(store, sub, config, report)
    return report


def _deliver(store: Store, sub: Subscription, config: Settings, report: NotifyReport) -> None:
    """Post the subscription's pending alerts, oldest first; after one that could not be delivered the
    others wait for the next evaluation (a dead receiver costs one round of attempts, not one per alert)."""
    policy = Policy(attempts=config.webhook_attempts, backoff=config.webhook_backoff, timeout=config.webhook_timeout)
    pending = store.subscription_alerts(sub.id, ("pending",))
    for i, item in enumerate(pending):
        payload = {"type": "sahelwatch.alert", "subscription": {"id": sub.id, "name": sub.name},
                   "alert_id": item.alert_key, "found": item.found, "alert": item.alert}
        ok = post_alert(sub.webhook_url or "", sub.secret, payload, policy, store.log_delivery, (sub.id, item.alert_key))
        state = store.finish_delivery_round(sub.id, item.alert_key, ok, config.webhook_rounds)
        if state == "delivered":
            report.delivered += 1
            continue
        if state == "failed":
            report.failed += 1
        report.pending += len(pending) - i - (state == "failed")
        report.errors.append(f"subscription {sub.name!r}: webhook {sub.webhook_url} did not take alert {item.alert_key}")
        return
