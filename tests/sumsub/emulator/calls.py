"""Requests to the emulator as SumSub would get them: raw httpx requests, signed by hand."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx

from kycrail.sumsub.signing import sign
from tests.sumsub.conftest import APP_TOKEN, SECRET, START

ID_SHAPE = re.compile(r"[0-9a-z]{24}")
SERVICE_EXCEPTION = "de.smtdp.commons.service.exceptions.ServiceException"


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
