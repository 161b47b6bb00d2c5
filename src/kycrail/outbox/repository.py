"""Every query on the outbox. Each names the tenant."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection

from kycrail.outbox.tables import outbox_events


@dataclass(frozen=True, slots=True)
class OutboxEvent:
    id: int  # the database's order; 0 before it is stored
    event_id: str
    tenant_id: str
    customer_id: str
    kind: str
    customer_type: str
    status_before: str | None
    status_after: str
    occurred_at: datetime
    snapshot: bytes | None  # sealed; see tables.py


def new_event_id() -> str:
    return "evt_" + uuid.uuid4().hex


def snapshot_field(event_id: str) -> str:
    """The associated data's field name of an event's sealed snapshot."""
    return f"outbox_events.{event_id}.snapshot"


_INSERT = outbox_events.insert()
_GET = select(outbox_events).where(
    outbox_events.c.tenant_id == bindparam("tenant_id"), outbox_events.c.event_id == bindparam("event_id")
)


async def append(connection: AsyncConnection, event: OutboxEvent) -> None:
    """In the write's transaction."""
    values = {name: getattr(event, name) for name in OutboxEvent.__slots__ if name != "id"}
    await connection.execute(_INSERT, values)


def _event(row: object) -> OutboxEvent:
    mapping = row._mapping  # type: ignore[attr-defined]
    fields = {name: mapping[name] for name in OutboxEvent.__slots__}  # not the worker's dispatched_at
    return OutboxEvent(**{**fields, "snapshot": bytes(mapping["snapshot"]) if mapping["snapshot"] else None})


async def get(connection: AsyncConnection, tenant_id: str, event_id: str) -> OutboxEvent | None:
    row = (await connection.execute(_GET, {"tenant_id": tenant_id, "event_id": event_id})).first()
    return _event(row) if row else None


async def of_customer(connection: AsyncConnection, tenant_id: str, customer_id: str) -> list[OutboxEvent]:
    """A customer's events, in the order they were committed."""
    rows = await connection.execute(
        select(outbox_events)
        .where(outbox_events.c.tenant_id == tenant_id, outbox_events.c.customer_id == customer_id)
        .order_by(outbox_events.c.id)
    )
    return [_event(row) for row in rows]


async def before(
    connection: AsyncConnection, tenant_id: str, customer_id: str, event_id: int
) -> OutboxEvent | None:
    """The customer's event committed just before the one with database id ``event_id``."""
    row = (
        await connection.execute(
            select(outbox_events)
            .where(
                outbox_events.c.tenant_id == tenant_id,
                outbox_events.c.customer_id == customer_id,
                outbox_events.c.id < event_id,
            )
            .order_by(outbox_events.c.id.desc())
            .limit(1)
        )
    ).first()
    return _event(row) if row else None
