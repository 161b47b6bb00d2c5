"""Migration 0014 seals the delivery log's answers that earlier versions kept in plaintext (a receiver
may echo the payload: personal data), with the data key of the customer each delivery is about, drops
those of a customer shredded since, and leaves no plaintext copy in the database's files (on SQLite
and PostgreSQL).

The log is made at head by the worker delivering to a real receiver, the database taken down to 0013,
and the answers written in plaintext as 0013's worker wrote them (through ``sa.table`` with the old
column, not the current metadata); then upgraded and checked.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import migrate
from kycrail.app import webhook_worker
from kycrail.config import Settings
from kycrail.customers.repository import data_key
from kycrail.storage import Storage
from kycrail.vault.envelope import context
from kycrail.vault.vault import Vault
from kycrail.webhooks.deliveries import response_field
from kycrail.webhooks.tables import webhook_attempts, webhook_deliveries
from tests.api.calls import delivery_log
from tests.api.receiver import receiver
from tests.factories import jane
from tests.test_data_at_rest import autocommit, data_directory, relation_files, scan

pytestmark = pytest.mark.slow  # down to 0013 and up again, the table rewritten

KEPT = ("Marisol", "Quennell", "marisol.quennell@example.com")  # a live customer's
SHREDDED = ("Tobiah", "Ravelstone", "tobiah.ravelstone@example.com")  # erased before the upgrade

old_attempts = sa.table(
    "webhook_attempts",
    sa.column("id", sa.Integer),
    sa.column("tenant_id", sa.String),
    sa.column("delivery_id", sa.Integer),
    sa.column("response_excerpt", sa.Text),
)


def _person(first: str, last: str, email: str, phone: str) -> dict[str, Any]:
    return jane(
        email=email,
        phone=phone,
        personalInformation={**jane()["personalInformation"], "firstName": first, "lastName": last},
    )


def _echo_of(values: tuple[str, ...]) -> str:
    """What an echoing receiver's answer held of the customer, as 0013 kept it."""
    return '{"data": {"firstName": "%s", "lastName": "%s", "email": "%s"}}' % values  # noqa: UP031


async def _attempts(engine: AsyncEngine, table: Any) -> list[Any]:
    async with engine.connect() as connection:
        return list(await connection.execute(sa.select(table).order_by(table.c.id)))


