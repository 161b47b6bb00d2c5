"""The seed's Swipelux workflow end to end over real HTTP: the SumSub emulator served alone
(`kycrail sandbox sumsub`), kycrail served against it (`kycrail serve`), tokens minted by a donor
through SumSub's signed API."""

from __future__ import annotations

import asyncio
import os
import secrets
import subprocess

import httpx
import pytest

from kycrail.sumsub.sandbox import SANDBOX_CLIENT_ID, SandboxSumsubClient
from tests.processes import KYCRAIL, free_port, running

pytestmark = pytest.mark.slow  # `make test-fast` leaves it out


async def test_the_seed_workflow_over_real_http(database_url: str) -> None:
    credentials = {
        "KYCRAIL_SUMSUB_APP_TOKEN": "sbx:" + secrets.token_urlsafe(16),
        "KYCRAIL_SUMSUB_SECRET_KEY": secrets.token_urlsafe(24),
    }
    sumsub_port, kycrail_port = free_port(), free_port()
    sumsub_url = f"http://127.0.0.1:{sumsub_port}"
    env = {**credentials, "KYCRAIL_DATABASE_URL": database_url, "KYCRAIL_SUMSUB_BASE_URL": sumsub_url}
    await asyncio.to_thread(
        subprocess.run,
        [str(KYCRAIL), "tenants", "create", "e2e"],
        env={**os.environ, **env},
        capture_output=True,
        check=True,
    )
    created_key = await asyncio.to_thread(
        subprocess.run,
        [str(KYCRAIL), "keys", "create", "--tenant", "e2e"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    key = created_key.stdout.strip()
    headers = {"X-API-Key": key}
    base = f"http://127.0.0.1:{kycrail_port}"
    donor = SandboxSumsubClient(
        sumsub_url, credentials["KYCRAIL_SUMSUB_APP_TOKEN"], credentials["KYCRAIL_SUMSUB_SECRET_KEY"], 5
    )

    async def share_token() -> str:
        applicant = await donor.get_applicant_by_external_id("sandbox-approved")
        return await donor.mint_share_token(applicant.id, for_client_id=SANDBOX_CLIENT_ID, ttl_seconds=600)

    with (
        running(
            ["sandbox", "sumsub", "--port", str(sumsub_port)],
            credentials,
            f"{sumsub_url}/resources/status/api",
        ),
        running(["serve", "--port", str(kycrail_port)], env, f"{base}/healthz"),
    ):
        async with httpx.AsyncClient(base_url=base, headers=headers, timeout=10) as api, donor:
            created = await api.post("/v1/customers", json={})
            assert created.status_code == 201, created.text
            customer_id = created.json()["id"]
            assert created.json()["status"] == "not_started"

            updated = await api.put(
                f"/v1/customers/{customer_id}",
                json={"shareToken": await share_token(), "phone": "+14155550142"},
            )
            assert updated.status_code == 200, updated.text
            assert updated.json()["status"] == "approved"
            assert updated.json()["phone"] == "+14155550142"
            sphere = (await api.get(f"/v2/customer/{customer_id}")).json()
            assert sphere["verificationProfiles"][0]["status"] == "approved"

            refreshed = await api.put(
                f"/v1/customers/{customer_id}", json={"shareToken": await share_token()}
            )
            assert refreshed.status_code == 200, refreshed.text
            assert refreshed.json()["status"] == "approved"
            assert refreshed.json()["updatedAt"] > updated.json()["updatedAt"]
