"""The live counts behind a list's total stay equal to the rows, through every kind of write."""

from __future__ import annotations

from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.customers import repository
from kycrail.customers.tables import customer_counts, customers
from kycrail.db import write_transaction
from tests.api import documents
from tests.api.calls import upload
from tests.factories import jane

BUCKET = ("tenant_id", "type", "verification_status", "verification_stage")


async def _counted(engine: AsyncEngine) -> dict[tuple[str, ...], int]:
    async with engine.connect() as connection:
        rows = await connection.execute(select(customer_counts).where(customer_counts.c.live != 0))
        return {tuple(getattr(row, name) for name in BUCKET): row.live for row in rows}


async def _actual(engine: AsyncEngine) -> dict[tuple[str, ...], int]:
    columns = [customers.c[name] for name in BUCKET]
    query = select(*columns, func.count()).where(customers.c.deleted_at.is_(None)).group_by(*columns)
    async with engine.connect() as connection:
        return {tuple(row[:-1]): row[-1] for row in await connection.execute(query)}


async def test_counts_follow_creates_status_changes_and_deletes(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    headers: dict[str, str],
    other_headers: dict[str, str],
    reviewer_headers: dict[str, str],
) -> None:
    made: list[dict[str, Any]] = []
    for index in range(4):
        body = jane(email=f"u{index}@example.com", phone=f"+1312555{index:04d}")
        made.append((await client.post("/v2/customer", json=body, headers=headers)).json())
    await client.post("/v1/customers", json={"type": "business", "legalName": "Acme"}, headers=headers)
    await client.post("/v1/customers", json={}, headers=other_headers)
    # One goes to pending (documents), then approved; another is deleted.
    await upload(client, headers, made[0]["id"], "passport")
    await upload(client, headers, made[0]["id"], "liveness_report", documents.pdf())
    await client.post(
        f"/ops/customers/{made[0]['id']}/review", json={"decision": "approved"}, headers=reviewer_headers
    )
    await client.delete(f"/v1/customers/{made[1]['id']}", headers=headers)

    assert await _counted(engine) == await _actual(engine)
    listed = (await client.get("/v2/customer", headers=headers)).json()["pagination"]["total"]
    approved = (await client.get("/v2/customer?status=approved", headers=headers)).json()["pagination"][
        "total"
    ]
    businesses = (await client.get("/v1/customers?type=business", headers=headers)).json()["total"]
    assert (listed, approved, businesses) == (4, 1, 1)
    by_status = {
        status: (await client.get(f"/v1/customers?status={status}", headers=headers)).json()["total"]
        for status in ("not_started", "incomplete", "approved")
    }
    assert by_status == {"not_started": 1, "incomplete": 2, "approved": 1}
    assert (await client.get("/v1/customers", headers=other_headers)).json()["total"] == 1


async def test_a_bulk_load_is_recounted(
    client: httpx.AsyncClient, engine: AsyncEngine, headers: dict[str, str]
) -> None:
    await client.post("/v2/customer", json=jane(), headers=headers)
    async with write_transaction(engine) as connection:
        # As a bulk load would: rows changed behind the API's back.
        await connection.execute(update(customers).values(verification_status="pending"))
    assert await _counted(engine) != await _actual(engine)
    async with write_transaction(engine) as connection:
        await repository.recount_any_tenant(connection)
    assert await _counted(engine) == await _actual(engine)
