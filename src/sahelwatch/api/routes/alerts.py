"""GET /api/alerts, /api/trends and /api/interactions: the trends module over the app's store.

The events come from ``app.state.store`` (set by the app factory). The columnar frame is kept for
the settings' ``trends_cache_seconds`` (SAHELWATCH_TRENDS_CACHE_SECONDS, default 30) so that the
panel's three requests read the store once.
"""
from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request

from sahelwatch.api.models import NO_CONTROLS, AlertList, InteractionList, Trends
from sahelwatch.settings import Settings
from sahelwatch.trends import RULES, AlertConfig, EventFrame, detect_alerts, interactions, series

router = APIRouter()

_lock = threading.Lock()

Period = Literal["week", "month"]
By = Literal["country", "admin1", "admin2", "actor", "event_type"]
Rule = Literal["escalation", "civilian_targeting_rise", "new_area", "new_actor", "state_violence_against_civilians"]


def get_frame(request: Request) -> EventFrame:
    """The events of app.state.store as a frame.

    Kept until a write through the app bumps ``app.state.data_version`` or the cache time passes.
    """
    state = request.app.state
    settings: Settings | None = getattr(state, "settings", None)
    ttl = settings.trends_cache_seconds if settings else Settings.model_fields["trends_cache_seconds"].default
    version = getattr(state, "data_version", None)
    with _lock:
        cached = getattr(state, "trends_frame", None)
        if cached is not None and cached[1] == version and time.monotonic() - cached[0] < ttl:
            return cached[2]
        store = getattr(state, "store", None)
        if store is None:
            raise HTTPException(503, "no event store is configured")
        frame = EventFrame.from_records(store.iter_events())
        state.trends_frame = (time.monotonic(), version, frame)
        return frame


Frame = Annotated[EventFrame, Depends(get_frame)]
Country = Annotated[str | None, Query(max_length=100, pattern=NO_CONTROLS, description="Country name")]


@router.get("/api/alerts", response_model=AlertList)
def list_alerts(request: Request, frame: Frame, since: dt.date | None = None, period: Period = "month",
                rule: Annotated[list[Rule] | None, Query(max_length=10)] = None, country: Country = None,
                limit: Annotated[int, Query(ge=1, le=5000)] = 500) -> dict[str, Any]:
    """Alerts, newest period first, each with observed, baseline, p-value or threshold and a message."""
    found = _all_alerts(request, frame, period)
    if since is not None:
        found = [a for a in found if a.period_end >= since.isoformat()]
    if rule:
        found = [a for a in found if a.rule in rule]
    if country:
        found = [a for a in found if a.country == country]
    return {"period": period, "count": len(found), "alerts": [a.to_dict() for a in found[:limit]]}


def _all_alerts(request: Request, frame: EventFrame, period: str) -> list:
    """Every alert of the frame for ``period``, computed once per frame (the filters only select)."""
    with _lock:
        cache = getattr(request.app.state, "trends_alerts", None)
        if cache is None or cache[0] is not frame:
            cache = (frame, {})
            request.app.state.trends_alerts = cache
        if period not in cache[1]:
            cache[1][period] = detect_alerts(frame, AlertConfig(period=period), rules=RULES)
        return cache[1][period]


@router.get("/api/trends", response_model=Trends)
def get_trends(frame: Frame, by: By = "admin1", period: Period = "month",
               top: Annotated[int, Query(ge=1, le=100)] = 8,
               metric: Literal["events", "fatalities", "civilian_events", "civilian_fatalities"] = "events",
               since: dt.date | None = None, country: Country = None) -> dict[str, Any]:
    """Per-period series of the ``top`` rows (by total ``metric``): the timeline the charts draw."""
    s = series(frame.where(country=country) if country else frame, by, period)
    labels = s.period_labels()
    starts = s.period_starts()
    first = 0
    if since is not None:
        first = next((j for j, start in enumerate(starts) if start >= since.isoformat()), len(starts))
    rows = s.top(top, metric)
    return {
        "by": by, "period": period, "metric": metric,
        "periods": labels[first:], "period_starts": starts[first:],
        "series": [
            {"key": s.keys[i], "label": s.label(i),
             **{m: [int(v) for v in s.counts[m][i, first:]] for m in s.counts}}
            for i in rows
        ],
    }


@router.get("/api/interactions", response_model=InteractionList)
def get_interactions(frame: Frame, period: Period = "month", since: dt.date | None = None,
                     min_events: Annotated[int, Query(ge=1, le=2**31 - 1)] = 1,
                     limit: Annotated[int, Query(ge=1, le=5000)] = 200,
                     country: Country = None) -> dict[str, Any]:
    """Who fights whom: events and fatalities per actor pair and period, newest period first."""
    if country:
        frame = frame.where(country=country)
    rows = [r for r in interactions(frame, period) if r["events"] >= min_events]
    if since is not None:
        rows = [r for r in rows if r["period_end"] >= since.isoformat()]
    rows.sort(key=lambda r: (r["period_start"], r["events"]), reverse=True)
    return {"period": period, "count": len(rows), "interactions": rows[:limit]}

