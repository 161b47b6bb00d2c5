"""Least privilege: what each role's keys may do (README "API keys and tenants"), everything else 403."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from kycrail.tenants.keys import Role
from tests.api.test_kyc_decisions import pending_emily
from tests.conftest import KeyFactory
from tests.factories import jane

REVIEW = {"decision": "approved", "final": False, "reasons": []}


async def _as(make_key: KeyFactory, role: Role) -> dict[str, str]:
    return {"Authorization": f"Bearer {await make_key('acme', role)}"}


async def _attempts(
    client: httpx.AsyncClient, headers: dict[str, str], owner: dict[str, str]
) -> dict[str, int]:
    """One request of each kind with ``headers``; customers made with ``owner`` (an api key)."""
    customer = (
        await client.post(
            "/v2/customer", json=jane(email="role@example.com", phone="+14155550177"), headers=owner
        )
    ).json()["id"]
    pending = await pending_emily(client, owner)
    hook = {"name": "KYC", "url": "https://hooks.example.com/kyc", "events": ["*"]}
    tried: dict[str, Any] = {
        "read customer": client.get(f"/v2/customer/{customer}", headers=headers),
        "list customers": client.get("/v1/customers", headers=headers),
        "read events": client.get(f"/v2/customer/{customer}/events", headers=headers),
        "list webhooks": client.get("/v2/webhook", headers=headers),
        "create customer": client.post("/v1/customers", json={}, headers=headers),
        "update customer": client.patch(f"/v2/customer/{customer}", json={"meta": {"a": 1}}, headers=headers),
        "create webhook": client.post("/v2/webhook", json=hook, headers=headers),
        "review": client.post(f"/ops/customers/{pending}/review", json=REVIEW, headers=headers),
        "erase": client.post(f"/ops/customers/{customer}/erase", headers=headers),
        "delete customer": client.delete(f"/v2/customer/{pending}", headers=headers),
    }
    return {name: (await attempt).status_code for name, attempt in tried.items()}


API = {
    "read customer",
    "list customers",
    "read events",
    "list webhooks",
    "create customer",
    "update customer",
    "create webhook",
    "delete customer",
}
ALLOWED = {
    Role.api: API,
    Role.reviewer: {"read customer", "list customers", "read events", "review"},
    Role.admin: API | {"erase"},
}


@pytest.mark.parametrize("role", list(Role))
async def test_a_role_does_what_its_scope_allows_and_nothing_else(
    client: httpx.AsyncClient, make_key: KeyFactory, role: Role
) -> None:
    owner = await _as(make_key, Role.api)
    statuses = await _attempts(client, await _as(make_key, role), owner)
    allowed = {name for name, status in statuses.items() if status != 403}
    assert allowed == ALLOWED[role], statuses
    assert {name: statuses[name] for name in allowed if statuses[name] >= 400} == {}, statuses
