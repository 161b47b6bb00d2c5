"""ETag and If-Match: a write applies only to the version the client read (api/common/concurrency.py)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from tests.factories import jane


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
