"""A customer's screening hits for a reviewer: each read with its explanation (opened under the
customer's key), and resolved as a false positive or a true match through the lifecycle."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from kycrail import db
from kycrail.customers import repository as customers_repository
from kycrail.customers import service as customers
from kycrail.customers.audit import Actor
from kycrail.customers.lifecycle import HitCleared, TrueMatch
from kycrail.customers.model import Customer
from kycrail.db import utc_now
from kycrail.driver.base import Connection
from kycrail.errors import HitAlreadyResolved, NotFound
from kycrail.screening import hits_repository
from kycrail.screening.hits_repository import HitStatus, StoredHit
from kycrail.storage import Storage

HIT_NOT_FOUND = "Screening hit not found"


class Resolution(StrEnum):
    false_positive = "false_positive"
    true_match = "true_match"


@dataclass(frozen=True, slots=True)
class HitView:
    """A hit as a reviewer reads it."""

    id: str
    customer_id: str
    source: str
    source_id: str
    listed_name: str
    score: float
    status: HitStatus
    explanation: dict[str, Any]
    created_at: datetime
    reason: str | None = None
    resolved_by: str | None = None
    resolved_at: datetime | None = None


async def _opened(connection: Connection, storage: Storage, hit: StoredHit) -> HitView:
    key = await customers_repository.data_key(connection, storage.vault, hit.tenant_id, hit.customer_id)
    explanation = hits_repository.open_explanation(key, hit)
    return HitView(
        id=hit.id,
        customer_id=hit.customer_id,
        source=hit.source,
        source_id=hit.source_id,
        listed_name=hit.listed_name,
        score=hit.score,
        status=hit.status,
        explanation=explanation if isinstance(explanation, dict) else {},
        created_at=hit.created_at,
        reason=hits_repository.open_reason(key, hit),
        resolved_by=hit.resolved_by,
        resolved_at=hit.resolved_at,
    )


async def of_customer(storage: Storage, tenant_id: str, customer_id: str) -> tuple[Customer, list[HitView]]:
    """A live customer of the tenant and its hits, newest first (NotFound otherwise)."""
    async with db.connect(storage.engine) as connection:
        customer = await customers_repository.get(connection, storage.vault, tenant_id, customer_id)
        if customer is None:
            raise NotFound(customers.CUSTOMER_NOT_FOUND)
        return customer, await _views(connection, storage, tenant_id, customer_id)


async def views_of(storage: Storage, tenant_id: str, customer_id: str) -> list[HitView]:
    """The hits of a customer the caller has read already (the console's page), newest first."""
    async with db.connect(storage.engine) as connection:
        return await _views(connection, storage, tenant_id, customer_id)


async def _views(connection: Connection, storage: Storage, tenant_id: str, customer_id: str) -> list[HitView]:
    stored = await hits_repository.of_customer(connection, tenant_id, customer_id)
    return [await _opened(connection, storage, hit) for hit in stored]


async def resolve(
    storage: Storage,
    actor: Actor,
    customer_id: str,
    hit_id: str,
    resolution: Resolution,
    reason: str,
    *,
    finish: Callable[[Connection, HitView], Awaitable[None]] | None = None,
) -> HitView:
    """A reviewer's word on an open hit: a false positive (the entry, as it stands, never raises a hit
    on this customer again) or a true match (a final rejection). The hit and the customer change in
    one transaction, with the audit and outgoing events of the customer's write."""
    # The hit tells whether there is anything to resolve (an erased customer's are gone with it); the
    # write below reads the customer, and refuses a deleted one.
    async with db.connect(storage.engine) as connection:
        hit = await hits_repository.get(connection, actor.tenant_id, customer_id, hit_id)
        if hit is None:
            raise NotFound(HIT_NOT_FOUND)
        view = await _opened(connection, storage, hit)
    if hit.status is not HitStatus.open:
        raise HitAlreadyResolved()
    resolved_by = actor.operator_id or actor.key_prefix
    now = utc_now()
    status = HitStatus(resolution.value)
    resolved = replace(view, status=status, reason=reason, resolved_by=resolved_by, resolved_at=now)

    async def record(connection: Connection) -> None:
        key = await customers_repository.data_key(connection, storage.vault, actor.tenant_id, customer_id)
        sealed = hits_repository.seal_reason(key, hit_id, customer_id, reason)
        if not await hits_repository.resolve(
            connection, actor.tenant_id, hit_id, status, sealed, resolved_by, now
        ):
            raise HitAlreadyResolved()  # a concurrent resolution came first: this one writes nothing

    async def answer(connection: Connection, _: Customer) -> None:
        if finish is not None:
            await finish(connection, resolved)

    event = HitCleared(hit_id) if resolution is Resolution.false_positive else TrueMatch(hit_id, resolved_by)
    await customers.resolve_hit(storage, actor, customer_id, event, also_write=record, finish=answer)
    return resolved
