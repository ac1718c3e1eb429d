"""Alert subscriptions (sahelwatch.notify) on SQLite and PostgreSQL: a new alert is recorded once and
POSTed once to a real webhook receiver on 127.0.0.1, signed with the subscription's secret, retried with
back-off when the receiver fails, every attempt logged; alerts there at creation are not delivered."""
from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest

from sahelwatch.errors import InvalidRequest, NotFound
from sahelwatch.notify import SIGNATURE_HEADER, create_subscription, evaluate_subscriptions, sign
from sahelwatch.settings import Settings
from webhooks import Receiver, strike

FAST = Settings(webhook_attempts=3, webhook_backoff=0.05, webhook_timeout=2.0, webhook_rounds=2)


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def add(store, *pairs) -> None:
    for doc, event in pairs:
        store.add_extracted(doc, [event])


def test_a_new_alert_is_posted_once_signed_and_logged(store, receiver):
    add(store, strike(1, "2024-03-04"))
    sub, existing = create_subscription(store, "Mali watch", country="Mali", webhook_url=receiver.url)
    assert existing == 1 and len(sub.secret) == 64
    assert evaluate_subscriptions(store, FAST).new_alerts == 0 and receiver.posts == []  # there before: not sent

    add(store, strike(2, "2024-05-20"))
    report = evaluate_subscriptions(store, FAST)
    assert (report.new_alerts, report.delivered, report.pending) == (1, 1, 0)
    [post] = receiver.posts
    assert post["headers"][SIGNATURE_HEADER] == "sha256=" + hmac.new(sub.secret.encode(), post["body"],
                                                                     hashlib.sha256).hexdigest()
    payload = json.loads(post["body"])
    assert payload["subscription"] == {"id": sub.id, "name": "Mali watch"}
    assert payload["alert"]["rule"] == "state_violence_against_civilians"
    assert payload["alert"]["period"] == "2024-05" and payload["alert"]["observed"] == 9
    assert post["headers"]["X-Sahelwatch-Delivery"] == f"{sub.id}-{payload['alert_id']}"

    add(store, strike(3, "2024-05-22", killed=4))  # same alert (Gao, May 2024), bigger numbers: not sent again
    again = evaluate_subscriptions(store, FAST)
    assert (again.new_alerts, again.delivered) == (0, 0) and len(receiver.posts) == 1
    [log] = store.deliveries(sub.id)
    assert log.ok and log.status_code == 200 and log.attempt == 1 and log.url == receiver.url
    [item] = store.subscription_alerts(sub.id)
    assert item.state == "delivered" and item.delivered


def test_the_subscription_filter_decides_which_alerts_it_gets(store, receiver):
    sub, _ = create_subscription(store, "Niger only", country="Niger", webhook_url=receiver.url,
                                 rules=("state_violence_against_civilians",))
    add(store, strike(1, "2024-05-20", country="Mali"))
    assert evaluate_subscriptions(store, FAST).new_alerts == 0 and receiver.posts == []
    add(store, strike(2, "2024-05-21", country="Niger", admin1="Tillaberi"))
    assert evaluate_subscriptions(store, FAST).delivered == 1
    assert json.loads(receiver.posts[0]["body"])["alert"]["country"] == "Niger"
    big, _ = create_subscription(store, "big tolls", min_fatalities=20)
    add(store, strike(3, "2024-06-02", killed=5))
    evaluate_subscriptions(store, FAST)
    assert store.subscription_alerts(big.id) == []


def test_a_failing_receiver_is_retried_with_back_off_until_it_takes_the_alert(store, receiver):
    sub, _ = create_subscription(store, "retry", webhook_url=receiver.url)
    receiver.statuses = [503, 500]
    add(store, strike(1, "2024-05-20"))
    report = evaluate_subscriptions(store, FAST)
    assert report.delivered == 1 and len(receiver.posts) == 3
    gaps = [b["at"] - a["at"] for a, b in zip(receiver.posts, receiver.posts[1:])]
    assert gaps[0] >= 0.05 and gaps[1] >= 0.1  # back-off doubles
    attempts = sorted(store.deliveries(sub.id), key=lambda d: d.attempt)
    assert [(d.attempt, d.ok, d.status_code) for d in attempts] == [(1, False, 503), (2, False, 500), (3, True, 200)]
    assert attempts[0].error == "HTTP 503"


