"""The database connection: engine set-up (SQLite pragmas, PostgreSQL pre-ping), migrations, write transactions."""
from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from importlib import resources
from typing import Any

import sqlalchemy as sa

from sahelwatch.errors import DatabaseError
from sahelwatch.settings import resolve_url

_MIGRATE_LOCK = threading.Lock()


class Database:
    """One database: its engine and dialect, opened and migrated to the latest schema."""

    def __init__(self, url: str) -> None:
        self.url = resolve_url(url)
        try:
            self.engine = sa.create_engine(self.url, pool_pre_ping=self.url.startswith("postgresql"))
            self.dialect = self.engine.dialect.name
            if self.dialect == "sqlite":
                _sqlite_setup(self.engine)
            self._migrate()
        except (sa.exc.SQLAlchemyError, ImportError, ValueError, OSError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise DatabaseError(f"cannot open database {_shown(url)}: {first}") from None

    def _migrate(self) -> None:
        from alembic import command
        from alembic.config import Config

        cfg = Config()
        cfg.set_main_option("script_location", str(resources.files("sahelwatch.store").joinpath("migrations")))
        with _MIGRATE_LOCK, self.write() as conn:  # alembic's context is global: one migration at a time
            if self.dialect == "postgresql":  # and one process at a time per database
                conn.execute(sa.text("SELECT pg_advisory_xact_lock(5512460)"))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")

    @contextlib.contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """A write transaction (BEGIN IMMEDIATE on SQLite, so two writers queue instead of deadlocking)."""
        with self.engine.connect() as conn:
            conn.execution_options(sahelwatch_write=True)
            with conn.begin():
                yield conn

    def insert_ignore(self, conn: sa.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
        """Insert the rows whose key is not there yet."""
        if self.dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        conn.execute(insert(table).on_conflict_do_nothing(), rows)

    def insert_rows(self, conn: sa.Connection, table: sa.Table, rows: Sequence[dict[str, Any]]) -> None:
        """Insert rows that all have the same keys. On SQLite straight through the driver's executemany (the
        values stored are the same: this store's columns have no Python-side defaults or conversions that
        sqlite3 does not make itself), which spares SQLAlchemy's work on every row of a large batch."""
        if not rows:
            return
        if self.dialect != "sqlite":
            conn.execute(table.insert(), list(rows))
            return
        keys = list(rows[0])
        names = ", ".join(f'"{k}"' for k in keys)
        sql = f'INSERT INTO "{table.name}" ({names}) VALUES ({", ".join("?" * len(keys))})'
        conn.exec_driver_sql(sql, [tuple(r[k] for k in keys) for r in rows])

    def close(self) -> None:
        if self.dialect == "sqlite":  # refresh the planner's statistics where they are stale (cheap)
            with contextlib.suppress(sa.exc.SQLAlchemyError), self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
        self.engine.dispose()


def _shown(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return sa.engine.make_url(resolve_url(url)).render_as_string(hide_password=True)
    except (sa.exc.ArgumentError, ValueError):
        return url


def _sqlite_setup(engine: sa.Engine) -> None:
    """WAL, a busy timeout, and transactions whose kind the caller picks (BEGIN IMMEDIATE for writes)."""

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "busy_timeout=60000", "cache_size=-65536",
                       "temp_store=MEMORY"):
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(conn: sa.Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("sahelwatch_write") else "BEGIN")


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    """``items`` in slices of ``size`` (IN lists of bounded length)."""
    for i in range(0, len(items), size):
        yield items[i:i + size]
