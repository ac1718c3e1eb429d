"""`sahelwatch serve` stops on SIGTERM within seconds, even in the middle of extracting a long report."""
from __future__ import annotations

import signal
import threading
import time

import httpx
from newslike import long_report
from webserver import Server


def test_sigterm_during_a_long_ingest_stops_the_server_within_seconds(tmp_path):
    server = Server(f"sqlite:///{tmp_path / 'store.db'}").start()
    outcome: dict[str, object] = {}

    def ingest() -> None:  # a 1 MB report: about a minute of extraction
        try:
            outcome["status"] = server.client(server.token).post(
                "/api/ingest", json={"text": long_report(1_000_000), "doc_id": "long"}).status_code
        except httpx.HTTPError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=ingest, daemon=True)
    try:
        thread.start()
        time.sleep(8)  # the models loaded, the windows under way
        assert server.proc.poll() is None and thread.is_alive()
        t0 = time.monotonic()
        server.proc.send_signal(signal.SIGTERM)
        server.proc.wait(timeout=30)
        assert time.monotonic() - t0 < 15
    finally:
        server.stop()
        if server.proc.poll() is None:
            server.proc.kill()
