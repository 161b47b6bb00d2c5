"""Swipelux's v1 answers: the customer (with its one-word status), pages and events.

``customer_out`` builds the body directly (the hot path); the models describe it for the OpenAPI
document, and a test holds the two to one shape.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from kycrail.api.common.endpoints.events import EventOut
from kycrail.api.common.responses import customer_response
from kycrail.api.common.wire import JSONResponse, iso_utc, wire_value
from kycrail.api.swipelux.requests import IDENTITY_FIELDS
from kycrail.api.swipelux.status import SwipeluxStatus, swipelux_status
from kycrail.customers.model import Customer, CustomerType, MetaValue
from kycrail.customers.verification import verification_profile


class ResidentialAddressOut(BaseModel):
    streetLine1: str
    streetLine2: str | None
    city: str
    state: str | None
    postalCode: str | None
    country: str


class RequirementErrorOut(BaseModel):
    name: str
    message: str


class RequirementsOut(BaseModel):
    missing: list[str] = Field(
        description="What the customer still has to supply, as criterion names (v2's profile names them "
        "the same: its required criteria).",
        examples=[["residential_address", "identity_document"]],
    )
    pending: list[str] = Field(
        description="kycrail extension: what is supplied and awaits a review (documents on file, as v2's "
        "pending criteria), and `sanctions_screening` while a sanctions screening hit awaits a reviewer: "
        "the customer cannot be approved until it is resolved.",
        examples=[["identity_document"]],
    )
    errors: list[RequirementErrorOut] = Field(
        description="Criteria a reviewer sent back, with the reviewer's message: supply them again."
    )


class SwipeluxCustomerOut(BaseModel):
    id: str = Field(examples=["customer_f31121c389624d3697cbf3ea8830b7a4"])
    type: CustomerType
    firstName: str | None
    middleName: str | None
    lastName: str | None
    email: str | None
    phone: str | None
    birthDate: str | None
    country: str | None
    residentialAddress: ResidentialAddressOut | None
    legalName: str | None
    website: str | None
    status: SwipeluxStatus
    requirements: RequirementsOut
    metadata: dict[str, MetaValue]
    createdAt: str
    updatedAt: str
    # kycrail's extension: the tax identification as v2 shows it, never the number itself.
    taxIdType: str | None = Field(description="kycrail extension: the tax identification's type.")
    taxIdCountry: str | None = Field(description="kycrail extension: the country that issued it.")
    taxIdDescription: str | None = Field(description="kycrail extension: what it is (type `other`).")


class SwipeluxCustomerListOut(BaseModel):
    data: list[SwipeluxCustomerOut]
    total: int
    limit: int
    offset: int


class SwipeluxEventListOut(BaseModel):
    data: list[EventOut]
    total: int
    limit: int
    offset: int


def _requirements(customer: Customer) -> dict[str, Any]:
    criteria = verification_profile(customer).criteria
    return {
        "missing": list(criteria.required),
        "pending": list(criteria.pending),
        "errors": [{"name": error.name, "message": error.message} for error in criteria.errors],
    }


def customer_out(customer: Customer) -> dict[str, Any]:
    identity = customer.identity
    address = customer.address
    tax = identity.tax  # the number itself is never shown
    return {
        "id": customer.id,
        "type": customer.type.value,
        **{wire: wire_value(getattr(identity, attribute)) for wire, attribute in IDENTITY_FIELDS.items()},
        "email": customer.email,
        "phone": customer.phone,
        "country": address.country if address else identity.residency_country,
        "residentialAddress": (
            {
                "streetLine1": address.line1,
                "streetLine2": address.line2,
                "city": address.city,
                "state": address.state,
                "postalCode": address.postal_code,
                "country": address.country,
            }
            if address and customer.type is CustomerType.individual
            else None
        ),
        "legalName": customer.business.legal_name if customer.business else None,
        "website": customer.business.website if customer.business else None,
        "status": swipelux_status(customer).value,
        "requirements": _requirements(customer),
        "metadata": customer.meta,
        "createdAt": iso_utc(customer.created_at),
        "updatedAt": iso_utc(customer.updated_at),
        "taxIdType": tax.type if tax else None,
        "taxIdCountry": tax.country if tax else None,
        "taxIdDescription": tax.description if tax else None,
    }


def respond(customer: Customer, status_code: int = 200) -> JSONResponse:
    return customer_response(customer_out(customer), customer, status_code)


def created(customer: Customer) -> JSONResponse:
    return respond(customer, 201)


def page(data: list[dict[str, Any]], total: int, limit: int, offset: int) -> dict[str, Any]:
    """Swipelux's page envelope: ``{data, total, limit, offset}``."""
    return {"data": data, "total": total, "limit": limit, "offset": offset}
