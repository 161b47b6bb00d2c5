"""Every query on webhook deliveries and their attempts. The worker's queries span tenants (it
serves them all); the delivery log's name the tenant.

What a receiver answered may be the customer's personal data (a receiver that echoes the payload): it
is kept sealed under the customer's data key, like the customer's own record, and reads as empty once
the customer is shredded.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    ScalarSelect,
    and_,
    bindparam,
    exists,
    func,
    literal,
    select,
    tuple_,
    update,
)
from sqlalchemy.orm import aliased

from kycrail.driver.base import Connection
from kycrail.outbox.tables import outbox_events
from kycrail.vault.envelope import CannotOpen, DataKey, context
from kycrail.vault.kek import KeyUnavailable
from kycrail.vault.tables import data_keys
from kycrail.vault.vault import Vault, WrappedKey
from kycrail.webhooks.tables import webhook_attempts, webhook_deliveries, webhook_endpoints

log = logging.getLogger(__name__)
d = webhook_deliveries
EXCERPT_BYTES = 1024
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
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
    customer_id: str
    event_id: str  # the outbox event's
    message_id: str
    event_name: str
    attempts: int
    created_at: datetime
    leased_until: datetime


@dataclass(frozen=True, slots=True)
class Attempt:
    """One attempt as made, or as the log shows it (its answer opened; empty once shredded)."""

    attempted_at: datetime
    status_code: int | None
    duration_ms: int
    error: str | None  # kycrail's words only (sender.py): never anything the receiver sent
    response_excerpt: str


@dataclass(frozen=True, slots=True)
class SealedAttempt:
    """One attempt as it is stored: the answer's excerpt sealed under the customer's data key."""

    attempted_at: datetime
    status_code: int | None
    duration_ms: int
    error: str | None
    response_sealed: bytes | None  # None: the answer had no body (or nothing was sent)


def response_field(delivery_id: int, attempted_at: datetime) -> str:
    """The associated data's field name of an attempt's sealed answer: the delivery and the moment, so
    that a sealed answer copied to another attempt's row does not open."""
    micros = (attempted_at - _EPOCH) // timedelta(microseconds=1)
    return f"webhook_attempts.{delivery_id}.{micros}.response"


def sealed(attempt: Attempt, key: DataKey, claimed: Claimed) -> SealedAttempt:
    """``attempt`` as it is stored: its answer sealed under ``key``, the data key of the customer the
    delivery is about."""
    response = None
    if attempt.response_excerpt:
        where = context(claimed.customer_id, response_field(claimed.id, attempt.attempted_at))
        response = key.seal(attempt.response_excerpt.encode(), where)
    return SealedAttempt(
        attempt.attempted_at, attempt.status_code, attempt.duration_ms, attempt.error, response
    )


