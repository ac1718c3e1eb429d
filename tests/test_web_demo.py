"""`make run` (`sahelwatch demo examples/`): ingests the example reports, then serves the web app
and prints its address; a second run adds nothing and moves to a free port if 8000's is taken."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time

import httpx

from webserver import EXAMPLES, free_port


def run_demo(db: str, port: int) -> tuple[subprocess.Popen, str, list[str]]:
    proc = subprocess.Popen(
        [sys.executable, "-c", "from sahelwatch.cli import main; main()", "demo", str(EXAMPLES.parent),
         "--db", db, "--port", str(port)],
        env={**os.environ, "SAHELWATCH_TOKEN": "demo-token"}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, cwd=EXAMPLES.parent.parent)
    lines = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        found = re.search(r"serving (http://127\.0\.0\.1:\d+/)", line)
        if found:
            wait_up(found.group(1))
            return proc, found.group(1), lines
    proc.kill()
    raise AssertionError("demo never printed its address:\n" + "".join(lines))


def wait_up(url: str) -> None:
    """The address is printed as the server starts; wait until it answers."""
    for _ in range(100):
        try:
            httpx.get(url + "api/health", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(20)


def test_demo_ingests_the_examples_then_serves_them(tmp_path):
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    port = free_port()
    proc, url, lines = run_demo(db, port)
    try:
        assert url == f"http://127.0.0.1:{port}/"
        output = "".join(lines)
        assert "6 example reports: 6 document(s) added" in output
        health = httpx.get(url + "api/health", timeout=10).json()
        assert health["events"] >= 1
        assert "sahelwatch" in httpx.get(url, timeout=10).text
        assert httpx.get(url + "api/documents/example-niamey-protest", timeout=10).status_code == 200
    finally:
        stop(proc)

    with __import__("socket").socket() as busy:  # the port is taken now: the demo moves to the next free one
        busy.bind(("127.0.0.1", port))
        busy.listen()
        proc, url2, lines = run_demo(db, port)
        try:
            assert url2 != url
            assert "0 document(s) added, 6 already stored" in "".join(lines)
            assert httpx.get(url2 + "api/health", timeout=10).json()["events"] == health["events"]
        finally:
            stop(proc)
