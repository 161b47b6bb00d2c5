"""SQLite: statements inline on the event loop's thread (``sqlite_inline``), and one writer per process.

Write transactions take an asyncio lock before ``BEGIN IMMEDIATE``: concurrent writes of this process
queue first come, first served, instead of each one failing on SQLite's lock and waiting for it in a
thread (a convoy of threads polling the lock, served in no order). A writer in another process (a
``kycrail worker``, another ``--workers`` process) is still waited for in a thread, up to the busy
timeout.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from itertools import count
from typing import Any

from sqlalchemy import exc
from sqlalchemy.engine import Dialect

from kycrail import sqlite_inline
from kycrail.driver.base import Connection, Database
from kycrail.driver.result import Result
from kycrail.driver.statements import Compiled, StatementCache

PRAGMAS = (
    # WAL lets readers run beside the one writer; foreign keys are off by default in SQLite.
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    # NORMAL is durable across application crashes in WAL mode (fsync at checkpoints).
    "PRAGMA synchronous=NORMAL",
    # Freed space is zeroed: a shredded customer's wrapped data key does not linger in free pages
    # (Debian's SQLite does this by default; upstream's does not).
    "PRAGMA secure_delete=ON",
)


def _translated(sql: str, error: sqlite3.Error) -> exc.DBAPIError:
    # SQLAlchemy's exception for the DB-API error class (IntegrityError, OperationalError, ...), so that
    # callers catch one family whatever the driver. Parameters are personal data: never carried.
    translated = exc.DBAPIError.instance(sql, None, error, sqlite3.Error, hide_parameters=True)
    assert isinstance(translated, exc.DBAPIError)
    return translated


@contextmanager
def _translating(sql: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as error:
        raise _translated(sql, error) from None


class SqliteConnection(Connection):
    def __init__(self, inline: sqlite_inline.InlineConnection, statements: StatementCache) -> None:
        super().__init__(statements)
        self.inline = inline
        self._savepoints = count()

    async def _run(self, compiled: Compiled, sql: str, args: list[Any]) -> Result:
        raw = self.inline.raw
        with _translating(sql):
            cursor = await self.inline.run(lambda: raw.execute(sql, args))
            if cursor.description is None:
                return Result([], cursor.rowcount)
            fetched = cursor.fetchall()
        rows = compiled.rows(fetched, lambda: [column[0] for column in cursor.description])
        return Result(rows, len(rows))

    async def _run_many(self, sql: str, args: list[list[Any]]) -> Result:
        raw = self.inline.raw
        with _translating(sql):
            cursor = await self.inline.run(lambda: raw.executemany(sql, args))
        return Result([], cursor.rowcount)

    async def run_sql(self, sql: str) -> None:
        raw = self.inline.raw
        with _translating(sql):
            await self.inline.run(lambda: raw.execute(sql))

    @asynccontextmanager
    async def begin_nested(self) -> AsyncIterator[None]:
        name = f"kycrail_{next(self._savepoints)}"
        await self.run_sql(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            await self.run_sql(f"ROLLBACK TO {name}")
            await self.run_sql(f"RELEASE {name}")
            raise
        await self.run_sql(f"RELEASE {name}")


class SqliteDatabase(Database):
    def __init__(self, path: str, dialect: Dialect, pool_size: int) -> None:
        super().__init__(dialect, pool_size)
        if not path or path == ":memory:":
            raise ValueError("kycrail keeps its data in a SQLite file: give the database URL a path")
        self._path = path
        self._idle: list[sqlite_inline.InlineConnection] = []
        # Reads never suspend but to wait for a lock or to finish a long read in a thread: a few
        # connections serve any number of requests. The cap bounds what a stall can open.
        self._lent = asyncio.BoundedSemaphore(pool_size)
        self._writer = asyncio.Lock()

    async def _open(self) -> sqlite_inline.InlineConnection:
        inline = await sqlite_inline.connect(self._path)
        for pragma in PRAGMAS:
            inline.raw.execute(pragma)
        return inline

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[Connection]:
        await self._take_a_place()
        try:
            inline = self._idle.pop() if self._idle else await self._open()
            try:
                yield SqliteConnection(inline, self.statements)
            finally:
                if inline.raw.in_transaction:  # only a broken transaction leaves one open
                    inline.stop()
                else:
                    self._idle.append(inline)
        finally:
            self._lent.release()
            self.lending.takes_back()

    async def _take_a_place(self) -> None:
        """One of the ``pool_size`` places, waiting (counted) while every one is taken."""
        if not self._lent.locked():
            await self._lent.acquire()  # a free place: taken without suspending
        else:
            waiting_since = self.lending.wait_starts()
            try:
                await self._lent.acquire()
            finally:
                self.lending.wait_ends(waiting_since)
        self.lending.lends()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        async with self._writer, self.connect() as connection:
            assert isinstance(connection, SqliteConnection)
            # IMMEDIATE: the write lock up front. A deferred transaction that read first would fail
            # with SQLITE_BUSY on upgrading, without waiting, when another process wrote in between.
            await connection.run_sql("BEGIN IMMEDIATE")
            try:
                yield connection
            except BaseException:
                connection.inline.raw.rollback()
                raise
            try:
                await connection.inline.commit()
            except sqlite3.Error as error:
                connection.inline.raw.rollback()
                raise _translated("COMMIT", error) from None

    async def close(self) -> None:
        self.close_now()

    def close_now(self) -> None:
        while self._idle:
            self._idle.pop().stop()
