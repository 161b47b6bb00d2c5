"""SQLite: one writer per process, first come first served, and no thread waiting on SQLite's lock."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import db
from kycrail.tenants.tables import tenants
from tests.waiting import eventually, stays

CREATED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def threads(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """What is handed to a thread (``asyncio.to_thread``): a statement waiting on SQLite's lock."""
    handed: list[object] = []
    to_thread = asyncio.to_thread

    async def counted(*args: object, **kwargs: object) -> object:
        handed.append(args[0])
        return await to_thread(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(asyncio, "to_thread", counted)
    return handed


async def test_concurrent_writes_queue_in_order_without_waiting_in_threads(
    engine: AsyncEngine, threads: list[object]
) -> None:
    began: list[int] = []

    async def write(number: int) -> None:
        async with db.write_transaction(engine) as connection:
            began.append(number)
            await connection.execute(
                tenants.insert(), {"id": f"t{number:02}", "name": f"tenant {number}", "created_at": CREATED}
            )
            await asyncio.sleep(0)  # a write that awaits something (the others run), holding the write lock

    await asyncio.gather(*(write(number) for number in range(20)))

    assert began == list(range(20))  # served in the order they asked
    assert threads == []  # none waited on SQLite's lock in a thread
    async with db.connect(engine) as connection:
        assert len((await connection.execute(select(tenants.c.id))).all()) == 20


async def test_a_writer_in_another_process_is_waited_for_off_the_event_loop(
    engine: AsyncEngine, threads: list[object]
) -> None:
    assert engine.url.database is not None
    other = sqlite3.connect(engine.url.database, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")

    async def write() -> None:
        async with db.write_transaction(engine) as connection:
            await connection.execute(tenants.insert(), {"id": "acme", "name": "acme", "created_at": CREATED})

    writer = asyncio.create_task(write())
    await eventually(lambda: threads, 5)  # waiting for the other process's lock in a thread...
    await stays(lambda: not writer.done(), 0.1)  # ...and goes on waiting, while this loop runs
    other.execute("COMMIT")
    other.close()
    await asyncio.wait_for(writer, timeout=5)
