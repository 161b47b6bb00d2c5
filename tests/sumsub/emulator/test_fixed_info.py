"""PATCH fixedInfo: the given fields merged into the applicant's, the merged fixedInfo answered."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from tests.sumsub.emulator.calls import assert_sumsub_error, call, create_applicant


async def patch(http: httpx.AsyncClient, ref: str, body: Any) -> httpx.Response:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return await call(http, "PATCH", f"/resources/applicants/{ref}/fixedInfo", raw)


async def test_fields_are_merged(http: httpx.AsyncClient) -> None:
    applicant = await create_applicant(http, fixedInfo={"firstName": "Ann", "lastName": "Lee"})
    response = await patch(http, applicant["id"], {"lastName": "Park", "dob": "1991-03-04", "country": "KOR"})
    assert response.status_code == 200
    expected = {"firstName": "Ann", "lastName": "Park", "dob": "1991-03-04", "country": "KOR"}
    assert response.json() == expected
    one = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/one")).json()
    assert one["fixedInfo"] == expected
    by_external = await patch(http, "-;externalUserId=user-1", {"middleName": "J"})
    assert by_external.json()["middleName"] == "J"


@pytest.mark.parametrize("body", [b"nope", [1], {"dob": "1991-13-01"}, {"nationality": "Korea"}, {"tin": 5}])
async def test_bad_changes_are_refused_and_change_nothing(http: httpx.AsyncClient, body: Any) -> None:
    applicant = await create_applicant(http, fixedInfo={"firstName": "Ann"})
    assert_sumsub_error(await patch(http, applicant["id"], body), 400)
    one = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/one")).json()
    assert one["fixedInfo"] == {"firstName": "Ann"}


async def test_an_unknown_applicant_is_404(http: httpx.AsyncClient) -> None:
    assert_sumsub_error(await patch(http, "f" * 24, {"firstName": "X"}), 404)


async def test_a_clients_change_is_followed_by_applicant_personal_info_changed(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    applicant = await create_applicant(http)
    before = len(emulator.webhooks.emitted)
    changed = await call(
        http, "PATCH", f"/resources/applicants/{applicant['id']}/fixedInfo", b'{"firstName": "Ann"}'
    )
    assert changed.status_code == 200, changed.text
    [sent] = emulator.webhooks.emitted[before:]
    assert (sent["type"], sent["applicantId"]) == ("applicantPersonalInfoChanged", applicant["id"])
    assert "Ann" not in str(sent)  # a webhook carries no personal data
