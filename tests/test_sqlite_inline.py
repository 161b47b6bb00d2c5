"""SQLite statements run in the event loop's thread, except those that would make every request wait."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import db
from kycrail.config import to_async_database_url
from kycrail.db import create_engine, write_transaction
from kycrail.driver.base import Connection
from kycrail.driver.sqlite import SqliteConnection
from kycrail.sqlite_inline import INLINE_BUDGET_SECONDS, InlineConnection
from tests.waiting import eventually

# Long enough to be well past the inline budget (a few hundred milliseconds here).
SLOW_COUNT = text(
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 3000000) "
    "SELECT count(*), thread_id() FROM n"
)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(to_async_database_url(f"sqlite:///{tmp_path / 'inline.db'}"))
    async with write_transaction(engine) as connection:
        await connection.execute(text("CREATE TABLE notes (body TEXT NOT NULL)"))
    yield engine
    await engine.dispose()


def inline_of(connection: Connection) -> InlineConnection:
    assert isinstance(connection, SqliteConnection)
    return connection.inline


async def with_thread_id(connection: Connection) -> None:
    """``thread_id()`` in SQL: the thread a statement ran in."""
    await inline_of(connection).create_function("thread_id", 0, threading.get_ident)


class Ticker:
    """Counts how often the event loop gets to run something else."""

    def __init__(self) -> None:
        self.ticks = 0
        self._task = asyncio.create_task(self._tick())

    async def _tick(self) -> None:
        while True:
            self.ticks += 1
            # The probe itself (not a wait): a timer every 5 ms, which runs only while the loop is free.
            await asyncio.sleep(0.005)

    def stop(self) -> int:
        self._task.cancel()
        return self.ticks


async def test_a_short_statement_runs_in_the_event_loops_thread(engine: AsyncEngine) -> None:
    async with db.connect(engine) as connection:
        await with_thread_id(connection)
        ran_in = (await connection.execute(text("SELECT thread_id()"))).scalar_one()
    assert ran_in == threading.get_ident()


async def test_a_long_read_moves_to_a_thread_and_the_loop_keeps_serving(engine: AsyncEngine) -> None:
    ticker = Ticker()
    async with db.connect(engine) as connection:
        await with_thread_id(connection)
        started = asyncio.get_running_loop().time()
        count, ran_in = (await connection.execute(SLOW_COUNT)).one()
        took = asyncio.get_running_loop().time() - started
    ticks = ticker.stop()
    assert count == 3_000_000  # run again from the start in the thread: the whole answer
    assert ran_in != threading.get_ident()
    assert took > 10 * INLINE_BUDGET_SECONDS
    assert ticks >= 5, f"the event loop ran {ticks} times in {took:.2f}s"


async def test_a_long_statement_inside_a_transaction_is_not_interrupted(engine: AsyncEngine) -> None:
    async with write_transaction(engine) as connection:
        await with_thread_id(connection)
        await connection.execute(text("INSERT INTO notes (body) VALUES ('kept')"))
        count, ran_in = (await connection.execute(SLOW_COUNT)).one()
    assert (count, ran_in) == (3_000_000, threading.get_ident())
    async with db.connect(engine) as connection:
        assert (await connection.execute(text("SELECT body FROM notes"))).scalars() == ["kept"]


async def test_a_write_waits_for_another_writer_off_the_event_loop(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    other_process = sqlite3.connect(tmp_path / "inline.db", isolation_level=None)
    other_process.execute("BEGIN IMMEDIATE")  # holds the write lock
    other_process.execute("INSERT INTO notes (body) VALUES ('first')")

    async def write() -> None:
        async with write_transaction(engine) as connection:
            await connection.execute(text("INSERT INTO notes (body) VALUES ('second')"))

    ticker = Ticker()
    writer = asyncio.create_task(write())
    await eventually(lambda: ticker.ticks >= 10, 5)  # the loop goes on...
    assert not writer.done()  # ...while the write waits for the lock
    other_process.execute("COMMIT")
    await asyncio.wait_for(writer, timeout=5)
    ticker.stop()
    other_process.close()
    async with db.connect(engine) as connection:
        bodies = (await connection.execute(text("SELECT body FROM notes ORDER BY rowid"))).scalars()
    assert bodies == ["first", "second"]


async def test_a_statement_that_fails_is_not_run_again(engine: AsyncEngine) -> None:
    calls = []

    def failing() -> None:
        calls.append(threading.get_ident())
        raise RuntimeError("boom")

    async with db.connect(engine) as connection:
        await inline_of(connection).create_function("failing", 0, failing)
        with pytest.raises(OperationalError, match="user-defined function raised exception"):
            await connection.execute(text("SELECT failing()"))
    assert calls == [threading.get_ident()]  # once, inline


async def test_a_read_holds_its_connection_without_a_trip_round_the_event_loop(engine: AsyncEngine) -> None:
    # SQLAlchemy's own ``async with engine.connect()`` closes in a new task: a trip round the loop with
    # the connection still out of the pool, which under load ran the pool dry.
    other_work_ran = asyncio.Event()
    asyncio.get_running_loop().call_soon(other_work_ran.set)
    async with db.connect(engine) as connection:
        assert (await connection.execute(text("SELECT 1"))).scalar_one() == 1
        first = inline_of(connection)
    assert not other_work_ran.is_set()
    async with db.connect(engine) as connection:
        assert inline_of(connection) is first  # back in the pool at once


async def test_a_cancelled_request_keeps_its_connection_until_its_statement_in_a_thread_is_done(
    engine: AsyncEngine,
) -> None:
    # A client that goes away cancels its request; the statement it moved to a thread runs on. Were
    # the connection back in the pool meanwhile, the next request would share it with that thread.
    finished = threading.Event()
    started_in: list[int] = []  # the thread of each run of the statement (inline, then its own)

    def started() -> int:
        started_in.append(threading.get_ident())
        return 1

    async def slow_read() -> None:
        async with db.connect(engine) as connection:
            await inline_of(connection).create_function("started", 0, started)
            await inline_of(connection).create_function("finished", 0, finished.set)
            await connection.execute(
                text(
                    "WITH RECURSIVE n(x) AS "
                    "(SELECT started() UNION ALL SELECT x + 1 FROM n WHERE x < 3000000) "
                    "SELECT count(*), finished() FROM n"
                )
            )

    reading = asyncio.create_task(slow_read())
    # Past the inline budget: the statement runs again, in a thread.
    await eventually(lambda: set(started_in) - {threading.get_ident()}, 5, describe=lambda: started_in)
    assert not finished.is_set()
    reading.cancel()
    with pytest.raises(asyncio.CancelledError):
        await reading
    assert finished.is_set(), "the request let its connection go while its statement still ran"
    async with db.connect(engine) as connection:
        assert (await connection.execute(text("SELECT 1"))).scalar_one() == 1
