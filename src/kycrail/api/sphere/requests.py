"""Sphere's v2 request bodies: every field's format, checked as it is parsed (422 with a pointer)."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field, StringConstraints

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


class AddressIn(StrictModel):
    documented_rules = us_address_rule("state", "postalCode")

    line1: Annotated[str, text(200)]
    line2: Annotated[str, text(200)] | None = None
    city: Annotated[str, text(100)]
    state: Annotated[str, text(50)] | None = None
    postalCode: Annotated[str, text(20)] | None = None
    country: Alpha3


class BusinessAddressIn(AddressIn):
    type: Literal["registered", "operating"]


# personalInformation's fields (the tax identification aside, taken as one value): wire name ->
# the Identity attribute it carries. The one table conversion (convert.py), answers (responses.py) and
# error pointers follow; a new field is a line here, its type below, and its place in the answer model
# (tests/api/test_round_trip.py fails when any of them is missing).
PERSONAL_FIELDS = {
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


class PersonalInformationIn(StrictModel):
    refuses_nulls = True  # a PATCH changes the fields sent, and leaves the others
    documented_rules = tax_rules(
        "taxIdentificationNumber",
        "taxIdentificationNumberType",
        "taxIdentificationNumberCountry",
        "taxIdentificationNumberDescription",
        us_residents_give_an_ssn(["residencyCountry"], ["taxIdentificationNumberType"]),
    )

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
    taxIdentificationNumber: (
        Annotated[
            str,
            text(64),
            Field(
                description="Never shown in any answer (the customer shows its type and country only).",
                json_schema_extra={"writeOnly": True},
            ),
        ]
        | None
    ) = None
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


_US_ADDRESS_SSN: dict[str, Any] = {
    "allOf": [
        us_residents_give_an_ssn(
            ["address", "country"], ["personalInformation", "taxIdentificationNumberType"]
        )
    ]
}


class CreateCustomerIn(StrictModel):
    refuses_nulls = True
    documented_rules = _US_ADDRESS_SSN
    by_type = ByType(
        field="type",
        default="individual",
        only={
            "individual": ("address", "personalInformation"),
            "business": ("addresses", "businessInformation"),
        },
        required={"individual": ("address",), "business": ("businessInformation",)},
        not_taken={
            "individual": "Only business customers have this field",
            "business": "Business customers use addresses and businessInformation",
        },
        missing={"individual": "Field required", "business": "Field required"},
    )

    type: Literal["individual", "business"] = "individual"
    email: Annotated[Email, StringConstraints(max_length=254)]
    phone: Phone
    address: AddressIn | None = None
    personalInformation: PersonalInformationIn | None = None
    addresses: list[BusinessAddressIn] | None = Field(
        default=None,
        max_length=2,
        description="At most one registered and one operating address.",
        # Each type at most once, as the conversion refuses a second one.
        json_schema_extra={
            "allOf": [
                {"contains": {"properties": {"type": {"const": kind}}}, "minContains": 0, "maxContains": 1}
                for kind in ("registered", "operating")
            ]
        },
    )
    businessInformation: BusinessInformationIn | None = None
    meta: Meta | None = None


class UpdateCustomerIn(StrictModel):
    """PATCH body: every field optional; ``meta`` replaces the stored object."""

    refuses_nulls = True
    documented_rules: ClassVar[dict[str, Any]] = {
        "dependentRequired": {"personalInformation": ["address"]},
        **_US_ADDRESS_SSN,
    }

    address: AddressIn | None = Field(
        default=None, description="Required if personalInformation is provided."
    )
    personalInformation: PersonalInformationIn | None = Field(
        default=None,
        description="When any tax identification field is provided, number, type and country (and address) "
        "are all required.",
    )
    meta: Meta | None = None
