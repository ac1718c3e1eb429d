"""Early-warning alerts: escalation, new areas, new actors, civilian targeting, state violence.

Each alert carries the numbers behind it (observed, baseline mean, p-value or threshold), so an
analyst can see why it fired and judge it.
"""
from __future__ import annotations

import datetime as dt
import functools
from dataclasses import asdict, dataclass, field, replace
from importlib import resources
from typing import Any

import numpy as np
import yaml

from sahelwatch.trends.aggregate import Series, series
from sahelwatch.trends.frame import LEVELS, PERIODS, EventFrame, period_bounds, period_index, period_label

RULES = ("escalation", "civilian_targeting_rise", "new_area", "new_actor", "state_violence_against_civilians")


COVERAGE_SCOPES = ("database", "country", "admin1")


@functools.cache
def alert_defaults() -> dict[str, Any]:
    """The thresholds of ``data/alerts.yaml`` (read once)."""
    text = resources.files("sahelwatch").joinpath("data/alerts.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    for key in ("levels", "civilian_levels"):
        data[key] = tuple(data[key])
    return data


def _default(name: str) -> Any:
    return field(default_factory=lambda: alert_defaults()[name])


@dataclass(frozen=True)
class AlertConfig:
    """Thresholds of the alert rules: those of ``data/alerts.yaml`` unless given."""

    period: str = _default("period")
    window: int = _default("window")  # trailing baseline, in periods
    guard: int = _default("guard")  # periods left out between baseline and tested period
    min_history: int = _default("min_history")  # periods of baseline needed before an area is tested
    alpha: float = _default("alpha")  # one-sided p-value below which a count is "far above" its baseline
    min_ratio: float = _default("min_ratio")  # and at least this multiple of the baseline mean
    min_events: int = _default("min_events")  # low-baseline rule: never alert on fewer events than this ...
    min_fatalities: int = _default("min_fatalities")  # ... or fewer fatalities than this
    event_floor: float = _default("event_floor")  # ... and test against a baseline rate of at least this
    fatality_floor: float = _default("fatality_floor")
    event_max_size: float = _default("event_max_size")  # NB size at most this (variance >= mu + mu^2/size)
    fatality_max_size: float = _default("fatality_max_size")  # fatalities: at least a geometric spread
    lookback_days: int = _default("lookback_days")  # "new" = no events in this many days before
    levels: tuple[str, ...] = _default("levels")
    civilian_levels: tuple[str, ...] = _default("civilian_levels")
    coverage_scope: str = _default("coverage_scope")  # where events count as coverage for "new" alerts
    min_coverage_periods: int | None = None  # None: data/alerts.yaml's number for the period

    def __post_init__(self) -> None:
        if self.period not in PERIODS:
            raise ValueError(f"unknown period {self.period!r} (want one of {', '.join(PERIODS)})")
        if self.window < 1 or self.min_history < 1:
            raise ValueError("window and min_history must be at least 1 period")
        if self.guard < 0:
            raise ValueError("guard must be 0 or more periods")
        if not {*self.levels, *self.civilian_levels} <= set(LEVELS):
            raise ValueError(f"levels must be among {', '.join(LEVELS)}")
        if self.coverage_scope not in COVERAGE_SCOPES:
            raise ValueError(f"unknown coverage_scope {self.coverage_scope!r} (want one of {', '.join(COVERAGE_SCOPES)})")
        if self.min_coverage_periods is None:
            object.__setattr__(self, "min_coverage_periods", int(alert_defaults()["min_coverage_periods"][self.period]))
        if not 0 <= self.min_coverage_periods <= self.lookback_periods:
            raise ValueError(f"min_coverage_periods must be 0 to {self.lookback_periods} (the periods of the lookback)")

    @property
    def lookback_periods(self) -> int:
        """The periods of the lookback before an alert's period: 12 months or 52 weeks for a year."""
        return max(1, round(self.lookback_days / 30.4375) if self.period == "month" else self.lookback_days // 7)


@dataclass(frozen=True)
class Alert:
    """One alert and the numbers behind it."""

    rule: str
    period: str  # "2024-03" or "2024-W10"
    period_start: str
    period_end: str
    level: str  # country, admin1 or admin2
    country: str
    admin1: str = ""
    admin2: str = ""
    actor: str = ""
    metric: str = "events"  # events, fatalities, civilian_events, civilian_fatalities
    observed: float = 0
    baseline: float | None = None  # trailing mean per period (0 for "new" rules)
    p_value: float | None = None
    threshold: str = ""  # the rule that fired, in words, with its numbers
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def area(self) -> str:
        return ", ".join(x for x in (self.admin2, self.admin1, self.country) if x)

    @property
    def message(self) -> str:
        """One line for people."""
        where = self.area
        if self.rule == "escalation":
            return (f"{where}: {self.metric} {self.observed:g} in {self.period}, baseline "
                    f"{self.baseline:.1f}/{_unit(self.period)} (p={self.p_value:.2g})")
        if self.rule == "civilian_targeting_rise":
            return (f"{where}: {self.metric.replace('_', ' ')} {self.observed:g} in {self.period}, baseline "
                    f"{self.baseline:.1f}/{_unit(self.period)} (p={self.p_value:.2g})")
        if self.rule == "new_area":
            return f"{self.actor} active in {where} in {self.period}: no events there in the previous year"
        if self.rule == "new_actor":
            return f"{self.actor} appears in {where} in {self.period}: no events anywhere in the previous year"
        return (f"{self.actor}: {self.details.get('events', 0)} event(s) on civilians in {where} in {self.period}, "
                f"{self.observed:g} killed" + (" (air/drone strikes)" if self.details.get("air_strikes") else ""))

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["area"] = self.area
        d["message"] = self.message
        return d


def _unit(period_text: str) -> str:
    return "week" if "-W" in period_text else "month"


def detect_alerts(frame: EventFrame, config: AlertConfig | None = None, since: dt.date | None = None,
                  rules: tuple[str, ...] = RULES, held: list[Alert] | None = None) -> list[Alert]:
    """All alerts over the events, newest period first; ``since`` keeps periods ending on/after it.

    "New" alerts held back for lack of coverage are appended to ``held`` when it is given."""
    config = config or AlertConfig()
    if len(frame) == 0:
        return []
    out: list[Alert] = []
    periods = period_index(frame.day, config.period)
    span = (int(periods.min()), int(periods.max()))
    if "escalation" in rules:
        for level in config.levels:
            s = series(frame, level, config.period, span)
            for metric in ("events", "fatalities"):
                out.extend(_escalations(s, metric, config, "escalation"))
    if "civilian_targeting_rise" in rules:
        for level in config.civilian_levels:
            s = series(frame, level, config.period, span)
            for metric in ("civilian_events", "civilian_fatalities"):
                out.extend(_escalations(s, metric, config, "civilian_targeting_rise"))
    if "new_area" in rules or "new_actor" in rules:
        kept, back = held_back(_novelty(frame, config), frame, config)
        out.extend(a for a in kept if a.rule in rules)
        if held is not None:
            held.extend(a for a in back if a.rule in rules and (since is None or a.period_end >= since.isoformat()))
    if "state_violence_against_civilians" in rules:
        out.extend(_state_violence(frame, config))
    if since is not None:
        cut = since.isoformat()
        out = [a for a in out if a.period_end >= cut]
    out.sort(key=lambda a: (a.period_start, -RULES.index(a.rule), -(a.p_value is None),
                            -(a.p_value or 0.0), a.observed), reverse=True)
    return out


# ----- escalation: a count far above its own trailing baseline ---------------------------------


@dataclass
class Scores:
    """Per cell (key x period) of a count series: the baseline and the test against it."""

    observed: np.ndarray
    mean: np.ndarray  # trailing mean (before the floor)
    history: np.ndarray  # periods in the baseline, per column
    size: np.ndarray  # negative-binomial size of the predictive distribution
    p_value: np.ndarray  # 1.0 where not tested
    fired: np.ndarray  # bool


def escalation_scores(counts: np.ndarray, metric: str, config: AlertConfig) -> Scores:
    """Test every cell against the trailing window of its own row (vectorised over all cells).

    The count model is negative binomial: mean and variance from the window, the variance at least
    ``mu + mu^2/event_max_size`` (fatalities: at least geometric, since they come in clusters per
    event) and at least the median variance-to-mean ratio of all rows' windows times mu, and widened
    for a mean estimated from few periods. Low baselines: the rate is floored and a minimum count is
    required.
    """
    from scipy import stats

    fatal = "fatalities" in metric
    floor = config.fatality_floor if fatal else config.event_floor
    min_count = config.min_fatalities if fatal else config.min_events
    k, n = counts.shape
    zero = np.zeros((k, 1))
    c1 = np.concatenate([zero, np.cumsum(counts, axis=1)], axis=1)
    c2 = np.concatenate([zero, np.cumsum(counts * counts, axis=1)], axis=1)
    t = np.arange(n)
    hi = np.maximum(t - config.guard, 0)  # the baseline ends ``guard`` periods before the tested one
    lo = np.maximum(hi - config.window, 0)
    hist = (hi - lo).astype(np.float64)
    total = c1[:, hi] - c1[:, lo]
    total2 = c2[:, hi] - c2[:, lo]
    h = np.maximum(hist, 1.0)
    mean = total / h
    var = np.where(hist > 1, (total2 - h * mean * mean) / np.maximum(h - 1, 1.0), 0.0)
    mu = np.maximum(mean, floor)
    # Predictive variance: the window's own spread, at least the minimum over-dispersion of such
    # counts, inflated by (1 + 1/history) for the uncertainty of a mean estimated from few periods.
    min_size = config.fatality_max_size if fatal else config.event_max_size
    # The spread of comparable areas: the median variance-to-mean ratio of all rows' windows.
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where((mean > 0) & (hist > 1), var / np.where(mean > 0, mean, 1.0), np.nan)
    pooled = np.ones(n)
    tested = np.isfinite(ratio).any(axis=0)
    if tested.any():
        pooled[tested] = np.maximum(np.nanmedian(ratio[:, tested], axis=0), 1.0)
    variance = np.maximum.reduce([var, mu + mu * mu / min_size, pooled * mu]) * (1.0 + 1.0 / h)
    size = mu * mu / np.maximum(variance - mu, 1e-9)
    candidate = ((hist >= config.min_history) & (counts >= min_count) & (counts >= config.min_ratio * mu))
    p_value = np.ones_like(counts)
    idx = np.nonzero(candidate)
    if idx[0].size:
        obs, m, r = counts[idx], mu[idx], size[idx]
        p_value[idx] = stats.nbinom.sf(obs - 1, r, r / (r + m))
    fired = candidate & (p_value < config.alpha)
    return Scores(observed=counts, mean=mean, history=hist, size=size, p_value=p_value, fired=fired)


def _escalations(s: Series, metric: str, config: AlertConfig, rule: str) -> list[Alert]:
    sc = escalation_scores(s.counts[metric], metric, config)
    fatal = "fatalities" in metric
    floor = config.fatality_floor if fatal else config.event_floor
    min_count = config.min_fatalities if fatal else config.min_events
    out = []
    for i, j in zip(*np.nonzero(sc.fired)):
        pi = s.first_period + int(j)
        start, end = period_bounds(pi, s.period)
        model = f"negative binomial (size {sc.size[i, j]:.2g})"
        key = s.keys[i]
        out.append(Alert(
            rule=rule, period=period_label(pi, s.period), period_start=start.isoformat(), period_end=end.isoformat(),
            level=s.by, country=key.get("country", ""), admin1=key.get("admin1", ""), admin2=key.get("admin2", ""),
            metric=metric, observed=float(sc.observed[i, j]), baseline=round(float(sc.mean[i, j]), 3),
            p_value=float(sc.p_value[i, j]),
            threshold=(f"p < {config.alpha:g} under {model} with mean max(baseline, {floor:g}) over "
                       f"{int(sc.history[j])} {s.period}s before the last {config.guard}; observed >= {min_count} and >= "
                       f"{config.min_ratio:g}x baseline"),
            details={"history_periods": int(sc.history[j]), "model": model.split(" (")[0]},
        ))
    return out


# ----- novelty: an actor in an area where it had no events in the past year ---------------------


def _prev_gap(group: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For rows sorted by (group, day): days since the previous row of the same group on an earlier
    day (inf for the first), and that previous day (-1 for none)."""
    n = group.size
    gap = np.full(n, np.inf)
    prev = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return gap, prev
    # the last earlier day of the same group: carry forward the day of each group/day run start
    new_run = np.ones(n, dtype=bool)
    new_run[1:] = (group[1:] != group[:-1]) | (day[1:] != day[:-1])
    run_id = np.cumsum(new_run) - 1
    run_group = group[new_run]
    run_day = day[new_run]
    run_prev = np.full(run_day.size, -1, dtype=np.int64)
    same = run_group[1:] == run_group[:-1]
    run_prev[1:][same] = run_day[:-1][same]
    prev = run_prev[run_id]
    gap = np.where(prev >= 0, day - prev, np.inf)
    return gap, prev


def _novelty(frame: EventFrame, config: AlertConfig) -> list[Alert]:
    rows, actors = frame.actor_rows(armed_only=True)
    if rows.size == 0:
        return []
    day = frame.day[rows]
    start = int(frame.day.min()) + config.lookback_days  # before this, "no events in a year" is unknowable
    # Has the actor been active anywhere in the lookback before this day?
    order = np.lexsort((day, actors))
    gap_actor = np.empty(rows.size)
    gap_actor[order] = _prev_gap(actors[order], day[order])[0]
    known_actor = gap_actor <= config.lookback_days
    per = period_index(day, config.period)
    out: list[Alert] = []
    new_admin1: set[tuple[int, str, str, int]] = set()
    for level in ("admin1", "admin2"):
        area, names = frame.area_keys(level)
        a = area[rows]
        ok = a >= 0
        pair = actors * (len(names) + 1) + a
        order = np.lexsort((day, pair))
        gap = np.empty(rows.size)
        prev = np.empty(rows.size, dtype=np.int64)
        gap[order], prev[order] = _prev_gap(pair[order], day[order])
        fresh = ok & (gap > config.lookback_days) & (day >= start)
        if level == "admin2":
            fresh &= known_actor  # a brand-new actor is reported once, at admin1
        # Events of the pair in the same period, for the numbers of the alert.
        cell = pair * 100000 + (per - per.min())
        _, inverse, counts = np.unique(cell, return_inverse=True, return_counts=True)
        fat = np.bincount(inverse, weights=frame.fatalities[rows])
        candidates = np.flatnonzero(fresh)
        # One row per actor, area and period: the earliest (several events on the first day are one alert).
        candidates = candidates[np.lexsort((day[candidates], cell[candidates]))]
        _, first = np.unique(cell[candidates], return_index=True)
        for idx in candidates[first]:
            actor = frame.actor_labels[int(actors[idx])]
            country, admin1, admin2 = names[int(a[idx])]
            pi = int(per[idx])
            if level == "admin2" and (int(actors[idx]), country, admin1, pi) in new_admin1:
                continue
            rule = "new_area" if known_actor[idx] else "new_actor"
            if level == "admin1":
                new_admin1.add((int(actors[idx]), country, admin1, pi))
            if rule == "new_actor" and level == "admin2":
                continue
            first_day = (dt.date(1970, 1, 1) + dt.timedelta(days=int(day[idx]))).isoformat()
            last_seen = (None if prev[idx] < 0 else
                         (dt.date(1970, 1, 1) + dt.timedelta(days=int(prev[idx]))).isoformat())
            p_start, p_end = period_bounds(pi, config.period)
            what = "in this area" if rule == "new_area" else "anywhere"
            out.append(Alert(
                rule=rule, period=period_label(pi, config.period), period_start=p_start.isoformat(),
                period_end=p_end.isoformat(), level=level, country=country, admin1=admin1,
                admin2=admin2 if level == "admin2" else "", actor=actor, metric="events",
                observed=float(counts[inverse[idx]]), baseline=0.0, p_value=None,
                threshold=f"no events {what} in the previous {config.lookback_days} days",
                details={"first_event": first_day, "last_seen_here": last_seen,
                         "fatalities": int(fat[inverse[idx]])},
            ))
    return _one_per_actor_area_period(out)


def held_back(alerts: list[Alert], frame: EventFrame, config: AlertConfig) -> tuple[list[Alert], list[Alert]]:
    """(kept, held back): a "new" alert is kept when its coverage scope had events in at least
    ``min_coverage_periods`` of the lookback periods before the alert's; the counts go in its details."""
    if not alerts:
        return [], []
    per = period_index(frame.day, config.period)
    covered = _covered_periods(frame, per, config.coverage_scope)
    span = config.lookback_periods
    kept, held = [], []
    for alert in alerts:
        start = dt.date.fromisoformat(alert.period_start)
        pi = int(period_index(np.array([(start - dt.date(1970, 1, 1)).days]), config.period)[0])
        periods = covered.get(_scope_key(alert.country, alert.admin1, config.coverage_scope), _NONE)
        n = int(np.searchsorted(periods, pi) - np.searchsorted(periods, pi - span))
        where = {"database": "the database", "country": alert.country}.get(config.coverage_scope, alert.admin1)
        alert = replace(alert, threshold=f"{alert.threshold}; {where} had events in {n} of the {span} "
                        f"{config.period}s before (at least {config.min_coverage_periods} needed)",
                        details={**alert.details, "coverage_periods": n,
                                 "coverage_needed": config.min_coverage_periods, "coverage_scope": config.coverage_scope})
        (kept if n >= config.min_coverage_periods else held).append(alert)
    return kept, held


_NONE = np.zeros(0, dtype=np.int64)


def _scope_key(country: str, admin1: str, scope: str) -> tuple[str, ...]:
    return () if scope == "database" else (country,) if scope == "country" else (country, admin1)


def _covered_periods(frame: EventFrame, per: np.ndarray, scope: str) -> dict[tuple[str, ...], np.ndarray]:
    """Per scope key, the sorted periods with at least one event (of any actor) there."""
    if scope == "database":
        return {(): np.unique(per)}
    area, names = frame.area_keys("country" if scope == "country" else "admin1")
    known = area >= 0
    p0 = int(per.min())
    span = int(per.max()) - p0 + 1
    cells = np.unique(area[known] * span + (per[known] - p0))  # sorted by area, then period
    codes, starts = np.unique(cells // span, return_index=True)
    out: dict[tuple[str, ...], np.ndarray] = {}
    for code, periods in zip(codes, np.split(cells % span + p0, starts[1:])):
        country, admin1, _ = names[int(code)]
        out[_scope_key(country, admin1, scope)] = periods
    return out


def _one_per_actor_area_period(alerts: list[Alert]) -> list[Alert]:
    """One alert per actor, area and period (several events on the first day all count as one alert)."""
    seen: set[tuple[str, str, str, str, str, str]] = set()
    unique = []
    for alert in alerts:
        key = (alert.rule, alert.actor, alert.country, alert.admin1, alert.admin2, alert.period)
        if key not in seen:
            seen.add(key)
            unique.append(alert)
    return unique


# ----- state violence against civilians -------------------------------------------------------


def _state_violence(frame: EventFrame, config: AlertConfig) -> list[Alert]:
    mask = frame.state_on_civilians & (frame.fatalities > 0)
    if not mask.any():
        return []
    rows = np.flatnonzero(mask)
    area, names = frame.area_keys("admin1")
    per = period_index(frame.day[rows], config.period)
    p0 = int(per.min())
    n_areas, n_actors = len(names) + 1, len(frame.actor_labels)
    cell = ((per - p0) * n_areas + (area[rows] + 1)) * n_actors + frame.actor1.codes[rows]
    uniq, inverse = np.unique(cell, return_inverse=True)
    events = np.bincount(inverse)
    fat = np.bincount(inverse, weights=frame.fatalities[rows])
    air = np.bincount(inverse, weights=frame.air_strike[rows].astype(float))
    out = []
    for i, c in enumerate(uniq):
        actor = frame.actor_labels[int(c % n_actors)]
        a = int(c // n_actors % n_areas) - 1
        pi = int(c // (n_actors * n_areas)) + p0
        if a >= 0:
            country, admin1, _ = names[a]
        else:
            first = rows[inverse == i][0]
            country, admin1 = frame.country.labels[frame.country.codes[first]], ""
        start, end = period_bounds(pi, config.period)
        out.append(Alert(
            rule="state_violence_against_civilians", period=period_label(pi, config.period),
            period_start=start.isoformat(), period_end=end.isoformat(), level="admin1" if admin1 else "country",
            country=country, admin1=admin1, actor=actor, metric="civilian_fatalities", observed=float(fat[i]),
            baseline=None, p_value=None,
            threshold="any civilian killed by state forces (inter 1, Military/Police Forces of ...)",
            details={"events": int(events[i]), "air_strikes": int(air[i])},
        ))
    return out
