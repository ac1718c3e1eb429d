"""alerts.js in headless Chromium: the alerts panel, the trend chart and the interaction table fill
from the API, and names carrying markup stay text.

A real uvicorn server on 127.0.0.1 serves the trends router, alerts.js from the package and a
bare page with the two sections (the full web app's own tests are the web app's). Skipped,
loudly, where /usr/bin/chromium is absent.
"""
from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import time
from importlib import resources

import pytest

from conftest import component_missing

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync", "--disable-quic"]
INJECTION = '<img src=x onerror="window.__pwned=1">Katiba'
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>trends</title>
<script src="/static/alerts.js" defer></script></head>
<body><section id="alerts-panel"></section><section id="charts-panel"></section></body></html>"""

if not os.path.exists(CHROMIUM):
    pytestmark = component_missing(f"!!! trends web test SKIPPED: {CHROMIUM} is missing (run `bash scripts/system-deps.sh` as root)")


def events() -> list[dict]:
    base = {"country": "Mali", "admin1": "Mopti", "admin2": "Djenne", "actor1": "JNIM",
            "actor2": "Military Forces of Mali (2021-)", "event_type": "Battles", "fatalities": 2, "inter1": 2,
            "inter2": 1}
    out = []
    for m in range(18):
        y, mo = divmod(m, 12)
        out += [{**base, "event_date": dt.date(2023 + y, mo + 1, 2 + k).isoformat()} for k in range(4)]
    out += [{**base, "event_date": f"2024-07-{1 + k:02d}"} for k in range(25)]
    out.append({**base, "event_date": "2024-07-20", "admin1": "Segou", "admin2": "Macina", "actor1": INJECTION})
    out.append({**base, "event_date": "2024-06-20", "country": "Niger", "admin1": "Agadez", "admin2": "Arlit"})
    return out


class ListStore:
    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows

    def iter_events(self, **_filters):
        return iter(self.rows)


@pytest.fixture(scope="module")
def server_url():
    import uvicorn
    from fastapi import FastAPI
    from fastapi.responses import HTMLResponse, Response

    from sahelwatch.api.routes import alerts as route

    app = FastAPI()
    app.include_router(route.router)
    app.state.store = ListStore(events())
    script = resources.files("sahelwatch").joinpath("api/web/alerts.js").read_text("utf-8")

    @app.get("/")
    def index() -> HTMLResponse:
        return HTMLResponse(PAGE)

    @app.get("/static/alerts.js")
    def alerts_js() -> Response:
        return Response(script, media_type="text/javascript")

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def page(server_url, tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(str(tmp_path_factory.mktemp("chromium")),
                                                       executable_path=CHROMIUM, headless=True, args=ARGS)
        tab = context.new_page()
        tab.errors = []
        tab.on("pageerror", lambda e: tab.errors.append(str(e)))
        tab.goto(server_url + "/")
        tab.wait_for_selector("#alerts-panel li.sw-alert", timeout=30_000)
        tab.wait_for_selector("#charts-panel svg polyline", timeout=30_000)
        tab.wait_for_selector("#charts-panel table tbody tr", timeout=30_000)
        yield tab
        context.close()


def test_the_alerts_panel_lists_alerts_with_their_numbers(page):
    items = page.locator("#alerts-panel li.sw-alert")
    texts = items.all_inner_texts()
    assert any("Escalation" in t and "Mopti, Mali" in t and "baseline 4" in t and "p = " in t for t in texts)
    assert any("New area" in t and "Agadez" in t for t in texts)
    assert page.errors == []


def test_the_chart_draws_a_line_per_area_and_the_table_lists_pairs(page):
    assert page.locator("#charts-panel svg polyline").count() == 3  # Mopti, Segou, Agadez
    legend = page.locator("#charts-panel .sw-chart-legend li").all_inner_texts()
    assert legend[0].startswith("Mopti, Mali")
    rows = page.locator("#charts-panel table tbody tr").all_inner_texts()
    assert any("JNIM" in r and "Military Forces of Mali" in r for r in rows)


def test_switching_the_chart_to_actors_redraws_it(page):
    page.select_option("#charts-panel select[name=by]", "actor")
    page.wait_for_function("document.querySelector('#charts-panel .sw-chart-legend li')"
                           ".textContent.startsWith('Military Forces of Mali')")
    assert page.locator("#charts-panel svg polyline").count() == 3


def test_markup_in_names_stays_text(page):
    texts = " ".join(page.locator("#alerts-panel").all_inner_texts() + page.locator("#charts-panel").all_inner_texts())
    assert "<img src=x" in texts
    assert page.locator("#alerts-panel img, #charts-panel img").count() == 0
    assert page.evaluate("window.__pwned") is None
