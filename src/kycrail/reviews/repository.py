"""Every query of the review desk, each with the tenant predicate."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import delete, func, select, update

from kycrail.customers import repository as customers_repository
from kycrail.customers.model import Customer, CustomerType
from kycrail.customers.tables import customers
from kycrail.customers.verification import Stage
from kycrail.db import insert_with_conflicts
from kycrail.driver.base import Connection
from kycrail.reviews.tables import review_assignments, review_notes, review_proposals
from kycrail.vault.vault import Vault

Whose = Literal["anyone", "mine", "unassigned"]
PENDING = "pending"  # awaiting a decision: the queue's own status


def _queue_conditions(
    tenant_id: str, operator_id: str, status: str | None, customer_type: CustomerType | None, whose: Whose
) -> list[Any]:
    c = customers.c
    conditions: list[Any] = [c.tenant_id == tenant_id, c.deleted_at.is_(None)]
    if status == PENDING:
        # The same customers, by the column the queue's index leads with: read oldest first from it.
        conditions.append(c.verification_stage == Stage.in_review.value)
    elif status is not None:
        conditions.append(c.verification_status == status)
    if customer_type is not None:
        conditions.append(c.type == customer_type.value)
    a = review_assignments.c
    if whose == "mine":
        conditions.append(a.operator_id == operator_id)
    elif whose == "unassigned":
        conditions.append(a.operator_id.is_(None))
    return conditions


def _oldest_first(status: str | None) -> tuple[Any, ...]:
    """Oldest submission first. Pending customers all have one: the index's own order. Otherwise the
    never submitted come last (SQLite and PostgreSQL place NULLs differently: said here)."""
    c = customers.c
    if status == PENDING:
        return (c.submitted_at, c.id)
    return (c.submitted_at.is_(None), c.submitted_at, c.created_at, c.id)


async def _total(
    connection: Connection,
    tenant_id: str,
    operator_id: str,
    status: str | None,
    customer_type: CustomerType | None,
    whose: Whose,
) -> int:
    """How many the queue holds: everyone's from the live counters, less (for "unassigned") or only
    (for "mine") the assigned ones, which are few: no scan of the whole queue."""
    stage = Stage.in_review if status == PENDING else None
    everyone = await customers_repository.live_count(
        connection,
        tenant_id,
        status=None if stage else status,
        stage=stage,
        customer_type=customer_type,
    )
    if whose == "anyone":
        return everyone
    a = review_assignments.c
    assigned = (
        select(func.count())
        .select_from(review_assignments)
        .join(customers, (customers.c.id == a.customer_id) & (customers.c.tenant_id == a.tenant_id))
        .where(*_queue_conditions(tenant_id, operator_id, status, customer_type, "anyone"))
    )
    if whose == "mine":
        assigned = assigned.where(a.operator_id == operator_id)
    count = int((await connection.execute(assigned)).scalar_one())
    return count if whose == "mine" else everyone - count


def _joined(query: Any) -> Any:
    a = review_assignments.c
    return query.outerjoin(
        review_assignments, (a.customer_id == customers.c.id) & (a.tenant_id == customers.c.tenant_id)
    )


async def queue_page(
    connection: Connection,
    vault: Vault,
    tenant_id: str,
    operator_id: str,
    *,
    status: str | None,
    customer_type: CustomerType | None,
    whose: Whose,
    limit: int,
    offset: int,
) -> tuple[list[tuple[Customer, str | None, datetime | None]], int]:
    """Customers, oldest submission first (never submitted last, oldest first), each with whom it is
    assigned to and since when; and how many match."""
    conditions = _queue_conditions(tenant_id, operator_id, status, customer_type, whose)
    a = review_assignments.c
    page = (
        _joined(customers_repository.with_key().add_columns(a.operator_id.label("assigned_to"), a.taken_at))
        .where(*conditions)
        .order_by(*_oldest_first(status))
        .limit(limit)
        .offset(offset)
    )
    rows = (await connection.execute(page)).all()
    total = await _total(connection, tenant_id, operator_id, status, customer_type, whose)
    found = [(await customers_repository.from_row(vault, row), row.assigned_to, row.taken_at) for row in rows]
    return found, total


async def oldest_unassigned(connection: Connection, tenant_id: str, status: str) -> str | None:
    query = (
        _joined(select(customers.c.id))
        .where(*_queue_conditions(tenant_id, "", status, None, "unassigned"))
        .order_by(*_oldest_first(status))
        .limit(1)
    )
    found: str | None = (await connection.execute(query)).scalar_one_or_none()
    return found


async def assignment(connection: Connection, tenant_id: str, customer_id: str) -> Any:
    a = review_assignments.c
    query = select(review_assignments).where(a.tenant_id == tenant_id, a.customer_id == customer_id)
    return (await connection.execute(query)).first()


async def assign(
    connection: Connection, tenant_id: str, customer_id: str, operator_id: str, now: datetime
) -> bool:
    """Takes the customer for ``operator_id`` unless someone holds it; False if someone else does."""
    statement = insert_with_conflicts(connection.dialect, review_assignments).values(
        customer_id=customer_id, tenant_id=tenant_id, operator_id=operator_id, taken_at=now
    )
    await connection.execute(statement.on_conflict_do_nothing())
    found = await assignment(connection, tenant_id, customer_id)
    return found is not None and found.operator_id == operator_id


async def reassign(
    connection: Connection, tenant_id: str, customer_id: str, operator_id: str, now: datetime
) -> None:
    """Takes the customer over (taking is advisory: anyone may take a customer someone else holds)."""
    a = review_assignments.c
    await connection.execute(
        update(review_assignments)
        .where(a.tenant_id == tenant_id, a.customer_id == customer_id)
        .values(operator_id=operator_id, taken_at=now)
    )


async def release(connection: Connection, tenant_id: str, customer_id: str) -> None:
    a = review_assignments.c
    await connection.execute(
        delete(review_assignments).where(a.tenant_id == tenant_id, a.customer_id == customer_id)
    )


# --- proposals (four eyes) -------------------------------------------------------------------------


async def proposal(connection: Connection, tenant_id: str, customer_id: str) -> Any:
    p = review_proposals.c
    query = select(review_proposals).where(p.tenant_id == tenant_id, p.customer_id == customer_id)
    return (await connection.execute(query)).first()


async def propose(connection: Connection, values: dict[str, Any]) -> bool:
    """False: a proposal is open already (the second operator confirms or withdraws it first)."""
    result = await connection.execute(
        insert_with_conflicts(connection.dialect, review_proposals).values(**values).on_conflict_do_nothing()
    )
    return bool(result.rowcount)


async def withdraw(connection: Connection, tenant_id: str, customer_id: str) -> None:
    p = review_proposals.c
    await connection.execute(
        delete(review_proposals).where(p.tenant_id == tenant_id, p.customer_id == customer_id)
    )


# --- notes --------------------------------------------------------------------------------------


async def add_note(connection: Connection, values: dict[str, Any]) -> None:
    await connection.execute(review_notes.insert().values(**values))


async def notes(connection: Connection, tenant_id: str, customer_id: str) -> list[Any]:
    n = review_notes.c
    query = select(review_notes).where(n.tenant_id == tenant_id, n.customer_id == customer_id).order_by(n.id)
    return list(await connection.execute(query))


async def forget_customer(connection: Connection, tenant_id: str, customer_id: str) -> None:
    """An erased customer leaves nothing on the desk (its notes are shredded with its key anyway)."""
    for table in (review_assignments, review_proposals, review_notes):
        await connection.execute(
            delete(table).where(table.c.tenant_id == tenant_id, table.c.customer_id == customer_id)
        )
