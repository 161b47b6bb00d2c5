"""The back office's sanctions screening: ``GET /ops/customers/{id}/screening`` (a customer's hits, each
explained) and ``POST /ops/customers/{id}/screening/{hitId}`` (a reviewer resolves one). Reviewer keys
only: a hit names a person beside a list entry."""

from __future__ import annotations

import builtins
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from kycrail import errors as e
from kycrail.api.common.answers import WriteAnswer
from kycrail.api.common.dependencies import CanReview, CustomerId, HitId
from kycrail.api.common.errors import IDEMPOTENT, KEYED, WITH_BODY
from kycrail.api.common.routes import CheckedRoute
from kycrail.api.common.wire import JSONResponse, StrictModel, WireTime
from kycrail.api.sphere.errors import ERRORS
from kycrail.customers.verification import verification_profile
from kycrail.screening import hits
from kycrail.screening.hits import HitView, Resolution

router = APIRouter(prefix="/ops", tags=["Back office"], route_class=CheckedRoute)


class TokenOut(BaseModel):
    customer: str | None = Field(
        description="The customer's name token (None: the listed name's was unpaired)."
    )
    listed: str | None
    similarity: float
    how: Literal["same", "spelling", "transliteration", "consonants", "typo", "initial", "unmatched"]


class AdjustmentOut(BaseModel):
    factor: Literal["birth_date", "country", "party_type", "weak_aka"]
    delta: float
    reason: str


class HitOut(BaseModel):
    id: str = Field(examples=["hit_5f0c6a1e9b2d4c7f8a3e1d2c4b5a6978"])
    list: str = Field(description="The sanctions list: ofac_sdn, ofac_consolidated, un, eu or uk.")
    entryId: str = Field(description="The entry's id on its list.")
    listedName: str = Field(description="The list's own name that matched.")
    nameKind: str = Field(description="primary, aka, weak_aka or fka.")
    score: float = Field(description="The name's score with the adjustments, 0 to 1.")
    nameScore: float
    tokens: builtins.list[TokenOut] = Field(
        description="Token by token: the customer's name against the listed one."
    )
    adjustments: builtins.list[AdjustmentOut] = Field(
        description="What date of birth, country and party type did."
    )
    status: Literal["open", "false_positive", "true_match"]
    reason: str | None = Field(description="The reviewer's reason, once resolved.")
    resolvedBy: str | None
    resolvedAt: WireTime | None
    createdAt: WireTime


class ScreeningOut(BaseModel):
    customerId: str
    verificationStatus: str
    openHits: int
    hits: list[HitOut]


class ResolutionIn(StrictModel):
    free_text_fields = frozenset({"reason"})  # a reviewer's words: tab and line breaks allowed

    resolution: Literal["false_positive", "true_match"] = Field(
        description="`false_positive`: not this person; the entry, as it stands, raises no hit on this "
        "customer again (a changed entry does). `true_match`: the customer is on the list: a final "
        "rejection, which only a reviewer's `reopen` takes back."
    )
    reason: Annotated[
        str, Field(min_length=1, max_length=500, examples=["Different date of birth and nationality."])
    ]


def _hit_out(view: HitView) -> dict[str, Any]:
    explanation = view.explanation
    return {
        "id": view.id,
        "list": view.source,
        "entryId": view.source_id,
        "listedName": view.listed_name,
        "nameKind": explanation.get("nameKind", ""),
        "score": view.score,
        "nameScore": explanation.get("nameScore", view.score),
        "tokens": explanation.get("tokens", []),
        "adjustments": explanation.get("adjustments", []),
        "status": view.status.value,
        "reason": view.reason,
        "resolvedBy": view.resolved_by,
        "resolvedAt": view.resolved_at,
        "createdAt": view.created_at,
    }


@router.get(
    "/customers/{customer_id}/screening",
    summary="A customer's sanctions screening hits, each explained (reviewer keys only)",
    response_model=ScreeningOut,
    responses=ERRORS.responses(KEYED, e.NotFound),
)
async def get_screening(customer_id: CustomerId, caller: CanReview) -> Response:
    customer, views = await hits.of_customer(caller.storage, caller.tenant_id, customer_id)
    body = {
        "customerId": customer.id,
        "verificationStatus": verification_profile(customer).status.value,
        "openHits": len(customer.open_hits),
        "hits": [_hit_out(view) for view in views],
    }
    return JSONResponse(ScreeningOut.model_validate(body).model_dump(mode="json"))


@router.post(
    "/customers/{customer_id}/screening/{hit_id}",
    summary="Resolve a sanctions screening hit: a false positive, or a true match (reviewer keys only)",
    response_model=HitOut,
    responses=ERRORS.responses(
        KEYED, WITH_BODY, IDEMPOTENT, e.NotFound, e.HitAlreadyResolved, e.CustomerRejected
    ),
)
async def resolve_hit(
    customer_id: CustomerId, hit_id: HitId, body: ResolutionIn, request: Request, caller: CanReview
) -> Response:
    def render(view: HitView) -> Response:
        return JSONResponse(HitOut.model_validate(_hit_out(view)).model_dump(mode="json"))

    answer: WriteAnswer[HitView] = WriteAnswer(request, render)
    await hits.resolve(
        caller.storage,
        caller.actor,
        customer_id,
        hit_id,
        Resolution(body.resolution),
        body.reason,
        finish=answer,
    )
    return answer.response
