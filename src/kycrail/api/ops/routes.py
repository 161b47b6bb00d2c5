"""The back office: ``POST /ops/customers/{id}/review`` (a reviewer's decision on a submitted customer,
or the reopening of a final rejection) and ``POST /ops/customers/{id}/erase`` (a data subject's
erasure request, carried out at once)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Request, Response
from pydantic import Field

from kycrail import errors as e
from kycrail.api.common.answers import WriteAnswer
from kycrail.api.common.dependencies import CanErase, CanReview, CustomerId
from kycrail.api.common.errors import IDEMPOTENT, KEYED, WITH_BODY
from kycrail.api.common.routes import CheckedRoute
from kycrail.api.common.wire import StrictModel
from kycrail.api.sphere import responses
from kycrail.api.sphere.errors import ERRORS
from kycrail.customers import service
from kycrail.customers.model import Customer, ReviewDecision, ReviewReason
from kycrail.customers.service import ReviewRequest

router = APIRouter(prefix="/ops", tags=["Back office"], route_class=CheckedRoute)


class ReasonIn(StrictModel):
    free_text_fields = frozenset({"message"})  # a reviewer's words: tab and line breaks allowed

    criterion: Annotated[str, Field(min_length=1, max_length=64, examples=["identity_document"])]
    message: Annotated[str, Field(min_length=1, max_length=500, examples=["ID DOCS IS BLURRY"])]


class ReviewIn(StrictModel):
    decision: Literal["approved", "rejected", "reopen"] = Field(
        description="`approved` or `rejected` decide a pending review; `reopen` takes back a final "
        "rejection: the verification runs again (the named criteria, if any, must be supplied again; "
        "without reasons the customer goes straight back to review)."
    )
    reasons: Annotated[list[ReasonIn], Field(default_factory=list, max_length=20)]
    final: bool = Field(
        default=False,
        description="For a rejection: true ends the verification (only a reviewer's `reopen` takes it "
        "back); false sends the named criteria back to be supplied again.",
    )


@router.post(
    "/customers/{customer_id}/review",
    summary="Record a KYC review decision, or reopen a final rejection (reviewer keys only)",
    response_model=responses.SphereCustomerOut,
    responses=ERRORS.responses(
        KEYED,
        WITH_BODY,
        IDEMPOTENT,
        e.NotFound,
        e.ReviewNotPending,
        e.NotRejected,
        e.ReasonsRequired,
        e.SanctionsHitOpen,
    ),
)
async def review_customer(
    customer_id: CustomerId,
    body: ReviewIn,
    request: Request,
    caller: CanReview,
) -> Response:
    decision = ReviewRequest(
        decision=ReviewDecision.reopened if body.decision == "reopen" else ReviewDecision(body.decision),
        final=body.final,
        reasons=tuple(ReviewReason(criterion=r.criterion, message=r.message) for r in body.reasons),
    )
    answer = WriteAnswer(request, responses.respond)
    await service.review_customer(caller.storage, caller.actor, customer_id, decision, finish=answer)
    return answer.response


@router.post(
    "/customers/{customer_id}/erase",
    summary="Erase a customer now: a data subject's request (admin keys only)",
    description="Crypto-shredding: the customer's data key is destroyed, so its personal data can no "
    "longer be read anywhere it was copied (dead rows, write-ahead log, backups) once the KEKs of that "
    "time are retired; its documents are deleted. Live or already deleted customers alike. What remains: "
    "id, type, timestamps, verification status and the audit trail, which holds no personal data. Erasing "
    "an erased customer again answers 204 and changes nothing.",
    status_code=204,
    response_class=Response,
    responses=ERRORS.responses(KEYED, IDEMPOTENT, e.NotFound),
)
async def erase_customer(
    customer_id: CustomerId,
    request: Request,
    caller: CanErase,
) -> Response:
    answer: WriteAnswer[Customer] = WriteAnswer(request, lambda _: Response(status_code=204), personal=False)
    if not await service.erase_customer(caller.storage, caller.actor, customer_id, finish=answer):
        return Response(status_code=204)  # erased already: a retried request is answered the same
    return answer.response
