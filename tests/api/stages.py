"""One customer at each of Swipelux's statuses (each verification stage), made through the API."""

from __future__ import annotations

import httpx

from tests.api import documents
from tests.api.calls import upload
from tests.factories import jane


async def one_customer_per_status(
    client: httpx.AsyncClient, headers: dict[str, str], reviewer_headers: dict[str, str]
) -> dict[str, str]:
    """Swipelux status -> the id of a customer at it (``rejected`` too: finally, after its review)."""

    async def v1(body: dict[str, object]) -> str:
        created = await client.post("/v1/customers", json=body, headers=headers)
        assert created.status_code == 201, created.text
        return str(created.json()["id"])

    async def complete(n: int) -> str:
        body = jane(email=f"j{n}@example.com", phone=f"+1312555000{n}")
        customer_id = str((await client.post("/v2/customer", json=body, headers=headers)).json()["id"])
        await upload(client, headers, customer_id, "passport")
        await upload(client, headers, customer_id, "liveness_report", documents.pdf())
        return customer_id

    async def review(customer_id: str, decision: dict[str, object]) -> None:
        decided = await client.post(
            f"/ops/customers/{customer_id}/review", json=decision, headers=reviewer_headers
        )
        assert decided.status_code == 200, decided.text

    made = {"not_started": await v1({}), "incomplete": await v1({"firstName": "Ana"})}
    made["pending_verification"] = await v1({})
    await upload(client, headers, made["pending_verification"], "passport")
    made["under_review"], made["approved"], made["rejected"] = [await complete(n) for n in (1, 2, 3)]
    await review(made["approved"], {"decision": "approved"})
    reasons = [{"criterion": "identity_document", "message": "forged"}]
    await review(made["rejected"], {"decision": "rejected", "final": True, "reasons": reasons})
    return made
