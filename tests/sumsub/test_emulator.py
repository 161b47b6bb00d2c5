"""The SumSub emulator, spoken to with raw (hand-signed) httpx requests, as SumSub would be."""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections.abc import AsyncIterator, MutableMapping
from typing import Any

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator, create_emulator
from kycrail.sumsub.signing import sign

APP_TOKEN = "sbx:emulator-test-token"
SECRET = "emulator-test-secret"
START = 1_760_000_000.0
ID_SHAPE = re.compile(r"[0-9a-z]{24}")
SERVICE_EXCEPTION = "de.smtdp.commons.service.exceptions.ServiceException"


class FakeClock:
    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def emulator(clock: FakeClock) -> Emulator:
    return create_emulator(APP_TOKEN, SECRET, clock=clock)


@pytest.fixture
async def http(emulator: Emulator) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=emulator), base_url="http://sumsub.test"
    ) as c:
        yield c


async def call(
    http: httpx.AsyncClient,
    method: str,
    target: str,
    body: bytes = b"",
    *,
    ts: int = int(START),
    secret: str = SECRET,
    signed_target: str | None = None,
    signed_body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """Send ``target`` as is, signed over ``signed_target``/``signed_body`` (default: what is sent)."""
    signature = sign(
        secret,
        ts,
        method,
        signed_target if signed_target is not None else target,
        signed_body if signed_body is not None else body,
    )
    signed = {"X-App-Token": APP_TOKEN, "X-App-Access-Ts": str(ts), "X-App-Access-Sig": signature}
    return await http.request(
        method, target, content=body, headers=headers if headers is not None else signed
    )


def assert_sumsub_error(
    response: httpx.Response, status: int, error_code: int | None = None
) -> dict[str, Any]:
    assert response.status_code == status
    body: dict[str, Any] = response.json()
    assert body["code"] == status
    assert isinstance(body["description"], str)
    assert body["description"]
    assert re.fullmatch(r"[0-9a-f]{32}", body["correlationId"])
    assert body.get("errorCode") == error_code
    return body


# --- authentication -----------------------------------------------------------------------------------


async def test_a_signed_request_is_answered(http: httpx.AsyncClient) -> None:
    response = await call(http, "GET", "/resources/status/api")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_unsigned_request_is_refused(http: httpx.AsyncClient) -> None:
    response = await call(http, "GET", "/resources/status/api", headers={})
    body = assert_sumsub_error(response, 401, 4000)
    assert body["errorName"] == "app-token-invalid"


async def test_wrong_app_token_is_refused(http: httpx.AsyncClient) -> None:
    headers = {"X-App-Token": "sbx:other", "X-App-Access-Ts": str(int(START)), "X-App-Access-Sig": "0" * 64}
    response = await call(http, "GET", "/resources/status/api", headers=headers)
    assert_sumsub_error(response, 401, 4000)


async def test_missing_signature_is_a_signature_mismatch(http: httpx.AsyncClient) -> None:
    headers = {"X-App-Token": APP_TOKEN, "X-App-Access-Ts": str(int(START))}
    response = await call(http, "GET", "/resources/status/api", headers=headers)
    assert_sumsub_error(response, 401, 4003)


async def test_wrong_secret_is_a_signature_mismatch(http: httpx.AsyncClient) -> None:
    response = await call(http, "GET", "/resources/status/api", secret="other-secret")
    body = assert_sumsub_error(response, 401, 4003)
    assert body["errorName"] == "app-token-signature mismatch"
    assert body["description"] == "Request signature mismatch"


@pytest.mark.parametrize(("offset", "accepted"), [(-60, True), (60, True), (-61, False), (61, False)])
async def test_timestamps_are_accepted_within_60_seconds(
    http: httpx.AsyncClient, offset: int, accepted: bool
) -> None:
    response = await call(http, "GET", "/resources/status/api", ts=int(START) + offset)
    if accepted:
        assert response.status_code == 200
    else:
        body = assert_sumsub_error(response, 401, 4004)
        assert body["errorName"] == "app-token-request-expired"


async def test_non_numeric_timestamp_is_refused(http: httpx.AsyncClient) -> None:
    headers = {"X-App-Token": APP_TOKEN, "X-App-Access-Ts": "yesterday", "X-App-Access-Sig": "0" * 64}
    response = await call(http, "GET", "/resources/status/api", headers=headers)
    assert_sumsub_error(response, 401, 4004)


async def test_tampered_body_is_refused(http: httpx.AsyncClient, emulator: Emulator) -> None:
    signed = json.dumps(
        {"applicantId": emulator.applicant_id_for("sandbox-approved"), "forClientId": "a"}
    ).encode()
    sent = signed.replace(b'"a"', b'"b"')
    response = await call(http, "POST", "/resources/accessTokens/shareToken", sent, signed_body=signed)
    assert_sumsub_error(response, 401, 4003)


async def test_tampered_query_is_refused(http: httpx.AsyncClient, emulator: Emulator) -> None:
    applicant_id = emulator.applicant_id_for("sandbox-approved")
    target = f"/resources/accessTokens/-/shareToken?applicantId={applicant_id}&forClientId=x&ttlInSecs=60"
    response = await call(http, "POST", target, signed_target=target.replace("ttlInSecs=60", "ttlInSecs=6"))
    assert_sumsub_error(response, 401, 4003)


async def test_the_raw_encoded_target_is_what_is_verified(http: httpx.AsyncClient) -> None:
    # Signed over the percent-encoded form actually sent, not over a decoded one.
    target = "/resources/applicants/-%3BexternalUserId%3Dsandbox-approved/one"
    response = await call(http, "GET", target)
    assert response.status_code == 200
    assert response.json()["externalUserId"] == "sandbox-approved"
    decoded = await call(
        http, "GET", target, signed_target="/resources/applicants/-;externalUserId=sandbox-approved/one"
    )
    assert_sumsub_error(decoded, 401, 4003)


# --- seeded donors --------------------------------------------------------------------------------------


async def test_seeded_donor_ids_are_stable_and_shaped_like_sumsubs(emulator: Emulator) -> None:
    other = create_emulator("t", "s")
    for name in ("approved", "partial", "rejected-final", "rejected-retry", "pending"):
        applicant_id = emulator.applicant_id_for(f"sandbox-{name}")
        assert ID_SHAPE.fullmatch(applicant_id)
        assert other.applicant_id_for(f"sandbox-{name}") == applicant_id
    assert len({emulator.applicant_id_for(f"sandbox-{n}") for n in ("approved", "partial", "pending")}) == 3


async def test_the_approved_donor_is_complete(http: httpx.AsyncClient) -> None:
    response = await call(http, "GET", "/resources/applicants/-;externalUserId=sandbox-approved/one")
    applicant = response.json()
    info = applicant["info"]
    assert (info["firstName"], info["lastName"], info["dob"]) == ("Emily", "Carter", "1990-04-12")
    assert (info["country"], info["nationality"]) == ("USA", "USA")
    assert re.fullmatch(r"\d{3}-\d{2}-\d{4}", info["tin"])
    assert info["addresses"][0]["state"] == "CA"
    assert re.fullmatch(r"\d{5}", info["addresses"][0]["postCode"])
    assert info["idDocs"][0]["idDocType"] == "PASSPORT"
    assert info["idDocs"][0]["number"]
    assert applicant["email"]
    assert applicant["phone"].startswith("+1")
    assert applicant["review"]["reviewStatus"] == "completed"
    assert applicant["review"]["reviewResult"]["reviewAnswer"] == "GREEN"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", applicant["createdAt"])


async def test_the_partial_donor_is_another_person_without_address_or_tin(http: httpx.AsyncClient) -> None:
    approved = (await call(http, "GET", "/resources/applicants/-;externalUserId=sandbox-approved/one")).json()
    partial = (await call(http, "GET", "/resources/applicants/-;externalUserId=sandbox-partial/one")).json()
    assert partial["info"]["lastName"] != approved["info"]["lastName"]
    assert partial["info"]["dob"] != approved["info"]["dob"]
    assert "addresses" not in partial["info"]
    assert "tin" not in partial["info"]
    assert "tin" not in partial["fixedInfo"]
    assert partial["review"]["reviewResult"]["reviewAnswer"] == "GREEN"
    steps = (await call(http, "GET", f"/resources/applicants/{partial['id']}/requiredIdDocsStatus")).json()
    assert steps["IDENTITY"]["idDocType"] == "ID_CARD"
    assert steps["IDENTITY"]["reviewResult"]["reviewAnswer"] == "GREEN"
    assert steps["SELFIE"]["reviewResult"]["reviewAnswer"] == "GREEN"


@pytest.mark.parametrize(
    ("donor", "status", "answer", "reject_type"),
    [
        ("sandbox-rejected-final", "completed", "RED", "FINAL"),
        ("sandbox-rejected-retry", "completed", "RED", "RETRY"),
        ("sandbox-pending", "pending", None, None),
    ],
)
async def test_the_other_donors_reviews(
    http: httpx.AsyncClient,
    emulator: Emulator,
    donor: str,
    status: str,
    answer: str | None,
    reject_type: str | None,
) -> None:
    review = (
        await call(http, "GET", f"/resources/applicants/{emulator.applicant_id_for(donor)}/status")
    ).json()
    assert review["reviewStatus"] == status
    result = review.get("reviewResult") or {}
    assert result.get("reviewAnswer") == answer
    assert result.get("reviewRejectType") == reject_type
    if answer == "RED":
        assert result["rejectLabels"]
        assert result["moderationComment"]


async def test_unknown_applicant_and_route_answer_404(http: httpx.AsyncClient) -> None:
    assert_sumsub_error(await call(http, "GET", f"/resources/applicants/{'f' * 24}/one"), 404)
    assert_sumsub_error(await call(http, "GET", "/resources/applicants/-;externalUserId=nobody/one"), 404)
    assert_sumsub_error(await call(http, "GET", "/resources/nothing-here"), 404)


# --- share tokens --------------------------------------------------------------------------------------


async def mint(
    http: httpx.AsyncClient, applicant_id: str, client_id: str, ttl: int | None = None
) -> httpx.Response:
    fields: dict[str, Any] = {"applicantId": applicant_id, "forClientId": client_id}
    if ttl is not None:
        fields["ttlInSecs"] = ttl
    return await call(http, "POST", "/resources/accessTokens/shareToken", json.dumps(fields).encode())


async def reuse(
    http: httpx.AsyncClient, token: str, level: str = "kycrail-basic", *, ts: float = START
) -> httpx.Response:
    target = f"/resources/api/reusableIdentity/reuse?shareToken={token}&levelName={level}"
    return await call(http, "POST", target, ts=int(ts))


async def test_minted_tokens_are_opaque_distinct_and_small(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    donor_id = emulator.applicant_id_for("sandbox-approved")
    first = (await mint(http, donor_id, emulator.client_id)).json()
    second = (await mint(http, donor_id, emulator.client_id)).json()
    assert first["forClientId"] == emulator.client_id
    assert first["token"].startswith("_act-jwt-")
    assert first["token"] != second["token"]
    assert len(first["token"].encode()) <= 1024
    assert emulator.mint_share_token("sandbox-approved") not in (first["token"], second["token"])


async def test_the_query_form_mints_too(http: httpx.AsyncClient, emulator: Emulator) -> None:
    donor_id = emulator.applicant_id_for("sandbox-approved")
    query = f"applicantId={donor_id}&forClientId={emulator.client_id}&ttlInSecs=60"
    target = f"/resources/accessTokens/-/shareToken?{query}"
    response = await call(http, "POST", target)
    assert response.status_code == 200
    assert response.json()["forClientId"] == emulator.client_id
    assert (await reuse(http, response.json()["token"])).status_code == 200


@pytest.mark.parametrize("ttl", [0, -5, 1201, "soon", True])
async def test_mint_refuses_a_ttl_out_of_range(http: httpx.AsyncClient, emulator: Emulator, ttl: Any) -> None:
    response = await mint(http, emulator.applicant_id_for("sandbox-approved"), emulator.client_id, ttl)
    assert_sumsub_error(response, 400)


async def test_mint_refuses_unknown_applicants_and_missing_fields(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    assert_sumsub_error(await mint(http, "f" * 24, emulator.client_id), 404)
    assert_sumsub_error(await mint(http, emulator.applicant_id_for("sandbox-approved"), ""), 400)
    assert_sumsub_error(await call(http, "POST", "/resources/accessTokens/shareToken", b"not json"), 400)


async def test_default_ttl_is_1200_seconds(
    http: httpx.AsyncClient, emulator: Emulator, clock: FakeClock
) -> None:
    donor_id = emulator.applicant_id_for("sandbox-approved")
    token = (await mint(http, donor_id, emulator.client_id)).json()["token"]
    late = (await mint(http, donor_id, emulator.client_id)).json()["token"]
    clock.now += 1200
    assert (await reuse(http, token, ts=clock.now)).status_code == 200
    clock.now += 1
    body = assert_sumsub_error(await reuse(http, late, ts=clock.now), 401)
    assert body["type"] == SERVICE_EXCEPTION


async def test_expired_token_answers_the_service_exception_without_the_token(
    http: httpx.AsyncClient, emulator: Emulator, clock: FakeClock
) -> None:
    token = emulator.mint_share_token("sandbox-approved", ttl_seconds=5)
    clock.now += 6
    body = assert_sumsub_error(await reuse(http, token), 401)
    assert body["type"] == SERVICE_EXCEPTION
    assert body["description"].startswith("Token is invalid: Token _act-jwt-")
    assert "with ttl 5 but accessed at" in body["description"]
    assert token not in response_text(body)


def response_text(body: dict[str, Any]) -> str:
    return json.dumps(body)


async def test_unknown_and_used_tokens_are_invalid(http: httpx.AsyncClient, emulator: Emulator) -> None:
    body = assert_sumsub_error(await reuse(http, "_act-jwt-unknown"), 400, 10503)
    assert body["errorName"] == "invalid-share-token"
    token = emulator.mint_share_token("sandbox-approved")
    assert (await reuse(http, token)).status_code == 200
    assert_sumsub_error(await reuse(http, token), 400, 10503)
    assert_sumsub_error(
        await call(http, "POST", f"/resources/applicants/-/import?shareToken={token}"), 400, 10503
    )


async def test_a_token_minted_for_another_client_is_invalid(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    token = (await mint(http, emulator.applicant_id_for("sandbox-approved"), "someone-else")).json()["token"]
    assert_sumsub_error(await reuse(http, token), 400, 10503)


@pytest.mark.parametrize("donor", ["sandbox-pending", "sandbox-rejected-final", "sandbox-rejected-retry"])
async def test_reuse_refuses_donors_not_approved(
    http: httpx.AsyncClient, emulator: Emulator, donor: str
) -> None:
    token = emulator.mint_share_token(donor)
    body = assert_sumsub_error(await reuse(http, token), 400, 10507)
    assert body["errorName"] == "reusable-kyc-not-approved-applicant"
    assert body["type"] == SERVICE_EXCEPTION


async def test_reuse_creates_a_new_recipient_applicant(http: httpx.AsyncClient, emulator: Emulator) -> None:
    donor_id = emulator.applicant_id_for("sandbox-approved")
    donor = (await call(http, "GET", f"/resources/applicants/{donor_id}/one")).json()
    response = await reuse(http, emulator.mint_share_token("sandbox-approved"), level="my-level")
    assert response.status_code == 200
    recipient = response.json()
    assert ID_SHAPE.fullmatch(recipient["id"])
    assert recipient["id"] != donor_id
    assert re.fullmatch(r"copy-[0-9a-f-]{36}", recipient["externalUserId"])
    assert recipient["clientId"] == emulator.client_id
    assert recipient["info"] == donor["info"]
    assert recipient["fixedInfo"] == donor["fixedInfo"]
    assert (recipient["email"], recipient["phone"]) == (donor["email"], donor["phone"])
    assert recipient["review"]["reviewStatus"] == "completed"
    assert recipient["review"]["reviewResult"]["reviewAnswer"] == "GREEN"
    assert recipient["review"]["levelName"] == "my-level"
    by_external_id = await call(
        http, "GET", f"/resources/applicants/-;externalUserId={recipient['externalUserId']}/one"
    )
    assert by_external_id.json()["id"] == recipient["id"]
    steps = await call(http, "GET", f"/resources/applicants/{recipient['id']}/requiredIdDocsStatus")
    assert (
        steps.json()
        == (await call(http, "GET", f"/resources/applicants/{donor_id}/requiredIdDocsStatus")).json()
    )
    # The donor is left as it was.
    assert (await call(http, "GET", f"/resources/applicants/{donor_id}/one")).json() == donor


async def test_copy_import_inherits_whatever_review_the_donor_has(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    token = emulator.mint_share_token("sandbox-rejected-retry")
    response = await call(http, "POST", f"/resources/applicants/-/import?shareToken={token}")
    assert response.status_code == 200
    review = response.json()["review"]
    assert review["reviewResult"]["reviewAnswer"] == "RED"
    assert review["reviewResult"]["reviewRejectType"] == "RETRY"
    assert response.json()["id"] != emulator.applicant_id_for("sandbox-rejected-retry")


async def test_test_completed_sets_the_review(http: httpx.AsyncClient, emulator: Emulator) -> None:
    applicant_id = emulator.applicant_id_for("sandbox-pending")
    body = json.dumps({"reviewAnswer": "RED", "rejectLabels": ["SPAM"], "reviewRejectType": "FINAL"}).encode()
    response = await call(http, "POST", f"/resources/applicants/{applicant_id}/status/testCompleted", body)
    assert response.status_code == 200
    review = (await call(http, "GET", f"/resources/applicants/{applicant_id}/status")).json()
    assert review["reviewStatus"] == "completed"
    assert review["reviewResult"] == {
        "reviewAnswer": "RED",
        "rejectLabels": ["SPAM"],
        "reviewRejectType": "FINAL",
    }
    wrong = json.dumps({"reviewAnswer": "MAYBE"}).encode()
    target = f"/resources/applicants/{applicant_id}/status/testCompleted"
    assert_sumsub_error(await call(http, "POST", target, wrong), 400)


# --- knobs ------------------------------------------------------------------------------------------------


async def test_5xx_knob_fails_the_next_requests(http: httpx.AsyncClient, emulator: Emulator) -> None:
    emulator.knobs.fail_with_5xx = 2
    first = await call(http, "GET", "/resources/status/api")
    second = await call(http, "GET", "/resources/status/api")
    third = await call(http, "GET", "/resources/status/api")
    assert (first.status_code, second.status_code, third.status_code) == (503, 500, 200)
    assert_sumsub_error(first, 503)


async def test_an_import_failed_by_the_5xx_knob_leaves_the_token_usable(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    token = emulator.mint_share_token("sandbox-approved")
    emulator.knobs.fail_with_5xx = 1
    assert (await reuse(http, token)).status_code == 503
    assert (await reuse(http, token)).status_code == 200


async def test_malformed_knob_answers_200_with_a_body_that_is_not_json(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    emulator.knobs.malformed_bodies = 1
    response = await call(http, "GET", "/resources/status/api")
    assert response.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        response.json()
    assert (await call(http, "GET", "/resources/status/api")).json() == {"status": "ok"}


async def test_latency_knob_sleeps_without_blocking_the_loop(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    emulator.knobs.latency_seconds = 0.3
    started = time.perf_counter()
    responses = await asyncio.gather(*(call(http, "GET", "/resources/status/api") for _ in range(3)))
    elapsed = time.perf_counter() - started
    assert [r.status_code for r in responses] == [200, 200, 200]
    assert 0.3 <= elapsed < 0.8  # three concurrent sleeps, not three in a row


async def test_knobs_endpoint_sets_the_knobs_and_is_signed(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    body = json.dumps({"fail_with_5xx": 1, "malformed_bodies": 2, "latency_seconds": 0}).encode()
    unsigned = await call(http, "POST", "/_sandbox/knobs", body, headers={})
    assert_sumsub_error(unsigned, 401, 4000)
    response = await call(http, "POST", "/_sandbox/knobs", body)
    assert response.status_code == 200
    assert response.json() == {"latency_seconds": 0.0, "fail_with_5xx": 1, "malformed_bodies": 2}
    assert (emulator.knobs.fail_with_5xx, emulator.knobs.malformed_bodies) == (1, 2)
    # The knobs endpoint itself is never failed by them, so they can always be reset.
    reset = await call(
        http, "POST", "/_sandbox/knobs", json.dumps({"fail_with_5xx": 0, "malformed_bodies": 0}).encode()
    )
    assert reset.status_code == 200
    assert (await call(http, "GET", "/resources/status/api")).status_code == 200


@pytest.mark.parametrize("body", [{"fail_with_5xx": -1}, {"malformed_bodies": 1.5}, {"latency_seconds": "x"}])
async def test_knobs_endpoint_refuses_bad_values(http: httpx.AsyncClient, body: dict[str, Any]) -> None:
    assert_sumsub_error(await call(http, "POST", "/_sandbox/knobs", json.dumps(body).encode()), 400)


def test_in_process_helpers_refuse_unknown_donors_and_bad_ttls(emulator: Emulator) -> None:
    with pytest.raises(KeyError):
        emulator.applicant_id_for("nobody")
    with pytest.raises(KeyError):
        emulator.mint_share_token("nobody")
    with pytest.raises(ValueError, match="ttlInSecs"):
        emulator.mint_share_token("sandbox-approved", ttl_seconds=1201)


async def test_lifespan_is_acknowledged(emulator: Emulator) -> None:
    messages = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return next(messages)

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    await emulator({"type": "lifespan"}, receive, send)
    assert [m["type"] for m in sent] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
