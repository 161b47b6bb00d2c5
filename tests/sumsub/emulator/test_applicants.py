"""Applicants: found by id or by external user id, given a test verdict, copied for a recipient."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator, applicants
from kycrail.sumsub.emulator.errors import Failure
from tests.sumsub.emulator.calls import ID_SHAPE, assert_sumsub_error, call


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


def test_resolve_takes_an_id_or_the_matrix_form(emulator: Emulator) -> None:
    approved_id = emulator.applicant_id_for("sandbox-approved")
    assert applicants.resolve(emulator.applicants, approved_id)["id"] == approved_id
    by_external_id = applicants.resolve(emulator.applicants, "-;externalUserId=sandbox-approved")
    assert by_external_id["id"] == approved_id
    for ref, status in [("-;externalUserId=nobody", 404), ("-;email=a@b.c", 400), ("-;externalUserId=", 400)]:
        with pytest.raises(Failure) as caught:
            applicants.resolve(emulator.applicants, ref)
        assert caught.value.status == status


def test_a_verdict_completes_the_review() -> None:
    applicant: dict[str, Any] = {"review": {"reviewStatus": "pending", "levelName": "basic"}}
    applicants.complete_review(applicant, {"reviewAnswer": "GREEN"}, now="2025-10-09 08:53:20")
    assert applicant["review"] == {
        "reviewStatus": "completed",
        "levelName": "basic",
        "reviewResult": {"reviewAnswer": "GREEN"},
        "reviewDate": "2025-10-09 08:53:20+0000",
    }
    assert applicants.is_approved(applicant)
    applicants.complete_review(applicant, {"reviewAnswer": "RED"}, now="2025-10-09 08:53:21")
    assert applicant["review"]["reviewResult"] == {
        "reviewAnswer": "RED",
        "rejectLabels": [],
        "reviewRejectType": "RETRY",
    }
    assert not applicants.is_approved(applicant)


@pytest.mark.parametrize(
    "verdict",
    [
        {"reviewAnswer": "RED", "rejectLabels": "SPAM"},
        {"reviewAnswer": "RED", "reviewRejectType": "SOON"},
        {},
    ],
)
def test_a_malformed_verdict_is_refused(verdict: dict[str, Any]) -> None:
    applicant: dict[str, Any] = {"review": {"reviewStatus": "pending"}}
    with pytest.raises(Failure) as caught:
        applicants.complete_review(applicant, verdict, now="2025-10-09 08:53:20")
    assert caught.value.status == 400
    assert applicant["review"] == {"reviewStatus": "pending"}


def test_a_recipient_copy_is_a_new_applicant_and_leaves_the_donor_alone(emulator: Emulator) -> None:
    donor = emulator.applicants[emulator.applicant_id_for("sandbox-approved")]
    before = json.dumps(donor)
    copy = applicants.recipient_copy(donor, client_id="recipient", now="2025-10-09 08:53:20")
    copy["info"]["firstName"] = "Changed"
    assert json.dumps(donor) == before
    assert (copy["clientId"], copy["createdAt"]) == ("recipient", "2025-10-09 08:53:20")
    assert ID_SHAPE.fullmatch(copy["id"])
    assert copy["id"] != donor["id"]
    assert copy["inspectionId"] != donor["inspectionId"]


async def test_every_review_shown_carries_its_ids_count_and_priority(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    donor_id = emulator.applicant_id_for("sandbox-approved")
    token = emulator.mint_share_token("sandbox-approved")
    copied = (await call(http, "POST", f"/resources/applicants/-/import?shareToken={token}")).json()
    reviews = [copied["review"]]
    for donor in ("sandbox-approved", "sandbox-partial", "sandbox-pending", "sandbox-rejected-final"):
        applicant_id = emulator.applicant_id_for(donor)
        reviews.append(
            (await call(http, "GET", f"/resources/applicants/{applicant_id}/one")).json()["review"]
        )
        reviews.append((await call(http, "GET", f"/resources/applicants/{applicant_id}/status")).json())
    for review in reviews:
        assert {"reviewId", "attemptId", "attemptCnt", "priority"} <= set(review)
    donor_review = emulator.applicants[donor_id]["review"]
    assert copied["review"]["reviewId"] != donor_review["reviewId"]  # the copy's own review
    assert len({review["reviewId"] for review in reviews[1::2]}) == 4  # one per donor
