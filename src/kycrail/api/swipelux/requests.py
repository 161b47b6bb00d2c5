"""Swipelux's v1 request bodies: every field's format, checked as it is parsed (422 with a pointer)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints
from pydantic.json_schema import SkipJsonSchema

from kycrail.api.common.fields import (
    Alpha3,
    BusinessName,
    DateOfBirth,
    Email,
    Meta,
    PersonName,
    Phone,
    TaxType,
    tax_rules,
    text,
    us_address_rule,
    us_residents_give_an_ssn,
)
from kycrail.api.common.wire import ByType, StrictModel

ShareToken = Annotated[
    str,
    StringConstraints(min_length=1, max_length=1024),
    Field(
        description="A SumSub share token: its completed KYC is imported in the same call (the token is "
        "spent, never shown back).",
        json_schema_extra={"writeOnly": True},
    ),
]


class ResidentialAddressIn(StrictModel):
    documented_rules = us_address_rule("state", "postalCode")

    streetLine1: Annotated[str, text(200)]
    streetLine2: Annotated[str, text(200)] | None = None
    city: Annotated[str, text(100)]
    state: Annotated[str, text(50)] | None = None
    postalCode: Annotated[str, text(20)] | None = None
    country: Alpha3


# kycrail's extension of Swipelux's body: v1 has no tax identification, and a person's cannot be
# verified without one. The same rules as v2's personalInformation.taxIdentification*.
_EXTENSION = "kycrail extension (not in Swipelux's API). "
TaxId = Annotated[
    str,
    text(64),
    Field(
        description=_EXTENSION + "The tax identification number; with `taxIdType` and `taxIdCountry`. "
        "Never shown in any answer. Locked, like the name, once the KYC review is submitted.",
        examples=["123-45-6789"],
        json_schema_extra={"writeOnly": True},
    ),
]
TaxIdType = Annotated[
    TaxType,
    Field(
        description=_EXTENSION + "`ssn` (US residents must give theirs), `passport`, `national_id`, "
        "`other` (with `taxIdDescription`), or a national code such as `cpf`."
    ),
]
TaxIdCountry = Annotated[Alpha3, Field(description=_EXTENSION + "The country that issued it (alpha-3).")]
TaxIdDescription = Annotated[
    str, text(200), Field(description=_EXTENSION + "What the number is; required with type `other`.")
]


# A person's fields on the v1 wire: wire name -> the Identity attribute it carries. The one table
# conversion (convert.py) and answers (responses.py) follow; a new field is a line here, its type below,
# and its place in the answer model (tests/api/test_round_trip.py fails when any of them is missing).
IDENTITY_FIELDS = {
    "firstName": "first_name",
    "middleName": "middle_name",
    "lastName": "last_name",
    "birthDate": "date_of_birth",
}


class CustomerIn(StrictModel):
    """``POST /v1/customers`` (``{}`` is a valid body) and ``PUT /v1/customers/{id}`` (absent fields stay)."""

    refuses_nulls = True
    documented_rules = tax_rules(
        "taxId",
        "taxIdType",
        "taxIdCountry",
        "taxIdDescription",
        us_residents_give_an_ssn(["residentialAddress", "country"], ["taxIdType"]),
    )

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
    taxId: TaxId | None = None
    taxIdType: TaxIdType | None = None
    taxIdCountry: TaxIdCountry | None = None
    taxIdDescription: TaxIdDescription | None = None


_TAX_FIELDS = ("taxId", "taxIdType", "taxIdCountry", "taxIdDescription")


class CustomerCreateIn(CustomerIn):
    """``POST /v1/customers``: ``{}`` is an individual; a business sends ``type`` and its ``legalName``."""

    by_type = ByType(
        field="type",
        default="individual",
        only={
            "individual": (
                "firstName",
                "middleName",
                "lastName",
                "birthDate",
                "residentialAddress",
                "shareToken",
                *_TAX_FIELDS,
            ),
            "business": ("legalName", "website"),
        },
        required={"business": ("legalName",)},
        not_taken={"individual": "Business customers only", "business": "Individual customers only"},
        missing={"business": "Field required for business customers"},
    )


class CustomerUpdateIn(CustomerIn):
    """``PUT /v1/customers/{id}``: a business's details are not changed here (the KYB flow changes
    them): the document leaves them out, and the server refuses them by name."""

    legalName: SkipJsonSchema[BusinessName | None] = None
    website: SkipJsonSchema[Annotated[str, text(200)] | None] = None


class ImportIn(StrictModel):
    shareToken: ShareToken
