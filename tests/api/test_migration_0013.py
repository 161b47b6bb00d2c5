"""Migration 0013 gives the customers written before it their verification stage, opening the sealed
ones it must read, and rebuilds the live counts by stage (on SQLite and PostgreSQL)."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import migrate
from kycrail.customers.tables import customer_counts, customers
from kycrail.storage import Storage
from tests.api.stages import one_customer_per_status


async def _stages(engine: AsyncEngine) -> dict[str, str]:
    async with engine.connect() as connection:
        rows = await connection.execute(sa.select(customers.c.id, customers.c.verification_stage))
        return {row.id: row.verification_stage for row in rows}


async def _counts(engine: AsyncEngine) -> set[tuple[object, ...]]:
    async with engine.connect() as connection:
        return {tuple(row) for row in await connection.execute(sa.select(customer_counts))}


async def _columns(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        found = await connection.run_sync(lambda sync: sa.inspect(sync).get_columns("customers"))
    return {column["name"] for column in found}


@pytest.mark.slow
async def test_0013_works_out_each_earlier_customers_stage(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    storage: Storage,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
) -> None:
    made = await one_customer_per_status(client, headers, reviewer_headers)
    written, counted = await _stages(engine), await _counts(engine)
    assert len(set(written.values())) == 6  # every stage is there to be worked out again
    assert set(written) == set(made.values())

    await migrate.downgrade(engine, "0012")
    assert "verification_stage" not in await _columns(engine)
    rings: list[object] = []

    def key_ring() -> object:
        rings.append(storage.vault.ring)
        return storage.vault.ring

    await migrate.upgrade(engine, key_ring=key_ring)  # type: ignore[arg-type]
    assert rings, "the sealed documents of the incomplete customers were opened"
    assert await _stages(engine) == written
    assert await _counts(engine) == counted
