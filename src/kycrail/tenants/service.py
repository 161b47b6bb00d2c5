"""Use cases for tenants and keys: create, list, revoke, authenticate."""

from __future__ import annotations

import hmac
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail import db
from kycrail.db import utc_now, write_transaction
from kycrail.driver.base import Connection
from kycrail.tenants import keys, repository
from kycrail.tenants.keys import Role
from kycrail.tenants.repository import ApiKeyRecord, Tenant

SANDBOX_TENANT = "sandbox"
_TENANT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


class InvalidTenantName(ValueError):
    pass


class KeyNotFound(LookupError):
    pass


class UnknownTenant(LookupError):
    pass


class TenantExists(ValueError):
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


def _check_name(name: str) -> None:
    if not _TENANT_NAME.fullmatch(name):
        raise InvalidTenantName(
            "tenant names are 1-100 letters, digits, '.', '_' or '-', starting with a letter or digit"
        )


async def _insert_tenant(connection: Connection, name: str) -> Tenant:
    tenant = Tenant(id="tenant_" + secrets.token_hex(16), name=name)
    await repository.insert_tenant(connection, tenant, utc_now())
    return tenant


async def _get_or_create_tenant(connection: Connection, name: str, *, create: bool) -> Tenant:
    existing = await repository.find_tenant_by_name(connection, name)
    if existing:
        return existing
    if not create:
        raise UnknownTenant(name)
    return await _insert_tenant(connection, name)


async def find_tenant(engine: AsyncEngine, name: str) -> Tenant:
    """The tenant of this name; UnknownTenant when there is none."""
    async with db.connect(engine) as connection:
        return await _get_or_create_tenant(connection, name, create=False)


async def create_tenant(engine: AsyncEngine, name: str) -> Tenant:
    """A new tenant; TenantExists when the name is taken."""
    _check_name(name)
    try:
        async with write_transaction(engine) as connection:
            if await repository.find_tenant_by_name(connection, name):
                raise TenantExists(name)
            return await _insert_tenant(connection, name)
    except IntegrityError:  # a concurrent creator took the name first
        raise TenantExists(name) from None


async def list_tenants(engine: AsyncEngine) -> list[repository.TenantRecord]:
    async with db.connect(engine) as connection:
        return await repository.list_tenants_any_tenant(connection)


async def create_key(
    engine: AsyncEngine, tenant_name: str, role: Role = Role.api, *, new_tenant: bool = True
) -> CreatedKey:
    """A key for the tenant, created with it if it is new (``new_tenant``; otherwise UnknownTenant).
    The secret is returned once, here."""
    _check_name(tenant_name)
    # Two creators racing for a new tenant name: the loser's insert fails on the unique name and
    # its second attempt finds the winner's tenant.
    for attempt in range(2):
        try:
            async with write_transaction(engine) as connection:
                tenant = await _get_or_create_tenant(connection, tenant_name, create=new_tenant)
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
    async with db.connect(engine) as connection:
        return await repository.list_keys_any_tenant(connection)


async def revoke_key(engine: AsyncEngine, prefix: str) -> None:
    async with write_transaction(engine) as connection:
        if not await repository.revoke_key_any_tenant(connection, prefix, utc_now()):
            raise KeyNotFound(prefix)


class KeyCache:
    """Recently authenticated keys, by their hash, for a few seconds: most requests then need no key
    lookup in the database. Only successes are kept (a new key works at once); a revocation reaches
    a process within ``ttl_seconds``. Per process: nothing depends on it beyond that delay."""

    MAX_ENTRIES = 10_000

    def __init__(self, ttl_seconds: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl_seconds = ttl_seconds
        self.clock = clock
        self._entries: dict[str, tuple[Principal, float]] = {}

    def get(self, key_hash: str) -> Principal | None:
        entry = self._entries.get(key_hash)
        if entry is None or entry[1] <= self.clock():
            return None
        return entry[0]

    def put(self, key_hash: str, principal: Principal) -> None:
        if self.ttl_seconds <= 0:
            return
        if len(self._entries) >= self.MAX_ENTRIES:
            self._entries.clear()  # rare; simpler than an LRU, and refilled within seconds
        self._entries[key_hash] = (principal, self.clock() + self.ttl_seconds)


async def authenticate(
    engine: AsyncEngine, presented_key: str, cache: KeyCache | None = None
) -> Principal | None:
    """The principal for a presented key, or None whatever the reason (bad shape, unknown, revoked)."""
    if not keys.is_well_formed(presented_key):
        return None
    key_hash = keys.hash_key(presented_key)
    if cache is not None and (cached := cache.get(key_hash)) is not None:
        return cached  # found by the whole key's hash: the lookup is the comparison
    async with db.connect(engine) as connection:
        record = await repository.find_key_by_prefix_any_tenant(
            connection, keys.display_prefix(presented_key)
        )
    # Compare the hash even when the key is revoked, so both refusals cost the same.
    if record is None or not hmac.compare_digest(key_hash, record.key_hash) or record.revoked_at is not None:
        return None
    principal = Principal(tenant_id=record.tenant_id, key_prefix=record.prefix, role=record.role)
    if cache is not None:
        cache.put(key_hash, principal)
    return principal


async def sandbox_tenant_exists(engine: AsyncEngine) -> bool:
    async with db.connect(engine) as connection:
        return await repository.find_tenant_by_name(connection, SANDBOX_TENANT) is not None
