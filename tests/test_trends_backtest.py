"""Backtest of the alert rules on generated streams with known, injected shifts.

Targets (issue 7): >= 90% of injected shifts detected within one period (in the period they
start or the next), and < 5% false alarms on stationary streams. A false alarm is an
escalation alert for an area in a period where its rate did not change; the rate is alerts per
area and tested period. The share of stationary areas with at least one false alarm over the
whole stream is printed too. New-area/new-actor alerts on stationary streams are counted per
(actor, admin1 or admin2) pair and period after the first year of data.

Streams: 100 admin1 areas (3 districts each, 2 home actors each), base rates log-uniform (monthly
4-30, weekly 3-15 events), gamma-mixed Poisson counts (shape 20, i.e. over-dispersed), clustered
fatalities; 30 areas escalate by a factor 3-5 and 30 actors expand into a new admin1, both at a
random period in the second half. Five seeds per period type.
"""
from __future__ import annotations

import pytest

from sahelwatch.trends import AlertConfig, EventFrame, detect_alerts
from sahelwatch.trends.frame import period_label
from sahelwatch.trends.synthetic import generate

SEEDS = range(5)
STREAMS = {
    "month": {"n_periods": 36, "rate_range": (4.0, 30.0)},
    "week": {"n_periods": 156, "rate_range": (3.0, 15.0)},
}


def _detected(alerts, stream, injection) -> bool:
    """An alert for the injected shift in the period it starts or the next one."""
    country, admin1 = stream.areas[injection.area]
    periods = {period_label(injection.period + k, stream.period) for k in (0, 1)}
    for a in alerts:
        if a.period not in periods or a.admin1 != admin1 or a.country != country or a.level != "admin1":
            continue
        if injection.kind == "escalation" and a.rule == "escalation":
            return True
        if injection.kind == "expansion" and a.rule == "new_area" and a.actor == injection.actor:
            return True
    return False


@pytest.fixture(scope="module", params=list(STREAMS))
def backtest(request):
    period = request.param
    config = AlertConfig(period=period)
    hits = {"escalation": [], "expansion": []}
    false_alarms, tested, areas_alarmed, areas = 0, 0, 0, 0
    novelty_alarms, novelty_cells = 0, 0
    for seed in SEEDS:
        shifted = generate(seed=seed, period=period, n_escalations=30, n_expansions=30, **STREAMS[period])
        alerts = detect_alerts(EventFrame.from_columns(shifted.columns), config)
        for injection in shifted.injections:
            hits[injection.kind].append(_detected(alerts, shifted, injection))

        steady = generate(seed=1000 + seed, period=period, **STREAMS[period])
        alerts = detect_alerts(EventFrame.from_columns(steady.columns), config)
        cells = {(a.country, a.admin1, a.period) for a in alerts if a.rule == "escalation" and a.level == "admin1"}
        false_alarms += len(cells)
        tested += len(steady.areas) * (len(steady.periods) - config.min_history - config.guard)
        areas_alarmed += len({(c, a) for c, a, _ in cells})
        areas += len(steady.areas)
        novelty_alarms += sum(a.rule in ("new_area", "new_actor") for a in alerts)
        # (actor, admin1 or admin2) pairs of the stream, in the periods after the first year of data
        pairs = len(steady.areas) * len(steady.actors[0]) * (1 + 3)
        novelty_cells += pairs * sum(1 for p in steady.periods if p >= steady.periods[0] + (12 if period == "month"
                                                                                           else 53))
    result = {
        "period": period,
        "escalation_detection": sum(hits["escalation"]) / len(hits["escalation"]),
        "expansion_detection": sum(hits["expansion"]) / len(hits["expansion"]),
        "detection": sum(hits["escalation"] + hits["expansion"]) / len(hits["escalation"] + hits["expansion"]),
        "false_alarm_rate": false_alarms / tested,
        "areas_with_a_false_alarm": areas_alarmed / areas,
        "novelty_false_alarms": novelty_alarms,
        "novelty_false_alarm_rate": novelty_alarms / novelty_cells,
        "injected": len(hits["escalation"]) + len(hits["expansion"]),
        "tested_cells": tested,
    }
    print(f"\nbacktest ({period}): escalations detected {result['escalation_detection']:.1%}, "
          f"expansions detected {result['expansion_detection']:.1%} of {result['injected']} shifts; "
          f"false alarms {result['false_alarm_rate']:.2%} of {tested} area-periods, "
          f"{result['areas_with_a_false_alarm']:.0%} of steady areas alarmed at least once; "
          f"new area/actor alerts on steady streams: {novelty_alarms} "
          f"({result['novelty_false_alarm_rate']:.3%} of actor-area-periods)")
    return result


def test_at_least_90_percent_of_injected_shifts_are_detected_within_one_period(backtest):
    assert backtest["escalation_detection"] >= 0.90
    assert backtest["expansion_detection"] >= 0.90


def test_fewer_than_5_percent_false_alarms_on_stationary_streams(backtest):
    assert backtest["false_alarm_rate"] < 0.05
    # An actor with a gap of over a year in a district is "new" there again, by definition; rare.
    assert backtest["novelty_false_alarm_rate"] < 0.05
