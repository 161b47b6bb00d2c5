"""The seed's PATCH replayed verbatim, and create / get / list with tenant isolation."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from kycrail.api.sphere.responses import SphereCustomerListOut, SphereCustomerOut
from tests.api.seed import SEED_REQUEST, SEED_RESPONSE
from tests.factories import jane

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


async def test_the_seed_request_returns_the_seed_response(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    created = await create_customer()
    response = await client.patch(f"/v2/customer/{created['id']}", json=SEED_REQUEST, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert re.fullmatch(r"customer_[0-9a-f]{32}", body["id"])
    assert body["id"] == created["id"]
    for key, value in SEED_RESPONSE.items():
        assert body[key] == value, key
    # The seed's keys come first, in the seed's order; kycrail adds address, dateOfBirth, personalInformation.
    assert list(body)[:10] == [
        "id",
        "type",
        "email",
        "phone",
        "firstName",
        "lastName",
        "verificationProfiles",
        "meta",
        "createdAt",
        "updatedAt",
    ]
    assert ISO_MS.fullmatch(body["createdAt"])
    assert ISO_MS.fullmatch(body["updatedAt"])
    assert body["createdAt"] == created["createdAt"]
    assert body["updatedAt"] >= created["updatedAt"]
    assert body["address"] == {**SEED_REQUEST["address"], "line2": None}  # replaced whole: no Suite 4700
    assert body["dateOfBirth"] == "1990-05-17"
    assert body["personalInformation"]["taxIdentificationNumberType"] == "ssn"
    assert "taxIdentificationNumber" not in body["personalInformation"]
    assert "6789" not in response.text
    SphereCustomerOut.model_validate(body)
    # The write is durable: a GET shows the same.
    assert (await client.get(f"/v2/customer/{created['id']}", headers=headers)).json() == body


async def test_create_and_get_an_individual(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    created = await create_customer(jane(email="Jane.Smith@Example.COM"))
    assert created["email"] == "jane.smith@example.com"
    assert created["createdAt"] == created["updatedAt"]
    assert created["verificationProfiles"][0]["status"] == "incomplete"
    fetched = await client.get(f"/v2/customer/{created['id']}", headers=headers)
    assert fetched.status_code == 200
    assert fetched.json() == created


async def test_create_a_business(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    body = {
        "type": "business",
        "email": "ops@acme.example",
        "phone": "+14155550124",
        "addresses": [
            {
                "type": "registered",
                "line1": "1 Main St",
                "city": "Dover",
                "state": "DE",
                "postalCode": "19901",
                "country": "USA",
            }
        ],
        "businessInformation": {"legalName": "Acme Payments Inc.", "incorporationCountry": "USA"},
    }
    response = await client.post("/v2/customer", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["type"] == "business"
    assert created["businessInformation"]["legalName"] == "Acme Payments Inc."
    assert created["addresses"][0]["type"] == "registered"
    profile = created["verificationProfiles"][0]
    assert profile["name"] == "kyb_profile_a"
    assert profile["status"] == "incomplete"
    assert profile["criteria"]["complete"] == [
        "email_address",
        "phone_number",
        "legal_name",
        "registered_address",
    ]
    assert profile["criteria"]["required"] == ["business_registration_document", "proof_of_address_document"]
    assert "personalInformation" not in created
    SphereCustomerOut.model_validate(created)


async def test_email_and_phone_are_unique_per_tenant(
    client: httpx.AsyncClient, headers: dict[str, str], other_headers: dict[str, str], create_customer: Any
) -> None:
    await create_customer()
    same_email = await client.post("/v2/customer", json=jane(phone="+14155550199"), headers=headers)
    assert same_email.status_code == 409
    assert same_email.json()["errors"][0]["pointer"] == "/email"
    same_phone = await client.post("/v2/customer", json=jane(email="other@example.com"), headers=headers)
    assert same_phone.status_code == 409
    assert same_phone.json()["errors"][0]["pointer"] == "/phone"
    # Another tenant may have a customer with the same contact details.
    assert (await client.post("/v2/customer", json=jane(), headers=other_headers)).status_code == 201
    listed = (await client.get("/v2/customer", headers=headers)).json()
    assert listed["pagination"]["total"] == 1


async def test_another_tenants_customer_is_not_found(
    client: httpx.AsyncClient, headers: dict[str, str], other_headers: dict[str, str], create_customer: Any
) -> None:
    created = await create_customer()
    path = f"/v2/customer/{created['id']}"
    unknown = "/v2/customer/customer_" + "0" * 32
    responses = [
        await client.get(path, headers=other_headers),
        await client.patch(path, json={"meta": {"x": 1}}, headers=other_headers),
        await client.get(unknown, headers=headers),
        await client.get("/v2/customer/not-a-customer-id", headers=headers),
    ]
    for response in responses:
        assert response.status_code == 404
        body = response.json()
        assert body["code"] == "resource/not-found"
        assert created["id"] not in response.text
    # Identical bodies for "someone else's" and "nobody's": no hint that it exists.
    assert responses[0].json()["detail"] == responses[2].json()["detail"]
    # And nothing of the other tenant's PATCH was written.
    assert (await client.get(path, headers=headers)).json() == created
    assert (await client.get("/v2/customer", headers=other_headers)).json()["customers"] == []


async def _create_many(create_customer: Any, count: int) -> list[dict[str, Any]]:
    return [
        await create_customer(jane(email=f"user{index}@example.com", phone=f"+1415555{index:04d}"))
        for index in range(count)
    ]


async def test_list_is_paginated_newest_first(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    created = await _create_many(create_customer, 7)
    newest_first = [customer["id"] for customer in reversed(created)]
    page1 = (await client.get("/v2/customer?page=1&limit=3", headers=headers)).json()
    page3 = (await client.get("/v2/customer?page=3&limit=3", headers=headers)).json()
    SphereCustomerListOut.model_validate(page1)
    assert [c["id"] for c in page1["customers"]] == newest_first[:3]
    assert [c["id"] for c in page3["customers"]] == newest_first[6:]
    assert page1["pagination"] == {
        "page": 1,
        "limit": 3,
        "total": 7,
        "totalPages": 3,
        "hasNext": True,
        "hasPrevious": False,
    }
    assert page3["pagination"] == {
        "page": 3,
        "limit": 3,
        "total": 7,
        "totalPages": 3,
        "hasNext": False,
        "hasPrevious": True,
    }
    beyond = (await client.get("/v2/customer?page=9&limit=3", headers=headers)).json()
    assert beyond["customers"] == []
    assert beyond["pagination"]["total"] == 7


@pytest.mark.parametrize("limit", [0, 101, -1])
async def test_list_limit_is_capped(client: httpx.AsyncClient, headers: dict[str, str], limit: int) -> None:
    response = await client.get(f"/v2/customer?limit={limit}", headers=headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "limit"


async def test_list_filters_by_status_and_type(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    individual = await create_customer()
    business = await create_customer(
        {
            "type": "business",
            "email": "ops@acme.example",
            "phone": "+14155550124",
            "businessInformation": {"legalName": "Acme Payments Inc."},
        }
    )
    by_type = (await client.get("/v2/customer?type=business", headers=headers)).json()
    assert [c["id"] for c in by_type["customers"]] == [business["id"]]
    incomplete = (await client.get("/v2/customer?status=incomplete", headers=headers)).json()
    assert {c["id"] for c in incomplete["customers"]} == {individual["id"], business["id"]}
    approved = (await client.get("/v2/customer?status=approved", headers=headers)).json()
    assert approved["customers"] == []
    assert approved["pagination"]["total"] == 0
    bad = await client.get("/v2/customer?status=done", headers=headers)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["parameter"] == "status"
