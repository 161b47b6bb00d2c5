"""Test data: customers through the API (get, patch), and in bulk straight into the database (list, and
the console's queue).

Bulk rows are built by kycrail's own code: a template customer from ``lifecycle.start`` (for the queue,
then given its two documents with ``lifecycle.apply``, which submits it: pending), copied with
``dataclasses.replace`` (another id, email, phone and creation time), then sealed row by row by
``repository._to_row`` under a data key of its own from the ``Vault``, whose wrapped form goes to
``data_keys``. The key file must be the one the server is given (``KYCRAIL_KEY_FILE``).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sqlite3
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from multiprocessing.pool import AsyncResult
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from sqlalchemy import Table
from sqlalchemy.dialects import sqlite

from kycrail.config import to_async_database_url
from kycrail.customers import domain, lifecycle, repository
from kycrail.customers.model import (
    Address,
    Customer,
    CustomerType,
    DocumentStatus,
    DocumentSummary,
    DocumentType,
    Identity,
    TaxIdentification,
)
from kycrail.customers.tables import customers
from kycrail.customers.verification import ProfileStatus, verification_profile
from kycrail.db import create_engine, write_transaction
from kycrail.vault.keyring import ring_from_file
from kycrail.vault.tables import data_keys
from kycrail.vault.vault import Vault

PG_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
_PAGE = 50  # the list scenarios' page size
Chunk = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]  # (customers rows, data_keys rows)


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


def listing_problems(base_url: str, key: str, size: int) -> list[str]:
    """What is wrong with the bulk tenant's lists once ``size`` rows are seeded (nothing: []).

    ``total`` of a v2 and a v1 page, and the emails on the newest and the oldest v2 pages: every
    customer listed is opened through the API with its own data key, so a row that does not decrypt
    fails here rather than as a fast error answer under load."""
    headers = {"Authorization": f"Bearer {key}"}
    last_page = -(-size // _PAGE)
    with httpx.Client(base_url=base_url, headers=headers, timeout=120) as client:
        newest = client.get("/v2/customer", params={"page": 1, "limit": _PAGE})
        oldest = client.get("/v2/customer", params={"page": last_page, "limit": _PAGE})
        v1 = client.get("/v1/customers", params={"limit": _PAGE})
    for response in (newest, oldest, v1):
        if response.status_code != 200:
            return [f"GET {response.url}: HTTP {response.status_code} {response.text[:300]}"]
    problems = []
    totals = int(newest.json()["pagination"]["total"]), int(v1.json()["total"])
    if totals != (size, size):
        problems.append(f"total {totals} (v2, v1), seeded {size}")
    for page, response in ((1, newest), (last_page, oldest)):
        first = size - 1 - (page - 1) * _PAGE  # newest first: the page's first row index
        expected = [bulk_email(index) for index in range(first, max(-1, first - _PAGE), -1)]
        emails = [customer["email"] for customer in response.json()["customers"]]
        if emails != expected:
            problems.append(f"page {page}: emails {emails[:2]}..., expected {expected[:2]}...")
    return problems


# --- in bulk ---------------------------------------------------------------------------------------
#
# Every bulk row is a real sealed row: its own data key (wrapped by the key file's KEK, and stored in
# data_keys), its personal document sealed by kycrail's own ``repository._to_row`` with the row's id as
# associated data, and blind indexes of its own email and phone. That is ~60 us of Python per row on a
# quiet core (the document's JSON, the verification profile, a key made and wrapped; about twice that
# on a busy machine), one to two minutes for 1M rows on one core, on top of the writes: worker
# processes build the rows in chunks while this process writes the previous ones.

_CHUNK = 5_000  # rows a worker builds per task (~0.6 s): small enough to keep every worker busy
_IN_FLIGHT_PER_WORKER = 2  # chunks submitted ahead of the writer: bounds the memory they hold


def bulk_email(index: int) -> str:
    return f"list.{index}@example.com"


def bulk_customer_id(tenant_id: str, index: int) -> str:
    """Row ``index``'s id: unique per tenant and run (the tenant's id salts it)."""
    return f"customer_{tenant_id.removeprefix('tenant_')[:8]}{index:024x}"


def _template_customer(tenant_id: str, *, pending: bool = False) -> Customer:
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
    now = datetime.now(UTC)
    customer = lifecycle.start("customer_" + "0" * 32, tenant_id, new, lifecycle.Party.client, now).customer
    if pending:
        customer = _with_documents(customer, now)
    return customer


def _with_documents(customer: Customer, now: datetime) -> Customer:
    """The template with a passport and a liveness report on file, as two uploads leave it: everything
    supplied, so the lifecycle submits it (``submitted_at``) and its profile is pending (in review)."""
    for document_type in (DocumentType.passport, DocumentType.liveness_report):
        document_id = f"document_{document_type.value}"  # each row gets its own (``_RowBuilder``)
        document = DocumentSummary(document_id, document_type, DocumentStatus.pending, now)
        added = lifecycle.DocumentAdded(document)
        customer = lifecycle.apply(customer, added, lifecycle.Party.client, now).customer
    if verification_profile(customer).status is not ProfileStatus.pending or customer.submitted_at is None:
        raise RuntimeError("the queue's template customer is not pending: the lifecycle changed")
    return customer


def _encoder(table: Table, dialect_name: str) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A row as a tuple in column order, each value as the driver takes it. SQLite: through
    SQLAlchemy's bind processors, as kycrail writes it (timestamps as text). PostgreSQL: as is
    (asyncpg's COPY encodes bytes and aware datetimes itself)."""
    names = [column.name for column in table.columns]
    if dialect_name == "postgresql":
        return lambda row: tuple(row[name] for name in names)
    dialect = sqlite.dialect()
    processors = [column.type.dialect_impl(dialect).bind_processor(dialect) for column in table.columns]
    pairs = list(zip(names, processors, strict=True))

    def encode(row: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(
            process(row[name]) if process and row[name] is not None else row[name] for name, process in pairs
        )

    return encode


@dataclass(frozen=True)
class BulkPlan:
    """What each worker needs to build rows: picklable, sent once to each worker."""

    key_file: Path
    template: Customer
    dialect_name: str  # "sqlite" or "postgresql"
    epoch: datetime  # row i is created at epoch + 10 i seconds: newest last


class _RowBuilder:
    """Builds sealed rows in one process, with kycrail's own code (``Vault``, ``repository._to_row``)."""

    def __init__(self, plan: BulkPlan) -> None:
        # The seeder never reads a key back: no point in the vault remembering 1M opened keys.
        self.vault = Vault(ring_from_file(plan.key_file), cache_size=1)
        self.plan = plan
        self.salt = plan.template.tenant_id.removeprefix("tenant_")[:8]  # document ids
        self.customer_row = _encoder(customers, plan.dialect_name)
        self.key_row = _encoder(data_keys, plan.dialect_name)
        # vault.new_data_key is a coroutine; with a local KEK it never waits, so one loop runs them all.
        self.loop = asyncio.new_event_loop()

    def customer(self, index: int) -> Customer:
        """Row ``index``: ids unique per tenant and run, email and phone unique per tenant; a submitted
        template's rows are submitted a minute after they are created (the queue's order: oldest first)."""
        created = self.plan.epoch + timedelta(seconds=index * 10)
        customer = replace(
            self.plan.template,
            id=bulk_customer_id(self.plan.template.tenant_id, index),
            email=bulk_email(index),
            phone=f"+1{2_000_000_000 + index}",
            created_at=created,
            updated_at=created,
        )
        if customer.submitted_at is None:
            return customer
        documents = tuple(
            replace(document, id=f"document_{self.salt}{index:022x}{n:02x}", created_at=created)
            for n, document in enumerate(customer.documents)
        )
        return replace(customer, documents=documents, submitted_at=created + timedelta(minutes=1))

    async def _chunk(self, start: int, count: int) -> Chunk:
        customer_rows, key_rows = [], []
        for index in range(start, start + count):
            customer = self.customer(index)
            key, wrapped = await self.vault.new_data_key(customer.tenant_id, customer.id)
            customer_rows.append(self.customer_row(repository._to_row(self.vault, key, customer)))
            key_rows.append(
                self.key_row(
                    {
                        "customer_id": customer.id,
                        "tenant_id": customer.tenant_id,
                        "kek_id": wrapped.kek_id,
                        "wrapped_key": wrapped.wrapped,
                        "created_at": customer.created_at,
                    }
                )
            )
        return customer_rows, key_rows

    def chunk(self, start: int, count: int) -> Chunk:
        return self.loop.run_until_complete(self._chunk(start, count))


_builder: _RowBuilder | None = None  # one per worker process


def _start_worker(plan: BulkPlan) -> None:
    global _builder  # the worker's state, set once by the pool's initializer
    _builder = _RowBuilder(plan)


def _build_chunk(bounds: tuple[int, int]) -> Chunk:
    assert _builder is not None
    return _builder.chunk(*bounds)


def sealed_chunks(plan: BulkPlan, start: int, count: int) -> Iterator[Chunk]:
    """(customers rows, data_keys rows) for rows ``start`` .. ``start + count - 1``, in order, built by
    one worker process per CPU a few chunks ahead of the caller."""
    bounds = [(first, min(_CHUNK, start + count - first)) for first in range(start, start + count, _CHUNK)]
    workers = min(os.cpu_count() or 1, len(bounds)) or 1
    # spawn, not fork: the caller may be inside an event loop, with connections open.
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_start_worker, initargs=(plan,)) as pool:
        pending: deque[AsyncResult[Chunk]] = deque()
        for item in bounds:
            pending.append(pool.apply_async(_build_chunk, (item,)))
            if len(pending) >= workers * _IN_FLIGHT_PER_WORKER:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def bulk_plan(key_file: Path, tenant_id: str, dialect_name: str, *, pending: bool = False) -> BulkPlan:
    return BulkPlan(
        key_file=key_file,
        template=_template_customer(tenant_id, pending=pending),
        dialect_name=dialect_name,
        epoch=datetime.now(UTC) - timedelta(days=400),
    )


