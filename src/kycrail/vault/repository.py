"""Every query on data keys. Each names the tenant, except the rewrap's, which says so (``_any_tenant``)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, func, select, update

from kycrail.driver.base import Connection
from kycrail.vault.tables import data_keys
from kycrail.vault.vault import WrappedKey

_INSERT = data_keys.insert()
_GET = select(data_keys.c.kek_id, data_keys.c.wrapped_key).where(
    data_keys.c.tenant_id == bindparam("tenant_id"), data_keys.c.customer_id == bindparam("customer_id")
)


async def insert(
    connection: Connection, tenant_id: str, customer_id: str, key: WrappedKey, now: datetime
) -> None:
    await connection.execute(
        _INSERT,
        {
            "customer_id": customer_id,
            "tenant_id": tenant_id,
            "kek_id": key.kek_id,
            "wrapped_key": key.wrapped,
            "created_at": now,
        },
    )


async def get(connection: Connection, tenant_id: str, customer_id: str) -> WrappedKey | None:
    row = (await connection.execute(_GET, {"tenant_id": tenant_id, "customer_id": customer_id})).first()
    return WrappedKey(row.kek_id, bytes(row.wrapped_key)) if row else None


async def destroy(connection: Connection, tenant_id: str, customer_id: str) -> None:
    """Crypto-shredding: without its data key, nothing sealed for this customer opens again."""
    await connection.execute(
        delete(data_keys).where(data_keys.c.tenant_id == tenant_id, data_keys.c.customer_id == customer_id)
    )


async def not_under_any_tenant(
    connection: Connection, kek_id: str, *, after: str, limit: int
) -> list[tuple[str, str, WrappedKey]]:
    """(tenant, customer, wrapped key) of keys wrapped by another KEK than ``kek_id``, by customer id."""
    rows = await connection.execute(
        select(data_keys.c.tenant_id, data_keys.c.customer_id, data_keys.c.kek_id, data_keys.c.wrapped_key)
        .where(data_keys.c.kek_id != kek_id, data_keys.c.customer_id > after)
        .order_by(data_keys.c.customer_id)
        .limit(limit)
    )
    return [(row.tenant_id, row.customer_id, WrappedKey(row.kek_id, bytes(row.wrapped_key))) for row in rows]


async def replace_if_unchanged(
    connection: Connection, tenant_id: str, customer_id: str, old: WrappedKey, new: WrappedKey
) -> bool:
    """Store the rewrapped key unless the row moved on (shredded, or rewrapped by another run)."""
    result = await connection.execute(
        update(data_keys)
        .where(
            data_keys.c.tenant_id == tenant_id,
            data_keys.c.customer_id == customer_id,
            data_keys.c.kek_id == old.kek_id,
            data_keys.c.wrapped_key == old.wrapped,
        )
        .values(kek_id=new.kek_id, wrapped_key=new.wrapped)
    )
    return result.rowcount == 1


async def count_by_kek_any_tenant(connection: Connection) -> dict[str, int]:
    """How many data keys each KEK wraps (a KEK wrapping none can be retired)."""
    rows = await connection.execute(select(data_keys.c.kek_id, func.count()).group_by(data_keys.c.kek_id))
    return {kek_id: count for kek_id, count in rows}
