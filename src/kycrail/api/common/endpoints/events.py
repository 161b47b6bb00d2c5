"""The audit trail on the wire (the same shape in both dialects)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from kycrail.api.common.resources import Resources
from kycrail.api.common.wire import iso_utc, wire_time
from kycrail.customers import service
from kycrail.customers.audit import AuditEvent

EVENTS_DESCRIPTION = (
    "Every write, oldest first: who (key prefix and role), which request, what changed (field paths; "
    "personal values masked). Still readable after the customer is deleted."
)


class ActorOut(BaseModel):
    keyPrefix: str  # "console" for a person's decision in the console
    role: str
    operatorId: str | None = Field(
        default=None, description="The person, for what an operator did in the console (`op_...`)."
    )


class EventOut(BaseModel):
    id: int
    type: str
    actor: ActorOut
    requestId: str
    # [{"field", "from", "to"}]: personal values masked as "***"; the verification's own fields shown.
    changes: list[dict[str, Any]]
    createdAt: str


def _change_out(change: dict[str, Any]) -> dict[str, Any]:
    """A change as the trail stored it; the times it shows (``submitted_at``, a document's
    ``created_at``...) are kept in full precision and written as every time on the wire is."""
    if not str(change.get("field", "")).endswith("_at"):
        return change
    return {**change, "from": wire_time(change.get("from")), "to": wire_time(change.get("to"))}


def _actor_out(event: AuditEvent) -> dict[str, str]:
    actor = {"keyPrefix": event.key_prefix, "role": event.role}
    if event.operator_id is not None:
        actor["operatorId"] = event.operator_id
    return actor


def event_out(event: AuditEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "type": event.kind,
        "actor": _actor_out(event),
        "requestId": event.request_id,
        "changes": [_change_out(change) for change in event.changes],
        "createdAt": iso_utc(event.occurred_at),
    }


async def events_page(
    resources: Resources, tenant_id: str, customer_id: str, *, limit: int, offset: int
) -> tuple[list[dict[str, Any]], int]:
    """One page of a customer's audit trail on the wire, and how many events it has in all."""
    page = await service.list_events(resources.storage, tenant_id, customer_id, limit=limit, offset=offset)
    return [event_out(event) for event in page.events], page.total
