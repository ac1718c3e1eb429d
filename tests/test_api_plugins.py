"""sahelwatch.api.app: route modules and front-end scripts that other parts of sahelwatch add are
picked up without a central list (how the trends/alerts panel plugs in)."""
from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient

from sahelwatch.api import app as app_module
from sahelwatch.api import routes
from sahelwatch.api.auth import Token

PLUGIN = '''
from fastapi import APIRouter, Depends
from sahelwatch.api.deps import StoreDep, require_write

router = APIRouter(prefix="/api", tags=["alerts"])

@router.get("/plugin-alerts")
def alerts(store: StoreDep) -> dict:
    return {"alerts": [], "events": store.count_events()}

@router.post("/plugin-alerts", dependencies=[Depends(require_write)])
def ack() -> dict:
    return {"ok": True}
'''


@pytest.fixture
def store(tmp_path):
    from sahelwatch.store import Store

    s = Store(f"sqlite:///{tmp_path / 'plugins.db'}")
    yield s
    s.close()


def test_our_route_modules_are_found():
    names = {name.rsplit(".", 1)[1] for name, _ in app_module.discover_routers()}
    assert {"events", "documents", "meta", "ingest"} <= names


def test_a_new_module_with_a_router_is_served_with_the_same_store_and_token(tmp_path, monkeypatch, store):
    (tmp_path / "zz_plugin_alerts.py").write_text(PLUGIN, encoding="utf-8")
    monkeypatch.setattr(routes, "__path__", [*routes.__path__, str(tmp_path)])
    (tmp_path / "zz_broken.py").write_text("raise RuntimeError('broken plugin')\n", encoding="utf-8")
    app = app_module.create_app(store=store, token=Token("secret", "test"), warm=False)
    with TestClient(app) as c:
        assert c.get("/api/plugin-alerts").json() == {"alerts": [], "events": 0}
        assert c.post("/api/plugin-alerts").status_code == 401
        assert c.post("/api/plugin-alerts", headers={"Authorization": "Bearer secret"}).json() == {"ok": True}
        assert "/api/plugin-alerts" in c.get("/openapi.json").json()["paths"]
        assert c.get("/api/health").status_code == 200  # the broken module did not take the server down


@pytest.mark.parametrize("present", [True, False])
def test_the_page_loads_alerts_js_only_when_it_is_installed(tmp_path, monkeypatch, present):
    shutil.copy(app_module.WEB_DIR / "index.html", tmp_path / "index.html")
    if present:
        (tmp_path / "alerts.js").write_text("window.alertsLoaded = true;\n", encoding="utf-8")
    monkeypatch.setattr(app_module, "WEB_DIR", tmp_path)
    html = app_module.index_html()
    assert ('<script src="/static/alerts.js" defer></script>' in html) is present
    assert '<section id="alerts-panel"></section>' in html and '<section id="charts-panel"></section>' in html
