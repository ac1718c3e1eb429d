"""sahelwatch.store: documents and events stored, linked across sources, queried, reviewed.

Every test runs on SQLite and on a real PostgreSQL 15 + PostGIS (the ``store`` fixture).
"""
from __future__ import annotations

import datetime as dt

import pytest

from sahelwatch.model import Document, Event, Evidence
from sahelwatch.store import Store


def doc(doc_id: str, text: str | None = None, **kw) -> Document:
    return Document(doc_id=doc_id, text=text or f"Report {doc_id}: armed men attacked a village.", **kw)


def ev(**kw) -> Event:
    base = {"event_date": "2024-05-20", "time_precision": 1, "disorder_type": "Political violence",
            "event_type": "Battles", "sub_event_type": "Armed clash",
            "actor1": "JNIM: Group for Support of Islam and Muslims", "inter1": 2,
            "actor2": "Military Forces of Niger (2023-)", "inter2": 1, "interaction": 12,
            "iso": 562, "country": "Niger", "admin1": "Tillaberi", "admin2": "Tera", "location": "Boni",
            "latitude": 13.2, "longitude": 1.6, "geo_precision": 1,
            "fatalities": 7, "evidence": [Evidence(0, 6, "Report")]}
    base.update(kw)
    return Event(**base)


MALI = {"iso": 466, "country": "Mali", "admin1": "Mopti", "admin2": "Bandiagara", "location": "Bandiagara",
        "latitude": 14.35, "longitude": -3.61, "actor2": "Military Forces of Mali (2021-)"}


def test_a_stored_event_has_an_acled_style_id_its_source_and_evidence(store):
    ids = store.add_extracted(doc("d1", source="Reuters", url="https://example.org/a", title="Attack"), [ev()])
    assert len(ids) == 1 and ids[0].startswith("NER")
    got = store.get_event(ids[0])
    assert got["event_type"] == "Battles" and got["fatalities"] == 7 and got["status"] == "unreviewed"
    assert (got["source_count"], got["fatalities_min"], got["fatalities_max"]) == (1, 7, 7)
    assert got["sources"][0]["doc_id"] == "d1" and got["sources"][0]["url"] == "https://example.org/a"
    assert got["sources"][0]["evidence"] == [{"start": 0, "end": 6, "text": "Report"}]
    assert got["source"] == "Reuters" and got["source_scale"] == "International"
    assert store.get_event("NER999999") is None


def test_get_document_lists_its_events(store):
    ids = store.add_extracted(doc("d1", published=dt.date(2024, 5, 21), title="T"), [ev(), ev(**MALI)])
    d = store.get_document("d1")
    assert d["published"] == "2024-05-21" and d["title"] == "T" and d["content_hash"]
    assert sorted(d["events"]) == sorted(ids) and any(i.startswith("MLI") for i in ids)
    assert store.get_document("nope") is None


@pytest.mark.parametrize("again", [
    doc("d1"),  # the same document twice
    doc("other-id", "Report d1: armed men  attacked a village.\n"),  # the same text under another doc_id
    doc("third", "A different text entirely.", url="https://example.org/a"),  # the same URL
])
def test_storing_a_known_document_again_adds_nothing(store, again):
    first = store.add_extracted(doc("d1", url="https://example.org/a"), [ev()])
    assert store.add_extracted(again, [ev(fatalities=99)]) == first
    assert store.count_events() == 1 and store.count_documents() == 1
    assert store.get_event(first[0])["fatalities_max"] == 7


def test_a_reused_doc_id_with_other_text_is_stored_under_a_new_id(store):
    store.add_extracted(doc("report", "First text."), [])
    store.add_extracted(doc("report", "Second, different text."), [])
    assert store.count_documents() == 2
    assert store.get_document("report")["text"] == "First text."


