"""v1 customers say what is missing: ``requirements {missing, errors}``, from the criteria of v2's profile."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.test_kyc_decisions import pending_emily
from tests.factories import jane


async def _both(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    v1 = (await client.get(f"/v1/customers/{customer_id}", headers=headers)).json()
    v2 = (await client.get(f"/v2/customer/{customer_id}", headers=headers)).json()
    return v1, v2["verificationProfiles"][0]["criteria"]


async def test_a_new_customer_is_told_everything_it_still_needs(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = (await client.post("/v1/customers", json={}, headers=headers)).json()
    assert created["status"] == "not_started"
    v1, criteria = await _both(client, headers, created["id"])
    assert v1["requirements"] == {"missing": criteria["required"], "errors": []}
    assert "residential_address" in v1["requirements"]["missing"]
    assert created["requirements"] == v1["requirements"]  # every answer carries it, the create's too


async def test_what_is_supplied_leaves_the_list_and_a_reviewers_message_shows(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> None:
    partial = jane(email="partial@example.com", phone="+14155550188")
    customer_id = (await client.post("/v2/customer", json=partial, headers=headers)).json()["id"]
    v1, criteria = await _both(client, headers, customer_id)
    assert "residential_address" not in v1["requirements"]["missing"]
    assert v1["requirements"]["missing"] == criteria["required"] != []

    customer_id = await pending_emily(client, headers)  # everything supplied: the review runs
    v1, _ = await _both(client, headers, customer_id)
    assert v1["requirements"] == {"missing": [], "errors": []}
    reason = {"criterion": "residential_address", "message": "Blurry proof."}
    decision = {"decision": "rejected", "final": False, "reasons": [reason]}
    sent_back = await client.post(
        f"/ops/customers/{customer_id}/review", json=decision, headers=reviewer_headers
    )
    assert sent_back.status_code == 200, sent_back.text
    v1, criteria = await _both(client, headers, customer_id)
    assert v1["requirements"]["errors"] == [{"name": "residential_address", "message": "Blurry proof."}]
    assert v1["requirements"]["errors"] == criteria["errors"]
