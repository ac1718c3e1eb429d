"""GET /api/alerts, /api/trends and /api/interactions on an app holding only the trends router."""
from __future__ import annotations

import datetime as dt

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sahelwatch.api.routes import alerts as route

JNIM = "JNIM: Group for Support of Islam and Muslims"
FAMA = "Military Forces of Mali (2021-)"


def ev(date: str, **fields) -> dict:
    base = {"event_date": date, "country": "Mali", "admin1": "Mopti", "admin2": "Djenne", "actor1": JNIM,
            "actor2": FAMA, "event_type": "Battles", "sub_event_type": "Armed clash", "fatalities": 1,
            "civilian_targeting": False, "inter1": 2, "inter2": 1}
    base.update(fields)
    return base


class ListStore:
    """A store holding a list of events; iter_events is the one method the route uses."""

    def __init__(self, events: list[dict]) -> None:
        self.events = events
        self.reads = 0

    def iter_events(self, **_filters):
        self.reads += 1
        return iter(self.events)


def history() -> list[dict]:
    out = []
    for m in range(18):
        y, mo = divmod(m, 12)
        out += [ev(dt.date(2023 + y, mo + 1, 3 + k).isoformat()) for k in range(5)]
        out.append(ev(dt.date(2023 + y, mo + 1, 20).isoformat(), country="Niger", admin1="Tillaberi",
                      admin2="Ayorou", actor1="Islamic State (Sahel)", actor2="Military Forces of Niger (2023-)"))
    out += [ev(f"2024-07-{1 + k % 28:02d}") for k in range(30)]
    out.append(ev("2024-07-15", actor1=FAMA, inter1=1, actor2="Civilians (Mali)", inter2=7, fatalities=8,
                  event_type="Explosions/Remote violence", sub_event_type="Air/drone strike"))
    out.append(ev("2024-07-20", country="Niger", admin1="Agadez", admin2="Arlit", actor2=""))
    return out


@pytest.fixture()
def store() -> ListStore:
    return ListStore(history())


@pytest.fixture()
def client(store: ListStore) -> TestClient:
    app = FastAPI()
    app.include_router(route.router)
    app.state.store = store
    app.state.data_version = 0
    return TestClient(app)


def test_alerts_come_newest_first_with_their_numbers(client):
    body = client.get("/api/alerts").json()
    assert body["count"] == len(body["alerts"]) > 0
    periods = [a["period_start"] for a in body["alerts"]]
    assert periods == sorted(periods, reverse=True)
    escalation = next(a for a in body["alerts"] if a["rule"] == "escalation" and a["level"] == "admin1"
                      and a["metric"] == "events")
    assert (escalation["area"], escalation["observed"], escalation["baseline"]) == ("Mopti, Mali", 31, 5)
    assert escalation["p_value"] < 0.005 and escalation["message"] and escalation["threshold"]


@pytest.mark.parametrize(("params", "rules"), [
    ({"rule": "new_area"}, {"new_area"}),
    ({"rule": ["new_area", "state_violence_against_civilians"]}, {"new_area", "state_violence_against_civilians"}),
    ({"since": "2024-08-01"}, set()),
])
def test_alerts_can_be_filtered_by_rule_and_date(client, params, rules):
    body = client.get("/api/alerts", params=params).json()
    assert {a["rule"] for a in body["alerts"]} == rules


def test_alerts_can_be_filtered_by_country_and_limited(client):
    niger = client.get("/api/alerts", params={"country": "Niger"}).json()
    assert niger["alerts"] and {a["country"] for a in niger["alerts"]} == {"Niger"}
    assert len(client.get("/api/alerts", params={"limit": 1}).json()["alerts"]) == 1


@pytest.mark.parametrize(("path", "params"), [
    ("/api/alerts", {"since": "last week"}),
    ("/api/alerts", {"period": "day"}),
    ("/api/alerts", {"rule": "panic"}),
    ("/api/trends", {"by": "village"}),
    ("/api/trends", {"top": 0}),
    ("/api/interactions", {"limit": 0}),
])
def test_bad_parameters_are_422(client, path, params):
    assert client.get(path, params=params).status_code == 422


