"""Alert subscriptions: /api/subscriptions (list, create, remove), their alerts, webhook deliveries and
Atom feed (/api/subscriptions/{id}/feed.atom: read like every GET, so no token on loopback)."""
from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response

from sahelwatch.api.deps import StoreDep, require_write
from sahelwatch.api.models import (
    MAX_INT,
    DeliveryList,
    Removed,
    SubscriptionAlertList,
    SubscriptionCreated,
    SubscriptionIn,
    SubscriptionList,
    SubscriptionOut,
)
from sahelwatch.store.subscriptions import Subscription

router = APIRouter(prefix="/api", tags=["subscriptions"])

SubscriptionId = Annotated[int, Path(ge=1, le=MAX_INT, description="The subscription's id")]
Limit = Annotated[int, Query(ge=1, le=1000)]


def _out(sub: Subscription) -> dict[str, Any]:
    return {**sub.public(), "webhook_url": masked(sub.webhook_url), "feed": f"/api/subscriptions/{sub.id}/feed.atom"}


def masked(url: str | None) -> str | None:
    """A webhook URL with its path and query hidden: many services put their own secret there."""
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/…" if (parts.path not in ("", "/") or parts.query) else url


@router.get("/subscriptions", response_model=SubscriptionList, summary="Alert subscriptions (never their secrets)")
def list_subscriptions(store: StoreDep) -> dict[str, Any]:
    return {"subscriptions": [_out(s) for s in store.subscriptions()]}


@router.post("/subscriptions", dependencies=[Depends(require_write)], status_code=201,
             response_model=SubscriptionCreated,
             summary="Subscribe to the alerts of a filter: its new alerts go to its Atom feed and webhook")
def add_subscription(body: SubscriptionIn, request: Request, store: StoreDep) -> dict[str, Any]:
    from sahelwatch.notify import create_subscription

    spec = body.model_dump(exclude={"name", "rules"})
    sub, existing = create_subscription(store, body.name, rules=tuple(body.rules), **spec)
    return {**_out(sub), "secret": sub.secret, "existing_alerts": existing}


@router.get("/subscriptions/{subscription_id}", response_model=SubscriptionOut, summary="One subscription")
def get_subscription(subscription_id: SubscriptionId, store: StoreDep) -> dict[str, Any]:
    return _out(store.get_subscription(subscription_id))


@router.delete("/subscriptions/{subscription_id}", dependencies=[Depends(require_write)], response_model=Removed,
               summary="Remove a subscription with its alerts and delivery log")
def remove_subscription(subscription_id: SubscriptionId, store: StoreDep) -> dict[str, Any]:
    return {"removed": store.remove_subscription(subscription_id).id}


@router.get("/subscriptions/{subscription_id}/alerts", response_model=SubscriptionAlertList,
            summary="The alerts found for a subscription since it was made, newest first")
def subscription_alerts(subscription_id: SubscriptionId, store: StoreDep, limit: Limit = 100) -> dict[str, Any]:
    store.get_subscription(subscription_id)
    items = store.subscription_alerts(subscription_id, limit=limit, newest_first=True)
    return {"subscription_id": subscription_id, "alerts": [
        {"alert_id": i.alert_key, "found": i.found, "state": i.state, "delivered": i.delivered, "alert": i.alert}
        for i in items]}


@router.get("/subscriptions/{subscription_id}/deliveries", response_model=DeliveryList,
            summary="Webhook delivery attempts of a subscription, newest first")
def deliveries(subscription_id: SubscriptionId, store: StoreDep, limit: Limit = 100) -> dict[str, Any]:
    store.get_subscription(subscription_id)
    return {"subscription_id": subscription_id, "deliveries": [
        {"alert_id": d.alert_key, "url": d.url, "attempt": d.attempt, "at": d.at, "ok": d.ok,
         "status_code": d.status_code, "error": d.error, "seconds": d.seconds}
        for d in store.deliveries(subscription_id, limit)]}


@router.get("/subscriptions/{subscription_id}/feed.atom", response_class=Response,
            summary="A subscription's alerts as an Atom feed (any feed reader)",
            responses={200: {"content": {"application/atom+xml": {"schema": {"type": "string"}}},
                             "description": "Atom 1.0 feed, newest alert first"}})
def feed(subscription_id: SubscriptionId, request: Request, store: StoreDep, limit: Limit = 100) -> Response:
    from sahelwatch.notify import atom_feed

    sub = store.get_subscription(subscription_id)
    items = store.subscription_alerts(subscription_id, limit=limit, newest_first=True)
    return Response(atom_feed(sub, items, str(request.base_url)), media_type="application/atom+xml",
                    headers={"cache-control": "no-cache"})
