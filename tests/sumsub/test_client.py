"""SumsubClient against the emulator (httpx.ASGITransport), and its error mapping on hand-made answers."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from kycrail.config import ImportMode, Settings
from kycrail.sumsub.client import SumsubClient, client_from_settings
from kycrail.sumsub.emulator import Emulator
from kycrail.sumsub.errors import (
    ApplicantNotFound,
    ProviderMisconfigured,
    ProviderUnavailable,
    ShareTokenInvalid,
    ShareTokenRejected,
    SumsubError,
)
from kycrail.sumsub.sandbox import SandboxSumsubClient
from kycrail.sumsub.signing import sign
from tests.sumsub.conftest import APP_TOKEN, BASE_URL, SECRET, START, FakeClock, signed_client

LEVEL = "kycrail-basic"


@pytest.fixture
async def client(emulator: Emulator, clock: FakeClock) -> AsyncIterator[SumsubClient]:
    async with signed_client(SumsubClient, emulator, clock) as sumsub:
        yield sumsub


def mock_client(handler: Callable[[httpx.Request], httpx.Response]) -> SumsubClient:
    return SumsubClient(
        BASE_URL, APP_TOKEN, SECRET, 5.0, transport=httpx.MockTransport(handler), retry_backoff_seconds=0
    )


async def call_one(sumsub: SumsubClient, *, share_token_call: bool) -> object:
    """An import (a POST with a share token), or else a lookup (a GET)."""
    if share_token_call:
        return await sumsub.import_share_token("_act-jwt-abc", mode=ImportMode.reuse, level_name=LEVEL)
    return await sumsub.get_applicant("a" * 24)


# --- reads --------------------------------------------------------------------------------------


async def test_get_applicant_reads_the_approved_donor(client: SumsubClient, emulator: Emulator) -> None:
    applicant_id = emulator.applicant_id_for("sandbox-approved")
    applicant = await client.get_applicant(applicant_id)
    assert applicant.id == applicant_id
    assert applicant.externalUserId == "sandbox-approved"
    assert (applicant.info.firstName, applicant.info.lastName, applicant.info.dob) == (
        "Emily",
        "Carter",
        "1990-04-12",
    )
    assert applicant.info.tin == "536-22-1234"
    assert applicant.info.addresses[0].state == "CA"
    assert applicant.info.addresses[0].postCode == "94105"
    assert applicant.info.idDocs[0].idDocType == "PASSPORT"
    assert applicant.review.approved


async def test_get_applicant_by_external_id(client: SumsubClient, emulator: Emulator) -> None:
    applicant = await client.get_applicant_by_external_id("sandbox-partial")
    assert applicant.id == emulator.applicant_id_for("sandbox-partial")
    assert applicant.info.firstName == "Daniel"
    assert applicant.info.addresses == []
    assert applicant.info.tin is None


async def test_external_ids_with_reserved_characters_are_quoted(
    client: SumsubClient, emulator: Emulator
) -> None:
    # A "/" or ";" inside our id must stay inside the one path segment.
    donor = emulator.applicants[emulator.applicant_id_for("sandbox-approved")]
    odd = {**donor, "id": "0" * 24, "externalUserId": "a/b;c=d e+f%"}
    emulator.applicants[odd["id"]] = odd
    applicant = await client.get_applicant_by_external_id("a/b;c=d e+f%")
    assert applicant.id == "0" * 24


async def test_unknown_applicants_raise_applicant_not_found(client: SumsubClient) -> None:
    with pytest.raises(ApplicantNotFound) as caught:
        await client.get_applicant("f" * 24)
    assert caught.value.status == 404
    with pytest.raises(ApplicantNotFound):
        await client.get_applicant_by_external_id("nobody")
    with pytest.raises(ApplicantNotFound):
        await client.get_required_id_docs_status("f" * 24)


async def test_get_required_id_docs_status(client: SumsubClient, emulator: Emulator) -> None:
    steps = await client.get_required_id_docs_status(emulator.applicant_id_for("sandbox-partial"))
    identity, selfie = steps["IDENTITY"], steps["SELFIE"]
    assert identity is not None
    assert identity.green
    assert identity.idDocType == "ID_CARD"
    assert selfie is not None
    assert selfie.green


async def test_get_applicant_reads_each_review(client: SumsubClient, emulator: Emulator) -> None:
    pending = (await client.get_applicant(emulator.applicant_id_for("sandbox-pending"))).review
    final = (await client.get_applicant(emulator.applicant_id_for("sandbox-rejected-final"))).review
    assert pending.reviewStatus == "pending"
    assert not pending.approved
    assert not final.approved
    assert final.reviewResult is not None
    assert final.reviewResult.reviewRejectType == "FINAL"
    assert final.reviewResult.rejectLabels == ["FORGERY", "SELFIE_MISMATCH"]


async def test_reset_step_opens_one_step_of_an_applicant_again(
    client: SumsubClient, emulator: Emulator
) -> None:
    # A copy of the approved donor: an applicant of ours, approved, with both steps GREEN.
    token = emulator.mint_share_token("sandbox-approved")
    applicant = await client.import_share_token(token, mode=ImportMode.copy, level_name=LEVEL)
    await client.reset_step(applicant.id, "SELFIE")
    steps = await client.get_required_id_docs_status(applicant.id)
    assert steps["SELFIE"] is None
    identity = steps["IDENTITY"]
    assert identity is not None
    assert identity.green
    assert (await client.get_applicant(applicant.id)).review.reviewStatus == "init"
    with pytest.raises(ApplicantNotFound):
        await client.reset_step("f" * 24, "IDENTITY")
    with pytest.raises(SumsubError) as unknown_step:  # a step the level does not have
        await client.reset_step(applicant.id, "PROOF_OF_RESIDENCE")
    assert unknown_step.value.status == 400


async def test_an_imported_applicants_images_are_listed_and_read_by_its_inspection(
    client: SumsubClient, emulator: Emulator
) -> None:
    token = emulator.mint_share_token("sandbox-approved")
    applicant = await client.import_share_token(token, mode=ImportMode.copy, level_name=LEVEL)
    listed = await client.get_image_resources(applicant.id)
    assert listed.totalItems == 2
    assert sorted(item.idDocDef.idDocType or "" for item in listed.items) == ["PASSPORT", "SELFIE"]
    assert applicant.inspectionId is not None
    kept = {str(image.id): image.content for image in emulator.images[applicant.id]}
    for item in listed.items:
        assert await client.get_image(applicant.inspectionId, item.id) == kept[item.id]
    with pytest.raises(ApplicantNotFound):
        await client.get_image(applicant.inspectionId, "999")
    with pytest.raises(ApplicantNotFound):
        await client.get_image_resources("f" * 24)


async def test_reset_step_is_never_retried_and_sends_no_body() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(503 if len(seen) == 1 else 200, json={"ok": 1})

    async with mock_client(handler) as sumsub:
        with pytest.raises(ProviderUnavailable):
            await sumsub.reset_step("app id/1", "IDENTITY")
        await sumsub.reset_step("a" * 24, "SELFIE")
    assert [(r.method, r.url.raw_path, r.content) for r in seen] == [
        ("POST", b"/resources/applicants/app%20id%2F1/resetStep/IDENTITY", b""),
        ("POST", b"/resources/applicants/" + b"a" * 24 + b"/resetStep/SELFIE", b""),
    ]


def test_the_production_client_never_mints_nor_sets_verdicts() -> None:
    # kycrail is the recipient: minting is the donor's side, testCompleted the sandbox's (test_sandbox.py).
    for sandbox_only in ("mint_share_token", "set_test_review", "get_review_status"):
        assert not hasattr(SumsubClient, sandbox_only)
        assert hasattr(SandboxSumsubClient, sandbox_only)


# --- share tokens -------------------------------------------------------------------------------


async def test_reuse_import_answers_a_new_approved_applicant_with_the_donors_info(
    client: SumsubClient, emulator: Emulator
) -> None:
    donor = await client.get_applicant_by_external_id("sandbox-approved")
    token = emulator.mint_share_token("sandbox-approved")

    applicant = await client.import_share_token(token, mode=ImportMode.reuse, level_name=LEVEL)

    assert applicant.id != donor.id
    assert len(applicant.id) == 24
    assert applicant.externalUserId is not None
    assert applicant.externalUserId.startswith("copy-")
    assert applicant.clientId == emulator.client_id
    assert applicant.review.approved
    assert applicant.review.levelName == LEVEL
    assert applicant.info == donor.info
    assert applicant.fixedInfo == donor.fixedInfo
    assert (applicant.email, applicant.phone) == (donor.email, donor.phone)
    # The recipient applicant is ours now: it can be read back, with its steps.
    assert (await client.get_applicant(applicant.id)).id == applicant.id
    steps = await client.get_required_id_docs_status(applicant.id)
    assert steps["IDENTITY"] is not None
    assert steps["IDENTITY"].green


async def test_copy_import_of_a_rejected_donor_returns_the_rejected_review(
    client: SumsubClient, emulator: Emulator
) -> None:
    token = emulator.mint_share_token("sandbox-rejected-final")
    applicant = await client.import_share_token(token, mode=ImportMode.copy, level_name=LEVEL)
    assert not applicant.review.approved
    assert applicant.review.reviewResult is not None
    assert applicant.review.reviewResult.reviewAnswer == "RED"
    assert applicant.review.reviewResult.reviewRejectType == "FINAL"
    assert applicant.info.lastName == "Hale"


@pytest.mark.parametrize("donor", ["sandbox-pending", "sandbox-rejected-final", "sandbox-rejected-retry"])
async def test_reuse_of_a_donor_not_approved_is_rejected_with_sumsubs_reason(
    client: SumsubClient, emulator: Emulator, donor: str
) -> None:
    token = emulator.mint_share_token(donor)
    with pytest.raises(ShareTokenRejected) as caught:
        await client.import_share_token(token, mode=ImportMode.reuse, level_name=LEVEL)
    assert caught.value.reason == "The applicant is not approved and cannot be reused"
    assert caught.value.error_code == 10507
    assert caught.value.error_name == "reusable-kyc-not-approved-applicant"
    assert caught.value.correlation_id


@pytest.mark.parametrize("mode", list(ImportMode))
async def test_unknown_token_is_invalid(client: SumsubClient, mode: ImportMode) -> None:
    with pytest.raises(ShareTokenInvalid) as caught:
        await client.import_share_token("_act-jwt-nonsense", mode=mode, level_name=LEVEL)
    assert caught.value.error_code == 10503


@pytest.mark.parametrize("mode", list(ImportMode))
async def test_token_used_twice_is_invalid(
    client: SumsubClient, emulator: Emulator, mode: ImportMode
) -> None:
    token = emulator.mint_share_token("sandbox-approved")
    await client.import_share_token(token, mode=mode, level_name=LEVEL)
    with pytest.raises(ShareTokenInvalid):
        await client.import_share_token(token, mode=mode, level_name=LEVEL)


@pytest.mark.parametrize("mode", list(ImportMode))
async def test_expired_token_is_invalid_and_never_shown(
    client: SumsubClient,
    emulator: Emulator,
    clock: FakeClock,
    mode: ImportMode,
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = emulator.mint_share_token("sandbox-approved", ttl_seconds=30)
    clock.now += 31
    caplog.set_level(logging.DEBUG)
    with pytest.raises(ShareTokenInvalid) as caught:
        await client.import_share_token(token, mode=mode, level_name=LEVEL)
    assert caught.value.status == 401
    assert token not in str(caught.value)
    assert token[:20] not in caplog.text


async def test_token_longer_than_1kb_is_refused_without_a_request() -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return httpx.Response(200, json={})

    async with mock_client(handler) as sumsub:
        for token in ("", "_act-" + "x" * 1024):
            with pytest.raises(ShareTokenInvalid):
                await sumsub.import_share_token(token, mode=ImportMode.reuse, level_name=LEVEL)
    assert calls == []


# --- credentials ----------------------------------------------------------------------------------


async def test_wrong_secret_is_misconfigured(emulator: Emulator, clock: FakeClock) -> None:
    async with signed_client(SumsubClient, emulator, clock, secret="not-the-secret") as sumsub:
        with pytest.raises(ProviderMisconfigured) as caught:
            await sumsub.get_applicant(emulator.applicant_id_for("sandbox-approved"))
    assert caught.value.error_code == 4003
    assert "not-the-secret" not in str(caught.value)


async def test_wrong_secret_on_import_is_misconfigured_not_a_token_problem(
    emulator: Emulator, clock: FakeClock
) -> None:
    token = emulator.mint_share_token("sandbox-approved")
    async with signed_client(SumsubClient, emulator, clock, secret="not-the-secret") as sumsub:
        with pytest.raises(ProviderMisconfigured):
            await sumsub.import_share_token(token, mode=ImportMode.reuse, level_name=LEVEL)


async def test_wrong_app_token_is_misconfigured(emulator: Emulator, clock: FakeClock) -> None:
    async with signed_client(SumsubClient, emulator, clock, app_token="sbx:someone-else") as sumsub:
        with pytest.raises(ProviderMisconfigured) as caught:
            await sumsub.get_applicant_by_external_id("sandbox-approved")
    assert caught.value.status == 401


async def test_stale_clock_is_misconfigured(emulator: Emulator) -> None:
    async with signed_client(SumsubClient, emulator, FakeClock(START - 120)) as sumsub:
        with pytest.raises(ProviderMisconfigured) as caught:
            await sumsub.get_applicant_by_external_id("sandbox-approved")
    assert caught.value.error_code == 4004
    assert caught.value.error_name == "app-token-request-expired"


# --- outages and retries --------------------------------------------------------------------------


async def test_one_5xx_is_retried_away_on_a_get(client: SumsubClient, emulator: Emulator) -> None:
    emulator.knobs.fail_with_5xx = 1
    applicant = await client.get_applicant_by_external_id("sandbox-approved")
    assert applicant.externalUserId == "sandbox-approved"
    assert emulator.knobs.fail_with_5xx == 0


async def test_a_get_gives_up_after_two_retries(client: SumsubClient, emulator: Emulator) -> None:
    emulator.knobs.fail_with_5xx = 4
    with pytest.raises(ProviderUnavailable) as caught:
        await client.get_applicant_by_external_id("sandbox-approved")
    assert caught.value.status in (500, 503)
    assert emulator.knobs.fail_with_5xx == 1  # three attempts, no more


async def test_an_import_is_never_retried(client: SumsubClient, emulator: Emulator) -> None:
    token = emulator.mint_share_token("sandbox-approved")
    emulator.knobs.fail_with_5xx = 1
    with pytest.raises(ProviderUnavailable):
        await client.import_share_token(token, mode=ImportMode.reuse, level_name=LEVEL)
    assert emulator.knobs.fail_with_5xx == 0


async def test_malformed_bodies_are_unavailable(client: SumsubClient, emulator: Emulator) -> None:
    emulator.knobs.malformed_bodies = 3
    with pytest.raises(ProviderUnavailable):
        await client.get_applicant(emulator.applicant_id_for("sandbox-approved"))
    emulator.knobs.malformed_bodies = 1
    token = emulator.mint_share_token("sandbox-approved")
    with pytest.raises(ProviderUnavailable):
        await client.import_share_token(token, mode=ImportMode.copy, level_name=LEVEL)


async def test_one_malformed_body_is_retried_away_on_a_get(client: SumsubClient, emulator: Emulator) -> None:
    emulator.knobs.malformed_bodies = 1
    applicant = await client.get_applicant(emulator.applicant_id_for("sandbox-approved"))
    assert applicant.review.approved


async def test_latency_beyond_the_timeout_is_unavailable(emulator: Emulator, clock: FakeClock) -> None:
    emulator.knobs.latency_seconds = 1.0
    async with signed_client(SumsubClient, emulator, clock, timeout=0.05) as sumsub:
        with pytest.raises(ProviderUnavailable) as caught:
            await sumsub.get_applicant_by_external_id("sandbox-approved")
    assert "in time" in str(caught.value)


@pytest.mark.parametrize(("method", "attempts"), [("GET", 3), ("POST", 1)])
async def test_connection_errors_are_unavailable(method: str, attempts: int) -> None:
    calls: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        raise httpx.ConnectError("connection refused", request=request)

    async with mock_client(handler) as sumsub:
        with pytest.raises(ProviderUnavailable) as caught:
            await call_one(sumsub, share_token_call=method == "POST")
    assert len(calls) == attempts
    assert "ConnectError" in str(caught.value)
    assert caught.value.__cause__ is None  # httpx's error holds the URL, which may hold the token


# --- the mapping of answers ---------------------------------------------------------------------------


def sumsub_error(status: int, **fields: object) -> httpx.Response:
    return httpx.Response(status, json={"code": status, "correlationId": "corr-1", **fields})


TOKEN_EXPIRED = {
    "description": "Token is invalid: Token _act-jwt-abcdef... is invalid now: created at x with ttl 5",
    "type": "de.smtdp.commons.service.exceptions.ServiceException",
}


@pytest.mark.parametrize(
    ("answer", "share_token_call", "expected"),
    [
        (sumsub_error(500), False, ProviderUnavailable),
        (sumsub_error(502), True, ProviderUnavailable),
        (httpx.Response(503, text="<html>down</html>"), False, ProviderUnavailable),
        (sumsub_error(429), False, ProviderUnavailable),
        (
            sumsub_error(401, errorCode=4003, errorName="app-token-signature mismatch"),
            True,
            ProviderMisconfigured,
        ),
        (
            sumsub_error(401, errorCode=4004, errorName="app-token-request-expired"),
            False,
            ProviderMisconfigured,
        ),
        (sumsub_error(401, description="Unauthorized"), True, ProviderMisconfigured),
        (sumsub_error(403, description="Forbidden"), False, ProviderMisconfigured),
        (sumsub_error(401, **TOKEN_EXPIRED), True, ShareTokenInvalid),
        (sumsub_error(401, **TOKEN_EXPIRED), False, ProviderMisconfigured),
        (sumsub_error(400, errorCode=10503, errorName="invalid-share-token"), True, ShareTokenInvalid),
        (sumsub_error(400, errorCode=10504, description="Not suitable"), True, ShareTokenRejected),
        (sumsub_error(400, errorCode=10518, errorName="copy-applicant-disabled"), True, ShareTokenRejected),
        (sumsub_error(400, description="Bad request"), True, SumsubError),
        (sumsub_error(409, description="Conflict"), False, SumsubError),
        (httpx.Response(200, text="<html>ok</html>"), True, ProviderUnavailable),
        (httpx.Response(200, json={"no": "id"}), False, ProviderUnavailable),
        (httpx.Response(200, json=["not", "an", "object"]), True, ProviderUnavailable),
    ],
)
async def test_answers_map_to_typed_errors(
    answer: httpx.Response, share_token_call: bool, expected: type[SumsubError]
) -> None:
    async with mock_client(lambda request: answer) as sumsub:
        with pytest.raises(SumsubError) as caught:
            await call_one(sumsub, share_token_call=share_token_call)
    assert type(caught.value) is expected


async def test_rejection_reason_is_sumsubs_description_without_any_token() -> None:
    answer = sumsub_error(
        400,
        errorCode=10510,
        errorName="reusable-kyc-not-selfie-or-identity-doc",
        description="Selfie is missing for token _act-jwt-SECRETSECRET",
    )
    async with mock_client(lambda request: answer) as sumsub:
        with pytest.raises(ShareTokenRejected) as caught:
            await sumsub.import_share_token("_act-jwt-SECRETSECRET", mode=ImportMode.reuse, level_name=LEVEL)
    assert caught.value.reason == "Selfie is missing for token _act-[redacted]"
    assert caught.value.error_code == 10510
    assert "SECRETSECRET" not in str(caught.value)
    assert "corr-1" in str(caught.value)


# --- what is signed and sent ----------------------------------------------------------------------


async def test_the_signature_covers_the_exact_target_and_body_sent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("/shareToken"):
            return httpx.Response(200, json={"token": "_act-jwt-x", "forClientId": "c"})
        return httpx.Response(200, json={"id": "b" * 24})

    clock = FakeClock()
    # Only the sandbox's calls send a JSON body (a mint, here); they go through the same plumbing.
    async with SandboxSumsubClient(
        BASE_URL, APP_TOKEN, SECRET, 5.0, transport=httpx.MockTransport(handler), clock=clock
    ) as sumsub:
        await sumsub.mint_share_token("app id/1", for_client_id="client ü", ttl_seconds=60)
        await sumsub.import_share_token("_act-jwt-a+b/c=d", mode=ImportMode.reuse, level_name="basic kyc")

    mint, reuse = seen
    assert json.loads(mint.content) == {"applicantId": "app id/1", "forClientId": "client ü", "ttlInSecs": 60}
    assert (
        reuse.url.raw_path
        == b"/resources/api/reusableIdentity/reuse?shareToken=_act-jwt-a%2Bb%2Fc%3Dd&levelName=basic+kyc"
    )
    for request in seen:
        assert request.headers["X-App-Token"] == APP_TOKEN
        assert request.headers["X-App-Access-Ts"] == str(int(START))
        expected = sign(SECRET, int(START), request.method, request.url.raw_path.decode(), request.content)
        assert request.headers["X-App-Access-Sig"] == expected


async def test_copy_mode_uses_the_import_endpoint_without_a_level() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": "b" * 24})

    async with mock_client(handler) as sumsub:
        applicant = await sumsub.import_share_token("_act-jwt-abc", mode=ImportMode.copy, level_name=LEVEL)
    assert applicant.id == "b" * 24
    assert seen[0].method == "POST"
    assert seen[0].url.raw_path == b"/resources/applicants/-/import?shareToken=_act-jwt-abc"


# --- settings -------------------------------------------------------------------------------------


async def test_client_from_settings() -> None:
    assert client_from_settings(Settings(sumsub_app_token=None, sumsub_secret_key="s")) is None
    assert client_from_settings(Settings(sumsub_app_token="t", sumsub_secret_key=None)) is None
    assert client_from_settings(Settings(sumsub_app_token="", sumsub_secret_key="s")) is None
    emulator = Emulator("t", "s")
    settings = Settings(sumsub_app_token="t", sumsub_secret_key="s", sumsub_base_url="http://sumsub.test")
    sumsub = client_from_settings(settings, transport=httpx.ASGITransport(app=emulator))
    assert sumsub is not None
    try:
        await sumsub.get_applicant_by_external_id("sandbox-approved")
    finally:
        await sumsub.aclose()


async def test_httpx_request_logs_never_carry_a_share_token(caplog: pytest.LogCaptureFixture) -> None:
    # httpx logs each request's URL at INFO; an import's URL carries the token, well formed or not.
    answer = sumsub_error(400, errorCode=10503, errorName="invalid-share-token")
    caplog.set_level(logging.INFO)
    # ...on httpx's own logger too: the CLI's logging set-up (a test running `kycrail` in-process before
    # this one) raises it to WARNING, which would hide the very line this test reads.
    caplog.set_level(logging.INFO, logger="httpx")
    async with mock_client(lambda request: answer) as sumsub:
        for token in ("garbage-token-123", "_act-jwt-WELLFORMED123"):
            with pytest.raises(ShareTokenInvalid):
                await sumsub.import_share_token(token, mode=ImportMode.reuse, level_name=LEVEL)
    assert "HTTP Request: POST" in caplog.text
    assert "shareToken=[redacted]" in caplog.text
    assert "garbage-token-123" not in caplog.text
    assert "WELLFORMED123" not in caplog.text
    assert "400 Bad Request" in caplog.text  # the rest of the line survives
