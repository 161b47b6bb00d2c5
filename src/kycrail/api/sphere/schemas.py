"""Sphere's v2 wire format: request models, their conversion to the domain, and the response shape.

Field-level checks (formats, codes) answer 422 ``validation/failed`` with a pointer per bad field;
cross-field rules that Sphere documents as 400 (address with personalInformation, complete tax
identification) answer 400 with their own code.
"""

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
    TaxType,
    checked_meta,
    text,
    us_address_parts,
)
from kycrail.api.common.wire import Problems, StrictModel, explicit_nulls, fail, iso_utc
from kycrail.customers import rules
from kycrail.customers.domain import UNSET, CustomerChanges, NewCustomer
from kycrail.customers.model import (
    Address,
    BusinessInformation,
    Customer,
    CustomerType,
    Identity,
    MetaValue,
    TaxIdentification,
)
from kycrail.customers.verification import ProfileStatus, verification_profile
from kycrail.errors import RuleViolation

# --- requests ----------------------------------------------------------------------------------


class AddressIn(StrictModel):
    line1: Annotated[str, text(200)]
    line2: Annotated[str, text(200)] | None = None
    city: Annotated[str, text(100)]
    state: Annotated[str, text(50)] | None = None
    postalCode: Annotated[str, text(20)] | None = None
    country: Alpha3


class BusinessAddressIn(AddressIn):
    type: Literal["registered", "operating"]


class PersonalInformationIn(StrictModel):
    firstName: PersonName | None = None
    middleName: PersonName | None = None
    lastName: PersonName | None = None
    dateOfBirth: DateOfBirth | None = None
    gender: Annotated[str, text(32)] | None = None
    nationality: Alpha3 | None = None
    countryOfBirth: Alpha3 | None = None
    residencyCountry: Alpha3 | None = None
    occupationSocCode: Annotated[str, StringConstraints(pattern=r"^\d{2}-\d{4}$")] | None = None
    sourceOfFunds: Annotated[str, text(100)] | None = None
    taxIdentificationNumber: Annotated[str, text(64)] | None = None
    taxIdentificationNumberType: TaxType | None = None
    taxIdentificationNumberCountry: Alpha3 | None = None
    taxIdentificationNumberDescription: Annotated[str, text(200)] | None = None


class BusinessInformationIn(StrictModel):
    legalName: BusinessName
    tradeName: BusinessName | None = None
    registrationNumber: Annotated[str, text(100)] | None = None
    incorporationCountry: Alpha3 | None = None
    entityType: Annotated[str, text(50)] | None = None
    website: Annotated[str, text(200)] | None = None


class CreateCustomerIn(StrictModel):
    type: Literal["individual", "business"] = "individual"
    email: Annotated[Email, StringConstraints(max_length=254)]
    phone: Phone
    address: AddressIn | None = None
    personalInformation: PersonalInformationIn | None = None
    addresses: list[BusinessAddressIn] | None = Field(default=None, max_length=2)
    businessInformation: BusinessInformationIn | None = None
    meta: Meta | None = None


class UpdateCustomerIn(StrictModel):
    """PATCH body: every field optional; ``meta`` replaces the stored object."""

    address: AddressIn | None = Field(
        default=None, description="Required if personalInformation is provided."
    )
    personalInformation: PersonalInformationIn | None = Field(
        default=None,
        description="When any tax identification field is provided, number, type and country (and address) "
        "are all required.",
    )
    meta: Meta | None = None


# Wire name in personalInformation -> Identity attribute (tax fields are handled as one).
_IDENTITY_FIELDS = {
    "firstName": "first_name",
    "middleName": "middle_name",
    "lastName": "last_name",
    "dateOfBirth": "date_of_birth",
    "gender": "gender",
    "nationality": "nationality",
    "countryOfBirth": "country_of_birth",
    "residencyCountry": "residency_country",
    "occupationSocCode": "occupation_soc_code",
    "sourceOfFunds": "source_of_funds",
}
_TAX_FIELDS = ("taxIdentificationNumber", "taxIdentificationNumberType", "taxIdentificationNumberCountry")
_PI = "/personalInformation"
POINTERS = {
    **{attribute: f"{_PI}/{wire}" for wire, attribute in _IDENTITY_FIELDS.items()},
    "tax": f"{_PI}/taxIdentificationNumber",
    "tax_type": f"{_PI}/taxIdentificationNumberType",
    "address": "/address",
    "email": "/email",
    "phone": "/phone",
}


def _address(model: AddressIn, pointer: str, problems: Problems) -> Address:
    state, postal_code = us_address_parts(
        model.country,
        model.state,
        model.postalCode,
        problems,
        state_at=f"{pointer}/state",
        postal_code_at=f"{pointer}/postalCode",
    )
    return Address(
        line1=model.line1,
        line2=model.line2,
        city=model.city,
        state=state,
        postal_code=postal_code,
        country=model.country,
    )


