"""Request limits: body caps, the rate limit, a slow provider (api/common/middleware/limits.py)."""

from __future__ import annotations

import asyncio
import json
import secrets
import time
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from kycrail.app import create_app
from kycrail.tenants.keys import display_prefix
from tests.api.calls import HeldImports, mint
from tests.factories import jane
from tests.settings import settings_for
from tests.waiting import eventually


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
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    created = (await client.post("/v1/customers", json={}, headers=headers)).json()
    token = await mint(client, headers)
    sumsub = HeldImports(app, monkeypatch)
    importing = asyncio.create_task(
        client.put(f"/v1/customers/{created['id']}", json={"shareToken": token}, headers=headers)
    )
    await asyncio.wait_for(sumsub.asked.wait(), 10)
    # The read is answered while SumSub is still thinking (were it held up, it would wait for ever).
    reading = await asyncio.wait_for(client.get(f"/v1/customers/{created['id']}", headers=headers), 10)
    assert reading.status_code == 200
    assert not importing.done()
    sumsub.answer()
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

        stalled = HeldBody(asyncio.Event())  # its end never comes
        answer = await client.post("/v2/customer", content=stalled, headers=headers)
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
        bodies = [HeldBody(release, b"{}") for _ in "ab"]
        holding = [
            asyncio.create_task(client.post("/v1/customers", content=body, headers=headers))
            for body in bodies
        ]
        await eventually(lambda: all(body.read for body in bodies))  # both hold their places
        refused = await client.get("/v1/customers", headers=headers)
        assert refused.status_code == 503
        assert refused.json()["code"] == "service_overloaded"
        assert refused.headers["retry-after"] == "1"
        assert (await client.get("/healthz")).status_code == 200  # busy is not dead
        release.set()
        assert [(await task).status_code for task in holding] == [201, 201]
        assert (await client.get("/v1/customers", headers=headers)).status_code == 200


class HeldBody:
    """A body whose end comes only once ``release`` is set (by default the start of a customer, then
    the rest). ``read`` once the app began to read it: its request got past the in-flight limit and
    holds a place (one refused there is answered unread)."""

    def __init__(self, release: asyncio.Event, whole: bytes | None = None) -> None:
        self.release = release
        self.whole = whole
        self.read = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.read = True
        if self.whole is None:
            yield b'{"type": "individual", '
        await self.release.wait()
        yield b'"email": "held@example.com"}' if self.whole is None else self.whole


HeldRequest = tuple[asyncio.Task[httpx.Response], HeldBody]


async def _answered_or_holding(requests: list[HeldRequest]) -> list[asyncio.Task[httpx.Response]]:
    """Waits until each request is answered or holds its place (its body being read); the answered."""
    await eventually(lambda: all(task.done() or body.read for task, body in requests))
    return [task for task, _ in requests if task.done()]


JSON_BODY = {"Content-Type": "application/json"}


async def test_a_request_without_a_valid_key_never_waits_for_its_body(
    database_url: str, make_key: Any
) -> None:
    async with _client_of(database_url, body_timeout_seconds=60, sumsub_webhook_secret="whsec") as client:
        never = asyncio.Event()
        for presented in ({}, {"X-API-Key": "kr_" + "x" * 43}, {"Authorization": "Basic eDp5"}):
            sent = client.post("/v2/customer", content=HeldBody(never), headers={**presented, **JSON_BODY})
            answer = await asyncio.wait_for(sent, 2)  # not the body's 60 s: at once
            assert answer.status_code == 401, answer.text
            assert answer.json()["code"] == "unauthorized"
        # SumSub's webhook takes no key, but without a digest there is nothing to check a body against.
        unsigned = client.post("/webhooks/sumsub", content=HeldBody(never), headers=JSON_BODY)
        answer = await asyncio.wait_for(unsigned, 2)
        assert answer.status_code == 401, answer.text
        assert answer.json()["code"] == "webhook/signature-invalid"


