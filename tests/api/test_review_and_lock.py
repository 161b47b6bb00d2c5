"""Submission, the identity lock, and reviews (approve, reject final, reject and retry)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.api import documents
from tests.api.calls import upload
from tests.factories import JANE, jane

JANE_ADDRESS = {"line1": "1 Elm St", "city": "Austin", "state": "TX", "postalCode": "73301", "country": "USA"}


@pytest.fixture
def submitted_customer(client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any) -> Any:
    """A customer with everything supplied (a middle name too): its review is submitted (status pending)."""

    async def make() -> dict[str, Any]:
        customer = await create_customer(
            jane(personalInformation={**JANE["personalInformation"], "middleName": "Ann"})
        )
        assert (await upload(client, headers, customer["id"], "passport")).status_code == 201
        assert (
            await upload(client, headers, customer["id"], "liveness_report", documents.pdf())
        ).status_code == 201
        body: dict[str, Any] = (await client.get(f"/v2/customer/{customer['id']}", headers=headers)).json()
        assert body["verificationProfiles"][0]["status"] == "pending"
        return body

    return make


def profile(customer: dict[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = customer["verificationProfiles"][0]
    return result


async def get(client: httpx.AsyncClient, headers: dict[str, str], customer_id: str) -> dict[str, Any]:
    body: dict[str, Any] = (await client.get(f"/v2/customer/{customer_id}", headers=headers)).json()
    return body


LOCKED_CHANGES = [
    ({"firstName": "Janet"}, "/personalInformation/firstName"),
    ({"middleName": "Q"}, "/personalInformation/middleName"),
    ({"lastName": "Smyth"}, "/personalInformation/lastName"),
    ({"dateOfBirth": "1991-05-17"}, "/personalInformation/dateOfBirth"),
    (
        {
            "taxIdentificationNumber": "234-56-7890",
            "taxIdentificationNumberType": "ssn",
            "taxIdentificationNumberCountry": "USA",
        },
        "/personalInformation/taxIdentificationNumber",
    ),
]


@pytest.mark.parametrize(("change", "pointer"), LOCKED_CHANGES)
async def test_after_submission_identity_changes_are_refused_whole(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    submitted_customer: Any,
    change: dict[str, str],
    pointer: str,
) -> None:
    customer = await submitted_customer()
    # Address and meta ride along: they must not be written either.
    body = {"address": JANE_ADDRESS, "personalInformation": change, "meta": {"changed": True}}
    response = await client.patch(f"/v2/customer/{customer['id']}", json=body, headers=headers)
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "customer/identity-locked"
    assert error["errors"] == [{"detail": error["detail"], "pointer": pointer}]
    assert await get(client, headers, customer["id"]) == customer


async def test_after_submission_a_field_never_supplied_can_be_supplied_once(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()  # Jane has no middle name
    assert (await upload(client, headers, customer["id"], "passport")).status_code == 201
    assert (
        await upload(client, headers, customer["id"], "liveness_report", documents.pdf())
    ).status_code == 201
    assert profile(await get(client, headers, customer["id"]))["status"] == "pending"
    body = {"address": JANE_ADDRESS, "personalInformation": {"middleName": "Ann"}}
    supplied = await client.patch(f"/v2/customer/{customer['id']}", json=body, headers=headers)
    assert supplied.status_code == 200, supplied.text
    assert supplied.json()["personalInformation"]["middleName"] == "Ann"
    # Supplied, it locks like the rest.
    body = {"address": JANE_ADDRESS, "personalInformation": {"middleName": "Anne"}}
    changed = await client.patch(f"/v2/customer/{customer['id']}", json=body, headers=headers)
    assert changed.status_code == 400
    assert changed.json()["code"] == "customer/identity-locked"


async def test_before_submission_identity_can_change(
    client: httpx.AsyncClient, headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    body = {
        "address": JANE_ADDRESS,
        "personalInformation": {"firstName": "Janet", "dateOfBirth": "1991-05-17"},
    }
    response = await client.patch(f"/v2/customer/{customer['id']}", json=body, headers=headers)
    assert response.status_code == 200
    assert response.json()["firstName"] == "Janet"
    assert response.json()["dateOfBirth"] == "1991-05-17"


async def test_after_submission_the_same_values_and_contact_details_are_accepted(
    client: httpx.AsyncClient, headers: dict[str, str], submitted_customer: Any
) -> None:
    customer = await submitted_customer()
    same_identity = {
        "firstName": "Jane",
        "lastName": "Smith",
        "dateOfBirth": "1990-05-17",
        "taxIdentificationNumber": "123456789",  # the same SSN, written without dashes
        "taxIdentificationNumberType": "ssn",
        "taxIdentificationNumberCountry": "USA",
        "occupationSocCode": "15-1252",  # not locked
    }
    body = {"address": JANE_ADDRESS, "personalInformation": same_identity, "meta": {"tier": "gold"}}
    response = await client.patch(f"/v2/customer/{customer['id']}", json=body, headers=headers)
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["address"]["city"] == "Austin"
    assert updated["meta"] == {"tier": "gold"}
    assert updated["personalInformation"]["occupationSocCode"] == "15-1252"
    assert profile(updated)["status"] == "pending"


async def test_only_reviewer_keys_may_review(
    client: httpx.AsyncClient, headers: dict[str, str], submitted_customer: Any
) -> None:
    customer = await submitted_customer()
    response = await client.post(
        f"/ops/customers/{customer['id']}/review", json={"decision": "approved"}, headers=headers
    )
    assert response.status_code == 403
    assert response.json()["code"] == "auth/forbidden"
    assert await get(client, headers, customer["id"]) == customer


async def test_approval_completes_the_pending_criteria(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    submitted_customer: Any,
) -> None:
    customer = await submitted_customer()
    response = await client.post(
        f"/ops/customers/{customer['id']}/review", json={"decision": "approved"}, headers=reviewer_headers
    )
    assert response.status_code == 200, response.text
    approved = profile(response.json())
    assert approved["status"] == "approved"
    assert approved["criteria"]["complete"] == [
        "email_address",
        "phone_number",
        "residential_address",
        "tax_identification_number",
        "identity_document",
        "liveness_report_document",
    ]
    assert approved["criteria"]["pending"] == []
    listed = (await client.get("/v2/customer?status=approved", headers=headers)).json()
    assert [c["id"] for c in listed["customers"]] == [customer["id"]]
    # Still locked after approval.
    locked = await client.patch(
        f"/v2/customer/{customer['id']}",
        json={"address": JANE_ADDRESS, "personalInformation": {"lastName": "Doe"}},
        headers=headers,
    )
    assert locked.status_code == 400


async def test_a_final_rejection_ends_verification(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    submitted_customer: Any,
) -> None:
    customer = await submitted_customer()
    decision = {
        "decision": "rejected",
        "final": True,
        "reasons": [{"criterion": "identity_document", "message": "ID DOCS IS BLURRY"}],
    }
    response = await client.post(
        f"/ops/customers/{customer['id']}/review", json=decision, headers=reviewer_headers
    )
    assert response.status_code == 200, response.text
    rejected = profile(response.json())
    assert rejected["status"] == "rejected"
    assert rejected["criteria"]["errors"] == [{"name": "identity_document", "message": "ID DOCS IS BLURRY"}]
    again = await upload(client, headers, customer["id"], "passport")
    assert again.status_code == 400
    assert again.json()["code"] == "customer/rejected"


async def test_a_rejection_to_retry_asks_for_the_named_criteria_again(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    submitted_customer: Any,
) -> None:
    customer = await submitted_customer()
    decision = {
        "decision": "rejected",
        "final": False,
        "reasons": [
            {"criterion": "identity_document", "message": "ID DOCS IS BLURRY"},
            {"criterion": "tax_identification_number", "message": "SSN does not match the name"},
        ],
    }
    response = await client.post(
        f"/ops/customers/{customer['id']}/review", json=decision, headers=reviewer_headers
    )
    assert response.status_code == 200, response.text
    retry = profile(response.json())
    assert retry["status"] == "incomplete"
    assert [error["name"] for error in retry["criteria"]["errors"]] == [
        "tax_identification_number",
        "identity_document",
    ]
    assert retry["criteria"]["pending"] == ["liveness_report_document"]

    # The criteria named are unlocked for correction: a new SSN and a new passport.
    corrected = {
        "taxIdentificationNumber": "234-56-7890",
        "taxIdentificationNumberType": "ssn",
        "taxIdentificationNumberCountry": "USA",
    }
    response = await client.patch(
        f"/v2/customer/{customer['id']}",
        json={"address": JANE_ADDRESS, "personalInformation": corrected},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    assert [error["name"] for error in profile(response.json())["criteria"]["errors"]] == [
        "identity_document"
    ]
    # A rejected identity document reopens the names it shows, for correction with the new document.
    names = await client.patch(
        f"/v2/customer/{customer['id']}",
        json={"address": JANE_ADDRESS, "personalInformation": {"firstName": "Janet"}},
        headers=headers,
    )
    assert names.status_code == 200
    assert (await upload(client, headers, customer["id"], "id_card", documents.jpeg())).status_code == 201
    resubmitted = await get(client, headers, customer["id"])
    assert profile(resubmitted)["status"] == "pending"
    assert profile(resubmitted)["criteria"]["errors"] == []

    approved = await client.post(
        f"/ops/customers/{customer['id']}/review", json={"decision": "approved"}, headers=reviewer_headers
    )
    assert profile(approved.json())["status"] == "approved"


@pytest.mark.parametrize(
    ("decision", "status", "code"),
    [
        ({"decision": "rejected", "final": False, "reasons": []}, 400, "review/reasons-required"),
        (
            {"decision": "rejected", "reasons": [{"criterion": "shoe_size", "message": "x"}]},
            422,
            "validation/failed",
        ),
        ({"decision": "maybe"}, 422, "validation/failed"),
        ({"decision": "approved", "extra": 1}, 422, "validation/failed"),
    ],
)
async def test_bad_review_requests_are_refused(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    submitted_customer: Any,
    decision: dict[str, Any],
    status: int,
    code: str,
) -> None:
    customer = await submitted_customer()
    response = await client.post(
        f"/ops/customers/{customer['id']}/review", json=decision, headers=reviewer_headers
    )
    assert response.status_code == status
    assert response.json()["code"] == code
    assert await get(client, headers, customer["id"]) == customer


async def test_only_a_pending_review_can_be_decided(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()  # incomplete: documents missing
    response = await client.post(
        f"/ops/customers/{customer['id']}/review", json={"decision": "approved"}, headers=reviewer_headers
    )
    assert response.status_code == 400
    assert response.json()["code"] == "customer/review-not-pending"


async def test_a_reviewer_of_another_tenant_sees_nothing(
    client: httpx.AsyncClient, submitted_customer: Any, make_key: Any, headers: dict[str, str]
) -> None:
    from kycrail.tenants.keys import Role

    customer = await submitted_customer()
    stranger = {"X-API-Key": await make_key("globex", Role.reviewer)}
    response = await client.post(
        f"/ops/customers/{customer['id']}/review", json={"decision": "approved"}, headers=stranger
    )
    assert response.status_code == 404
    assert await get(client, headers, customer["id"]) == customer


async def test_a_rejection_reopens_only_what_it_names(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    submitted_customer: Any,
) -> None:
    customer = await submitted_customer()
    decision = {
        "decision": "rejected",
        "reasons": [{"criterion": "liveness_report_document", "message": "Not live"}],
    }
    response = await client.post(
        f"/ops/customers/{customer['id']}/review", json=decision, headers=reviewer_headers
    )
    assert response.status_code == 200
    for change, pointer in LOCKED_CHANGES:
        refused = await client.patch(
            f"/v2/customer/{customer['id']}",
            json={"address": JANE_ADDRESS, "personalInformation": change},
            headers=headers,
        )
        assert refused.status_code == 400
        assert refused.json()["errors"][0]["pointer"] == pointer
    assert (
        await upload(client, headers, customer["id"], "liveness_report", documents.pdf(1))
    ).status_code == 201
    assert profile(await get(client, headers, customer["id"]))["status"] == "pending"
