"""Subscriptions through the API (/api/subscriptions, the Atom feed read by feedparser) and the command line
(`sahelwatch subscriptions ...`, and `watch` polling a real feed on 127.0.0.1 and posting the new alert to a
real webhook receiver): real extraction, a real store."""
from __future__ import annotations

import functools
import hashlib
import hmac
import http.server
import json
import re
import threading

import feedparser
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from sahelwatch.api.app import create_app
from sahelwatch.api.auth import Token
from sahelwatch.cli import main
from sahelwatch.settings import Settings
from sahelwatch.store import Store
from webhooks import Receiver, strike

TOKEN = "subscriptions-token"
REPORT = ("GAO, May 22 - A Malian army drone strike killed nine civilians at a weekly market in Gossi on Monday, "
          "residents said. Local officials said the dead included three children.")
PAGE = """<!doctype html><html><head><title>Drone strike on Gossi market</title>
<meta property="article:published_time" content="2024-05-22"></head><body><article>
<h1>Drone strike on Gossi market</h1><p>{text}</p></article></body></html>"""
RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>Sahel Wire</title><link>{base}/</link>
<description>test feed</description><item><title>Drone strike on Gossi market</title><link>{base}/gossi.html</link>
<pubDate>Wed, 22 May 2024 08:00:00 GMT</pubDate></item></channel></rss>"""


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def api(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'api.db'}")
    app = create_app(Settings(db=store.url, webhook_backoff=0.05), store=store, token=Token(TOKEN, "test"), warm=False)
    with TestClient(app) as client:
        yield client, store
    store.close()


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_the_api_makes_lists_and_removes_subscriptions_and_never_shows_the_secret_again(api, receiver):
    client, _ = api
    body = {"name": "Gao watch", "country": "Mali", "admin1": "Gao", "min_fatalities": 1,
            "rules": ["state_violence_against_civilians"], "webhook_url": receiver.url}
    assert client.post("/api/subscriptions", json=body).status_code == 401
    made = client.post("/api/subscriptions", json=body, headers=AUTH)
    assert made.status_code == 201
    sub = made.json()
    assert len(sub["secret"]) == 64 and sub["signed"] and sub["feed"] == f"/api/subscriptions/{sub['id']}/feed.atom"
    assert (sub["country"], sub["admin1"], sub["min_fatalities"], sub["rules"]) == (
        "Mali", "Gao", 1, ["state_violence_against_civilians"])
    listed = client.get("/api/subscriptions").json()["subscriptions"]
    assert [s["name"] for s in listed] == ["Gao watch"] and "secret" not in listed[0]
    assert listed[0]["webhook_url"] == receiver.url.replace("/hook", "/…")  # a path may hold a secret
    assert "secret" not in client.get(f"/api/subscriptions/{sub['id']}").json()
    again = client.post("/api/subscriptions", json=body, headers=AUTH)
    assert again.status_code == 400 and "already exists" in again.json()["error"]["message"]
    bad = client.post("/api/subscriptions", json={**body, "name": "x", "rules": ["bogus"]}, headers=AUTH)
    assert bad.status_code in (400, 422) and "rules" in bad.json()["error"]["message"]
    assert client.delete(f"/api/subscriptions/{sub['id']}").status_code == 401
    assert client.delete(f"/api/subscriptions/{sub['id']}", headers=AUTH).json() == {"removed": sub["id"]}
    gone = client.get(f"/api/subscriptions/{sub['id']}/feed.atom")
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"


def test_an_api_ingest_fills_the_atom_feed_and_posts_the_webhook(api, receiver):
    client, store = api
    doc, event = strike(1, "2024-01-08")
    store.add_extracted(doc, [event])  # an alert there before: not in the feed
    sub = client.post("/api/subscriptions", json={"name": "Mali", "country": "Mali", "webhook_url": receiver.url},
                      headers=AUTH).json()
    assert sub["existing_alerts"] == 1
    empty = feedparser.parse(client.get(sub["feed"]).content)
    assert not empty.bozo and empty.version == "atom10" and empty.entries == []

    ingested = client.post("/api/ingest", json={"text": REPORT, "published": "2024-05-22"}, headers=AUTH)
    assert ingested.status_code == 201 and ingested.json()["report"]["events_added"] == 1
    response = client.get(sub["feed"])  # no token: a feed reader on this machine
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo and feed.version == "atom10"
    assert feed.feed.title == "sahelwatch alerts: Mali" and "country Mali" in feed.feed.subtitle
    [entry] = feed.entries
    assert entry.title.startswith("State violence against civilians: ") and "(2024-05)" in entry.title
    assert "9 killed" in entry.summary and entry.id.startswith(f"urn:sahelwatch:subscription:{sub['id']}:alert:")
    assert "country=Mali" in entry.link and "since=2024-05-01" in entry.link

    [post] = receiver.posts
    assert post["headers"]["X-Sahelwatch-Signature"] == "sha256=" + hmac.new(
        sub["secret"].encode(), post["body"], hashlib.sha256).hexdigest()
    alerts = client.get(f"/api/subscriptions/{sub['id']}/alerts").json()["alerts"]
    assert [(a["state"], a["alert"]["rule"]) for a in alerts] == [("delivered", "state_violence_against_civilians")]
    [log] = client.get(f"/api/subscriptions/{sub['id']}/deliveries").json()["deliveries"]
    assert log["ok"] and log["status_code"] == 200 and log["alert_id"] == alerts[0]["alert_id"]
    assert feedparser.parse(client.get(sub["feed"]).content).entries[0].id == entry.id  # ids are stable


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root)))
    server.RequestHandlerClass.log_message = lambda *a: None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    (root / "gossi.html").write_text(PAGE.format(text=REPORT), "utf-8")
    (root / "feed.xml").write_text(RSS.format(base=base), "utf-8")
    yield f"{base}/feed.xml"
    server.shutdown()
    server.server_close()


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), catch_exceptions=False,
                              env={"SAHELWATCH_WEBHOOK_BACKOFF": "0.05", **(env or {})})


def test_watch_polls_a_feed_and_the_new_alert_reaches_the_webhook(tmp_path, site, receiver):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    added = run("subscriptions", "add", "Mali strikes", "--country", "Mali", "--rule", "state_violence_against_civilians",
                "--webhook", receiver.url, "--db", db)
    assert added.exit_code == 0, added.output
    secret = re.search(r"secret: ([0-9a-f]{64})", added.output).group(1)
    assert "subscription 1 'Mali strikes'" in added.output and "/api/subscriptions/1/feed.atom" in added.output
    listed = run("subscriptions", "list", "--format", "jsonl", "--db", db)
    row = json.loads(listed.output)
    assert row["rules"] == ["state_violence_against_civilians"] and "secret" not in row and secret not in listed.output

    watched = run("watch", site, "--once", "--db", db, "--allow-private")
    assert watched.exit_code == 0, watched.output
    assert "1 document(s) added" in watched.output
    assert "subscriptions: 1 checked, 1 new alert(s), 1 delivered" in watched.output
    [post] = receiver.posts
    assert post["headers"]["X-Sahelwatch-Signature"] == "sha256=" + hmac.new(
        secret.encode(), post["body"], hashlib.sha256).hexdigest()
    assert json.loads(post["body"])["alert"]["actor"] == "Military Forces of Mali (2021-)"

    quiet = run("watch", site, "--once", "--db", db, "--allow-private")  # nothing new: no evaluation, no post
    assert "subscriptions:" not in quiet.output and len(receiver.posts) == 1
    checked = run("subscriptions", "check", "--db", db)
    assert checked.exit_code == 0 and "0 new alert(s)" in checked.output and len(receiver.posts) == 1
    log = run("subscriptions", "deliveries", "1", "--db", db)
    assert "attempt 1\tok\t200" in log.output
    assert run("subscriptions", "remove", "1", "--db", db).output.strip() == "subscription 1 'Mali strikes' removed"


@pytest.mark.parametrize(("args", "message"), [
    (("subscriptions", "check", "7"), "no subscription with id 7"),
    (("subscriptions", "deliveries", "7"), "no subscription with id 7"),
    (("subscriptions", "add", "x", "--webhook", "file:///etc/passwd"), "webhook_url 'file:///etc/passwd': want an http"),
])
def test_cli_errors_are_one_line(tmp_path, args, message):
    result = run(*args, "--db", f"sqlite:///{tmp_path / 'e.db'}")
    assert result.exit_code in (1, 2)
    assert result.output.strip().splitlines()[-1].startswith("sahelwatch: error: ") and message in result.output
