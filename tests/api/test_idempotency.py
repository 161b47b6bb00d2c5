"""Idempotency keys: a retried write gets the first answer (api/common/idempotency.py)."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.customers.tables import customers
from kycrail.db import utc_now
from kycrail.idempotency import store
from kycrail.idempotency.tables import idempotency_keys
from kycrail.storage import Storage
from tests.api.calls import mint
from tests.factories import jane


async def _customer_count(engine: AsyncEngine) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(select(func.count()).select_from(customers))).scalar_one())


async def test_a_retried_create_returns_the_same_customer_and_creates_one(
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine
) -> None:
    keyed = {**headers, "Idempotency-Key": "create-jane-1"}
    first = await client.post("/v2/customer", json=jane(), headers=keyed)
    again = await client.post("/v2/customer", json=jane(), headers=keyed)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert again.headers["etag"] == first.headers["etag"]
    assert await _customer_count(engine) == 1


async def test_a_key_reused_with_another_request_is_refused(
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine
) -> None:
    keyed = {**headers, "Idempotency-Key": "k-1"}
    assert (await client.post("/v2/customer", json=jane(), headers=keyed)).status_code == 201
    other_body = await client.post(
        "/v2/customer", json=jane(email="x@example.com", phone="+14155550111"), headers=keyed
    )
    assert other_body.status_code == 409
    assert other_body.json()["code"] == "idempotency/conflict"
    other_path = await client.post("/v1/customers", json={}, headers=keyed)
    assert other_path.status_code == 409
    assert other_path.json()["code"] == "idempotency_conflict"  # in Swipelux's shape
    assert await _customer_count(engine) == 1


async def test_keys_belong_to_their_tenant(
    client: httpx.AsyncClient, headers: dict[str, str], other_headers: dict[str, str], engine: AsyncEngine
) -> None:
    first = await client.post("/v2/customer", json=jane(), headers={**headers, "Idempotency-Key": "shared"})
    second = await client.post(
        "/v2/customer", json=jane(), headers={**other_headers, "Idempotency-Key": "shared"}
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert await _customer_count(engine) == 2


async def test_a_duplicate_while_the_first_runs_is_told_to_retry(
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine, api_key: str, storage: Storage
) -> None:
    from kycrail.api.common.idempotency import fingerprint
    from kycrail.tenants import service

    principal = await service.authenticate(engine, headers["Authorization"].removeprefix("Bearer "))
    assert principal is not None
    body = b'{"metadata":{}}'
    keyed = fingerprint("POST", "/v1/customers", b"", body, key=storage.vault.blind_index.fingerprint_key)
    claimed = await store.claim(engine, principal.tenant_id, "in-flight", (keyed,), utc_now())
    assert claimed is store.Claim.claimed  # as if another process were running it now
    response = await client.post(
        "/v1/customers",
        content=body,
        headers={**headers, "Idempotency-Key": "in-flight", "Content-Type": "application/json"},
    )
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_request_in_progress"
    assert response.headers["retry-after"] == "1"
    assert response.json()["retryable"] is True


async def test_a_server_error_releases_the_key_so_a_retry_runs_again(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = (await client.post("/v1/customers", json={}, headers=headers)).json()
    token = await mint(client, headers)
    keyed = {**headers, "Idempotency-Key": "import-1"}
    app.state.emulator.knobs.fail_with_5xx = 1
    failed = await client.put(f"/v1/customers/{created['id']}", json={"shareToken": token}, headers=keyed)
    assert failed.status_code == 502
    retried = await client.put(f"/v1/customers/{created['id']}", json={"shareToken": token}, headers=keyed)
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "approved"


@pytest.mark.parametrize("key", ["", "x" * 256, "has space", "ünï"])
async def test_a_malformed_key_is_refused(
    client: httpx.AsyncClient, headers: dict[str, str], key: str
) -> None:
    response = await client.post(
        "/v2/customer", json=jane(), headers={**headers, "Idempotency-Key": key.encode()}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "idempotency/key-invalid"


async def test_old_keys_are_pruned_and_abandoned_claims_taken_over(engine: AsyncEngine, api_key: str) -> None:
    from kycrail.tenants import service

    principal = await service.authenticate(engine, api_key)
    assert principal is not None
    tenant, now = principal.tenant_id, utc_now()
    assert await store.claim(engine, tenant, "old", "f", now - timedelta(hours=25)) is store.Claim.claimed
    assert await store.claim(engine, tenant, "stuck", "f", now - timedelta(minutes=5)) is store.Claim.claimed
    assert await store.claim(engine, tenant, "fresh", "f", now) is store.Claim.claimed
    assert await store.claim(engine, tenant, "fresh", "f", now) is store.Claim.running
    assert await store.claim(engine, tenant, "stuck", "f", now) is store.Claim.claimed  # its request died
    assert await store.prune_any_tenant(engine, now) == 1
    async with engine.connect() as connection:
        keys = {row.key for row in await connection.execute(select(idempotency_keys.c.key))}
    assert keys == {"stuck", "fresh"}
