"""sahelwatch.api writes over a real server: the token, review (verify, edit, reject, merge, split,
undo) audited in the store, and ingestion of text, files and URLs."""
from __future__ import annotations

import http.server
import threading

import pytest

from webserver import TOKEN, Server, fill_database


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db = f"sqlite:///{tmp_path_factory.mktemp('review') / 'review.db'}"
    ids = fill_database(db)
    srv = Server(db, extra_args=("--allow-private",)).start()
    srv.ids = ids
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def anon(server):
    with server.client() as c:
        yield c


@pytest.fixture(scope="module")
def analyst(server):
    with server.client(TOKEN) as c:
        c.headers["X-Sahelwatch-User"] = "analyst-ab"
        yield c


@pytest.mark.parametrize(("method", "path", "body"), [
    ("PATCH", "/api/events/{tera}", {"status": "verified"}),
    ("POST", "/api/ingest", {"text": "Gunmen killed three herders near Ayorou on Monday."}),
])
@pytest.mark.parametrize(("token", "status"), [(None, 401), ("wrong-token", 403)])
def test_every_write_needs_the_token(server, method, path, body, token, status):
    with server.client(token) as c:
        response = c.request(method, path.format(**server.ids), json=body)
    assert response.status_code == status
    assert "token" in response.json()["error"]["message"]


def test_the_token_also_works_as_a_header(server):
    with server.client() as c:
        response = c.patch(f"/api/events/{server.ids['niamey']}", json={"status": "unreviewed"},
                           headers={"X-Sahelwatch-Token": TOKEN})
    assert response.status_code == 200


@pytest.mark.parametrize("status", ["verified", "rejected", "unreviewed"])
def test_review_status_is_saved_and_audited_with_the_reviewer(analyst, server, status):
    eid = server.ids["djibo"]
    response = analyst.patch(f"/api/events/{eid}", json={"status": status})
    assert response.status_code == 200
    event = analyst.get(f"/api/events/{eid}").json()
    assert event["status"] == status
    last = event["audit"][-1]
    assert last["user"] == "analyst-ab" and last["after"] == {"status": status}
    listed = analyst.get("/api/events", params={"status": status, "until": "2023-12-31"}).json()["events"]
    assert eid in {e["event_id"] for e in listed}
    others = ",".join(s for s in ("unreviewed", "verified", "rejected") if s != status)
    listed = analyst.get("/api/events", params={"status": others, "until": "2023-12-31"}).json()["events"]
    assert eid not in {e["event_id"] for e in listed}


def test_editing_fields_changes_the_event_and_keeps_before_and_after(analyst, server):
    eid = server.ids["tera"]
    response = analyst.patch(f"/api/events/{eid}", json={"changes": {"fatalities": 10, "notes": "Checked."}})
    assert response.status_code == 200
    event = response.json()["event"]
    assert (event["fatalities"], event["notes"]) == (10, "Checked.")
    audit = analyst.get(f"/api/events/{eid}").json()["audit"][-1]
    assert audit["before"]["fatalities"] == 12 and audit["after"]["fatalities"] == 10


@pytest.mark.parametrize(("body", "status", "fragment"), [
    ({"changes": {"event_id": "X"}}, 400, "event_id"),
    ({"changes": {"fatalities": -3}}, 400, "fatalities"),
    ({"changes": {"event_type": "Picnic"}}, 400, "Picnic"),
    ({"status": "maybe"}, 422, "status"),
    ({"colour": "red"}, 422, "colour"),
    ({}, 400, "one action"),
    ({"status": "verified", "merge_with": ["X"]}, 400, "one action"),
    ({"merge_with": ["NOPE1"]}, 404, "NOPE1"),
    ({"split_docs": ["not-a-source"]}, 400, "not-a-source"),
    ({"undo_merge": "nosuchmerge"}, 404, "nosuchmerge"),
])
def test_bad_reviews_are_refused_with_a_reason(analyst, server, body, status, fragment):
    response = analyst.patch(f"/api/events/{server.ids['menaka']}", json=body)
    assert response.status_code == status
    assert fragment in response.json()["error"]["message"]


def test_reviewing_an_unknown_event_is_404(analyst):
    response = analyst.patch("/api/events/NOPE9", json={"status": "verified"})
    assert response.status_code == 404 and "NOPE9" in response.json()["error"]["message"]


