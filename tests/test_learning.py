"""Corrections that teach the extractor (issue 15, part 1): a place or actor fixed in review goes into the user
files extraction reads, so the next report naming that village or alias is placed and attributed right;
`sahelwatch reextract` shows (and with --apply writes) what that changes in stored, unreviewed events.

The reports are written for these tests; Tondigoumbi and the Sirba Brigade are invented names that no
gazetteer or registry holds.
"""
from __future__ import annotations

import csv
import datetime as dt

import pytest
import yaml

from sahelwatch import learning
from sahelwatch.errors import ConfigError, InvalidRequest, NotFound
from sahelwatch.geo.gazetteer import load_gazetteer
from sahelwatch.model import Document
from sahelwatch.pipeline import extract_events
from sahelwatch.runtime import configure_extraction
from sahelwatch.settings import Settings

VILLAGE = "Tondigoumbi"
SPOT = {"location": VILLAGE, "latitude": 14.08, "longitude": 1.21, "admin2": "Gotheye"}
FIRST = "Gunmen killed seven civilians in Tondigoumbi, in western Niger, on Thursday, residents said."
SECOND = "Suspected jihadists attacked Tondigoumbi on Sunday and killed four villagers, a local official said."
GROUP = "Fighters of the Sirba Brigade attacked soldiers near Tera on Monday, killing three, the army said."
ALIAS = "Dozens of Gourma Bay fighters attacked soldiers near Tera on Monday, killing three, the army said."
JNIM = "JNIM: Group for Support of Islam and Muslims"
NIGER = {"country": "Niger", "admin1": "Tillaberi", "location": "Tillaberi", "inter1": 3}


@pytest.fixture
def config(tmp_path):
    """Settings whose user places and actors files are this test's own, applied to this process."""
    s = Settings(db=f"sqlite:///{tmp_path / 'store.db'}", user_places=tmp_path / "places.csv",
                 user_actors=tmp_path / "actors.yaml")
    configure_extraction(s)
    yield s
    configure_extraction(Settings(user_places=tmp_path / "none.csv", user_actors=tmp_path / "none.yaml"))


def extract(text: str, doc_id: str = "r") -> list:
    return extract_events(Document(doc_id=doc_id, text=text, published=dt.date(2024, 5, 6)))


# ---------------------------------------------------------------------- places
def test_a_place_fixed_in_review_places_the_next_report_naming_it(config):
    before = extract(SECOND)
    assert not any(e.location == VILLAGE and e.geo_precision == 1 for e in before)  # unknown: no precise place
    out = learning.learn_from_edit(config, NIGER, SPOT, "ana", "NER7")
    assert [(e.kind, e.name, e.added_by, e.event_id) for e in out.learned] == [("place", VILLAGE, "ana", "NER7")]
    after = extract(SECOND)
    assert [(e.location, e.admin1, e.admin2, e.country, e.latitude, e.longitude, e.geo_precision) for e in after] == [
        (VILLAGE, "Tillaberi", "Gotheye", "Niger", 14.08, 1.21, 1)]


@pytest.mark.parametrize(("event", "changes", "learned"), [
    ({**NIGER, "location": VILLAGE}, {"latitude": 14.08, "longitude": 1.21}, [VILLAGE]),  # the name was kept, unplaced
    ({**NIGER, "location": "Tera"}, {"latitude": 14.05, "longitude": 0.70}, []),  # a known town moved a little
    ({**NIGER, "location": "Tillaberi"}, {"latitude": 14.08, "longitude": 1.21}, []),  # a region is no village
])
def test_new_coordinates_teach_only_a_location_name_the_gazetteer_lacks(config, event, changes, learned):
    out = learning.learn_from_edit(config, event, changes, "ana", "NER7")
    assert [e.name for e in out.learned] == learned
    assert out.notes == []


def test_the_learned_place_is_a_row_gazetteer_import_reads_with_reviewer_and_event(config, tmp_path):
    learning.learn_from_edit(config, NIGER, SPOT, "ana", "NER7")
    with config.user_places_path().open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows[0]["name"] == VILLAGE and rows[0]["added_by"] == "ana" and rows[0]["event_id"] == "NER7"
    assert rows[0]["source"] == learning.LEARNED_SOURCE
    from click.testing import CliRunner

    from sahelwatch.cli import main

    done = CliRunner().invoke(main, ["gazetteer", "import", str(config.user_places_path()),
                                     "--gazetteer", str(tmp_path / "gaz.db")])
    assert done.exit_code == 0, done.output
    assert "1 added" in done.output


