"""Reading the outbox back: an event with the customer as its write left it, and as the write before
left it (a dialect's event may say what the status was)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

from kycrail import db
from kycrail.customers import codec
from kycrail.customers import repository as customers
from kycrail.customers.model import Customer
from kycrail.errors import NotFound
from kycrail.outbox import repository
from kycrail.outbox.repository import OutboxEvent
from kycrail.storage import Storage
from kycrail.vault.envelope import DataKey, context
from kycrail.vault.kek import KeyUnavailable

EVENT_NOT_FOUND = "Event not found"


@dataclass(frozen=True, slots=True)
class OpenedEvent:
    event: OutboxEvent
    customer: Customer  # as this write left it
    previous: Customer | None  # as the write before left it; None for the first
    # The customer's data key, which opened it: what the webhook worker seals a receiver's answer with.
    key: DataKey = field(repr=False)


async def open_event(storage: Storage, tenant_id: str, event_id: str) -> OpenedEvent:
    """One of the tenant's events, opened; NotFound when there is none, or nothing left to show (an
    erasure, or a customer shredded since: its snapshots no longer open)."""
    opened = (await open_events(storage, [(tenant_id, event_id)])).get(event_id)
    if opened is None:
        raise NotFound(EVENT_NOT_FOUND)
    return opened


async def open_events(storage: Storage, wanted: Collection[tuple[str, str]]) -> dict[str, OpenedEvent]:
    """The events named (tenant, event id) that can be shown, opened, by event id (two queries for
    all of them; each customer's data key read once)."""
    found: dict[str, OpenedEvent] = {}
    async with db.connect(storage.engine) as connection:
        events = await repository.with_previous(connection, wanted)
        keys: dict[str, DataKey | None] = {}
        for event, earlier in events:
            if event.snapshot is None:  # an erasure: nothing personal to show
                continue
            if event.customer_id not in keys:
                try:
                    keys[event.customer_id] = await customers.data_key(
                        connection, storage.vault, event.tenant_id, event.customer_id
                    )
                except KeyUnavailable:
                    keys[event.customer_id] = None
            key = keys[event.customer_id]
            if key is None:  # shredded since
                continue

            previous = _opened(key, earlier) if earlier is not None and earlier.snapshot else None
            found[event.event_id] = OpenedEvent(event, _opened(key, event), previous, key)
    return found


def _opened(key: DataKey, stored: OutboxEvent) -> Customer:
    assert stored.snapshot is not None
    where = context(stored.customer_id, repository.snapshot_field(stored.event_id))
    return codec.customer_from_snapshot(key.open(stored.snapshot, where))
