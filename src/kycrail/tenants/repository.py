"""Every query on tenants and API keys."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select, update

from kycrail.driver.base import Connection
from kycrail.tenants.keys import Role
from kycrail.tenants.tables import api_keys, tenants


@dataclass(frozen=True, slots=True)
class Tenant:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class ApiKeyRecord:
    prefix: str
    tenant_id: str
    tenant_name: str
    key_hash: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None


_key_columns = (
    api_keys.c.prefix,
    api_keys.c.tenant_id,
    tenants.c.name.label("tenant_name"),
    api_keys.c.key_hash,
    api_keys.c.role,
    api_keys.c.created_at,
    api_keys.c.revoked_at,
)


def _key_record(row: object) -> ApiKeyRecord:
    mapping = row._mapping  # type: ignore[attr-defined]
    return ApiKeyRecord(**{**mapping, "role": Role(mapping["role"])})


async def find_tenant_by_name(connection: Connection, name: str) -> Tenant | None:
    row = (
        await connection.execute(select(tenants.c.id, tenants.c.name).where(tenants.c.name == name))
    ).first()
    return Tenant(id=row.id, name=row.name) if row else None


@dataclass(frozen=True, slots=True)
class TenantRecord:
    id: str
    name: str
    created_at: datetime
    active_keys: int


async def list_tenants_any_tenant(connection: Connection) -> list[TenantRecord]:
    """Every tenant, by name, with how many keys it holds that are not revoked."""
    active = (
        select(func.count())
        .where(api_keys.c.tenant_id == tenants.c.id, api_keys.c.revoked_at.is_(None))
        .scalar_subquery()
    )
    rows = await connection.execute(
        select(tenants.c.id, tenants.c.name, tenants.c.created_at, active.label("active_keys")).order_by(
            tenants.c.name
        )
    )
    return [TenantRecord(row.id, row.name, row.created_at, int(row.active_keys)) for row in rows]


async def insert_tenant(connection: Connection, tenant: Tenant, created_at: datetime) -> None:
    await connection.execute(tenants.insert().values(id=tenant.id, name=tenant.name, created_at=created_at))


async def insert_key(
    connection: Connection,
    *,
    prefix: str,
    tenant_id: str,
    key_hash: str,
    role: Role,
    created_at: datetime,
) -> None:
    await connection.execute(
        api_keys.insert().values(
            prefix=prefix, tenant_id=tenant_id, key_hash=key_hash, role=role.value, created_at=created_at
        )
    )


_KEY_BY_PREFIX = (
    select(*_key_columns)
    .join(tenants, tenants.c.id == api_keys.c.tenant_id)
    .where(api_keys.c.prefix == bindparam("prefix"))
)


async def find_key_by_prefix_any_tenant(connection: Connection, prefix: str) -> ApiKeyRecord | None:
    """Authentication looks a key up before it knows the tenant: that is the point of it."""
    row = (await connection.execute(_KEY_BY_PREFIX, {"prefix": prefix})).first()
    return _key_record(row) if row else None


async def list_keys_any_tenant(connection: Connection) -> list[ApiKeyRecord]:
    """The operator's listing across all tenants (CLI only, never reachable over HTTP)."""
    query = select(*_key_columns).join(tenants, tenants.c.id == api_keys.c.tenant_id)
    rows = await connection.execute(query.order_by(api_keys.c.created_at, api_keys.c.prefix))
    return [_key_record(row) for row in rows]


async def revoke_key_any_tenant(connection: Connection, prefix: str, revoked_at: datetime) -> bool:
    """Revoke by prefix (CLI only). Returns False when no unrevoked key has that prefix."""
    result = await connection.execute(
        update(api_keys)
        .where(api_keys.c.prefix == prefix, api_keys.c.revoked_at.is_(None))
        .values(revoked_at=revoked_at)
    )
    return result.rowcount == 1
