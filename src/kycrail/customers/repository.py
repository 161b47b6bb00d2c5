"""Every query on customers. Each one carries the tenant predicate, UPDATE included."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from kycrail.customers.audit import AuditEvent
from kycrail.customers.model import (
    Address,
    BusinessInformation,
    Customer,
    CustomerType,
    DocumentStatus,
    DocumentSummary,
    DocumentType,
    Identity,
    Review,
    ReviewDecision,
    ReviewReason,
    SumsubLink,
    TaxIdentification,
)
from kycrail.customers.tables import customer_counts, customer_events, customers
from kycrail.customers.verification import verification_profile

# --- model <-> row -----------------------------------------------------------------------------


def _address_to_json(address: Address | None) -> dict[str, Any] | None:
    return asdict(address) if address else None


def _address_from_json(data: dict[str, Any] | None) -> Address | None:
    return Address(**data) if data else None


def _identity_to_json(identity: Identity) -> dict[str, Any]:
    data = asdict(identity)
    data["date_of_birth"] = identity.date_of_birth.isoformat() if identity.date_of_birth else None
    return data


def _identity_from_json(data: dict[str, Any]) -> Identity:
    dob = data.get("date_of_birth")
    tax = data.get("tax")
    return Identity(
        **{
            **data,
            "date_of_birth": date.fromisoformat(dob) if dob else None,
            "tax": TaxIdentification(**tax) if tax else None,
        }
    )


def _documents_to_json(documents: tuple[DocumentSummary, ...]) -> list[dict[str, Any]]:
    return [
        {"id": d.id, "type": d.type.value, "status": d.status.value, "created_at": d.created_at.isoformat()}
        for d in documents
    ]


def _documents_from_json(data: list[dict[str, Any]]) -> tuple[DocumentSummary, ...]:
    return tuple(
        DocumentSummary(
            id=d["id"],
            type=DocumentType(d["type"]),
            status=DocumentStatus(d["status"]),
            created_at=datetime.fromisoformat(d["created_at"]),
        )
        for d in data
    )


def _review_to_json(review: Review | None) -> dict[str, Any] | None:
    if review is None:
        return None
    return {
        "decision": review.decision.value,
        "final": review.final,
        "reasons": [asdict(reason) for reason in review.reasons],
        "reviewed_at": review.reviewed_at.isoformat(),
        "reviewer": review.reviewer,
    }


def _review_from_json(data: dict[str, Any] | None) -> Review | None:
    if data is None:
        return None
    return Review(
        decision=ReviewDecision(data["decision"]),
        final=data["final"],
        reasons=tuple(ReviewReason(**reason) for reason in data["reasons"]),
        reviewed_at=datetime.fromisoformat(data["reviewed_at"]),
        reviewer=data["reviewer"],
    )


def _sumsub_to_json(link: SumsubLink | None) -> dict[str, Any] | None:
    if link is None:
        return None
    return {**asdict(link), "imported_at": link.imported_at.isoformat()}


def _sumsub_from_json(data: dict[str, Any] | None) -> SumsubLink | None:
    if data is None:
        return None
    return SumsubLink(**{**data, "imported_at": datetime.fromisoformat(data["imported_at"])})


def _to_row(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.id,
        "tenant_id": customer.tenant_id,
        "type": customer.type.value,
        "email": customer.email,
        "phone": customer.phone,
        "verification_status": verification_profile(customer).status.value,
        "identity": _identity_to_json(customer.identity),
        "address": _address_to_json(customer.address),
        "operating_address": _address_to_json(customer.operating_address),
        "business": asdict(customer.business) if customer.business else None,
        "meta": customer.meta,
        "documents": _documents_to_json(customer.documents),
        "criterion_errors": customer.criterion_errors,
        "review": _review_to_json(customer.review),
        "sumsub": _sumsub_to_json(customer.sumsub),
        "submitted_at": customer.submitted_at,
        "created_at": customer.created_at,
        "updated_at": customer.updated_at,
        "deleted_at": customer.deleted_at,
        "version": customer.version,
    }


def _from_row(row: Any) -> Customer:
    return Customer(
        id=row.id,
        tenant_id=row.tenant_id,
        type=CustomerType(row.type),
        email=row.email,
        phone=row.phone,
        identity=_identity_from_json(row.identity),
        address=_address_from_json(row.address),
        operating_address=_address_from_json(row.operating_address),
        business=BusinessInformation(**row.business) if row.business else None,
        meta=row.meta,
        documents=_documents_from_json(row.documents),
        criterion_errors=row.criterion_errors,
        review=_review_from_json(row.review),
        sumsub=_sumsub_from_json(row.sumsub),
        submitted_at=row.submitted_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        deleted_at=row.deleted_at,
        version=row.version,
    )


# --- queries -----------------------------------------------------------------------------------


# The hot statements are built once: SQLAlchemy then reuses their compiled form (and cache key) on
# every call instead of coercing each clause again. Every one names the tenant.
_GET_LIVE = select(customers).where(
    customers.c.tenant_id == bindparam("tenant_id"),
    customers.c.id == bindparam("customer_id"),
    customers.c.deleted_at.is_(None),
)
_GET_LIVE_FOR_UPDATE = _GET_LIVE.with_for_update()
_INSERT = customers.insert()
# Never changed by an update: the row's identity, its owner, its type, its creation time.
_FIXED_COLUMNS = ("id", "tenant_id", "type", "created_at")
_UPDATE_IF_VERSION = (
    update(customers)
    .where(
        customers.c.id == bindparam("_id"),
        customers.c.tenant_id == bindparam("_tenant_id"),
        customers.c.version == bindparam("_expected_version"),
        customers.c.deleted_at.is_(None),
    )
    .values(
        {column.name: bindparam(column.name) for column in customers.c if column.name not in _FIXED_COLUMNS}
    )
)


async def insert(connection: AsyncConnection, customer: Customer) -> None:
    await connection.execute(_INSERT, _to_row(customer))


async def get(
    connection: AsyncConnection, tenant_id: str, customer_id: str, *, for_update: bool = False
) -> Customer | None:
    """A live customer of this tenant. ``for_update`` locks the row until the transaction ends
    (PostgreSQL; SQLite's write transactions already hold the database's write lock)."""
    query = _GET_LIVE_FOR_UPDATE if for_update else _GET_LIVE
    row = (await connection.execute(query, {"tenant_id": tenant_id, "customer_id": customer_id})).first()
    return _from_row(row) if row else None


async def update_if_version(connection: AsyncConnection, customer: Customer, expected_version: int) -> bool:
    """Write the customer if its stored version is still ``expected_version``; False when it moved on."""
    values = _to_row(customer)
    for key in _FIXED_COLUMNS:
        del values[key]
    values |= {"_id": customer.id, "_tenant_id": customer.tenant_id, "_expected_version": expected_version}
    result = await connection.execute(_UPDATE_IF_VERSION, values)
    return result.rowcount == 1


async def list_page(
    connection: AsyncConnection,
    tenant_id: str,
    *,
    limit: int,
    offset: int,
    status: str | None = None,
    customer_type: CustomerType | None = None,
    email: str | None = None,
) -> tuple[list[Customer], int]:
    """One page of the tenant's live customers, newest first, and the total matching the filters."""
    conditions = [customers.c.tenant_id == tenant_id, customers.c.deleted_at.is_(None)]
    if status is not None:
        conditions.append(customers.c.verification_status == status)
    if customer_type is not None:
        conditions.append(customers.c.type == customer_type.value)
    if email is not None:
        conditions.append(customers.c.email == email)
    page_query = (
        select(customers)
        .where(*conditions)
        .order_by(customers.c.created_at.desc(), customers.c.id.desc())
        .limit(limit)
        .offset(offset)
    )
    rows = (await connection.execute(page_query)).all()
    if email is not None:  # at most one live customer per email: counting is cheap
        total = (
            await connection.execute(select(func.count()).select_from(customers).where(*conditions))
        ).scalar_one()
    else:
        total = await _live_count(connection, tenant_id, status=status, customer_type=customer_type)
    return [_from_row(row) for row in rows], total


