"""Every query on customers. Each one carries the tenant predicate, UPDATE included."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, delete, func, select, tuple_, update

from kycrail.customers import codec
from kycrail.customers.audit import AuditEvent
from kycrail.customers.model import Customer, CustomerType
from kycrail.customers.tables import customer_counts, customer_events, customers
from kycrail.customers.verification import Stage, verification_profile, verification_stage
from kycrail.db import insert_with_conflicts
from kycrail.driver.base import Connection
from kycrail.vault import repository as data_keys
from kycrail.vault.envelope import DataKey, context
from kycrail.vault.kek import KeyUnavailable
from kycrail.vault.tables import data_keys as data_keys_table
from kycrail.vault.vault import Vault, WrappedKey

# The associated data of the sealed personal document names this field.
PERSONAL_FIELD = "customers.personal"

# --- model <-> row -----------------------------------------------------------------------------


def _to_row(vault: Vault, key: DataKey, customer: Customer) -> dict[str, Any]:
    live = customer.deleted_at is None
    index = vault.blind_index
    return {
        "id": customer.id,
        "tenant_id": customer.tenant_id,
        "type": customer.type.value,
        "verification_status": verification_profile(customer).status.value,
        "verification_stage": verification_stage(customer).value,
        "email_index": index.email(customer.tenant_id, customer.email) if live and customer.email else None,
        "phone_index": index.phone(customer.tenant_id, customer.phone) if live and customer.phone else None,
        "personal": key.seal(codec.personal_document(customer), context(customer.id, PERSONAL_FIELD)),
        "submitted_at": customer.submitted_at,
        "created_at": customer.created_at,
        "updated_at": customer.updated_at,
        "deleted_at": customer.deleted_at,
        "erased_at": None,
        "version": customer.version,
    }


async def _from_row(vault: Vault, row: Any) -> Customer:
    key = await vault.open_data_key(row.tenant_id, row.id, WrappedKey(row.kek_id, bytes(row.wrapped_key)))
    return codec.customer_from(row, key.open(bytes(row.personal), context(row.id, PERSONAL_FIELD)))


async def data_key(connection: Connection, vault: Vault, tenant_id: str, customer_id: str) -> DataKey:
    """The customer's data key: the one this process opened as it read the row, or read again.
    Raises KeyUnavailable once the customer is shredded."""
    key = vault.opened(customer_id)
    if key is not None:
        return key
    wrapped = await data_keys.get(connection, tenant_id, customer_id)
    if wrapped is None:
        raise KeyUnavailable(f"the data key of {customer_id} is destroyed")
    return await vault.open_data_key(tenant_id, customer_id, wrapped)


# --- queries -----------------------------------------------------------------------------------


# The hot statements are built once: SQLAlchemy then reuses their compiled form (and cache key) on
# every call instead of coercing each clause again. Every one names the tenant. A customer is read
# with its wrapped data key; a shredded one has none, and is never read again.
_WITH_KEY = select(customers, data_keys_table.c.kek_id, data_keys_table.c.wrapped_key).join(
    data_keys_table,
    and_(
        data_keys_table.c.customer_id == customers.c.id,
        data_keys_table.c.tenant_id == customers.c.tenant_id,
    ),
)
_GET = _WITH_KEY.where(
    customers.c.tenant_id == bindparam("tenant_id"),
    customers.c.id == bindparam("customer_id"),
)
_GET_LIVE = _GET.where(customers.c.deleted_at.is_(None))
_GET_LIVE_FOR_UPDATE = _GET_LIVE.with_for_update(of=customers)
_GET_ANY_FOR_UPDATE = _GET.with_for_update(of=customers)
_INSERT = customers.insert()
# Never changed by an update: the row's identity, its owner, its type, its creation time.
_FIXED_COLUMNS = ("id", "tenant_id", "type", "created_at", "erased_at")
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


async def insert(connection: Connection, vault: Vault, customer: Customer) -> None:
    """A new customer with a data key of its own."""
    key, wrapped = await vault.new_data_key(customer.tenant_id, customer.id)
    await connection.execute(_INSERT, _to_row(vault, key, customer))
    await data_keys.insert(connection, customer.tenant_id, customer.id, wrapped, customer.created_at)


def with_key() -> Any:
    """A select of customers with their wrapped data keys, for queries elsewhere (the review desk's
    queue) that add their own tenant predicate and read rows with ``from_row``."""
    return _WITH_KEY


async def from_row(vault: Vault, row: Any) -> Customer:
    return await _from_row(vault, row)


async def get(
    connection: Connection,
    vault: Vault,
    tenant_id: str,
    customer_id: str,
    *,
    for_update: bool = False,
    deleted_too: bool = False,
) -> Customer | None:
    """A live customer of this tenant (``deleted_too``: or one deleted but not yet shredded).
    ``for_update`` locks the row until the transaction ends (PostgreSQL; SQLite's write transactions
    already hold the database's write lock)."""
    if deleted_too:
        query = _GET_ANY_FOR_UPDATE if for_update else _GET
    else:
        query = _GET_LIVE_FOR_UPDATE if for_update else _GET_LIVE
    row = (await connection.execute(query, {"tenant_id": tenant_id, "customer_id": customer_id})).first()
    return await _from_row(vault, row) if row else None


async def update_if_version(
    connection: Connection, vault: Vault, customer: Customer, expected_version: int
) -> bool:
    """Write the customer if its stored version is still ``expected_version``; False when it moved on."""
    key = await data_key(connection, vault, customer.tenant_id, customer.id)
    values = _to_row(vault, key, customer)
    for name in _FIXED_COLUMNS:
        del values[name]
    values |= {"_id": customer.id, "_tenant_id": customer.tenant_id, "_expected_version": expected_version}
    result = await connection.execute(_UPDATE_IF_VERSION, values)
    return result.rowcount == 1


async def shred(connection: Connection, vault: Vault, erased: Customer, now: datetime) -> None:
    """Crypto-shredding: destroy the customer's data key, and drop the sealed document and the blind
    indexes. What remains of the row: id, tenant, type, timestamps, verification status."""
    await data_keys.destroy(connection, erased.tenant_id, erased.id)
    vault.forget(erased.id)
    await connection.execute(
        update(customers)
        .where(customers.c.tenant_id == erased.tenant_id, customers.c.id == erased.id)
        .values(
            personal=None,
            email_index=None,
            phone_index=None,
            deleted_at=erased.deleted_at or now,
            erased_at=now,
            updated_at=erased.updated_at,
            version=erased.version,
        )
    )


async def expired_any_tenant(
    connection: Connection, deleted_before: datetime, limit: int
) -> list[tuple[str, str]]:
    """(tenant, customer) of deleted customers past retention, not yet shredded, oldest first."""
    rows = await connection.execute(
        select(customers.c.tenant_id, customers.c.id)
        .where(customers.c.deleted_at < deleted_before, customers.c.erased_at.is_(None))
        .order_by(customers.c.deleted_at)
        .limit(limit)
    )
    return [(row.tenant_id, row.id) for row in rows]


async def page_any_tenant(
    connection: Connection,
    vault: Vault,
    after: tuple[str, str] | None,
    limit: int,
    *,
    updated_since: datetime | None = None,
) -> list[Customer]:
    """Live customers of every tenant (those written since ``updated_since``, if given), in (tenant, id)
    order after ``after``: how a job that concerns them all (screening them again after a list update)
    walks them, and resumes."""
    query = _WITH_KEY.where(customers.c.deleted_at.is_(None))
    if updated_since is not None:
        query = query.where(customers.c.updated_at >= updated_since)
    if after is not None:
        query = query.where(tuple_(customers.c.tenant_id, customers.c.id) > tuple_(*after))
    rows = (
        await connection.execute(query.order_by(customers.c.tenant_id, customers.c.id).limit(limit))
    ).all()
    return [await _from_row(vault, row) for row in rows]


async def list_page(
    connection: Connection,
    vault: Vault,
    tenant_id: str,
    *,
    limit: int,
    offset: int,
    status: str | None = None,
    stage: Stage | None = None,
    customer_type: CustomerType | None = None,
    email: str | None = None,
) -> tuple[list[Customer], int]:
    """One page of the tenant's live customers, newest first, and the total matching the filters."""
    conditions = [customers.c.tenant_id == tenant_id, customers.c.deleted_at.is_(None)]
    if status is not None:
        conditions.append(customers.c.verification_status == status)
    if stage is not None:
        conditions.append(customers.c.verification_stage == stage.value)
    if customer_type is not None:
        conditions.append(customers.c.type == customer_type.value)
    if email is not None:
        conditions.append(customers.c.email_index == vault.blind_index.email(tenant_id, email))
    page_query = (
        _WITH_KEY.where(*conditions)
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
        total = await _live_count(
            connection, tenant_id, status=status, stage=stage, customer_type=customer_type
        )
    return [await _from_row(vault, row) for row in rows], total


# --- live counts (a list's total) ---------------------------------------------------------------


async def live_count(
    connection: Connection,
    tenant_id: str,
    *,
    status: str | None = None,
    stage: Stage | None = None,
    customer_type: CustomerType | None = None,
) -> int:
    """How many live customers the tenant has with this status, stage and type, from the counters a
    write keeps (not a scan)."""
    return await _live_count(connection, tenant_id, status=status, stage=stage, customer_type=customer_type)


async def _live_count(
    connection: Connection,
    tenant_id: str,
    *,
    status: str | None,
    stage: Stage | None,
    customer_type: CustomerType | None,
) -> int:
    query = select(func.coalesce(func.sum(customer_counts.c.live), 0)).where(
        customer_counts.c.tenant_id == tenant_id
    )
    if status is not None:
        query = query.where(customer_counts.c.verification_status == status)
    if stage is not None:
        query = query.where(customer_counts.c.verification_stage == stage.value)
    if customer_type is not None:
        query = query.where(customer_counts.c.type == customer_type.value)
    return int((await connection.execute(query)).scalar_one())


def _bucket(customer: Customer | None) -> tuple[str, str, str] | None:
    if customer is None or customer.deleted_at is not None:
        return None
    status = verification_profile(customer).status.value
    return customer.type.value, status, verification_stage(customer).value


async def count_transition(
    connection: Connection, tenant_id: str, before: Customer | None, after: Customer | None
) -> None:
    """Move a customer between the live counts, in the write's transaction (None: not live)."""
    old, new = _bucket(before), _bucket(after)
    if old == new:
        return
    changes = {bucket: delta for bucket, delta in ((old, -1), (new, +1)) if bucket is not None}
    # Always in the same order, so that two writes moving customers in opposite directions cannot
    # deadlock on the two counter rows.
    for (customer_type, status, stage), delta in sorted(changes.items()):
        statement = insert_with_conflicts(connection.dialect, customer_counts).values(
            tenant_id=tenant_id,
            type=customer_type,
            verification_status=status,
            verification_stage=stage,
            live=delta,
        )
        await connection.execute(
            statement.on_conflict_do_update(
                index_elements=["tenant_id", "type", "verification_status", "verification_stage"],
                set_={"live": customer_counts.c.live + delta},
            )
        )


_BUCKET_COLUMNS = ("tenant_id", "type", "verification_status", "verification_stage")
_RECOUNT = customer_counts.insert().from_select(
    [*_BUCKET_COLUMNS, "live"],
    select(*(customers.c[name] for name in _BUCKET_COLUMNS), func.count())
    .where(customers.c.deleted_at.is_(None))
    .group_by(*(customers.c[name] for name in _BUCKET_COLUMNS)),
)


async def recount_any_tenant(connection: Connection) -> None:
    """Rebuild every tenant's live counts from the rows (after a bulk load that bypassed the API)."""
    await connection.execute(delete(customer_counts))
    await connection.execute(_RECOUNT)


# --- the audit trail ---------------------------------------------------------------------------


_INSERT_EVENT = customer_events.insert()


async def insert_event(connection: Connection, tenant_id: str, event: AuditEvent) -> None:
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
            "operator_id": event.operator_id,
        },
    )


async def exists_including_deleted(connection: Connection, tenant_id: str, customer_id: str) -> bool:
    """Whether the tenant ever had this customer: its history stays readable after a delete (and
    after shredding)."""
    query = select(customers.c.id).where(customers.c.tenant_id == tenant_id, customers.c.id == customer_id)
    return (await connection.execute(query)).first() is not None


async def list_events(
    connection: Connection, tenant_id: str, customer_id: str, *, limit: int, offset: int
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
