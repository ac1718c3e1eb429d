"""Synthetic event streams for backtests and benchmarks: known rates, injected shifts.

A stream is a grid of areas x periods with an expected event rate per cell; events are drawn
from it (gamma-mixed Poisson counts, days spread over the period, actors from the area's own
set, clustered fatalities). Escalations multiply an area's rate from a period on; expansions send
an actor into an admin1 where it never was. Everything is seeded, so a backtest is repeatable.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sahelwatch.trends.frame import period_bounds, period_index

COUNTRIES = ("Mali", "Burkina Faso", "Niger", "Benin", "Togo", "Chad")
EVENT_TYPES = ("Battles", "Explosions/Remote violence", "Violence against civilians", "Protests")


@dataclass
class Injection:
    """A shift put into the stream: what, where, from which period."""

    kind: str  # "escalation" or "expansion"
    area: int  # admin1 index
    period: int  # period index (as sahelwatch.trends.frame.period_index) of the first shifted period
    actor: str = ""
    factor: float = 1.0


@dataclass
class Stream:
    """A generated stream: columns of events, the area names, the injected shifts."""

    columns: dict[str, list[Any]]
    areas: list[tuple[str, str]]  # (country, admin1) per area index
    actors: list[list[str]]  # home actors per area index
    periods: list[int]  # period indices covered
    period: str
    rates: np.ndarray  # expected events per area x period (after injections)
    injections: list[Injection] = field(default_factory=list)

    def records(self) -> list[dict[str, Any]]:
        """The events as dicts (the shape the store yields)."""
        names = list(self.columns)
        return [dict(zip(names, values)) for values in zip(*(self.columns[n] for n in names))]


def generate(seed: int = 0, n_areas: int = 100, n_periods: int = 36, period: str = "month",
             start: dt.date = dt.date(2021, 1, 4), rate_range: tuple[float, float] = (4.0, 30.0),
             dispersion: float = 20.0, n_escalations: int = 0, factor_range: tuple[float, float] = (3.0, 5.0),
             n_expansions: int = 0, expansion_rate: float = 2.0, shift_window: tuple[int, int] | None = None,
             admin2_per_area: int = 3, actors_per_area: int = 2) -> Stream:
    """Draw a stream; ``n_escalations`` areas and ``n_expansions`` actors get a shift in ``shift_window``.
    ``dispersion`` is the gamma shape mixing the Poisson rate per cell (larger = closer to Poisson)."""
    rng = np.random.default_rng(seed)
    p0 = int(period_index(np.array([(start - dt.date(1970, 1, 1)).days]), period)[0])
    periods = list(range(p0, p0 + n_periods))
    bounds = [period_bounds(p, period) for p in periods]
    first_day = np.array([(b[0] - dt.date(1970, 1, 1)).days for b in bounds])
    length = np.array([(b[1] - b[0]).days + 1 for b in bounds])

    areas, pool, actors = _cast(n_areas, actors_per_area)
    base = np.exp(rng.uniform(np.log(rate_range[0]), np.log(rate_range[1]), n_areas))
    rates = np.repeat(base[:, None], n_periods, axis=1)
    lo, hi = shift_window or (n_periods // 2, n_periods - 2)
    injections = _escalations(rng, rates, n_escalations, (lo, hi), factor_range, periods)

    # Regular events: gamma-mixed Poisson counts per cell.
    mixed = rates * rng.gamma(dispersion, 1.0 / dispersion, rates.shape)
    counts = rng.poisson(mixed)
    area_of = np.repeat(np.repeat(np.arange(n_areas), n_periods), counts.ravel())
    t_of = np.repeat(np.tile(np.arange(n_periods), n_areas), counts.ravel())
    actor_of = np.array([actors[a][k] for a, k in zip(area_of, rng.integers(0, actors_per_area, area_of.size))],
                        dtype=object) if area_of.size else np.zeros(0, dtype=object)

    extra_area, extra_t, extra_actor = _expansions(rng, n_expansions, pool, actors, (lo, hi), expansion_rate,
                                                   periods, injections)
    area_of = np.concatenate([area_of, np.array(extra_area, dtype=np.int64)])
    t_of = np.concatenate([t_of, np.array(extra_t, dtype=np.int64)])
    actor_of = np.concatenate([actor_of, np.array(extra_actor, dtype=object)])

    n = area_of.size
    day = first_day[t_of] + (rng.random(n) * length[t_of]).astype(np.int64)
    dates = np.array(day, dtype="datetime64[D]").astype(str).tolist()
    # Fatalities cluster: most events kill none or few, some many.
    fatalities = np.where(rng.random(n) < 0.4, 0, rng.negative_binomial(0.7, 0.7 / (0.7 + 4.0), n))
    etype = rng.integers(0, len(EVENT_TYPES), n)
    civilian = etype == 2
    admin2 = rng.integers(0, admin2_per_area, n)
    columns: dict[str, list[Any]] = {
        "event_id": [f"SYN{i}" for i in range(n)],
        "event_date": dates,
        "country": [areas[a][0] for a in area_of],
        "admin1": [areas[a][1] for a in area_of],
        "admin2": [f"{areas[a][1]} District {d}" for a, d in zip(area_of, admin2)],
        "actor1": actor_of.tolist(),
        "actor2": [f"Civilians ({areas[a][0]})" if c else "" for a, c in zip(area_of, civilian)],
        "event_type": [EVENT_TYPES[e] for e in etype],
        "sub_event_type": ["" for _ in range(n)],
        "fatalities": fatalities.tolist(),
        "civilian_targeting": civilian.tolist(),
        "inter1": [2] * n,
        "inter2": [7 if c else None for c in civilian],
    }
    return Stream(columns=columns, areas=areas, actors=actors, periods=periods, period=period, rates=rates,
                  injections=injections)


def _expansions(rng: np.random.Generator, n_expansions: int, pool: list[str], actors: list[list[str]],
                window: tuple[int, int], expansion_rate: float, periods: list[int],
                injections: list[Injection]) -> tuple[list[int], list[int], list[str]]:
    """Expansions: an actor starts operating in an admin1 where it has never been (area, period, actor
    of each new event); each is recorded in ``injections``."""
    n_areas, n_periods = len(actors), len(periods)
    extra_area: list[int] = []
    extra_t: list[int] = []
    extra_actor: list[str] = []
    for _ in range(n_expansions):
        area = int(rng.integers(n_areas))
        outsiders = [a for a in pool if a not in actors[area]]
        actor = outsiders[int(rng.integers(len(outsiders)))]
        t0 = int(rng.integers(window[0], window[1] + 1))
        n_new = rng.poisson(expansion_rate, n_periods - t0)
        n_new[0] = max(n_new[0], 1)
        for k, m in enumerate(n_new):
            extra_area += [area] * int(m)
            extra_t += [t0 + k] * int(m)
            extra_actor += [actor] * int(m)
        injections.append(Injection("expansion", area, periods[t0], actor=actor))
    return extra_area, extra_t, extra_actor


def _cast(n_areas: int, actors_per_area: int) -> tuple[list[tuple[str, str]], list[str], list[list[str]]]:
    """The areas (country, admin1), the pool of armed groups, and the groups active in each area."""
    areas = [(COUNTRIES[i % len(COUNTRIES)], f"Region {i:03d}") for i in range(n_areas)]
    n_actor_pool = max(n_areas * actors_per_area // 3, actors_per_area)
    pool = [f"Armed Group {j:03d}" for j in range(n_actor_pool)]
    actors = [[pool[(i * actors_per_area + k) % n_actor_pool] for k in range(actors_per_area)] for i in range(n_areas)]
    return areas, pool, actors


def _escalations(rng: np.random.Generator, rates: np.ndarray, n_escalations: int, window: tuple[int, int],
                 factor_range: tuple[float, float], periods: list[int]) -> list[Injection]:
    """Multiply the rate of ``n_escalations`` areas from a period in ``window`` on (in place)."""
    injections = []
    n_areas = rates.shape[0]
    for area in rng.choice(n_areas, size=min(n_escalations, n_areas), replace=False):
        t0 = int(rng.integers(window[0], window[1] + 1))
        factor = float(rng.uniform(*factor_range))
        rates[area, t0:] *= factor
        injections.append(Injection("escalation", int(area), periods[t0], factor=factor))
    return injections
