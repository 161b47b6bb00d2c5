"""Engine and the column types every table shares.

Repositories work on SQLAlchemy Core connections: services open the transaction
(``write_transaction``, or ``connect`` for reads) and pass the connection down.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Connection, Dialect, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.types import TypeDecorator

from kycrail import sqlite_inline

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


def utc_now() -> datetime:
    return datetime.now(UTC)


_WRITE_OPTION = "kycrail_write"


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The connection is in autocommit mode (sqlite_inline): ``_on_sqlite_begin`` emits BEGIN itself.
    cursor = dbapi_connection.cursor()
    # WAL lets readers run beside the one writer; foreign keys are off by default in SQLite. Waiting
    # for another writer is sqlite_inline's business (off the event loop).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # NORMAL is durable across application crashes in WAL mode (fsync at checkpoints).
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Freed space is zeroed: a shredded customer's wrapped data key does not linger in free pages
    # (Debian's SQLite does this by default; upstream's does not).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    # A write transaction takes the write lock up front: a deferred one that read first would fail
    # with SQLITE_BUSY on upgrading, without waiting, when another writer got in between.
    if connection.get_execution_options().get(_WRITE_OPTION):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    # Plain reads run in autocommit: each statement sees a consistent snapshot on its own, and the
    # BEGIN and ROLLBACK around it would cost two more trips to the driver's thread.


def create_engine(database_url: str, *, pool_size: int = 10) -> AsyncEngine:
    """Create the async engine for an already-normalised URL (see ``config.to_async_database_url``)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if url.database:
            Path(url.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        # No rollback when a connection goes back to the pool: writes always end their transaction,
        # reads open none (see _on_sqlite_begin).
        engine = create_async_engine(
            url,
            hide_parameters=True,
            pool_reset_on_return=None,
            async_creator=partial(sqlite_inline.connect, url.database or ":memory:"),
        )
        event.listen(engine.sync_engine, "connect", _on_sqlite_connect)
        event.listen(engine.sync_engine, "begin", _on_sqlite_begin)
        return engine
    return create_async_engine(
        url,
        # Errors must not carry statement parameters (personal data) into logs.
        hide_parameters=True,
        pool_size=pool_size,
        # No overflow: connections opened and closed under load cost more than waiting for a free one.
        max_overflow=0,
        # No ping before each checkout (a round trip per request): a connection broken by a restart
        # fails its statement, SQLAlchemy then discards the whole pool, and the request answers 503
        # (retryable; see request_context).
        pool_recycle=1800,
    )


@asynccontextmanager
async def _connect_inline(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    connection = await engine.connect()
    try:
        yield connection
    finally:
        await connection.close()


def connect(engine: AsyncEngine) -> AbstractAsyncContextManager[AsyncConnection]:
    """``engine.connect()``; on SQLite, closed in the caller's own task.

    SQLAlchemy closes an ``async with engine.connect()`` in a task of its own, so that a cancelled
    caller cannot abandon a close that awaits the network half-way. That costs each request a trip
    round the event loop while it still holds its connection: under load the pool ran dry, and new
    requests took the connections returned before the waiters did (seconds-long stalls). On SQLite
    (sqlite_inline) a close never suspends, so there is nothing to protect.
    """
    if engine.dialect.name == "sqlite":
        return _connect_inline(engine)
    return engine.connect()


@asynccontextmanager
async def write_transaction(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """A transaction that will write: committed on success, rolled back on any exception."""
    async with connect(engine) as connection:
        await connection.execution_options(**{_WRITE_OPTION: True})
        async with connection.begin():
            yield connection
