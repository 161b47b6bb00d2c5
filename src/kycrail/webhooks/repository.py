"""Every query on webhook endpoints. Each names the tenant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from kycrail.driver.base import Connection
from kycrail.tenants.tables import tenants
from kycrail.vault.vault import WrappedKey
from kycrail.webhooks.tables import webhook_endpoints


@dataclass(frozen=True, slots=True)
class Endpoint:
    id: str
    tenant_id: str
    dialect: str
    name: str | None
    url: str
    events: tuple[str, ...]
    status: str
    created_at: datetime


_LIVE = webhook_endpoints.c.deleted_at.is_(None)


def _endpoint(row: Any) -> Endpoint:
    return Endpoint(
        id=row.id,
        tenant_id=row.tenant_id,
        dialect=row.dialect,
        name=row.name,
        url=row.url,
        events=tuple(row.events),
        status=row.status,
        created_at=row.created_at,
    )


async def lock_tenant(connection: Connection, tenant_id: str) -> None:
    """Serialise the tenant's endpoint changes (the per-tenant limit is counted, then kept)."""
    await connection.execute(select(tenants.c.id).where(tenants.c.id == tenant_id).with_for_update())


async def count_live(connection: Connection, tenant_id: str, dialect: str) -> int:
    query = select(func.count()).where(
        webhook_endpoints.c.tenant_id == tenant_id, webhook_endpoints.c.dialect == dialect, _LIVE
    )
    return int((await connection.execute(query)).scalar_one())


async def insert(connection: Connection, endpoint: Endpoint, secret: WrappedKey) -> None:
    await connection.execute(
        webhook_endpoints.insert().values(
            id=endpoint.id,
            tenant_id=endpoint.tenant_id,
            dialect=endpoint.dialect,
            name=endpoint.name,
            url=endpoint.url,
            events=list(endpoint.events),
            secret_kek_id=secret.kek_id,
            secret_wrapped=secret.wrapped,
            status=endpoint.status,
            created_at=endpoint.created_at,
        )
    )


async def list_live(connection: Connection, tenant_id: str, dialect: str) -> list[Endpoint]:
    rows = await connection.execute(
        select(webhook_endpoints)
        .where(webhook_endpoints.c.tenant_id == tenant_id, webhook_endpoints.c.dialect == dialect, _LIVE)
        .order_by(webhook_endpoints.c.created_at, webhook_endpoints.c.id)
    )
    return [_endpoint(row) for row in rows]


async def get(connection: Connection, tenant_id: str, dialect: str, endpoint_id: str) -> Endpoint | None:
    row = (
        await connection.execute(
            select(webhook_endpoints).where(
                webhook_endpoints.c.tenant_id == tenant_id,
                webhook_endpoints.c.dialect == dialect,
                webhook_endpoints.c.id == endpoint_id,
                _LIVE,
            )
        )
    ).first()
    return _endpoint(row) if row else None


async def delete(
    connection: Connection, tenant_id: str, dialect: str, endpoint_id: str, now: datetime
) -> bool:
    """Stop delivering to it; its secret goes with it. False when there was no such live endpoint."""
    result = await connection.execute(
        update(webhook_endpoints)
        .where(
            webhook_endpoints.c.tenant_id == tenant_id,
            webhook_endpoints.c.dialect == dialect,
            webhook_endpoints.c.id == endpoint_id,
            _LIVE,
        )
        .values(deleted_at=now, secret_wrapped=b"")
    )
    return result.rowcount == 1


async def secrets_not_under_any_tenant(
    connection: Connection, kek_id: str
) -> list[tuple[str, str, WrappedKey]]:
    """(tenant, endpoint, wrapped secret) of live endpoints whose secret another KEK than ``kek_id`` wraps."""
    rows = await connection.execute(
        select(
            webhook_endpoints.c.tenant_id,
            webhook_endpoints.c.id,
            webhook_endpoints.c.secret_kek_id,
            webhook_endpoints.c.secret_wrapped,
        ).where(webhook_endpoints.c.secret_kek_id != kek_id, _LIVE)
    )
    return [(row.tenant_id, row.id, WrappedKey(row.secret_kek_id, bytes(row.secret_wrapped))) for row in rows]


async def replace_secret_if_unchanged(
    connection: Connection, tenant_id: str, endpoint_id: str, old: WrappedKey, new: WrappedKey
) -> bool:
    result = await connection.execute(
        update(webhook_endpoints)
        .where(
            webhook_endpoints.c.tenant_id == tenant_id,
            webhook_endpoints.c.id == endpoint_id,
            webhook_endpoints.c.secret_kek_id == old.kek_id,
            webhook_endpoints.c.secret_wrapped == old.wrapped,
        )
        .values(secret_kek_id=new.kek_id, secret_wrapped=new.wrapped)
    )
    return result.rowcount == 1


async def count_by_kek_any_tenant(connection: Connection) -> dict[str, int]:
    """How many live endpoints' secrets each KEK wraps."""
    rows = await connection.execute(
        select(webhook_endpoints.c.secret_kek_id, func.count())
        .where(_LIVE)
        .group_by(webhook_endpoints.c.secret_kek_id)
    )
    return {kek_id: count for kek_id, count in rows}
