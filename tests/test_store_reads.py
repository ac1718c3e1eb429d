"""sahelwatch.store.queries, the read path: an actor filter's page (each matching name's newest events read
from its column's index, then merged) and its count (four disjoint index counts) give the very rows and
numbers of the plain filter (one pass over every condition). On SQLite and PostgreSQL (the ``store`` fixture).
"""
from __future__ import annotations

import datetime as dt
import random

import pytest
import sqlalchemy as sa

from sahelwatch.model import Document, Event
from sahelwatch.store import queries
from sahelwatch.store.schema import events

IS_SAHEL, IS_WA = "Islamic State (Sahel)", "Islamic State (West Africa)"
JNIM = "JNIM: Group for Support of Islam and Muslims"
ARMIES = {"Niger": "Military Forces of Niger (2023-)", "Mali": "Military Forces of Mali (2021-)"}


@pytest.fixture
def mixed(store):
    """40 events whose actors are matched in every column, in two columns at once, or nowhere; some share a
    day (ties broken by row id), two have no associated actors, and one report of an incident already stored
    is merged into it (a merged-away row no read shows)."""
    rng = random.Random(12)
    pairs = []
    for i in range(40):
        country = "Niger" if i % 3 else "Mali"
        actor1 = rng.choice([IS_SAHEL, IS_WA, JNIM, ARMIES[country]])
        actor2 = rng.choice([ARMIES[country], IS_WA, f"Civilians ({country})", None])
        assoc = rng.choice([None, None, IS_SAHEL, JNIM])
        date = dt.date(2023, 1, 1) + dt.timedelta(days=20 * (i // 2))  # two events a day
        pairs.append((Document(doc_id=f"r{i}", text=f"Report {i}: an attack near village {i}."), [Event(
            event_date=date.isoformat(), event_type="Battles", sub_event_type="Armed clash", actor1=actor1,
            actor2=actor2, assoc_actor_1=assoc, assoc_actor_2=IS_SAHEL if i % 7 == 0 else None, country=country,
            admin1=f"Region {i}", location=f"Village {i}", latitude=5.0 + i, longitude=-10.0 + i / 2,
            geo_precision=1, fatalities=i % 6)]))
    first = pairs[0][1][0]
    again = Event(**{**first.to_dict(), "evidence": [], "fatalities": 9})
    pairs.append((Document(doc_id="again", text="Another wire on the attack near village 0."), [again]))
    store.add_many(pairs)
    return store


def plain(store, f: queries.EventFilter, limit: int, offset: int) -> tuple[list[str], int]:
    """The page's event ids and the count, the plain way."""
    with store.engine.connect() as conn:
        ids = [r.event_id for r in conn.execute(queries.page_query(store.db, f, limit, offset))]
        n = conn.execute(sa.select(sa.func.count()).select_from(events).where(*queries.where(store.db, f))).scalar_one()
    return ids, n


def test_the_data_has_what_the_fast_path_must_get_right(mixed):
    with mixed.engine.connect() as conn:
        merged = conn.execute(sa.select(sa.func.count()).where(events.c.merged_into.is_not(None))).scalar_one()
        both = conn.execute(sa.select(sa.func.count()).where(events.c.merged_into.is_(None),
                                                              events.c.actor1.like("Islamic State%"),
                                                              events.c.actor2.like("Islamic State%"))).scalar_one()
    assert merged == 1 and both >= 2 and mixed.count_events() == 40


@pytest.mark.parametrize("actor", ["islamic state", IS_SAHEL, "jnim", "forces of", "a", "nobody"])
@pytest.mark.parametrize("filters", [{}, {"since": "2023-09-01"}, {"country": "Niger", "min_fatalities": 2},
                                     {"until": "2024-01-01", "event_type": "Battles"}])
def test_actor_pages_and_counts_are_the_plain_filters(mixed, actor, filters):
    f = queries.EventFilter(actor=actor, **filters)
    for limit, offset in ((5, 0), (3, 4), (100, 0), (2, 19), (10, 60)):
        ids, n = plain(mixed, f, limit, offset)
        _, rows = mixed.page_rows(limit=limit, offset=offset, actor=actor, **filters)
        assert [r.event_id for r in rows] == ids, (limit, offset)
        assert [e["event_id"] for e in mixed.query_events(limit=limit, offset=offset, actor=actor, **filters)] == ids
        assert mixed.count_events(actor=actor, **filters) == n


def test_an_actor_matching_many_names_is_read_the_plain_way(mixed, monkeypatch):
    monkeypatch.setattr(queries, "MAX_ACTOR_READS", 4)  # "islamic state" matches two names in four columns
    f = queries.EventFilter(actor="islamic state")
    ids, n = plain(mixed, f, 7, 3)
    assert [r.event_id for r in mixed.page_rows(limit=7, offset=3, actor="islamic state")[1]] == ids
    assert len(ids) == 7 and mixed.count_events(actor="islamic state") == n


@pytest.mark.parametrize("one_shape", [
    [{"country": ["Mali", "Chad"]}, {"country": ["Niger"]}, {"country": ("Niger", "Mali", "Benin")}],
    [{"bbox": "-10,0,10,20"}, {"bbox": (0, 10, 20, 30)}, {"bbox": "-10,30,0,40"}],
    [{"text": "village 3"}, {"text": "attack"}, {"text": "nothing like this"}],
    [{"since": "2023-06-01", "min_fatalities": 2}, {"since": "2023-01-01", "min_fatalities": 5}],
    [{"actor": "islamic", "claimed": False}, {"actor": "jnim", "claimed": False}],
])
def test_filters_of_one_shape_share_a_statement_with_their_own_values(mixed, one_shape):
    """The statement built for the first filter of a shape runs the next ones with their values."""
    for filters in one_shape * 2:
        f = queries.EventFilter(**filters)
        ids, n = plain(mixed, f, 6, 1)
        assert [r.event_id for r in mixed.page_rows(limit=6, offset=1, **filters)[1]] == ids, filters
        assert queries.count_events(mixed.db, f) == n, filters


def test_the_count_cache_keeps_the_counts_in_use_and_forgets_them_when_the_data_changes(mixed, monkeypatch):
    cache, counted = queries.CountCache(size=3), []
    count = queries.count_events
    monkeypatch.setattr(queries, "count_events", lambda db, f: counted.append(f) or count(db, f))
    regular = queries.EventFilter(country="Niger")
    assert cache.count(mixed.db, regular) == 26
    for day in range(1, 6):  # one-off periods, asked between two asks of the regular filter
        cache.count(mixed.db, queries.EventFilter(since=f"2023-0{day}-01"))
        assert cache.count(mixed.db, regular) == 26
    assert counted.count(regular) == 1 and len(counted) == 6
    mixed.add_extracted(Document(doc_id="new", text="A new report."), [Event(
        event_date="2024-06-01", event_type="Protests", sub_event_type="Peaceful protest", country="Niger",
        location="Niamey", latitude=13.5, longitude=2.1, geo_precision=1)])
    assert cache.count(mixed.db, regular) == 27
