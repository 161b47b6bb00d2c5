"""The sandbox: the client's donor and test-only calls, and the in-process wiring of `serve --sandbox`."""

from __future__ import annotations

import hmac
import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest

from kycrail.config import ImportMode, load_settings
from kycrail.sumsub.client import SumsubClient
from kycrail.sumsub.emulator import Emulator
from kycrail.sumsub.errors import ApplicantNotFound, ProviderMisconfigured, ProviderUnavailable, SumsubError
from kycrail.sumsub.sandbox import SANDBOX_CLIENT_ID, SandboxSumsubClient, in_process_sandbox
from tests.sumsub.conftest import FakeClock, signed_client
from tests.waiting import eventually

LEVEL = "kycrail-basic"


@pytest.fixture
async def client(emulator: Emulator, clock: FakeClock) -> AsyncIterator[SandboxSumsubClient]:
    async with signed_client(SandboxSumsubClient, emulator, clock) as sumsub:
        yield sumsub


# --- the donor's side ---------------------------------------------------------------------------


async def test_mint_share_token(client: SandboxSumsubClient, emulator: Emulator) -> None:
    donor_id = emulator.applicant_id_for("sandbox-approved")
    first = await client.mint_share_token(donor_id, for_client_id=emulator.client_id, ttl_seconds=60)
    second = await client.mint_share_token(donor_id, for_client_id=emulator.client_id, ttl_seconds=60)
    assert first.startswith("_act-jwt-")
    assert first != second
    applicant = await client.import_share_token(first, mode=ImportMode.reuse, level_name=LEVEL)
    assert applicant.review.approved


async def test_mint_share_token_errors(client: SandboxSumsubClient, emulator: Emulator) -> None:
    with pytest.raises(ApplicantNotFound):
        await client.mint_share_token("f" * 24, for_client_id=emulator.client_id, ttl_seconds=60)
    with pytest.raises(SumsubError) as caught:
        await client.mint_share_token(
            emulator.applicant_id_for("sandbox-approved"), for_client_id=emulator.client_id, ttl_seconds=1201
        )
    assert caught.value.status == 400


async def test_a_mint_is_never_retried(client: SandboxSumsubClient, emulator: Emulator) -> None:
    emulator.knobs.fail_with_5xx = 1
    with pytest.raises(ProviderUnavailable):
        await client.mint_share_token(
            emulator.applicant_id_for("sandbox-approved"), for_client_id=emulator.client_id, ttl_seconds=60
        )


# --- test verdicts ------------------------------------------------------------------------------


async def test_set_test_review(client: SandboxSumsubClient, emulator: Emulator) -> None:
    applicant_id = emulator.applicant_id_for("sandbox-pending")
    await client.set_test_review(applicant_id, answer="GREEN")
    assert (await client.get_review_status(applicant_id)).approved

    await client.set_test_review(
        applicant_id, answer="RED", reject_labels=["FRAUDULENT_PATTERNS"], reject_type="FINAL"
    )
    review = await client.get_review_status(applicant_id)
    assert review.reviewStatus == "completed"
    assert review.reviewResult is not None
    assert review.reviewResult.reviewAnswer == "RED"
    assert review.reviewResult.rejectLabels == ["FRAUDULENT_PATTERNS"]
    assert review.reviewResult.reviewRejectType == "FINAL"


async def test_set_test_review_refused_answer_is_a_plain_sumsub_error(
    client: SandboxSumsubClient, emulator: Emulator
) -> None:
    with pytest.raises(SumsubError) as caught:
        await client.set_test_review(emulator.applicant_id_for("sandbox-pending"), answer="YELLOW")
    assert type(caught.value) is SumsubError
    assert caught.value.status == 400


async def test_get_review_status_is_the_applicants_review(
    client: SandboxSumsubClient, emulator: Emulator
) -> None:
    for donor in ("sandbox-approved", "sandbox-pending", "sandbox-rejected-final"):
        applicant_id = emulator.applicant_id_for(donor)
        review = await client.get_review_status(applicant_id)
        assert review == (await client.get_applicant(applicant_id)).review


