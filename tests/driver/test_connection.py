"""Core statements on the raw driver: what SQLAlchemy's engine did, the driver's connections do too.

Each test runs on SQLite, and on PostgreSQL when KYCRAIL_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, delete, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import db
from kycrail.driver.base import Connection
from kycrail.tenants.tables import tenants

CREATED = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


async def add(engine: AsyncEngine, *names: str) -> None:
    async with db.write_transaction(engine) as connection:
        await connection.execute(
            tenants.insert(), [{"id": name, "name": f"{name} inc", "created_at": CREATED} for name in names]
        )


async def names(engine: AsyncEngine) -> list[str]:
    async with db.connect(engine) as connection:
        rows = await connection.execute(select(tenants.c.id).order_by(tenants.c.id))
        return [row.id for row in rows]


async def test_statements_of_one_shape_each_bring_their_own_literal_values(engine: AsyncEngine) -> None:
    # Built per call with a literal: compiled once, then each call's value must be the one sent.
    await add(engine, "acme", "globex")
    async with db.connect(engine) as connection:
        for name in ("acme", "globex", "acme"):
            row = (await connection.execute(select(tenants).where(tenants.c.id == name))).one()
            assert (row.id, row.name) == (name, f"{name} inc")


async def test_types_come_back_as_sqlalchemy_gives_them(engine: AsyncEngine) -> None:
    await add(engine, "acme")
    async with db.connect(engine) as connection:
        row = (
            await connection.execute(select(tenants).where(tenants.c.id == bindparam("id")), {"id": "acme"})
        ).one()
    assert row.created_at == CREATED
    assert row.created_at.tzinfo is not None  # UtcDateTime's result processor ran
    assert row._mapping == {"id": "acme", "name": "acme inc", "created_at": CREATED}


async def test_in_lists_expand_to_the_values_given(engine: AsyncEngine) -> None:
    await add(engine, "acme", "globex", "initech")
    query = select(tenants.c.id).where(tenants.c.id.in_(bindparam("ids"))).order_by(tenants.c.id)
    async with db.connect(engine) as connection:
        first = await connection.execute(query, {"ids": ["acme", "initech"]})
        second = await connection.execute(query, {"ids": ["globex"]})
    assert [row.id for row in first] == ["acme", "initech"]
    assert second.scalars() == ["globex"]


async def test_rowcount_counts_the_rows_an_update_matched(engine: AsyncEngine) -> None:
    await add(engine, "acme", "globex")
    async with db.write_transaction(engine) as connection:
        renamed = await connection.execute(update(tenants).where(tenants.c.id == "acme").values(name="Acme"))
        none = await connection.execute(delete(tenants).where(tenants.c.id == "nobody"))
        count = (await connection.execute(select(func.count()).select_from(tenants))).scalar_one()
    assert (renamed.rowcount, none.rowcount, count) == (1, 0, 2)


async def test_a_plain_sql_statement_runs_too(engine: AsyncEngine) -> None:
    async with db.connect(engine) as connection:
        assert (await connection.execute(text("SELECT 1 AS one"))).one().one == 1


async def test_a_refused_write_is_sqlalchemys_integrity_error_without_the_values(engine: AsyncEngine) -> None:
    await add(engine, "acme")
    with pytest.raises(IntegrityError) as raised:
        await add(engine, "acme-secret-value", "acme")
    assert "acme-secret-value" not in str(raised.value)  # parameters may be personal data
    assert await names(engine) == ["acme"]  # the whole transaction rolled back


async def test_an_exception_rolls_the_transaction_back(engine: AsyncEngine) -> None:
    async def refused_write() -> None:
        async with db.write_transaction(engine) as connection:
            await connection.execute(
                tenants.insert(), {"id": "acme", "name": "acme inc", "created_at": CREATED}
            )
            raise RuntimeError("a rule refused")

    with pytest.raises(RuntimeError):
        await refused_write()
    assert await names(engine) == []


async def test_a_cancelled_write_leaves_nothing_and_the_next_write_proceeds(engine: AsyncEngine) -> None:
    inserted = asyncio.Event()

    async def write_then_wait() -> None:
        async with db.write_transaction(engine) as connection:
            await connection.execute(
                tenants.insert(), {"id": "acme", "name": "acme inc", "created_at": CREATED}
            )
            inserted.set()
            await asyncio.Event().wait()  # the transaction stays open until the task is cancelled

    task = asyncio.create_task(write_then_wait())
    await inserted.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.wait_for(add(engine, "globex"), timeout=5)
    assert await names(engine) == ["globex"]


async def test_a_savepoint_undoes_only_its_own_statements(engine: AsyncEngine) -> None:
    async def in_savepoint(connection: Connection, *names: str) -> None:
        async with connection.begin_nested():
            for name in names:
                await connection.execute(
                    tenants.insert(), {"id": name, "name": f"{name} inc", "created_at": CREATED}
                )

    async with db.write_transaction(engine) as connection:
        await connection.execute(tenants.insert(), {"id": "acme", "name": "acme inc", "created_at": CREATED})
        with pytest.raises(IntegrityError):
            await in_savepoint(connection, "globex", "acme")
        await connection.execute(
            tenants.insert(), {"id": "initech", "name": "initech inc", "created_at": CREATED}
        )
    assert await names(engine) == ["acme", "initech"]


async def test_the_driver_closes_its_connections_with_the_engine(engine: AsyncEngine) -> None:
    await add(engine, "acme")
    await engine.dispose()
    assert await names(engine) == ["acme"]  # opened again on the next use
