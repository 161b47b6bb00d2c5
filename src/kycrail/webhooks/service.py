"""Webhook endpoints: register (the secret shown once), list, read, delete; at most
``MAX_ENDPOINTS`` per tenant and dialect."""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kycrail import db
from kycrail.db import utc_now, write_transaction
from kycrail.errors import FieldError, NotFound, WebhookLimitReached, WebhookUrlRefused
from kycrail.storage import Storage
from kycrail.webhooks import deliveries, repository, urls
from kycrail.webhooks.repository import Endpoint
from kycrail.webhooks.urls import UrlPolicy

MAX_ENDPOINTS = 10
SECRET_PREFIX = "whsec_"  # noqa: S105 (a prefix, not a secret): Standard Webhooks' form, base64 follows
ENDPOINT_NOT_FOUND = "Webhook not found"


@dataclass(frozen=True, slots=True)
class CreatedEndpoint:
    endpoint: Endpoint
    secret: str  # shown once: only its wrapped form is stored


def secret_bytes(secret: str) -> bytes:
    """The key a ``whsec_`` secret stands for (Standard Webhooks signs with it)."""
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


async def create_endpoint(
    storage: Storage,
    tenant_id: str,
    dialect: str,
    *,
    url: str,
    events: Sequence[str],
    name: str | None,
    policy: UrlPolicy,
) -> CreatedEndpoint:
    try:
        await urls.check(url, policy)
    except urls.UnsafeUrl as refused:
        raise WebhookUrlRefused(
            f"This URL cannot receive webhooks: it {refused}.",
            errors=(FieldError("/url", f"It {refused}."),),
        ) from None
    endpoint_id = "whk_" + uuid.uuid4().hex
    secret = SECRET_PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()
    wrapped = await storage.vault.wrap_secret(tenant_id, endpoint_id, secret.encode())
    endpoint = Endpoint(
        id=endpoint_id,
        tenant_id=tenant_id,
        dialect=dialect,
        name=name,
        url=url,
        events=tuple(dict.fromkeys(events)),  # each once, in the order given
        status="healthy",
        created_at=utc_now(),
    )
    async with write_transaction(storage.engine) as connection:
        await repository.lock_tenant(connection, tenant_id)
        if await repository.count_live(connection, tenant_id, dialect) >= MAX_ENDPOINTS:
            raise WebhookLimitReached(f"A tenant has at most {MAX_ENDPOINTS} webhooks: delete one first.")
        await repository.insert(connection, endpoint, wrapped)
    return CreatedEndpoint(endpoint, secret)


async def list_endpoints(storage: Storage, tenant_id: str, dialect: str) -> list[Endpoint]:
    async with db.connect(storage.engine) as connection:
        return await repository.list_live(connection, tenant_id, dialect)


async def get_endpoint(storage: Storage, tenant_id: str, dialect: str, endpoint_id: str) -> Endpoint:
    async with db.connect(storage.engine) as connection:
        endpoint = await repository.get(connection, tenant_id, dialect, endpoint_id)
    if endpoint is None:
        raise NotFound(ENDPOINT_NOT_FOUND)
    return endpoint


async def delete_endpoint(storage: Storage, tenant_id: str, dialect: str, endpoint_id: str) -> None:
    """Nothing more is delivered to it: what it still had pending is dead with it."""
    async with write_transaction(storage.engine) as connection:
        if not await repository.delete(connection, tenant_id, dialect, endpoint_id, utc_now()):
            raise NotFound(ENDPOINT_NOT_FOUND)
        await deliveries.kill_pending_of(connection, endpoint_id)  # the tenant's: deleted just above


async def rewrap_secrets(storage: Storage) -> int:
    """Every live endpoint's secret under the newest KEK (``kycrail kek rewrap``); returns how many."""
    vault = storage.vault
    async with db.connect(storage.engine) as connection:
        found = await repository.secrets_not_under_any_tenant(connection, vault.ring.newest.id)
    rewrapped = 0
    for tenant_id, endpoint_id, old in found:
        secret = await vault.unwrap_secret(tenant_id, endpoint_id, old)
        new = await vault.wrap_secret(tenant_id, endpoint_id, secret)
        async with write_transaction(storage.engine) as connection:
            rewrapped += await repository.replace_secret_if_unchanged(
                connection, tenant_id, endpoint_id, old, new
            )
    return rewrapped


DELIVERY_NOT_FOUND = "Delivery not found"


@dataclass(frozen=True, slots=True)
class DeliveryPage:
    deliveries: list[deliveries.Delivery]
    total: int  # in the endpoint's whole log


async def list_deliveries(
    storage: Storage, tenant_id: str, dialect: str, endpoint_id: str, *, limit: int, offset: int
) -> DeliveryPage:
    """A page of the endpoint's deliveries, newest first, with their attempts; an answer reads as
    empty once its customer is shredded."""
    async with db.connect(storage.engine) as connection:
        if await repository.get(connection, tenant_id, dialect, endpoint_id) is None:
            raise NotFound(ENDPOINT_NOT_FOUND)
        found = await deliveries.log_of(connection, storage.vault, tenant_id, endpoint_id, limit, offset)
        total = await deliveries.count_of(connection, tenant_id, endpoint_id)
    return DeliveryPage(found, total)


async def retry_delivery(
    storage: Storage, tenant_id: str, dialect: str, endpoint_id: str, message_id: str
) -> None:
    """Send one again now (a replay when it was delivered or given up), in its customer's order."""
    async with write_transaction(storage.engine) as connection:
        if await repository.get(connection, tenant_id, dialect, endpoint_id) is None:
            raise NotFound(ENDPOINT_NOT_FOUND)
        if not await deliveries.retry(connection, tenant_id, endpoint_id, message_id, utc_now()):
            raise NotFound(DELIVERY_NOT_FOUND)


async def customer_deliveries(
    storage: Storage, tenant_id: str, customer_id: str, *, limit: int = 50
) -> list[Any]:
    """The latest deliveries of a customer's events, to every endpoint (the console's customer page)."""
    async with db.connect(storage.engine) as connection:
        return await deliveries.of_customer(connection, tenant_id, customer_id, limit)
