"""Test data: customers through the API (get, patch), and in bulk straight into the database (list).

Bulk rows are built by kycrail's own code (``lifecycle.start`` then ``repository._to_row``) once, then
copied with a different id, email, phone and creation time for each row.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import JSON
from sqlalchemy.dialects import sqlite

from kycrail.config import to_async_database_url
from kycrail.customers import domain, lifecycle, repository
from kycrail.customers.model import Address, CustomerType, Identity, TaxIdentification
from kycrail.customers.tables import customers
from kycrail.db import create_engine, write_transaction

PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
_BATCH = 20_000


# --- through the API -------------------------------------------------------------------------------


def individual_body(index: int) -> dict[str, Any]:
    """A create body like the README's, with a unique (valid) email and phone per index < 10,000
    (not the 415 numbers of the SumSub emulator's donors)."""
    return {
        "email": f"bench.{index}@example.com",
        "phone": f"+1312555{index:04d}",
        "address": {
            "line1": "233 South Wacker Drive",
            "city": "Chicago",
            "state": "IL",
            "postalCode": "60606",
            "country": "USA",
        },
        "personalInformation": {
            "firstName": "Jane",
            "lastName": "Smith",
            "dateOfBirth": "1990-05-17",
            "taxIdentificationNumber": "123-45-6789",
            "taxIdentificationNumberType": "ssn",
            "taxIdentificationNumberCountry": "USA",
        },
        "meta": {"internalUserId": f"usr_{index}"},
    }


async def _create_via_api(base_url: str, key: str, count: int, concurrency: int = 16) -> list[str]:
    headers = {"Authorization": f"Bearer {key}"}
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=base_url, headers=headers, timeout=30) as client:

        async def create(index: int) -> str:
            async with gate:
                response = await client.post("/v2/customer", json=individual_body(index))
            if response.status_code != 201:
                raise RuntimeError(f"seeding customer {index}: HTTP {response.status_code} {response.text}")
            return str(response.json()["id"])

        return list(await asyncio.gather(*(create(index) for index in range(count))))


def create_via_api(base_url: str, key: str, count: int) -> list[str]:
    return asyncio.run(_create_via_api(base_url, key, count))


def capture_fixture(base_url: str, key: str, customer_id: str, patch_body: bytes) -> dict[str, Any]:
    """Real kycrail answers the baseline will serve from memory (the PATCH one after the seed's body)."""
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
        got = client.get(f"/v2/customer/{customer_id}")
        patched = client.patch(
            f"/v2/customer/{customer_id}", content=patch_body, headers={"Content-Type": "application/json"}
        )
        list_v2 = client.get("/v2/customer", params={"page": 1, "limit": 50})
        list_v1 = client.get("/v1/customers", params={"limit": 50})
    for response in (got, patched, list_v2, list_v1):
        response.raise_for_status()
    return {
        "customer": got.json(),
        "etag": got.headers["etag"],
        "patched": patched.json(),
        "list_v2": list_v2.json(),
        "list_v1": list_v1.json(),
    }


