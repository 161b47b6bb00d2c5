"""Sphere's v2 answers: the customer (with its verification profile), pages, documents, events.

``customer_out`` builds the body directly (the hot path); the models describe it for the OpenAPI
document, and a test holds the two to one shape.
"""

from __future__ import annotations

import math
from typing import Any, Literal

from pydantic import BaseModel, Field

from kycrail.api.common.endpoints.events import EventOut
from kycrail.api.common.responses import customer_response
from kycrail.api.common.wire import JSONResponse, iso_utc, wire_value
from kycrail.api.sphere.requests import PERSONAL_FIELDS
from kycrail.customers.model import Address, Customer, CustomerType, DocumentType, MetaValue
from kycrail.customers.verification import ProfileStatus, verification_profile
from kycrail.documents.repository import StoredDocument


class CriterionErrorOut(BaseModel):
    name: str
    message: str


class CriteriaOut(BaseModel):
    complete: list[str]
    pending: list[str]
    required: list[str]
    errors: list[CriterionErrorOut]


class VerificationProfileOut(BaseModel):
    name: Literal["kyc_profile_a", "kyb_profile_a"]
    status: ProfileStatus
    criteria: CriteriaOut


class AddressOut(BaseModel):
    line1: str
    line2: str | None
    city: str
    state: str | None
    postalCode: str | None
    country: str


class BusinessAddressOut(AddressOut):
    type: Literal["registered", "operating"]


class PersonalInformationOut(BaseModel):
    """What the API shows of an identity: everything but the tax identification number itself."""

    firstName: str | None
    middleName: str | None
    lastName: str | None
    dateOfBirth: str | None
    gender: str | None
    nationality: str | None
    countryOfBirth: str | None
    residencyCountry: str | None
    occupationSocCode: str | None
    sourceOfFunds: str | None
    taxIdentificationNumberType: str | None
    taxIdentificationNumberCountry: str | None
    taxIdentificationNumberDescription: str | None


class BusinessInformationOut(BaseModel):
    legalName: str
    tradeName: str | None
    registrationNumber: str | None
    incorporationCountry: str | None
    entityType: str | None
    website: str | None


class SphereCustomerOut(BaseModel):
    """The customer as Sphere shows it. Individuals carry address, dateOfBirth and
    personalInformation; businesses carry businessInformation and addresses."""

    id: str = Field(examples=["customer_f31121c389624d3697cbf3ea8830b7a4"])
    type: CustomerType
    email: str | None
    phone: str | None
    firstName: str | None = None
    lastName: str | None = None
    verificationProfiles: list[VerificationProfileOut]
    meta: dict[str, MetaValue]
    createdAt: str
    updatedAt: str
    address: AddressOut | None = None
    dateOfBirth: str | None = None
    personalInformation: PersonalInformationOut | None = None
    businessInformation: BusinessInformationOut | None = None
    addresses: list[BusinessAddressOut] | None = None


class PaginationOut(BaseModel):
    page: int
    limit: int
    total: int
    totalPages: int
    hasNext: bool
    hasPrevious: bool


class SphereCustomerListOut(BaseModel):
    customers: list[SphereCustomerOut]
    pagination: PaginationOut


class SphereEventListOut(BaseModel):
    events: list[EventOut]
    pagination: PaginationOut


class DocumentOut(BaseModel):
    id: str
    target: Literal["customer"]
    targetId: str
    documentType: DocumentType
    country: str | None
    contentType: str
    size: int
    status: Literal["pending", "accepted", "rejected"] = Field(
        description="Where its review stands: awaiting it, accepted, or asked for again."
    )
    source: Literal["upload", "sumsub"] = Field(
        description="How kycrail came to hold the file: uploaded through this API, or fetched from the "
        "KYC provider once it reviewed the customer (a page of the document it verified, whose status "
        "it takes)."
    )
    createdAt: str


class SphereDocumentListOut(BaseModel):
    documents: list[DocumentOut]
    pagination: PaginationOut


def _address_out(address: Address | None) -> dict[str, Any] | None:
    if address is None:
        return None
    return {
        "line1": address.line1,
        "line2": address.line2,
        "city": address.city,
        "state": address.state,
        "postalCode": address.postal_code,
        "country": address.country,
    }


def _profile_out(customer: Customer) -> dict[str, Any]:
    profile = verification_profile(customer)
    criteria = profile.criteria
    return {
        "name": profile.name,
        "status": profile.status.value,
        "criteria": {
            "complete": list(criteria.complete),
            "pending": list(criteria.pending),
            "required": list(criteria.required),
            "errors": [{"name": error.name, "message": error.message} for error in criteria.errors],
        },
    }


def customer_out(customer: Customer) -> dict[str, Any]:
    """The response body, built directly (the hot path); ``SphereCustomerOut`` documents its shape."""
    identity = customer.identity
    body: dict[str, Any] = {
        "id": customer.id,
        "type": customer.type.value,
        "email": customer.email,
        "phone": customer.phone,
    }
    dob = identity.date_of_birth.isoformat() if identity.date_of_birth else None
    if customer.type is CustomerType.individual:
        body["firstName"] = identity.first_name
        body["lastName"] = identity.last_name
    body["verificationProfiles"] = [_profile_out(customer)]
    body["meta"] = customer.meta
    body["createdAt"] = iso_utc(customer.created_at)
    body["updatedAt"] = iso_utc(customer.updated_at)
    if customer.type is CustomerType.individual:
        tax = identity.tax
        body["address"] = _address_out(customer.address)
        body["dateOfBirth"] = dob
        body["personalInformation"] = {
            **{wire: wire_value(getattr(identity, attribute)) for wire, attribute in PERSONAL_FIELDS.items()},
            # The number itself is never echoed.
            "taxIdentificationNumberType": tax.type if tax else None,
            "taxIdentificationNumberCountry": tax.country if tax else None,
            "taxIdentificationNumberDescription": tax.description if tax else None,
        }
    else:
        business = customer.business
        body["businessInformation"] = (
            {
                "legalName": business.legal_name,
                "tradeName": business.trade_name,
                "registrationNumber": business.registration_number,
                "incorporationCountry": business.incorporation_country,
                "entityType": business.entity_type,
                "website": business.website,
            }
            if business
            else None
        )
        addresses = [("registered", customer.address), ("operating", customer.operating_address)]
        body["addresses"] = [
            {"type": kind, **(_address_out(address) or {})} for kind, address in addresses if address
        ]
    return body


def respond(customer: Customer, status_code: int = 200) -> JSONResponse:
    return customer_response(customer_out(customer), customer, status_code)


def created(customer: Customer) -> JSONResponse:
    return respond(customer, 201)


def pagination(page: int, limit: int, total: int) -> dict[str, Any]:
    """Sphere's page envelope: ``{page, limit, total, totalPages, hasNext, hasPrevious}``."""
    total_pages = math.ceil(total / limit)
    return {
        "page": page,
        "limit": limit,
        "total": total,
        "totalPages": total_pages,
        "hasNext": page < total_pages,
        "hasPrevious": page > 1,
    }


def document_out(stored: StoredDocument, status: str = "pending") -> dict[str, Any]:
    return {
        "id": stored.id,
        "target": "customer",
        "targetId": stored.customer_id,
        "documentType": stored.document_type,
        "country": stored.country,
        "contentType": stored.content_type,
        "size": stored.size_bytes,
        "status": status,
        "source": stored.source,
        "createdAt": iso_utc(stored.created_at),
    }


def document_created(stored: StoredDocument) -> JSONResponse:
    return JSONResponse(document_out(stored), status_code=201)