def test_two_reports_of_one_incident_become_one_event_with_both_sources(store):
    a = store.add_extracted(doc("a", source="Reuters"), [ev(fatalities=7, geo_precision=2, latitude=13.25)])
    b = store.add_extracted(doc("b", source="ActuNiger"), [ev(event_date="2024-05-21", fatalities=12,
                                                              actor2="Military Forces of Niger (2011-2023)")])
    assert a == b
    assert store.count_events() == 1
    got = store.get_event(a[0])
    assert (got["fatalities"], got["fatalities_min"], got["fatalities_max"]) == (7, 7, 12)
    assert (got["latitude"], got["geo_precision"]) == (13.2, 1)  # the more precise place
    assert got["source_count"] == 2 and got["source_scale"] == "National-International"
    assert [s["doc_id"] for s in got["sources"]] == ["a", "b"]
    assert got["merges"] and got["merges"][0]["automatic"]


@pytest.mark.parametrize("changes", [
    {"event_date": "2024-06-20"},  # a month later
    MALI,  # another country
    {"location": "Far", "admin2": "Other", "latitude": 14.5, "longitude": 2.5},  # 150 km away
    {"event_type": "Protests", "sub_event_type": "Peaceful protest", "actor1": "Protesters (Niger)",
     "actor2": ""},
])
def test_different_incidents_stay_apart(store, changes):
    store.add_extracted(doc("a"), [ev()])
    store.add_extracted(doc("b"), [ev(**changes)])
    assert store.count_events() == 2


def test_two_events_of_one_report_are_never_merged_with_each_other(store):
    ids = store.add_extracted(doc("a"), [ev(), ev(fatalities=3)])
    assert len(set(ids)) == 2 and store.count_events() == 2


def test_reports_of_one_incident_in_one_batch_are_linked(store):
    report = store.add_many([(doc("a"), [ev()]), (doc("b"), [ev(fatalities=2)]), (doc("c"), [ev(**MALI)])])
    assert (report.documents_added, report.events_added, report.events_linked) == (3, 2, 1)
    assert store.count_events() == 2
    ner = store.query_events(country="Niger")[0]
    assert ner["source_count"] == 2 and ner["fatalities_min"] == 2


@pytest.fixture
def filled(store):
    store.add_extracted(doc("n1", "Fighters of JNIM attacked soldiers near Boni.", source="Reuters"), [ev()])
    store.add_extracted(doc("n2", "Gunmen killed villagers in Tahoua market.", source="ActuNiger"), [ev(
        event_date="2024-03-02", event_type="Violence against civilians", sub_event_type="Attack",
        actor1="Unidentified Armed Group (Niger)", inter1=3, actor2="Civilians (Niger)", inter2=7,
        civilian_targeting=True, admin1="Tahoua", admin2="Tahoua", location="Tahoua", latitude=14.89,
        longitude=5.26, fatalities=4)])
    store.add_extracted(doc("m1", "JNIM claimed an attack on the army camp at Bandiagara.", source="RFI"), [ev(
        event_date="2023-11-10", claimed=True, fatalities=0, **MALI)])
    return store


@pytest.mark.parametrize(("filters", "expected"), [
    ({}, {"Boni", "Tahoua", "Bandiagara"}),
    ({"country": "Niger"}, {"Boni", "Tahoua"}),
    ({"country": ["Mali", "Chad"]}, {"Bandiagara"}),
    ({"admin1": "Tahoua"}, {"Tahoua"}),
    ({"actor": "jnim"}, {"Boni", "Bandiagara"}),
    ({"event_type": "Violence against civilians"}, {"Tahoua"}),
    ({"since": "2024-01-01"}, {"Boni", "Tahoua"}),
    ({"since": dt.date(2024, 1, 1), "until": "2024-04-01"}, {"Tahoua"}),
    ({"min_fatalities": 5}, {"Boni"}),
    ({"bbox": "0,12,3,14"}, {"Boni"}),
    ({"bbox": (-5, 13, 0, 15)}, {"Bandiagara"}),
    ({"text": "villagers market"}, {"Tahoua"}),
    ({"text": "JNIM"}, {"Boni", "Bandiagara"}),
    ({"claimed": True}, {"Bandiagara"}),
    ({"claimed": False, "country": "Niger", "since": "2024-04-01"}, {"Boni"}),
    ({"status": "verified"}, set()),
])
def test_query_filters(filled, filters, expected):
    got = filled.query_events(**filters)
    assert {e["location"] for e in got} == expected
    assert filled.count_events(**filters) == len(expected)
    assert {e["location"] for e in filled.iter_events(**filters)} == expected


