"""Verification links (issue 14, item 1): POST /v2/customer/{id}/kyc-link and POST /v1/customers/{id}/kyc
give a fresh SumSub WebSDK link; the first creates the customer's SumSub applicant (the in-process
emulator, as `serve --sandbox` runs it), the next reuse it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from tests.api.bodies import V2_BUSINESS
from tests.api.test_kyc_decisions import FINAL_REJECTION, pending_emily
from tests.factories import jane


def applicants_of(app: FastAPI, customer_id: str) -> list[dict[str, Any]]:
    return [a for a in app.state.emulator.applicants.values() if a.get("externalUserId") == customer_id]


def expires_in(answer: str) -> timedelta:
    return datetime.fromisoformat(answer.replace("Z", "+00:00")) - datetime.now(UTC)


async def test_a_sphere_link_creates_the_applicant_once_and_every_call_gives_a_fresh_link(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    path = f"/v2/customer/{customer['id']}/kyc-link"
    first = await client.post(path, headers=headers)
    assert first.status_code == 200, first.text
    assert set(first.json()) == {"url", "expiresAt"}
    assert first.json()["url"].startswith("http")
    assert timedelta(minutes=29) < expires_in(first.json()["expiresAt"]) <= timedelta(minutes=30)
    second = await client.post(path, headers=headers)
    assert second.status_code == 200, second.text
    assert second.json()["url"] != first.json()["url"]

    (applicant,) = applicants_of(app, customer["id"])
    assert applicant["type"] == "individual"
    assert applicant["review"]["levelName"] == "basic-kyc-level"
    person = jane()["personalInformation"]
    assert applicant["fixedInfo"]["firstName"] == person["firstName"]
    assert applicant["fixedInfo"]["dob"] == person["dateOfBirth"]
    assert "tin" not in applicant["fixedInfo"]  # kycrail never hands SumSub the tax number
    # The link names no personal data.
    for answer in (first, second):
        assert person["lastName"].lower() not in answer.json()["url"].lower()

    events = (await client.get(f"/v2/customer/{customer['id']}/events", headers=headers)).json()["events"]
    assert [e["type"] for e in events].count("customer.verification_started") == 1
    # A link changes no verification status, and locks nothing the person still has to give.
    fetched = (await client.get(f"/v2/customer/{customer['id']}", headers=headers)).json()
    assert fetched["verificationProfiles"] == customer["verificationProfiles"]


async def test_a_business_gets_a_kyb_link(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    business = await create_customer(V2_BUSINESS)
    answer = await client.post(f"/v2/customer/{business['id']}/kyc-link", headers=headers)
    assert answer.status_code == 200, answer.text
    (applicant,) = applicants_of(app, business["id"])
    assert applicant["type"] == "company"
    assert applicant["review"]["levelName"] == "basic-kyb-level"
    assert (
        applicant["fixedInfo"]["companyInfo"]["companyName"]
        == V2_BUSINESS["businessInformation"]["legalName"]
    )


async def test_a_swipelux_customer_created_empty_gets_a_verification_url(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await client.post("/v1/customers", json={}, headers=headers)
    assert created.status_code == 201, created.text
    customer_id = created.json()["id"]
    answer = await client.post(f"/v1/customers/{customer_id}/kyc", headers=headers)
    assert answer.status_code == 200, answer.text
    assert set(answer.json()) == {"verificationUrl", "expiresAt"}
    assert len(applicants_of(app, customer_id)) == 1


async def test_no_link_for_an_unknown_or_another_tenants_customer(
    client: httpx.AsyncClient, headers: dict[str, str], other_headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    theirs = await client.post(f"/v2/customer/{customer['id']}/kyc-link", headers=other_headers)
    assert (theirs.status_code, theirs.json()["code"]) == (404, "resource/not-found")
    unknown = await client.post("/v1/customers/customer_" + "0" * 32 + "/kyc", headers=headers)
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")


async def test_sumsub_down_is_a_502_and_nothing_is_recorded(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    app.state.emulator.knobs.fail_with_5xx = 1  # the create POST is never retried
    answer = await client.post(f"/v2/customer/{customer['id']}/kyc-link", headers=headers)
    assert (answer.status_code, answer.json()["code"]) == (502, "kyc-provider/unavailable")
    events = (await client.get(f"/v2/customer/{customer['id']}/events", headers=headers)).json()["events"]
    assert "customer.verification_started" not in [e["type"] for e in events]


async def test_a_finally_rejected_customer_gets_no_link_and_sumsub_is_not_asked(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> None:
    emily = await pending_emily(client, headers)
    rejected = await client.post(
        f"/ops/customers/{emily}/review", json=FINAL_REJECTION, headers=reviewer_headers
    )
    assert rejected.status_code == 200, rejected.text
    sphere = await client.post(f"/v2/customer/{emily}/kyc-link", headers=headers)
    assert (sphere.status_code, sphere.json()["code"]) == (400, "customer/rejected")
    swipelux = await client.post(f"/v1/customers/{emily}/kyc", headers=headers)
    assert (swipelux.status_code, swipelux.json()["code"]) == (409, "customer_rejected")
    assert applicants_of(app, emily) == []
