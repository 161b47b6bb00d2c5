"""Engine and the column types every table shares.

Repositories build SQLAlchemy Core statements and run them on a ``Connection`` of the raw driver
(``kycrail.driver``): services open the transaction (``write_transaction``, or ``connect`` for reads)
and pass the connection down.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import JSON, DateTime, MetaData, Table, event
from sqlalchemy.dialects import postgresql as postgresql_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection as SyncConnection
from sqlalchemy.engine import Dialect, Engine, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.types import TypeDecorator
from sqlalchemy.util.concurrency import await_

from kycrail import sqlite_inline
from kycrail.driver import postgres, sqlite
from kycrail.driver.base import Connection, Database

# One naming convention, so migrations name constraints the same on SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UtcDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, whatever the database keeps.

    SQLite has no time zones and hands back naive values; without this, comparisons between a
    value read back and ``datetime.now(UTC)`` would raise.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: pass an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# JSON columns: JSONB on PostgreSQL (binary, indexable), JSON text on SQLite.
Json = JSON().with_variant(JSONB(), "postgresql")


def insert_with_conflicts(
    dialect: Dialect, table: Table
) -> postgresql_dialect.Insert | sqlite_dialect.Insert:
    """An INSERT that can say what a conflict does (ON CONFLICT ...): each dialect has its own."""
    if dialect.name == "postgresql":
        return postgresql_dialect.insert(table)
    return sqlite_dialect.insert(table)


def utc_now() -> datetime:
    return datetime.now(UTC)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # SQLAlchemy's own connections (migrations, administration) get the same settings as the driver's.
    cursor = dbapi_connection.cursor()
    for pragma in sqlite.PRAGMAS:
        cursor.execute(pragma)
    cursor.close()


_WRITE_OPTION = "kycrail_write"


def _on_sqlite_begin(connection: SyncConnection) -> None:
    # SQLAlchemy's connections are in autocommit mode (sqlite_inline): BEGIN is emitted here, only for
    # ``migration_transaction``, as IMMEDIATE (the write lock up front, as the driver's writes take it).
    if connection.get_execution_options().get(_WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


# The driver's connections of each engine (see ``database_of``).
_databases: WeakKeyDictionary[Engine, Database] = WeakKeyDictionary()


def create_engine(database_url: str, *, pool_size: int = 10) -> AsyncEngine:
    """Create the async engine for an already-normalised URL (see ``config.to_async_database_url``).

    The application's statements run on the engine's ``database_of`` (the raw driver); the engine itself
    serves migrations and administration, through SQLAlchemy's own pool.
    """
    url = make_url(database_url)
    database: Database
    if url.get_backend_name() == "sqlite":
        if url.database:
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            url,
            hide_parameters=True,
            # SQLAlchemy's connections read and write in autocommit (sqlite_inline): nothing to
            # roll back when one goes back to its pool.
            pool_reset_on_return=None,
            async_creator=partial(sqlite_inline.connect, url.database or ":memory:"),
        )
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
        event.listen(engine.sync_engine, "begin", _on_sqlite_begin)
        database = sqlite.SqliteDatabase(url.database or "", engine.dialect, pool_size)
    else:
        engine = create_async_engine(
            url,
            # Errors must not carry statement parameters (personal data) into logs.
            hide_parameters=True,
            pool_size=2,  # migrations and administration only: requests use the driver's pool
            max_overflow=0,
        )
        database = postgres.PostgresDatabase(url, engine.dialect, pool_size)
    _databases[engine.sync_engine] = database
    event.listen(engine.sync_engine, "engine_disposed", partial(_close, database))
    return engine


def _close(database: Database, _engine: Engine) -> None:
    # Engine.dispose runs in SQLAlchemy's greenlet (AsyncEngine.dispose): the close may be awaited there.
    try:
        await_(database.close())
    except Exception:  # not in a greenlet (a synchronous dispose): close without waiting
        database.close_now()


def database_of(engine: AsyncEngine) -> Database:
    """The driver's connections for ``engine`` (made by ``create_engine``)."""
    try:
        return _databases[engine.sync_engine]
    except KeyError:
        raise LookupError("an engine made by kycrail.db.create_engine is needed") from None


def connect(engine: AsyncEngine) -> AbstractAsyncContextManager[Connection]:
    """A connection for reads: each statement commits on its own."""
    return database_of(engine).connect()


def write_transaction(engine: AsyncEngine) -> AbstractAsyncContextManager[Connection]:
    """A transaction that will write: committed on success, rolled back on any exception."""
    return database_of(engine).transaction()


@asynccontextmanager
async def migration_transaction(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A write transaction on SQLAlchemy's own connection, for Alembic (``run_sync``)."""
    async with engine.connect() as connection:
        await connection.execution_options(**{_WRITE_OPTION: True})
        async with connection.begin():
            yield connection
