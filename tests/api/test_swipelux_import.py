"""PUT /v1/customers/{id} with a SumSub share token: the seed's workflow and every way it can fail.

SumSub is the in-process emulator (as under `kycrail serve --sandbox`), reached through the real
signed client; tokens are minted through POST /sandbox/share-tokens.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from kycrail.app import create_app
from kycrail.config import Settings
from kycrail.storage import Storage
from tests.api.calls import create, mint, put, stored
from tests.settings import settings_for

ALL_COMPLETE = [
    "email_address",
    "phone_number",
    "residential_address",
    "tax_identification_number",
    "identity_document",
    "liveness_report_document",
]


async def test_the_seed_workflow(
    client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine, storage: Storage
) -> None:
    # 1. Create the customer with minimal data.
    created = await create(client, headers)
    assert created["status"] == "not_started"
    # 2-3. A share token from SumSub, PUT with other data alongside.
    token = await mint(client, headers)
    response = await put(client, headers, created["id"], {"shareToken": token, "metadata": {"rail": "usdc"}})
    assert response.status_code == 200, response.text
    imported = response.json()
    assert imported["status"] == "approved"  # imported in the same call
    assert (imported["firstName"], imported["middleName"], imported["lastName"]) == (
        "Emily",
        "Rose",
        "Carter",
    )
    assert imported["birthDate"] == "1990-04-12"
    assert imported["email"] == "emily.carter@example.com"
    assert imported["phone"] == "+14155550100"
    assert imported["residentialAddress"]["postalCode"] == "94105"
    assert imported["metadata"] == {"rail": "usdc"}
    assert "536-22-1234" not in response.text
    # Read approved in the other dialect too.
    sphere = (await client.get(f"/v2/customer/{created['id']}", headers=headers)).json()
    profile = sphere["verificationProfiles"][0]
    assert profile["status"] == "approved"
    assert profile["criteria"]["complete"] == ALL_COMPLETE
    assert sphere["personalInformation"]["taxIdentificationNumberType"] == "ssn"
    row = await stored(storage, created["id"])
    documents_before = row["documents"]
    assert sorted(d["type"] for d in documents_before) == ["liveness_report", "passport"]
    # 4. Token refresh: a new token for the same person, with a new phone number.
    fresh = await mint(client, headers)
    refreshed = await put(client, headers, created["id"], {"shareToken": fresh, "phone": "+14155550142"})
    assert refreshed.status_code == 200, refreshed.text
    assert refreshed.json()["status"] == "approved"
    assert refreshed.json()["phone"] == "+14155550142"
    row = await stored(storage, created["id"])
    assert [d["id"] for d in row["documents"]] == [d["id"] for d in documents_before]  # not duplicated
    assert row["sumsub"]["review_answer"] == "GREEN"


async def test_create_with_a_share_token(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    token = await mint(client, headers)
    created = await create(client, headers, {"shareToken": token, "metadata": {"k": "v"}})
    assert created["status"] == "approved"
    assert created["lastName"] == "Carter"


async def test_the_kyc_import_route(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    created = await create(client, headers)
    token = await mint(client, headers, "partial")
    response = await client.post(
        f"/v1/customers/{created['id']}/kyc/import", json={"shareToken": token}, headers=headers
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["firstName"], body["lastName"], body["birthDate"]) == ("Daniel", "Okafor", "1985-11-03")
    # Reusable KYC without address or tax number: those stay required on our side.
    assert body["status"] == "incomplete"
    sphere = (await client.get(f"/v2/customer/{created['id']}", headers=headers)).json()
    criteria = sphere["verificationProfiles"][0]["criteria"]
    assert criteria["required"] == ["phone_number", "residential_address", "tax_identification_number"]
    assert criteria["complete"] == ["email_address", "identity_document", "liveness_report_document"]


async def test_a_token_for_another_person_is_refused_once_the_identity_is_locked(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create(client, headers)
    assert (
        await put(client, headers, created["id"], {"shareToken": await mint(client, headers, "partial")})
    ).status_code == 200
    before = (await client.get(f"/v1/customers/{created['id']}", headers=headers)).json()
    response = await put(
        client, headers, created["id"], {"shareToken": await mint(client, headers, "approved")}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "customer_identity_mismatch"
    assert response.json()["errors"][0]["pointer"] == "/shareToken"
    assert (await client.get(f"/v1/customers/{created['id']}", headers=headers)).json() == before


async def test_a_put_contradicting_the_verified_import_is_refused(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create(client, headers)
    response = await put(
        client, headers, created["id"], {"shareToken": await mint(client, headers), "firstName": "Emilia"}
    )
    assert response.status_code == 409
    assert response.json()["code"] == "customer_identity_mismatch"
    assert response.json()["errors"][0]["pointer"] == "/firstName"
    assert (await client.get(f"/v1/customers/{created['id']}", headers=headers)).json() == created
    # The same name in other letters is no contradiction.
    agreeing = await put(
        client, headers, created["id"], {"shareToken": await mint(client, headers), "firstName": "EMILY"}
    )
    assert agreeing.status_code == 200, agreeing.text
    # After the import, changing the verified name is a conflict too.
    locked = await put(client, headers, created["id"], {"lastName": "Smith"})
    assert locked.status_code == 409
    assert locked.json()["code"] == "customer_identity_locked"


@pytest.mark.parametrize(
    ("applicant", "reason"),
    [
        ("rejected-final", "not approved"),
        ("rejected-retry", "not approved"),
        ("pending", "not approved"),
    ],
)
async def test_a_donor_that_is_not_approved_is_refused_with_sumsubs_reason(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    engine: AsyncEngine,
    storage: Storage,
    applicant: str,
    reason: str,
) -> None:
    created = await create(client, headers, {"firstName": "Ada"})
    row_before = await stored(storage, created["id"])
    response = await put(
        client,
        headers,
        created["id"],
        {"shareToken": await mint(client, headers, applicant), "lastName": "X"},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "share_token_rejected"
    assert reason in body["message"]
    assert body["retryable"] is False
    assert await stored(storage, created["id"]) == row_before


async def test_an_unknown_used_or_expired_token_is_invalid(
    app: FastAPI, client: httpx.AsyncClient, headers: dict[str, str], engine: AsyncEngine, storage: Storage
) -> None:
    created = await create(client, headers)
    row_before = await stored(storage, created["id"])
    short_lived = await mint(client, headers, ttl=1)
    cases = ["_act-jwt-not-a-real-token", short_lived]
    # The emulator checks token lifetimes against its clock, as SumSub does: moved past this one's.
    emulator, real_time = app.state.emulator, app.state.emulator.clock
    emulator.clock = lambda: real_time() + 2
    for token in cases:
        response = await put(client, headers, created["id"], {"shareToken": token, "phone": "+14155550142"})
        assert response.status_code == 400, token
        assert response.json()["code"] == "share_token_invalid"
        assert await stored(storage, created["id"]) == row_before
    used = await mint(client, headers)
    other = await create(client, headers)
    assert (await put(client, headers, other["id"], {"shareToken": used})).status_code == 200
    again = await put(client, headers, created["id"], {"shareToken": used})
    assert again.status_code == 400
    assert again.json()["code"] == "share_token_invalid"
    assert await stored(storage, created["id"]) == row_before


@pytest.mark.parametrize("knob", ["fail_with_5xx", "malformed_bodies"])
async def test_sumsub_failures_are_a_retryable_502_and_write_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    engine: AsyncEngine,
    storage: Storage,
    knob: str,
) -> None:
    created = await create(client, headers)
    row_before = await stored(storage, created["id"])
    token = await mint(client, headers)
    setattr(app.state.emulator.knobs, knob, 1)  # the import POST is never retried: one failure is enough
    response = await put(client, headers, created["id"], {"shareToken": token, "phone": "+14155550142"})
    assert response.status_code == 502
    assert response.json()["code"] == "kyc_provider_unavailable"
    assert response.json()["retryable"] is True
    assert await stored(storage, created["id"]) == row_before


@pytest.fixture
def slow_sumsub_settings(database_url: str) -> Settings:
    return settings_for(database_url, sandbox=True, sumsub_timeout_seconds=0.2)


async def test_a_sumsub_timeout_is_a_retryable_502(
    slow_sumsub_settings: Settings, headers: dict[str, str], make_key: Any
) -> None:
    slow = create_app(slow_sumsub_settings)
    async with slow.router.lifespan_context(slow), _client(slow) as client:
        key = {"X-API-Key": await make_key("slowpoke")}
        created = await create(client, key)
        token = await mint(client, key)
        slow.state.emulator.knobs.latency_seconds = 1.0
        response = await put(client, key, created["id"], {"shareToken": token})
        assert response.status_code == 502
        assert response.json()["code"] == "kyc_provider_unavailable"
        slow.state.emulator.knobs.latency_seconds = 0
        assert (await client.get(f"/v1/customers/{created['id']}", headers=key)).json() == created


def _client(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://kycrail.test")


async def test_wrong_credentials_are_a_misconfigured_provider(
    database_url: str, make_key: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """kycrail pointed at the emulator with the wrong secret: SumSub answers 4003; nothing is written."""
    sandbox = create_app(settings_for(database_url, sandbox=True))
    async with sandbox.router.lifespan_context(sandbox):
        emulator = sandbox.state.emulator
        token = emulator.mint_share_token("sandbox-approved")
        app_token = emulator._app_token
    settings = settings_for(
        database_url,
        sumsub_base_url="http://sumsub.test",
        sumsub_app_token=app_token,
        sumsub_secret_key="not-the-secret",
    )
    misconfigured = create_app(settings)
    async with misconfigured.router.lifespan_context(misconfigured):
        resources = misconfigured.state.resources
        # Route the real client to the emulator over ASGI instead of the network.
        resources.sumsub._http._transport = httpx.ASGITransport(app=emulator)
        async with _client(misconfigured) as client:
            key = {"X-API-Key": await make_key("ops")}
            created = await create(client, key)
            response = await put(client, key, created["id"], {"shareToken": token})
            assert response.status_code == 502
            assert response.json()["code"] == "kyc_provider_misconfigured"
            assert (await client.get(f"/v1/customers/{created['id']}", headers=key)).json() == created
    assert any("SumSub refused our credentials" in record.getMessage() for record in caplog.records)


async def test_without_sumsub_credentials_imports_are_misconfigured(database_url: str, make_key: Any) -> None:
    plain = create_app(settings_for(database_url))
    async with plain.router.lifespan_context(plain), _client(plain) as client:
        key = {"X-API-Key": await make_key("plain")}
        created = await create(client, key)
        response = await put(client, key, created["id"], {"shareToken": "_act-jwt-anything"})
        assert response.status_code == 502
        assert response.json()["code"] == "kyc_provider_misconfigured"
        # And the sandbox route does not exist outside the sandbox.
        assert (
            await client.post("/sandbox/share-tokens", json={"applicant": "approved"}, headers=key)
        ).status_code == 404