# --- live counts (a list's total) ---------------------------------------------------------------


async def _live_count(
    connection: AsyncConnection, tenant_id: str, *, status: str | None, customer_type: CustomerType | None
) -> int:
    query = select(func.coalesce(func.sum(customer_counts.c.live), 0)).where(
        customer_counts.c.tenant_id == tenant_id
    )
    if status is not None:
        query = query.where(customer_counts.c.verification_status == status)
    if customer_type is not None:
        query = query.where(customer_counts.c.type == customer_type.value)
    return int((await connection.execute(query)).scalar_one())


def _bucket(customer: Customer | None) -> tuple[str, str] | None:
    if customer is None or customer.deleted_at is not None:
        return None
    return customer.type.value, verification_profile(customer).status.value


async def count_transition(
    connection: AsyncConnection, tenant_id: str, before: Customer | None, after: Customer | None
) -> None:
    """Move a customer between the live counts, in the write's transaction (None: not live)."""
    old, new = _bucket(before), _bucket(after)
    if old == new:
        return
    changes = {bucket: delta for bucket, delta in ((old, -1), (new, +1)) if bucket is not None}
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    # Always in the same order, so that two writes moving customers in opposite directions cannot
    # deadlock on the two counter rows.
    for (customer_type, status), delta in sorted(changes.items()):
        statement = dialect.insert(customer_counts).values(
            tenant_id=tenant_id, type=customer_type, verification_status=status, live=delta
        )
        await connection.execute(
            statement.on_conflict_do_update(
                index_elements=["tenant_id", "type", "verification_status"],
                set_={"live": customer_counts.c.live + delta},
            )
        )