async def test_a_body_slower_than_the_minimum_rate_is_408_at_a_deadline_that_does_not_restart(
    database_url: str, make_key: Any
) -> None:
    settings = {"body_timeout_seconds": 0.5, "body_min_bytes_per_second": 10_000}
    async with _client_of(database_url, **settings) as client:
        headers = {"X-API-Key": await make_key("acme"), **JSON_BODY}

        before, after = json.dumps(jane(meta={"pad": "PAD"})).encode().split(b"PAD")

        async def trickled() -> AsyncIterator[bytes]:  # a byte every 0.05 s: never a 0.5 s stall
            yield before
            for _ in range(80):
                await asyncio.sleep(0.05)  # the behaviour simulated: a client trickling its body
                yield b"x"
            yield after

        started = time.monotonic()
        answer = await client.post("/v2/customer", content=trickled(), headers=headers)
        assert answer.status_code == 408, answer.text
        assert answer.json()["code"] == "request/timeout"
        # 0.5 s, and 1/10,000 s more for each byte received: about 0.55 s, not the 4 s the trickle takes.
        assert time.monotonic() - started < 2.5
        assert (await client.get("/v2/customer", headers=headers)).json()["customers"] == []


async def test_one_key_cannot_hold_every_place_in_flight(database_url: str, make_key: Any) -> None:
    settings = {
        "max_requests_in_flight": 4,
        "max_requests_in_flight_per_client": 2,
        "body_timeout_seconds": 30,
    }
    async with _client_of(database_url, **settings) as client:
        greedy = {"X-API-Key": await make_key("greedy"), **JSON_BODY}
        other = {"X-API-Key": await make_key("other")}
        release = asyncio.Event()
        bodies = [HeldBody(release) for _ in range(4)]
        holding = [
            (asyncio.create_task(client.post("/v2/customer", content=body, headers=greedy)), body)
            for body in bodies
        ]
        refused = await _answered_or_holding(holding)
        assert [task.result().status_code for task in refused] == [503, 503]  # past its share of 2
        assert (await client.get("/v1/customers", headers=other)).status_code == 200  # room for others
        release.set()
        answered = [(await task).status_code for task, _ in holding if task not in refused]
        assert len(answered) == 2
        assert 503 not in answered  # the two within its share were served (their bodies judged)


async def test_requests_without_a_key_share_a_few_places_per_address_and_all_together(
    database_url: str, make_key: Any
) -> None:
    settings = {
        "max_requests_in_flight": 16,
        "max_requests_in_flight_per_client": 4,  # anonymous: 4 in all, 1 per address
        "body_timeout_seconds": 30,
        "sumsub_webhook_secret": "whsec",
    }
    async with _client_of(database_url, **settings) as client:
        key = {"X-API-Key": await make_key("acme")}
        release = asyncio.Event()
        forged = {"X-Payload-Digest": "0" * 64, **JSON_BODY}  # read to the end before it can be judged

        def webhook_from(address: str) -> HeldRequest:
            body = HeldBody(release)
            return asyncio.create_task(_post_from(client, address, "/webhooks/sumsub", body, forged)), body

        same_address = [webhook_from("198.51.100.1") for _ in range(2)]
        assert len(await _answered_or_holding(same_address)) == 1  # one place an address
        others = [webhook_from(f"198.51.100.{n}") for n in range(2, 7)]
        settled = await _answered_or_holding(others)
        assert len(settled) == 2  # 4 places for every request without a key, together
        assert {task.result().status_code for task in settled} == {503}
        ipv6 = [webhook_from(f"2001:db8:1:2::{n}") for n in (1, 2)]  # one /64: one address
        assert len(await _answered_or_holding(ipv6)) == len(ipv6)
        assert (await client.get("/v2/customer", headers=key)).status_code == 200  # keys still pass
        release.set()
        for task, _ in same_address + others:
            assert (await task).status_code in (401, 503)


async def _post_from(
    client: httpx.AsyncClient, address: str, path: str, body: AsyncIterable[bytes], headers: dict[str, str]
) -> httpx.Response:
    """``client``'s app, as seen from ``address``."""
    transport = httpx.ASGITransport(app=client._transport.app, client=(address, 1234))  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=transport, base_url="http://kycrail.test") as other:
        return await other.post(path, content=body, headers=headers)