def test_merge_then_split_then_undo(analyst, server):
    keep, other = server.ids["menaka"], server.ids["inject"]
    merged = analyst.patch(f"/api/events/{keep}", json={"merge_with": [other]}).json()
    assert merged["action"] == "merge"
    event = merged["event"]
    assert {s["doc_id"] for s in event["sources"]} == {"built-menaka", "built-inject"}
    ids = {e["event_id"] for e in analyst.get("/api/events", params={"until": "2023-12-31"}).json()["events"]}
    assert keep in ids and other not in ids

    split = analyst.patch(f"/api/events/{keep}", json={"split_docs": ["built-inject"]}).json()
    assert split["action"] == "split"
    kept, new = split["events"]
    assert [s["doc_id"] for s in kept["sources"]] == ["built-menaka"]
    assert [s["doc_id"] for s in new["sources"]] == ["built-inject"]

    restored = analyst.patch(f"/api/events/{keep}", json={"undo_merge": event["merge_id"]})
    assert restored.status_code == 200, restored.text
    assert restored.json()["action"] == "undo_merge"


def test_ingesting_text_adds_its_events_and_is_idempotent(analyst):
    text = ("NIAMEY, October 3 - Suspected jihadists killed six soldiers in an ambush near Ayorou in the "
            "Tillaberi region on Tuesday, the army said.")
    before = analyst.get("/api/health").json()["events"]
    first = analyst.post("/api/ingest", json={"text": text, "published": "2024-10-03", "title": "Ayorou ambush"})
    assert first.status_code == 201, first.text
    (doc_id,) = first.json()["documents"]
    assert analyst.get(f"/api/documents/{doc_id}").json()["title"] == "Ayorou ambush"
    assert analyst.get("/api/health").json()["events"] == before + first.json()["report"]["events_added"]
    again = analyst.post("/api/ingest", json={"text": text, "published": "2024-10-03"}).json()
    assert again["report"]["documents_added"] == 0


def test_ingesting_an_uploaded_file(analyst):
    body = b"Gunmen attacked a gold mining site near Kantchari in Burkina Faso on Sunday, killing eight miners."
    response = analyst.post("/api/ingest", files={"file": ("kantchari-attack.txt", body, "text/plain")},
                            data={"published": "2024-02-12"})
    assert response.status_code == 201, response.text
    (doc_id,) = response.json()["documents"]
    assert analyst.get(f"/api/documents/{doc_id}").json()["published"].startswith("2024-02-12")


@pytest.fixture
def article_site():
    """A local web server with one article page (the API runs with --allow-private)."""
    page = (b"<html><head><title>Attack near Diffa</title></head><body><article><h1>Attack near Diffa</h1>"
            b"<p>Boko Haram fighters attacked the town of Diffa in south-eastern Niger on Saturday, killing four "
            b"soldiers and two civilians, local officials said on Sunday.</p><p>The army said it pursued the "
            b"attackers towards Lake Chad.</p></article></body></html>")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/2024/03/diffa-attack"
    httpd.shutdown()


def test_ingesting_a_url_fetches_the_article(analyst, article_site):
    pytest.importorskip("sahelwatch.ingest.web", reason="!!! URL ingestion (sahelwatch.ingest.web) is not installed")
    response = analyst.post("/api/ingest", json={"url": article_site, "published": "2024-03-10"})
    assert response.status_code == 201, response.text
    (doc_id,) = response.json()["documents"]
    assert "Diffa" in analyst.get(f"/api/documents/{doc_id}").json()["text"]


@pytest.mark.parametrize(("kwargs", "status", "fragment"), [
    ({"json": {"text": "   "}}, 400, "text is empty"),
    ({"json": {"text": "x", "published": "soon"}}, 400, "published"),
    ({"json": {"text": "x", "author": "me"}}, 400, "author"),
    ({"json": {"url": "ftp://example.org/a"}}, 400, "http"),
    ({"content": b"plain words", "headers": {"Content-Type": "text/plain"}}, 415, "content-type"),
    ({"files": {"file": ("x.bin", b"\x00\x01\x02binary", "application/octet-stream")}}, 400, "x.bin"),
])
def test_bad_ingest_requests_are_refused_with_a_reason(analyst, kwargs, status, fragment):
    response = analyst.post("/api/ingest", **kwargs)
    assert response.status_code == status, response.text
    assert fragment in response.json()["error"]["message"]
