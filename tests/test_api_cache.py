"""sahelwatch.api.routes.events: the map's compact answer is cached, rebuilt in the background after a
change made by another process, and rebuilt at once after a change made through the API."""
from __future__ import annotations

import json
import time
from types import SimpleNamespace

import pytest

from sahelwatch.api.routes.events import compact_body
from sahelwatch.store import Store
from webserver import built_reports


@pytest.fixture
def stores(tmp_path):
    """The server's store and a second one on the same database (another process: a CLI ingest)."""
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    server, other = Store(url), Store(url)
    yield server, other
    server.close()
    other.close()


def ids(body: bytes) -> set[str]:
    return {row[0] for row in json.loads(body)["rows"]}


def wait_for(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "the background rebuild never finished"
        time.sleep(0.05)


def test_a_change_elsewhere_is_served_after_a_background_rebuild(stores):
    server, other = stores
    reports = list(built_reports().values())
    first = server.add_extracted(reports[0][0], [reports[0][1]])[0]
    state = SimpleNamespace(data_version=0)
    assert ids(compact_body(state, server, {})) == {first}

    second = other.add_extracted(reports[1][0], [reports[1][1]])[0]
    assert ids(compact_body(state, server, {})) == {first}  # the last answer, at once, while rebuilding
    wait_for(lambda: ids(compact_body(state, server, {})) == {first, second})


def test_a_change_through_the_api_is_served_at_once(stores):
    server, _ = stores
    reports = list(built_reports().values())
    first = server.add_extracted(reports[0][0], [reports[0][1]])[0]
    state = SimpleNamespace(data_version=0)
    assert ids(compact_body(state, server, {})) == {first}
    second = server.add_extracted(reports[1][0], [reports[1][1]])[0]
    state.data_version += 1  # what every write route does
    assert ids(compact_body(state, server, {})) == {first, second}


@pytest.mark.parametrize(("filters", "expected"), [({"country": "Niger"}, {"tera"}), ({"min_fatalities": 10}, {"tera"}),
                                                   ({"country": "Mali"}, set())])
def test_each_filter_has_its_own_answer(stores, filters, expected):
    server, _ = stores
    made = {key: server.add_extracted(doc, [event])[0]
            for key, (doc, event) in list(built_reports().items())[:2]}
    state = SimpleNamespace(data_version=0)
    compact_body(state, server, {})
    assert ids(compact_body(state, server, filters)) == {made[k] for k in expected}
