"""The Emulator: share-token imports, its in-process helpers, and ASGI lifespan."""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from tests.sumsub.emulator.calls import ID_SHAPE, SERVICE_EXCEPTION, assert_sumsub_error, call, reuse


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


async def test_a_refused_reuse_leaves_the_token_usable(http: httpx.AsyncClient, emulator: Emulator) -> None:
    # Unconfirmed at SumSub (see Emulator.import_by_reuse); pinned so that a change is deliberate.
    token = emulator.mint_share_token("sandbox-pending")
    assert_sumsub_error(await reuse(http, token), 400, 10507)
    response = await call(http, "POST", f"/resources/applicants/-/import?shareToken={token}")
    assert response.status_code == 200


async def test_reuse_needs_a_level_name(http: httpx.AsyncClient, emulator: Emulator) -> None:
    token = emulator.mint_share_token("sandbox-approved")
    target = f"/resources/api/reusableIdentity/reuse?shareToken={token}"
    assert_sumsub_error(await call(http, "POST", target), 400)
    assert (await reuse(http, token)).status_code == 200