def test_trends_give_dense_series_for_the_top_rows(client):
    body = client.get("/api/trends", params={"by": "admin1", "top": 2}).json()
    assert body["periods"][0] == "2023-01" and body["periods"][-1] == "2024-07"
    assert len(body["period_starts"]) == len(body["periods"]) == 19
    assert [row["label"] for row in body["series"]] == ["Mopti, Mali", "Tillaberi, Niger"]
    mopti = body["series"][0]
    assert mopti["key"] == {"country": "Mali", "admin1": "Mopti"}
    assert mopti["events"][0] == 5 and mopti["events"][-1] == 31
    assert len(mopti["fatalities"]) == 19 and mopti["civilian_fatalities"][-1] == 8


@pytest.mark.parametrize(("params", "labels"), [
    ({"by": "actor", "top": 1}, [JNIM]),
    ({"by": "country", "country": "Niger"}, ["Niger"]),
    ({"by": "event_type", "metric": "civilian_fatalities", "top": 1}, ["Explosions/Remote violence"]),
])
def test_trends_by_actor_country_and_event_type(client, params, labels):
    assert [row["label"] for row in client.get("/api/trends", params=params).json()["series"]] == labels


def test_trends_since_cuts_the_periods(client):
    body = client.get("/api/trends", params={"since": "2024-06-01"}).json()
    assert body["periods"] == ["2024-06", "2024-07"]
    assert all(len(row["events"]) == 2 for row in body["series"])


def test_interactions_newest_first_per_pair(client):
    body = client.get("/api/interactions", params={"since": "2024-07-01"}).json()
    rows = [(r["period"], r["actor1"], r["actor2"], r["events"]) for r in body["interactions"]]
    assert rows == [("2024-07", JNIM, FAMA, 30), ("2024-07", FAMA, "Civilians (Mali)", 1)]
    niger = client.get("/api/interactions", params={"country": "Niger", "limit": 3}).json()["interactions"]
    assert len(niger) == 3 and {r["actor1"] for r in niger} == {"Islamic State (Sahel)"}


def test_the_store_is_read_once_until_the_data_changes(client, store):
    client.get("/api/alerts")
    client.get("/api/trends")
    client.get("/api/interactions")
    assert store.reads == 1
    store.events = store.events[:10]
    client.app.state.data_version += 1  # what the app does on every write
    # The first 10 events: Mali has 5 in January and 4 in February.
    assert client.get("/api/trends", params={"by": "country"}).json()["series"][0]["events"] == [5, 4]
    assert store.reads == 2


def test_no_events_gives_empty_answers():
    app = FastAPI()
    app.include_router(route.router)
    app.state.store = ListStore([])
    client = TestClient(app)
    assert client.get("/api/alerts").json()["alerts"] == []
    assert client.get("/api/trends").json()["series"] == []
    assert client.get("/api/interactions").json()["interactions"] == []


def test_the_routes_read_a_real_store(tmp_path):
    store_module = pytest.importorskip("sahelwatch.store", reason="the event store is not on this branch yet")
    from sahelwatch.model import Document, Event

    store = store_module.Store(f"sqlite:///{tmp_path / 'api.db'}")
    try:
        strike = ev("2024-03-09", actor1=FAMA, inter1=1, actor2="Civilians (Mali)", inter2=7, fatalities=6,
                    event_type="Explosions/Remote violence", sub_event_type="Air/drone strike", civilian_targeting=True)
        battle = ev("2024-03-20", admin1="Segou", admin2="Macina")
        for i, row in enumerate((strike, battle)):
            doc = Document(doc_id=f"d{i}", text=f"A report written for this test, number {i}.")
            store.add_extracted(doc, [Event.from_dict({**row, "event_id": f"E{i}", "doc_id": doc.doc_id})])
        app = FastAPI()
        app.include_router(route.router)
        app.state.store = store
        client = TestClient(app)
        alerts = client.get("/api/alerts", params={"rule": "state_violence_against_civilians"}).json()["alerts"]
        assert [(a["actor"], a["observed"], a["details"]["air_strikes"]) for a in alerts] == [(FAMA, 6, 1)]
        body = client.get("/api/trends", params={"by": "admin1"}).json()
        assert {row["label"]: sum(row["events"]) for row in body["series"]} == {"Mopti, Mali": 1, "Segou, Mali": 1}
    finally:
        store.close()