def test_query_orders_newest_first_and_pages(filled):
    dates = [e["event_date"] for e in filled.query_events()]
    assert dates == sorted(dates, reverse=True)
    assert [e["event_date"] for e in filled.query_events(limit=1, offset=1)] == dates[1:2]


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "10,0,5,1"])
def test_bad_bbox_is_a_clear_error(filled, bbox):
    with pytest.raises(ValueError, match="bbox"):
        filled.query_events(bbox=bbox)


@pytest.mark.parametrize(("by", "first"), [
    ("month", {"key": "2023-11", "events": 1, "fatalities": 0, "civilian_fatalities": 0}),
    ("week", {"key": "2023-11-06", "events": 1, "fatalities": 0, "civilian_fatalities": 0}),
    ("country", {"key": "Niger", "events": 2, "fatalities": 11, "civilian_fatalities": 4}),
    ("event_type", {"key": "Battles", "events": 2, "fatalities": 7, "civilian_fatalities": 0}),
    ("actor", {"key": "JNIM: Group for Support of Islam and Muslims", "events": 2, "fatalities": 7,
               "civilian_fatalities": 0}),
    ("admin1", {"key": "Mopti", "events": 1, "fatalities": 0, "civilian_fatalities": 0}),
])
def test_stats(filled, by, first):
    rows = filled.stats(by)
    assert rows[0] == first
    assert sum(r["events"] for r in rows) >= 3


def test_stats_take_filters_and_refuse_unknown_groupings(filled):
    assert filled.stats("month", country="Mali") == [
        {"key": "2023-11", "events": 1, "fatalities": 0, "civilian_fatalities": 0}]
    with pytest.raises(ValueError, match="stats by"):
        filled.stats("colour")


def test_update_event_edits_fields_and_status_and_audits_them(filled):
    eid = filled.query_events(country="Mali")[0]["event_id"]
    out = filled.update_event(eid, {"status": "verified"}, user="amina")
    assert out["status"] == "verified"
    out = filled.update_event(eid, {"fatalities": 3, "event_type": "Violence against civilians",
                                    "sub_event_type": "Attack"}, user="amina")
    assert out["fatalities"] == 3 and out["disorder_type"] == "Political violence"
    trail = out["audit"]
    assert [a["action"] for a in trail] == ["status", "edit"]
    assert trail[0]["user"] == "amina" and trail[0]["before"] == {"status": "unreviewed"}
    assert trail[0]["after"] == {"status": "verified"} and trail[0]["at"]
    assert trail[1]["before"]["event_type"] == "Battles"
    assert filled.count_events(status="verified") == 1


@pytest.mark.parametrize(("changes", "message"), [
    ({"colour": "red"}, "unknown or read-only field"),
    ({"event_id": "X1"}, "unknown or read-only field"),
    ({"status": "maybe"}, "status 'maybe'"),
    ({"fatalities": -2}, "cannot be negative"),
    ({"fatalities": "many"}, "whole number"),
    ({"latitude": 123}, "latitude"),
    ({"event_date": "20 May"}, "YYYY-MM-DD"),
    ({"event_type": "Battles", "sub_event_type": "Peaceful protest"}, "does not belong"),
    ({"claimed": "perhaps"}, "true or false"),
    ({}, "no changes"),
])
def test_update_event_refuses_bad_changes_with_a_clear_message(filled, changes, message):
    eid = filled.query_events(country="Mali")[0]["event_id"]
    with pytest.raises(ValueError, match=message):
        filled.update_event(eid, changes, user="amina")
    assert filled.get_event(eid)["audit"] == []


