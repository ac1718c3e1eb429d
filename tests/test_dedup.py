"""sahelwatch.dedup: when two event records describe one incident, and how they are combined."""
from __future__ import annotations

import pytest

from sahelwatch import dedup

BASE = {
    "event_id": "NER1", "doc_id": "a", "event_date": "2024-05-20", "time_precision": 1,
    "event_type": "Battles", "sub_event_type": "Armed clash",
    "actor1": "JNIM: Group for Support of Islam and Muslims", "inter1": 2,
    "actor2": "Military Forces of Niger (2023-)", "inter2": 1,
    "country": "Niger", "admin1": "Tillaberi", "admin2": "Tera", "location": "Boni",
    "latitude": 13.20, "longitude": 1.60, "geo_precision": 1, "fatalities": 7, "source": "Reuters",
    "evidence": [{"start": 0, "end": 5, "text": "clash"}],
}


def other(**changes):
    return {**BASE, "event_id": "NER2", "doc_id": "b", **changes}


@pytest.mark.parametrize(("name", "expected"), [
    ("Military Forces of Niger (2023-)", "military forces of niger"),
    ("Military Forces of Niger (2011-2023)", "military forces of niger"),
    ("Civilians (Niger)", "civilians (niger)"),
    ("JNIM: Group for Support of Islam and Muslims", "jnim: group for support of islam and muslims"),
    ("", ""),
])
def test_actor_key_drops_the_era_in_parentheses(name, expected):
    assert dedup.actor_key(name) == expected


@pytest.mark.parametrize(("why", "changes", "same"), [
    ("the identical record", {}, True),
    ("reported a day later, other era of the same army", {"event_date": "2024-05-21",
                                                           "actor2": "Military Forces of Niger (2011-2023)"}, True),
    ("two days apart, both day-precise", {"event_date": "2024-05-22"}, False),
    ("week-precise report five days off", {"event_date": "2024-05-25", "time_precision": 2}, True),
    ("month-precise report of the same month", {"event_date": "2024-05-01", "time_precision": 3}, True),
    ("a neighbouring village 12 km away", {"location": "Dari", "admin2": "Other", "latitude": 13.3,
                                           "longitude": 1.65}, True),
    ("a town 80 km away", {"location": "Far", "admin2": "Other", "latitude": 13.9, "longitude": 1.7}, False),
    ("35 km away, same precision 1: too far", {"admin2": "Other", "latitude": 13.45, "longitude": 1.8}, False),
    ("35 km away but coded near a town (precision 2)", {"admin2": "Other", "latitude": 13.45, "longitude": 1.8,
                                                        "geo_precision": 2}, True),
    ("same admin2, coordinates unknown", {"latitude": None, "longitude": None, "location": ""}, True),
    ("another country", {"country": "Mali", "latitude": None, "longitude": None}, False),
    ("violence against civilians vs battle: compatible codings", {"event_type": "Violence against civilians",
                                                                  "sub_event_type": "Attack"}, True),
    ("a protest is not a battle", {"event_type": "Protests", "sub_event_type": "Peaceful protest"}, False),
    ("unidentified gunmen in one report, JNIM in the other", {"actor1": "Unidentified Armed Group (Niger)",
                                                               "inter1": 3}, True),
    ("gunmen against the army vs JNIM against civilians", {"actor1": "Unidentified Armed Group (Niger)",
                                                           "inter1": 3}, "vs-civilians"),
    ("another named group against the same army", {"actor1": "Islamic State (Sahel)"}, False),
    ("other armed group and other state force", {"actor1": "Islamic State (Sahel)",
                                                 "actor2": "Military Forces of Mali (2021-)"}, False),
])
def test_same_incident(why, changes, same):
    base = BASE
    if same == "vs-civilians":
        base = {**BASE, "event_type": "Violence against civilians", "actor2": "Civilians (Niger)", "inter2": 7}
        same = False
    assert dedup.same_incident(base, other(**changes)) is same, why
    assert dedup.same_incident(other(**changes), base) is same, why + " (symmetric)"


