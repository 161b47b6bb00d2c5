"""Query parameters a route does not take are refused, as unknown body fields are; and the filters
users reach for exist: v2 ``email``, v1 ``status``."""

from __future__ import annotations

import httpx
import pytest

from tests.api.stages import one_customer_per_status
from tests.factories import jane


@pytest.mark.parametrize(
    ("path", "parameter", "code"),
    [
        ("/v2/customer?emial=jane@example.com", "emial", "validation/failed"),
        ("/v2/customer?page=1&sort=name", "sort", "validation/failed"),
        ("/v1/customers?offset=0&state=approved", "state", "validation_failed"),
        (
            "/v2/customer/customer_00000000000000000000000000000000?expand=documents",
            "expand",
            "validation/failed",
        ),
    ],
)
async def test_an_unknown_query_parameter_is_refused_naming_it(
    client: httpx.AsyncClient, headers: dict[str, str], path: str, parameter: str, code: str
) -> None:
    answer = await client.get(path, headers=headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["code"] == code
    assert [error["parameter"] for error in answer.json()["errors"]] == [parameter]


async def test_known_parameters_still_work(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    assert (
        await client.get("/v2/customer?page=1&limit=5&type=individual", headers=headers)
    ).status_code == 200
    assert (
        await client.get("/v1/customers?limit=5&offset=0&type=individual", headers=headers)
    ).status_code == 200


async def test_v2_lists_filter_by_exact_email(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    jane_id = (await client.post("/v2/customer", json=jane(), headers=headers)).json()["id"]
    other = jane(email="john.doe@example.com", phone="+14155550199")
    await client.post("/v2/customer", json=other, headers=headers)
    found = (await client.get("/v2/customer?email=Jane.Smith@Example.com", headers=headers)).json()
    assert [customer["id"] for customer in found["customers"]] == [jane_id]
    assert found["pagination"]["total"] == 1
    none = (await client.get("/v2/customer?email=jane@example.com", headers=headers)).json()
    assert none["customers"] == []
    assert none["pagination"]["total"] == 0


async def test_v1_lists_filter_by_each_status_exactly(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> None:
    """Three of Swipelux's statuses share v2's ``incomplete``: each is still told apart, in the page and
    in its total."""
    made = await one_customer_per_status(client, headers, reviewer_headers)
    for status, customer_id in made.items():
        page = (await client.get(f"/v1/customers?status={status}", headers=headers)).json()
        assert [(customer["id"], customer["status"]) for customer in page["data"]] == [(customer_id, status)]
        assert page["total"] == 1, status
    unknown = await client.get("/v1/customers?status=approvedd", headers=headers)
    assert unknown.status_code == 422
    assert [error["parameter"] for error in unknown.json()["errors"]] == ["status"]
