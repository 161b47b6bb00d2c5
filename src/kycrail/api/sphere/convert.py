"""Sphere's v2 request bodies as domain values.

Field-level checks (formats, codes) answer 422 ``validation/failed`` with a pointer per bad field;
cross-field rules that Sphere documents as 400 (address with personalInformation, complete tax
identification) answer 400 with their own code.
"""

from __future__ import annotations

from typing import Any

from kycrail.api.common.fields import checked_meta, to_address, to_tax
from kycrail.api.common.wire import Problems
from kycrail.api.sphere.requests import (
    PERSONAL_FIELDS,
    AddressIn,
    CreateCustomerIn,
    PersonalInformationIn,
    UpdateCustomerIn,
)
from kycrail.customers.domain import UNSET, CustomerChanges, NewCustomer
from kycrail.customers.model import Address, BusinessInformation, CustomerType, Identity
from kycrail.errors import AddressRequired

# The tax identification's parts -> their wire names in personalInformation.
_TAX_FIELDS = {
    "number": "taxIdentificationNumber",
    "type": "taxIdentificationNumberType",
    "country": "taxIdentificationNumberCountry",
    "description": "taxIdentificationNumberDescription",
}
_PI = "/personalInformation"
POINTERS = {
    **{attribute: f"{_PI}/{wire}" for wire, attribute in PERSONAL_FIELDS.items()},
    "tax": f"{_PI}/taxIdentificationNumber",
    "tax_type": f"{_PI}/taxIdentificationNumberType",
    "address": "/address",
    "email": "/email",
    "phone": "/phone",
}


def _address(model: AddressIn, pointer: str, problems: Problems) -> Address:
    return to_address(
        line1=model.line1,
        line2=model.line2,
        city=model.city,
        state=model.state,
        postal_code=model.postalCode,
        country=model.country,
        at=pointer,
        problems=problems,
    )


def _identity_changes(info: PersonalInformationIn, problems: Problems) -> dict[str, Any]:
    """The Identity attributes this personalInformation sets; tax identification as one whole value."""
    sent = info.model_fields_set
    changes = {attribute: getattr(info, wire) for wire, attribute in PERSONAL_FIELDS.items() if wire in sent}
    if sent & set(_TAX_FIELDS.values()):
        changes["tax"] = to_tax(
            number=info.taxIdentificationNumber,
            type=info.taxIdentificationNumberType,
            country=info.taxIdentificationNumberCountry,
            description=info.taxIdentificationNumberDescription,
            at={name: f"{_PI}/{wire}" for name, wire in _TAX_FIELDS.items()},
            problems=problems,
        )
    return changes


def to_changes(body: UpdateCustomerIn) -> CustomerChanges:
    problems = Problems()
    if body.personalInformation is not None and body.address is None:
        raise AddressRequired(pointer="/address")
    identity = _identity_changes(body.personalInformation, problems) if body.personalInformation else {}
    address = _address(body.address, "/address", problems) if body.address else UNSET
    meta = checked_meta(body.meta, "/meta", problems) if body.meta is not None else UNSET
    problems.raise_if_any()
    return CustomerChanges(address=address, identity=identity, meta=meta, pointers=POINTERS)


def to_new_customer(body: CreateCustomerIn) -> NewCustomer:
    problems = Problems()
    meta = checked_meta(body.meta, "/meta", problems) if body.meta is not None else {}
    assert CreateCustomerIn.by_type is not None
    problems.extend(CreateCustomerIn.by_type.problems(body))
    if body.type == "individual":
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