def test_undoing_a_learned_place_takes_it_out_of_the_gazetteer(config):
    entry = learning.learn_from_edit(config, NIGER, SPOT, "ana", "NER7").learned[0]
    assert load_gazetteer().lookup(VILLAGE, "Niger")
    assert learning.undo_learned(config, entry.id).name == VILLAGE
    assert load_gazetteer().lookup(VILLAGE, "Niger") == []
    assert learning.list_learned(config) == []
    with pytest.raises(NotFound, match=entry.id):
        learning.undo_learned(config, entry.id)


@pytest.mark.parametrize(("changes", "note"), [
    ({"location": VILLAGE}, "latitude and longitude"),
    ({"location": "Tera", "latitude": 14.01, "longitude": 0.75}, "already has Tera"),
    ({"location": '<img src=x onerror="alert(1)">', "latitude": 14.0, "longitude": 1.0}, "not a name"),
    ({**SPOT, "country": "Atlantis"}, "unknown country"),
])
def test_a_place_edit_that_names_no_new_village_teaches_nothing_and_says_why(config, changes, note):
    out = learning.learn_from_edit(config, NIGER, changes, "ana", "NER7")
    assert out.learned == []
    assert note in out.notes[0]
    assert not config.user_places_path().exists()


def test_a_bad_user_places_file_is_a_one_line_error_naming_file_and_line(tmp_path):
    bad = tmp_path / "places.csv"
    bad.write_text("name,country,latitude,longitude\nGoodvillage,Niger,14.0,1.0\nBadvillage,Niger,north,1.0\n")
    with pytest.raises(ConfigError, match=r"places.csv:3: latitude 'north' is not a number"):
        configure_extraction(Settings(user_places=bad, user_actors=tmp_path / "a.yaml"))


# ---------------------------------------------------------------------- actors and aliases
def test_an_actor_fixed_in_review_attributes_the_next_report_naming_it(config):
    assert [e.actor1 for e in extract(GROUP)] == ["Unidentified Armed Group (Niger)"]
    out = learning.learn_from_edit(config, NIGER, {"actor1": "Sirba Brigade", "inter1": 2}, "ana", "NER8")
    assert [(e.kind, e.name, e.inter, e.country) for e in out.learned] == [("actor", "Sirba Brigade", 2, "Niger")]
    assert [(e.actor1, e.inter1) for e in extract(GROUP)] == [("Sirba Brigade", 2)]
    raw = yaml.safe_load(config.user_actors_path().read_text())
    assert raw["actors"][0]["added_by"] == "ana" and raw["actors"][0]["event_id"] == "NER8"


def test_a_surface_form_marked_as_alias_attributes_the_next_report_to_the_known_actor(config):
    assert [e.actor1 for e in extract(ALIAS)] != [JNIM]
    out = learning.learn_alias(config, "Gourma Bay fighters", JNIM, "ana", "NER9")
    assert [(e.kind, e.name, e.actor) for e in out.learned] == [("alias", "Gourma Bay fighters", JNIM)]
    events = extract(ALIAS)
    assert [e.actor1 for e in events] == [JNIM]
    used = learning.learned_for_event(config, events[0].to_dict())
    assert [e.kind for e in used] == ["alias"]


@pytest.mark.parametrize(("changes", "learned"), [
    ({"actor1": JNIM}, []),  # a registry actor
    ({"actor1": "Civilians (Niger)"}, []),  # a category's generic name
    ({"actor1": "Military Forces of Niger (2023-)"}, []),
    ({"actor2": "Sirba Brigade"}, ["Sirba Brigade"]),
])
def test_only_actors_the_registry_lacks_are_learned(config, changes, learned):
    assert [e.name for e in learning.learn_from_edit(config, NIGER, changes, "ana", "NER8").learned] == learned


@pytest.mark.parametrize(("text", "actor", "message"), [
    ("Gourma Bay fighters", "Nobody Anywhere", "not a named actor"),
    ("<b>x</b>", JNIM, "not a name"),
    ("Gourma Bay fighters", "Civilians ({country})", "not a named actor"),
])
def test_a_bad_alias_is_refused_and_nothing_is_written(config, text, actor, message):
    with pytest.raises(InvalidRequest, match=message):
        learning.learn_alias(config, text, actor, "ana", "NER9")
    assert not config.user_actors_path().exists()


def test_a_bad_user_actors_file_is_a_one_line_error(tmp_path):
    bad = tmp_path / "actors.yaml"
    bad.write_text("aliases:\n  - {alias: Gourma Bay fighters, actor: Nobody Anywhere}\n")
    with pytest.raises(ConfigError, match=r"actors.yaml:2: aliases entry 1: 'actor' must name an actor"):
        configure_extraction(Settings(user_places=tmp_path / "p.csv", user_actors=bad))


