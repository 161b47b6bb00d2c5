"""``GET /v2/event/{id}``: an outgoing event as SpherePay names it, with the customer as its write left
it; never another tenant's, never after an erasure (issue 13, item 4)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import select

from kycrail.api.sphere.webhooks import sphere_events
from kycrail.outbox.tables import outbox_events
from kycrail.storage import Storage
from tests.api.calls import upload
from tests.factories import JANE


async def _event_ids(storage: Storage, customer_id: str) -> list[str]:
    async with storage.engine.connect() as connection:
        rows = await connection.execute(
            select(outbox_events.c.event_id)
            .where(outbox_events.c.customer_id == customer_id)
            .order_by(outbox_events.c.id)
        )
        return list(rows.scalars())


async def test_each_write_reads_back_as_its_sphere_events(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    other_headers: dict[str, str],
    reviewer_headers: dict[str, str],
    admin_headers: dict[str, str],
    create_customer: Any,
    storage: Storage,
) -> None:
    customer_id = (await create_customer())["id"]
    for document_type in ("passport", "liveness_report"):
        assert (await upload(client, headers, customer_id, document_type)).status_code == 201
    sent_back = {"decision": "rejected", "reasons": [{"criterion": "identity_document", "message": "blurry"}]}
    path = f"/ops/customers/{customer_id}/review"
    assert (await client.post(path, json=sent_back, headers=reviewer_headers)).status_code == 200
    created, _, submitted, reviewed = await _event_ids(storage, customer_id)

    first = await client.get(f"/v2/event/{created}", headers=headers)
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["id"], body["name"], body["data"]["id"]) == (created, "customer.create", customer_id)
    assert body["data"]["verificationProfiles"][0]["status"] == "incomplete"
    assert JANE["personalInformation"]["taxIdentificationNumber"] not in first.text  # never the tax number
    assert (
        await client.get(f"/v2/event/{created}_kyc", headers=headers)
    ).status_code == 404  # it did not move

    pending = (await client.get(f"/v2/event/{submitted}_kyc", headers=headers)).json()
    assert pending["name"] == "customer.kyc.pending"
    assert pending["data"]["verificationProfiles"][0]["status"] == "pending"
    assert (await client.get(f"/v2/event/{submitted}", headers=headers)).json()["name"] == "customer.update"
    back = (await client.get(f"/v2/event/{reviewed}_kyc", headers=headers)).json()
    assert back["name"] == "customer.kyc.additionalReviewRequired"
    assert back["data"]["verificationProfiles"][0]["status"] == "incomplete"

    assert (await client.get(f"/v2/event/{created}", headers=other_headers)).status_code == 404  # not theirs
    for unknown in ("evt_nope", f"{created}_other"):
        assert (await client.get(f"/v2/event/{unknown}", headers=headers)).status_code == 404
    assert (
        await client.post(f"/ops/customers/{customer_id}/erase", headers=admin_headers)
    ).status_code == 204
    gone = await client.get(f"/v2/event/{created}", headers=headers)
    assert gone.status_code == 404  # nothing personal is shown once the customer is erased
    assert "Jane" not in gone.text


@pytest.mark.parametrize(
    ("kind", "before", "after", "names"),
    [
        ("customer.created", None, "incomplete", ["customer.create"]),
        ("customer.created", None, "pending", ["customer.create", "customer.kyc.pending"]),
        ("customer.updated", "incomplete", "incomplete", ["customer.update"]),
        ("customer.document_added", "incomplete", "pending", ["customer.update", "customer.kyc.pending"]),
        ("customer.reviewed", "pending", "approved", ["customer.update", "customer.kyc.successful"]),
        ("customer.reviewed", "pending", "rejected", ["customer.update", "customer.kyc.rejected"]),
        (
            "customer.reviewed",
            "pending",
            "incomplete",
            ["customer.update", "customer.kyc.additionalReviewRequired"],
        ),
        (
            "customer.reopened",
            "rejected",
            "incomplete",
            ["customer.update", "customer.kyc.additionalReviewRequired"],
        ),
        ("customer.kyc_imported", "incomplete", "approved", ["customer.update", "customer.kyc.successful"]),
        ("customer.deleted", "approved", "approved", []),
        ("customer.erased", "approved", "approved", []),
    ],
)
def test_what_sphere_calls_each_customer_event(
    kind: str, before: str | None, after: str, names: list[str]
) -> None:
    assert [name for _, name in sphere_events(kind, before, after)] == names
