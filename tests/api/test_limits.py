"""Request limits: body caps, the rate limit, a slow provider (api/common/limits.py)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from kycrail.app import create_app
from kycrail.tenants.keys import display_prefix
from tests.api.calls import mint
from tests.factories import jane
from tests.settings import settings_for


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
    limited = create_app(settings_for(database_url, rate_limit_per_second=1, rate_limit_burst=2))
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


@asynccontextmanager
async def _client_of(database_url: str, **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    limited = create_app(settings_for(database_url, **overrides))
    async with limited.router.lifespan_context(limited):
        transport = httpx.ASGITransport(app=limited, client=("203.0.113.7", 4321))
        async with httpx.AsyncClient(transport=transport, base_url="http://kycrail.test") as client:
            yield client


async def test_fake_keys_carrying_a_victims_prefix_do_not_spend_its_allowance(
    database_url: str, make_key: Any
) -> None:
    async with _client_of(database_url, rate_limit_per_second=0.01, rate_limit_burst=5) as client:
        victim = await make_key("victim")
        prefix = display_prefix(victim)  # any key of the tenant reads it in the events API
        for _ in range(20):
            fake = prefix + secrets.token_urlsafe(48)[: len(victim) - len(prefix)]
            assert (await client.get("/v2/customer", headers={"X-API-Key": fake})).status_code == 401
        answered = [
            (await client.get("/v2/customer", headers={"X-API-Key": victim})).status_code for _ in range(5)
        ]
        assert answered == [200] * 5  # the victim's whole burst is still its own


async def test_keys_that_fail_are_limited_per_address_and_good_keys_still_pass(
    database_url: str, make_key: Any
) -> None:
    async with _client_of(database_url, auth_failures_per_minute=3) as client:
        good = {"X-API-Key": await make_key("acme")}
        bad = {"X-API-Key": "kr_" + "x" * 43}
        assert [(await client.get("/v1/customers", headers=bad)).status_code for _ in range(3)] == [401] * 3
        refused = await client.get("/v1/customers", headers=bad)
        assert refused.status_code == 429
        assert refused.json()["code"] == "rate_limited"
        assert "invalid API key" in refused.json()["message"]
        assert int(refused.headers["retry-after"]) >= 1
        assert (await client.get("/v1/customers", headers=good)).status_code == 200
        assert (await client.get("/v1/customers")).status_code == 401  # no key at all costs nothing


async def test_a_body_that_stalls_is_408_and_nothing_is_written(database_url: str, make_key: Any) -> None:
    async with _client_of(database_url, body_timeout_seconds=0.2) as client:
        headers = {"X-API-Key": await make_key("acme"), "Content-Type": "application/json"}

        async def stalling() -> AsyncIterator[bytes]:
            yield b'{"type": "individual", '
            await asyncio.sleep(2)
            yield b'"email": "late@example.com"}'

        answer = await client.post("/v2/customer", content=stalling(), headers=headers)
        assert answer.status_code == 408
        assert answer.json()["code"] == "request/timeout"
        assert answer.headers["connection"] == "close"
        listed = await client.get("/v2/customer", headers=headers)
        assert listed.json()["customers"] == []


async def test_requests_past_the_in_flight_cap_are_503_until_one_ends(
    database_url: str, make_key: Any
) -> None:
    async with _client_of(database_url, max_requests_in_flight=2, body_timeout_seconds=30) as client:
        headers = {"X-API-Key": await make_key("acme"), "Content-Type": "application/json"}
        release = asyncio.Event()

        async def held() -> AsyncIterator[bytes]:
            await release.wait()
            yield b"{}"

        holding = [
            asyncio.create_task(client.post("/v1/customers", content=held(), headers=headers)) for _ in "ab"
        ]
        await asyncio.sleep(0.2)
        refused = await client.get("/v1/customers", headers=headers)
        assert refused.status_code == 503
        assert refused.json()["code"] == "service_overloaded"
        assert refused.headers["retry-after"] == "1"
        assert (await client.get("/healthz")).status_code == 200  # busy is not dead
        release.set()
        assert [(await task).status_code for task in holding] == [201, 201]
        assert (await client.get("/v1/customers", headers=headers)).status_code == 200
