"""Use cases for tenants and keys: create, list, revoke, authenticate."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from kycrail.db import utc_now, write_transaction
from kycrail.tenants import keys, repository
from kycrail.tenants.keys import Role
from kycrail.tenants.repository import ApiKeyRecord, Tenant

SANDBOX_TENANT = "sandbox"
_TENANT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class InvalidTenantName(ValueError):
    pass


class KeyNotFound(LookupError):
    pass


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: travels with every authenticated request."""

    tenant_id: str
    key_prefix: str
    role: Role


@dataclass(frozen=True, slots=True)
class CreatedKey:
    secret: str
    record: ApiKeyRecord


async def _get_or_create_tenant(connection: AsyncConnection, name: str) -> Tenant:
    existing = await repository.find_tenant_by_name(connection, name)
    if existing:
        return existing
    tenant = Tenant(id="tenant_" + secrets.token_hex(16), name=name)
    await repository.insert_tenant(connection, tenant, utc_now())
    return tenant


async def create_key(engine: AsyncEngine, tenant_name: str, role: Role = Role.api) -> CreatedKey:
    """Create the tenant if it is new, then a key for it. The secret is returned once, here."""
    if not _TENANT_NAME.fullmatch(tenant_name):
        raise InvalidTenantName(
            "tenant names are 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )
    # Two creators racing for a new tenant name: the loser's insert fails on the unique name and
    # its second attempt finds the winner's tenant.
    for attempt in range(2):
        try:
            async with write_transaction(engine) as connection:
                tenant = await _get_or_create_tenant(connection, tenant_name)
                secret = keys.generate_key()
                record = ApiKeyRecord(
                    prefix=keys.display_prefix(secret),
                    tenant_id=tenant.id,
                    tenant_name=tenant.name,
                    key_hash=keys.hash_key(secret),
                    role=role,
                    created_at=utc_now(),
                    revoked_at=None,
                )
                await repository.insert_key(
                    connection,
                    prefix=record.prefix,
                    tenant_id=record.tenant_id,
                    key_hash=record.key_hash,
                    role=record.role,
                    created_at=record.created_at,
                )
                return CreatedKey(secret=secret, record=record)
        except IntegrityError:
            if attempt == 1:
                raise
    raise AssertionError("unreachable")


async def list_keys(engine: AsyncEngine) -> list[ApiKeyRecord]:
    async with engine.connect() as connection:
        return await repository.list_keys_any_tenant(connection)


async def revoke_key(engine: AsyncEngine, prefix: str) -> None:
    async with write_transaction(engine) as connection:
        if not await repository.revoke_key_any_tenant(connection, prefix, utc_now()):
            raise KeyNotFound(prefix)


async def authenticate(engine: AsyncEngine, presented_key: str) -> Principal | None:
    """The principal for a presented key, or None whatever the reason (bad shape, unknown, revoked)."""
    if not keys.is_well_formed(presented_key):
        return None
    async with engine.connect() as connection:
        record = await repository.find_key_by_prefix_any_tenant(
            connection, keys.display_prefix(presented_key)
        )
    # Compare the hash even when the key is revoked, so both refusals cost the same.
    if record is None or not keys.matches(presented_key, record.key_hash) or record.revoked_at is not None:
        return None
    return Principal(tenant_id=record.tenant_id, key_prefix=record.prefix, role=record.role)


async def sandbox_tenant_exists(engine: AsyncEngine) -> bool:
    async with engine.connect() as connection:
        return await repository.find_tenant_by_name(connection, SANDBOX_TENANT) is not None