async def test_get_review_status_of_an_unknown_applicant(client: SandboxSumsubClient) -> None:
    with pytest.raises(ApplicantNotFound):
        await client.get_review_status("f" * 24)


# --- serve --sandbox -----------------------------------------------------------------------------


async def test_in_process_sandbox_signs_with_the_configured_credentials() -> None:
    settings = load_settings(sumsub_app_token="sbx:configured", sumsub_secret_key="configured-secret")
    sandbox = in_process_sandbox(settings)
    assert sandbox.emulator.client_id == SANDBOX_CLIENT_ID
    configured = signed_client(
        SumsubClient, sandbox.emulator, time.time, app_token="sbx:configured", secret="configured-secret"
    )
    async with sandbox.client as sumsub, configured:
        assert isinstance(sumsub, SandboxSumsubClient)
        donor_id = sandbox.emulator.applicant_id_for("sandbox-approved")
        token = await sumsub.mint_share_token(donor_id, for_client_id=SANDBOX_CLIENT_ID, ttl_seconds=60)
        applicant = await configured.import_share_token(token, mode=ImportMode.reuse, level_name=LEVEL)
    assert applicant.review.approved


async def test_in_process_sandbox_without_credentials_makes_up_its_own() -> None:
    sandbox = in_process_sandbox(load_settings(sumsub_app_token=None, sumsub_secret_key=None))
    async with sandbox.client as sumsub, signed_client(SumsubClient, sandbox.emulator, time.time) as stranger:
        assert (await sumsub.get_applicant_by_external_id("sandbox-approved")).externalUserId
        with pytest.raises(ProviderMisconfigured):
            await stranger.get_applicant_by_external_id("sandbox-approved")


async def test_in_process_sandbox_names_its_kyc_level_after_the_setting() -> None:
    sandbox = in_process_sandbox(load_settings(sumsub_level_name="kycrail-basic"))
    assert sandbox.emulator.levels.named("kycrail-basic").applicant_type == "individual"
    assert sandbox.emulator.levels.named("basic-kyb-level").applicant_type == "company"
    clash = in_process_sandbox(load_settings(sumsub_level_name="basic-kyb-level"))
    assert clash.emulator.levels.named("basic-kyb-level").applicant_type == "individual"
    await sandbox.client.aclose()
    await clash.client.aclose()


async def test_in_process_sandbox_sends_webhooks_through_the_given_transport() -> None:
    taken: list[tuple[str, dict[str, str], bytes]] = []

    def kycrail_app(request: httpx.Request) -> httpx.Response:
        taken.append((str(request.url), dict(request.headers), request.content))
        return httpx.Response(200)

    settings = load_settings(sumsub_webhook_secret="hook-secret")
    sandbox = in_process_sandbox(settings, webhook_transport=httpx.MockTransport(kycrail_app))
    async with sandbox.client as sumsub:
        await sumsub.set_test_review(sandbox.emulator.applicant_id_for("sandbox-pending"), answer="GREEN")
        await eventually(lambda: taken, 5)
    url, headers, body = taken[0]
    assert url == "http://kycrail.sandbox.invalid/webhooks/sumsub"
    assert headers["x-payload-digest"] == hmac.new(b"hook-secret", body, "sha256").hexdigest()
    assert json.loads(body)["type"] == "applicantReviewed"


async def test_in_process_sandbox_sends_no_webhooks_without_a_secret_or_a_transport() -> None:
    without_transport = in_process_sandbox(load_settings(sumsub_webhook_secret="hook-secret"))
    assert without_transport.emulator.webhooks.config is None
    transport = httpx.MockTransport(lambda request: httpx.Response(200))
    without_secret = in_process_sandbox(
        load_settings(sumsub_webhook_secret=None), webhook_transport=transport
    )
    assert without_secret.emulator.webhooks.config is None
    await without_transport.client.aclose()
    await without_secret.client.aclose()