def sqlite_tenant_id(path: Path, name: str) -> str:
    with sqlite3.connect(path) as connection:
        row = connection.execute("SELECT id FROM tenants WHERE name = ?", (name,)).fetchone()
    return str(row[0])


def _insert_statement(table: Table) -> str:
    names = [column.name for column in table.columns]
    return f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"  # noqa: S608


def sqlite_bulk_insert(
    path: Path, key_file: Path, tenant_id: str, start: int, count: int, *, pending: bool = False
) -> None:
    """executemany chunk by chunk (a customer, then its data key), all in one transaction.
    ``pending``: every row submitted and awaiting review (the console's queue)."""
    plan = bulk_plan(key_file, tenant_id, "sqlite", pending=pending)
    connection = sqlite3.connect(path, isolation_level=None, timeout=60)
    try:
        connection.execute("BEGIN IMMEDIATE")
        for customer_rows, key_rows in sealed_chunks(plan, start, count):
            connection.executemany(_insert_statement(customers), customer_rows)
            connection.executemany(_insert_statement(data_keys), key_rows)
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


def postgres_bulk_insert(
    dsn: str, key_file: Path, tenant_id: str, start: int, count: int, *, pending: bool = False
) -> None:
    """COPY (asyncpg copy_records_to_table) chunk by chunk, customers then their data keys, in one
    transaction; then VACUUM ANALYZE as autovacuum would do in time. ``pending``: as for SQLite."""
    plan = bulk_plan(key_file, tenant_id, "postgresql", pending=pending)
    customer_columns = [column.name for column in customers.columns]
    key_columns = [column.name for column in data_keys.columns]

    async def copy() -> None:
        connection = await asyncpg.connect(dsn)
        try:
            async with connection.transaction():
                # Waiting for the next chunk blocks this loop: it has nothing else to do meanwhile.
                for customer_rows, key_rows in sealed_chunks(plan, start, count):
                    await connection.copy_records_to_table(
                        "customers", records=customer_rows, columns=customer_columns
                    )
                    await connection.copy_records_to_table("data_keys", records=key_rows, columns=key_columns)
            await connection.execute("VACUUM ANALYZE customers, data_keys")
        finally:
            await connection.close()

    asyncio.run(copy())
    recount(dsn)
