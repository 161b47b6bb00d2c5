"""Share tokens: minted opaque and small, alive for their TTL, single-use, for one recipient."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from kycrail.sumsub.emulator.errors import Failure
from kycrail.sumsub.emulator.tokens import TokenStore
from tests.sumsub.conftest import FakeClock
from tests.sumsub.emulator.calls import SERVICE_EXCEPTION, assert_sumsub_error, call, mint, reuse


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


def test_redeeming_leaves_the_token_unused_until_the_caller_uses_it(clock: FakeClock) -> None:
    # A refused import (a donor not approved, an outage) must leave the token usable.
    store = TokenStore(clock)
    value = store.mint("applicant-1", "recipient", 60)
    token = store.redeem(value, "recipient")
    assert (token.applicant_id, token.for_client_id, token.ttl_seconds) == ("applicant-1", "recipient", 60)
    assert store.redeem(value, "recipient") is token
    token.used = True
    with pytest.raises(Failure) as caught:
        store.redeem(value, "recipient")
    assert caught.value.error_code == 10503


def test_a_token_lives_exactly_its_ttl(clock: FakeClock) -> None:
    store = TokenStore(clock)
    value = store.mint("applicant-1", "recipient", 60)
    clock.now += 60
    store.redeem(value, "recipient")
    clock.now += 1
    with pytest.raises(Failure) as caught:
        store.redeem(value, "recipient")
    assert caught.value.status == 401
    assert value not in caught.value.description
