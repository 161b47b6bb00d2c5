"""The audit trail on the wire (the same shape in both dialects)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from kycrail.api.common.resources import Resources
from kycrail.api.common.wire import iso_utc
from kycrail.customers import service
from kycrail.customers.audit import AuditEvent

EVENTS_DESCRIPTION = (
    "Every write, oldest first: who (key prefix and role), which request, what changed (field paths; "
    "personal values masked). Still readable after the customer is deleted."
)


class ActorOut(BaseModel):
    keyPrefix: str
    role: str


class EventOut(BaseModel):
    id: int
    type: str
    actor: ActorOut
    requestId: str
    # [{"field", "from", "to"}]: personal values masked as "***"; the verification's own fields shown.
    changes: list[dict[str, Any]]
    createdAt: str


def event_out(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.kind,
        "actor": {"keyPrefix": event.key_prefix, "role": event.role},
        "requestId": event.request_id,
        "changes": event.changes,
        "createdAt": iso_utc(event.occurred_at),
    }


async def events_page(
    resources: Resources, tenant_id: str, customer_id: str, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of a customer's audit trail on the wire, and how many events it has in all."""
    page = await service.list_events(resources.storage, tenant_id, customer_id, limit=limit, offset=offset)
    return [event_out(event) for event in page.events], page.total
