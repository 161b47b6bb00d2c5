"""Every query on webhook deliveries and their attempts. The worker's queries span tenants (it
serves them all); the delivery log's name the tenant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, exists, select, update
from sqlalchemy.orm import aliased

from kycrail.driver.base import Connection
from kycrail.outbox.tables import outbox_events
from kycrail.webhooks.tables import webhook_attempts, webhook_deliveries, webhook_endpoints

d = webhook_deliveries
EXCERPT_BYTES = 1024
# Made once: an alias builds its column collection anew each time it is made.
_earlier_delivery = aliased(d)
_INSERT_DELIVERY = d.insert()
_DELIVERED = (
    update(d)
    .where(d.c.id == bindparam("delivery_id"), d.c.leased_until == bindparam("lease"))
    .values(
        state="delivered",
        leased_until=None,
        attempts=d.c.attempts + 1,
        last_status_code=bindparam("code"),
        delivered_at=bindparam("now"),
    )
)


@dataclass(frozen=True, slots=True)
class Claimed:
    id: int
    tenant_id: str
    endpoint_id: str
    event_id: str  # the outbox event's
    message_id: str
    event_name: str
    attempts: int
    created_at: datetime
    leased_until: datetime


@dataclass(frozen=True, slots=True)
class Attempt:
    attempted_at: datetime
    status_code: int | None
    duration_ms: int
    error: str | None
    response_excerpt: str


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    message_id: str
    event_name: str
    state: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    created_at: datetime
    delivered_at: datetime | None
    log: tuple[Attempt, ...]


# --- fan-out ------------------------------------------------------------------------------------------


async def undispatched_ids(connection: Connection, limit: int) -> list[tuple[int, str, str]]:
    """(id, tenant, event id) of the oldest events not fanned out yet."""
    rows = await connection.execute(
        select(outbox_events.c.id, outbox_events.c.tenant_id, outbox_events.c.event_id)
        .where(outbox_events.c.dispatched_at.is_(None))
        .order_by(outbox_events.c.id)
        .limit(limit)
    )
    return [(row.id, row.tenant_id, row.event_id) for row in rows]


async def lock_undispatched(connection: Connection, ids: list[int]) -> list[tuple[int, str]]:
    """(id, customer) of those of ``ids`` still undispatched that no other worker holds, in id order,
    without any whose customer has an earlier event still undispatched elsewhere (its order first)."""
    rows = (
        await connection.execute(
            select(outbox_events.c.id, outbox_events.c.customer_id)
            .where(outbox_events.c.id.in_(ids), outbox_events.c.dispatched_at.is_(None))
            .order_by(outbox_events.c.id)
            .with_for_update(skip_locked=True)
        )
    ).all()
    if not rows:
        return []
    held = {row.id for row in rows}
    latest: dict[str, int] = {}
    for row in rows:
        latest[row.customer_id] = row.id
    earlier = await connection.execute(
        select(outbox_events.c.id, outbox_events.c.customer_id).where(
            outbox_events.c.customer_id.in_(list(latest)),
            outbox_events.c.dispatched_at.is_(None),
            outbox_events.c.id < max(latest.values()),
        )
    )
    first_missing: dict[str, int] = {}  # each customer's earliest undispatched event this worker lacks
    for event_id, customer_id in earlier:
        if event_id not in held and event_id < first_missing.get(customer_id, event_id + 1):
            first_missing[customer_id] = event_id
    return [
        (row.id, row.customer_id)
        for row in rows
        if row.customer_id not in first_missing or row.id < first_missing[row.customer_id]
    ]


async def live_endpoints(connection: Connection, tenant_id: str) -> list[Any]:
    rows = await connection.execute(
        select(webhook_endpoints.c.id, webhook_endpoints.c.dialect, webhook_endpoints.c.events).where(
            webhook_endpoints.c.tenant_id == tenant_id,
            webhook_endpoints.c.deleted_at.is_(None),
            webhook_endpoints.c.status != "disabled",
        )
    )
    return list(rows)


async def insert_deliveries(connection: Connection, rows: list[dict[str, Any]]) -> None:
    if rows:
        await connection.execute(_INSERT_DELIVERY, rows)


async def mark_dispatched(connection: Connection, ids: list[int], now: datetime) -> None:
    await connection.execute(
        update(outbox_events).where(outbox_events.c.id.in_(ids)).values(dispatched_at=now)
    )


# --- delivery -----------------------------------------------------------------------------------------


async def any_due(connection: Connection, now: datetime) -> bool:
    query = select(d.c.id).where(d.c.state == "pending", d.c.next_attempt_at <= now).limit(1)
    return (await connection.execute(query)).first() is not None


async def claim(
    connection: Connection,
    now: datetime,
    lease_until: datetime,
    limit: int,
    room: dict[str, int],
    cap: int,
) -> list[Claimed]:
    """Lease the due deliveries: pending, no live lease, and none earlier pending for the same endpoint
    and customer (their order). ``room``: how many more each endpoint may have in flight (default cap)."""
    earlier = _earlier_delivery
    rows = (
        await connection.execute(
            select(d.c.id, d.c.endpoint_id)
            .join(webhook_endpoints, webhook_endpoints.c.id == d.c.endpoint_id)
            .where(
                d.c.state == "pending",
                d.c.next_attempt_at <= now,
                (d.c.leased_until.is_(None)) | (d.c.leased_until < now),
                webhook_endpoints.c.deleted_at.is_(None),
                webhook_endpoints.c.status != "disabled",
                ~exists().where(
                    and_(
                        earlier.c.endpoint_id == d.c.endpoint_id,
                        earlier.c.customer_id == d.c.customer_id,
                        earlier.c.state == "pending",
                        earlier.c.id < d.c.id,
                    )
                ),
            )
            .order_by(d.c.next_attempt_at, d.c.id)
            .limit(limit)
            .with_for_update(of=d, skip_locked=True)
        )
    ).all()
    chosen: list[int] = []
    left = dict(room)
    for row in rows:
        if left.setdefault(row.endpoint_id, cap) > 0:
            left[row.endpoint_id] -= 1
            chosen.append(row.id)
    if not chosen:
        return []
    await connection.execute(update(d).where(d.c.id.in_(chosen)).values(leased_until=lease_until))
    claimed = await connection.execute(
        select(d, outbox_events.c.event_id.label("event_id"))
        .join(outbox_events, outbox_events.c.id == d.c.outbox_id)
        .where(d.c.id.in_(chosen))
        .order_by(d.c.id)
    )
    return [
        Claimed(
            id=row.id,
            tenant_id=row.tenant_id,
            endpoint_id=row.endpoint_id,
            event_id=row.event_id,
            message_id=row.message_id,
            event_name=row.event_name,
            attempts=row.attempts,
            created_at=row.created_at,
            leased_until=lease_until,
        )
        for row in claimed
    ]


async def record_attempts(connection: Connection, made: list[tuple[Claimed, Attempt]]) -> None:
    if not made:
        return
    await connection.execute(
        webhook_attempts.insert(),
        [
            {
                "tenant_id": claimed.tenant_id,
                "delivery_id": claimed.id,
                "endpoint_id": claimed.endpoint_id,
                "attempted_at": attempt.attempted_at,
                "status_code": attempt.status_code,
                "duration_ms": attempt.duration_ms,
                "error": attempt.error[:200] if attempt.error else None,
                "response_excerpt": attempt.response_excerpt,
            }
            for claimed, attempt in made
        ],
    )


async def settle_delivered(
    connection: Connection, claimed: list[Claimed], status_code: int, now: datetime
) -> None:
    """Deliveries answered ``status_code`` (2xx) at ``now``; their leases go (unless replaced)."""
    if claimed:
        await connection.execute(
            _DELIVERED,
            [
                {"delivery_id": one.id, "lease": one.leased_until, "code": status_code, "now": now}
                for one in claimed
            ],
        )


async def settle(connection: Connection, claimed: Claimed, **values: Any) -> None:
    """The outcome of a claimed delivery; the lease goes (unless another worker's replaced it)."""
    await connection.execute(
        update(d)
        .where(d.c.id == claimed.id, d.c.leased_until == claimed.leased_until)
        .values(leased_until=None, **values)
    )


async def kill_pending_of(connection: Connection, endpoint_id: str) -> None:
    await connection.execute(
        update(d).where(d.c.endpoint_id == endpoint_id, d.c.state == "pending").values(state="dead")
    )


async def recent_outcomes(connection: Connection, endpoint_id: str, limit: int) -> list[bool]:
    rows = await connection.execute(
        select(webhook_attempts.c.status_code)
        .where(webhook_attempts.c.endpoint_id == endpoint_id)
        .order_by(webhook_attempts.c.id.desc())
        .limit(limit)
    )
    return [code is not None and 200 <= code < 300 for (code,) in rows]


async def set_endpoint_status(connection: Connection, endpoint_id: str, status: str) -> None:
    await connection.execute(
        update(webhook_endpoints)
        .where(webhook_endpoints.c.id == endpoint_id, webhook_endpoints.c.status != "disabled")
        .values(status=status)
    )


async def endpoint_targets(connection: Connection, endpoint_ids: set[str]) -> dict[str, Any]:
    """Where and how to send, for each of ``endpoint_ids`` still registered."""
    if not endpoint_ids:
        return {}
    rows = await connection.execute(
        select(
            webhook_endpoints.c.id,
            webhook_endpoints.c.url,
            webhook_endpoints.c.dialect,
            webhook_endpoints.c.secret_kek_id,
            webhook_endpoints.c.secret_wrapped,
        ).where(webhook_endpoints.c.id.in_(endpoint_ids), webhook_endpoints.c.deleted_at.is_(None))
    )
    return {row.id: row for row in rows}


# --- the delivery log -----------------------------------------------------------------------------------


async def log_of(connection: Connection, tenant_id: str, endpoint_id: str, limit: int) -> list[Delivery]:
    """The endpoint's latest deliveries, newest first, each with its attempts (oldest first)."""
    rows = (
        await connection.execute(
            select(d)
            .where(d.c.tenant_id == tenant_id, d.c.endpoint_id == endpoint_id)
            .order_by(d.c.id.desc())
            .limit(limit)
        )
    ).all()
    attempts: dict[int, list[Attempt]] = {row.id: [] for row in rows}
    if rows:
        found = await connection.execute(
            select(webhook_attempts)
            .where(webhook_attempts.c.delivery_id.in_(list(attempts)))
            .order_by(webhook_attempts.c.id)
        )
        for a in found:
            attempts[a.delivery_id].append(
                Attempt(a.attempted_at, a.status_code, a.duration_ms, a.error, a.response_excerpt)
            )
    return [
        Delivery(
            id=row.id,
            message_id=row.message_id,
            event_name=row.event_name,
            state=row.state,
            attempts=row.attempts,
            next_attempt_at=row.next_attempt_at,
            last_status_code=row.last_status_code,
            created_at=row.created_at,
            delivered_at=row.delivered_at,
            log=tuple(attempts[row.id]),
        )
        for row in rows
    ]


async def retry(
    connection: Connection, tenant_id: str, endpoint_id: str, message_id: str, now: datetime
) -> bool:
    """Send it again as soon as its turn comes (delivered or dead ones too: a replay)."""
    result = await connection.execute(
        update(d)
        .where(d.c.tenant_id == tenant_id, d.c.endpoint_id == endpoint_id, d.c.message_id == message_id)
        .values(state="pending", next_attempt_at=now, leased_until=None)
    )
    return result.rowcount == 1


async def disable_endpoint(connection: Connection, endpoint_id: str) -> None:
    await connection.execute(
        update(webhook_endpoints).where(webhook_endpoints.c.id == endpoint_id).values(status="disabled")
    )
