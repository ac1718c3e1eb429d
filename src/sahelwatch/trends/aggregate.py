"""Counts per area, actor or event type and per week or month: events, fatalities, civilian toll."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sahelwatch.trends.frame import BY_CHOICES, LEVELS, EventFrame, period_bounds, period_index, period_label

METRICS = ("events", "fatalities", "civilian_events", "civilian_fatalities")


@dataclass
class Series:
    """Dense counts: one row per key (area, actor or event type), one column per period."""

    by: str
    period: str
    keys: list[dict[str, str]]  # the fields naming each row, e.g. {"country": "Mali", "admin1": "Mopti"}
    first_period: int  # period index of column 0
    counts: dict[str, np.ndarray]  # metric -> float64 array (keys x periods)

    @property
    def n_periods(self) -> int:
        return int(next(iter(self.counts.values())).shape[1]) if self.counts else 0

    def label(self, row: int) -> str:
        """A display name for a row: "Mopti, Mali", an actor's name, an event type."""
        key = self.keys[row]
        if self.by in LEVELS:
            return ", ".join(key[f] for f in reversed(LEVELS) if key.get(f))
        return key[self.by]

    def period_labels(self) -> list[str]:
        return [period_label(self.first_period + j, self.period) for j in range(self.n_periods)]

    def period_starts(self) -> list[str]:
        return [period_bounds(self.first_period + j, self.period)[0].isoformat() for j in range(self.n_periods)]

    def rows(self, include_zero: bool = False) -> list[dict[str, Any]]:
        """One dict per (key, period) with its counts, ordered by key then period."""
        labels = self.period_labels()
        starts = self.period_starts()
        totals = self.counts["events"]
        out = []
        for i, j in zip(*np.nonzero(np.ones_like(totals) if include_zero else totals)):
            row: dict[str, Any] = dict(self.keys[i])
            row.update(period=labels[j], period_start=starts[j])
            for metric in METRICS:
                row[metric] = int(self.counts[metric][i, j])
            out.append(row)
        return out

    def top(self, n: int, metric: str = "events") -> list[int]:
        """The rows with the largest totals of ``metric``, largest first."""
        totals = self.counts[metric].sum(axis=1)
        order = np.argsort(-totals, kind="stable")
        return [int(i) for i in order[:n] if totals[i] > 0]


def series(frame: EventFrame, by: str = "admin1", period: str = "month",
           span: tuple[int, int] | None = None) -> Series:
    """Counts per ``by`` key and per period over the whole span of the events (zeros included).

    For ``by="actor"`` an event counts once for each actor taking part (actor1, actor2 and
    associated actors), so actor rows do not add up to the overall totals.
    """
    if by not in BY_CHOICES:
        raise ValueError(f"unknown grouping {by!r} (want one of {', '.join(BY_CHOICES)})")
    if by in LEVELS:
        key, names = frame.area_keys(by)
        rows = np.flatnonzero(key >= 0)
        key = key[rows]
        keys = [{f: name[k] for k, f in enumerate(LEVELS[: LEVELS.index(by) + 1])} for name in names]
    elif by == "actor":
        rows, key = frame.actor_rows()
        keys = [{"actor": name} for name in frame.actor_labels]
    else:
        codes = frame.event_type
        rows = np.flatnonzero(np.array([bool(s) for s in codes.labels])[codes.codes]) if len(frame) else \
            np.zeros(0, dtype=np.int64)
        key = codes.codes[rows]
        keys = [{"event_type": name} for name in codes.labels]
    if span is None:
        all_periods = period_index(frame.day, period)
        span = (int(all_periods.min()), int(all_periods.max())) if len(frame) else (0, -1)
    first, last = span
    n_periods = max(last - first + 1, 0)
    p = period_index(frame.day[rows], period) - first
    inside = (p >= 0) & (p < n_periods)
    rows, key, p = rows[inside], key[inside], p[inside]
    flat = key.astype(np.int64) * n_periods + p
    size = len(keys) * n_periods
    fat = frame.fatalities[rows].astype(np.float64)
    civ = frame.civilian[rows]
    counts = {
        "events": np.bincount(flat, minlength=size).astype(np.float64),
        "fatalities": np.bincount(flat, weights=fat, minlength=size),
        "civilian_events": np.bincount(flat[civ], minlength=size).astype(np.float64),
        "civilian_fatalities": np.bincount(flat[civ], weights=fat[civ], minlength=size),
    }
    counts = {m: c.reshape(len(keys), n_periods) for m, c in counts.items()}
    # Drop keys that never occur (codes of empty names, areas outside the span).
    used = np.flatnonzero(counts["events"].sum(axis=1) > 0)
    return Series(by=by, period=period, keys=[keys[i] for i in used], first_period=first,
                  counts={m: c[used] for m, c in counts.items()})


def aggregate(frame: EventFrame, by: str = "admin1", period: str = "month") -> list[dict[str, Any]]:
    """Rows of (key fields, period, period_start, events, fatalities, civilian_events, civilian_fatalities)."""
    return series(frame, by, period).rows()


def interactions(frame: EventFrame, period: str = "month") -> list[dict[str, Any]]:
    """Who fights whom: events and fatalities per period and per pair of actor1/actor2.

    Pairs are unordered (actor order carries no meaning in ACLED's coding) except in violence
    against civilians, which keeps the perpetrator first. Events with one side only are left out.
    """
    n_actors = len(frame.actor_labels)
    a, b = frame.actor1.codes.astype(np.int64), frame.actor2.codes.astype(np.int64)
    empty = frame.actor_labels.index("") if "" in frame.actor_labels else -1
    keep = (a != empty) & (b != empty) & (a != b)
    victims = frame.civilian
    first = np.where(victims | (a <= b), a, b)[keep]
    second = np.where(victims | (a <= b), b, a)[keep]
    p = period_index(frame.day[keep], period)
    if p.size == 0:
        return []
    p0 = int(p.min())
    flat = ((p - p0) * n_actors + first) * n_actors + second
    uniq, inverse = np.unique(flat, return_inverse=True)
    events = np.bincount(inverse)
    fatalities = np.bincount(inverse, weights=frame.fatalities[keep]).astype(np.int64)
    civ = np.bincount(inverse, weights=np.where(victims[keep], frame.fatalities[keep], 0)).astype(np.int64)
    order = np.lexsort((-events, uniq // (n_actors * n_actors)))
    out = []
    labels: dict[int, str] = {}
    for i in order:
        pi = int(uniq[i] // (n_actors * n_actors)) + p0
        if pi not in labels:
            labels[pi] = period_label(pi, period)
        out.append({
            "period": labels[pi],
            "period_start": period_bounds(pi, period)[0].isoformat(),
            "period_end": period_bounds(pi, period)[1].isoformat(),
            "actor1": frame.actor_labels[int(uniq[i] // n_actors % n_actors)],
            "actor2": frame.actor_labels[int(uniq[i] % n_actors)],
            "events": int(events[i]),
            "fatalities": int(fatalities[i]),
            "civilian_fatalities": int(civ[i]),
        })
    return out
