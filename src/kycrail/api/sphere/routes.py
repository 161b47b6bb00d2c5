"""``/v2/customer`` and ``/v2/document`` routes (SpherePay dialect)."""

from __future__ import annotations

import math
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Query, Request, Response, UploadFile
from pydantic import BaseModel

from kycrail.api.common.answers import WriteAnswer
from kycrail.api.common.auth import CurrentActor, CurrentPrincipal
from kycrail.api.common.concurrency import ExpectedVersion, etag
from kycrail.api.common.events import EVENTS_DESCRIPTION, EventOut, event_out
from kycrail.api.common.fields import FormText
from kycrail.api.common.ids import CustomerId, checked_customer_id
from kycrail.api.common.resources import Resources, get_resources
from kycrail.api.common.wire import JSONResponse, iso_utc
from kycrail.api.sphere import schemas
from kycrail.api.sphere.errors import ERROR_RESPONSES
from kycrail.customers import rules, service
from kycrail.customers.model import Customer, CustomerType, DocumentType
from kycrail.customers.service import Upload
from kycrail.customers.verification import ProfileStatus
from kycrail.documents.content import MAX_DOCUMENT_BYTES
from kycrail.documents.repository import StoredDocument
from kycrail.errors import FieldError, PayloadTooLarge, ValidationFailed

router = APIRouter(prefix="/v2", tags=["SpherePay v2"], responses=ERROR_RESPONSES)
MAX_PAGE_SIZE = 100

Resolved = Annotated[Resources, Depends(get_resources)]


class EventListOut(BaseModel):
    events: list[EventOut]
    pagination: schemas.PaginationOut


def _customer_response(customer: Customer, status_code: int = 200) -> JSONResponse:
    return JSONResponse(
        schemas.customer_out(customer), status_code=status_code, headers={"ETag": etag(customer)}
    )


def _created(customer: Customer) -> JSONResponse:
    return _customer_response(customer, 201)


@router.post(
    "/customer",
    summary="Create a customer",
    status_code=201,
    response_model=schemas.CustomerOut,
    responses={201: {"model": schemas.CustomerOut}},
)
async def create_customer(
    body: schemas.CreateCustomerIn, request: Request, actor: CurrentActor, resources: Resolved
) -> Response:
    answer = WriteAnswer(request, _created)
    await service.create_customer(resources.engine, actor, schemas.to_new_customer(body), finish=answer)
    return answer.response


@router.get("/customer/{customer_id}", summary="Get a customer by ID", response_model=schemas.CustomerOut)
async def get_customer(
    customer_id: CustomerId, principal: CurrentPrincipal, resources: Resolved
) -> JSONResponse:
    return _customer_response(await service.get_customer(resources.engine, principal.tenant_id, customer_id))


@router.get("/customer", summary="List customers", response_model=schemas.CustomerListOut)
async def list_customers(
    principal: CurrentPrincipal,
    resources: Resolved,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 10,
    status: ProfileStatus | None = None,
    type: CustomerType | None = None,
) -> JSONResponse:
    result = await service.list_customers(
        resources.engine,
        principal.tenant_id,
        limit=limit,
        offset=(page - 1) * limit,
        status=status.value if status else None,
        customer_type=type,
    )
    return JSONResponse(
        {
            "customers": [schemas.customer_out(customer) for customer in result.customers],
            "pagination": _pagination(page, limit, result.total),
        }
    )


def _pagination(page: int, limit: int, total: int) -> dict[str, Any]:
    total_pages = math.ceil(total / limit)
    return {
        "page": page,
        "limit": limit,
        "total": total,
        "totalPages": total_pages,
        "hasNext": page < total_pages,
        "hasPrevious": page > 1,
    }


@router.patch(
    "/customer/{customer_id}",
    summary="Update a customer by ID",
    description="Updates address, personal information and meta of an individual customer. Once a KYC "
    "review has been submitted, name, date of birth and tax identification are locked; contact details "
    "and meta stay editable. Business customers are updated through the KYB link flow.",
    response_model=schemas.CustomerOut,
)
async def update_customer(
    customer_id: CustomerId,
    body: schemas.UpdateCustomerIn,
    request: Request,
    actor: CurrentActor,
    resources: Resolved,
    expected_version: ExpectedVersion,
) -> Response:
    changes = schemas.to_changes(body)
    answer = WriteAnswer(request, _customer_response)
    await service.update_customer(
        resources.engine, actor, customer_id, changes, expected_version=expected_version, finish=answer
    )
    return answer.response


@router.get(
    "/customer/{customer_id}/events",
    summary="A customer's audit trail",
    description=EVENTS_DESCRIPTION,
    response_model=EventListOut,
)
async def list_events(
    customer_id: CustomerId,
    principal: CurrentPrincipal,
    resources: Resolved,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 20,
) -> JSONResponse:
    result = await service.list_events(
        resources.engine, principal.tenant_id, customer_id, limit=limit, offset=(page - 1) * limit
    )
    return JSONResponse(
        {
            "events": [event_out(event) for event in result.events],
            "pagination": _pagination(page, limit, result.total),
        }
    )


class DocumentOut(BaseModel):
    id: str
    target: Literal["customer"]
    targetId: str
    documentType: DocumentType
    country: str | None
    contentType: str
    size: int
    status: Literal["pending"]
    createdAt: str


@router.post(
    "/document",
    summary="Upload a customer document",
    status_code=201,
    response_model=DocumentOut,
)
async def upload_document(
    request: Request,
    actor: CurrentActor,
    resources: Resolved,
    target: Annotated[Literal["customer"], Form()],
    targetId: Annotated[FormText, Form()],
    documentType: Annotated[DocumentType, Form()],
    file: Annotated[UploadFile, File(description="JPEG, PNG or PDF, at most 10 MB")],
    country: Annotated[FormText | None, Form()] = None,
) -> Response:
    customer_id = await checked_customer_id(targetId)
    if country is not None:
        try:
            country = rules.country_alpha3(country)
        except ValueError as exc:
            raise ValidationFailed(errors=(FieldError("/country", str(exc)),)) from None
    content = await file.read(MAX_DOCUMENT_BYTES + 1)
    if len(content) > MAX_DOCUMENT_BYTES:
        raise PayloadTooLarge(f"Documents are at most {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB.")
    upload = Upload(document_type=documentType, country=country, content=content)
    answer = WriteAnswer(request, _document_response)
    await service.add_document(resources.engine, actor, customer_id, upload, finish=answer)
    return answer.response


def _document_response(stored: StoredDocument) -> JSONResponse:
    return JSONResponse(
        {
            "id": stored.id,
            "target": "customer",
            "targetId": stored.customer_id,
            "documentType": stored.document_type,
            "country": stored.country,
            "contentType": stored.content_type,
            "size": stored.size_bytes,
            "status": "pending",
            "createdAt": iso_utc(stored.created_at),
        },
        status_code=201,
    )
