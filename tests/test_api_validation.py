"""Every request is validated before it touches the store: each bad input answers 4xx in the one error shape
{"error": {"code", "message"}}, over a real `sahelwatch serve` (issue 13, items 1-6 and the LIKE wildcards)."""
from __future__ import annotations

import json

import httpx
import pytest

from webserver import TOKEN, Server, fill_database

BIG = 9223372036854775808  # 2**63: one past the largest 64-bit integer


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('validation') / 'validation.db'}"
    ids = fill_database(db)
    srv = Server(db, extra_args=()).start()
    srv.ids = ids
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def analyst(server):
    with server.client(TOKEN) as c:
        yield c


def assert_error(response: httpx.Response, status: int, fragment: str = "") -> None:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    assert isinstance(body["error"]["code"], str) and body["error"]["code"]
    assert fragment in body["error"]["message"], body


def post_json(client: httpx.Client, path: str, raw: str | bytes, method: str = "POST") -> httpx.Response:
    return client.request(method, path, content=raw, headers={"Content-Type": "application/json"})


# 1. a field of the wrong type
@pytest.mark.parametrize("body", [
    {"text": "Gunmen killed two people near Ayorou on Monday.", "title": {"a": 1}},
    {"text": "Gunmen killed two people near Ayorou on Monday.", "source": [1, 2]},
    {"text": 42},
    {"url": {"href": "http://example.org"}},
])
def test_a_field_of_the_wrong_type_is_400(analyst, body):
    assert_error(analyst.post("/api/ingest", json=body), 400)


# 2. a lone surrogate in the JSON text
@pytest.mark.parametrize(("path", "method", "raw"), [
    ("/api/ingest", "POST", '{"text": "Gunmen killed two people \\ud800 near Ayorou."}'),
    ("/api/ingest", "POST", '{"text": "Gunmen killed two people near Ayorou.", "title": "\\udfff"}'),
    ("/api/events/{tera}", "PATCH", '{"changes": {"notes": "bad \\ud800 text"}}'),
])
def test_a_lone_surrogate_is_refused(analyst, server, path, method, raw):
    response = post_json(analyst, path.format(**server.ids), raw, method)
    assert 400 <= response.status_code < 500
    assert_error(response, response.status_code)


# 3. deeply nested JSON
@pytest.mark.parametrize(("path", "method"), [("/api/ingest", "POST"), ("/api/events/{tera}", "PATCH")])
def test_deeply_nested_json_is_400(analyst, server, path, method):
    response = post_json(analyst, path.format(**server.ids), "[" * 100_000 + "]" * 100_000, method)
    assert_error(response, 400)


# 4. a NUL or another control character in a text filter
@pytest.mark.parametrize(("path", "params"), [
    ("/api/events", {"text": "\x00"}),
    ("/api/events", {"text": "\x00", "format": "geojson"}),
    ("/api/events", {"text": "\x00", "format": "compact"}),
    ("/api/stats", {"text": "\x00"}),
    ("/api/export", {"text": "\x00"}),
    ("/api/events", {"country": "Ni\x07ger"}),
    ("/api/events", {"actor": "JNIM\x1b"}),
    ("/api/actors", {"q": "\x00"}),
    ("/api/alerts", {"country": "\x00"}),
])
def test_control_characters_in_query_parameters_are_422(analyst, path, params):
    assert_error(analyst.get(path, params=params), 422)


# 5. huge numbers
@pytest.mark.parametrize(("path", "params"), [
    ("/api/events", {"offset": BIG}),
    ("/api/events", {"min_fatalities": BIG}),
    ("/api/stats", {"min_fatalities": BIG}),
    ("/api/interactions", {"min_events": BIG}),
])
def test_huge_numbers_in_queries_are_422(analyst, path, params):
    assert_error(analyst.get(path, params=params), 422)


@pytest.mark.parametrize("changes", [{"fatalities": 10**30}, {"injured": BIG}, {"latitude": 1e400},
                                     {"notes": "x" * 10_000}])