def test_a_refusal_is_not_retried_and_a_dead_receiver_costs_one_round(store, receiver):
    sub, _ = create_subscription(store, "refused", webhook_url=receiver.url)
    receiver.statuses = [404]
    add(store, strike(1, "2024-05-20"), strike(2, "2024-06-20"))  # two alerts (May and June)
    report = evaluate_subscriptions(store, FAST)
    assert len(receiver.posts) == 1 and report.pending == 2 and report.delivered == 0  # the second waits
    assert "did not take alert" in report.errors[0]
    receiver.close()  # nothing listens any more
    started = time.monotonic()
    report = evaluate_subscriptions(store, FAST)  # second round: the first alert fails for good
    assert time.monotonic() - started < 10
    assert report.failed == 1 and report.pending == 1
    refused = [d for d in store.deliveries(sub.id) if d.status_code is None]
    assert len(refused) == FAST.webhook_attempts and all("Connect" in d.error for d in refused)
    states = sorted(i.state for i in store.subscription_alerts(sub.id))
    assert states == ["failed", "pending"]


def test_backfill_delivers_the_alerts_there_already(store, receiver):
    add(store, strike(1, "2024-03-04"))
    create_subscription(store, "backfilled", webhook_url=receiver.url, backfill=True)
    assert evaluate_subscriptions(store, FAST).delivered == 1 and len(receiver.posts) == 1


def test_a_webhook_without_a_secret_is_still_signed_and_a_given_secret_is_used(store):
    sub, _ = create_subscription(store, "own secret", webhook_url="https://hooks.example.org/x", secret="s" * 20)
    assert sub.secret == "s" * 20 and store.get_subscription(sub.id).secret == "s" * 20
    assert sign("s" * 20, b"{}") == "sha256=" + hmac.new(b"s" * 20, b"{}", hashlib.sha256).hexdigest()
    feed_only, _ = create_subscription(store, "feed only")
    assert feed_only.secret is None and "secret" not in feed_only.public()


@pytest.mark.parametrize(("fields", "message"), [
    ({"rules": ("escalation", "bogus")}, "rule 'bogus': want one of"),
    ({"webhook_url": "ftp://example.org/hook"}, "webhook_url 'ftp://example.org/hook': want an http:// or https://"),
    ({"period": "year"}, "period 'year': want month or week"),
    ({"min_fatalities": -1}, "min_fatalities -1: want 0 or more"),
])
def test_bad_subscriptions_are_refused_naming_what_is_wrong(store, fields, message):
    with pytest.raises(InvalidRequest, match=message):
        create_subscription(store, "bad", **fields)
    assert store.subscriptions() == []


def test_names_are_unique_and_removal_takes_the_alerts_and_log_with_it(store, receiver):
    sub, _ = create_subscription(store, "twice", webhook_url=receiver.url)
    with pytest.raises(InvalidRequest, match="a subscription named 'twice' already exists"):
        create_subscription(store, "twice")
    add(store, strike(1, "2024-05-20"))
    evaluate_subscriptions(store, FAST)
    assert store.deliveries(sub.id)
    store.remove_subscription(sub.id)
    assert store.subscriptions() == [] and store.deliveries(sub.id) == [] and store.subscription_alerts(sub.id) == []
    with pytest.raises(NotFound, match=f"no subscription with id {sub.id}"):
        store.get_subscription(sub.id)
    assert store.count_events() == 1  # events are never touched


def test_with_webhooks_off_alerts_wait_and_are_posted_once_they_are_on(store, receiver):
    create_subscription(store, "held", webhook_url=receiver.url)
    add(store, strike(1, "2024-05-20"))
    off = evaluate_subscriptions(store, Settings(webhooks=False))
    assert off.new_alerts == 1 and off.delivered == 0 and receiver.posts == []
    assert evaluate_subscriptions(store, FAST).delivered == 1 and len(receiver.posts) == 1
