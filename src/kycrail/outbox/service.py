"""Reading the outbox back: an event with the customer as its write left it, and as the write before
left it (a dialect's event may say what the status was)."""

from __future__ import annotations

from dataclasses import dataclass

from kycrail import db
from kycrail.customers import codec
from kycrail.customers import repository as customers
from kycrail.customers.model import Customer
from kycrail.errors import NotFound
from kycrail.outbox import repository
from kycrail.outbox.repository import OutboxEvent
from kycrail.storage import Storage
from kycrail.vault.envelope import context
from kycrail.vault.kek import KeyUnavailable

EVENT_NOT_FOUND = "Event not found."


@dataclass(frozen=True, slots=True)
class OpenedEvent:
    event: OutboxEvent
    customer: Customer  # as this write left it
    previous: Customer | None  # as the write before left it; None for the first


async def open_event(storage: Storage, tenant_id: str, event_id: str) -> OpenedEvent:
    """One of the tenant's events, opened; NotFound when there is none, or nothing left to show (an
    erasure, or a customer shredded since: its snapshots no longer open)."""
    async with db.connect(storage.engine) as connection:
        event = await repository.get(connection, tenant_id, event_id)
        if event is None or event.snapshot is None:
            raise NotFound(EVENT_NOT_FOUND)
        earlier = await repository.before(connection, tenant_id, event.customer_id, event.id)
        try:
            key = await customers.data_key(connection, storage.vault, tenant_id, event.customer_id)
        except KeyUnavailable:
            raise NotFound(EVENT_NOT_FOUND) from None

    def opened(stored: OutboxEvent) -> Customer:
        assert stored.snapshot is not None
        where = context(stored.customer_id, repository.snapshot_field(stored.event_id))
        return codec.customer_from_snapshot(key.open(stored.snapshot, where))

    previous = opened(earlier) if earlier is not None and earlier.snapshot is not None else None
    return OpenedEvent(event, opened(event), previous)
