"""What the OpenAPI document allows is accepted (issue 28, item 1): the document's nullability, its
conditional headers' grammar, its emails and its country codes are the server's own rules."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from hypothesis import given, settings
from hypothesis import strategies as st

from kycrail.api.common.concurrency import ENTITY_TAGS_PATTERN, entity_tags
from kycrail.customers import rules
from kycrail.webhooks.urls import DOCUMENTED_URL_PATTERN, MAX_URL_LENGTH, UrlPolicy, checked_shape
from tests.factories import jane


def schema_of(app: FastAPI, name: str) -> dict[str, Any]:
    """A component of the document; a create body's ``oneOf`` with its variants in place of their refs."""
    schemas = app.openapi()["components"]["schemas"]
    found: dict[str, Any] = dict(schemas[name])
    if "oneOf" in found:
        found["oneOf"] = [schemas[variant["$ref"].rsplit("/", 1)[-1]] for variant in found["oneOf"]]
    return found


def listed(app: FastAPI, field: dict[str, Any]) -> list[str]:
    """The codes a field takes: its own ``enum``, or the named list of codes it refers to."""
    if "$ref" in field:
        field = app.openapi()["components"]["schemas"][field["$ref"].rsplit("/", 1)[-1]]
    codes: list[str] = field["enum"]
    return codes


def properties_of(schema: dict[str, Any]) -> dict[str, Any]:
    """A body's fields, in all its variants (a create body has one per type of customer)."""
    found: dict[str, Any] = dict(schema.get("properties", {}))
    for variant in schema.get("oneOf", []):
        found |= variant["properties"]
    return found


def nullable(field: dict[str, Any]) -> bool:
    return field.get("type") == "null" or {"type": "null"} in field.get("anyOf", [])


@pytest.mark.parametrize(
    "name",
    ["CreateCustomerIn", "UpdateCustomerIn", "PersonalInformationIn", "CustomerCreateIn", "CustomerUpdateIn"],
)
def test_a_body_that_refuses_nulls_documents_none(app: FastAPI, name: str) -> None:
    fields = properties_of(schema_of(app, name))
    assert [
        field
        for field, schema in fields.items()
        if nullable(schema) or ("default" in schema and schema["default"] is None)
    ] == []


def test_an_address_replaced_whole_documents_its_nulls_and_takes_them(app: FastAPI) -> None:
    assert nullable(schema_of(app, "AddressIn")["properties"]["line2"])


