"""Requests to the emulator as SumSub would get them: raw httpx requests, signed by hand."""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import httpx

from kycrail.sumsub.signing import sign
from tests.api.documents import png
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
    content_type: str | None = None,
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
    if content_type is not None:
        signed["Content-Type"] = content_type
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


def multipart(*parts: tuple[str, bytes, str | None]) -> tuple[bytes, str]:
    """A multipart/form-data body of (name, data, filename) parts, and its content type."""
    boundary = "kycrail-test-boundary"
    body = b""
    for name, data, filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"
    return body + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


async def create_applicant(
    http: httpx.AsyncClient, external_user_id: str = "user-1", level: str = "basic-kyc-level", **more: Any
) -> dict[str, Any]:
    body = json.dumps({"externalUserId": external_user_id, **more}).encode()
    response = await call(http, "POST", f"/resources/applicants?levelName={level}", body)
    assert response.status_code == 201, response.text
    applicant: dict[str, Any] = response.json()
    return applicant


NO_IMAGE = b"<no image: the metadata alone>"  # add_id_doc(..., image=NO_IMAGE): no file part at all
_pictures = itertools.count(1)


async def add_id_doc(
    http: httpx.AsyncClient,
    applicant_id: str,
    metadata: dict[str, Any],
    image: bytes | None = None,
    *,
    filename: str | None = "passport.png",
) -> httpx.Response:
    """An upload, with ``image`` or else a fresh real PNG (SumSub refuses the same file twice); pass
    ``image=NO_IMAGE`` for metadata alone."""
    if image is None:
        image = png(next(_pictures))
    parts: list[tuple[str, bytes, str | None]] = [("metadata", json.dumps(metadata).encode(), None)]
    if image != NO_IMAGE:
        parts.append(("content", image, filename))
    body, content_type = multipart(*parts)
    target = f"/resources/applicants/{applicant_id}/info/idDoc"
    return await call(http, "POST", target, body, content_type=content_type)