def unanswered(attempted_at: datetime, error: str) -> SealedAttempt:
    """An attempt that got no answer to keep (kycrail's own failure, before or instead of the send)."""
    return SealedAttempt(attempted_at, None, 0, error, None)


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
        select(
            webhook_endpoints.c.id,
            webhook_endpoints.c.dialect,
            webhook_endpoints.c.events,
            webhook_endpoints.c.created_at,
        ).where(
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

# The claim, built once. Its cost follows the endpoints and their room, not their backlog (one slow
# endpoint may have thousands due):
# 1. ``_open``: the live endpoints with room (not in ``full``).
# 2. ``_walk``: each one's first ``cap`` deliveries that may go now, in their order, found one after
#    the other (a recursive query): each step reads ``ix_webhook_deliveries_endpoint_due`` from
#    where the last one stopped, and stops at the next that may go.
# 3. ``_fair``: those within their endpoint's room (``taken``: the places its sends in flight fill),
#    ranked within their tenant.
# 4. The ids taken by rank (each tenant's first, then each one's second...), locked in the outer
#    query: PostgreSQL allows no FOR UPDATE beside window functions. The lease is checked again on
#    the row it locks (should another worker have claimed it meanwhile, that one wins).
_now: BindParameter[datetime] = bindparam("now")


def _due_unleased(row: Any) -> list[ColumnElement[bool]]:
    return [
        row.c.state == "pending",
        row.c.next_attempt_at <= _now,
        (row.c.leased_until.is_(None)) | (row.c.leased_until < _now),
    ]


def _next_that_may_go(endpoint_id: Any, after_at: Any, after_id: Any) -> ScalarSelect[Any]:
    """The id of the endpoint's next delivery after (``after_at``, ``after_id``) in their order that
    may go now: due, not leased, and none earlier pending for its customer (their order). The bounds
    are ranges of ``ix_webhook_deliveries_endpoint_due`` (no ``endpoint_id =``), so that PostgreSQL
    reads that index in order and stops at the first, whatever it guesses of the endpoints' spread."""
    row, earlier = aliased(d), aliased(d)
    position = tuple_(row.c.endpoint_id, row.c.next_attempt_at, row.c.id)
    return (
        select(row.c.id)
        .where(
            position > tuple_(endpoint_id, after_at, after_id),
            tuple_(row.c.endpoint_id, row.c.next_attempt_at) <= tuple_(endpoint_id, _now),
            *_due_unleased(row),
            ~exists().where(
                earlier.c.endpoint_id == row.c.endpoint_id,
                earlier.c.customer_id == row.c.customer_id,
                earlier.c.state == "pending",
                earlier.c.id < row.c.id,
            ),
        )
        .order_by(row.c.endpoint_id, row.c.next_attempt_at, row.c.id)
        .limit(1)
        .scalar_subquery()
    )


_open = (
    select(webhook_endpoints.c.id)
    .where(
        webhook_endpoints.c.deleted_at.is_(None),
        webhook_endpoints.c.status != "disabled",
        webhook_endpoints.c.id.not_in(bindparam("full", expanding=True)),
    )
    .cte("open")
)
_first, _next = aliased(d), aliased(d)
_walk = (
    select(
        _first.c.endpoint_id,
        _first.c.id,
        _first.c.tenant_id,
        _first.c.next_attempt_at,
        literal(1).label("in_endpoint"),
    )
    .select_from(_open)
    .join(_first, _first.c.id == _next_that_may_go(_open.c.id, _EPOCH, 0))  # after nothing: the first
    .cte("walk", recursive=True)
)
_walk = _walk.union_all(
    select(
        _next.c.endpoint_id,
        _next.c.id,
        _next.c.tenant_id,
        _next.c.next_attempt_at,
        (_walk.c.in_endpoint + 1).label("in_endpoint"),
    )
    .select_from(_walk)
    .join(_next, _next.c.id == _next_that_may_go(_walk.c.endpoint_id, _walk.c.next_attempt_at, _walk.c.id))
    .where(_walk.c.in_endpoint < bindparam("cap"))
)
_fair = (
    select(
        _walk.c.id,
        _walk.c.next_attempt_at,
        func.row_number()
        .over(partition_by=_walk.c.tenant_id, order_by=(_walk.c.next_attempt_at, _walk.c.id))
        .label("in_tenant"),
    )
    .where(tuple_(_walk.c.endpoint_id, _walk.c.in_endpoint).not_in(bindparam("taken", expanding=True)))
    .subquery("fair")
)
_CLAIMABLE = (
    select(d.c.id)
    .where(
        d.c.id.in_(
            select(_fair.c.id)
            .order_by(_fair.c.in_tenant, _fair.c.next_attempt_at, _fair.c.id)
            .limit(bindparam("limit"))
        ),
        *_due_unleased(d),
    )
    .with_for_update(skip_locked=True)
)


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
    """Lease up to ``limit`` due deliveries, fairly: at most as many for an endpoint as it has room
    for, and taken round robin across tenants (each tenant's oldest first, then each one's second...),
    so that no tenant's backlog holds up another's first delivery. Due: pending, no live lease, and
    none earlier pending for the same endpoint and customer (their order). ``room``: how many more
    each endpoint may have in flight (``cap`` for one not named)."""
    full = [endpoint for endpoint, left in room.items() if left <= 0]
    taken = [  # the ranks an endpoint's sends in flight leave no room for
        (endpoint, rank) for endpoint, left in room.items() if left > 0 for rank in range(left + 1, cap + 1)
    ]
    parameters = {"now": now, "cap": cap, "limit": limit, "full": full, "taken": taken}
    chosen = [row.id for row in await connection.execute(_CLAIMABLE, parameters)]
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
            customer_id=row.customer_id,
            event_id=row.event_id,
            message_id=row.message_id,
            event_name=row.event_name,
            attempts=row.attempts,
            created_at=row.created_at,
            leased_until=lease_until,
        )
        for row in claimed
    ]


