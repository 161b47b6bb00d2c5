"""``POST /sandbox/share-tokens``: mint a SumSub share token for a seeded donor (sandbox only).

It goes through the real signed client to the emulator, as a donor company would call SumSub.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from kycrail.api.common.dependencies import CanWrite
from kycrail.api.common.errors import IDEMPOTENT, KEYED, WITH_BODY
from kycrail.api.common.routes import CheckedRoute
from kycrail.api.common.wire import StrictModel
from kycrail.api.sphere.errors import ERRORS
from kycrail.errors import KycProviderUnavailable
from kycrail.sumsub.errors import SumsubError
from kycrail.sumsub.sandbox import SANDBOX_CLIENT_ID, SandboxSumsubClient

router = APIRouter(prefix="/sandbox", tags=["Sandbox"], route_class=CheckedRoute)


class MintIn(StrictModel):
    applicant: Literal["approved", "partial", "rejected-final", "rejected-retry", "pending"] = Field(
        description="Which seeded SumSub donor applicant the token shares."
    )
    ttlInSecs: Annotated[int, Field(ge=1, le=1200)] = 600


class MintOut(BaseModel):
    shareToken: str
    applicant: str
    ttlInSecs: int


@router.post(
    "/share-tokens",
    summary="Mint a SumSub share token (sandbox only)",
    status_code=201,
    responses=ERRORS.responses(KEYED, WITH_BODY, IDEMPOTENT, KycProviderUnavailable),
)
async def mint_share_token(body: MintIn, caller: CanWrite) -> MintOut:
    sumsub = caller.resources.sumsub
    assert isinstance(sumsub, SandboxSumsubClient)  # the sandbox always wires its own client
    try:
        donor = await sumsub.get_applicant_by_external_id(f"sandbox-{body.applicant}")
        token = await sumsub.mint_share_token(
            donor.id, for_client_id=SANDBOX_CLIENT_ID, ttl_seconds=body.ttlInSecs
        )
    except SumsubError:
        raise KycProviderUnavailable() from None
    return MintOut(shareToken=token, applicant=body.applicant, ttlInSecs=body.ttlInSecs)
