"""Posting one alert to a webhook: the JSON body signed with HMAC-SHA256 of the subscription's secret,
a bounded number of attempts with doubling back-off, each attempt logged in the store's deliveries."""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sahelwatch import __version__
from sahelwatch.store.records import now
from sahelwatch.store.subscriptions import Delivery

SIGNATURE_HEADER = "X-Sahelwatch-Signature"
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def sign(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of the body under the secret."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def body_of(payload: dict[str, Any]) -> bytes:
    """The exact bytes posted (and signed): compact JSON, keys sorted."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@dataclass(frozen=True)
class Policy:
    """How hard to try: attempts per round, the first back-off (doubled after each attempt), the timeout."""

    attempts: int = 3
    backoff: float = 1.0
    timeout: float = 5.0


def post_alert(url: str, secret: str | None, payload: dict[str, Any], policy: Policy,
               log: Callable[[Delivery], None], ids: tuple[int, str]) -> bool:
    """POST the payload until a 2xx answer or ``policy.attempts`` attempts; True when delivered.

    A 4xx other than 408/425/429 is not retried (the receiver refused it). Each attempt is logged.
    """
    import httpx

    body = body_of(payload)
    subscription_id, key = ids
    headers = {"Content-Type": "application/json", "User-Agent": f"sahelwatch/{__version__}",
               "X-Sahelwatch-Delivery": f"{subscription_id}-{key}"}
    if secret:
        headers[SIGNATURE_HEADER] = sign(secret, body)
    with httpx.Client(timeout=policy.timeout, follow_redirects=False, trust_env=False) as client:
        for attempt in range(1, policy.attempts + 1):
            if attempt > 1:
                time.sleep(policy.backoff * 2 ** (attempt - 2))
            started = time.monotonic()
            status, error = None, None
            try:
                response = client.post(url, content=body, headers={**headers, "X-Sahelwatch-Attempt": str(attempt)})
                status = response.status_code
                if not 200 <= status < 300:
                    error = f"HTTP {status}"
            except httpx.HTTPError as exc:
                error = f"{type(exc).__name__}: {exc}"[:500]
            ok = error is None
            log(Delivery(subscription_id=subscription_id, alert_key=key, url=url, attempt=attempt, at=now(), ok=ok,
                         status_code=status, error=error, seconds=round(time.monotonic() - started, 3)))
            if ok:
                return True
            if status is not None and status not in RETRY_STATUSES:
                return False
    return False
