"""The API side of learning from review: a PATCH that fixes a place or actor teaches the extractor (said in the
answer, kept in the audit log), the next report ingested is read with it, GET /api/learned lists what was
learned and DELETE /api/learned/{id} undoes it."""
from __future__ import annotations

import csv

import pytest
from fastapi.testclient import TestClient

from sahelwatch.api.app import create_app
from sahelwatch.api.auth import Token
from sahelwatch.runtime import configure_extraction
from sahelwatch.settings import Settings

TOKEN = "learning-token"
VILLAGE = "Tondigoumbi"
FIRST = "NIAMEY, May 4 - Gunmen killed seven civilians in Tondigoumbi, in western Niger, on Thursday, residents said."
SECOND = "Suspected jihadists attacked Tondigoumbi on Sunday and killed four villagers, a local official said."
JNIM = "JNIM: Group for Support of Islam and Muslims"
PLACE = {"location": VILLAGE, "latitude": 14.08, "longitude": 1.21, "admin2": "Gotheye", "geo_precision": 1}


@pytest.fixture
def setup(tmp_path):
    config = Settings(db=f"sqlite:///{tmp_path / 'api.db'}", user_places=tmp_path / "places.csv",
                      user_actors=tmp_path / "actors.yaml")
    app = create_app(config, token=Token(TOKEN, "test"), warm=False)
    client = TestClient(app, headers={"Authorization": f"Bearer {TOKEN}", "X-Sahelwatch-User": "ana"})
    answer = client.post("/api/ingest", json={"text": FIRST, "published": "2024-05-04", "doc_id": "first"})
    assert answer.status_code == 201
    event_id = client.get("/api/events").json()["events"][0]["event_id"]
    yield client, config, event_id
    app.state.store.close()
    configure_extraction(Settings(user_places=tmp_path / "none.csv", user_actors=tmp_path / "none.yaml"))


def test_a_place_fix_teaches_and_the_next_report_is_placed_with_it(setup):
    client, config, event_id = setup
    answer = client.patch(f"/api/events/{event_id}", json={"changes": PLACE})
    assert answer.status_code == 200
    learned = answer.json()["learned"]
    assert [(e["kind"], e["name"], e["added_by"], e["event_id"]) for e in learned] == [("place", VILLAGE, "ana", event_id)]
    with config.user_places_path().open(encoding="utf-8") as f:
        assert [r["name"] for r in csv.DictReader(f)] == [VILLAGE]
    assert [a["action"] for a in answer.json()["event"]["audit"]][-2:] == ["edit", "learn"]

    assert client.post("/api/ingest", json={"text": SECOND, "published": "2024-05-06", "doc_id": "second"}).status_code == 201
    second = next(e for e in client.get("/api/events").json()["events"] if e["doc_id"] == "second")
    assert (second["location"], second["latitude"], second["longitude"], second["geo_precision"]) == (VILLAGE, 14.08, 1.21, 1)
    detail = client.get(f"/api/events/{second['event_id']}").json()
    assert [(e["kind"], e["name"], e["event_id"]) for e in detail["learned"]] == [("place", VILLAGE, event_id)]


def test_an_alias_is_taught_with_or_without_an_edit(setup):
    client, config, event_id = setup
    answer = client.patch(f"/api/events/{event_id}", json={"alias": {"text": "Gourma Bay fighters", "actor": JNIM}})
    assert answer.status_code == 200
    assert [(e["kind"], e["name"], e["actor"]) for e in answer.json()["learned"]] == [("alias", "Gourma Bay fighters", JNIM)]
    assert "Gourma Bay fighters" in config.user_actors_path().read_text(encoding="utf-8")
    listed = client.get("/api/learned").json()
    assert [e["kind"] for e in listed["entries"]] == ["alias"]
    assert listed["actors_file"] == str(config.user_actors_path())


@pytest.mark.parametrize(("body", "message"), [
    ({"changes": {"fatalities": 3}, "alias": {"text": "Gourma Bay fighters", "actor": "Nobody Anywhere"}},
     "not a named actor"),
    ({"alias": {"text": "<script>x</script>", "actor": JNIM}}, "not a name"),
])
def test_a_bad_alias_is_a_400_and_changes_nothing(setup, body, message):
    client, config, event_id = setup
    before = client.get(f"/api/events/{event_id}").json()
    answer = client.patch(f"/api/events/{event_id}", json=body)
    assert answer.status_code == 400 and message in answer.json()["error"]["message"]
    assert client.get(f"/api/events/{event_id}").json()["fatalities"] == before["fatalities"]
    assert not config.user_actors_path().exists()


def test_learn_false_edits_without_teaching_and_notes_say_why_nothing_was_learned(setup):
    client, config, event_id = setup
    quiet = client.patch(f"/api/events/{event_id}", json={"changes": PLACE, "learn": False})
    assert quiet.status_code == 200 and quiet.json()["learned"] == []
    assert not config.user_places_path().exists()
    no_coordinates = client.patch(f"/api/events/{event_id}", json={"changes": {"location": "Tondigoumbi-Est"}})
    assert no_coordinates.json()["learned"] == []
    assert "latitude and longitude" in no_coordinates.json()["notes"][0]


def test_undo_needs_the_token_removes_the_entry_and_is_audited(setup):
    client, config, event_id = setup
    entry = client.patch(f"/api/events/{event_id}", json={"changes": PLACE}).json()["learned"][0]
    refused = client.delete(f"/api/learned/{entry['id']}", headers={"Authorization": ""})
    assert refused.status_code == 401
    assert client.get("/api/learned").json()["entries"][0]["id"] == entry["id"]
    done = client.delete(f"/api/learned/{entry['id']}")
    assert done.status_code == 200 and done.json()["name"] == VILLAGE
    assert client.get("/api/learned").json()["entries"] == []
    assert client.get(f"/api/events/{event_id}").json()["audit"][-1]["action"] == "unlearn"
    again = client.delete(f"/api/learned/{entry['id']}")
    assert again.status_code == 404 and entry["id"] in again.json()["error"]["message"]
