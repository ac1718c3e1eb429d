"""Place names on the web map in headless Chromium (Debian's /usr/bin/chromium via Playwright): capitals at
country zoom, admin1 names and towns at region zoom, villages at village zoom, admin1 outlines drawn, the
open event's own place ringed and named; the alerts panel subscribes to the current filters. The
village-zoom screenshot goes to test-artifacts/.

Skipped, loudly, only where /usr/bin/chromium is absent.
"""
from __future__ import annotations

import os

import httpx
import pytest

from conftest import component_missing
from test_web import ARGS, ARTIFACTS, CHROMIUM
from webserver import Server, built_reports

if not os.path.exists(CHROMIUM):
    pytestmark = component_missing(f"!!! web map tests SKIPPED: {CHROMIUM} is missing (run `bash scripts/system-deps.sh` as root)")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from sahelwatch.store import Store

    db = f"sqlite:///{tmp_path_factory.mktemp('map') / 'map.db'}"
    store = Store(db)
    ids = {key: store.add_extracted(doc, [event])[0] for key, (doc, event) in built_reports().items()}
    store.close()
    srv = Server(db).start()
    srv.ids = ids
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True, args=ARGS,
            viewport={"width": 1440, "height": 900}, bypass_csp=True)  # wait_for_function evaluates strings
        yield context
        context.close()


@pytest.fixture
def page(browser_context, server):
    page = browser_context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=30_000)
    page.wait_for_function("window.sahelwatch && window.sahelwatch.map && document.body.dataset.labelsZoom", timeout=30_000)
    yield page
    assert page.errors == []
    page.close()


def view(page, lat: float, lon: float, zoom: float) -> dict[str, list[str]]:
    """Move the map and return the place labels shown, by kind."""
    page.evaluate(f"void window.sahelwatch.map().setView([{lat}, {lon}], {zoom}, {{animate: false}})")
    page.wait_for_function(f"document.body.dataset.labelsZoom === '{zoom:g}'", timeout=10_000)
    page.wait_for_timeout(150)
    return page.evaluate("""() => {
        const out = {};
        for (const el of document.querySelectorAll('.leaflet-labels-pane .place-label span')) {
            (out[el.dataset.kind] = out[el.dataset.kind] || []).push(el.textContent);
        }
        return out;
    }""")


def test_the_labels_api_gives_each_place_the_zoom_it_shows_from(server):
    data = httpx.get(f"{server.url}/api/map/labels", params={"bbox": "-2.2,13.6,-1.0,14.6"}).json()
    rows = {r[0]: dict(zip(data["columns"], r)) for r in data["rows"]}
    assert rows["Djibo"]["kind"] == "town" and rows["Djibo"]["zoom"] == 7
    assert rows["Mentao"]["kind"] == "village" and rows["Mentao"]["zoom"] == 10
    capitals = httpx.get(f"{server.url}/api/map/labels", params={"max_zoom": 5}).json()["rows"]
    assert {"Niamey", "Bamako", "Ouagadougou", "N'Djamena"} <= {r[0] for r in capitals}
    assert {r[3] for r in capitals} == {"capital"}


def test_capitals_at_country_zoom_then_regions_and_towns_then_villages(page):
    country = view(page, 14.0, 1.0, 5)
    assert {"Niamey", "Bamako", "Ouagadougou"} <= set(country["capital"])
    assert "village" not in country and "admin1" not in country and "Djibo" not in country.get("town", [])

    region = view(page, 14.0, -1.2, 7)
    assert {"Sahel", "Nord"} & set(region["admin1"])  # Burkina Faso's regions around Djibo
    assert "Djibo" in region["town"] and "Ouahigouya" in region["town"]
    assert "village" not in region
    assert page.locator(".leaflet-admin1-pane canvas").count() == 1  # admin1 outlines from region zoom

    village = view(page, 14.08, -1.61, 11)
    assert "Mentao" in village["village"] and "Djibo" in village["town"]
    assert "admin1" not in village  # region names give way to places when zoomed in


def test_the_open_events_place_is_ringed_and_named_and_shot_at_village_zoom(page, server):
    page.evaluate(f"void window.sahelwatch.openEvent('{server.ids['djibo']}')")
    page.wait_for_selector("#panel:not([hidden])")
    shown = view(page, 14.1, -1.62, 11)
    assert page.locator(".leaflet-highlight-pane .place-label.event-place").inner_text() == "Djibo"
    assert page.locator(".leaflet-highlight-pane svg path").count() == 1  # the ring around it
    assert "Mentao" in shown["village"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map-village-zoom.png"))
    page.evaluate("document.getElementById('panel').hidden = true")  # the panel closes: the ring goes
    page.wait_for_function("!document.querySelector('.leaflet-highlight-pane .event-place')", timeout=5_000)
    assert page.locator(".leaflet-highlight-pane svg path").count() == 0


def test_the_alerts_panel_subscribes_to_the_current_filters_and_lists_the_feed(page, server):
    import feedparser

    from webhooks import Receiver
    from webserver import TOKEN

    receiver = Receiver()
    try:
        page.evaluate(f"localStorage.setItem('sahelwatch.token', '{TOKEN}')")
        page.evaluate("void window.sahelwatch.setFilters({country: 'Burkina Faso', min_fatalities: '5'})")
        page.wait_for_function("window.sahelwatch.filters().country === 'Burkina Faso'", timeout=10_000)
        page.click("button.sw-subscribe")
        scope = page.locator(".sw-subscription-scope").inner_text()
        assert "country: Burkina Faso" in scope and "min fatalities: 5" in scope
        page.fill("input[name=subscription-name]", "Burkina tolls")
        page.fill("input[name=subscription-webhook]", receiver.url)
        page.click(".sw-subscribe-form button[type=submit]")
        page.wait_for_selector(".sw-subscription[data-id]")
        assert "Webhook secret (shown once): " in page.locator("#alerts-panel").inner_text()
        [sub] = httpx.get(f"{server.url}/api/subscriptions").json()["subscriptions"]
        assert (sub["name"], sub["country"], sub["min_fatalities"], sub["period"]) == (
            "Burkina tolls", "Burkina Faso", 5, "month")
        assert sub["webhook_url"] == receiver.url.replace("/hook", "/…")  # the path may hold a secret
        href = page.locator(".sw-subscription .sw-feed").get_attribute("href")
        feed = feedparser.parse(httpx.get(server.url + href).content)
        assert not feed.bozo and feed.feed.title == "sahelwatch alerts: Burkina tolls"
        page.click(".sw-subscription button.bad")
        page.wait_for_selector(".sw-subscription", state="detached")
        assert httpx.get(f"{server.url}/api/subscriptions").json()["subscriptions"] == []
    finally:
        receiver.close()
