"""A real webhook receiver on 127.0.0.1 and events that alert at once, for the subscription tests."""
from __future__ import annotations

import datetime as dt
import http.server
import threading
import time

from sahelwatch.model import Document, Event


class Receiver:
    """A webhook receiver on 127.0.0.1: records each POST and answers the scripted statuses (then 200)."""

    def __init__(self) -> None:
        self.posts: list[dict] = []
        self.statuses: list[int] = []
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.posts.append({"headers": dict(self.headers), "body": body, "at": time.monotonic()})
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def strike(n: int, day: str, country: str = "Mali", admin1: str = "Gao", killed: int = 9) -> tuple[Document, Event]:
    """A state air strike on civilians: the state-violence rule alerts on it at once."""
    text = f"Report {n}: an army drone strike killed {killed} civilians at a market in {admin1} on {day}."
    doc = Document(doc_id=f"strike-{n}", text=text, published=dt.date.fromisoformat(day))
    army = {"Mali": "Military Forces of Mali (2021-)", "Niger": "Military Forces of Niger (2023-)"}[country]
    return doc, Event(doc_id=doc.doc_id, event_date=day, event_type="Explosions/Remote violence",
                      sub_event_type="Air/drone strike", actor1=army, inter1=1, actor2=f"Civilians ({country})",
                      inter2=7, civilian_targeting=True, country=country, admin1=admin1, location=admin1,
                      latitude=15.0 + n / 100, longitude=-1.0 - n / 100 if country == "Mali" else 2.0, fatalities=killed)