def _identity_changes(info: PersonalInformationIn, problems: Problems) -> dict[str, Any]:
    """The Identity attributes this personalInformation sets; tax identification as one whole value."""
    sent = info.model_fields_set
    changes = {attribute: getattr(info, wire) for wire, attribute in _IDENTITY_FIELDS.items() if wire in sent}
    tax_sent = sent & {*_TAX_FIELDS, "taxIdentificationNumberDescription"}
    if tax_sent:
        missing = [name for name in _TAX_FIELDS if getattr(info, name) is None]
        if missing:
            raise RuleViolation(
                "tax-identification/incomplete",
                "When any tax identification field is sent, number, type and country are all required.",
                pointer=f"{_PI}/{missing[0]}",
            )
        if info.taxIdentificationNumberType == "other" and not info.taxIdentificationNumberDescription:
            raise RuleViolation(
                "tax-identification/description-required",
                "taxIdentificationNumberDescription is required when the type is 'other'.",
                pointer=f"{_PI}/taxIdentificationNumberDescription",
            )
        number = info.taxIdentificationNumber or ""
        if info.taxIdentificationNumberType == "ssn":
            number = problems.check(f"{_PI}/taxIdentificationNumber", rules.ssn, number)
        changes["tax"] = TaxIdentification(
            number=number,
            type=info.taxIdentificationNumberType or "",
            country=info.taxIdentificationNumberCountry or "",
            description=info.taxIdentificationNumberDescription,
        )
    return changes


def _refuse_nulls(body: UpdateCustomerIn | CreateCustomerIn) -> None:
    """Explicit nulls are malformed input (422), reported before any cross-field rule (400)."""
    nulls = explicit_nulls(body)
    if body.personalInformation is not None:
        nulls += explicit_nulls(body.personalInformation, _PI)
    if nulls:
        fail(nulls)


def to_changes(body: UpdateCustomerIn) -> CustomerChanges:
    _refuse_nulls(body)
    problems = Problems()
    if body.personalInformation is not None and body.address is None:
        raise RuleViolation(
            "address/required",
            "address is required when personalInformation is provided.",
            pointer="/address",
        )
    identity = _identity_changes(body.personalInformation, problems) if body.personalInformation else {}
    address = _address(body.address, "/address", problems) if body.address else UNSET
    meta = checked_meta(body.meta, "/meta", problems) if body.meta is not None else UNSET
    problems.raise_if_any()
    return CustomerChanges(address=address, identity=identity, meta=meta, pointers=POINTERS)


def to_new_customer(body: CreateCustomerIn) -> NewCustomer:
    _refuse_nulls(body)
    problems = Problems()
    meta = checked_meta(body.meta, "/meta", problems) if body.meta is not None else {}
    if body.type == "individual":
        for name in ("addresses", "businessInformation"):
            if getattr(body, name) is not None:
                problems.add(f"/{name}", "Only business customers have this field")
        if body.address is None:
            problems.add("/address", "Field required")
        address = _address(body.address, "/address", problems) if body.address else None
        identity = Identity()
        if body.personalInformation is not None:
            identity = Identity(**_identity_changes(body.personalInformation, problems))
        problems.raise_if_any()
        return NewCustomer(
            type=CustomerType.individual,
            email=body.email,
            phone=body.phone,
            address=address,
            identity=identity,
            meta=meta,
            pointers=POINTERS,
        )
    for name in ("address", "personalInformation"):
        if getattr(body, name) is not None:
            problems.add(f"/{name}", "Business customers use addresses and businessInformation")
    if body.businessInformation is None:
        problems.add("/businessInformation", "Field required")
    registered = operating = None
    seen_types: set[str] = set()
    for index, item in enumerate(body.addresses or []):
        converted = _address(item, f"/addresses/{index}", problems)
        if item.type in seen_types:
            problems.add(f"/addresses/{index}/type", "At most one registered and one operating address")
        seen_types.add(item.type)
        if item.type == "registered":
            registered = converted
        else:
            operating = converted
    problems.raise_if_any()
    assert body.businessInformation is not None
    info = body.businessInformation
    return NewCustomer(
        type=CustomerType.business,
        email=body.email,
        phone=body.phone,
        address=registered,
        operating_address=operating,
        business=BusinessInformation(
            legal_name=info.legalName,
            trade_name=info.tradeName,
            registration_number=info.registrationNumber,
            incorporation_country=info.incorporationCountry,
            entity_type=info.entityType,
            website=info.website,
        ),
        meta=meta,
        pointers=POINTERS,
    )


# --- responses ---------------------------------------------------------------------------------


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


class CustomerOut(BaseModel):
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


class CustomerListOut(BaseModel):
    customers: list[CustomerOut]
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
    """The response body, built directly (the hot path); ``CustomerOut`` documents and tests its shape."""
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
            "firstName": identity.first_name,
            "middleName": identity.middle_name,
            "lastName": identity.last_name,
            "dateOfBirth": dob,
            "gender": identity.gender,
            "nationality": identity.nationality,
            "countryOfBirth": identity.country_of_birth,
            "residencyCountry": identity.residency_country,
            "occupationSocCode": identity.occupation_soc_code,
            "sourceOfFunds": identity.source_of_funds,
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
