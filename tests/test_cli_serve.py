"""`sahelwatch serve`: stops on SIGTERM within seconds, even in the middle of extracting a long report;
refuses a token file other users can read."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
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


def test_serve_refuses_a_token_file_others_can_read_in_one_line(tmp_path):
    token = tmp_path / "token"
    token.write_text("a-token-someone-else-may-have-read\n", encoding="utf-8")
    token.chmod(0o644)
    env = {k: v for k, v in os.environ.items() if k != "SAHELWATCH_TOKEN"}
    env["SAHELWATCH_TOKEN_FILE"] = str(token)
    res = subprocess.run([sys.executable, "-c", "from sahelwatch.cli import main; main()", "serve", "--db",
                          f"sqlite:///{tmp_path / 'store.db'}", "--port", "0"], capture_output=True, text=True,
                         env=env, timeout=60)
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        f"sahelwatch: error: the API token file {token} is open to other users (mode 644): delete it and a new "
        "token is made, or chmod 600 it if no one else can have read it"]