def listed_totals(base_url: str, key: str) -> tuple[int, int]:
    """``total`` of a v2 and of a v1 list page."""
    headers = {"Authorization": f"Bearer {key}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=120) as client:
        v2 = client.get("/v2/customer", params={"page": 1, "limit": 50})
        v1 = client.get("/v1/customers", params={"limit": 50})
    v2.raise_for_status()
    v1.raise_for_status()
    return int(v2.json()["pagination"]["total"]), int(v1.json()["total"])


# --- in bulk ---------------------------------------------------------------------------------------


def _template_row(tenant_id: str) -> dict[str, Any]:
    new = domain.NewCustomer(
        type=CustomerType.individual,
        email="template@example.com",
        phone="+14155550123",
        address=Address(
            line1="233 South Wacker Drive", city="Chicago", state="IL", postal_code="60606", country="USA"
        ),
        identity=Identity(
            first_name="Jane",
            last_name="Smith",
            date_of_birth=datetime(1990, 5, 17, tzinfo=UTC).date(),
            tax=TaxIdentification(number="123-45-6789", type="ssn", country="USA"),
        ),
        meta={"internalUserId": "usr_template"},
    )
    started = lifecycle.start(
        "customer_" + "0" * 32, tenant_id, new, lifecycle.Party.client, datetime.now(UTC)
    )
    customer = started.customer
    return repository._to_row(customer)


def _sqlite_encoded(row: dict[str, Any]) -> dict[str, Any]:
    """The row as SQLAlchemy hands it to sqlite3 (JSON as text, timestamps as text)."""
    dialect = sqlite.dialect()
    encoded = {}
    for column in customers.columns:
        processor = column.type.dialect_impl(dialect).bind_processor(dialect)
        value = row[column.name]
        encoded[column.name] = processor(value) if processor and value is not None else value
    return encoded


def _postgres_encoded(row: dict[str, Any]) -> dict[str, Any]:
    """The row as asyncpg's COPY takes it: jsonb as text, timestamptz as aware datetimes."""
    json_columns = {column.name for column in customers.columns if isinstance(column.type, JSON)}
    return {
        name: json.dumps(value) if name in json_columns and value is not None else value
        for name, value in row.items()
    }


def _rows(
    template: dict[str, Any], start: int, count: int, stamp: Callable[[datetime], Any]
) -> Iterator[tuple[Any, ...]]:
    """Rows ``start`` .. ``start + count - 1`` (newest last), in column order; ids unique per tenant
    and run."""
    names = [column.name for column in customers.columns]
    salt = template["tenant_id"].removeprefix("tenant_")[:8]
    epoch = datetime.now(UTC) - timedelta(days=400)
    for index in range(start, start + count):
        created = stamp(epoch + timedelta(seconds=index * 10))
        varying = {
            "id": f"customer_{salt}{index:024x}",
            "email": f"list.{index}@example.com",
            "phone": f"+1{2_000_000_000 + index}",
            "created_at": created,
            "updated_at": created,
        }
        yield tuple(varying.get(name, template[name]) for name in names)


def sqlite_tenant_id(path: Path, name: str) -> str:
    with sqlite3.connect(path) as connection:
        row = connection.execute("SELECT id FROM tenants WHERE name = ?", (name,)).fetchone()
    return str(row[0])


def sqlite_bulk_insert(path: Path, tenant_id: str, start: int, count: int) -> None:
    """executemany in batches, all in one transaction."""
    names = [column.name for column in customers.columns]
    statement = f"INSERT INTO customers ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"  # noqa: S608
    connection = sqlite3.connect(path, isolation_level=None, timeout=60)
    try:
        connection.execute("BEGIN IMMEDIATE")
        template = _sqlite_encoded(_template_row(tenant_id))
        dialect = sqlite.dialect()
        stamp = customers.c.created_at.type.dialect_impl(dialect).bind_processor(dialect)
        assert stamp is not None
        rows = _rows(template, start, count, stamp)
        while batch := [row for _, row in zip(range(_BATCH), rows, strict=False)]:
            connection.executemany(statement, batch)
        connection.execute("COMMIT")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    recount(f"sqlite:///{path}")


def recount(database_url: str) -> None:
    """The bulk load bypassed the API: rebuild the live counts behind the lists' total, as kycrail does."""

    async def run() -> None:
        engine = create_engine(to_async_database_url(database_url))
        try:
            async with write_transaction(engine) as connection:
                await repository.recount_any_tenant(connection)
        finally:
            await engine.dispose()

    asyncio.run(run())


# --- PostgreSQL ------------------------------------------------------------------------------------


def postgres_reachable() -> str | None:
    """None when PostgreSQL answers; otherwise why not."""

    async def probe() -> None:
        connection = await asyncpg.connect(PG_ADMIN_DSN, timeout=3)
        await connection.close()

    try:
        asyncio.run(probe())
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


async def _admin(statement: str) -> None:
    connection = await asyncpg.connect(PG_ADMIN_DSN, timeout=5)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def create_database(name: str) -> str:
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    return f"postgresql://postgres@127.0.0.1:5432/{name}"


def drop_database(name: str) -> None:
    asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def postgres_tenant_id(dsn: str, name: str) -> str:
    async def fetch() -> str:
        connection = await asyncpg.connect(dsn)
        try:
            return str(await connection.fetchval("SELECT id FROM tenants WHERE name = $1", name))
        finally:
            await connection.close()

    return asyncio.run(fetch())


def postgres_bulk_insert(dsn: str, tenant_id: str, start: int, count: int) -> None:
    """COPY (asyncpg copy_records_to_table), then VACUUM ANALYZE as autovacuum would do in time."""

    async def copy() -> None:
        connection = await asyncpg.connect(dsn)
        try:
            template = _postgres_encoded(_template_row(tenant_id))
            rows = _rows(template, start, count, lambda moment: moment)
            names = [column.name for column in customers.columns]
            await connection.copy_records_to_table("customers", records=rows, columns=names)
            await connection.execute("VACUUM ANALYZE customers")
        finally:
            await connection.close()

    asyncio.run(copy())
    recount(dsn)
