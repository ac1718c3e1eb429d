"""Benchmark: all alert rules over 1,000,000 synthetic events (target < 10 s), with time and memory.

    .venv/bin/python bench/bench_trends.py [--events 1000000] [--period month|week]

Each step runs --repeat times (best and median printed: the machine is shared). Prints, for the
same events: building the columnar frame from dicts (what the store yields) and
from columns, then the alert rules (escalation at three levels, civilian targeting, new areas
and actors, state violence), and the end-to-end time from dicts to alerts; peak memory by
tracemalloc (Python and numpy allocations) and the process's peak RSS.
"""
from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc

from sahelwatch.trends import AlertConfig, EventFrame, detect_alerts, interactions, series
from sahelwatch.trends.synthetic import generate


def timed(label: str, repeat: int, func, *args, **kwargs):
    """Run ``repeat`` times; print the best and the median (the machine is shared, so noisy)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args, **kwargs)
        times.append(time.perf_counter() - start)
    best, median = min(times), statistics.median(times)
    print(f"  {label:<44s} best {best:6.2f} s   median {median:6.2f} s")
    return result, best, median


def peak_mib(func, *args, **kwargs) -> float:
    tracemalloc.start()
    func(*args, **kwargs)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000, help="about this many events")
    parser.add_argument("--period", choices=("month", "week"), default="month")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step (best and median printed)")
    args = parser.parse_args()

    # 500 admin1 areas (1,500 districts, ~330 actors) over 5 years; rates sized to the target count.
    n_areas, n_periods = 500, 60
    mean_rate = args.events / (n_areas * n_periods)
    print(f"generating ~{args.events:,} events ({n_areas} admin1 areas, {n_periods} months) ...")
    stream = generate(seed=7, n_areas=n_areas, n_periods=n_periods, period="month",
                      rate_range=(mean_rate * 0.35, mean_rate * 2.0), n_escalations=50, n_expansions=50)
    records = stream.records()
    n = len(records)
    print(f"{n:,} events, period={args.period}")
    config = AlertConfig(period=args.period)

    start = time.perf_counter()
    import pyarrow.compute  # noqa: F401 - one-off imports, timed apart from the work
    import scipy.stats  # noqa: F401
    print(f"  {'imports (pyarrow, scipy.stats), once':<44s} {time.perf_counter() - start:11.2f} s")
    r = args.repeat
    frame, t_records, m_records = timed("frame from dicts (EventFrame.from_records)", r, EventFrame.from_records,
                                        records)
    timed("frame from columns (EventFrame.from_columns)", r, EventFrame.from_columns, stream.columns)
    alerts, t_alerts, m_alerts = timed("alerts (all rules) on the frame", r, detect_alerts, frame, config)
    timed("trends: series by admin1", r, series, frame, "admin1", args.period)
    timed("trends: series by actor", r, series, frame, "actor", args.period)
    timed("interactions", r, interactions, frame, args.period)

    total, total_median = t_records + t_alerts, m_records + m_alerts
    by_rule: dict[str, int] = {}
    for alert in alerts:
        by_rule[alert.rule] = by_rule.get(alert.rule, 0) + 1
    print(f"alerts: {len(alerts):,} ({', '.join(f'{k} {v:,}' for k, v in sorted(by_rule.items()))})")
    print(f"END TO END, {n:,} dicts -> alerts: best {total:.2f} s, median {total_median:.2f} s "
          f"(target < 10 s: {'met' if total < 10 else 'MISSED'})")

    print("memory (tracemalloc peak, measured in a second run):")
    print(f"  frame from dicts  {peak_mib(EventFrame.from_records, records):8.1f} MiB")
    print(f"  alerts            {peak_mib(detect_alerts, frame, config):8.1f} MiB")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  process peak RSS  {rss:8.1f} MiB (includes the generated dicts)")
    return 0  # figures are printed, not asserted (a shared machine is noisy)


if __name__ == "__main__":
    sys.exit(main())
