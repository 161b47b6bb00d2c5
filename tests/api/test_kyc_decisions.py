"""KYC decisions that hold: a final rejection is final until a reviewer reopens it, locks cover what
was supplied, an import never turns one person into another, and every transition is in the audit
trail with its actor. Over HTTP, with the in-process SumSub emulator (as under `serve --sandbox`)."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.storage import Storage
from kycrail.tenants.keys import Role
from tests.api import documents
from tests.api.calls import create, mint, put, stored, upload
from tests.conftest import KeyFactory
from tests.factories import jane

# The emulator's `approved` donor, as a Sphere create body: the same person, so that only the
# verdict (not a mismatch) can refuse an import.
EMILY = {
    "firstName": "Emily",
    "middleName": "Rose",
    "lastName": "Carter",
    "dateOfBirth": "1990-04-12",
    "taxIdentificationNumber": "536-22-1234",
    "taxIdentificationNumberType": "ssn",
    "taxIdentificationNumberCountry": "USA",
}


def status(body: dict[str, Any]) -> str:
    result: str = body["verificationProfiles"][0]["status"]
    return result


async def v2(client: httpx.AsyncClient, headers: dict[str, str], customer_id: str) -> dict[str, Any]:
    response = await client.get(f"/v2/customer/{customer_id}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def review(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, decision: dict[str, Any]
) -> httpx.Response:
    return await client.post(f"/ops/customers/{customer_id}/review", json=decision, headers=headers)


def address_and_tax(ssn: str) -> dict[str, Any]:
    """A Sphere PATCH body supplying a US address and an SSN."""
    return {
        "address": {
            "line1": "1 Elm St",
            "city": "Austin",
            "state": "TX",
            "postalCode": "73301",
            "country": "USA",
        },
        "personalInformation": {
            "taxIdentificationNumber": ssn,
            "taxIdentificationNumberType": "ssn",
            "taxIdentificationNumberCountry": "USA",
        },
    }


FINAL_REJECTION = {
    "decision": "rejected",
    "final": True,
    "reasons": [{"criterion": "identity_document", "message": "The document is forged"}],
}


async def pending_emily(client: httpx.AsyncClient, headers: dict[str, str]) -> str:
    """Emily Carter with everything supplied (her own upload): her review is pending."""
    created = await client.post(
        "/v2/customer", json=jane(email="emily@example.com", personalInformation=EMILY), headers=headers
    )
    assert created.status_code == 201, created.text
    customer_id: str = created.json()["id"]
    assert (await upload(client, headers, customer_id, "passport")).status_code == 201
    assert (await upload(client, headers, customer_id, "liveness_report", documents.pdf())).status_code == 201
    assert status(await v2(client, headers, customer_id)) == "pending"
    return customer_id


async def rejected_emily(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> str:
    customer_id = await pending_emily(client, headers)
    response = await review(client, reviewer_headers, customer_id, FINAL_REJECTION)
    assert response.status_code == 200, response.text
    assert status(response.json()) == "rejected"
    return customer_id


# --- 1. a final rejection is final ---------------------------------------------------------------


async def test_a_final_rejection_refuses_a_share_token_import_before_the_token_is_spent(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    reviewer_headers: dict[str, str],
    engine: AsyncEngine,
    storage: Storage,
) -> None:
    customer_id = await rejected_emily(client, headers, reviewer_headers)
    row = await stored(storage, customer_id)
    token = await mint(client, headers, "approved")
    for path, method, body in (
        (f"/v1/customers/{customer_id}", "PUT", {"shareToken": token, "phone": "+14155550142"}),
        (f"/v1/customers/{customer_id}/kyc/import", "POST", {"shareToken": token}),
    ):
        response = await client.request(method, path, json=body, headers=headers)
        assert response.status_code == 409, response.text
        assert response.json()["code"] == "customer_rejected"
        assert await stored(storage, customer_id) == row
    # Nor does a document (Sphere's shape: 400 customer/rejected).
    document = await upload(client, headers, customer_id, "passport")
    assert document.status_code == 400
    assert document.json()["code"] == "customer/rejected"
    assert await stored(storage, customer_id) == row
    # The client's own contact details still change; the verdict does not.
    contact = await put(client, headers, customer_id, {"phone": "+14155550142"})
    assert contact.status_code == 200, contact.text
    assert contact.json()["status"] == "rejected"
    # The token was refused before SumSub saw it: it still imports into another customer.
    other = await create(client, headers)
    assert (await put(client, headers, other["id"], {"shareToken": token})).status_code == 200


async def test_only_a_reviewer_reopens_a_final_rejection(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> None:
    customer_id = await rejected_emily(client, headers, reviewer_headers)
    refused = await review(client, headers, customer_id, {"decision": "reopen"})
    assert refused.status_code == 403
    reopened = await review(client, reviewer_headers, customer_id, {"decision": "reopen"})
    assert reopened.status_code == 200, reopened.text
    profile = reopened.json()["verificationProfiles"][0]
    # The rejection's named document no longer counts: it is required again, the rest still stands.
    assert profile["status"] == "incomplete"
    assert profile["criteria"]["required"] == ["identity_document"]
    assert profile["criteria"]["errors"] == []
    # A new document resubmits the review; now the import may decide.
    assert (await upload(client, headers, customer_id, "passport")).status_code == 201
    assert status(await v2(client, headers, customer_id)) == "pending"
    imported = await put(client, headers, customer_id, {"shareToken": await mint(client, headers)})
    assert imported.status_code == 200, imported.text
    assert imported.json()["status"] == "approved"
    events = (await client.get(f"/v2/customer/{customer_id}/events?limit=100", headers=headers)).json()
    kinds = [(event["type"], event["actor"]["role"]) for event in events["events"]]
    assert ("customer.reopened", "reviewer") in kinds
    assert kinds[-1] == ("customer.kyc_imported", "api")


async def test_a_reopening_with_reasons_asks_for_them_again(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> None:
    customer_id = await rejected_emily(client, headers, reviewer_headers)
    reason = {"criterion": "tax_identification_number", "message": "Send the tax number again"}
    response = await review(
        client, reviewer_headers, customer_id, {"decision": "reopen", "reasons": [reason]}
    )
    assert response.status_code == 200, response.text
    criteria = response.json()["verificationProfiles"][0]["criteria"]
    assert criteria["errors"] == [{"name": "tax_identification_number", "message": reason["message"]}]


async def test_only_a_final_rejection_can_be_reopened(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> None:
    customer_id = await pending_emily(client, headers)
    response = await review(client, reviewer_headers, customer_id, {"decision": "reopen"})
    assert response.status_code == 400
    assert response.json()["code"] == "customer/not-rejected"


# --- 3. locks cover what was supplied ------------------------------------------------------------


async def test_after_a_partial_import_what_it_lacks_can_be_supplied_and_is_then_reviewed(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create(client, headers, {"phone": "+14155550142"})
    imported = await put(
        client, headers, created["id"], {"shareToken": await mint(client, headers, "partial")}
    )
    assert imported.status_code == 200, imported.text
    assert imported.json()["status"] == "incomplete"
    before = await v2(client, headers, created["id"])
    assert before["verificationProfiles"][0]["criteria"]["required"] == [
        "residential_address",
        "tax_identification_number",
    ]
    supplied = await client.patch(
        f"/v2/customer/{created['id']}", json=address_and_tax("234-56-7890"), headers=headers
    )
    assert supplied.status_code == 200, supplied.text
    # Nothing missing: submitted for review (not approved unseen: SumSub verified none of it).
    assert status(supplied.json()) == "pending"
    assert (await client.get(f"/v1/customers/{created['id']}", headers=headers)).json()["status"] == (
        "under_review"
    )
    # What SumSub verified stays locked, and so does what was just supplied.
    for change in (
        {"firstName": "Danny"},
        {
            "taxIdentificationNumber": "345-67-8901",
            "taxIdentificationNumberType": "ssn",
            "taxIdentificationNumberCountry": "USA",
        },
    ):
        locked = await client.patch(
            f"/v2/customer/{created['id']}",
            json={"address": supplied.json()["address"], "personalInformation": change},
            headers=headers,
        )
        assert locked.status_code == 400
        assert locked.json()["code"] == "customer/identity-locked"


# --- 4. an import never turns one person into another -----------------------------------------


async def test_an_import_of_another_person_is_refused_whatever_the_customer_holds(
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine, storage: Storage
) -> None:
    for declared in (
        {"firstName": "Bob", "lastName": "Jones", "birthDate": "1970-01-01"},
        {"birthDate": "1990-04-13"},  # Emily's name unknown here; one day off is another person
        {"lastName": "Carter-Smith"},
    ):
        created = await create(client, headers, declared)
        row = await stored(storage, created["id"])
        response = await put(client, headers, created["id"], {"shareToken": await mint(client, headers)})
        assert response.status_code == 409, (declared, response.text)
        assert response.json()["code"] == "customer_identity_mismatch"
        assert response.json()["errors"][0]["pointer"] == "/shareToken"
        assert await stored(storage, created["id"]) == row


async def test_the_same_person_written_otherwise_is_no_mismatch(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create(
        client, headers, {"firstName": "EMILY", "lastName": "carter", "birthDate": "1990-04-12"}
    )
    response = await put(client, headers, created["id"], {"shareToken": await mint(client, headers)})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "approved"


async def test_a_request_declaring_another_person_beside_a_token_is_the_same_mismatch(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    token = await mint(client, headers)
    response = await client.post(
        "/v1/customers", json={"firstName": "Emilia", "shareToken": token}, headers=headers
    )
    assert response.status_code == 409
    assert response.json()["code"] == "customer_identity_mismatch"
    assert response.json()["errors"][0]["pointer"] == "/firstName"
    assert (await client.get("/v1/customers", headers=headers)).json()["total"] == 0


# --- 2. every transition is in the audit trail, with its actor ----------------------------------

STEPS = st.sampled_from(
    [
        "patch",
        "passport",
        "liveness",
        "import approved",
        "import partial",
        "approve",
        "reject final",
        "reject retry",
        "reopen",
        "reopen as api",
    ]
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.booleans(), st.lists(STEPS, min_size=1, max_size=10))
async def test_every_transition_is_in_the_audit_trail_with_its_actor(
    client: httpx.AsyncClient, make_key: KeyFactory, submitted: bool, steps: list[str]
) -> None:
    tenant = f"audit-{uuid.uuid4().hex[:12]}"  # the app outlives each example: a tenant of its own
    headers = {"Authorization": f"Bearer {await make_key(tenant)}"}
    reviewer_headers = {"Authorization": f"Bearer {await make_key(tenant, Role.reviewer)}"}
    # Emily Carter, the emulator's `approved` donor; `submitted`: her own data complete, under review.
    emily = {
        "email": "emily@example.com",
        "phone": "+14155550142",
        "firstName": "Emily",
        "lastName": "Carter",
    }
    customer_id = (await create(client, headers, emily))["id"]
    statuses = [status(await v2(client, headers, customer_id))]
    writes: list[str] = ["api"]  # the create
    if submitted:
        steps = ["patch", "passport", "liveness", *steps]
    for step in steps:
        role = "reviewer" if step in ("approve", "reject final", "reject retry", "reopen") else "api"
        key = reviewer_headers if role == "reviewer" else headers
        if step == "patch":
            response = await client.patch(
                f"/v2/customer/{customer_id}",
                json=address_and_tax(EMILY["taxIdentificationNumber"]),
                headers=key,
            )
        elif step in ("passport", "liveness"):
            kind, content = ("passport", None) if step == "passport" else ("liveness_report", documents.pdf())
            response = await upload(client, key, customer_id, kind, content)
        elif step.startswith("import"):
            token = await mint(client, headers, step.removeprefix("import "))
            response = await put(client, key, customer_id, {"shareToken": token})
        else:
            decision: dict[str, Any] = {
                "approve": {"decision": "approved"},
                "reject final": FINAL_REJECTION,
                "reject retry": {**FINAL_REJECTION, "final": False},
            }.get(step, {"decision": "reopen"})
            response = await review(client, key, customer_id, decision)
        assert response.status_code < 500, response.text
        if response.status_code < 300:
            writes.append(role)
            statuses.append(status(await v2(client, headers, customer_id)))
    events = (await client.get(f"/v2/customer/{customer_id}/events?limit=100", headers=headers)).json()
    recorded = events["events"]
    # One event per write that took effect, and none for a refused one; each with its actor's role.
    assert [event["actor"]["role"] for event in recorded] == writes
    for event, (before, after) in zip(recorded[1:], itertools.pairwise(statuses), strict=True):
        # Each event shows the status it moved the customer to, whenever it moved it ...
        moved = [c for c in event["changes"] if c["field"] == "verification_status"]
        expected = [{"field": "verification_status", "from": before, "to": after}] if before != after else []
        assert moved == expected
        # ... and a final rejection was left only through a reviewer's reopening.
        if before == "rejected" and after != "rejected":
            assert (event["type"], event["actor"]["role"]) == ("customer.reopened", "reviewer")


# --- 5. what a reviewer sends back stands until it is answered ------------------------------------


async def test_an_import_answers_no_contact_detail_a_reviewer_sent_back(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> None:
    """SumSub's email is not taken where the customer has one, so it answers nothing: the reviewer's
    complaint about the customer's own email stands until the platform sends another."""
    customer_id = await pending_emily(client, headers)
    reason = {"criterion": "email_address", "message": "This mailbox bounces."}
    decision = {"decision": "rejected", "final": False, "reasons": [reason]}
    assert (await review(client, reviewer_headers, customer_id, decision)).status_code == 200
    token = await mint(client, headers, "approved")
    imported = await put(client, headers, customer_id, {"shareToken": token})
    assert imported.status_code == 200, imported.text
    assert imported.json()["status"] == "incomplete"
    assert imported.json()["requirements"]["errors"] == [
        {"name": "email_address", "message": "This mailbox bounces."}
    ]
    answered = await put(client, headers, customer_id, {"email": "emily.carter@example.org"})
    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] != "incomplete"
