"""Every endpoint, every hostile body: answered in SumSub's error shape (or accepted), never a 500."""

from __future__ import annotations

import json

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from kycrail.sumsub.emulator.routes import ENDPOINTS
from tests.sumsub.emulator.calls import call, create_applicant

FIELDS = [
    "externalUserId",
    "email",
    "phone",
    "fixedInfo",
    "type",
    "lang",
    "userId",
    "levelName",
    "ttlInSecs",
    "applicantIdentifiers",
    "reviewAnswer",
    "rejectLabels",
    "reviewRejectType",
    "moderationComment",
    "applicantId",
    "forClientId",
    "firstName",
    "dob",
    "addresses",
    "fail_with_5xx",
]
VALUES = [None, True, 0, -1, 1e308, "", "\u0000", "x" * 5000, [], [None], {}, {"a": {"b": []}}]
BODIES = [b"", b"null", b"[]", b"{}", b'{"a":', b'"text"', b"1e999", b"\xff\xfe", b"{" * 500 + b"}" * 500]
BODIES += [json.dumps({field: value for field in FIELDS}).encode() for value in VALUES]
QUERY = "?levelName=%ff&userId=&ttlInSecs=-1&shareToken=%00"


@pytest.mark.parametrize(("method", "path"), [(method, path) for method, path, _ in ENDPOINTS])
async def test_no_hostile_body_is_a_500(
    http: httpx.AsyncClient, emulator: Emulator, method: str, path: str
) -> None:
    known = (await create_applicant(http, "hostile-target"))["id"]
    targets = [path.replace("{ref}", known) + QUERY]
    targets += [path.replace("{ref}", ref) for ref in (known, "-;externalUserId=%ff%fe", "%00")]
    for target in dict.fromkeys(targets):
        for body in BODIES:
            response = await call(http, method, target, body, content_type="multipart/form-data; boundary=x")
            assert response.status_code < 500, (method, target, body[:40])
            if response.status_code >= 400:
                assert response.json()["code"] == response.status_code
