"""Trends and early-warning alerts over events: aggregations, alert rules, interactions, charts.

Pure functions over events (dicts with the fields of sahelwatch.model.Event, or a pyarrow
Table); no database here. Build an ``EventFrame`` once and pass it to each function, or pass the
events themselves.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sahelwatch.trends.aggregate import METRICS, Series, aggregate, interactions, series
from sahelwatch.trends.alerts import RULES, Alert, AlertConfig, detect_alerts, escalation_scores
from sahelwatch.trends.frame import BY_CHOICES, LEVELS, PERIODS, EventFrame, FrameError

__all__ = [
    "BY_CHOICES",
    "LEVELS",
    "METRICS",
    "PERIODS",
    "RULES",
    "Alert",
    "AlertConfig",
    "EventFrame",
    "FrameError",
    "Series",
    "aggregate",
    "as_frame",
    "detect_alerts",
    "escalation_scores",
    "interactions",
    "series",
]


def as_frame(events: EventFrame | Iterable[Mapping[str, Any]] | Any) -> EventFrame:
    """An EventFrame from a frame, a pyarrow Table, or an iterable of event dicts."""
    if isinstance(events, EventFrame):
        return events
    if hasattr(events, "column_names") and hasattr(events, "num_rows"):
        return EventFrame.from_arrow(events)
    return EventFrame.from_records(events)
