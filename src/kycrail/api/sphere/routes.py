"""``/v2/customer`` routes (SpherePay dialect; ``/v2/document`` is documents.py)."""

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
from kycrail.api.sphere import convert, responses
from kycrail.api.sphere.errors import ERRORS
from kycrail.api.sphere.requests import CreateCustomerIn, UpdateCustomerIn
from kycrail.customers import service
from kycrail.customers.model import CustomerType
from kycrail.customers.verification import ProfileStatus

router = APIRouter(prefix="/v2", tags=["SpherePay v2"], route_class=CheckedRoute)
MAX_PAGE_SIZE = 100
Page = Annotated[int, Query(ge=1, le=1_000_000)]


@router.post(
    "/customer",
    summary="Create a customer",
    status_code=201,
    response_model=responses.SphereCustomerOut,
    responses=ERRORS.responses(
        KEYED,
        WITH_BODY,
        IDEMPOTENT,
        e.TaxIdentificationIncomplete,
        e.TaxDescriptionRequired,
        e.SsnRequired,
        e.DuplicateContact,
    ),
)
async def create_customer(body: CreateCustomerIn, request: Request, caller: CanWrite) -> Response:
    answer = WriteAnswer(request, responses.created)
    await service.create_customer(caller.storage, caller.actor, convert.to_new_customer(body), finish=answer)
    return answer.response


@router.get(
    "/customer/{customer_id}",
    summary="Get a customer by ID",
    response_model=responses.SphereCustomerOut,
    responses={**ERRORS.responses(KEYED, e.NotFound, e.InvalidHeader), **NOT_MODIFIED},
)
async def get_customer(
    customer_id: CustomerId, caller: CanRead, if_none_match: IfNoneMatch = None
) -> Response:
    customer = await service.get_customer(caller.storage, caller.tenant_id, customer_id)
    return not_modified(customer, if_none_match) or responses.respond(customer)


@router.get(
    "/customer",
    summary="List customers",
    response_model=responses.SphereCustomerListOut,
    responses=ERRORS.responses(KEYED, e.ValidationFailed),
)
async def list_customers(
    caller: CanRead,
    page: Page = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 10,
    status: ProfileStatus | None = None,
    type: CustomerType | None = None,
    email: Annotated[Email | None, Query(description="Exactly this email (compared lower-case).")] = None,
) -> JSONResponse:
    result = await service.list_customers(
        caller.storage,
        caller.tenant_id,
        limit=limit,
        offset=(page - 1) * limit,
        status=status.value if status else None,
        customer_type=type,
        email=email,
    )
    return JSONResponse(
        {
            "customers": [responses.customer_out(customer) for customer in result.customers],
            "pagination": responses.pagination(page, limit, result.total),
        }
    )


@router.patch(
    "/customer/{customer_id}",
    summary="Update a customer by ID",
    description="Updates address, personal information and meta of an individual customer. Once a KYC "
    "review has been submitted, name, date of birth and tax identification are locked; contact details "
    "and meta stay editable. Business customers are updated through the KYB link flow.",
    response_model=responses.SphereCustomerOut,
    responses=ERRORS.responses(
        KEYED,
        WITH_BODY,
        IDEMPOTENT,
        e.NotFound,
        e.PreconditionFailed,
        e.InvalidHeader,
        e.KybFlowRequired,
        e.IdentityLocked,
        e.AddressRequired,
        e.TaxIdentificationIncomplete,
        e.TaxDescriptionRequired,
        e.SsnRequired,
    ),
)
async def update_customer(
    customer_id: CustomerId,
    body: UpdateCustomerIn,
    request: Request,
    caller: CanWrite,
    expected_versions: ExpectedVersions,
) -> Response:
    changes = convert.to_changes(body)
    answer = WriteAnswer(request, responses.respond)
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
    "/customer/{customer_id}",
    summary="Delete a customer by ID",
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


@router.get(
    "/customer/{customer_id}/events",
    summary="A customer's audit trail",
    description=EVENTS_DESCRIPTION,
    response_model=responses.SphereEventListOut,
    responses=ERRORS.responses(KEYED, e.NotFound, e.ValidationFailed),
)
async def list_events(
    customer_id: CustomerId,
    caller: CanRead,
    page: Page = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> JSONResponse:
    offset = (page - 1) * limit
    events, total = await events_page(
        caller.resources, caller.tenant_id, customer_id, limit=limit, offset=offset
    )
    return JSONResponse({"events": events, "pagination": responses.pagination(page, limit, total)})


class KycLinkOut(BaseModel):
    url: str = Field(
        description="Opens SumSub's verification (KYC, or KYB for a business); send the person there."
    )
    expiresAt: WireTime


@router.post(
    "/customer/{customer_id}/kyc-link",
    summary="A KYC or KYB verification link",
    description="A fresh link to SumSub's verification for a customer not verified elsewhere: KYC for an "
    "individual, KYB for a business (the flow a business customer's PATCH points to). The first call creates "
    "the customer's SumSub applicant; every call gives a new link to the same applicant. SumSub's verdict "
    "reaches the customer by webhook.",
    response_model=KycLinkOut,
    responses=ERRORS.responses(VERIFICATION_LINK),
)
async def kyc_link(customer_id: CustomerId, caller: CanWrite) -> Response:
    link = await service.verification_link(
        caller.storage, caller.resources.kyc_provider, caller.actor, customer_id
    )
    return JSONResponse(KycLinkOut(url=link.url, expiresAt=link.expires_at).model_dump(mode="json"))
