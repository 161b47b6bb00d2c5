"""ETag and If-Match, the audit trail, idempotency keys and request limits (in-process)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.app import create_app
from kycrail.config import load_settings
from kycrail.customers.tables import customers
from kycrail.db import utc_now
from kycrail.idempotency import store
from kycrail.idempotency.tables import idempotency_keys
from tests.api import documents
from tests.api.conftest import jane
from tests.api.test_sphere_documents import upload
from tests.api.test_swipelux_import import mint

# --- ETag and If-Match --------------------------------------------------------------------------


async def test_every_customer_response_carries_its_version_as_etag(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await client.post("/v2/customer", json=jane(), headers=headers)
    assert created.headers["etag"] == '"1"'
    customer_id = created.json()["id"]
    assert (await client.get(f"/v2/customer/{customer_id}", headers=headers)).headers["etag"] == '"1"'
    patched = await client.patch(f"/v2/customer/{customer_id}", json={"meta": {"a": 1}}, headers=headers)
    assert patched.headers["etag"] == '"2"'
    assert (await client.get(f"/v1/customers/{customer_id}", headers=headers)).headers["etag"] == '"2"'


async def test_if_match_refuses_a_stale_write_and_writes_nothing(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    path = f"/v2/customer/{customer['id']}"
    first = await client.patch(path, json={"meta": {"by": "first"}}, headers={**headers, "If-Match": '"1"'})
    assert first.status_code == 200
    stale = await client.patch(path, json={"meta": {"by": "second"}}, headers={**headers, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition/failed"
    assert (await client.get(path, headers=headers)).json()["meta"] == {"by": "first"}
    for tag in ('W/"2"', "*"):
        assert (
            await client.patch(path, json={"meta": {}}, headers={**headers, "If-Match": tag})
        ).status_code == 200
    unparseable = await client.patch(path, json={"meta": {}}, headers={**headers, "If-Match": "yesterday"})
    assert unparseable.status_code == 412


async def test_if_match_on_swipelux_put_and_delete(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await client.post("/v1/customers", json={}, headers=headers)
    path = f"/v1/customers/{created.json()['id']}"
    stale = await client.put(path, json={"firstName": "Ada"}, headers={**headers, "If-Match": '"7"'})
    assert stale.status_code == 412
    assert stale.json()["code"] == "precondition_failed"
    assert (await client.delete(path, headers={**headers, "If-Match": '"7"'})).status_code == 412
    assert (await client.delete(path, headers={**headers, "If-Match": '"1"'})).status_code == 204


async def test_sixteen_read_modify_write_clients_lose_no_increment(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer(jane(meta={"counter": 0}))
    path = f"/v2/customer/{customer['id']}"

    async def politely(method: str, **kwargs: Any) -> httpx.Response:
        # One key for 16 busy clients meets the rate limit: they wait as its Retry-After says.
        for _ in range(10):
            response = await client.request(method, path, **kwargs)
            if response.status_code != 429:
                return response
            await asyncio.sleep(int(response.headers["retry-after"]))
        raise AssertionError("still rate limited")

    async def increment() -> int:
        for attempt in range(200):
            current = await politely("GET", headers=headers)
            counter = current.json()["meta"]["counter"]
            write = await politely(
                "PATCH",
                json={"meta": {"counter": counter + 1}},
                headers={**headers, "If-Match": current.headers["etag"]},
            )
            if write.status_code == 200:
                return attempt
            assert write.status_code == 412
        raise AssertionError("no progress")

    await asyncio.gather(*(increment() for _ in range(16)))
    assert (await client.get(path, headers=headers)).json()["meta"]["counter"] == 16


# --- the audit trail ----------------------------------------------------------------------------


async def test_the_audit_trail_shows_every_write_with_personal_values_masked(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    path = f"/v2/customer/{customer['id']}"
    await client.patch(
        path, json={"meta": {"tier": "gold"}}, headers={**headers, "X-Request-Id": "req-patch"}
    )
    await upload(client, headers, customer["id"], "passport")
    await upload(client, headers, customer["id"], "liveness_report", documents.pdf())
    await client.post(
        f"/ops/customers/{customer['id']}/review", json={"decision": "approved"}, headers=reviewer_headers
    )
    response = await client.get(f"{path}/events", headers=headers)
    assert response.status_code == 200
    events = response.json()["events"]
    assert [event["type"] for event in events] == [
        "customer.created",
        "customer.updated",
        "customer.document_added",
        "customer.document_added",
        "customer.reviewed",
    ]
    created, patched, _, submitted, reviewed = events
    key_prefix = headers["Authorization"].removeprefix("Bearer ")[:12]
    assert created["actor"] == {"keyPrefix": key_prefix, "role": "api"}
    assert reviewed["actor"]["role"] == "reviewer"
    assert patched["requestId"] == "req-patch"
    assert {"field": "meta.tier", "from": None, "to": "***"} in patched["changes"]
    fields = {change["field"]: change for change in created["changes"]}
    assert fields["identity.first_name"] == {"field": "identity.first_name", "from": None, "to": "***"}
    assert fields["email"]["to"] == "***"
    # No personal value anywhere in the trail.
    for secret in ("Jane", "Smith", "jane.smith@example.com", "6789", "1990-05-17", "Wacker"):
        assert secret not in response.text
    # The verification process itself is shown.
    assert {"field": "verification_status", "from": "incomplete", "to": "pending"} in submitted["changes"]
    assert {"field": "verification_status", "from": "pending", "to": "approved"} in reviewed["changes"]


async def test_the_audit_trail_is_paginated_tenant_scoped_and_survives_a_delete(
    client: httpx.AsyncClient, headers: dict[str, str], other_headers: dict[str, str]
) -> None:
    created = (await client.post("/v1/customers", json={}, headers=headers)).json()
    for index in range(3):
        await client.put(f"/v1/customers/{created['id']}", json={"metadata": {"n": index}}, headers=headers)
    await client.delete(f"/v1/customers/{created['id']}", headers=headers)
    page = (
        await client.get(f"/v1/customers/{created['id']}/events?limit=2&offset=3", headers=headers)
    ).json()
    assert page["total"] == 5
    assert [event["type"] for event in page["data"]] == ["customer.updated", "customer.deleted"]
    deleted = {change["field"]: change for change in page["data"][1]["changes"]}
    assert deleted["deleted_at"]["from"] is None
    assert deleted["deleted_at"]["to"].startswith(page["data"][1]["createdAt"][:19])
    sphere = (await client.get(f"/v2/customer/{created['id']}/events?page=3&limit=2", headers=headers)).json()
    assert sphere["pagination"]["total"] == 5
    assert [event["type"] for event in sphere["events"]] == ["customer.deleted"]
    for path in (f"/v1/customers/{created['id']}/events", f"/v2/customer/{created['id']}/events"):
        assert (await client.get(path, headers=other_headers)).status_code == 404
    assert (
        await client.get("/v2/customer/customer_" + "0" * 32 + "/events", headers=headers)
    ).status_code == 404


async def test_an_import_is_audited(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    created = (await client.post("/v1/customers", json={}, headers=headers)).json()
    token = await mint(client, headers)
    await client.put(f"/v1/customers/{created['id']}", json={"shareToken": token}, headers=headers)
    events = (await client.get(f"/v1/customers/{created['id']}/events", headers=headers)).json()["data"]
    assert events[-1]["type"] == "customer.kyc_imported"
    changes = {change["field"]: change for change in events[-1]["changes"]}
    assert changes["verification_status"] == {
        "field": "verification_status",
        "from": "incomplete",
        "to": "approved",
    }
    assert changes["identity.last_name"]["to"] == "***"
    assert token not in str(events)


# --- idempotency keys ---------------------------------------------------------------------------


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
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine, api_key: str
) -> None:
    from kycrail.api.common.idempotency import fingerprint
    from kycrail.tenants import service

    principal = await service.authenticate(engine, headers["Authorization"].removeprefix("Bearer "))
    assert principal is not None
    body = b'{"metadata":{}}'
    claimed = await store.claim(
        engine, principal.tenant_id, "in-flight", fingerprint("POST", "/v1/customers", b"", body), utc_now()
    )
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


# --- limits -------------------------------------------------------------------------------------


async def test_a_json_body_over_1_mb_is_413(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    big = jane(meta={"k": "x" * 400})
    big["padding"] = "x" * (1024 * 1024)
    declared = await client.post("/v2/customer", json=big, headers=headers)
    assert declared.status_code == 413
    assert declared.json()["code"] == "payload/too-large"

    async def chunks() -> Any:  # no Content-Length: counted as it arrives
        for _ in range(20):
            yield b"x" * 100_000

    streamed = await client.post(
        "/v1/customers", content=chunks(), headers={**headers, "Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    assert streamed.json()["code"] == "payload_too_large"


async def test_the_rate_limit_answers_429_with_retry_after(database_url: str, make_key: Any) -> None:
    limited = create_app(
        load_settings(database_url=database_url, rate_limit_per_second=1, rate_limit_burst=2)
    )
    async with limited.router.lifespan_context(limited):
        transport = httpx.ASGITransport(app=limited)
        async with httpx.AsyncClient(transport=transport, base_url="http://kycrail.test") as client:
            key = {"X-API-Key": await make_key("busy")}
            other = {"X-API-Key": await make_key("quiet")}
            statuses = [(await client.get("/v2/customer", headers=key)).status_code for _ in range(3)]
            assert statuses == [200, 200, 429]
            refused = await client.get("/v2/customer", headers=key)
            assert refused.status_code == 429
            assert refused.json()["code"] == "rate-limit/exceeded"
            assert int(refused.headers["retry-after"]) >= 1
            assert (await client.get("/v2/customer", headers=other)).status_code == 200  # per key


async def test_a_slow_sumsub_never_blocks_other_requests(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = (await client.post("/v1/customers", json={}, headers=headers)).json()
    token = await mint(client, headers)
    app.state.emulator.knobs.latency_seconds = 1.0
    importing = asyncio.create_task(
        client.put(f"/v1/customers/{created['id']}", json={"shareToken": token}, headers=headers)
    )
    reading = asyncio.create_task(client.get(f"/v1/customers/{created['id']}", headers=headers))
    done, _ = await asyncio.wait({importing, reading}, return_when=asyncio.FIRST_COMPLETED)
    assert done == {reading}  # the read is answered while SumSub is still thinking
    assert reading.result().status_code == 200
    assert (await importing).status_code == 200