def test_merge_by_hand_then_undo_restores_both_events(filled):
    niger = {e["location"]: e["event_id"] for e in filled.query_events(country="Niger")}
    merged = filled.merge_events([niger["Boni"], niger["Tahoua"]], user="amina")
    assert filled.count_events() == 2
    assert merged["source_count"] == 2 and {s["doc_id"] for s in merged["sources"]} == {"n1", "n2"}
    assert (merged["fatalities_min"], merged["fatalities_max"]) == (4, 7)
    assert filled.get_event(niger["Tahoua"])["merged_into"] == niger["Boni"]
    with pytest.raises(ValueError, match="was merged into"):
        filled.update_event(niger["Tahoua"], {"status": "verified"}, user="amina")
    restored = filled.undo_merge(merged["merge_id"], user="amina")
    assert [r["event_id"] for r in restored] == [niger["Boni"], niger["Tahoua"]]
    assert filled.count_events() == 3
    boni = filled.get_event(niger["Boni"])
    assert boni["source_count"] == 1 and boni["fatalities"] == 7 and boni["fatalities_max"] == 7
    assert [s["doc_id"] for s in filled.get_event(niger["Tahoua"])["sources"]] == ["n2"]
    with pytest.raises(ValueError, match="already undone"):
        filled.undo_merge(merged["merge_id"], user="amina")


def test_undo_an_automatic_merge_keeps_reviewer_edits(store):
    [eid] = store.add_extracted(doc("a"), [ev(fatalities=7)])
    store.add_extracted(doc("b"), [ev(fatalities=2)])
    store.update_event(eid, {"notes": "checked with a local source", "status": "verified"}, user="sam")
    merge_id = store.get_event(eid)["merges"][0]["merge_id"]
    kept, absorbed = store.undo_merge(merge_id, user="sam")
    assert store.count_events() == 2
    assert kept["notes"] == "checked with a local source" and kept["status"] == "verified"
    assert kept["fatalities_min"] == 7 and kept["source_count"] == 1
    assert absorbed["merged_into"] is None and absorbed["fatalities"] == 2


def test_split_moves_documents_into_a_new_event(store):
    [eid] = store.add_extracted(doc("a"), [ev(fatalities=7)])
    store.add_extracted(doc("b"), [ev(fatalities=2)])
    store.add_extracted(doc("c"), [ev(fatalities=5)])
    kept, new = store.split_event(eid, ["b"], user="sam")
    assert store.count_events() == 2
    assert [s["doc_id"] for s in kept["sources"]] == ["a", "c"] and [s["doc_id"] for s in new["sources"]] == ["b"]
    assert (kept["fatalities_min"], kept["fatalities_max"], kept["source_count"]) == (5, 7, 2)
    assert new["fatalities"] == 2 and new["event_id"].startswith("NER") and new["status"] == "unreviewed"
    assert kept["audit"][-1]["action"] == "split"
    with pytest.raises(ValueError, match="no source document"):
        store.split_event(eid, ["zzz"], user="sam")
    with pytest.raises(ValueError, match="some but not all"):
        store.split_event(eid, ["a", "c"], user="sam")


def test_merge_needs_two_live_events(filled):
    eid = filled.query_events()[0]["event_id"]
    with pytest.raises(ValueError, match="at least two"):
        filled.merge_events([eid, eid], user="x")
    with pytest.raises(KeyError):
        filled.merge_events([eid, "NER424242"], user="x")


def test_data_survives_reopening(store_url):
    with Store(store_url) as s:
        s.add_extracted(doc("a"), [ev()])
    with Store(store_url) as s:  # opening again migrates nothing and loses nothing
        assert s.count_events() == 1 and s.get_document("a")


