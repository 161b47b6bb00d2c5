"""The audit trail: every write, who made it, what changed, personal values masked
(api/common/endpoints/events.py)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api import documents
from tests.api.calls import mint, upload


async def test_the_audit_trail_shows_every_write_with_personal_values_masked(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str], create_customer: Any
) -> None:
    customer = await create_customer()
    path = f"/v2/customer/{customer['id']}"
    await client.patch(
        path, json={"meta": {"tier": "gold"}}, headers={**headers, "X-Request-Id": "req-patch"}
    )
    await upload(client, headers, customer["id"], "passport")
    await upload(client, headers, customer["id"], "liveness_report", documents.pdf())
    await client.post(
        f"/ops/customers/{customer['id']}/review", json={"decision": "approved"}, headers=reviewer_headers
    )
    response = await client.get(f"{path}/events", headers=headers)
    assert response.status_code == 200
    events = response.json()["events"]
    assert [event["type"] for event in events] == [
        "customer.created",
        "customer.updated",
        "customer.document_added",
        "customer.document_added",
        "customer.reviewed",
    ]
    created, patched, _, submitted, reviewed = events
    key_prefix = headers["Authorization"].removeprefix("Bearer ")[:12]
    assert created["actor"] == {"keyPrefix": key_prefix, "role": "api"}
    assert reviewed["actor"]["role"] == "reviewer"
    assert patched["requestId"] == "req-patch"
    assert {"field": "meta.*", "from": "***", "to": "***"} in patched["changes"]  # never a meta key
    fields = {change["field"]: change for change in created["changes"]}
    assert fields["identity.first_name"] == {"field": "identity.first_name", "from": None, "to": "***"}
    assert fields["email"]["to"] == "***"
    # No personal value anywhere in the trail.
    for secret in ("Jane", "Smith", "jane.smith@example.com", "6789", "1990-05-17", "Wacker"):
        assert secret not in response.text
    # The verification process itself is shown.
    assert {"field": "verification_status", "from": "incomplete", "to": "pending"} in submitted["changes"]
    assert {"field": "verification_status", "from": "pending", "to": "approved"} in reviewed["changes"]


async def test_the_audit_trail_is_paginated_tenant_scoped_and_survives_a_delete(
    client: httpx.AsyncClient, headers: dict[str, str], other_headers: dict[str, str]
) -> None:
    created = (await client.post("/v1/customers", json={}, headers=headers)).json()
    for index in range(3):
        await client.put(f"/v1/customers/{created['id']}", json={"metadata": {"n": index}}, headers=headers)
    await client.delete(f"/v1/customers/{created['id']}", headers=headers)
    page = (
        await client.get(f"/v1/customers/{created['id']}/events?limit=2&offset=3", headers=headers)
    ).json()
    assert page["total"] == 5
    assert [event["type"] for event in page["data"]] == ["customer.updated", "customer.deleted"]
    deleted = {change["field"]: change for change in page["data"][1]["changes"]}
    assert deleted["deleted_at"]["from"] is None
    assert deleted["deleted_at"]["to"].startswith(page["data"][1]["createdAt"][:19])
    sphere = (await client.get(f"/v2/customer/{created['id']}/events?page=3&limit=2", headers=headers)).json()
    assert sphere["pagination"]["total"] == 5
    assert [event["type"] for event in sphere["events"]] == ["customer.deleted"]
    for path in (f"/v1/customers/{created['id']}/events", f"/v2/customer/{created['id']}/events"):
        assert (await client.get(path, headers=other_headers)).status_code == 404
    assert (
        await client.get("/v2/customer/customer_" + "0" * 32 + "/events", headers=headers)
    ).status_code == 404


async def test_an_import_is_audited(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    created = (await client.post("/v1/customers", json={}, headers=headers)).json()
    token = await mint(client, headers)
    await client.put(f"/v1/customers/{created['id']}", json={"shareToken": token}, headers=headers)
    events = (await client.get(f"/v1/customers/{created['id']}/events", headers=headers)).json()["data"]
    assert events[-1]["type"] == "customer.kyc_imported"
    changes = {change["field"]: change for change in events[-1]["changes"]}
    assert changes["verification_status"] == {
        "field": "verification_status",
        "from": "incomplete",
        "to": "approved",
    }
    assert changes["identity.last_name"]["to"] == "***"
    assert token not in str(events)
