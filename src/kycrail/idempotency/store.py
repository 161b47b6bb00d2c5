"""Claim, complete, release and replay idempotency keys in the database.

The database is the only coordinator, so this holds across any number of API processes: the primary
key (tenant, key) lets exactly one request claim a key; the others see it running or completed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.db import write_transaction
from kycrail.driver.base import Connection
from kycrail.idempotency.tables import idempotency_keys

# Keys are honoured for at least this long after their first use.
RETENTION = timedelta(hours=24)
# A claim not completed within this long belongs to a request that died (its process was killed):
# a retry may take it over.
ABANDONED_AFTER = timedelta(seconds=60)


class Claim(Enum):
    claimed = "claimed"  # this request runs; complete() or release() follows
    running = "running"  # another request with this key has not finished
    mismatch = "mismatch"  # the key was used with another request


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status_code: int
    headers: dict[str, str]
    body: bytes  # sealed under the customer's data key when ``customer_id`` is set
    customer_id: str | None = None


async def claim(
    engine: AsyncEngine, tenant_id: str, key: str, fingerprints: tuple[str, ...], now: datetime
) -> Claim | StoredResponse:
    """Claim the key for this request, or say why not (or hand back the response to replay).
    ``fingerprints``: the request's, first the one to store; any of them matches a stored one."""
    try:
        async with write_transaction(engine) as connection:
            row = (
                await connection.execute(
                    select(idempotency_keys)
                    .where(idempotency_keys.c.tenant_id == tenant_id, idempotency_keys.c.key == key)
                    .with_for_update()
                )
            ).first()
            if row is not None and row.created_at < now - RETENTION:
                # Past retention: forget it. Only that row: a claim another request committed since
                # our read must survive (its insert then makes ours fail, below).
                await connection.execute(
                    delete(idempotency_keys).where(
                        idempotency_keys.c.tenant_id == tenant_id,
                        idempotency_keys.c.key == key,
                        idempotency_keys.c.created_at < now - RETENTION,
                    )
                )
                row = None
            if row is None:
                await connection.execute(
                    idempotency_keys.insert().values(
                        tenant_id=tenant_id,
                        key=key,
                        fingerprint=fingerprints[0],
                        state="running",
                        created_at=now,
                        updated_at=now,
                    )
                )
                return Claim.claimed
            if row.fingerprint not in fingerprints:
                return Claim.mismatch
            if row.state == "completed":
                return StoredResponse(
                    row.status_code, dict(row.response_headers), bytes(row.response_body), row.customer_id
                )
            if row.updated_at < now - ABANDONED_AFTER:
                await connection.execute(
                    update(idempotency_keys)
                    .where(idempotency_keys.c.tenant_id == tenant_id, idempotency_keys.c.key == key)
                    .values(updated_at=now)
                )
                return Claim.claimed
            return Claim.running
    except IntegrityError:
        # Another process inserted the same key between our read and our insert.
        return Claim.running


async def complete(
    engine: AsyncEngine, tenant_id: str, key: str, response: StoredResponse, now: datetime
) -> None:
    """Keep an answer that no write of ours produced (a refusal), in a transaction of its own."""
    async with write_transaction(engine) as connection:
        await complete_within(connection, tenant_id, key, response, now)


async def complete_within(
    connection: Connection, tenant_id: str, key: str, response: StoredResponse, now: datetime
) -> None:
    """Keep the answer in the caller's transaction: a write and the answer a retry replays commit
    together, so no crash can fall between them."""
    await connection.execute(
        update(idempotency_keys)
        .where(idempotency_keys.c.tenant_id == tenant_id, idempotency_keys.c.key == key)
        .values(
            state="completed",
            status_code=response.status_code,
            response_headers=response.headers,
            response_body=response.body,
            customer_id=response.customer_id,
            updated_at=now,
        )
    )


async def release(engine: AsyncEngine, tenant_id: str, key: str) -> None:
    """Forget a claim whose request failed on the server's side, so that a retry runs again."""
    async with write_transaction(engine) as connection:
        await connection.execute(
            delete(idempotency_keys).where(
                idempotency_keys.c.tenant_id == tenant_id,
                idempotency_keys.c.key == key,
                idempotency_keys.c.state == "running",
            )
        )


async def prune_any_tenant(engine: AsyncEngine, now: datetime) -> int:
    """Delete every tenant's keys past their retention (maintenance); returns how many."""
    async with write_transaction(engine) as connection:
        result = await connection.execute(
            delete(idempotency_keys).where(idempotency_keys.c.created_at < now - RETENTION)
        )
    return result.rowcount