def test_default_database_comes_from_the_environment(tmp_path, monkeypatch):
    from sahelwatch.settings import load_settings

    monkeypatch.setenv("SAHELWATCH_DB", str(tmp_path / "env.db"))
    with Store(load_settings().db) as s:
        s.add_extracted(doc("a"), [ev()])
    assert (tmp_path / "env.db").exists()
    monkeypatch.delenv("SAHELWATCH_DB")
    monkeypatch.chdir(tmp_path)
    with Store(load_settings().db) as s:
        assert s.url == "sqlite:///sahelwatch.db"
    assert (tmp_path / "sahelwatch.db").exists()


def test_concurrent_writers_queue_instead_of_failing(store_url):
    """Two processes' worth of writers (separate Store objects, threads) on one database: nothing lost."""
    import threading

    Store(store_url).close()
    errors: list[BaseException] = []

    def writer(name: str) -> None:
        try:
            with Store(store_url) as s:
                for i in range(15):
                    s.add_extracted(doc(f"{name}{i}", f"{name} report {i}"), [ev(event_date=f"2023-{1 + i % 12:02d}-0"
                                                                                  f"{1 + i % 9}", location=name)])
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("w1", "w2", "w3")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store(store_url) as s:
        assert s.count_documents() == 45
        ids = [e["event_id"] for e in s.iter_events(include_merged=True)]
        assert len(ids) == len(set(ids)) == 45


def test_spatial_and_text_indexes_are_the_backends_own(store):
    """SQLite: R*Tree over coordinates and FTS5 over text; PostgreSQL: a PostGIS point with GiST, tsvector with GIN."""
    import sqlalchemy as sa

    store.add_extracted(doc("d1", "Soldiers clashed with gunmen near Boni."), [ev()])
    with store.engine.connect() as conn:
        if store.dialect == "sqlite":
            assert conn.execute(sa.text("SELECT min_lon, min_lat FROM events_rtree")).one() == pytest.approx(
                (1.6, 13.2), abs=1e-5)
            assert conn.execute(sa.text("SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'gunmen'"))\
                .scalar_one() == 1
        else:
            assert conn.execute(sa.text("SELECT ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM events")).one() == (
                pytest.approx(1.6), pytest.approx(13.2), 4326)
            indexes = {r[0]: r[1] for r in conn.execute(sa.text(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename IN ('events', 'documents')"))}
            assert "USING gist (geom)" in indexes["ix_events_geom"]
            assert "USING gin (tsv)" in indexes["ix_documents_tsv"]
            assert conn.execute(sa.text("SELECT count(*) FROM documents WHERE tsv @@ to_tsquery('simple', 'gunmen')"))\
                .scalar_one() == 1


def test_one_store_serves_many_threads(store):
    """A web app shares one Store between request threads: reads and writes interleave safely."""
    import threading

    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                store.add_extracted(doc(f"t{n}-{i}", f"thread {n} report {i}"), [])
                store.query_events(limit=5)
                store.count_events(country="Niger")
        except BaseException as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and store.count_documents() == 40


def test_actor_filter_finds_edited_and_extracted_names(tmp_path):
    from sahelwatch.model import Document, Event
    from sahelwatch.store import Store

    store = Store(f"sqlite:///{tmp_path / 'a.db'}")
    try:
        doc = Document(doc_id="d1", text="Gunmen attacked Djibo on Monday, killing four soldiers.")
        ev = Event(event_date="2024-05-20", event_type="Battles", sub_event_type="Armed clash",
                   actor1="Unidentified Armed Group (Burkina Faso)", actor2="Military Forces of Burkina Faso (2022-)",
                   country="Burkina Faso", admin1="Sahel", location="Djibo", latitude=14.1, longitude=-1.63,
                   geo_precision=1, fatalities=4)
        (event_id,) = store.add_extracted(doc, [ev])
        assert [e["event_id"] for e in store.query_events(actor="military forces of burkina")] == [event_id]
        assert store.query_events(actor="JNIM") == []
        store.update_event(event_id, {"actor1": "JNIM: Group for Support of Islam and Muslims"}, user="analyst")
        assert [e["event_id"] for e in store.query_events(actor="jnim")] == [event_id]
        assert store.count_events(actor="unidentified") == 0
    finally:
        store.close()