def test_civilians_alone_do_not_link_attacks_by_different_groups():
    a = {**BASE, "event_type": "Violence against civilians", "actor1": "Islamic State (Sahel)",
         "actor2": "Civilians (Niger)", "inter2": 7}
    b = other(event_type="Violence against civilians", actor1="Military Forces of Niger (2023-)",
              actor2="Civilians (Niger)", inter1=1, inter2=7)
    assert not dedup.actors_match(a, b)
    assert dedup.actors_match({**a, "actor1": ""}, {**b, "actor1": ""})


def test_combine_keeps_the_lowest_fatalities_with_the_range_and_every_source():
    a = {**BASE, "time_precision": 2, "event_date": "2024-05-18", "geo_precision": 2}
    b = other(fatalities=12, source="ActuNiger", evidence=[{"start": 3, "end": 9, "text": "killed"}])
    c = other(fatalities=4, source="Reuters", latitude=None, longitude=None, geo_precision=3, claimed=True)
    out = dedup.combine([a, b, c])
    assert (out["fatalities"], out["fatalities_min"], out["fatalities_max"]) == (4, 4, 12)
    assert (out["event_date"], out["time_precision"]) == ("2024-05-20", 1)  # the most precise date
    assert (out["latitude"], out["geo_precision"]) == (13.20, 1)  # the most precise place
    assert out["source"] == "Reuters; ActuNiger"
    assert out["source_scale"] == "National-International"
    assert len(out["evidence"]) == 2
    assert out["claimed"] is False  # two of the three reports state it as fact
    assert out["event_id"] == "NER1"  # the first record is the one kept


@pytest.mark.parametrize(("source", "scale"), [
    ("Reuters", "International"), ("AFP via allAfrica", "International"), ("ActuNiger", "National"),
    ("some blog", "Other"), ("", ""),
])
def test_source_scale_of_an_outlet(source, scale):
    assert dedup.source_scale_of(source) == scale


def test_block_index_returns_only_records_in_the_date_window_and_country():
    index = dedup.BlockIndex()
    near = other(event_id="N1", event_date="2024-05-19")
    far = other(event_id="N2", event_date="2024-09-01")
    abroad = other(event_id="N3", country="Mali")
    for rec in (near, far, abroad):
        index.add(rec)
    found = {c["event_id"] for c in index.candidates(BASE)}
    assert "N1" in found and "N2" not in found and "N3" not in found


def test_best_match_picks_the_closest_record():
    close = other(event_id="CLOSE")
    looser = other(event_id="LOOSE", event_date="2024-05-21", location="Dari", latitude=13.25)
    assert dedup.best_match(BASE, [looser, close])["event_id"] == "CLOSE"
    assert dedup.best_match(BASE, [other(country="Mali")]) is None


def test_blocking_never_hides_a_matching_record():
    """Every pair same_incident accepts is among the block candidates (random records, fixed seed)."""
    import random

    rng = random.Random(3)
    records = []
    for i in range(600):
        day = rng.randrange(40)
        records.append(other(
            event_id=f"R{i}", doc_id=f"d{i}", event_date=f"2024-05-{1 + day % 28:02d}" if day < 28 else
            f"2024-06-{day - 27:02d}", time_precision=rng.choice([1, 1, 1, 2, 3]),
            geo_precision=rng.choice([1, 1, 2, 3]), admin2=rng.choice(["", "A", "B"]),
            latitude=13 + rng.uniform(0, 3), longitude=1 + rng.uniform(0, 3),
            location=rng.choice(["Boni", "Dari", "Tera"])))
    for r in records[::10]:
        r["latitude"] = r["longitude"] = None
    index = dedup.BlockIndex()
    for r in records:
        index.add(r)
    pairs = checked = 0
    for r in records:
        found = {c["event_id"] for c in index.candidates(r)}
        for o in records:
            if o is not r and dedup.same_incident(r, o):
                pairs += 1
                checked += o["event_id"] in found
    assert pairs > 100 and checked == pairs