# ---------------------------------------------------------------------- re-extraction of stored reports
def _ingest(store, *texts: str) -> None:
    from sahelwatch.service import ingest_documents

    docs = [Document(doc_id=f"r{i}", text=t, published=dt.date(2024, 5, 6), source="Test Wire")
            for i, t in enumerate(texts, 1)]
    ingest_documents(store, docs)


def test_reextract_shows_then_applies_what_learning_changes_and_keeps_reviewed_events(config, store):
    from sahelwatch.service import reextract

    _ingest(store, FIRST, SECOND, GROUP)
    first = next(e for e in store.query_events() if e["doc_id"] == "r1")
    group = next(e for e in store.query_events() if e["doc_id"] == "r3")
    store.update_event(group["event_id"], {"status": "verified"}, "ana")
    learning.learn_from_edit(config, NIGER, SPOT, "ana", first["event_id"])
    learning.learn_from_edit(config, NIGER, {"actor1": "Sirba Brigade", "inter1": 2}, "ana", group["event_id"])

    dry = {r.doc_id: r for r in reextract(store)}
    change = dry["r1"].changed[0]
    assert change.event_id == first["event_id"]
    assert change.changes["latitude"] == (pytest.approx(first["latitude"]), 14.08)
    assert change.changes["geo_precision"][1] == 1
    assert dry["r3"].reviewed == [group["event_id"]] and dry["r3"].changed == []
    assert store.get_event(first["event_id"])["latitude"] == first["latitude"]  # a dry run writes nothing

    applied = {r.doc_id: r for r in reextract(store, apply=True)}
    assert applied["r1"].changed[0].event_id == first["event_id"]
    now = store.get_event(first["event_id"])
    assert (now["location"], now["latitude"], now["longitude"], now["geo_precision"]) == (VILLAGE, 14.08, 1.21, 1)
    assert now["audit"][-1]["action"] == "reextract"
    assert store.get_event(group["event_id"])["actor1"] == group["actor1"]  # verified: never overwritten
    assert all(not r.changed and not r.new for r in reextract(store))  # applied: nothing left to do


def test_reextract_stores_an_event_the_first_reading_missed(config, store):
    from sahelwatch.service import reextract

    _ingest(store, SECOND)
    assert not any(e["location"] == VILLAGE and e["geo_precision"] == 1 for e in store.query_events())
    learning.learn_from_edit(config, NIGER, SPOT, "ana", "NER1")
    results = list(reextract(store, since="2024-05-01", apply=True))
    placed = [e for e in store.query_events() if e["location"] == VILLAGE]
    assert [(e["latitude"], e["geo_precision"]) for e in placed] == [(14.08, 1)]
    assert sum(len(r.new) + len(r.changed) for r in results) == 1
    assert list(reextract(store, since="2030-01-01")) == []  # --since leaves older reports alone


def test_the_reextract_verb_prints_the_diff_and_applies_it(config, tmp_path):
    from click.testing import CliRunner

    from sahelwatch.cli import main
    from sahelwatch.store import Store

    store = Store(config.db)
    _ingest(store, FIRST)
    store.close()
    learning.learn_from_edit(config, NIGER, SPOT, "ana", "NER1")
    env = {"SAHELWATCH_USER_PLACES": str(config.user_places_path()),
           "SAHELWATCH_USER_ACTORS": str(config.user_actors_path())}
    runner = CliRunner()
    dry = runner.invoke(main, ["reextract", "--db", config.db], env=env)
    assert dry.exit_code == 0, dry.output
    assert "latitude: 14.21 -> 14.08" in dry.output and "would change" in dry.output and "--apply" in dry.output
    done = runner.invoke(main, ["reextract", "--db", config.db, "--apply"], env=env)
    assert "1 event(s) changed" in done.output
    again = runner.invoke(main, ["reextract", "--db", config.db], env=env)
    assert "0 event(s) would change" in again.output
    bad = runner.invoke(main, ["reextract", "--db", config.db, "--since", "May 2024"], env=env)
    assert bad.exit_code == 2 and "--since" in bad.output
    listed = runner.invoke(main, ["learned", "--db", config.db], env=env)
    assert VILLAGE in listed.output and "by ana from NER1" in listed.output
    entry_id = listed.output.split()[0]
    undone = runner.invoke(main, ["learned", "--db", config.db, "--undo", entry_id], env=env)
    assert undone.exit_code == 0 and f"removed place '{VILLAGE}'" in undone.output
    missing = runner.invoke(main, ["learned", "--db", config.db, "--undo", entry_id], env=env)
    assert missing.exit_code == 1 and "no learned place" in missing.output
