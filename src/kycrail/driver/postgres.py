"""PostgreSQL on asyncpg directly: a pool of its own, prepared statements, no greenlet per call.

asyncpg prepares each statement once per connection and keeps it (``statement_cache_size``), so a hot
statement is parsed and planned once. The pool lends connections to waiters first come, first served.
Reads outside a transaction run each statement on its own (no BEGIN and ROLLBACK round trips).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from sqlalchemy import exc
from sqlalchemy.engine import URL, Dialect

from kycrail.driver.base import Connection, Database
from kycrail.driver.result import Result
from kycrail.driver.statements import Compiled, StatementCache

STATEMENT_CACHE_SIZE = 512  # prepared statements kept per connection: every statement the code has
IDLE_LIFETIME_SECONDS = 1800.0

# By SQLSTATE class: SQLAlchemy's exception for what PostgreSQL refused.
_BY_CLASS: dict[str, type[exc.DBAPIError]] = {
    "22": exc.DataError,
    "23": exc.IntegrityError,
    "40": exc.OperationalError,  # serialization failure, deadlock
    "42": exc.ProgrammingError,
    "53": exc.OperationalError,  # insufficient resources
    "55": exc.OperationalError,  # lock not available
}
# The connection is gone (a restart, a network cut, the server shutting down), or its protocol state
# is (a session ended by the server mid-conversation): retryable on another connection.
_LOST = (
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.exceptions.InternalClientError,
    OSError,
    asyncio.TimeoutError,
)
_LOST_CLASSES = ("08", "57")
_ERRORS = (asyncpg.PostgresError, *_LOST)


async def _setup(connection: asyncpg.Connection) -> None:
    # What SQLAlchemy's asyncpg dialect sets up, so that its bind and result processors (the JSON
    # columns arrive as text, are sent as text) fit these connections too.
    await connection.set_type_codec(
        "json",
        encoder=str.encode,
        decoder=lambda value: json.loads(value.decode()),
        schema="pg_catalog",
        format="binary",
    )
    await connection.set_type_codec(
        "jsonb",
        encoder=lambda value: b"\x01" + value.encode(),
        decoder=lambda value: json.loads(value[1:].decode()),
        schema="pg_catalog",
        format="binary",
    )


async def _reset(connection: asyncpg.Connection) -> None:
    # Instead of asyncpg's reset (a round trip on every release): kycrail sets no session state, and
    # only an interrupted transaction can be left open.
    if connection.is_in_transaction():
        await connection.execute("ROLLBACK")


class PostgresConnection(Connection):
    def __init__(self, raw: asyncpg.Connection, statements: StatementCache) -> None:
        super().__init__(statements)
        self.raw = raw
        self.lost = False  # never lent again: the pool opens a new connection in its place

    def translated(self, sql: str, error: Exception) -> exc.DBAPIError:
        sqlstate = str(getattr(error, "sqlstate", "") or "")
        if isinstance(error, _LOST) or sqlstate[:2] in _LOST_CLASSES:
            self.lost = True
            return exc.DBAPIError(sql, None, error, hide_parameters=True, connection_invalidated=True)
        kind = _BY_CLASS.get(sqlstate[:2], exc.DatabaseError)
        return kind(sql, None, error, hide_parameters=True)

    async def _run(self, compiled: Compiled, sql: str, args: list[Any]) -> Result:
        try:
            if compiled.returns_rows:
                records = await self.raw.fetch(sql, *args)
            else:
                status = await self.raw.execute(sql, *args)
        except _ERRORS as error:
            raise self.translated(sql, error) from None
        if not compiled.returns_rows:
            last = status.rpartition(" ")[2]
            return Result([], int(last) if last.isdigit() else -1)
        rows = compiled.rows(records, lambda: list(records[0].keys()))
        return Result(rows, len(rows))

    async def _run_many(self, sql: str, args: list[list[Any]]) -> Result:
        try:
            await self.raw.executemany(sql, args)
        except _ERRORS as error:
            raise self.translated(sql, error) from None
        return Result([], -1)

    @asynccontextmanager
    async def begin_nested(self) -> AsyncIterator[None]:
        # asyncpg makes a transaction started inside another one a savepoint.
        async with self.guarded("SAVEPOINT"):
            savepoint = self.raw.transaction()
            await savepoint.start()
        try:
            yield
        except BaseException:
            with contextlib.suppress(Exception):  # as in ``transaction``: the first error is the one
                await savepoint.rollback()
            raise
        async with self.guarded("RELEASE SAVEPOINT"):
            await savepoint.commit()

    @asynccontextmanager
    async def guarded(self, sql: str) -> AsyncIterator[None]:
        try:
            yield
        except _ERRORS as error:
            raise self.translated(sql, error) from None


class PostgresDatabase(Database):
    def __init__(self, url: URL, dialect: Dialect, pool_size: int) -> None:
        super().__init__(dialect, pool_size)
        self._dsn = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._pool_size = pool_size
        self._pool: asyncpg.Pool | None = None
        self._opening = asyncio.Lock()

    async def _ready_pool(self) -> asyncpg.Pool:
        async with self._opening:
            if self._pool is None:
                self._pool = await asyncpg.create_pool(
                    self._dsn,
                    min_size=min(2, self._pool_size),
                    max_size=self._pool_size,
                    max_inactive_connection_lifetime=IDLE_LIFETIME_SECONDS,
                    statement_cache_size=STATEMENT_CACHE_SIZE,
                    init=_setup,
                    reset=_reset,
                )
            return self._pool

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[Connection]:
        pool = self._pool or await self._ready_pool()
        lending = self.lending
        # Every connection lent by this pool (its max_size): asyncpg makes this one wait its turn.
        waiting_since = lending.wait_starts() if lending.exhausted else None
        try:
            raw = await pool.acquire()
        except _ERRORS as error:
            raise exc.DBAPIError(
                "connect", None, error, hide_parameters=True, connection_invalidated=True
            ) from None
        finally:
            if waiting_since is not None:
                lending.wait_ends(waiting_since)
        lending.lends()
        connection = PostgresConnection(raw, self.statements)
        try:
            yield connection
        finally:
            try:
                await self._give_back(pool, raw, connection.lost)
            finally:
                lending.takes_back()

    @staticmethod
    async def _give_back(pool: asyncpg.Pool, raw: asyncpg.Connection, lost: bool) -> None:
        if lost:
            # Hands the pool's slot back, for a new connection (a connection the server closed has
            # gone back by itself).
            with contextlib.suppress(asyncpg.InterfaceError):
                raw.terminate()
            # The idle ones are likely lost too (a restart): each is replaced when next lent.
            await pool.expire_connections()
        else:
            await pool.release(raw)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        async with self.connect() as connection:
            assert isinstance(connection, PostgresConnection)
            async with connection.guarded("BEGIN"):
                transaction = connection.raw.transaction()
                await transaction.start()
            try:
                yield connection
            except BaseException:
                # The error that ended the transaction is the one to report, not a failed rollback's
                # (on a lost connection there is nothing to roll back: the server already has).
                with contextlib.suppress(Exception):
                    await transaction.rollback()
                raise
            async with connection.guarded("COMMIT"):
                await transaction.commit()

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await pool.close()

    def close_now(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()
