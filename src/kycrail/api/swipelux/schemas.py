"""Swipelux's v1 wire format: request models, their conversion to the domain, and the response shape."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from kycrail.api.common.fields import (
    Alpha3,
    BusinessName,
    DateOfBirth,
    Email,
    Meta,
    PersonName,
    Phone,
    checked_meta,
    text,
    us_address_parts,
)
from kycrail.api.common.wire import Problems, StrictModel, explicit_nulls, iso_utc
from kycrail.api.swipelux.status import SwipeluxStatus, swipelux_status
from kycrail.customers.domain import UNSET, CustomerChanges, NewCustomer
from kycrail.customers.model import Address, BusinessInformation, Customer, CustomerType, Identity, MetaValue

ShareToken = Annotated[
    str,
    StringConstraints(min_length=1, max_length=1024),
    Field(description="A SumSub share token: its completed KYC is imported in the same call."),
]

# Domain field -> pointer in a Swipelux body, for errors.
POINTERS = {
    "first_name": "/firstName",
    "middle_name": "/middleName",
    "last_name": "/lastName",
    "date_of_birth": "/birthDate",
    "email": "/email",
    "phone": "/phone",
    "address": "/residentialAddress",
    "tax": "/shareToken",
    "tax_type": "/shareToken",
}


class ResidentialAddressIn(StrictModel):
    streetLine1: Annotated[str, text(200)]
    streetLine2: Annotated[str, text(200)] | None = None
    city: Annotated[str, text(100)]
    state: Annotated[str, text(50)] | None = None
    postalCode: Annotated[str, text(20)] | None = None
    country: Alpha3


class CustomerIn(StrictModel):
    """``POST /v1/customers`` (``{}`` is a valid body) and ``PUT /v1/customers/{id}`` (absent fields stay)."""

    type: Literal["individual", "business"] | None = None
    firstName: PersonName | None = None
    middleName: PersonName | None = None
    lastName: PersonName | None = None
    email: Annotated[Email, StringConstraints(max_length=254)] | None = None
    phone: Annotated[Phone, StringConstraints(max_length=32)] | None = None
    birthDate: DateOfBirth | None = None
    residentialAddress: ResidentialAddressIn | None = None
    metadata: Meta | None = None
    shareToken: ShareToken | None = None
    legalName: BusinessName | None = None
    website: Annotated[str, text(200)] | None = None


class ImportIn(StrictModel):
    shareToken: ShareToken


_IDENTITY = {
    "firstName": "first_name",
    "middleName": "middle_name",
    "lastName": "last_name",
    "birthDate": "date_of_birth",
}


def _address(model: ResidentialAddressIn, problems: Problems) -> Address:
    pointer = "/residentialAddress"
    state, postal_code = us_address_parts(
        model.country,
        model.state,
        model.postalCode,
        problems,
        state_at=f"{pointer}/state",
        postal_code_at=f"{pointer}/postalCode",
    )
    return Address(
        line1=model.streetLine1,
        line2=model.streetLine2,
        city=model.city,
        state=state,
        postal_code=postal_code,
        country=model.country,
    )


def to_changes(body: CustomerIn) -> CustomerChanges:
    """A PUT body as domain changes (the share token travels separately)."""
    problems = Problems()
    problems.extend(explicit_nulls(body))
    for name in ("legalName", "website"):
        if getattr(body, name) is not None:
            problems.add(f"/{name}", "Business details are managed through the KYB flow")
    sent = body.model_fields_set
    identity = {attribute: getattr(body, wire) for wire, attribute in _IDENTITY.items() if wire in sent}
    address = _address(body.residentialAddress, problems) if body.residentialAddress else UNSET
    meta = checked_meta(body.metadata, "/metadata", problems) if body.metadata is not None else UNSET
    problems.raise_if_any()
    return CustomerChanges(
        email=body.email if body.email is not None else UNSET,
        phone=body.phone if body.phone is not None else UNSET,
        address=address,
        type=CustomerType(body.type) if body.type is not None else UNSET,
        identity=identity,  # explicit nulls were refused above
        meta=meta,
        pointers=POINTERS,
    )


def to_new_customer(body: CustomerIn) -> NewCustomer:
    problems = Problems()
    problems.extend(explicit_nulls(body))
    customer_type = CustomerType(body.type or "individual")
    meta = checked_meta(body.metadata, "/metadata", problems) if body.metadata is not None else {}
    address = _address(body.residentialAddress, problems) if body.residentialAddress else None
    if customer_type is CustomerType.business:
        for name in ("firstName", "middleName", "lastName", "birthDate", "residentialAddress", "shareToken"):
            if getattr(body, name) is not None:
                problems.add(f"/{name}", "Individual customers only")
        if body.legalName is None:
            problems.add("/legalName", "Field required for business customers")
        problems.raise_if_any()
        assert body.legalName is not None
        return NewCustomer(
            type=customer_type,
            email=body.email,
            phone=body.phone,
            business=BusinessInformation(legal_name=body.legalName, website=body.website),
            meta=meta,
            pointers=POINTERS,
        )
    for name in ("legalName", "website"):
        if getattr(body, name) is not None:
            problems.add(f"/{name}", "Business customers only")
    problems.raise_if_any()
    return NewCustomer(
        type=customer_type,
        email=body.email,
        phone=body.phone,
        address=address,
        identity=Identity(
            first_name=body.firstName,
            middle_name=body.middleName,
            last_name=body.lastName,
            date_of_birth=body.birthDate,
        ),
        meta=meta,
        pointers=POINTERS,
    )


# --- responses ---------------------------------------------------------------------------------


class ResidentialAddressOut(BaseModel):
    streetLine1: str
    streetLine2: str | None
    city: str
    state: str | None
    postalCode: str | None
    country: str


class CustomerOut(BaseModel):
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
    status: SwipeluxStatus
    metadata: dict[str, MetaValue]
    createdAt: str
    updatedAt: str


class CustomerListOut(BaseModel):
    data: list[CustomerOut]
    total: int
    limit: int
    offset: int


def customer_out(customer: Customer) -> dict[str, Any]:
    identity = customer.identity
    address = customer.address
    return {
        "id": customer.id,
        "type": customer.type.value,
        "firstName": identity.first_name,
        "middleName": identity.middle_name,
        "lastName": identity.last_name,
        "email": customer.email,
        "phone": customer.phone,
        "birthDate": identity.date_of_birth.isoformat() if identity.date_of_birth else None,
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
        "status": swipelux_status(customer).value,
        "metadata": customer.meta,
        "createdAt": iso_utc(customer.created_at),
        "updatedAt": iso_utc(customer.updated_at),
    }
