"""Alerts that reach people: subscriptions (named filters) evaluated after each ingest, their new alerts
recorded once, posted to webhooks (signed, retried with back-off, each attempt logged) and served as Atom.

It sits beside ``sahelwatch.service``: above the store and the trends module, below the CLI and the API.
"""
from sahelwatch.notify.atom import atom_feed
from sahelwatch.notify.evaluate import (
    NotifyReport,
    alert_key,
    create_subscription,
    evaluate_subscriptions,
    subscription_alerts,
)
from sahelwatch.notify.webhook import SIGNATURE_HEADER, sign

__all__ = ["SIGNATURE_HEADER", "NotifyReport", "alert_key", "atom_feed", "create_subscription",
           "evaluate_subscriptions", "sign", "subscription_alerts"]
