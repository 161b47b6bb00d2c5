"""Paths no route serves: 404 "Not found" in the dialect's shape. A trailing slash is served, not
redirected."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import jane


@pytest.mark.parametrize("path", ["/v1/transfers", "/v1/customers/x/y/z", "/v1"])
async def test_an_unknown_v1_path_is_not_found_in_swipelux_shape(
    client: httpx.AsyncClient, headers: dict[str, str], path: str
) -> None:
    answer = await client.get(path, headers=headers)
    assert answer.status_code == 404
    assert answer.json()["message"] == "Not found"
    assert answer.json()["code"] == "not_found"
    assert "requestId" in answer.json()


@pytest.mark.parametrize("path", ["/v2/transfers", "/v3/customer", "/nothing"])
async def test_an_unknown_path_elsewhere_is_not_found_in_sphere_shape(
    client: httpx.AsyncClient, headers: dict[str, str], path: str
) -> None:
    answer = await client.get(path, headers=headers)
    assert answer.status_code == 404
    assert answer.json()["detail"] == "Not found"
    assert answer.json()["code"] == "resource/not-found"


async def test_a_missing_customer_still_says_so(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    missing = "customer_" + "0" * 32
    assert (await client.get(f"/v1/customers/{missing}", headers=headers)).json()[
        "message"
    ] == "Customer not found"
    assert (
        "not found" in (await client.get(f"/v2/customer/{missing}", headers=headers)).json()["detail"].lower()
    )


@pytest.mark.parametrize("path", ["/v2/customer/", "/v1/customers/"])
async def test_a_trailing_slash_is_served_not_redirected(
    client: httpx.AsyncClient, headers: dict[str, str], path: str
) -> None:
    answer = await client.get(path, headers=headers)
    assert answer.status_code == 200
    assert answer.json() == (await client.get(path.rstrip("/"), headers=headers)).json()


async def test_a_write_with_a_trailing_slash_is_served(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await client.post("/v2/customer/", json=jane(), headers=headers)
    assert created.status_code == 201
    customer_id = created.json()["id"]
    read = await client.get(f"/v2/customer/{customer_id}/", headers=headers)
    assert read.status_code == 200
    assert read.json()["id"] == customer_id


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/v2/webhook/whk_" + "0" * 32, "DELETE, GET"),
        ("/v1/customers/customer_" + "0" * 32, "DELETE, GET, PUT"),
        ("/v2/customer", "GET, POST"),
    ],
)
async def test_a_method_a_path_does_not_have_is_405_with_every_method_of_the_path(
    client: httpx.AsyncClient, headers: dict[str, str], path: str, methods: str
) -> None:
    for method in ("OPTIONS", "PUT", "TRACE"):
        if method in methods:
            continue
        for sent in (headers, {}):  # which methods a path has is no secret: the same without a key
            answer = await client.request(method, path, headers=sent)
            assert answer.status_code == 405, (method, answer.text)
            assert answer.headers["allow"] == methods
            assert answer.json()["code"] in ("method_not_allowed", "method/not-allowed")


async def test_a_method_not_allowed_is_told_before_an_idempotency_key_is_looked_at(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    keyed = {**headers, "Idempotency-Key": "used-once"}
    created = await client.post("/v2/customer", json=jane(), headers=keyed)
    assert created.status_code == 201
    path = f"/ops/customers/{created.json()['id']}/erase"
    answer = await client.put(path, headers=keyed)  # the same key, on a method the path does not have
    assert answer.status_code == 405, answer.text
    assert answer.headers["allow"] == "POST"
