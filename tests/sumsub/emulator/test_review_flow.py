"""An applicant's review moving along: submitted (pending), reviewed (testCompleted), on hold, reset;
the steps follow the verdict."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from kycrail.sumsub.emulator import Emulator
from tests.sumsub.emulator.calls import add_id_doc, assert_sumsub_error, call, create_applicant


async def status(http: httpx.AsyncClient, applicant_id: str) -> dict[str, Any]:
    review: dict[str, Any] = (await call(http, "GET", f"/resources/applicants/{applicant_id}/status")).json()
    return review


async def post(http: httpx.AsyncClient, applicant_id: str, action: str, body: Any = None) -> httpx.Response:
    raw = json.dumps(body).encode() if body is not None else b""
    return await call(http, "POST", f"/resources/applicants/{applicant_id}/{action}", raw)


async def test_pending_starts_a_new_attempt(http: httpx.AsyncClient) -> None:
    applicant = await create_applicant(http)
    before = applicant["review"]
    response = await post(http, applicant["id"], "status/pending")
    assert (response.status_code, response.json()) == (200, {"ok": 1})
    review = await status(http, applicant["id"])
    assert review["reviewStatus"] == "pending"
    assert review["attemptCnt"] == before["attemptCnt"] + 1
    assert review["attemptId"] != before["attemptId"]
    assert review["reviewId"] == before["reviewId"]
    # A bare "?" and an empty reason are how some clients send it.
    assert_sumsub_error(await post(http, applicant["id"], "status/pending?reason="), 400)  # already pending


async def test_a_verdict_keeps_its_comments_and_reaches_the_steps(http: httpx.AsyncClient) -> None:
    applicant = await create_applicant(http)
    image_id = int(
        (await add_id_doc(http, applicant["id"], {"idDocType": "PASSPORT", "country": "USA"})).headers[
            "X-Image-Id"
        ]
    )
    await post(http, applicant["id"], "status/pending")
    verdict = {
        "reviewAnswer": "RED",
        "rejectLabels": ["UNSATISFACTORY_PHOTOS"],
        "reviewRejectType": "RETRY",
        "moderationComment": "Please upload a sharper photo.",
        "clientComment": "Blurry.",
    }
    assert (await post(http, applicant["id"], "status/testCompleted", verdict)).status_code == 200
    review = await status(http, applicant["id"])
    assert review["reviewStatus"] == "completed"
    assert review["reviewResult"] == verdict
    steps = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/requiredIdDocsStatus")).json()
    identity = steps["IDENTITY"]
    assert identity["reviewResult"] == {
        key: value for key, value in verdict.items() if key != "clientComment"
    }
    assert identity["imageReviewResults"] == {str(image_id): {"reviewAnswer": "RED"}}
    assert steps["SELFIE"] is None
    # Resubmission is allowed after RETRY: a new document clears the step's answer, pending again.
    await add_id_doc(http, applicant["id"], {"idDocType": "PASSPORT", "country": "USA"})
    steps = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/requiredIdDocsStatus")).json()
    assert "reviewResult" not in steps["IDENTITY"]
    assert (await post(http, applicant["id"], "status/pending")).status_code == 200
    review = await status(http, applicant["id"])
    assert (review["reviewStatus"], review["attemptCnt"]) == ("pending", 2)
    assert "reviewResult" not in review


@pytest.mark.parametrize(
    "verdict", [{"reviewAnswer": "GREEN"}, {"reviewAnswer": "RED", "reviewRejectType": "FINAL"}]
)
async def test_a_final_answer_cannot_be_submitted_again(
    http: httpx.AsyncClient, verdict: dict[str, Any]
) -> None:
    applicant = await create_applicant(http)
    await post(http, applicant["id"], "status/testCompleted", verdict)
    assert_sumsub_error(await post(http, applicant["id"], "status/pending"), 400)


async def test_reset_goes_back_to_init_and_drops_the_documents(http: httpx.AsyncClient) -> None:
    applicant = await create_applicant(http, fixedInfo={"firstName": "Ann"})
    await add_id_doc(http, applicant["id"], {"idDocType": "PASSPORT", "country": "USA"})
    await post(http, applicant["id"], "status/pending")
    assert_sumsub_error(await post(http, applicant["id"], "reset"), 400)  # not while under review
    await post(
        http, applicant["id"], "status/testCompleted", {"reviewAnswer": "RED", "reviewRejectType": "FINAL"}
    )
    response = await post(http, applicant["id"], "reset")
    assert (response.status_code, response.json()) == (200, {"ok": 1})
    review = await status(http, applicant["id"])
    assert review["reviewStatus"] == "init"
    assert "reviewResult" not in review
    assert review["attemptCnt"] == 1
    steps = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/requiredIdDocsStatus")).json()
    assert steps == {"IDENTITY": None, "SELFIE": None}
    one = (await call(http, "GET", f"/resources/applicants/{applicant['id']}/one")).json()
    assert one["fixedInfo"] == {"firstName": "Ann"}


async def test_on_hold_is_a_sandbox_call(http: httpx.AsyncClient, emulator: Emulator) -> None:
    applicant = await create_applicant(http)
    await post(http, applicant["id"], "status/pending")
    response = await call(http, "POST", f"/_sandbox/applicants/{applicant['id']}/onHold")
    assert response.status_code == 200
    assert (await status(http, applicant["id"]))["reviewStatus"] == "onHold"
    unsigned = await call(http, "POST", f"/_sandbox/applicants/{applicant['id']}/onHold", headers={})
    assert_sumsub_error(unsigned, 401, 4000)
    assert_sumsub_error(await call(http, "POST", f"/_sandbox/applicants/{'f' * 24}/onHold"), 404)


@pytest.mark.parametrize(
    "verdict",
    [
        {"reviewAnswer": "GREEN", "moderationComment": 5},
        {"reviewAnswer": "GREEN", "clientComment": "x" * 5000},
        {"reviewAnswer": "RED", "rejectLabels": [""]},
        {"reviewAnswer": "RED", "rejectLabels": ["X"] * 100},
    ],
)
async def test_bad_verdicts_are_refused(http: httpx.AsyncClient, verdict: dict[str, Any]) -> None:
    applicant = await create_applicant(http)
    assert_sumsub_error(await post(http, applicant["id"], "status/testCompleted", verdict), 400)
    assert (await status(http, applicant["id"]))["reviewStatus"] == "init"


@pytest.mark.parametrize("action", ["status/pending", "reset", "status/testCompleted"])
async def test_unknown_applicants_are_404(http: httpx.AsyncClient, action: str) -> None:
    response = await post(http, "-;externalUserId=nobody", action, {"reviewAnswer": "GREEN"})
    assert_sumsub_error(response, 404)


async def approved_applicant(http: httpx.AsyncClient, external_user_id: str = "user-1") -> dict[str, Any]:
    """An applicant whose identity document and selfie SumSub approved (completed, GREEN)."""
    applicant = await create_applicant(http, external_user_id)
    await add_id_doc(http, applicant["id"], {"idDocType": "PASSPORT", "country": "USA"})
    await add_id_doc(http, applicant["id"], {"idDocType": "SELFIE", "country": "USA"})
    await post(http, applicant["id"], "status/pending")
    await post(http, applicant["id"], "status/testCompleted", {"reviewAnswer": "GREEN"})
    return applicant


async def steps_of(http: httpx.AsyncClient, applicant_id: str) -> dict[str, Any]:
    steps: dict[str, Any] = (
        await call(http, "GET", f"/resources/applicants/{applicant_id}/requiredIdDocsStatus")
    ).json()
    return steps


async def test_a_step_reset_opens_that_step_alone_for_a_new_submission(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    applicant = await approved_applicant(http)
    before = await steps_of(http, applicant["id"])
    assert_sumsub_error(await post(http, applicant["id"], "status/pending"), 400)  # approved: closed
    emitted = len(emulator.webhooks.emitted)

    response = await post(http, applicant["id"], "resetStep/IDENTITY")
    assert (response.status_code, response.json()) == (200, {"ok": 1})
    steps = await steps_of(http, applicant["id"])
    assert steps == {"IDENTITY": None, "SELFIE": before["SELFIE"]}  # the selfie keeps its approval
    review = await status(http, applicant["id"])
    assert (review["reviewStatus"], review["attemptCnt"]) == ("init", 1)
    assert "reviewResult" not in review
    # SumSub documents no webhook for a step reset (applicantReset is the whole applicant's).
    assert len(emulator.webhooks.emitted) == emitted

    # The step takes a new document, and the applicant a new review.
    await add_id_doc(http, applicant["id"], {"idDocType": "ID_CARD", "country": "USA"})
    assert (await post(http, applicant["id"], "status/pending")).status_code == 200
    await post(http, applicant["id"], "status/testCompleted", {"reviewAnswer": "GREEN"})
    steps = await steps_of(http, applicant["id"])
    assert (steps["IDENTITY"]["idDocType"], steps["IDENTITY"]["reviewResult"]) == (
        "ID_CARD",
        {"reviewAnswer": "GREEN"},
    )


async def test_a_step_reset_by_external_user_id(http: httpx.AsyncClient) -> None:
    applicant = await approved_applicant(http, "someone/else")
    response = await post(http, "-;externalUserId=someone%2Felse", "resetStep/SELFIE")
    assert response.status_code == 200, response.text
    assert (await steps_of(http, applicant["id"]))["SELFIE"] is None


@pytest.mark.parametrize(
    ("ref", "step", "expected"),
    [
        ("f" * 24, "IDENTITY", 404),  # no such applicant
        ("-;externalUserId=nobody", "IDENTITY", 404),
        (None, "BOGUS", 400),  # no such step
        (None, "COMPANY", 400),  # a step of another level
        (None, "identity", 400),  # step names are SumSub's, exactly
    ],
)
async def test_a_step_reset_of_an_unknown_applicant_or_step_is_refused(
    http: httpx.AsyncClient, ref: str | None, step: str, expected: int
) -> None:
    applicant = await approved_applicant(http)
    response = await post(http, ref or applicant["id"], f"resetStep/{step}")
    assert_sumsub_error(response, expected)
    assert (await status(http, applicant["id"]))["reviewStatus"] == "completed"
    assert (await steps_of(http, applicant["id"]))["IDENTITY"] is not None


async def test_no_step_reset_while_sumsub_reviews_or_holds_the_applicant(
    http: httpx.AsyncClient, emulator: Emulator
) -> None:
    applicant = await create_applicant(http)
    await add_id_doc(http, applicant["id"], {"idDocType": "PASSPORT", "country": "USA"})
    await post(http, applicant["id"], "status/pending")
    assert_sumsub_error(await post(http, applicant["id"], "resetStep/IDENTITY"), 400)
    await call(http, "POST", f"/_sandbox/applicants/{applicant['id']}/onHold")
    assert_sumsub_error(await post(http, applicant["id"], "resetStep/IDENTITY"), 400)
    assert (await status(http, applicant["id"]))["reviewStatus"] == "onHold"
    assert (await steps_of(http, applicant["id"]))["IDENTITY"] is not None


async def test_a_step_reset_is_signed_like_every_call(http: httpx.AsyncClient) -> None:
    applicant = await approved_applicant(http)
    unsigned = await call(
        http, "POST", f"/resources/applicants/{applicant['id']}/resetStep/SELFIE", headers={}
    )
    assert_sumsub_error(unsigned, 401, 4000)
    assert (await steps_of(http, applicant["id"]))["SELFIE"] is not None