async def test_a_null_is_refused_where_the_document_says_omit_and_taken_where_it_allows_it(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    body = jane()
    body["address"] = {**body["address"], "line2": None}  # an address is replaced whole: null is "none"
    created = await client.post("/v2/customer", json=body, headers=headers)
    assert created.status_code == 201, created.text
    refused = await client.patch(f"/v2/customer/{created.json()['id']}", json={"meta": None}, headers=headers)
    assert refused.status_code == 422
    assert refused.json()["errors"] == [
        {"pointer": "/meta", "detail": "Must not be null; omit the field instead."}
    ]
    v1 = await client.put(f"/v1/customers/{created.json()['id']}", json={"firstName": None}, headers=headers)
    assert (v1.status_code, v1.json()["errors"][0]["pointer"]) == (422, "/firstName")


@settings(max_examples=300, deadline=None)
@given(st.from_regex(ENTITY_TAGS_PATTERN, fullmatch=True))
def test_every_conditional_header_the_document_allows_is_read(value: str) -> None:
    entity_tags("If-Match", value)  # raises InvalidHeader (a 400) for a value it cannot read


@pytest.mark.parametrize("header", ["If-Match", "If-None-Match"])
def test_the_conditional_headers_document_their_grammar(app: FastAPI, header: str) -> None:
    documented = [
        parameter["schema"]
        for operations in app.openapi()["paths"].values()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter["name"].lower() == header.lower()
    ]
    assert documented
    assert all(
        schema == {**schema, "type": "string", "pattern": ENTITY_TAGS_PATTERN} for schema in documented
    )
    assert re.fullmatch(ENTITY_TAGS_PATTERN, '"3", W/"4"')


def test_emails_are_documented_as_emails_and_countries_as_their_codes(app: FastAPI) -> None:
    create = properties_of(schema_of(app, "CreateCustomerIn"))
    assert create["email"]["format"] == "email"
    country = schema_of(app, "AddressIn")["properties"]["country"]
    assert listed(app, country) == rules.ALPHA3_CODES
    assert all(rules.country_alpha3(code) == code for code in listed(app, country))


@pytest.mark.parametrize("email", ["ana@example.xn--p1ai", "li@example.com", "o@x.museum"])
def test_an_email_at_any_real_top_level_domain_is_taken(email: str) -> None:
    assert rules.normalise_email(email) == email


@settings(max_examples=200, deadline=None)
@given(st.from_regex(DOCUMENTED_URL_PATTERN, fullmatch=True).filter(lambda url: len(url) <= MAX_URL_LENGTH))
def test_every_webhook_url_the_document_allows_has_a_shape_kycrail_takes(url: str) -> None:
    checked_shape(url, UrlPolicy(allow_private=True))  # raises UnsafeUrl for a shape it refuses


@settings(max_examples=300, deadline=None)
@given(st.from_regex(rules.SSN_PATTERN, fullmatch=True))
def test_every_ssn_the_document_allows_is_taken(number: str) -> None:
    assert rules.ssn(number) == number


@settings(max_examples=200, deadline=None)
@given(
    st.from_regex(rules.PLAIN_TEXT_PATTERN, fullmatch=True),
    st.from_regex(rules.FREE_TEXT_PATTERN, fullmatch=True),
)
def test_text_the_document_allows_passes_the_text_rules(plain: str, free: str) -> None:
    assert rules.plain_text(plain) == plain
    assert rules.free_text(free) == free
    assert rules.meta_problems({plain[:40] or "k": free[:500]}) == []


def test_the_rules_that_join_fields_are_in_the_document(app: FastAPI) -> None:
    for name, fields in (
        ("PersonalInformationIn", ("taxIdentificationNumber", "taxIdentificationNumberType")),
        ("CustomerUpdateIn", ("taxId", "taxIdType")),
    ):
        schema = schema_of(app, name)
        number, kind = fields
        assert kind in schema["dependentRequired"][number]
        assert schema["properties"][kind]["pattern"] == "^[a-z][a-z0-9_]{1,31}$"
        ssn = [
            rule["then"] for rule in schema["allOf"] if rule["if"]["properties"].get(kind) == {"const": "ssn"}
        ]
        assert ssn == [{"properties": {number: {"pattern": rules.SSN_PATTERN}}}]
    assert schema_of(app, "UpdateCustomerIn")["dependentRequired"] == {"personalInformation": ["address"]}
    for address in ("AddressIn", "ResidentialAddressIn"):
        us = schema_of(app, address)["then"]
        assert us["required"] == ["state", "postalCode"]
        assert listed(app, us["properties"]["state"]) == rules.US_STATE_CODES
        assert all(rules.us_state_code(code) == code for code in rules.US_STATE_CODES)
    assert {"legalName", "website"} & set(schema_of(app, "CustomerUpdateIn")["properties"]) == set()


async def test_a_v1_put_refuses_a_business_detail_the_document_leaves_out(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    created = await client.post("/v1/customers", json={}, headers=headers)
    refused = await client.put(
        f"/v1/customers/{created.json()['id']}", json={"legalName": "Acme"}, headers=headers
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["message"] == "Business details are managed through the KYB flow"


@pytest.mark.parametrize(
    ("path", "schema", "individual", "business", "wrong", "words"),
    [
        (
            "/v2/customer",
            "CreateCustomerIn",
            {"address"},
            {"businessInformation", "type"},
            "addresses",
            "Only business customers have this field",
        ),
        (
            "/v1/customers",
            "CustomerCreateIn",
            set(),
            {"legalName", "type"},
            "legalName",
            "Business customers only",
        ),
    ],
)
async def test_a_create_body_is_documented_by_type_and_refused_by_the_same_declaration(
    app: FastAPI,
    client: httpx.AsyncClient,
    headers: dict[str, str],
    path: str,
    schema: str,
    individual: set[str],
    business: set[str],
    wrong: str,
    words: str,
) -> None:
    variants = {
        variant["properties"]["type"]["const"]: variant for variant in schema_of(app, schema)["oneOf"]
    }
    assert individual <= set(variants["individual"]["required"])
    assert "type" not in variants["individual"]["required"]  # an individual may leave it out
    assert business <= set(variants["business"]["required"])
    assert wrong not in variants["individual"]["properties"]
    assert wrong in variants["business"]["properties"]
    body = jane() if path == "/v2/customer" else {}
    refused = await client.post(
        path, json={**body, wrong: [] if wrong == "addresses" else "Acme"}, headers=headers
    )
    assert refused.status_code == 422
    errors = refused.json()["errors"]
    assert [
        error.get("detail", error.get("message")) for error in errors if error["pointer"] == f"/{wrong}"
    ] == [words]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_date_of_birth_the_document_allows_is_taken(data: st.DataObject) -> None:
    today = date.today()
    born = data.draw(st.from_regex(rules.date_of_birth_pattern(today), fullmatch=True))
    assert rules.date_of_birth(date.fromisoformat(born), today).isoformat() == born


def test_phone_numbers_are_a_named_format_with_their_rule_in_words(app: FastAPI) -> None:
    phone = properties_of(schema_of(app, "CreateCustomerIn"))["phone"]
    assert phone["format"] == "phone"
    assert "libphonenumber" in phone["description"]
