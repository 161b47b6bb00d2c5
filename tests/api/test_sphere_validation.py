"""Every input rule of Sphere's v2 customer API, through HTTP: the good case passes, the bad one is refused.

Refusals are checked on status, ``code`` and the exact pointers; 422 messages where they are ours
(not pydantic's wording). A refused PATCH must leave the stored customer exactly as it was, and a
refused create must store nothing.
"""

from __future__ import annotations

import copy
import json
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.factories import JANE, jane

URL = "/v2/customer"
PI = "/personalInformation"
VALIDATION = "validation/failed"

US_ADDRESS: dict[str, Any] = {
    "line1": "456 Market Street",
    "city": "San Francisco",
    "state": "CA",
    "postalCode": "94105",
    "country": "USA",
}
DEU_ADDRESS: dict[str, Any] = {
    "line1": "Unter den Linden 1",
    "city": "Berlin",
    "postalCode": "10115",
    "country": "DEU",
}
JANE_SSN = JANE["personalInformation"]["taxIdentificationNumber"]

COUNTRY_MESSAGE = "Country must be an ISO 3166-1 alpha-3 code, e.g. USA"
STATE_MESSAGE = "State must be a two-letter US state code, e.g. CA"
ZIP_MESSAGE = "Postal code must be a US ZIP code (12345 or 12345-6789)"
SSN_MESSAGE = "Tax identification number must be a well-formed SSN (AAA-GG-SSSS)"
NULL_MESSAGE = "Must not be null; omit the field instead."
META_VALUE_MESSAGE = "Meta values must be strings, numbers, booleans or null"


# --- helpers -----------------------------------------------------------------------------------


def today() -> date:
    """The server's notion of today (UTC)."""
    return datetime.now(UTC).date()


def years_ago(years: int) -> date:
    now = today()
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return date(now.year - years, 2, 28)


def pointers(response: httpx.Response) -> list[str | None]:
    return [error.get("pointer") for error in response.json()["errors"]]


