"""``/v1/customers`` routes (Swipelux dialect)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from kycrail import errors as e
from kycrail.api.common.answers import DELETED_DESCRIPTION, WriteAnswer, deleted
from kycrail.api.common.concurrency import NOT_MODIFIED, not_modified
from kycrail.api.common.dependencies import (
    CanRead,
    CanWrite,
    CustomerId,
    ExpectedVersions,
    IfNoneMatch,
)
from kycrail.api.common.endpoints.events import EVENTS_DESCRIPTION, events_page
from kycrail.api.common.errors import IDEMPOTENT, KEYED, VERIFICATION_LINK, WITH_BODY
from kycrail.api.common.fields import Email
from kycrail.api.common.routes import CheckedRoute
from kycrail.api.common.wire import JSONResponse, WireTime
from kycrail.api.swipelux import convert, responses
from kycrail.api.swipelux.errors import ERRORS
from kycrail.api.swipelux.requests import CustomerCreateIn, CustomerUpdateIn, ImportIn
from kycrail.api.swipelux.status import STAGE_OF, SwipeluxStatus
from kycrail.customers import service
from kycrail.customers.model import CustomerType

router = APIRouter(prefix="/v1", tags=["Swipelux v1"], route_class=CheckedRoute)
MAX_PAGE_SIZE = 100
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
# What a share token beside a write can answer.
SHARE_TOKEN = (
    e.InvalidShareToken,
    e.RejectedShareToken,
    e.KycProviderUnavailable,
    e.KycProviderMisconfigured,
    e.IdentityMismatch,
)
# What the tax identification (kycrail's extension of the body) can answer.
TAX = (e.TaxIdentificationIncomplete, e.TaxDescriptionRequired, e.SsnRequired)
# What an import into an existing customer can answer (PUT with a token, and the import route).
IMPORT = (
    KEYED,
    WITH_BODY,
    IDEMPOTENT,
    SHARE_TOKEN,
    e.NotFound,
    e.PreconditionFailed,
    e.InvalidHeader,
    e.KybFlowRequired,
    e.CustomerRejected,
    e.DuplicateContact,
)


@router.post(
    "/customers",
    summary="Create a customer",
    description="The body may be `{}`. With a `shareToken`, the customer's completed SumSub KYC is imported "
    "in the same call and the response already shows the imported status. `taxId`, `taxIdType`, "
    "`taxIdCountry` and `taxIdDescription` are kycrail's extension (Swipelux has no tax identification): "
    "number, type and country together, as v2's `personalInformation` takes them.",
    status_code=201,
    response_model=responses.SwipeluxCustomerOut,
    responses=ERRORS.responses(KEYED, WITH_BODY, IDEMPOTENT, SHARE_TOKEN, TAX, e.DuplicateContact),
)
async def create_customer(body: CustomerCreateIn, request: Request, caller: CanWrite) -> Response:
    new = convert.to_new_customer(body)
    answer = WriteAnswer(request, responses.created)
    if body.shareToken is not None:
        await service.create_customer_with_share_token(
            caller.storage,
            caller.resources.kyc_provider,
            caller.actor,
            new,
            body.shareToken,
            finish=answer,
        )
    else:
        await service.create_customer(caller.storage, caller.actor, new, finish=answer)
    return answer.response


@router.get(
    "/customers",
    summary="List customers",
    response_model=responses.SwipeluxCustomerListOut,
    responses=ERRORS.responses(KEYED, e.ValidationFailed),
)
async def list_customers(
    caller: CanRead,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
    offset: Offset = 0,
    email: Email | None = None,
    type: CustomerType | None = None,  # Swipelux's parameter name
    status: SwipeluxStatus | None = None,
) -> JSONResponse:
    page = await service.list_customers(
        caller.storage,
        caller.tenant_id,
        limit=limit,
        offset=offset,
        email=email,
        customer_type=type,
        stage=STAGE_OF[status] if status is not None else None,
    )
    customers = [responses.customer_out(customer) for customer in page.customers]
    return JSONResponse(responses.page(customers, page.total, limit, offset))


@router.get(
    "/customers/{customer_id}",
    summary="Get a customer",
    response_model=responses.SwipeluxCustomerOut,
    responses={**ERRORS.responses(KEYED, e.NotFound, e.InvalidHeader), **NOT_MODIFIED},
)
async def get_customer(
    customer_id: CustomerId, caller: CanRead, if_none_match: IfNoneMatch = None
) -> Response:
    customer = await service.get_customer(caller.storage, caller.tenant_id, customer_id)
    return not_modified(customer, if_none_match) or responses.respond(customer)


@router.put(
    "/customers/{customer_id}",
    summary="Update customer information",
    description="Fields absent stay as they are. With a `shareToken`, the customer's completed SumSub KYC is "
    "fetched and imported in the same call, together with the other fields; share tokens live minutes, so "
    "send a fresh one whenever it has expired. The tax identification (`taxId`, `taxIdType`, "
    "`taxIdCountry`, `taxIdDescription`: kycrail's extension) locks once the review is submitted.",
    response_model=responses.SwipeluxCustomerOut,
    responses=ERRORS.responses(IMPORT, TAX, e.TypeImmutable, e.IdentityLocked),
)
async def update_customer(
    customer_id: CustomerId,
    body: CustomerUpdateIn,
    request: Request,
    caller: CanWrite,
    expected_versions: ExpectedVersions,
) -> Response:
    changes = convert.to_changes(body)
    answer = WriteAnswer(request, responses.respond)
    if body.shareToken is not None:
        await service.import_share_token(
            caller.storage,
            caller.resources.kyc_provider,
            caller.actor,
            customer_id,
            body.shareToken,
            changes,
            expected_versions=expected_versions,
            finish=answer,
        )
    else:
        await service.update_customer(
            caller.storage,
            caller.actor,
            customer_id,
            changes,
            expected_versions=expected_versions,
            finish=answer,
        )
    return answer.response


@router.delete(
    "/customers/{customer_id}",
    summary="Delete a customer",
    description=DELETED_DESCRIPTION,
    status_code=204,
    response_class=Response,
    responses=ERRORS.responses(KEYED, IDEMPOTENT, e.NotFound, e.PreconditionFailed, e.InvalidHeader),
)
async def delete_customer(
    customer_id: CustomerId,
    request: Request,
    caller: CanWrite,
    expected_versions: ExpectedVersions,
) -> Response:
    return await deleted(request, caller.storage, caller.actor, customer_id, expected_versions)


@router.post(
    "/customers/{customer_id}/kyc/import",
    summary="Import KYC through a SumSub share token",
    response_model=responses.SwipeluxCustomerOut,
    responses=ERRORS.responses(IMPORT),
)
async def import_kyc(
    customer_id: CustomerId,
    body: ImportIn,
    request: Request,
    caller: CanWrite,
    expected_versions: ExpectedVersions,
) -> Response:
    answer = WriteAnswer(request, responses.respond)
    await service.import_share_token(
        caller.storage,
        caller.resources.kyc_provider,
        caller.actor,
        customer_id,
        body.shareToken,
        expected_versions=expected_versions,
        finish=answer,
    )
    return answer.response


class VerificationLinkOut(BaseModel):
    verificationUrl: str = Field(
        description="Opens SumSub's verification for the customer; send the person there."
    )
    expiresAt: WireTime


@router.post(
    "/customers/{customer_id}/kyc",
    summary="Start KYC: a verification link",
    description="A fresh link to SumSub's verification for a customer not verified elsewhere (a person, or a "
    "business at the KYB level). The first call creates the customer's SumSub applicant; every call gives a "
    "new link to the same applicant. SumSub's verdict reaches the customer by webhook.",
    response_model=VerificationLinkOut,
    responses=ERRORS.responses(VERIFICATION_LINK),
)
async def start_kyc(customer_id: CustomerId, caller: CanWrite) -> Response:
    link = await service.verification_link(
        caller.storage, caller.resources.kyc_provider, caller.actor, customer_id
    )
    answer = VerificationLinkOut(verificationUrl=link.url, expiresAt=link.expires_at)
    return JSONResponse(answer.model_dump(mode="json"))


@router.get(
    "/customers/{customer_id}/events",
    summary="A customer's audit trail",
    description=EVENTS_DESCRIPTION,
    response_model=responses.SwipeluxEventListOut,
    responses=ERRORS.responses(KEYED, e.NotFound, e.ValidationFailed),
)
async def list_events(
    customer_id: CustomerId,
    caller: CanRead,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
    offset: Offset = 0,
) -> JSONResponse:
    events, total = await events_page(
        caller.resources, caller.tenant_id, customer_id, limit=limit, offset=offset
    )
    return JSONResponse(responses.page(events, total, limit, offset))
