"""Learning from review, end to end in headless Chromium (Debian's /usr/bin/chromium driven by Playwright)
against a real `sahelwatch serve`: a report names a village no gazetteer knows, a reviewer corrects the
event's place in the browser, a second report naming the village is added from the page, and its event is
placed at the village; the panel says "learned from review", and the learned page lists the village with
who taught it and undoes it.

The reports and the village (Tondigoumbi) are invented for this test. Skipped, loudly, only where
/usr/bin/chromium is absent.
"""
from __future__ import annotations

import csv
import os

import httpx
import pytest

from conftest import component_missing
from test_web import ARGS, ARTIFACTS, CHROMIUM, open_event_by_click, wait_ready
from webserver import TOKEN, Server

VILLAGE = "Tondigoumbi"
FIRST = ("NIAMEY, May 4 - Gunmen on motorbikes killed seven civilians in Tondigoumbi, in western Niger, on Thursday, "
         "residents said.")
SECOND = "Suspected jihadists attacked Tondigoumbi on Sunday and killed four villagers, a local official said."

if not os.path.exists(CHROMIUM):
    pytestmark = component_missing(f"!!! web tests SKIPPED: {CHROMIUM} is missing (run `bash scripts/system-deps.sh` as root)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("learning-web")
    srv = Server(f"sqlite:///{root / 'web.db'}", env={"SAHELWATCH_USER_PLACES": str(root / "places.csv"),
                                                      "SAHELWATCH_USER_ACTORS": str(root / "actors.yaml")}).start()
    srv.places = root / "places.csv"
    with srv.client(TOKEN) as client:
        done = client.post("/api/ingest", json={"text": FIRST, "published": "2024-05-04", "doc_id": "first",
                                                "title": "Seven civilians killed in Tondigoumbi"})
        assert done.status_code == 201, done.text
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-learning")), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1440, "height": 900}, bypass_csp=True)
        yield context
        context.close()


def _events(server) -> list[dict]:
    return httpx.get(f"{server.url}/api/events").json()["events"]


def test_a_correction_in_the_browser_places_the_next_report_naming_the_village(browser_context, server):
    page = browser_context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(server.url + "/")
    page.evaluate("([t, u]) => { localStorage.setItem('sahelwatch.token', t); localStorage.setItem('sahelwatch.user', u); }",
                  [TOKEN, "analyst-ana"])
    page.reload()
    wait_ready(page)
    first = next(e for e in _events(server) if e["doc_id"] == "first")
    assert first["geo_precision"] != 1  # the extractor does not know the village: the region at best

    # the reviewer puts the event at the village: name, coordinates, admin2
    open_event_by_click(page, first["event_id"])
    page.click("#panel [data-action=edit]")
    page.fill("#panel .edit-form [name=location]", VILLAGE)
    page.fill("#panel .edit-form [name=latitude]", "14.08")
    page.fill("#panel .edit-form [name=longitude]", "1.21")
    page.fill("#panel .edit-form [name=admin2]", "Gotheye")
    page.click("#panel .edit-form button[type=submit]")
    page.wait_for_selector("#toasts >> text=Learned from review: place Tondigoumbi")
    page.wait_for_selector("#panel .place .learned-badge")
    with server.places.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [(r["name"], r["added_by"], r["event_id"]) for r in rows] == [(VILLAGE, "analyst-ana", first["event_id"])]

    # a second report naming the village, added from the page
    page.click("#panel button.close")
    page.click("#add-report")
    page.fill("#modal [name=title]", "Villagers killed in Tondigoumbi")
    page.fill("#modal [name=published]", "2024-05-06")
    page.fill("#modal [name=text]", SECOND)
    page.click("#modal button[type=submit]")
    page.wait_for_selector("#toasts >> text=Ingested 1 report(s).")
    wait_ready(page)
    second = [e for e in _events(server) if e["doc_id"] != "first"]
    assert [(e["location"], e["admin1"], e["admin2"], e["latitude"], e["longitude"], e["geo_precision"])
            for e in second] == [(VILLAGE, "Tillaberi", "Gotheye", 14.08, 1.21, 1)]

    # its panel says where the place came from
    page.wait_for_function("document.getElementById('map-status').hidden")
    open_event_by_click(page, second[0]["event_id"])
    badge = page.locator("#panel .place .learned-badge")
    badge.wait_for()
    assert badge.inner_text() == "learned from review"
    assert "analyst-ana" in badge.get_attribute("title") and first["event_id"] in badge.get_attribute("title")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-learned-place.png"))
    assert not page.errors
    page.close()


def test_the_learned_page_lists_who_taught_what_and_undoes_it(browser_context, server):
    if not server.places.exists():
        pytest.skip("runs after the correction test")
    page = browser_context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(server.url + "/learned")
    page.evaluate("localStorage.clear()")  # signed out: undo asks for the token
    page.reload()
    page.wait_for_selector("body[data-ready='1']", state="attached")
    row = page.locator("#learned tbody tr[data-kind=place]")
    assert row.count() == 1
    assert VILLAGE in row.inner_text() and "analyst-ana" in row.inner_text() and "Gotheye" in row.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-learned-page.png"))
    row.locator("[data-action=undo]").click()
    page.fill("#modal [name=token]", TOKEN)
    page.fill("#modal [name=user]", "analyst-bo")
    page.click("#modal button[type=submit]")
    page.wait_for_selector("#toasts >> text=Undone: place Tondigoumbi")
    page.wait_for_selector("#learned tbody tr[data-kind=place]", state="detached")
    assert httpx.get(f"{server.url}/api/learned").json()["entries"] == []
    with server.places.open(encoding="utf-8") as f:
        assert list(csv.DictReader(f)) == []
    assert not page.errors
    page.close()
