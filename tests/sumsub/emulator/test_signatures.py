"""Authentication: the app token, the timestamp, the signature over the target as sent."""

from __future__ import annotations

import hashlib
import hmac
import json

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from kycrail.sumsub.emulator.signatures import raw_target
from tests.sumsub.conftest import APP_TOKEN, SECRET, START
from tests.sumsub.emulator.calls import assert_sumsub_error, call


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


def test_the_target_is_the_raw_path_and_query_as_sent() -> None:
    scope = {"type": "http", "path": "/a/b c", "raw_path": b"/a%2Fb%20c", "query_string": b"x=%2B&y="}
    assert raw_target(scope) == "/a%2Fb%20c?x=%2B&y="
    assert raw_target({**scope, "query_string": b""}) == "/a%2Fb%20c"
    # A server that gives no raw_path: the decoded path is all there is.
    assert raw_target({"type": "http", "path": "/resources/status/api"}) == "/resources/status/api"


def _signed_as(ts_text: str, method: str, target: str, body: bytes = b"") -> dict[str, str]:
    message = f"{ts_text}{method}{target}".encode() + body
    signature = hmac.new(SECRET.encode(), message, hashlib.sha256).hexdigest()
    return {"X-App-Token": APP_TOKEN, "X-App-Access-Ts": ts_text, "X-App-Access-Sig": signature}


async def test_the_timestamp_is_signed_exactly_as_sent(http: httpx.AsyncClient) -> None:
    # Leading zeros are the same second, but the signature covers the text the client sent.
    sent = "0" + str(int(START))
    headers = _signed_as(sent, "GET", "/resources/status/api")
    assert (await call(http, "GET", "/resources/status/api", headers=headers)).status_code == 200
    canonical = _signed_as(str(int(START)), "GET", "/resources/status/api")
    mixed = {**canonical, "X-App-Access-Ts": sent}
    assert_sumsub_error(await call(http, "GET", "/resources/status/api", headers=mixed), 401, 4003)


@pytest.mark.parametrize("sent", [f"+{int(START)}", f" {int(START)}", f"{int(START)}.0", "1_760_000_000", ""])
async def test_a_timestamp_that_is_not_plain_digits_is_refused(http: httpx.AsyncClient, sent: str) -> None:
    headers = _signed_as(sent, "GET", "/resources/status/api")
    assert_sumsub_error(await call(http, "GET", "/resources/status/api", headers=headers), 401, 4004)


async def test_a_bare_trailing_question_mark_may_be_signed(http: httpx.AsyncClient) -> None:
    # Sent as "/resources/status/api?" (ASGI sees no query), signed with or without the "?".
    for signed in ("/resources/status/api?", "/resources/status/api"):
        response = await call(http, "GET", "/resources/status/api?", signed_target=signed)
        assert response.status_code == 200
    # Only a bare "?" is forgiven: a query must be signed as sent.
    response = await call(
        http, "GET", "/resources/status/api?a=1", signed_target="/resources/status/api?a=1?"
    )
    assert_sumsub_error(response, 401, 4003)
    response = await call(http, "GET", "/resources/status/api?a=1", signed_target="/resources/status/api?")
    assert_sumsub_error(response, 401, 4003)
