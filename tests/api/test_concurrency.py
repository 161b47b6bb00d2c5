"""ETag and If-Match: a write applies only to the version the client read (api/common/concurrency.py)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

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
    assert (
        await client.patch(path, json={"meta": {}}, headers={**headers, "If-Match": "*"})
    ).status_code == 200


@pytest.mark.parametrize(
    ("if_match", "status"),
    [
        ('"2"', 200),  # the current version
        ('"1", "2"', 200),  # a list: any of its tags
        ('"7", "2" , "9"', 200),
        ('W/"2"', 412),  # RFC 9110: a weak tag never matches a write (strong comparison)
        ('"1"', 412),
        ('"abc"', 412),  # a well-formed tag that no version has
        ("*", 200),
        ("", 412),  # RFC 9110's #entity-tag may be an empty list: it names no version
        (" , ,", 412),
    ],
)
async def test_if_match_is_a_list_of_entity_tags_compared_strongly(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any, if_match: str, status: int
) -> None:
    customer = await create_customer()
    path = f"/v2/customer/{customer['id']}"
    assert (await client.patch(path, json={"meta": {"v": 2}}, headers=headers)).headers["etag"] == '"2"'
    answer = await client.patch(path, json={"meta": {"v": 3}}, headers={**headers, "If-Match": if_match})
    assert answer.status_code == status, answer.text
    if status == 412:
        assert "-1" not in answer.text  # no internal stand-in reaches the client
        assert (await client.get(path, headers=headers)).json()["meta"] == {"v": 2}


@pytest.mark.parametrize("if_match", ["999", "garbage", '"1" "2"', 'W/"5', '"1",,x'])
@pytest.mark.parametrize(
    ("base", "code"), [("/v2/customer", "request/invalid-header"), ("/v1/customers", "invalid_header")]
)
async def test_a_malformed_if_match_is_a_400_naming_the_header(
    client: httpx.AsyncClient, headers: dict[str, str], if_match: str, base: str, code: str
) -> None:
    created = await client.post(base, json=jane() if base == "/v2/customer" else {}, headers=headers)
    path = f"{base}/{created.json()['id']}"
    answer = await client.delete(path, headers={**headers, "If-Match": if_match})
    assert answer.status_code == 400, answer.text
    assert answer.json()["code"] == code
    assert answer.json()["errors"][0]["parameter"] == "If-Match"
    assert (await client.get(path, headers=headers)).status_code == 200  # nothing written


async def test_if_none_match_answers_304_while_the_version_is_current(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    for path in (f"/v2/customer/{customer['id']}", f"/v1/customers/{customer['id']}"):
        first = await client.get(path, headers=headers)
        etag = first.headers["etag"]
        for tag in (etag, f"W/{etag}", f'"0", {etag}', "*"):
            unchanged = await client.get(path, headers={**headers, "If-None-Match": tag})
            assert unchanged.status_code == 304, tag
            assert unchanged.content == b""
            assert unchanged.headers["etag"] == etag
        for other in ('"0"', "", ", "):  # an empty list names no version: the answer is the usual one
            assert (await client.get(path, headers={**headers, "If-None-Match": other})).status_code == 200
        malformed = await client.get(path, headers={**headers, "If-None-Match": "etag"})
        assert malformed.status_code == 400
    await client.patch(f"/v2/customer/{customer['id']}", json={"meta": {"x": 1}}, headers=headers)
    changed = await client.get(f"/v2/customer/{customer['id']}", headers={**headers, "If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["meta"] == {"x": 1}


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
            # The behaviour simulated: a client that waits as Retry-After says, as HTTP asks.
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
