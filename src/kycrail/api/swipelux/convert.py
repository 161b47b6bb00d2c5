"""Swipelux's v1 request bodies as domain values."""

from __future__ import annotations

from typing import Any

from kycrail.api.common.fields import checked_meta, to_address, to_tax
from kycrail.api.common.wire import Problems
from kycrail.api.swipelux.requests import IDENTITY_FIELDS, CustomerCreateIn, CustomerIn, ResidentialAddressIn
from kycrail.customers.domain import UNSET, CustomerChanges, NewCustomer
from kycrail.customers.model import Address, BusinessInformation, CustomerType, Identity

# The tax identification's parts -> their wire names (kycrail's extension of Swipelux's body).
_TAX_FIELDS = {
    "number": "taxId",
    "type": "taxIdType",
    "country": "taxIdCountry",
    "description": "taxIdDescription",
}
# Domain field -> pointer in a Swipelux body, for errors.
POINTERS = {
    **{attribute: f"/{wire}" for wire, attribute in IDENTITY_FIELDS.items()},
    "email": "/email",
    "phone": "/phone",
    "address": "/residentialAddress",
    "tax": "/taxId",
    "tax_type": "/taxIdType",
}


def _address(model: ResidentialAddressIn, problems: Problems) -> Address:
    return to_address(
        line1=model.streetLine1,
        line2=model.streetLine2,
        city=model.city,
        state=model.state,
        postal_code=model.postalCode,
        country=model.country,
        at="/residentialAddress",
        problems=problems,
    )


def _tax(body: CustomerIn, problems: Problems) -> dict[str, Any]:
    """The tax identification the body sends, as the Identity attribute it sets (none: nothing).
    Explicit nulls are malformed input (422), reported before the cross-field rules (400)."""
    if not body.model_fields_set & set(_TAX_FIELDS.values()) or problems.errors:
        return {}
    tax = to_tax(
        number=body.taxId,
        type=body.taxIdType,
        country=body.taxIdCountry,
        description=body.taxIdDescription,
        at={name: f"/{wire}" for name, wire in _TAX_FIELDS.items()},
        problems=problems,
    )
    return {"tax": tax}


def to_changes(body: CustomerIn) -> CustomerChanges:
    """A PUT body as domain changes (the share token travels separately)."""
    problems = Problems()
    for name in ("legalName", "website"):
        if getattr(body, name) is not None:
            problems.add(f"/{name}", "Business details are managed through the KYB flow")
    sent = body.model_fields_set
    identity = {attribute: getattr(body, wire) for wire, attribute in IDENTITY_FIELDS.items() if wire in sent}
    identity |= _tax(body, problems)
    address = _address(body.residentialAddress, problems) if body.residentialAddress else UNSET
    meta = checked_meta(body.metadata, "/metadata", problems) if body.metadata is not None else UNSET
    problems.raise_if_any()
    return CustomerChanges(
        email=body.email if body.email is not None else UNSET,
        phone=body.phone if body.phone is not None else UNSET,
        address=address,
        type=CustomerType(body.type) if body.type is not None else UNSET,
        identity=identity,  # explicit nulls were refused as the body was read (StrictModel)
        meta=meta,
        pointers=POINTERS,
    )


def to_new_customer(body: CustomerCreateIn) -> NewCustomer:
    problems = Problems()
    customer_type = CustomerType(body.type or "individual")
    meta = checked_meta(body.metadata, "/metadata", problems) if body.metadata is not None else {}
    address = _address(body.residentialAddress, problems) if body.residentialAddress else None
    assert CustomerCreateIn.by_type is not None
    problems.extend(CustomerCreateIn.by_type.problems(body))
    if customer_type is CustomerType.business:
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
    tax = _tax(body, problems)
    problems.raise_if_any()
    return NewCustomer(
        type=customer_type,
        email=body.email,
        phone=body.phone,
        address=address,
        identity=Identity(
            **{attribute: getattr(body, wire) for wire, attribute in IDENTITY_FIELDS.items()}, **tax
        ),
        meta=meta,
        pointers=POINTERS,
    )
