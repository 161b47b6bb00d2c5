"""The tax identification on v1 (issue 24, item 6): Swipelux's body has none, so a customer whose SumSub
applicant carries no tax number stayed ``incomplete`` for ever through v1. kycrail's extension fields
(``taxId``, ``taxIdType``, ``taxIdCountry``, ``taxIdDescription``) take one, by v2's rules, answered
back (never the number) and locked like v2's once the review is submitted."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tests.api.calls import create, mint, put, stored
from tests.api.test_swipelux_requirements import read_both

SSN = {"taxId": "536-22-1234", "taxIdType": "ssn", "taxIdCountry": "USA"}
HOME = {"streetLine1": "1 Elm St", "city": "Austin", "state": "TX", "postalCode": "73301", "country": "USA"}
BERLIN = {"streetLine1": "Unter den Linden 1", "city": "Berlin", "postalCode": "10115", "country": "DEU"}


async def test_the_tax_identification_is_taken_shown_without_its_number_and_read_by_v2(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await client.post("/v1/customers", json={"residentialAddress": HOME, **SSN}, headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["taxIdType"], body["taxIdCountry"], body["taxIdDescription"]) == ("ssn", "USA", None)
    assert "taxId" not in body
    assert "536-22-1234" not in created.text
    v1, criteria = await read_both(client, headers, body["id"])
    assert "tax_identification_number" in criteria["complete"]
    assert "tax_identification_number" not in v1["requirements"]["missing"]
    sphere = (await client.get(f"/v2/customer/{body['id']}", headers=headers)).json()["personalInformation"]
    assert (sphere["taxIdentificationNumberType"], sphere["taxIdentificationNumberCountry"]) == ("ssn", "USA")


@pytest.mark.parametrize(
    ("sent", "status", "code", "pointer"),
    [
        ({"taxId": "536-22-1234"}, 400, "tax_identification_incomplete", "/taxIdType"),
        (
            {"taxId": "1", "taxIdType": "other", "taxIdCountry": "DEU"},
            400,
            "tax_identification_description_required",
            "/taxIdDescription",
        ),
        ({**SSN, "taxId": "536-22-123"}, 422, "validation_failed", "/taxId"),
        (
            {"taxId": "X1", "taxIdType": "passport", "taxIdCountry": "USA"},
            400,
            "tax_identification_ssn_required",
            "/taxIdType",
        ),
        ({**SSN, "taxIdCountry": "US"}, 422, "validation_failed", "/taxIdCountry"),
        ({**SSN, "taxId": None}, 422, "validation_failed", "/taxId"),
    ],
)
async def test_the_tax_identification_follows_v2s_rules_and_a_refusal_writes_nothing(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    sent: dict[str, Any],
    status: int,
    code: str,
    pointer: str,
) -> None:
    customer = await create(client, headers, {"residentialAddress": HOME})
    answer = await put(client, headers, customer["id"], sent)
    assert (answer.status_code, answer.json()["code"]) == (status, code), answer.text
    assert pointer in [error.get("pointer") for error in answer.json()["errors"]]
    assert "536-22-123" not in answer.text  # a tax number is never repeated back
    assert (await client.get(f"/v1/customers/{customer['id']}", headers=headers)).json() == customer
    created = await client.post("/v1/customers", json={"residentialAddress": HOME, **sent}, headers=headers)
    assert (created.status_code, created.json()["code"]) == (status, code), created.text


async def test_a_business_has_no_tax_identification_on_v1(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    answer = await client.post(
        "/v1/customers", json={"type": "business", "legalName": "Acme", **SSN}, headers=headers
    )
    assert (answer.status_code, answer.json()["code"]) == (422, "validation_failed")
    assert {error["pointer"] for error in answer.json()["errors"]} == {
        "/taxId",
        "/taxIdType",
        "/taxIdCountry",
    }


async def test_a_customer_imported_without_a_tax_number_completes_through_v1_and_its_tin_then_locks(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    """The issue's case: SumSub's reusable KYC without a tax number (the sandbox's `partial` person)."""
    customer = await create(client, headers)
    imported = await put(
        client, headers, customer["id"], {"shareToken": await mint(client, headers, "partial")}
    )
    assert imported.json()["requirements"]["missing"] == [
        "phone_number",
        "residential_address",
        "tax_identification_number",
    ]
    supplied = await put(
        client, headers, customer["id"], {"phone": "+14155550166", "residentialAddress": HOME, **SSN}
    )
    assert supplied.status_code == 200, supplied.text
    assert supplied.json()["requirements"] == {"missing": [], "pending": [], "errors": []}
    assert supplied.json()["status"] == "under_review"  # submitted: reviewed here, not approved unseen

    other = await put(client, headers, customer["id"], {**SSN, "taxId": "536-22-4321"})
    assert (other.status_code, other.json()["code"]) == (409, "customer_identity_locked")
    assert other.json()["errors"][0]["pointer"] == "/taxId"
    same = await put(client, headers, customer["id"], SSN)  # the stored value again is no change
    assert same.status_code == 200, same.text


async def test_sumsubs_tin_without_a_country_is_placed_by_the_address_sent_beside_the_token(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], storage: Any
) -> None:
    """SumSub's applicant holds a TIN but says no country (no `country`, no address): the address the
    request declares places it, rather than it being lost."""
    emulator = app.state.emulator
    donor = emulator.applicants[emulator.applicant_id_for("sandbox-partial")]
    for info in (donor["info"], donor["fixedInfo"]):
        info.pop("country", None)
        info["tin"] = "12345678901"
    customer = await create(client, headers)
    token = await mint(client, headers, "partial")
    imported = await put(client, headers, customer["id"], {"shareToken": token, "residentialAddress": BERLIN})
    assert imported.status_code == 200, imported.text
    body = imported.json()
    assert (body["taxIdType"], body["taxIdCountry"]) == ("other", "DEU")
    assert "tax_identification_number" not in body["requirements"]["missing"]
    assert (await stored(storage, customer["id"]))["identity"]["tax"]["number"] == "12345678901"
