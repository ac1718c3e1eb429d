"""A real `sahelwatch serve` process on a free loopback port, over a database the tests fill.

Shared by tests/test_api*.py, tests/test_web*.py and bench/bench_web.py. The database holds the
example reports (ingested: real extraction) and a few events built here (Store.add_extracted),
whose fields the tests know exactly.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from sahelwatch.model import Document, Event, Evidence

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "reports.jsonl"
TOKEN = "test-token-0123456789"
INJECTION = '<img src=x onerror="window.__xss=1;alert(1)">'
SCRIPT = "<script>window.__xss=2;alert(2)</script>"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _event(doc: Document, sentence: str, **fields: object) -> Event:
    start = doc.text.index(sentence)
    base = {"doc_id": doc.doc_id, "time_precision": 1, "disorder_type": "Political violence", "inter1": 2, "inter2": 1,
                "interaction": 12, "geo_precision": 1, "source": doc.source or "", "confidence": 0.9,
                "evidence": [Evidence(start, start + len(sentence), sentence)]}
    base.update(fields)
    return Event(**base)


def built_reports() -> dict[str, tuple[Document, Event]]:
    """Five invented reports with one event each, fields chosen for the filter tests (all in 2023)."""
    out: dict[str, tuple[Document, Event]] = {}

    def add(key: str, text: str, sentence: str, title: str, published: str, **fields: object) -> None:
        import datetime as dt

        doc = Document(doc_id=f"built-{key}", text=text, title=title, source="Test Wire",
                       url=f"https://news.example.org/{key}", published=dt.date.fromisoformat(published))
        out[key] = (doc, _event(doc, sentence, **fields))

    s = "Islamic State fighters attacked an army post at Tera on Friday, killing twelve soldiers."
    add("tera", f"TERA, March 12 - {s} The army said it repelled the assault.", s, "Army post attacked at Tera",
        "2023-03-12", event_date="2023-03-10", event_type="Battles", sub_event_type="Armed clash",
        actor1="Islamic State (Sahel)", actor2="Military Forces of Niger (2023-)", iso=562, country="Niger",
        admin1="Tillaberi", admin2="Tera", location="Tera", latitude=14.01, longitude=0.75, fatalities=12)
    s = "JNIM said its fighters killed nine villagers near Djibo on Friday."
    add("djibo", f"OUAGADOUGOU, June 4 - {s} Residents fled towards the town.", s, "Villagers killed near Djibo",
        "2023-06-04", event_date="2023-06-02", event_type="Violence against civilians", sub_event_type="Attack",
        actor1="JNIM: Group for Support of Islam and Muslims", actor2="Civilians (Burkina Faso)", inter2=7,
        interaction=27, civilian_targeting=True, iso=854, country="Burkina Faso", admin1="Sahel", admin2="Soum",
        location="Djibo", latitude=14.10, longitude=-1.63, fatalities=9, claimed=True)
    s = "A Malian army drone strike hit a militant camp near Menaka on Friday, killing four fighters."
    add("menaka", f"BAMAKO, Sept 17 - {s} The army published images of the strike.", s, "Drone strike near Menaka",
        "2023-09-17", event_date="2023-09-15", event_type="Explosions/Remote violence",
        sub_event_type="Air/drone strike", actor1="Military Forces of Mali (2021-)", actor2="Islamic State (Sahel)",
        inter1=1, inter2=2, iso=466, country="Mali", admin1="Menaka", admin2="Menaka", location="Menaka",
        latitude=15.92, longitude=2.40, fatalities=4)
    s = "Thousands of people marched peacefully in Niamey on Sunday."
    add("niamey", f"NIAMEY, Nov 6 - {s} Police watched the march.", s, "March in Niamey", "2023-11-06",
        event_date="2023-11-05", disorder_type="Demonstrations", event_type="Protests",
        sub_event_type="Peaceful protest", actor1="Protesters (Niger)", actor2="", inter1=6, inter2=None,
        interaction=60, iso=562, country="Niger", admin1="Niamey", admin2="Niamey", location="Niamey",
        latitude=13.51, longitude=2.11, fatalities=0)
    s = f"Gunmen {SCRIPT} abducted two teachers near Banikoara on Monday."
    add("inject", f"COTONOU, Dec 5 - {s} {INJECTION} Local officials confirmed it.", s,
        f"Teachers abducted {SCRIPT}{INJECTION}", "2023-12-05", event_date="2023-12-04",
        event_type="Violence against civilians", sub_event_type="Abduction/forced disappearance",
        actor1="Unidentified Armed Group (Benin)", actor2="Civilians (Benin)", inter1=3, inter2=7, interaction=37,
        iso=204, country="Benin", admin1="Alibori", admin2="Banikoara", location=f"Banikoara {INJECTION}",
        latitude=11.30, longitude=2.44, fatalities=0, notes=f"Two teachers abducted. {SCRIPT}")
    return out


def fill_database(url: str) -> dict[str, str]:
    """Ingest the example reports (extraction), add the built events; returns {key: event_id} for the built ones."""
    from sahelwatch.ingest import read_inputs
    from sahelwatch.service import ingest_documents
    from sahelwatch.store import Store

    store = Store(url)
    try:
        docs = [d for d in read_inputs([str(EXAMPLES)]) if isinstance(d, Document)]
        ingest_documents(store, docs)
        ids = {}
        for key, (doc, event) in built_reports().items():
            ids[key] = store.add_extracted(doc, [event])[0]
        return ids
    finally:
        store.close()


@dataclass
class Server:
    """`sahelwatch serve` in a child process; .url is its address."""

    db_url: str
    port: int = field(default_factory=free_port)
    token: str = TOKEN
    extra_args: tuple[str, ...] = ()
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 60) -> Server:
        env = {**os.environ, "SAHELWATCH_TOKEN": self.token, **self.env}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from sahelwatch.cli import main; main()", "serve", "--db", self.db_url,
             "--host", "127.0.0.1", "--port", str(self.port), *self.extra_args],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"sahelwatch serve exited {self.proc.returncode}: {self.proc.stderr.read()}")
            try:
                if httpx.get(f"{self.url}/api/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"sahelwatch serve did not answer on {self.url} within {timeout} s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)
