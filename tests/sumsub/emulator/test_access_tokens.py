"""WebSDK access tokens: the JSON form and the legacy query form, both {token, userId}."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.sumsub.emulator.calls import assert_sumsub_error, call


async def test_the_sdk_form_answers_a_token_for_the_user(http: httpx.AsyncClient) -> None:
    body = json.dumps({"userId": "user-1", "levelName": "basic-kyc-level", "ttlInSecs": 600}).encode()
    response = await call(http, "POST", "/resources/accessTokens/sdk", body)
    assert response.status_code == 200
    answer = response.json()
    assert set(answer) == {"token", "userId"}
    assert answer["userId"] == "user-1"
    assert answer["token"].startswith("_act-sbx-")
    again = (await call(http, "POST", "/resources/accessTokens/sdk", body)).json()
    assert again["token"] != answer["token"]


async def test_the_legacy_query_form_answers_the_same_shape(http: httpx.AsyncClient) -> None:
    target = "/resources/accessTokens?userId=user%201&levelName=basic-kyb-level&ttlInSecs=1200"
    response = await call(http, "POST", target)
    assert response.status_code == 200
    assert response.json()["userId"] == "user 1"
    assert response.json()["token"].startswith("_act-sbx-")
    without_ttl = await call(http, "POST", "/resources/accessTokens?userId=u&levelName=basic-kyc-level")
    assert without_ttl.status_code == 200


@pytest.mark.parametrize(
    "body",
    [
        {"levelName": "basic-kyc-level"},
        {"userId": "u"},
        {"userId": "u", "levelName": "unknown-level"},
        {"userId": "u", "levelName": "basic-kyc-level", "ttlInSecs": -1},
        {"userId": "u", "levelName": "basic-kyc-level", "ttlInSecs": 10**12},
        {"userId": 7, "levelName": "basic-kyc-level"},
    ],
)
async def test_bad_token_requests_are_refused(http: httpx.AsyncClient, body: dict[str, Any]) -> None:
    response = await call(http, "POST", "/resources/accessTokens/sdk", json.dumps(body).encode())
    assert response.status_code in (400, 404)
    assert_sumsub_error(response, response.status_code)


@pytest.mark.parametrize(
    "query", ["levelName=basic-kyc-level", "userId=u&levelName=basic-kyc-level&ttlInSecs=soon", "userId=u"]
)
async def test_bad_legacy_token_requests_are_refused(http: httpx.AsyncClient, query: str) -> None:
    assert_sumsub_error(await call(http, "POST", f"/resources/accessTokens?{query}"), 400)