async def record_attempts(connection: Connection, made: list[tuple[Claimed, SealedAttempt]]) -> None:
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
                "response_sealed": attempt.response_sealed,
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


async def count_of(connection: Connection, tenant_id: str, endpoint_id: str) -> int:
    """How many deliveries the endpoint's log holds (the total a page of it reports)."""
    mine = (d.c.tenant_id == tenant_id, d.c.endpoint_id == endpoint_id)
    return int((await connection.execute(select(func.count()).select_from(d).where(*mine))).scalar_one())


async def log_of(
    connection: Connection, vault: Vault, tenant_id: str, endpoint_id: str, limit: int, offset: int = 0
) -> list[Delivery]:
    """A page of the endpoint's deliveries, newest first (``offset`` of them skipped), each with its
    attempts (oldest first); each answer opened with its customer's data key, empty once the customer
    is shredded."""
    rows = (
        await connection.execute(
            select(d, data_keys.c.kek_id, data_keys.c.wrapped_key)
            .outerjoin(
                data_keys,
                and_(data_keys.c.tenant_id == d.c.tenant_id, data_keys.c.customer_id == d.c.customer_id),
            )
            .where(d.c.tenant_id == tenant_id, d.c.endpoint_id == endpoint_id)
            .order_by(d.c.id.desc())
            .limit(limit)
            .offset(offset)
        )
    ).all()
    keys = await _data_keys(vault, tenant_id, rows)
    attempts: dict[int, list[Attempt]] = {row.id: [] for row in rows}
    customer_of = {row.id: row.customer_id for row in rows}
    if rows:
        found = await connection.execute(
            select(webhook_attempts)
            .where(webhook_attempts.c.delivery_id.in_(list(attempts)))
            .order_by(webhook_attempts.c.id)
        )
        for a in found:
            customer_id = customer_of[a.delivery_id]
            excerpt = _opened_response(a, customer_id, keys.get(customer_id))
            attempts[a.delivery_id].append(
                Attempt(a.attempted_at, a.status_code, a.duration_ms, a.error, excerpt)
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


async def _data_keys(vault: Vault, tenant_id: str, rows: Sequence[Any]) -> dict[str, DataKey]:
    """The data key of each customer the rows name that still has one (the stored key, never only a
    process's memory of it: a customer shredded by another process stays shredded here)."""
    keys: dict[str, DataKey] = {}
    for row in rows:
        if row.wrapped_key is None or row.customer_id in keys:
            continue
        wrapped = WrappedKey(row.kek_id, bytes(row.wrapped_key))
        try:
            keys[row.customer_id] = await vault.open_data_key(tenant_id, row.customer_id, wrapped)
        except KeyUnavailable:  # its KEK is gone from the ring: nothing of it can be read
            log.warning(
                "the data key of %s does not open: its deliveries' answers read as empty", row.customer_id
            )
    return keys


def _opened_response(attempt: Any, customer_id: str, key: DataKey | None) -> str:
    if attempt.response_sealed is None or key is None:
        return ""
    where = context(customer_id, response_field(attempt.delivery_id, attempt.attempted_at))
    try:
        return key.open(bytes(attempt.response_sealed), where).decode()
    except CannotOpen:  # not sealed for this attempt (copied from another row): nothing to show
        log.warning("the answer of webhook attempt %s does not open: it reads as empty", attempt.id)
        return ""


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


async def of_customer(connection: Connection, tenant_id: str, customer_id: str, limit: int) -> list[Any]:
    """A customer's deliveries, newest first: to which endpoint, what, and how it went."""
    d = webhook_deliveries.c
    query = (
        select(
            d.id,
            d.endpoint_id,
            d.event_name,
            d.state,
            d.attempts,
            d.last_status_code,
            d.created_at,
            d.delivered_at,
        )
        .where(d.tenant_id == tenant_id, d.customer_id == customer_id)
        .order_by(d.id.desc())
        .limit(limit)
    )
    return list(await connection.execute(query))
