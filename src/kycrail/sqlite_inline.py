"""SQLite for the async engine, run in the event loop's own thread unless a statement would wait.

aiosqlite hands every call (cursor, execute, fetch, close) to a worker thread and back; on a lookup by
primary key those hand-overs cost ten times the lookup. Here a statement runs inline, and only runs in
a worker thread when running it inline would hold up every other request:

- it needs a lock another connection holds: inline it runs with no busy timeout, so SQLite answers
  SQLITE_BUSY at once, and the statement is run again in a thread that waits up to the busy timeout;
- it is a read that runs longer than ``INLINE_BUDGET_SECONDS`` (a deep page, say): a progress handler
  interrupts it, and it is run again in a thread. Only outside an explicit transaction: an interrupted
  write inside one would roll the whole transaction back (statements in transactions run to the end).

It stands in for ``aiosqlite.connect`` through ``create_async_engine(async_creator=...)``, so SQLAlchemy's
aiosqlite dialect, and every AsyncConnection of the code above it, are unchanged. The connection is in
autocommit mode (``isolation_level=None``): ``db`` emits BEGIN itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

INLINE_BUDGET_SECONDS = 0.002
BUSY_TIMEOUT_MILLISECONDS = 5000
# SQLite virtual-machine steps between two looks at the clock: often enough to stop near the budget,
# rarely enough to cost nothing measurable.
_STEPS_BETWEEN_CHECKS = 1000

T = TypeVar("T")


def _must_wait(error: sqlite3.OperationalError, interruptible: bool) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is None:
        return False
    primary = code & 0xFF  # extended codes (SQLITE_BUSY_RECOVERY, ...) keep the primary in the low byte
    return primary == sqlite3.SQLITE_BUSY or (interruptible and primary == sqlite3.SQLITE_INTERRUPT)


class InlineConnection:
    """The part of ``aiosqlite.Connection`` that SQLAlchemy's aiosqlite dialect uses."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._conn = connection
        self._connection: sqlite3.Connection | None = connection  # the dialect checks it before commit
        self._deadline: float | None = None
        connection.set_progress_handler(self._over_budget, _STEPS_BETWEEN_CHECKS)

    @property
    def raw(self) -> sqlite3.Connection:
        """The sqlite3 connection, for statements run through ``run``."""
        return self._conn

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    def _over_budget(self) -> int:
        return int(self._deadline is not None and time.perf_counter() > self._deadline)

    async def run(self, call: Callable[[], T]) -> T:
        """``call()`` inline; again in a worker thread when inline it would wait or run too long."""
        interruptible = not self._conn.in_transaction
        if interruptible:
            self._deadline = time.perf_counter() + INLINE_BUDGET_SECONDS
        try:
            return call()
        except sqlite3.OperationalError as error:
            if not _must_wait(error, interruptible):
                raise
        finally:
            self._deadline = None
        return await _to_the_end(asyncio.ensure_future(asyncio.to_thread(self._run_waiting, call)))

    def _run_waiting(self, call: Callable[[], T]) -> T:
        self._conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MILLISECONDS}")
        try:
            return call()
        finally:
            self._conn.execute("PRAGMA busy_timeout=0")

    def cursor(self) -> InlineCursor:
        return InlineCursor(self, self._conn.cursor())

    async def commit(self) -> None:
        await self.run(self._conn.commit)

    async def rollback(self) -> None:
        self._conn.rollback()

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        """Force-close (the dialect's terminate): there is no thread to stop."""
        if self._connection is not None:
            self._connection = None
            self._conn.close()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)


async def _to_the_end(running: asyncio.Future[T]) -> T:
    """Await a statement running in a thread; if the caller is cancelled (its client went away), still
    wait for the statement to end before passing the cancellation on. The thread goes on using the
    connection whatever happens to the request: were the connection back in the pool, or closed, while
    it runs, the next request would share it with the thread (closing it under the thread crashed the
    process). The wait is bounded by the busy timeout, or by the read the request itself started."""
    try:
        return await asyncio.shield(running)
    except asyncio.CancelledError:
        while not running.done():
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait([running])
        if not running.cancelled():
            running.exception()  # retrieved: its outcome no longer matters to anyone
        raise


class InlineCursor:
    """The part of ``aiosqlite.Cursor`` that SQLAlchemy's aiosqlite dialect uses."""

    def __init__(self, connection: InlineConnection, cursor: sqlite3.Cursor) -> None:
        self._connection = connection
        self._cursor = cursor

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *_: object) -> None:
        self._cursor.close()

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    async def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] = ()) -> InlineCursor:
        await self._connection.run(lambda: self._cursor.execute(sql, parameters))
        return self

    async def executemany(self, sql: str, parameters: Iterable[Sequence[Any]]) -> InlineCursor:
        rows = list(parameters)  # a generator could not be replayed in the thread
        await self._connection.run(lambda: self._cursor.executemany(sql, rows))
        return self

    # Fetching steps through rows the execute already found: short, and not safely re-runnable.
    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()


async def connect(database: str) -> InlineConnection:
    """Open ``database`` for inline use (the async_creator of the SQLite engine)."""
    # check_same_thread=False: a statement that must wait runs in a worker thread, while the
    # connection's owner (one coroutine, through the pool) awaits it.
    connection = sqlite3.connect(database, isolation_level=None, check_same_thread=False)
    connection.execute("PRAGMA busy_timeout=0")
    return InlineConnection(connection)