async def _columns(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        found = await connection.run_sync(lambda sync: sa.inspect(sync).get_columns("webhook_attempts"))
    return {column["name"] for column in found}


async def _on_disk(engine: AsyncEngine, settings: Settings) -> set[str]:
    """The canaries the database's files hold now (SQLite: the file, its WAL folded in; PostgreSQL:
    the delivery log's table, TOAST and index files, after a checkpoint)."""
    needles = {value: [value.encode()] for value in KEPT + SHREDDED}
    if settings.sqlite_path is not None:
        connection = sqlite3.connect(settings.sqlite_path, isolation_level=None)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
        wal = Path(f"{settings.sqlite_path}-wal")
        return {label for label, _ in scan([settings.sqlite_path, wal], needles)}
    async with autocommit(engine) as connection:
        await connection.exec_driver_sql("CHECKPOINT")
        files = await relation_files(connection, await data_directory(connection))
    toast = await _toast_of(engine) or "webhook_attempts"
    paths = [
        path
        for name, paths in files.items()
        if "webhook_attempts" in name or name.startswith(toast)  # the TOAST table and its index
        for path in paths
    ]
    return {label for label, _ in scan(paths, needles)}


async def _toast_of(engine: AsyncEngine) -> str | None:
    async with engine.connect() as connection:
        query = "SELECT t.relname FROM pg_class c JOIN pg_class t ON t.oid = c.reltoastrelid"
        found = await connection.exec_driver_sql(f"{query} WHERE c.relname = 'webhook_attempts'")
        return found.scalar()


async def test_0014_seals_the_answers_0013_kept_and_drops_a_shredded_customers(
    client: httpx.AsyncClient,
    engine: AsyncEngine,
    storage: Storage,
    settings: Settings,
    headers: dict[str, str],
    admin_headers: dict[str, str],
) -> None:
    with receiver(echo=True) as echo:
        logs = []
        for path, body in (("/v2/webhook", {"name": "echo"}), ("/v1/webhooks", {})):
            made = await client.post(path, json=body | {"url": echo.url, "events": ["*"]}, headers=headers)
            assert made.status_code == 201, made.text
            logs.append(f"{path}/{made.json()['id']}/deliveries")
        ids = {}
        for values, phone in ((KEPT, "+14155550131"), (SHREDDED, "+14155550132")):
            created = await client.post("/v2/customer", json=_person(*values, phone), headers=headers)
            assert created.status_code == 201, created.text
            ids[values] = created.json()["id"]
        worker = webhook_worker(storage, settings)
        try:
            await worker.dispatch_once()
            assert await worker.deliver_once() == 4  # each customer's create, in each dialect
        finally:
            await worker.aclose()
    erased = await client.post(f"/ops/customers/{ids[SHREDDED]}/erase", headers=admin_headers)
    assert erased.status_code == 204, erased.text

    await migrate.downgrade(engine, "0013")
    assert "response_sealed" not in await _columns(engine)
    # 0013's worker kept each answer as it came; one attempt had none.
    async with engine.connect() as connection:
        customer_of = dict(
            (
                await connection.execute(sa.select(webhook_deliveries.c.id, webhook_deliveries.c.customer_id))
            ).all()
        )
    attempts = await _attempts(engine, old_attempts)
    assert len(attempts) == 4
    written: dict[int, str] = {}
    async with engine.begin() as connection:
        for n, attempt in enumerate(attempts):
            values = KEPT if customer_of[attempt.delivery_id] == ids[KEPT] else SHREDDED
            written[attempt.id] = _echo_of(values) if n else ""
            await connection.execute(
                old_attempts.update()
                .where(old_attempts.c.id == attempt.id)
                .values(response_excerpt=written[attempt.id])
            )
    assert {ids[KEPT], ids[SHREDDED]} <= {customer_of[a.delivery_id] for a in attempts if written[a.id]}
    assert await _on_disk(engine, settings) == set(KEPT + SHREDDED)  # the scan below can fail

    rings: list[object] = []

    def key_ring() -> object:
        rings.append(storage.vault.ring)
        return storage.vault.ring

    await migrate.upgrade(engine, key_ring=key_ring)  # type: ignore[arg-type]
    assert await migrate.is_at_head(engine)
    assert rings, "the live customer's answers were sealed with its key"
    assert "response_excerpt" not in await _columns(engine)
    fresh = Vault(storage.vault.ring)  # no key remembered from the app's reads
    async with engine.connect() as connection:
        key = await data_key(connection, fresh, attempts[0].tenant_id, ids[KEPT])
    expected: dict[int, str] = {}  # what each attempt's answer reads as now
    for attempt in await _attempts(engine, webhook_attempts):
        customer_id = customer_of[attempt.delivery_id]
        expected[attempt.id] = written[attempt.id] if customer_id == ids[KEPT] else ""
        if expected[attempt.id]:
            where = context(customer_id, response_field(attempt.delivery_id, attempt.attempted_at))
            assert key.open(bytes(attempt.response_sealed), where).decode() == expected[attempt.id]
        else:  # no answer, or its customer is shredded: nothing kept
            assert attempt.response_sealed is None
    assert set(expected.values()) == {"", _echo_of(KEPT)}
    assert await _on_disk(engine, settings) == set()

    # The app reads what the migration sealed: the live customer's answers, and nothing of the other's.
    shown = []
    for path in logs:
        answer = await client.get(path, headers=headers)
        assert answer.status_code == 200, answer.text
        shown += [a["responseBody"] for d in delivery_log(path, answer.json()) for a in d["attempts"]]
    assert sorted(shown) == sorted(expected.values())
