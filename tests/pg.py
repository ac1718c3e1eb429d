"""A real PostgreSQL 15 + PostGIS server for the test session: initdb in a temp dir, a free port,
trust auth on 127.0.0.1, a template database with PostGIS; stopped and deleted at the end.

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` OS user.
"""
from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

PG_BIN = Path(os.environ.get("SAHELWATCH_PG_BIN", "/usr/lib/postgresql/15/bin"))
POSTGIS_CONTROL = Path("/usr/share/postgresql/15/extension/postgis.control")


def missing() -> str | None:
    """Why a PostgreSQL + PostGIS server cannot be started here, or None when it can."""
    for tool in ("initdb", "pg_ctl"):
        if not (PG_BIN / tool).exists():
            return f"{PG_BIN / tool} not found (install postgresql-15: bash scripts/system-deps.sh)"
    if not POSTGIS_CONTROL.exists():
        return f"{POSTGIS_CONTROL} not found (install postgresql-15-postgis-3: bash scripts/system-deps.sh)"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """One throw-away PostgreSQL cluster; ``new_database()`` hands out a fresh PostGIS database URL."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="sahelwatch-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0
        self._n = itertools.count(1)

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)

    def start(self) -> PgServer:
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--encoding", "UTF8", "--locale", "C.UTF-8")
        opts = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                "-c synchronous_commit=off -c full_page_writes=off")
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", opts, "-l", str(self.root / "log"), "-w",
                  "start")
        self._sql("postgres", "CREATE DATABASE sahelwatch_template")
        self._sql("sahelwatch_template", "CREATE EXTENSION postgis")
        return self

    def _sql(self, dbname: str, statement: str) -> None:
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=dbname,
                             autocommit=True) as conn:
            conn.execute(statement)

    def url(self, dbname: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        name = f"sahelwatch_test_{next(self._n)}"
        self._sql("postgres", f"CREATE DATABASE {name} TEMPLATE sahelwatch_template")
        return self.url(name)

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
