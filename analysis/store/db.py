"""Where the store lives and how it is reached: a SQLite file or a PostgreSQL server, through
SQLAlchemy 2 (psycopg 3 for PostgreSQL), with the schema brought up to date by Alembic on open.

``NEWSLENS_DB`` (or the ``url`` given) is a file path, ``sqlite:///path`` or
``postgresql+psycopg://user@host:port/db``. The store's SQL is written once, with ``?``
placeholders and SQL both backends speak (``ON CONFLICT``, ``RETURNING``, ``lower() LIKE``);
``Conn`` hands it to the driver in its own parameter style.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine, make_url

from analysis.errors import InputError, Messages

__all__ = ["DATA_DIR", "database_path", "database_url", "make_engine", "Conn", "Database"]

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("NEWSLENS_DATA_DIR", ROOT / "data"))
BUSY_TIMEOUT_MS = 30_000
WRITE_RETRIES = 8
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 7_204_417  # PostgreSQL advisory lock: one process migrates at a time
T = TypeVar("T")


def database_url(url: str | None = None) -> str:
    """The SQLAlchemy URL of ``url`` or ``NEWSLENS_DB``, else the default SQLite file."""
    url = url if url is not None else os.environ.get("NEWSLENS_DB", "")
    if not url:
        return f"sqlite:///{DATA_DIR / 'newslens.sqlite'}"
    if url.startswith("sqlite:///"):
        return url
    if url.startswith(("postgresql+psycopg://", "postgresql://")):
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    if "://" in url:
        raise InputError(Messages.BAD_DATABASE_URL.format(url=url))
    return f"sqlite:///{url}"


def database_path(url: str | None = None) -> Path | str:
    """The SQLite file of the store, or its URL (password hidden) for PostgreSQL."""
    full = database_url(url)
    if full.startswith("sqlite:///"):
        return Path(full.removeprefix("sqlite:///"))
    return make_url(full).render_as_string(hide_password=True)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return sa.create_engine(url, pool_size=4, max_overflow=4, pool_pre_ping=True)


def _sqlite_connect(dbapi_con, _record) -> None:
    dbapi_con.isolation_level = None  # transactions are begun by _sqlite_begin
    dbapi_con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    for _ in range(WRITE_RETRIES):
        try:
            dbapi_con.execute("PRAGMA journal_mode=WAL")
            break
        except Exception:  # noqa: BLE001 - another process is switching it: try again
            time.sleep(0.1)
    dbapi_con.execute("PRAGMA synchronous=NORMAL")


def _sqlite_begin(conn: Connection) -> None:
    """A write takes SQLite's write lock at BEGIN (so it never fails half-way on a lock); an
    autocommit read connection begins nothing (each statement is its own transaction)."""
    if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return
    conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")


_PLACEHOLDER = re.compile(r"\?")


class Conn:
    """A connection inside one transaction, taking the store's ``?`` SQL on either backend."""

    def __init__(self, connection: Connection):
        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"

    def sql(self, statement: str) -> str:
        return _translate(statement) if self.postgres else statement

    def execute(self, statement: str, params: Sequence[Any] = ()) -> sa.CursorResult:
        return self.connection.exec_driver_sql(self.sql(statement), tuple(params))

    def lock(self, key: str) -> None:
        """Hold a lock on ``key`` until this transaction ends, so two writers adding the same
        article take turns (PostgreSQL; a SQLite writer already holds the whole file)."""
        if self.postgres:
            digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
            self.execute("SELECT pg_advisory_xact_lock(?)", (int.from_bytes(digest, "big", signed=True),))

    def executemany(self, statement: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [tuple(r) for r in rows]
        if rows:
            self.connection.exec_driver_sql(self.sql(statement), rows)


@lru_cache(maxsize=512)
def _translate(statement: str) -> str:
    return _PLACEHOLDER.sub("%s", statement.replace("%", "%%"))


class Database:
    """One store's engine: reads, retried write transactions, migrations on open."""

    def __init__(self, url: str | None = None):
        self.url = database_url(url)
        self.path = database_path(self.url)
        self.postgres = self.url.startswith("postgresql")
        if not self.postgres:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self.engine = make_engine(self.url)

    @contextmanager
    def read(self):
        with self.engine.connect() as connection:
            yield Conn(connection)

    def write(self, work: Callable[[Conn], T]) -> T:
        """Run ``work`` in one write transaction, again from the start when the database asks
        (SQLite busy past its timeout, a PostgreSQL deadlock or serialization failure)."""
        for attempt in range(WRITE_RETRIES):
            try:
                with self.engine.connect() as connection:
                    connection.info["write"] = True
                    with connection.begin():
                        return work(Conn(connection))
            except sa.exc.OperationalError as err:
                if not _retryable(err) or attempt == WRITE_RETRIES - 1:
                    raise
                time.sleep(0.05 * 2**attempt)
        raise AssertionError("unreachable")

    def migrate(self) -> None:
        """Bring the schema to the newest migration (stores made before Alembic too)."""
        from alembic import command
        from alembic.config import Config
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        head = ScriptDirectory.from_config(config).get_current_head()
        with self.engine.connect() as connection:
            if MigrationContext.configure(connection).get_current_revision() == head:
                return
        with self.engine.connect() as connection:
            connection.info["write"] = True
            with connection.begin():
                if self.postgres:
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                config.attributes["connection"] = connection
                command.upgrade(config, "head")

    def dispose(self) -> None:
        self.engine.dispose()


def _retryable(err: sa.exc.OperationalError) -> bool:
    text = str(err.orig).lower()
    return any(s in text for s in ("database is locked", "deadlock detected", "could not serialize"))
