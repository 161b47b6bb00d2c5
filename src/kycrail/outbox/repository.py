"""Every query on the outbox. Each names the tenant."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select, tuple_

from kycrail.driver.base import Connection
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


async def append(connection: Connection, event: OutboxEvent) -> None:
    """In the write's transaction."""
    values = {name: getattr(event, name) for name in OutboxEvent.__slots__ if name != "id"}
    await connection.execute(_INSERT, values)


def _event(row: object) -> OutboxEvent:
    mapping = row._mapping  # type: ignore[attr-defined]
    fields = {name: mapping[name] for name in OutboxEvent.__slots__}  # not the worker's dispatched_at
    return OutboxEvent(**{**fields, "snapshot": bytes(mapping["snapshot"]) if mapping["snapshot"] else None})


async def of_customer(connection: Connection, tenant_id: str, customer_id: str) -> list[OutboxEvent]:
    """A customer's events, in the order they were committed."""
    rows = await connection.execute(
        select(outbox_events)
        .where(outbox_events.c.tenant_id == tenant_id, outbox_events.c.customer_id == customer_id)
        .order_by(outbox_events.c.id)
    )
    return [_event(row) for row in rows]


async def with_previous(
    connection: Connection, wanted: Collection[tuple[str, str]]
) -> list[tuple[OutboxEvent, OutboxEvent | None]]:
    """Each event named (tenant, event id) that exists, with its customer's event committed just
    before it (None for the first)."""
    if not wanted:
        return []
    rows = await connection.execute(
        select(outbox_events).where(
            tuple_(outbox_events.c.tenant_id, outbox_events.c.event_id).in_(list(wanted))
        )
    )
    events = [_event(row) for row in rows]
    if not events:
        return []
    previous = {
        row.for_id: _event(row)
        for row in await connection.execute(_PREVIOUS, {"ids": [event.id for event in events]})
    }
    return [(event, previous.get(event.id)) for event in events]


# The customer's event just before each of ``ids``: same tenant, same customer, the greatest id below.
_this, _earlier, _between = outbox_events.alias("this"), outbox_events.alias("earlier"), outbox_events.alias()
_PREVIOUS = (
    select(_earlier, _this.c.id.label("for_id"))
    .join_from(
        _this,
        _earlier,
        _earlier.c.id
        == select(func.max(_between.c.id))
        .where(
            _between.c.tenant_id == _this.c.tenant_id,
            _between.c.customer_id == _this.c.customer_id,
            _between.c.id < _this.c.id,
        )
        .scalar_subquery(),
    )
    .where(_this.c.id.in_(bindparam("ids", expanding=True)))
)
