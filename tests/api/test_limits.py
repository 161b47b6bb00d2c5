"""Request limits: body caps, the rate limit, a slow provider (api/common/limits.py)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from fastapi import FastAPI

from kycrail.app import create_app
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
