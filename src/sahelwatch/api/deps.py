"""What routes share: the store, the token checks, the reviewer's name and the event filters.

Route modules (ours and other helpers') use these as FastAPI dependencies:
``store: Store = Depends(get_store)``, ``dependencies=[Depends(require_write)]``.
"""
from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request

from sahelwatch.api.auth import is_loopback, presented_token, token_matches
from sahelwatch.api.models import MAX_INT, NO_CONTROLS
from sahelwatch.store import STATUSES, Store
from sahelwatch.store import parse_bbox as _parse_bbox


async def get_store(request: Request) -> Store:
    """The app's sahelwatch.store.Store (one per process, shared by all requests)."""
    return request.app.state.store


def _has_token(request: Request) -> bool:
    return token_matches(request.app.state.token.value, presented_token(request.headers))


async def require_read(request: Request) -> None:
    """Reading is open to loopback clients; any other client must present the token."""
    client = request.client.host if request.client else None
    if request.app.state.settings.open_read or is_loopback(client) or _has_token(request):
        return
    raise HTTPException(401, "reading from a non-local address needs the API token "
                             "(Authorization: Bearer TOKEN or X-Sahelwatch-Token)")


async def require_write(request: Request) -> None:
    """Every change needs the API token, from any address."""
    given = presented_token(request.headers)
    if not given:
        raise HTTPException(401, "this change needs the API token (Authorization: Bearer TOKEN or "
                                 "X-Sahelwatch-Token); `sahelwatch serve` prints where it is kept")
    if not token_matches(request.app.state.token.value, given):
        raise HTTPException(403, "the API token given is not this server's token")


def reviewer(request: Request) -> str:
    """Who makes a change, for the audit log: the X-Sahelwatch-User header, else 'api'."""
    name = (request.headers.get("x-sahelwatch-user") or "").strip()
    return name[:80] if name else "api"


def parse_bbox(value: str | None) -> tuple[float, float, float, float] | None:
    """'minlon,minlat,maxlon,maxlat' -> a tuple of floats; HTTP 400 if it is not that."""
    if not value:
        return None
    try:
        return _parse_bbox(value)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None


async def event_filters(
    country: Annotated[str | None, Query(max_length=100, pattern=NO_CONTROLS, description="Country name, e.g. Niger")] = None,
    admin1: Annotated[str | None, Query(max_length=100, pattern=NO_CONTROLS,
                                        description="First-level region, e.g. Tillaberi")] = None,
    actor: Annotated[str | None, Query(max_length=200, pattern=NO_CONTROLS,
                                       description="Part of an actor's name (actor1, actor2 or associated); "
                                                   "% and _ match themselves")] = None,
    event_type: Annotated[str | None, Query(max_length=100, pattern=NO_CONTROLS,
                                            description="ACLED event type, e.g. Battles")] = None,
    type_: Annotated[str | None, Query(alias="type", max_length=100, pattern=NO_CONTROLS,
                                       description="Same as event_type")] = None,
    since: Annotated[dt.date | None, Query(description="First event date, YYYY-MM-DD")] = None,
    until: Annotated[dt.date | None, Query(description="Last event date, YYYY-MM-DD")] = None,
    min_fatalities: Annotated[int | None, Query(ge=0, le=MAX_INT)] = None,
    bbox: Annotated[str | None, Query(max_length=200, pattern=NO_CONTROLS,
                                      description="minlon,minlat,maxlon,maxlat")] = None,
    text: Annotated[str | None, Query(max_length=500, pattern=NO_CONTROLS,
                                      description="Words in the reports behind the event")] = None,
    status: Annotated[str | None, Query(max_length=100, pattern=NO_CONTROLS,
                                        description="unreviewed | verified | rejected, or several comma-separated")] = None,
    claimed: Annotated[bool | None, Query(description="Only claimed (true) or unclaimed (false) events")] = None,
    confirmed: Annotated[bool | None, Query(description="Only events a source other than a claim or the "
                                                        "claimant's own reports (true), or only the others")] = None,
    min_sources: Annotated[int | None, Query(ge=1, le=MAX_INT, description="At least this many independent "
                                                                           "sources")] = None,
) -> dict[str, Any]:
    """The filters of `sahelwatch events`, as Store keyword arguments (unset ones left out)."""
    if since and until and since > until:
        raise HTTPException(400, f"since {since} is after until {until}")
    statuses = [x.strip() for x in (status or "").split(",") if x.strip()]
    bad = [x for x in statuses if x not in STATUSES]
    if bad:
        raise HTTPException(400, f"status {bad[0]!r}: want one of {', '.join(STATUSES)} (several: comma-separated)")
    filters = {
        "country": country or None, "admin1": admin1 or None, "actor": actor or None,
        "event_type": event_type or type_ or None, "since": since, "until": until,
        "min_fatalities": min_fatalities, "bbox": parse_bbox(bbox), "text": (text or "").strip() or None,
        "status": (statuses[0] if len(statuses) == 1 else statuses) or None, "claimed": claimed,
        "confirmed": confirmed, "min_sources": min_sources,
    }
    return {k: v for k, v in filters.items() if v is not None}


FiltersDep = Annotated[dict, Depends(event_filters)]
StoreDep = Annotated[Store, Depends(get_store)]
