"""Every query on followed applicants and the providers' notifications.

A provider's webhook names an applicant, never a tenant: ``by_applicant`` and the worker's queries
(``due``, ``notifications_due``) span tenants by design; everything a customer's write does names
the tenant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from kycrail.applicants.tables import provider_applicants as a
from kycrail.applicants.tables import provider_document_fetches as f
from kycrail.applicants.tables import provider_notifications as n
from kycrail.driver.base import Connection


@dataclass(frozen=True, slots=True)
class Followed:
    customer_id: str
    tenant_id: str
    provider: str
    review_state: str
    final: bool
    reviewed_at: datetime | None
    state_digest: str | None


def _followed(row: object) -> Followed:
    m = row._mapping  # type: ignore[attr-defined]
    return Followed(
        m["customer_id"],
        m["tenant_id"],
        m["provider"],
        m["review_state"],
        m["final"],
        m["reviewed_at"],
        m["state_digest"],
    )


async def follow(
    connection: Connection,
    tenant_id: str,
    customer_id: str,
    provider: str,
    applicant_index: bytes,
    review_state: str,
    now: datetime,
    next_check_at: datetime,
) -> None:
    """Follow this applicant for the customer from now on (instead of any earlier one)."""
    await forget(connection, tenant_id, customer_id)
    await connection.execute(
        a.insert().values(
            customer_id=customer_id,
            tenant_id=tenant_id,
            provider=provider,
            applicant_index=applicant_index,
            review_state=review_state,
            final=False,
            reviewed_at=None,
            state_digest=None,
            next_check_at=next_check_at,
            updated_at=now,
        )
    )


async def forget(connection: Connection, tenant_id: str, customer_id: str) -> None:
    await connection.execute(delete(a).where(a.c.tenant_id == tenant_id, a.c.customer_id == customer_id))


async def by_applicant(connection: Connection, applicant_index: bytes) -> Followed | None:
    row = (await connection.execute(select(a).where(a.c.applicant_index == applicant_index))).first()
    return _followed(row) if row else None


async def of_customer(
    connection: Connection, tenant_id: str, customer_id: str, *, for_update: bool = False
) -> Followed | None:
    query = select(a).where(a.c.tenant_id == tenant_id, a.c.customer_id == customer_id)
    row = (await connection.execute(query.with_for_update() if for_update else query)).first()
    return _followed(row) if row else None


async def record(
    connection: Connection,
    tenant_id: str,
    customer_id: str,
    *,
    review_state: str,
    final: bool,
    reviewed_at: datetime | None,
    state_digest: str,
    next_check_at: datetime,
    now: datetime,
) -> None:
    await connection.execute(
        update(a)
        .where(a.c.tenant_id == tenant_id, a.c.customer_id == customer_id)
        .values(
            review_state=review_state,
            final=final,
            reviewed_at=reviewed_at,
            state_digest=state_digest,
            next_check_at=next_check_at,
            updated_at=now,
        )
    )


async def postpone(connection: Connection, tenant_id: str, customer_id: str, next_check_at: datetime) -> None:
    await connection.execute(
        update(a)
        .where(a.c.tenant_id == tenant_id, a.c.customer_id == customer_id)
        .values(next_check_at=next_check_at)
    )


async def due(connection: Connection, now: datetime, limit: int) -> list[Followed]:
    """Open applicants whose next reading is due (the worker's reconciliation)."""
    rows = await connection.execute(
        select(a)
        .where(a.c.final.is_(False), a.c.next_check_at <= now)
        .order_by(a.c.next_check_at)
        .limit(limit)
    )
    return [_followed(row) for row in rows]


# --- notifications ---------------------------------------------------------------------------------


async def receive(
    connection: Connection, provider: str, digest: str, applicant_index: bytes, kind: str, now: datetime
) -> int | None:
    """The notification's id; None when the same one was received before (a redelivery)."""
    try:
        async with connection.begin_nested():
            result = await connection.execute(
                n.insert()
                .values(
                    provider=provider,
                    digest=digest,
                    applicant_index=applicant_index,
                    kind=kind,
                    received_at=now,
                    attempts=0,
                    next_attempt_at=now,
                    processed_at=None,
                )
                .returning(n.c.id)
            )
    except IntegrityError:
        return None
    return int(result.scalar_one())


async def notifications_due(
    connection: Connection, now: datetime, limit: int
) -> list[tuple[int, bytes, int]]:
    """(id, applicant index, attempts so far) of the unprocessed notifications due now, oldest first."""
    rows = await connection.execute(
        select(n.c.id, n.c.applicant_index, n.c.attempts)
        .where(n.c.processed_at.is_(None), n.c.next_attempt_at <= now)
        .order_by(n.c.id)
        .limit(limit)
    )
    return [(row.id, bytes(row.applicant_index), row.attempts) for row in rows]


async def notification(connection: Connection, notification_id: int) -> tuple[bytes, int] | None:
    """(applicant index, attempts) of one unprocessed notification; None once processed."""
    row = (
        await connection.execute(
            select(n.c.applicant_index, n.c.attempts).where(
                n.c.id == notification_id, n.c.processed_at.is_(None)
            )
        )
    ).first()
    return (bytes(row.applicant_index), row.attempts) if row else None


async def processed(connection: Connection, notification_id: int, now: datetime) -> None:
    await connection.execute(update(n).where(n.c.id == notification_id).values(processed_at=now))


async def retry_later(connection: Connection, notification_id: int, attempts: int, when: datetime) -> None:
    await connection.execute(
        update(n).where(n.c.id == notification_id).values(attempts=attempts, next_attempt_at=when)
    )


async def prune_processed(connection: Connection, before: datetime) -> None:
    """Processed notifications older than the providers' redelivery window are of no more use."""
    await connection.execute(delete(n).where(n.c.processed_at.is_not(None), n.c.received_at < before))


# --- document fetches ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fetch:
    """A customer whose applicant's document images are to be fetched."""

    customer_id: str
    tenant_id: str
    provider: str
    attempts: int


async def ask_documents(
    connection: Connection, tenant_id: str, customer_id: str, provider: str, now: datetime
) -> None:
    """The customer's applicant's images are to be fetched (once: asking again while they wait adds
    nothing, and brings the wait to now)."""
    waiting = (
        update(f)
        .where(f.c.tenant_id == tenant_id, f.c.customer_id == customer_id)
        .values(provider=provider, next_attempt_at=now, attempts=0)
    )
    if (await connection.execute(waiting)).rowcount:
        return
    await connection.execute(
        f.insert().values(
            customer_id=customer_id,
            tenant_id=tenant_id,
            provider=provider,
            attempts=0,
            next_attempt_at=now,
            asked_at=now,
        )
    )


async def fetches_due(connection: Connection, now: datetime, limit: int) -> list[Fetch]:
    """Fetches whose turn has come, oldest turn first (any tenant: the worker's)."""
    rows = await connection.execute(
        select(f.c.customer_id, f.c.tenant_id, f.c.provider, f.c.attempts)
        .where(f.c.next_attempt_at <= now)
        .order_by(f.c.next_attempt_at)
        .limit(limit)
    )
    return [Fetch(row.customer_id, row.tenant_id, row.provider, row.attempts) for row in rows]


async def take_fetch(connection: Connection, fetch: Fetch, now: datetime, until: datetime) -> bool:
    """Take a due fetch for this process until ``until`` (a lease: another process skips it meanwhile,
    and a process that died leaves it to be taken again then); False if another took it first."""
    taken = await connection.execute(
        update(f)
        .where(
            f.c.tenant_id == fetch.tenant_id,
            f.c.customer_id == fetch.customer_id,
            f.c.attempts == fetch.attempts,
            f.c.next_attempt_at <= now,
        )
        .values(next_attempt_at=until, attempts=fetch.attempts + 1)
    )
    return bool(taken.rowcount)


async def fetch_later(connection: Connection, tenant_id: str, customer_id: str, when: datetime) -> None:
    await connection.execute(
        update(f)
        .where(f.c.tenant_id == tenant_id, f.c.customer_id == customer_id)
        .values(next_attempt_at=when)
    )


async def fetched(connection: Connection, tenant_id: str, customer_id: str, attempts: int) -> None:
    """Done: the row goes, unless it was asked for again meanwhile (a newer review: fetched again)."""
    await connection.execute(
        delete(f).where(f.c.tenant_id == tenant_id, f.c.customer_id == customer_id, f.c.attempts == attempts)
    )


async def forget_fetch(connection: Connection, tenant_id: str, customer_id: str) -> None:
    await connection.execute(delete(f).where(f.c.tenant_id == tenant_id, f.c.customer_id == customer_id))