async def recount_any_tenant(connection: AsyncConnection) -> None:
    """Rebuild every tenant's live counts from the rows (after a bulk load that bypassed the API)."""
    await connection.execute(delete(customer_counts))
    grouped = (
        select(customers.c.tenant_id, customers.c.type, customers.c.verification_status, func.count())
        .where(customers.c.deleted_at.is_(None))
        .group_by(customers.c.tenant_id, customers.c.type, customers.c.verification_status)
    )
    await connection.execute(
        customer_counts.insert().from_select(["tenant_id", "type", "verification_status", "live"], grouped)
    )


# --- the audit trail ---------------------------------------------------------------------------


_INSERT_EVENT = customer_events.insert()


async def insert_event(connection: AsyncConnection, tenant_id: str, event: AuditEvent) -> None:
    await connection.execute(
        _INSERT_EVENT,
        {
            "tenant_id": tenant_id,
            "customer_id": event.customer_id,
            "kind": event.kind,
            "key_prefix": event.key_prefix,
            "role": event.role,
            "request_id": event.request_id,
            "changes": event.changes,
            "occurred_at": event.occurred_at,
        },
    )


async def exists_including_deleted(connection: AsyncConnection, tenant_id: str, customer_id: str) -> bool:
    """Whether the tenant ever had this customer: its history stays readable after a delete."""
    query = select(customers.c.id).where(customers.c.tenant_id == tenant_id, customers.c.id == customer_id)
    return (await connection.execute(query)).first() is not None


async def list_events(
    connection: AsyncConnection, tenant_id: str, customer_id: str, *, limit: int, offset: int
) -> tuple[list[AuditEvent], int]:
    """The customer's events, oldest first, and how many there are."""
    conditions = (customer_events.c.tenant_id == tenant_id, customer_events.c.customer_id == customer_id)
    columns = [column for column in customer_events.c if column.name != "tenant_id"]
    rows = await connection.execute(
        select(*columns).where(*conditions).order_by(customer_events.c.id).limit(limit).offset(offset)
    )
    total = (
        await connection.execute(select(func.count()).select_from(customer_events).where(*conditions))
    ).scalar_one()
    return [AuditEvent(**row._mapping) for row in rows], total
