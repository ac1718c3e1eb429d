"""sahelwatch.trends: aggregations, alert rules and interactions over hand-made events."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sahelwatch.trends import AlertConfig, EventFrame, FrameError, aggregate, as_frame, detect_alerts, interactions
from sahelwatch.trends.frame import period_bounds, period_index, period_label

JNIM = "JNIM: Group for Support of Islam and Muslims"
ISSP = "Islamic State (Sahel)"
FAMA = "Military Forces of Mali (2021-)"


def ev(date: str, **fields) -> dict:
    """An event with quiet defaults: a battle in Mopti, Mali, no fatalities."""
    base = {"event_date": date, "country": "Mali", "admin1": "Mopti", "admin2": "Djenne", "actor1": JNIM,
            "actor2": FAMA, "event_type": "Battles", "sub_event_type": "Armed clash", "fatalities": 0,
            "civilian_targeting": False, "inter1": 2, "inter2": 1}
    base.update(fields)
    return base


def monthly(first: dt.date, months: int, per_month: int, **fields) -> list[dict]:
    """``per_month`` events on the 10th of each month, starting at ``first``."""
    out = []
    for m in range(months):
        y, mo = divmod(first.month - 1 + m, 12)
        day = dt.date(first.year + y, mo + 1, 10).isoformat()
        out += [ev(day, **fields) for _ in range(per_month)]
    return out


def by_rule(alerts, rule):
    return [a for a in alerts if a.rule == rule]


# ----- periods -------------------------------------------------------------------------------

@pytest.mark.parametrize(("date", "period", "label", "start", "end"), [
    ("2024-01-01", "week", "2024-W01", "2024-01-01", "2024-01-07"),  # a Monday
    ("2023-12-31", "week", "2023-W52", "2023-12-25", "2023-12-31"),  # a Sunday: the week before
    ("2024-03-13", "week", "2024-W11", "2024-03-11", "2024-03-17"),
    ("2024-02-29", "month", "2024-02", "2024-02-01", "2024-02-29"),
    ("2023-12-31", "month", "2023-12", "2023-12-01", "2023-12-31"),
])
def test_periods_are_monday_weeks_and_calendar_months(date, period, label, start, end):
    day = np.array([(dt.date.fromisoformat(date) - dt.date(1970, 1, 1)).days])
    index = int(period_index(day, period)[0])
    assert period_label(index, period) == label
    assert [d.isoformat() for d in period_bounds(index, period)] == [start, end]


# ----- reading events ------------------------------------------------------------------------

@pytest.mark.parametrize(("fields", "civilian"), [
    ({"civilian_targeting": True}, True),
    ({"civilian_targeting": "Civilian targeting"}, True),
    ({"actor2": "Civilians (Mali)", "inter2": 7}, True),
    ({"actor2": "Civilians (Mali)", "inter2": None}, True),
    ({"actor2": "", "inter2": 7}, True),
    ({}, False),
    ({"civilian_targeting": ""}, False),
])
def test_civilian_fatalities_are_those_of_civilian_targeting_or_civilian_victims(fields, civilian):
    rows = aggregate(as_frame([ev("2024-05-02", fatalities=4, **fields)]), "country", "month")
    assert rows[0]["fatalities"] == 4
    assert rows[0]["civilian_fatalities"] == (4 if civilian else 0)
    assert rows[0]["civilian_events"] == (1 if civilian else 0)


def test_rejected_events_and_events_without_a_date_are_left_out():
    frame = as_frame([ev("2024-05-02"), ev("2024-05-03", status="rejected"), ev(None),
                      ev("2024-05-04", status="verified")])
    assert len(frame) == 2


@pytest.mark.parametrize("date", ["2024-05-02", "2024-05-02T10:30:00", dt.date(2024, 5, 2),
                                  dt.datetime(2024, 5, 2, 10, 30)])
def test_event_dates_may_be_iso_strings_or_date_objects(date):
    assert aggregate(as_frame([ev(date)]), "country", "week")[0]["period"] == "2024-W18"


@pytest.mark.parametrize("bad", ["2024-13-45", "yesterday", "2024-02-30"])
def test_a_date_that_is_not_iso_names_the_event(bad):
    with pytest.raises(FrameError, match=f"event 'E2': event_date '{bad}' is not an ISO date"):
        as_frame([ev("2024-01-01", event_id="E1"), ev(bad, event_id="E2")])


@pytest.mark.parametrize(("value", "expected"), [(3, 3), ("5", 5), (None, 0), ("", 0), ("several", 0), (-2, 0)])
def test_fatalities_are_read_as_non_negative_integers(value, expected):
    assert aggregate(as_frame([ev("2024-01-01", fatalities=value)]), "country")[0]["fatalities"] == expected


def test_a_pyarrow_table_gives_the_same_counts_as_dicts():
    import pyarrow as pa

    events = [ev("2024-01-03", fatalities=2), ev("2024-02-03", admin1="Segou", fatalities=5, civilian_targeting=True),
              ev("2024-02-04", status="rejected")]
    table = pa.Table.from_pylist([{**e, "status": e.get("status", "verified")} for e in events])
    assert aggregate(as_frame(table), "admin1") == aggregate(as_frame(events), "admin1")


# ----- aggregations --------------------------------------------------------------------------

def test_areas_are_counted_per_period_and_qualified_by_country():
    events = [ev("2024-01-03", fatalities=2), ev("2024-01-20", fatalities=3), ev("2024-02-01"),
              ev("2024-01-05", country="Burkina Faso", admin1="Mopti")]  # same admin1 name, another country
    rows = aggregate(as_frame(events), "admin1", "month")
    assert [(r["country"], r["admin1"], r["period"], r["events"], r["fatalities"]) for r in rows] == [
        ("Mali", "Mopti", "2024-01", 2, 5), ("Mali", "Mopti", "2024-02", 1, 0),
        ("Burkina Faso", "Mopti", "2024-01", 1, 0)]


@pytest.mark.parametrize(("by", "period", "expected"), [
    ("country", "month", {("Mali", "2024-01"): 3}),
    ("admin2", "month", {("Djenne", "2024-01"): 2, ("Bandiagara", "2024-01"): 1}),
    ("event_type", "month", {("Battles", "2024-01"): 2, ("Violence against civilians", "2024-01"): 1}),
    ("country", "week", {("Mali", "2024-W01"): 2, ("Mali", "2024-W03"): 1}),
])
def test_counts_by_each_grouping(by, period, expected):
    events = [ev("2024-01-02"), ev("2024-01-03", admin2="Bandiagara", event_type="Violence against civilians"),
              ev("2024-01-17")]
    rows = aggregate(as_frame(events), by, period)
    assert {(r[by], r["period"]): r["events"] for r in rows} == expected


def test_an_event_counts_once_for_each_actor_including_associated_actors():
    events = [ev("2024-01-02", fatalities=6, assoc_actor_1="Dan Na Ambassagou; Koglweogo", assoc_actor_2=""),
              ev("2024-01-09", actor1=ISSP, actor2=JNIM, inter1=2, inter2=2, assoc_actor_1=JNIM)]
    rows = {r["actor"]: (r["events"], r["fatalities"]) for r in aggregate(as_frame(events), "actor", "month")}
    assert rows == {JNIM: (2, 6), FAMA: (1, 6), "Dan Na Ambassagou": (1, 6), "Koglweogo": (1, 6), ISSP: (1, 0)}


def test_unknown_grouping_is_refused():
    with pytest.raises(ValueError, match="unknown grouping 'village'"):
        aggregate(as_frame([ev("2024-01-01")]), "village")


# ----- escalation ----------------------------------------------------------------------------

@pytest.mark.parametrize(("last_month", "fires"), [
    (6, False),   # the usual level
    (9, False),   # above it, within its spread
    (25, True),   # four times the usual level
])
def test_escalation_fires_when_an_area_is_far_above_its_own_baseline(last_month, fires):
    events = monthly(dt.date(2023, 1, 1), 18, 6) + monthly(dt.date(2024, 7, 1), 1, last_month)
    alerts = [a for a in detect_alerts(as_frame(events), rules=("escalation",))
              if a.level == "admin1" and a.metric == "events"]
    assert bool(alerts) is fires
    if fires:
        (alert,) = alerts
        assert (alert.period, alert.admin1, alert.observed, alert.baseline) == ("2024-07", "Mopti", 25, 6)
        assert alert.p_value < 0.005
        assert "negative binomial" in alert.threshold


@pytest.mark.parametrize(("count", "fires"), [(2, False), (3, False), (8, True)])
def test_quiet_areas_need_a_minimum_count_over_a_floored_baseline(count, fires):
    # Segou had 1 event a year ago and nothing since: its baseline is ~0, floored at 0.5/month.
    events = monthly(dt.date(2023, 1, 1), 18, 5) + [ev("2023-06-10", admin1="Segou", admin2="Macina")] + [
        ev("2024-07-12", admin1="Segou", admin2="Macina") for _ in range(count)]
    alerts = [a for a in detect_alerts(as_frame(events), rules=("escalation",))
              if a.admin1 == "Segou" and a.level == "admin1" and a.metric == "events"]
    assert bool(alerts) is fires


def test_fatality_spikes_and_civilian_targeting_rises_are_alerts_with_their_metric():
    events = monthly(dt.date(2023, 1, 1), 18, 6, fatalities=2)
    events += monthly(dt.date(2023, 1, 1), 18, 1, event_type="Violence against civilians", actor2="Civilians (Mali)",
                      inter2=7, civilian_targeting=True, fatalities=1)
    events += [ev("2024-07-08", event_type="Violence against civilians", actor2="Civilians (Mali)", inter2=7,
                  civilian_targeting=True, fatalities=12) for _ in range(9)]
    alerts = detect_alerts(as_frame(events), since=dt.date(2024, 7, 1))
    found = {(a.rule, a.metric) for a in alerts if a.level == "admin1"}
    assert ("escalation", "fatalities") in found
    assert ("civilian_targeting_rise", "civilian_events") in found
    assert ("civilian_targeting_rise", "civilian_fatalities") in found


def test_a_steady_area_gives_no_escalation():
    rng = np.random.default_rng(3)
    events = []
    for m, n in enumerate(rng.poisson(10, 36)):
        y, mo = divmod(m, 12)
        events += [ev(dt.date(2021 + y, mo + 1, 1 + k % 28).isoformat(), fatalities=int(f))
                   for k, f in enumerate(rng.poisson(2, n))]
    assert by_rule(detect_alerts(as_frame(events)), "escalation") == []


# ----- new areas and actors ------------------------------------------------------------------

def test_an_actor_reaching_an_admin1_it_never_was_in_is_a_new_area():
    events = monthly(dt.date(2023, 1, 1), 18, 3)  # JNIM in Mopti since 2023
    events.append(ev("2024-06-14", country="Niger", admin1="Agadez", admin2="Arlit", actor2=""))
    alerts = by_rule(detect_alerts(as_frame(events)), "new_area")
    assert [(a.actor, a.country, a.admin1, a.level, a.period) for a in alerts] == [
        (JNIM, "Niger", "Agadez", "admin1", "2024-06")]
    assert alerts[0].observed == 1 and alerts[0].baseline == 0
    assert alerts[0].details["first_event"] == "2024-06-14"


@pytest.mark.parametrize(("last_visit", "fires"), [("2024-01-05", False), ("2023-05-02", True)])
def test_new_area_means_no_events_there_in_the_previous_year(last_visit, fires):
    events = monthly(dt.date(2023, 1, 1), 18, 3)
    events.append(ev(last_visit, admin1="Segou", admin2="Macina"))
    events.append(ev("2024-06-14", admin1="Segou", admin2="Macina"))
    alerts = [a for a in by_rule(detect_alerts(as_frame(events)), "new_area") if a.period == "2024-06"]
    assert bool(alerts) is fires
    if fires:
        assert alerts[0].details["last_seen_here"] == "2023-05-02"


def test_a_new_district_in_a_known_region_is_a_new_area_at_admin2():
    events = monthly(dt.date(2023, 1, 1), 18, 3) + [ev("2024-06-14", admin2="Bandiagara")]
    alerts = by_rule(detect_alerts(as_frame(events)), "new_area")
    assert sorted((a.actor, a.level, a.admin1, a.admin2) for a in alerts) == [
        (JNIM, "admin2", "Mopti", "Bandiagara"), (FAMA, "admin2", "Mopti", "Bandiagara")]


def test_nothing_is_new_during_the_first_year_of_data():
    events = [ev("2023-01-05"), ev("2023-03-05", admin1="Segou"), ev("2023-11-05", actor1=ISSP)]
    assert by_rule(detect_alerts(as_frame(events)), "new_area") + by_rule(detect_alerts(as_frame(events)),
                                                                            "new_actor") == []


def test_an_actor_with_no_events_anywhere_in_a_year_is_a_new_actor_not_a_new_area():
    events = monthly(dt.date(2023, 1, 1), 18, 3) + [ev("2024-06-20", actor1="Katiba Serma", actor2=FAMA)]
    alerts = detect_alerts(as_frame(events), rules=("new_actor", "new_area"))
    assert [(a.rule, a.actor, a.admin1) for a in alerts] == [("new_actor", "Katiba Serma", "Mopti")]


def test_civilians_and_protesters_never_expand():
    events = monthly(dt.date(2023, 1, 1), 18, 3) + [
        ev("2024-06-20", admin1="Segou", actor1=JNIM, actor2="Civilians (Mali)", inter2=7),
        ev("2024-06-21", admin1="Kayes", actor1="Protesters (Mali)", actor2="", inter1=6, inter2=None)]
    alerts = detect_alerts(as_frame(events), rules=("new_actor", "new_area"))
    assert {(a.actor, a.admin1) for a in alerts} == {(JNIM, "Segou")}


# ----- new areas and actors on a young or sparse database: held back until it has coverage -----

def sparse(months: list[str], **fields) -> list[dict]:
    """One event on the 10th of each of ``months`` ("YYYY-MM"): a database fed a few reports now and then."""
    return [ev(f"{m}-10", **fields) for m in months]


def test_a_database_with_a_short_sparse_history_holds_new_area_and_new_actor_back():
    # Three reports over two years, then JNIM in Segou and a group never seen: "no events there in a
    # year" is unknowable when the database heard of nothing for months on end.
    events = sparse(["2022-01", "2022-07", "2023-04"]) + [
        ev("2023-09-14", admin1="Segou", admin2="Macina"), ev("2023-09-20", actor1="Katiba Serma")]
    assert detect_alerts(as_frame(events), rules=("new_area", "new_actor")) == []
    # The same events with the hold-back off: both would have fired.
    loose = detect_alerts(as_frame(events), AlertConfig(min_coverage_periods=0), rules=("new_area", "new_actor"))
    assert {(a.rule, a.admin1) for a in loose} >= {("new_area", "Segou"), ("new_actor", "Mopti")}


@pytest.mark.parametrize(("covered_months", "fires"), [(7, False), (8, True), (12, True)])
def test_a_new_area_fires_once_the_year_before_has_enough_periods_of_coverage(covered_months, fires):
    # JNIM in Mopti in ``covered_months`` of the 12 months before June 2024 (and early 2023, so the
    # first year of data is behind), then JNIM in Segou.
    year_before = [f"{2023 + (5 + k) // 12}-{(5 + k) % 12 + 1:02d}" for k in range(12 - covered_months, 12)]
    events = sparse(["2023-01", "2023-02"] + year_before) + [ev("2024-06-14", admin1="Segou", admin2="Macina")]
    alerts = [a for a in by_rule(detect_alerts(as_frame(events)), "new_area") if a.level == "admin1" and a.actor == JNIM]
    assert bool(alerts) is fires
    if fires:
        (alert,) = alerts
        assert (alert.actor, alert.admin1, alert.period) == (JNIM, "Segou", "2024-06")
        assert alert.details["coverage_periods"] == covered_months and alert.details["coverage_needed"] == 8


def test_the_coverage_threshold_and_scope_are_data():
    from sahelwatch.trends.alerts import alert_defaults

    data = alert_defaults()
    assert AlertConfig().min_coverage_periods == data["min_coverage_periods"]["month"] == 8
    assert AlertConfig(period="week").min_coverage_periods == data["min_coverage_periods"]["week"]
    assert AlertConfig().coverage_scope == data["coverage_scope"] == "database"
    assert AlertConfig().window == data["window"] and AlertConfig().alpha == data["alpha"]
    # Scoped to the country, a first step into a country the database never heard from is held back.
    events = monthly(dt.date(2023, 1, 1), 18, 3) + [ev("2024-06-14", country="Niger", admin1="Agadez", admin2="Arlit")]
    assert by_rule(detect_alerts(as_frame(events)), "new_area")
    assert by_rule(detect_alerts(as_frame(events), AlertConfig(coverage_scope="country")), "new_area") == []


@pytest.mark.parametrize("kwargs", [{"coverage_scope": "planet"}, {"min_coverage_periods": 13},
                                    {"min_coverage_periods": -1}, {"levels": ("village",)}])
def test_coverage_settings_refuse_nonsense(kwargs):
    with pytest.raises(ValueError):
        AlertConfig(**kwargs)


# ----- state violence against civilians ------------------------------------------------------

@pytest.mark.parametrize(("fields", "fires"), [
    ({"actor1": FAMA, "inter1": 1, "actor2": "Civilians (Mali)", "inter2": 7, "fatalities": 9,
      "event_type": "Explosions/Remote violence", "sub_event_type": "Air/drone strike"}, True),
    ({"actor1": "Police Forces of Mali (2021-)", "inter1": None, "actor2": "", "civilian_targeting": True,
      "fatalities": 2, "event_type": "Violence against civilians", "sub_event_type": "Attack"}, True),
    ({"actor1": FAMA, "inter1": 1, "actor2": "Civilians (Mali)", "inter2": 7, "fatalities": 0}, False),
    ({"actor1": JNIM, "inter1": 2, "actor2": "Civilians (Mali)", "inter2": 7, "fatalities": 9}, False),
    ({"actor1": FAMA, "inter1": 1, "actor2": JNIM, "inter2": 2, "fatalities": 9}, False),
])
def test_state_forces_killing_civilians_is_its_own_alert(fields, fires):
    alerts = detect_alerts(as_frame([ev("2024-02-11", **fields)]), rules=("state_violence_against_civilians",))
    assert bool(alerts) is fires
    if fires:
        (alert,) = alerts
        assert alert.observed == fields["fatalities"] and alert.actor == fields["actor1"]
        assert alert.details["air_strikes"] == (1 if fields.get("sub_event_type") == "Air/drone strike" else 0)


def test_alerts_since_a_date_keep_the_periods_ending_on_or_after_it():
    events = [ev("2024-02-11", actor1=FAMA, inter1=1, actor2="Civilians (Mali)", inter2=7, fatalities=3),
              ev("2024-05-11", actor1=FAMA, inter1=1, actor2="Civilians (Mali)", inter2=7, fatalities=3)]
    alerts = detect_alerts(as_frame(events), since=dt.date(2024, 2, 29))
    assert [a.period for a in alerts] == ["2024-05", "2024-02"]
    assert detect_alerts(as_frame(events), since=dt.date(2024, 3, 1))[0].period == "2024-05"
    assert len(detect_alerts(as_frame(events), since=dt.date(2024, 3, 1))) == 1


def test_every_alert_carries_its_numbers_and_a_message():
    events = monthly(dt.date(2023, 1, 1), 18, 6) + monthly(dt.date(2024, 7, 1), 1, 30)
    alert = detect_alerts(as_frame(events), rules=("escalation",))[0]
    d = alert.to_dict()
    for key in ("rule", "period", "period_start", "period_end", "area", "observed", "baseline", "p_value",
                "threshold", "message"):
        assert d[key] not in (None, "")
    assert "baseline 6.0/month" in d["message"]


def test_weekly_alerts_use_weekly_periods():
    events = [ev((dt.date(2024, 1, 1) + dt.timedelta(days=7 * w + 2)).isoformat()) for w in range(30) for _ in range(3)]
    events += [ev("2024-07-31") for _ in range(15)]
    alerts = detect_alerts(as_frame(events), AlertConfig(period="week"), rules=("escalation",))
    assert {a.period for a in alerts} == {"2024-W31"}


@pytest.mark.parametrize("kwargs", [{"period": "day"}, {"window": 0}, {"guard": -1}])
def test_config_refuses_nonsense(kwargs):
    with pytest.raises(ValueError):
        AlertConfig(**kwargs)


# ----- interactions --------------------------------------------------------------------------

def test_interactions_count_pairs_per_period_whichever_side_is_actor1():
    events = [ev("2024-01-02", fatalities=3), ev("2024-01-09", actor1=FAMA, actor2=JNIM, fatalities=1),
              ev("2024-02-01", actor1=JNIM, actor2="Civilians (Mali)", inter2=7, fatalities=5),
              ev("2024-02-02", actor1="Protesters (Mali)", actor2="")]
    rows = [(r["period"], r["actor1"], r["actor2"], r["events"], r["fatalities"], r["civilian_fatalities"])
            for r in interactions(as_frame(events))]
    assert sorted(rows) == sorted([("2024-01", JNIM, FAMA, 2, 4, 0) if JNIM < FAMA else
                                   ("2024-01", FAMA, JNIM, 2, 4, 0),
                                   ("2024-02", JNIM, "Civilians (Mali)", 1, 5, 5)])


def test_empty_input_gives_nothing():
    frame = EventFrame.from_records([])
    assert aggregate(frame, "admin1") == []
    assert detect_alerts(frame) == []
    assert interactions(frame) == []


# ----- charts --------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "magic"), [("chart.png", b"\x89PNG"), ("chart.svg", b"<?xml")])
def test_charts_are_written_as_png_or_svg(tmp_path, name, magic):
    from sahelwatch.trends import series
    from sahelwatch.trends.plot import plot_series

    events = monthly(dt.date(2023, 1, 1), 18, 6) + monthly(dt.date(2024, 7, 1), 1, 30)
    frame = as_frame(events)
    path = plot_series(series(frame, "admin1", "month"), tmp_path / name, alerts=detect_alerts(frame))
    data = path.read_bytes()
    assert data.startswith(magic) and len(data) > 5000


def test_charts_refuse_other_file_types(tmp_path):
    from sahelwatch.trends import series
    from sahelwatch.trends.plot import plot_series

    with pytest.raises(ValueError, match="must end in .png or .svg"):
        plot_series(series(as_frame([ev("2024-01-01")])), tmp_path / "chart.jpg")