def assert_refused(
    response: httpx.Response,
    status: int,
    code: str,
    expected_pointers: list[str],
    detail: str | None = None,
) -> None:
    """The error body in Sphere's shape, with exactly these pointers (and this message on each)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert isinstance(body["correlationId"], str)
    assert body["correlationId"]
    assert pointers(response) == expected_pointers, response.text
    if detail is not None:
        assert [error["detail"] for error in body["errors"]] == [detail] * len(expected_pointers)


def assert_not_echoed(text: str, number: str) -> None:
    """Neither the tax number as sent nor its bare digits appear anywhere in ``text``."""
    digits = re.sub(r"\D", "", number)
    assert number not in text
    assert digits not in text


def at(document: Any, pointer: str) -> Any:
    """The value at a JSON pointer (no escaping needed for the pointers used here)."""
    for part in pointer.strip("/").split("/"):
        document = document[int(part)] if isinstance(document, list) else document[part]
    return document


def put(document: Any, pointer: str, value: Any) -> Any:
    """Set the value at a JSON pointer (the parent must exist); returns the document."""
    *parents, last = pointer.strip("/").split("/")
    target = at(document, "/" + "/".join(parents)) if parents else document
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value
    return document


def business(**overrides: Any) -> dict[str, Any]:
    """A business customer with a registered address; None removes a field."""
    body: dict[str, Any] = {
        "type": "business",
        "email": "ops@acme-widgets.example.com",
        "phone": "+14155550124",
        "businessInformation": {"legalName": "Acme Widgets Inc.", "incorporationCountry": "USA"},
        "addresses": [{"type": "registered", **US_ADDRESS}],
    }
    for key, value in overrides.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body


def foreign_jane(**tax: Any) -> dict[str, Any]:
    """Jane living in Berlin, identified for tax by a Brazilian CPF unless ``tax`` says otherwise."""
    info = {
        **JANE["personalInformation"],
        "taxIdentificationNumber": "12345678909",
        "taxIdentificationNumberType": "cpf",
        "taxIdentificationNumberCountry": "BRA",
        **tax,
    }
    return jane(address=copy.deepcopy(DEU_ADDRESS), personalInformation=info)


async def fetch(client: httpx.AsyncClient, headers: dict[str, str], customer_id: str) -> dict[str, Any]:
    response = await client.get(f"{URL}/{customer_id}", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def customer_count(client: httpx.AsyncClient, headers: dict[str, str]) -> int:
    response = await client.get(URL, headers=headers)
    assert response.status_code == 200, response.text
    total: int = response.json()["pagination"]["total"]
    return total


async def create_refused(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    body: Any,
    status: int,
    code: str,
    expected_pointers: list[str],
    detail: str | None = None,
) -> httpx.Response:
    """POST ``body``, expect the refusal, and check that no customer was stored."""
    response = await client.post(URL, json=body, headers=headers)
    assert_refused(response, status, code, expected_pointers, detail)
    assert await customer_count(client, headers) == 0
    return response


async def create_ok(client: httpx.AsyncClient, headers: dict[str, str], body: Any) -> dict[str, Any]:
    response = await client.post(URL, json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    assert await fetch(client, headers, created["id"]) == created
    return created


async def patch_refused(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    customer_id: str,
    body: Any,
    status: int,
    code: str,
    expected_pointers: list[str],
    detail: str | None = None,
) -> httpx.Response:
    """PATCH ``body``, expect the refusal, and check that the stored customer did not change at all."""
    before = await fetch(client, headers, customer_id)
    response = await client.patch(f"{URL}/{customer_id}", json=body, headers=headers)
    assert_refused(response, status, code, expected_pointers, detail)
    assert await fetch(client, headers, customer_id) == before
    return response


async def patch_ok(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, body: Any
) -> dict[str, Any]:
    """PATCH ``body``, expect 200, and check that a GET shows what the PATCH answered."""
    response = await client.patch(f"{URL}/{customer_id}", json=body, headers=headers)
    assert response.status_code == 200, response.text
    updated: dict[str, Any] = response.json()
    assert await fetch(client, headers, customer_id) == updated
    return updated


@pytest.fixture
async def customer(create_customer: Any) -> dict[str, Any]:
    """Jane as created: a US resident with an SSN."""
    created: dict[str, Any] = await create_customer()
    return created


@pytest.fixture
async def customer_id(customer: dict[str, Any]) -> str:
    identifier: str = customer["id"]
    return identifier


# --- create: email and phone -------------------------------------------------------------------

# 64 + 1 + 189 = 254 characters: the longest address allowed; one more letter is too long.
_LONGEST_EMAIL = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 57 + ".com"


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("jane.smith@example.com", "jane.smith@example.com"),
        ("Jane.Smith@Example.COM", "jane.smith@example.com"),
        (_LONGEST_EMAIL, _LONGEST_EMAIL),
    ],
)
async def test_create_accepts_email_and_stores_it_lower_case(
    client: httpx.AsyncClient, headers: dict[str, str], sent: str, stored: str
) -> None:
    created = await create_ok(client, headers, jane(email=sent))
    assert created["email"] == stored


@pytest.mark.parametrize(
    ("email", "detail"),
    [
        (None, "Field required"),
        ("not-an-email", "Invalid email format"),
        ("jane@example", "Invalid email format"),
        ("jane@@example.com", "Invalid email format"),
        ("@example.com", "Invalid email format"),
        ("jane smith@example.com", "Invalid email format"),
        (_LONGEST_EMAIL.replace("@", "@b"), None),  # 255 characters
    ],
)
async def test_create_refuses_missing_or_malformed_email(
    client: httpx.AsyncClient, headers: dict[str, str], email: str | None, detail: str | None
) -> None:
    await create_refused(client, headers, jane(email=email), 422, VALIDATION, ["/email"], detail)


@pytest.mark.parametrize("phone", ["+14155550123", "+442079460958"])
async def test_create_accepts_e164_phone(
    client: httpx.AsyncClient, headers: dict[str, str], phone: str
) -> None:
    created = await create_ok(client, headers, jane(phone=phone))
    assert created["phone"] == phone


@pytest.mark.parametrize(
    ("phone", "detail"),
    [
        (None, "Field required"),
        ("4155550123", "Phone must be in E.164 format, e.g. +14155550123"),
        ("+1 415 555 0123", "Phone must be in E.164 format, e.g. +14155550123"),
        ("+1-415-555-0123", "Phone must be in E.164 format, e.g. +14155550123"),
        ("+14155550123\n", "Phone must be in E.164 format, e.g. +14155550123"),
        ("+10000000000", "Phone number is not a valid number"),
    ],
)
async def test_create_refuses_bad_phone(
    client: httpx.AsyncClient, headers: dict[str, str], phone: str | None, detail: str
) -> None:
    await create_refused(client, headers, jane(phone=phone), 422, VALIDATION, ["/phone"], detail)


# --- create: individual and business shapes ----------------------------------------------------


async def test_create_individual_without_personal_information_is_accepted(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create_ok(client, headers, jane(personalInformation=None))
    assert created["type"] == "individual"
    assert created["address"]["city"] == "Chicago"
    assert created["personalInformation"]["firstName"] is None
    assert created["verificationProfiles"][0]["name"] == "kyc_profile_a"


async def test_create_individual_requires_address(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    await create_refused(client, headers, jane(address=None), 422, VALIDATION, ["/address"], "Field required")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("businessInformation", {"legalName": "Jane Smith LLC"}),
        ("addresses", [{"type": "registered", **US_ADDRESS}]),
    ],
)
async def test_create_individual_refuses_business_fields(
    client: httpx.AsyncClient, headers: dict[str, str], field: str, value: Any
) -> None:
    body = jane(**{field: value})
    await create_refused(
        client, headers, body, 422, VALIDATION, [f"/{field}"], "Only business customers have this field"
    )


async def test_create_business_with_registered_address(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create_ok(client, headers, business())
    assert created["type"] == "business"
    assert created["verificationProfiles"][0]["name"] == "kyb_profile_a"
    assert created["businessInformation"]["legalName"] == "Acme Widgets Inc."
    assert created["addresses"] == [{"type": "registered", "line2": None, **US_ADDRESS}]
    assert "address" not in created
    assert "personalInformation" not in created


async def test_create_business_with_registered_and_operating_addresses(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    addresses = [{"type": "registered", **US_ADDRESS}, {"type": "operating", **DEU_ADDRESS}]
    created = await create_ok(client, headers, business(addresses=addresses))
    assert created["addresses"] == [
        {"type": "registered", "line2": None, **US_ADDRESS},
        {"type": "operating", "line2": None, "state": None, **DEU_ADDRESS},
    ]


async def test_create_business_refuses_two_addresses_of_one_type(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    addresses = [{"type": "registered", **US_ADDRESS}, {"type": "registered", **DEU_ADDRESS}]
    await create_refused(
        client, headers, business(addresses=addresses), 422, VALIDATION, ["/addresses/1/type"]
    )


@pytest.mark.parametrize(
    ("overrides", "expected_pointers", "detail"),
    [
        ({"businessInformation": None}, ["/businessInformation"], "Field required"),
        (
            {"businessInformation": {"tradeName": "Acme"}},
            ["/businessInformation/legalName"],
            "Field required",
        ),
        ({"businessInformation": {"legalName": "   "}}, ["/businessInformation/legalName"], None),
        (
            {"address": US_ADDRESS},
            ["/address"],
            "Business customers use addresses and businessInformation",
        ),
        (
            {"personalInformation": {"firstName": "Jane"}},
            ["/personalInformation"],
            "Business customers use addresses and businessInformation",
        ),
        ({"addresses": [{**US_ADDRESS, "type": "home"}]}, ["/addresses/0/type"], None),
        (
            {"addresses": [{"type": "registered", **US_ADDRESS, "state": "XX"}]},
            ["/addresses/0/state"],
            STATE_MESSAGE,
        ),
        (
            {"addresses": [{"type": "registered", **US_ADDRESS, "postalCode": "9410"}]},
            ["/addresses/0/postalCode"],
            ZIP_MESSAGE,
        ),
    ],
)
async def test_create_business_refuses_bad_shape(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    overrides: dict[str, Any],
    expected_pointers: list[str],
    detail: str | None,
) -> None:
    body = business(**copy.deepcopy(overrides))
    await create_refused(client, headers, body, 422, VALIDATION, expected_pointers, detail)


# --- unknown fields (extra="forbid") -----------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        (jane(nickname="JJ"), "/nickname"),
        (jane(address={**US_ADDRESS, "zip": "94105"}), "/address/zip"),
        (jane(personalInformation={**JANE["personalInformation"], "ssn": "123-45-6789"}), f"{PI}/ssn"),
        (business(website="https://acme.example.com"), "/website"),
        (business(businessInformation={"legalName": "Acme", "vatId": "DE1"}), "/businessInformation/vatId"),
        (business(addresses=[{"type": "registered", **US_ADDRESS, "zip": "1"}]), "/addresses/0/zip"),
    ],
)
async def test_create_refuses_unknown_fields(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any], pointer: str
) -> None:
    await create_refused(client, headers, body, 422, VALIDATION, [pointer])


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"nickname": "JJ"}, "/nickname"),
        ({"email": "other@example.com"}, "/email"),
        ({"type": "business"}, "/type"),
        ({"address": {**US_ADDRESS, "zip": "94105"}}, "/address/zip"),
        ({"address": US_ADDRESS, "personalInformation": {"ssn": "234-56-7890"}}, f"{PI}/ssn"),
    ],
)
async def test_patch_refuses_unknown_fields(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, body: dict[str, Any], pointer: str
) -> None:
    response = await patch_refused(client, headers, customer_id, body, 422, VALIDATION, [pointer])
    assert_not_echoed(response.text, "234-56-7890")


# --- country codes -----------------------------------------------------------------------------

INDIVIDUAL_COUNTRIES = [
    "/address/country",
    f"{PI}/nationality",
    f"{PI}/countryOfBirth",
    f"{PI}/residencyCountry",
    f"{PI}/taxIdentificationNumberCountry",
]
BUSINESS_COUNTRIES = ["/businessInformation/incorporationCountry", "/addresses/0/country"]


def _with_country(pointer: str, value: str) -> dict[str, Any]:
    return put(business() if pointer in BUSINESS_COUNTRIES else jane(), pointer, value)


@pytest.mark.parametrize("pointer", INDIVIDUAL_COUNTRIES + BUSINESS_COUNTRIES)
@pytest.mark.parametrize(("sent", "stored"), [("USA", "USA"), ("usa", "USA"), ("DEU", "DEU")])
async def test_create_accepts_alpha3_country(
    client: httpx.AsyncClient, headers: dict[str, str], pointer: str, sent: str, stored: str
) -> None:
    created = await create_ok(client, headers, _with_country(pointer, sent))
    assert at(created, pointer) == stored


@pytest.mark.parametrize("pointer", INDIVIDUAL_COUNTRIES + BUSINESS_COUNTRIES)
@pytest.mark.parametrize("value", ["US", "XXX", "United States", "ÙSA"])
async def test_create_refuses_other_country_codes(
    client: httpx.AsyncClient, headers: dict[str, str], pointer: str, value: str
) -> None:
    body = _with_country(pointer, value)
    await create_refused(client, headers, body, 422, VALIDATION, [pointer], COUNTRY_MESSAGE)


def _patch_with_country(pointer: str, value: str) -> dict[str, Any]:
    body = {
        "address": copy.deepcopy(US_ADDRESS),
        "personalInformation": copy.deepcopy(JANE["personalInformation"]),
    }
    return put(body, pointer, value)


@pytest.mark.parametrize("pointer", INDIVIDUAL_COUNTRIES)
async def test_patch_normalises_country_code(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, pointer: str
) -> None:
    updated = await patch_ok(client, headers, customer_id, _patch_with_country(pointer, "usa"))
    assert at(updated, pointer) == "USA"


@pytest.mark.parametrize("pointer", INDIVIDUAL_COUNTRIES)
@pytest.mark.parametrize("value", ["US", "XXX", "United States"])
async def test_patch_refuses_other_country_codes(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, pointer: str, value: str
) -> None:
    body = _patch_with_country(pointer, value)
    await patch_refused(client, headers, customer_id, body, 422, VALIDATION, [pointer], COUNTRY_MESSAGE)


# --- US addresses ------------------------------------------------------------------------------


def _us_address(**overrides: Any) -> dict[str, Any]:
    """US_ADDRESS with fields replaced; None removes a field."""
    address = {**US_ADDRESS, **overrides}
    return {key: value for key, value in address.items() if value is not None}


GOOD_ADDRESSES = [
    pytest.param(_us_address(), {"state": "CA", "postalCode": "94105"}, id="us"),
    pytest.param(_us_address(state="ca"), {"state": "CA", "postalCode": "94105"}, id="us-lower-state"),
    pytest.param(_us_address(state="DC"), {"state": "DC", "postalCode": "94105"}, id="us-dc"),
    pytest.param(
        _us_address(postalCode="94105-1234"), {"state": "CA", "postalCode": "94105-1234"}, id="zip4"
    ),
    pytest.param(DEU_ADDRESS, {"state": None, "postalCode": "10115", "country": "DEU"}, id="deu-no-state"),
]
BAD_ADDRESSES = [
    pytest.param(_us_address(state="XX"), {"/address/state": STATE_MESSAGE}, id="state-xx"),
    pytest.param(_us_address(state="California"), {"/address/state": STATE_MESSAGE}, id="state-name"),
    pytest.param(
        _us_address(state=None), {"/address/state": "State is required for US addresses"}, id="no-state"
    ),
    pytest.param(_us_address(postalCode="9410"), {"/address/postalCode": ZIP_MESSAGE}, id="zip-4-digits"),
    pytest.param(_us_address(postalCode="ABCDE"), {"/address/postalCode": ZIP_MESSAGE}, id="zip-letters"),
    pytest.param(
        _us_address(postalCode="94105-12"), {"/address/postalCode": ZIP_MESSAGE}, id="zip-short-plus4"
    ),
    pytest.param(_us_address(postalCode="941051234"), {"/address/postalCode": ZIP_MESSAGE}, id="zip-no-dash"),
    pytest.param(
        _us_address(postalCode=None),
        {"/address/postalCode": "Postal code is required for US addresses"},
        id="no-zip",
    ),
    pytest.param(
        _us_address(state="XX", postalCode="ABCDE"),
        {"/address/state": STATE_MESSAGE, "/address/postalCode": ZIP_MESSAGE},
        id="both",
    ),
    pytest.param({**DEU_ADDRESS, "country": "GERMANY"}, {"/address/country": COUNTRY_MESSAGE}, id="country"),
    pytest.param(_us_address(city=None), {"/address/city": None}, id="no-city"),
    pytest.param(_us_address(line1=" "), {"/address/line1": None}, id="blank-line1"),
]


@pytest.mark.parametrize(("address", "expected"), GOOD_ADDRESSES)
async def test_create_accepts_address(
    client: httpx.AsyncClient, headers: dict[str, str], address: dict[str, Any], expected: dict[str, Any]
) -> None:
    created = await create_ok(client, headers, jane(address=copy.deepcopy(address)))
    assert created["address"] == {"line2": None, **address, **expected}


@pytest.mark.parametrize(("address", "expected"), BAD_ADDRESSES)
async def test_create_refuses_bad_address(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    address: dict[str, Any],
    expected: dict[str, str | None],
) -> None:
    response = await create_refused(
        client, headers, jane(address=copy.deepcopy(address)), 422, VALIDATION, list(expected)
    )
    _assert_details(response, expected)


@pytest.mark.parametrize(("address", "expected"), GOOD_ADDRESSES)
async def test_patch_accepts_address(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    customer_id: str,
    address: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    updated = await patch_ok(client, headers, customer_id, {"address": copy.deepcopy(address)})
    assert updated["address"] == {"line2": None, **address, **expected}


@pytest.mark.parametrize(("address", "expected"), BAD_ADDRESSES)
async def test_patch_refuses_bad_address(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    customer_id: str,
    address: dict[str, Any],
    expected: dict[str, str | None],
) -> None:
    body = {"address": copy.deepcopy(address)}
    response = await patch_refused(client, headers, customer_id, body, 422, VALIDATION, list(expected))
    _assert_details(response, expected)


def _assert_details(response: httpx.Response, expected: dict[str, str | None]) -> None:
    for error in response.json()["errors"]:
        if expected[error["pointer"]] is not None:
            assert error["detail"] == expected[error["pointer"]]


# --- PATCH basics ------------------------------------------------------------------------------


async def test_patch_empty_body_changes_nothing_but_updated_at(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str
) -> None:
    before = await fetch(client, headers, customer_id)
    updated = await patch_ok(client, headers, customer_id, {})
    assert updated["updatedAt"] >= before["updatedAt"]
    assert {**updated, "updatedAt": None} == {**before, "updatedAt": None}


@pytest.mark.parametrize(
    "meta",
    [{"internalUserId": "usr_9912"}, {}, {"source": "crm"}],
)
async def test_patch_meta_replaces_the_stored_object(
    client: httpx.AsyncClient, headers: dict[str, str], customer: dict[str, Any], meta: dict[str, Any]
) -> None:
    assert customer["meta"] == {"source": "tests"}
    updated = await patch_ok(client, headers, customer["id"], {"meta": meta})
    assert updated["meta"] == meta
    assert {**updated, "meta": None, "updatedAt": None} == {**customer, "meta": None, "updatedAt": None}


async def test_patch_address_alone_keeps_identity(
    client: httpx.AsyncClient, headers: dict[str, str], customer: dict[str, Any]
) -> None:
    updated = await patch_ok(client, headers, customer["id"], {"address": US_ADDRESS})
    assert updated["address"] == {"line2": None, **US_ADDRESS}
    assert updated["personalInformation"] == customer["personalInformation"]
    assert updated["meta"] == customer["meta"]


async def test_patch_personal_information_with_address_is_accepted(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str
) -> None:
    body = {"address": US_ADDRESS, "personalInformation": {"firstName": "Janet", "middleName": "Q"}}
    updated = await patch_ok(client, headers, customer_id, body)
    assert updated["firstName"] == "Janet"
    assert updated["personalInformation"]["middleName"] == "Q"
    assert updated["personalInformation"]["lastName"] == "Smith"


@pytest.mark.parametrize(
    "info",
    [
        {"firstName": "Janet"},
        {},
        {
            "taxIdentificationNumber": "234-56-7890",
            "taxIdentificationNumberType": "ssn",
            "taxIdentificationNumberCountry": "USA",
        },
    ],
)
async def test_patch_personal_information_requires_address(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, info: dict[str, Any]
) -> None:
    response = await patch_refused(
        client,
        headers,
        customer_id,
        {"personalInformation": info, "meta": {"a": "b"}},
        400,
        "address/required",
        ["/address"],
    )
    assert_not_echoed(response.text, "234-56-7890")


# --- tax identification ------------------------------------------------------------------------

TIN, TIN_TYPE, TIN_COUNTRY, TIN_DESCRIPTION = (
    "taxIdentificationNumber",
    "taxIdentificationNumberType",
    "taxIdentificationNumberCountry",
    "taxIdentificationNumberDescription",
)


@pytest.mark.parametrize(
    ("info", "missing"),
    [
        ({TIN: "234-56-7890"}, TIN_TYPE),
        ({TIN: "234-56-7890", TIN_TYPE: "ssn"}, TIN_COUNTRY),
        ({TIN: "234-56-7890", TIN_COUNTRY: "USA"}, TIN_TYPE),
        ({TIN_TYPE: "ssn", TIN_COUNTRY: "USA"}, TIN),
        ({TIN_TYPE: "ssn"}, TIN),
        ({TIN_COUNTRY: "USA"}, TIN),
        ({TIN_DESCRIPTION: "Social Security"}, TIN),
        ({"firstName": "Janet", TIN: "234-56-7890", TIN_DESCRIPTION: "x"}, TIN_TYPE),
    ],
)
async def test_patch_tax_identification_must_be_complete(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, info: dict[str, Any], missing: str
) -> None:
    body = {"address": US_ADDRESS, "personalInformation": info}
    response = await patch_refused(
        client, headers, customer_id, body, 400, "tax-identification/incomplete", [f"{PI}/{missing}"]
    )
    assert_not_echoed(response.text, "234-56-7890")


async def test_create_tax_identification_must_be_complete(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    info = {key: value for key, value in JANE["personalInformation"].items() if key != TIN_COUNTRY}
    response = await create_refused(
        client,
        headers,
        jane(personalInformation=info),
        400,
        "tax-identification/incomplete",
        [f"{PI}/{TIN_COUNTRY}"],
    )
    assert_not_echoed(response.text, JANE_SSN)


async def test_patch_complete_ssn_is_accepted(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str
) -> None:
    info = {TIN: "234-56-7890", TIN_TYPE: "ssn", TIN_COUNTRY: "usa"}
    updated = await patch_ok(
        client, headers, customer_id, {"address": US_ADDRESS, "personalInformation": info}
    )
    assert updated["personalInformation"][TIN_TYPE] == "ssn"
    assert updated["personalInformation"][TIN_COUNTRY] == "USA"
    assert TIN not in updated["personalInformation"]


async def test_patch_type_other_requires_description(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str
) -> None:
    info = {TIN: "12345678901", TIN_TYPE: "other", TIN_COUNTRY: "DEU"}
    body = {"address": DEU_ADDRESS, "personalInformation": info}
    await patch_refused(
        client,
        headers,
        customer_id,
        body,
        400,
        "tax-identification/description-required",
        [f"{PI}/{TIN_DESCRIPTION}"],
    )
    info[TIN_DESCRIPTION] = "Steuerliche Identifikationsnummer"
    updated = await patch_ok(client, headers, customer_id, body)
    assert updated["personalInformation"][TIN_TYPE] == "other"
    assert updated["personalInformation"][TIN_DESCRIPTION] == "Steuerliche Identifikationsnummer"
    assert_not_echoed(str(updated), "12345678901")


@pytest.mark.parametrize(
    ("address", "info"),
    [
        pytest.param(
            US_ADDRESS, {TIN: "X1234567", TIN_TYPE: "national_id", TIN_COUNTRY: "USA"}, id="national-id"
        ),
        pytest.param(US_ADDRESS, {TIN: "X1234567", TIN_TYPE: "passport", TIN_COUNTRY: "USA"}, id="passport"),
        pytest.param(
            US_ADDRESS,
            {TIN: "X1234567", TIN_TYPE: "other", TIN_COUNTRY: "USA", TIN_DESCRIPTION: "ITIN"},
            id="other",
        ),
        pytest.param(
            DEU_ADDRESS,
            {"residencyCountry": "USA", TIN: "12345678909", TIN_TYPE: "cpf", TIN_COUNTRY: "BRA"},
            id="resident-by-residency-country",
        ),
    ],
)
async def test_patch_us_resident_must_use_ssn(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    customer_id: str,
    address: dict[str, Any],
    info: dict[str, Any],
) -> None:
    body = {"address": address, "personalInformation": info}
    response = await patch_refused(
        client, headers, customer_id, body, 400, "tax-identification/ssn-required", [f"{PI}/{TIN_TYPE}"]
    )
    assert_not_echoed(response.text, info[TIN])


async def test_create_us_resident_must_use_ssn(client: httpx.AsyncClient, headers: dict[str, str]) -> None:
    info = {**JANE["personalInformation"], TIN: "X1234567", TIN_TYPE: "national_id"}
    response = await create_refused(
        client,
        headers,
        jane(personalInformation=info),
        400,
        "tax-identification/ssn-required",
        [f"{PI}/{TIN_TYPE}"],
    )
    assert_not_echoed(response.text, "X1234567")


async def test_moving_a_non_ssn_customer_to_the_us_is_refused(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await create_ok(client, headers, foreign_jane())
    assert created["personalInformation"][TIN_TYPE] == "cpf"
    await patch_refused(
        client,
        headers,
        created["id"],
        {"address": US_ADDRESS},
        400,
        "tax-identification/ssn-required",
        ["/address/country"],  # the field the request sent, not the stored tax type
    )


@pytest.mark.parametrize(
    ("tin_type", "country"),
    [("national_id", "DEU"), ("cpf", "BRA"), ("passport", "DEU"), ("ssn", "USA")],
)
async def test_patch_non_us_resident_may_use_other_tax_types(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, tin_type: str, country: str
) -> None:
    number = "234-56-7890" if tin_type == "ssn" else "DE12345678"
    info = {TIN: number, TIN_TYPE: tin_type, TIN_COUNTRY: country}
    updated = await patch_ok(
        client, headers, customer_id, {"address": DEU_ADDRESS, "personalInformation": info}
    )
    assert updated["address"]["country"] == "DEU"
    assert updated["personalInformation"][TIN_TYPE] == tin_type
    assert updated["personalInformation"][TIN_COUNTRY] == country
    assert_not_echoed(str(updated), number)


async def test_patch_normalises_the_tax_type_case(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str
) -> None:
    info = {TIN: "234-56-7890", TIN_TYPE: "SSN", TIN_COUNTRY: "usa"}
    updated = await patch_ok(
        client, headers, customer_id, {"address": US_ADDRESS, "personalInformation": info}
    )
    assert updated["personalInformation"][TIN_TYPE] == "ssn"
    assert updated["personalInformation"][TIN_COUNTRY] == "USA"


@pytest.mark.parametrize("tin_type", ["national-id", "x", "1ssn", "s" * 33])
async def test_patch_refuses_malformed_tax_type(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, tin_type: str
) -> None:
    info = {TIN: "234-56-7890", TIN_TYPE: tin_type, TIN_COUNTRY: "USA"}
    body = {"address": US_ADDRESS, "personalInformation": info}
    response = await patch_refused(client, headers, customer_id, body, 422, VALIDATION, [f"{PI}/{TIN_TYPE}"])
    assert_not_echoed(response.text, "234-56-7890")


@pytest.mark.parametrize(
    "number",
    [
        "000-12-3456",
        "666-12-3456",
        "900-12-3456",
        "123-00-4567",
        "123-45-0000",
        "123-45-678",
        "123-456-7890",
        "123-456789",
        "12345678",
        "abc-de-fghi",
    ],
)
async def test_patch_refuses_malformed_ssn_without_echoing_it(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, number: str
) -> None:
    info = {TIN: number, TIN_TYPE: "ssn", TIN_COUNTRY: "USA"}
    response = await patch_refused(
        client,
        headers,
        customer_id,
        {"address": US_ADDRESS, "personalInformation": info},
        422,
        VALIDATION,
        [f"{PI}/{TIN}"],
        SSN_MESSAGE,
    )
    assert number not in response.text
    if re.sub(r"\D", "", number):
        assert_not_echoed(response.text, number)


async def test_create_refuses_malformed_ssn_without_echoing_it(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    info = {**JANE["personalInformation"], TIN: "000-12-3456"}
    response = await create_refused(
        client, headers, jane(personalInformation=info), 422, VALIDATION, [f"{PI}/{TIN}"], SSN_MESSAGE
    )
    assert_not_echoed(response.text, "000-12-3456")


@pytest.mark.parametrize("number", ["234-56-7890", "234567890"])
async def test_patch_accepts_well_formed_ssn(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, number: str
) -> None:
    info = {TIN: number, TIN_TYPE: "ssn", TIN_COUNTRY: "USA"}
    response = await client.patch(
        f"{URL}/{customer_id}", json={"address": US_ADDRESS, "personalInformation": info}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["personalInformation"][TIN_TYPE] == "ssn"
    assert_not_echoed(response.text, number)


# --- date of birth -----------------------------------------------------------------------------

BAD_BIRTH_DATES = [
    pytest.param(
        (today() + timedelta(days=1)).isoformat(), "Date of birth must be in the past", id="tomorrow"
    ),
    pytest.param(years_ago(17).isoformat(), "Customer must be at least 18 years old", id="aged-17"),
    pytest.param(
        (years_ago(18) + timedelta(days=1)).isoformat(),
        "Customer must be at least 18 years old",
        id="18-tomorrow",
    ),
    pytest.param("1899-12-31", "Date of birth must be after 1900-01-01", id="1899"),
    pytest.param("2001-02-30", None, id="30-february"),
    pytest.param("17/05/1990", None, id="dd-mm-yyyy"),
    pytest.param("1990-5-17", None, id="single-digit-month"),
    pytest.param("1990-05-17T00:00:00Z", None, id="datetime"),
    pytest.param(19900517, None, id="integer"),
    pytest.param(642902400, None, id="unix-timestamp"),
    pytest.param(True, None, id="boolean"),
    pytest.param("", None, id="empty"),
]
GOOD_BIRTH_DATES = ["1990-05-17", "1900-01-01", years_ago(18).isoformat()]


@pytest.mark.parametrize(("value", "detail"), BAD_BIRTH_DATES)
async def test_patch_refuses_bad_date_of_birth(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, value: Any, detail: str | None
) -> None:
    body = {"address": US_ADDRESS, "personalInformation": {"dateOfBirth": value}}
    await patch_refused(client, headers, customer_id, body, 422, VALIDATION, [f"{PI}/dateOfBirth"], detail)


@pytest.mark.parametrize(("value", "detail"), BAD_BIRTH_DATES)
async def test_create_refuses_bad_date_of_birth(
    client: httpx.AsyncClient, headers: dict[str, str], value: Any, detail: str | None
) -> None:
    body = jane(personalInformation={**JANE["personalInformation"], "dateOfBirth": value})
    await create_refused(client, headers, body, 422, VALIDATION, [f"{PI}/dateOfBirth"], detail)


@pytest.mark.parametrize("value", GOOD_BIRTH_DATES)
async def test_patch_accepts_adult_date_of_birth(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, value: str
) -> None:
    body = {"address": US_ADDRESS, "personalInformation": {"dateOfBirth": value}}
    updated = await patch_ok(client, headers, customer_id, body)
    assert updated["dateOfBirth"] == value
    assert updated["personalInformation"]["dateOfBirth"] == value


@pytest.mark.parametrize("value", GOOD_BIRTH_DATES)
async def test_create_accepts_adult_date_of_birth(
    client: httpx.AsyncClient, headers: dict[str, str], value: str
) -> None:
    created = await create_ok(client, headers, jane(personalInformation={"dateOfBirth": value}))
    assert created["dateOfBirth"] == value
    assert created["personalInformation"]["dateOfBirth"] == value


# --- explicit nulls ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ({"address": None}, "/address"),
        ({"meta": None}, "/meta"),
        ({"personalInformation": None}, "/personalInformation"),
        ({"address": US_ADDRESS, "personalInformation": {"firstName": None}}, f"{PI}/firstName"),
        ({"address": US_ADDRESS, "personalInformation": {"middleName": None}}, f"{PI}/middleName"),
        ({"address": US_ADDRESS, "personalInformation": {"lastName": None}}, f"{PI}/lastName"),
        ({"address": US_ADDRESS, "personalInformation": {"dateOfBirth": None}}, f"{PI}/dateOfBirth"),
        ({"address": US_ADDRESS, "personalInformation": {"nationality": None}}, f"{PI}/nationality"),
        (
            {"address": US_ADDRESS, "personalInformation": {"firstName": "Janet", "gender": None}},
            f"{PI}/gender",
        ),
    ],
)
async def test_patch_refuses_explicit_null(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, body: dict[str, Any], pointer: str
) -> None:
    await patch_refused(client, headers, customer_id, body, 422, VALIDATION, [pointer], NULL_MESSAGE)


@pytest.mark.parametrize(
    ("info", "pointer"),
    [
        ({TIN: None, TIN_TYPE: "ssn", TIN_COUNTRY: "USA"}, f"{PI}/{TIN}"),
        (
            {TIN: "X1234567", TIN_TYPE: "other", TIN_COUNTRY: "DEU", TIN_DESCRIPTION: None},
            f"{PI}/{TIN_DESCRIPTION}",
        ),
    ],
)
async def test_patch_refuses_explicit_null_tax_field_as_validation_error(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, info: dict[str, Any], pointer: str
) -> None:
    address = DEU_ADDRESS if info[TIN_COUNTRY] == "DEU" else US_ADDRESS
    body = {"address": address, "personalInformation": info}
    await patch_refused(client, headers, customer_id, body, 422, VALIDATION, [pointer], NULL_MESSAGE)


# --- meta --------------------------------------------------------------------------------------

GOOD_META = [
    pytest.param({f"key{i}": i for i in range(50)}, id="50-keys"),
    pytest.param({"k" * 40: "v"}, id="key-40-chars"),
    pytest.param(
        {"s": "text", "i": 42, "f": 1.5, "neg": -7, "t": True, "b": False, "n": None}, id="primitives"
    ),
    pytest.param({"long": "x" * 500}, id="string-500"),
    pytest.param({"empty": ""}, id="empty-string"),
]
BAD_META = [
    pytest.param({f"key{i}": i for i in range(51)}, "/meta", "Meta may hold at most 50 keys", id="51-keys"),
    pytest.param({"k" * 41: "v"}, "/meta/" + "k" * 41, "Meta keys must be 1 to 40 characters", id="key-41"),
    pytest.param({"": "v"}, "/meta/", "Meta keys must be 1 to 40 characters", id="empty-key"),
    pytest.param({"nested": {"a": 1}}, "/meta/nested", META_VALUE_MESSAGE, id="object"),
    pytest.param({"list": [1, 2]}, "/meta/list", META_VALUE_MESSAGE, id="list"),
    pytest.param({"a/b": []}, "/meta/a~1b", META_VALUE_MESSAGE, id="escaped-pointer"),
    pytest.param(
        {"long": "x" * 501},
        "/meta/long",
        "Meta string values must be at most 500 characters",
        id="string-501",
    ),
]


@pytest.mark.parametrize("meta", GOOD_META)
async def test_patch_accepts_meta(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, meta: dict[str, Any]
) -> None:
    updated = await patch_ok(client, headers, customer_id, {"meta": meta})
    assert updated["meta"] == meta


@pytest.mark.parametrize(("meta", "pointer", "detail"), BAD_META)
async def test_patch_refuses_bad_meta(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    customer_id: str,
    meta: dict[str, Any],
    pointer: str,
    detail: str,
) -> None:
    await patch_refused(client, headers, customer_id, {"meta": meta}, 422, VALIDATION, [pointer], detail)


@pytest.mark.parametrize("meta", GOOD_META)
async def test_create_accepts_meta(
    client: httpx.AsyncClient, headers: dict[str, str], meta: dict[str, Any]
) -> None:
    created = await create_ok(client, headers, jane(meta=meta))
    assert created["meta"] == meta


@pytest.mark.parametrize(("meta", "pointer", "detail"), BAD_META)
async def test_create_refuses_bad_meta(
    client: httpx.AsyncClient, headers: dict[str, str], meta: dict[str, Any], pointer: str, detail: str
) -> None:
    await create_refused(client, headers, jane(meta=meta), 422, VALIDATION, [pointer], detail)


async def test_patch_reports_every_bad_meta_key_at_once(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str
) -> None:
    meta = {"ok": 1, "nested": {"a": 1}, "long": "x" * 501}
    await patch_refused(
        client, headers, customer_id, {"meta": meta}, 422, VALIDATION, ["/meta/nested", "/meta/long"]
    )


# --- the tax number is never shown -------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "new_info"),
    [
        pytest.param(jane(), {TIN: "234-56-7890", TIN_TYPE: "ssn", TIN_COUNTRY: "USA"}, id="ssn"),
        pytest.param(foreign_jane(), {TIN: "98765432100", TIN_TYPE: "cpf", TIN_COUNTRY: "BRA"}, id="cpf"),
    ],
)
async def test_tax_number_is_never_echoed(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any], new_info: dict[str, Any]
) -> None:
    first = body["personalInformation"][TIN]
    created = await client.post(URL, json=body, headers=headers)
    assert created.status_code == 201, created.text
    customer_id = created.json()["id"]
    patch = {"address": body["address"], "personalInformation": new_info}
    patched = await client.patch(f"{URL}/{customer_id}", json=patch, headers=headers)
    assert patched.status_code == 200, patched.text
    got = await client.get(f"{URL}/{customer_id}", headers=headers)
    listed = await client.get(URL, headers=headers)
    assert got.status_code == listed.status_code == 200
    assert listed.json()["pagination"]["total"] == 1
    assert got.json()["personalInformation"][TIN_TYPE] == new_info[TIN_TYPE]
    for response in (created, patched, got, listed):
        assert_not_echoed(response.text, first)
        assert_not_echoed(response.text, new_info[TIN])


# --- business customers are not PATCHed here ---------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"meta": {"internalUserId": "usr_9912"}},
        {"address": US_ADDRESS},
        {"address": US_ADDRESS, "personalInformation": {"firstName": "Jane"}},
    ],
)
async def test_patch_on_business_customer_is_refused(
    client: httpx.AsyncClient, headers: dict[str, str], body: dict[str, Any]
) -> None:
    created = await create_ok(client, headers, business())
    response = await patch_refused(
        client, headers, created["id"], body, 400, "customer/kyb-flow-required", []
    )
    assert response.json()["errors"] == []


# --- bodies that are not a JSON object ---------------------------------------------------------

NOT_JSON = [b"{not json", b'{"email": ', b""]  # (not UTF-8 at all: test_media_types.py)
# Well-formed JSON, but not an object: the whole body (pointer "") is refused.
NOT_AN_OBJECT = [b"[]", json.dumps([JANE]).encode(), b'"jane"', b"42", b"null", b"true"]
JSON_HEADERS = {"Content-Type": "application/json"}


@pytest.mark.parametrize("content", NOT_JSON)
async def test_create_refuses_malformed_json(
    client: httpx.AsyncClient, headers: dict[str, str], content: bytes
) -> None:
    response = await client.post(URL, content=content, headers={**headers, **JSON_HEADERS})
    assert response.status_code == 422, response.text
    assert response.json()["code"] == VALIDATION
    # The whole document is at fault, not a field (pydantic's location is a character offset);
    # an empty body is a missing one.
    [error] = response.json()["errors"]
    assert error["pointer"] == ""
    assert error["detail"].startswith("Invalid JSON" if content else "Field required")
    assert await customer_count(client, headers) == 0


@pytest.mark.parametrize("content", NOT_JSON)
async def test_patch_refuses_malformed_json(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, content: bytes
) -> None:
    before = await fetch(client, headers, customer_id)
    response = await client.patch(
        f"{URL}/{customer_id}", content=content, headers={**headers, **JSON_HEADERS}
    )
    assert response.status_code == 422, response.text
    assert response.json()["code"] == VALIDATION
    # The whole document is at fault, not a field (pydantic's location is a character offset);
    # an empty body is a missing one.
    [error] = response.json()["errors"]
    assert error["pointer"] == ""
    assert error["detail"].startswith("Invalid JSON" if content else "Field required")
    assert await fetch(client, headers, customer_id) == before


@pytest.mark.parametrize("content", NOT_AN_OBJECT)
async def test_create_refuses_json_that_is_not_an_object(
    client: httpx.AsyncClient, headers: dict[str, str], content: bytes
) -> None:
    response = await client.post(URL, content=content, headers={**headers, **JSON_HEADERS})
    assert_refused(response, 422, VALIDATION, [""])
    assert await customer_count(client, headers) == 0


@pytest.mark.parametrize("content", NOT_AN_OBJECT)
async def test_patch_refuses_json_that_is_not_an_object(
    client: httpx.AsyncClient, headers: dict[str, str], customer_id: str, content: bytes
) -> None:
    before = await fetch(client, headers, customer_id)
    response = await client.patch(
        f"{URL}/{customer_id}", content=content, headers={**headers, **JSON_HEADERS}
    )
    assert_refused(response, 422, VALIDATION, [""])
    assert await fetch(client, headers, customer_id) == before
