"""Swipelux v1: create with {}, read, update, list, soft delete, and the same customer in both dialects."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.api.swipelux.responses import SwipeluxCustomerListOut, SwipeluxCustomerOut
from kycrail.documents.tables import documents
from kycrail.storage import Storage
from tests.api import documents as files
from tests.api.calls import create, stored, upload

ADDRESS = {
    "streetLine1": "1 Elm St",
    "city": "Austin",
    "state": "TX",
    "postalCode": "73301",
    "country": "USA",
}


async def test_create_with_an_empty_body(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    created = await create(client, headers)
    SwipeluxCustomerOut.model_validate(created)
    assert created["id"].startswith("customer_")
    assert created["type"] == "individual"
    assert created["status"] == "not_started"
    assert created["metadata"] == {}
    for field in ("firstName", "lastName", "email", "phone", "birthDate", "residentialAddress"):
        assert created[field] is None
    fetched = await client.get(f"/v1/customers/{created['id']}", headers=headers)
    assert fetched.json() == created


async def test_one_customer_in_both_dialects(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    body = {
        "firstName": "Ada",
        "lastName": "Lovelace",
        "email": "Ada@Example.com",
        "phone": "+14155550142",
        "birthDate": "1985-12-10",
        "residentialAddress": ADDRESS,
        "metadata": {"crm": "42"},
    }
    created = await create(client, headers, body)
    assert created["email"] == "ada@example.com"
    assert created["country"] == "USA"
    assert created["residentialAddress"] == {**ADDRESS, "streetLine2": None}
    assert created["status"] == "incomplete"
    sphere = (await client.get(f"/v2/customer/{created['id']}", headers=headers)).json()
    assert (sphere["firstName"], sphere["lastName"], sphere["dateOfBirth"]) == (
        "Ada",
        "Lovelace",
        "1985-12-10",
    )
    assert sphere["address"]["line1"] == "1 Elm St"
    assert sphere["meta"] == {"crm": "42"}
    # And back: a Sphere PATCH reads in Swipelux's shape.
    await client.patch(f"/v2/customer/{created['id']}", json={"meta": {"crm": "43"}}, headers=headers)
    swipelux = (await client.get(f"/v1/customers/{created['id']}", headers=headers)).json()
    assert swipelux["metadata"] == {"crm": "43"}


async def test_put_leaves_absent_fields_as_they_are(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create(client, headers, {"firstName": "Ada", "email": "ada@example.com"})
    response = await client.put(
        f"/v1/customers/{created['id']}", json={"phone": "+14155550142"}, headers=headers
    )
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["phone"] == "+14155550142"
    assert (updated["firstName"], updated["email"]) == ("Ada", "ada@example.com")
    assert updated["updatedAt"] >= created["updatedAt"]


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"email": "not-an-email"}, "/email"),
        ({"phone": "4155550142"}, "/phone"),
        ({"birthDate": "2020-01-01"}, "/birthDate"),
        ({"residentialAddress": {**ADDRESS, "postalCode": "7330"}}, "/residentialAddress/postalCode"),
        ({"residentialAddress": {**ADDRESS, "country": "US"}}, "/residentialAddress/country"),
        ({"metadata": {"k": {"nested": True}}}, "/metadata/k"),
        ({"nickname": "x"}, "/nickname"),
        ({"firstName": None}, "/firstName"),
        ({"shareToken": ""}, "/shareToken"),
    ],
)
async def test_bad_fields_are_refused_in_swipelux_shape(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any], pointer: str
) -> None:
    created = await create(client, headers)
    response = await client.put(f"/v1/customers/{created['id']}", json=body, headers=headers)
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "validation_failed"
    assert pointer in [item["pointer"] for item in error["errors"]]
    assert error["requestId"] == response.headers["x-request-id"]
    assert (await client.get(f"/v1/customers/{created['id']}", headers=headers)).json() == created


async def test_not_found_in_swipelux_shape(
    client: httpx.AsyncClient, headers: dict[str, str], other_headers: dict[str, str]
) -> None:
    created = await create(client, headers)
    for path in (
        f"/v1/customers/{created['id']}",
        "/v1/customers/customer_" + "0" * 32,
        "/v1/customers/nope",
    ):
        response = await client.get(path, headers=other_headers if created["id"] in path else headers)
        assert response.status_code == 404
        assert response.json()["message"] == "Customer not found"
        assert response.json()["code"] == "not_found"
    put = await client.put(f"/v1/customers/{created['id']}", json={"firstName": "X"}, headers=other_headers)
    assert put.status_code == 404
    delete = await client.delete(f"/v1/customers/{created['id']}", headers=other_headers)
    assert delete.status_code == 404
    assert (await client.get(f"/v1/customers/{created['id']}", headers=headers)).json() == created


async def test_list_with_limit_offset_and_filters(
    client: httpx.AsyncClient, headers: dict[str, str], other_headers: dict[str, str]
) -> None:
    made = [await create(client, headers, {"email": f"u{index}@example.com"}) for index in range(5)]
    await create(client, headers, {"type": "business", "legalName": "Acme Inc."})
    await create(client, other_headers, {"email": "u0@example.com"})
    page = (await client.get("/v1/customers?limit=2&offset=1&type=individual", headers=headers)).json()
    SwipeluxCustomerListOut.model_validate(page)
    assert [c["id"] for c in page["data"]] == [made[3]["id"], made[2]["id"]]
    assert (page["total"], page["limit"], page["offset"]) == (5, 2, 1)
    by_email = (await client.get("/v1/customers?email=U0@example.com", headers=headers)).json()
    assert [c["id"] for c in by_email["data"]] == [made[0]["id"]]
    business = (await client.get("/v1/customers?type=business", headers=headers)).json()
    assert [c["legalName"] for c in business["data"]] == ["Acme Inc."]
    assert (await client.get("/v1/customers?limit=101", headers=headers)).status_code == 422


async def test_a_business_is_not_updated_here(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    created = await create(client, headers, {"type": "business", "legalName": "Acme Inc."})
    assert created["type"] == "business"
    response = await client.put(
        f"/v1/customers/{created['id']}", json={"email": "x@example.com"}, headers=headers
    )
    assert response.status_code == 400
    assert response.json()["code"] == "customer_kyb_flow_required"
    retype = await client.put(f"/v1/customers/{created['id']}", json={"type": "individual"}, headers=headers)
    assert retype.status_code == 400
    assert retype.json()["code"] == "customer_type_immutable"


async def test_delete_is_soft(
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine, storage: Storage
) -> None:
    body = {
        "firstName": "Ada",
        "email": "ada@example.com",
        "phone": "+14155550142",
        "residentialAddress": ADDRESS,
    }
    created = await create(client, headers, body)
    assert (await upload(client, headers, created["id"], "passport", files.png())).status_code == 201
    response = await client.delete(f"/v1/customers/{created['id']}", headers=headers)
    assert response.status_code == 204
    assert response.content == b""
    for path in (f"/v1/customers/{created['id']}", f"/v2/customer/{created['id']}"):
        assert (await client.get(path, headers=headers)).status_code == 404
    assert (await client.delete(f"/v1/customers/{created['id']}", headers=headers)).status_code == 404
    listed = (await client.get("/v1/customers", headers=headers)).json()
    assert listed["total"] == 0
    # Email and phone are free again.
    again = await create(client, headers, {"email": "ada@example.com", "phone": "+14155550142"})
    assert again["id"] != created["id"]
    # The record is kept, sealed, for the retention period (AML record keeping); its history too.
    row = await stored(storage, created["id"])
    assert row["deleted_at"] is not None
    assert row["erased_at"] is None
    assert (row["email_index"], row["phone_index"]) == (None, None)
    assert (row["email"], row["identity"]["first_name"]) == ("ada@example.com", "Ada")
    assert [document["type"] for document in row["documents"]] == ["passport"]
    async with engine.connect() as connection:
        files_left = (
            (
                await connection.execute(
                    select(documents.c.content).where(documents.c.customer_id == created["id"])
                )
            )
            .scalars()
            .all()
        )
    assert len(files_left) == 1
    assert files.png() not in files_left[0]
