"""Valid request bodies of both dialects with every text field filled, and helpers to alter one field."""

from __future__ import annotations

import copy
from typing import Any

from tests.fuzz.hostile import strings

V2 = "/v2/customer"
V1 = "/v1/customers"
ADDRESS = {
    "line1": "233 South Wacker Drive",
    "line2": "Suite 4700",
    "city": "Chicago",
    "state": "IL",
    "postalCode": "60606",
    "country": "USA",
}
PERSONAL_INFORMATION = {
    "firstName": "Jane",
    "middleName": "Marie",
    "lastName": "Smith",
    "dateOfBirth": "1990-05-17",
    "gender": "female",
    "nationality": "USA",
    "countryOfBirth": "USA",
    "residencyCountry": "USA",
    "occupationSocCode": "15-1252",
    "sourceOfFunds": "salary",
    "taxIdentificationNumber": "123-45-6789",
    "taxIdentificationNumberType": "ssn",
    "taxIdentificationNumberCountry": "USA",
    "taxIdentificationNumberDescription": "Social Security number",
}
# Every text field of each body, filled with a valid value.
V2_INDIVIDUAL = {
    "type": "individual",
    "email": "jane.smith@example.com",
    "phone": "+14155550123",
    "address": ADDRESS,
    "personalInformation": PERSONAL_INFORMATION,
    "meta": {"source": "tests"},
}
V2_BUSINESS = {
    "type": "business",
    "email": "ops@acme.example.com",
    "phone": "+14155550124",
    "addresses": [{"type": "registered", **ADDRESS}],
    "businessInformation": {
        "legalName": "Acme Inc.",
        "tradeName": "Acme",
        "registrationNumber": "12-3456789",
        "incorporationCountry": "USA",
        "entityType": "corporation",
        "website": "https://acme.example.com",
    },
    "meta": {"source": "tests"},
}
V2_PATCH = {"address": ADDRESS, "personalInformation": PERSONAL_INFORMATION, "meta": {"source": "tests"}}
V1_INDIVIDUAL = {
    "type": "individual",
    "firstName": "Ada",
    "middleName": "King",
    "lastName": "Lovelace",
    "email": "ada@example.com",
    "phone": "+14155550142",
    "birthDate": "1985-12-10",
    "residentialAddress": {
        "streetLine1": "1 Elm St",
        "streetLine2": "Apt 2",
        "city": "Austin",
        "state": "TX",
        "postalCode": "73301",
        "country": "USA",
    },
    "metadata": {"crm": "42"},
}
V1_BUSINESS = {
    "type": "business",
    "legalName": "Acme Inc.",
    "website": "https://acme.example.com",
    "email": "ops@acme.example.com",
    "phone": "+14155550124",
    "metadata": {"crm": "42"},
}


def with_value(body: dict[str, Any], pointer: str, value: Any) -> dict[str, Any]:
    """A copy of ``body`` with the field at ``pointer`` (no escapes in it) set to ``value``."""
    copied = copy.deepcopy(body)
    *parents, last = pointer.lstrip("/").split("/")
    target: Any = copied
    for part in parents:
        target = target[int(part)] if isinstance(target, list) else target[part]
    target[last] = value
    return copied


def text_fields(body: dict[str, Any]) -> list[tuple[str, str]]:
    """(pointer, valid value) of every string value in ``body``."""
    return [(pointer, text) for pointer, text, is_key in strings(body) if not is_key]
