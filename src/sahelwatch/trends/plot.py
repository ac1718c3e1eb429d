"""Timeline charts (per area, per actor, per event type) as PNG or SVG files, with alerts marked."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from sahelwatch.trends.aggregate import Series
from sahelwatch.trends.alerts import Alert
from sahelwatch.trends.frame import period_bounds

FORMATS = (".png", ".svg")


def plot_series(s: Series, path: str | Path, top: int = 8, alerts: Iterable[Alert] = (),
                title: str | None = None) -> Path:
    """Draw events and fatalities per period for the ``top`` rows of ``s``; alerts as red rings.

    The file type follows the suffix (.png or .svg). Uses matplotlib's Agg canvas directly, so
    no display and no global pyplot state.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise ValueError(f"{path}: chart files must end in .png or .svg")
    rows = s.top(top)
    dates = [period_bounds(s.first_period + j, s.period)[0] for j in range(s.n_periods)]
    fired = {}
    for alert in alerts:
        if alert.rule in ("escalation", "civilian_targeting_rise") and alert.level == s.by:
            fired.setdefault((alert.country, alert.admin1, alert.admin2, alert.period_start), set()).add(alert.metric)

    fig = Figure(figsize=(11, 6.5), layout="constrained")
    ax_events, ax_fatal = fig.subplots(2, 1, sharex=True)
    for i in rows:
        label = s.label(i)
        line, = ax_events.plot(dates, s.counts["events"][i], marker=".", linewidth=1.4, label=label)
        ax_fatal.plot(dates, s.counts["fatalities"][i], marker=".", linewidth=1.4, color=line.get_color())
        key = s.keys[i]
        for ax, metric in ((ax_events, "events"), (ax_fatal, "fatalities")):
            xs, ys = [], []
            for j, d in enumerate(dates):
                metrics = fired.get((key.get("country", ""), key.get("admin1", ""), key.get("admin2", ""),
                                     d.isoformat()), set())
                if metric in metrics:
                    xs.append(d)
                    ys.append(s.counts[metric][i, j])
            if xs:
                ax.scatter(xs, ys, s=90, facecolors="none", edgecolors="red", linewidths=1.6, zorder=5)
    unit = "week" if s.period == "week" else "month"
    ax_events.set_ylabel(f"events per {unit}")
    ax_fatal.set_ylabel(f"fatalities per {unit}")
    ax_fatal.set_xlabel(f"{unit} (red rings: escalation alerts)" if fired else unit)
    for ax in (ax_events, ax_fatal):
        ax.grid(True, alpha=0.3)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no half events
    if rows:
        ax_events.legend(loc="upper left", fontsize=8, ncols=2, frameon=False)
    else:
        ax_events.text(0.5, 0.5, "no events", transform=ax_events.transAxes, ha="center")
    by = {"admin1": "admin1 region", "admin2": "admin2 district", "event_type": "event type"}.get(s.by, s.by)
    fig.suptitle(title or f"Events and fatalities per {unit}, by {by} (top {len(rows)})")
    fig.savefig(path, dpi=110)
    return path
