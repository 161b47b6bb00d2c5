"""SQLite: one writer per process, first come first served, and no thread waiting on SQLite's lock."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import db
from kycrail.config import to_async_database_url
from kycrail.tenants.tables import tenants

CREATED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
async def engine(fresh_sqlite_url: str) -> AsyncIterator[AsyncEngine]:
    engine = db.create_engine(to_async_database_url(fresh_sqlite_url))
    yield engine
    await engine.dispose()


async def test_concurrent_writes_queue_in_order_without_waiting_in_threads(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads = []
    to_thread = asyncio.to_thread

    async def counted(*args: object, **kwargs: object) -> object:
        threads.append(args[0])
        return await to_thread(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(asyncio, "to_thread", counted)
    began: list[int] = []

    async def write(number: int) -> None:
        async with db.write_transaction(engine) as connection:
            began.append(number)
            await connection.execute(
                tenants.insert(), {"id": f"t{number:02}", "name": f"tenant {number}", "created_at": CREATED}
            )
            await asyncio.sleep(0.005)  # a write that awaits something, holding the write lock

    await asyncio.gather(*(write(number) for number in range(20)))

    assert began == list(range(20))  # served in the order they asked
    assert threads == []  # none waited on SQLite's lock in a thread
    async with db.connect(engine) as connection:
        assert len((await connection.execute(select(tenants.c.id))).all()) == 20


async def test_a_writer_in_another_process_is_waited_for_off_the_event_loop(
    engine: AsyncEngine, fresh_sqlite_url: str
) -> None:
    import sqlite3

    other = sqlite3.connect(Path(fresh_sqlite_url.split(":///", 1)[1]), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    async def write() -> None:
        async with db.write_transaction(engine) as connection:
            await connection.execute(tenants.insert(), {"id": "acme", "name": "acme", "created_at": CREATED})

    writer = asyncio.create_task(write())
    await asyncio.sleep(0.2)
    assert not writer.done()  # waiting for the other process's lock, while this loop runs
    other.execute("COMMIT")
    other.close()
    await asyncio.wait_for(writer, timeout=5)
