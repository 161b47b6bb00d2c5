"""``POST /ops/customers/{id}/review``: a reviewer's decision on a submitted customer, or the
reopening of a final rejection."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Request, Response
from pydantic import Field

from kycrail import errors as e
from kycrail.api.common.answers import WriteAnswer
from kycrail.api.common.auth import request_id
from kycrail.api.common.dependencies import CustomerId, Resolved, Reviewer
from kycrail.api.common.errors import IDEMPOTENT, KEYED, WITH_BODY
from kycrail.api.common.wire import StrictModel
from kycrail.api.sphere import responses
from kycrail.api.sphere.errors import ERRORS
from kycrail.customers import service
from kycrail.customers.audit import Actor
from kycrail.customers.model import ReviewDecision, ReviewReason
from kycrail.customers.service import ReviewRequest

router = APIRouter(prefix="/ops", tags=["Back office"])


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
        e.Forbidden,
        e.NotFound,
        e.ReviewNotPending,
        e.NotRejected,
        e.ReasonsRequired,
    ),
)
async def review_customer(
    customer_id: CustomerId,
    body: ReviewIn,
    request: Request,
    principal: Reviewer,
    resources: Resolved,
) -> Response:
    actor = Actor(principal.tenant_id, principal.key_prefix, principal.role.value, request_id(request))
    decision = ReviewRequest(
        decision=ReviewDecision.reopened if body.decision == "reopen" else ReviewDecision(body.decision),
        final=body.final,
        reasons=tuple(ReviewReason(criterion=r.criterion, message=r.message) for r in body.reasons),
    )
    answer = WriteAnswer(request, responses.respond)
    await service.review_customer(resources.engine, actor, customer_id, decision, finish=answer)
    return answer.response