def test_huge_numbers_and_texts_in_an_edit_are_400(analyst, server, changes):
    raw = json.dumps({"changes": changes}).replace("Infinity", "1e400")
    assert_error(post_json(analyst, f"/api/events/{server.ids['tera']}", raw, "PATCH"), 400)


# 6. the size limit, with or without a Content-Length
def test_a_body_over_the_limit_is_413_with_a_content_length(analyst):
    body = json.dumps({"text": "Gunmen attacked Djibo.", "title": "x" * 25_000_000}).encode()
    assert_error(post_json(analyst, "/api/ingest", body), 413, "larger than")


def test_a_chunked_body_over_the_limit_is_413_and_nothing_is_stored(analyst):
    before = analyst.get("/api/health").json()["events"]

    def chunks():
        yield b'{"text": "Gunmen attacked a market in Djibo on Monday, killing three traders.", "title": "'
        for _ in range(60):
            yield b"x" * 1_000_000
        yield b'"}'

    response = analyst.post("/api/ingest", content=chunks(), headers={"Content-Type": "application/json"})
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert_error(response, 413, "larger than")
    assert analyst.get("/api/health").json()["events"] == before


def test_the_body_limit_comes_from_the_settings(tmp_path):
    db = f"sqlite:///{tmp_path / 'small.db'}"
    srv = Server(db, env={"SAHELWATCH_MAX_BODY_BYTES": "2000"}).start()
    try:
        with srv.client(TOKEN) as c:
            assert_error(c.post("/api/ingest", json={"text": "y" * 3000}), 413, "2000 bytes")
    finally:
        srv.stop()


# 11. LIKE wildcards in the actor filter match themselves
@pytest.mark.parametrize("actor", ["%", "_", "%%", "Islamic_State"])
def test_like_wildcards_in_the_actor_filter_match_nothing_here(analyst, actor):
    data = analyst.get("/api/events", params={"actor": actor}).json()
    assert data["total"] == 0 and data["events"] == []


def test_an_actor_filter_still_matches_part_of_a_name(analyst, server):
    data = analyst.get("/api/events", params={"actor": "islamic state", "until": "2023-12-31"}).json()
    assert {e["event_id"] for e in data["events"]} == {server.ids["tera"], server.ids["menaka"]}


# the one error shape for errors that do not come from validation
@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("GET", "/api/events/NOPE1", 404, "not_found"),
    ("GET", "/api/nowhere", 404, "not_found"),
    ("DELETE", "/api/events", 405, "method_not_allowed"),
    ("GET", "/api/events?limit=0", 422, "invalid_request"),
    ("GET", "/api/events?bbox=1,2,3", 400, "invalid_request"),
])
def test_errors_have_one_shape_and_a_code(analyst, method, path, status, code):
    response = analyst.request(method, path)
    assert_error(response, status)
    assert response.json()["error"]["code"] == code


def test_writes_without_the_token_have_the_error_shape(server):
    with server.client() as anon:
        response = anon.patch(f"/api/events/{server.ids['tera']}", json={"status": "verified"})
    assert_error(response, 401, "token")
    assert response.json()["error"]["code"] == "unauthorized"


def test_serve_with_several_workers_hands_each_the_settings(tmp_path):
    """`serve --workers 2`: each worker process is given the settings (no environment written)."""
    db = f"sqlite:///{tmp_path / 'workers.db'}"
    srv = Server(db, extra_args=("--workers", "2"), env={"SAHELWATCH_MAX_BODY_BYTES": "2000"}).start()
    try:
        with srv.client(TOKEN) as c:
            for _ in range(6):  # requests spread over both workers
                assert_error(c.post("/api/ingest", json={"text": "y" * 3000}), 413, "2000 bytes")
                assert_error(c.patch("/api/events/NOPE1", json={"status": "verified"}), 404)  # the token is known
            assert c.get("/api/health").json()["events"] == 0
    finally:
        srv.stop()
