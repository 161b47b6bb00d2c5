"""Field types and checks shared by both wire dialects (formats are the same; names differ)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from kycrail.api.common.wire import Problems
from kycrail.customers import rules
from kycrail.customers.model import Address, MetaValue, TaxIdentification
from kycrail.errors import TaxDescriptionRequired, TaxIdentificationIncomplete


def _today() -> date:
    return datetime.now(UTC).date()


def text(max_length: int) -> StringConstraints:
    """A trimmed, non-empty string of at most ``max_length`` characters."""
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)


# Names are stored in NFC, without bidirectional controls (limits count the characters as sent).
_NAME_DOCUMENTED = Field(
    description="In Unicode NFC once stored; no control or bidirectional control character, and combining "
    "marks only as a letter's script uses them (no stacked or stray marks, no overlay or enclosing marks).",
    json_schema_extra={"pattern": rules.NAME_PATTERN},
)
PersonName = Annotated[str, text(1024), AfterValidator(rules.normalise_name), _NAME_DOCUMENTED]
BusinessName = Annotated[str, text(200), AfterValidator(rules.normalise_name), _NAME_DOCUMENTED]
# A form field: StrictModel checks the text of every JSON body; form fields are checked by their type.
FormText = Annotated[
    str,
    AfterValidator(rules.plain_text),
    # An empty form field is no field at all (the form parser drops it): at least one character.
    Field(json_schema_extra={"pattern": rules.PLAIN_TEXT_PATTERN, "minLength": 1}),
]
Alpha3 = Annotated[
    str,
    AfterValidator(rules.country_alpha3),
    # Lower case is taken too (and upper-cased): the document names the codes as they are written back.
    Field(examples=["USA"], json_schema_extra={"enum": rules.ALPHA3_CODES}),
]
Email = Annotated[
    str,
    AfterValidator(rules.normalise_email),
    Field(examples=["jane.smith@example.com"], json_schema_extra={"format": "email"}),
]
Phone = Annotated[
    str,
    AfterValidator(rules.normalise_phone),
    Field(
        examples=["+14155550123"],
        description="E.164 (+ and up to 15 digits), of a number libphonenumber judges valid (an assigned "
        "range, not merely the right length).",
        # A named format: the validity of a number (its country's ranges) is no pattern.
        json_schema_extra={"format": "phone"},
    ),
]


def _iso_date_string(value: object) -> object:
    # Only "YYYY-MM-DD": pydantic's lax date would also take numbers as Unix timestamps.
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("Date must be a string in YYYY-MM-DD format")
    return value


DateOfBirth = Annotated[
    date,
    BeforeValidator(_iso_date_string),
    AfterValidator(lambda value: rules.date_of_birth(value, _today())),
    Field(
        examples=["1990-01-31"],
        description=f"YYYY-MM-DD, after 1900-01-01, of someone at least {rules.MINIMUM_AGE} years old.",
        # As of this process's start: a later day only takes more dates than the document says.
        json_schema_extra={"pattern": rules.date_of_birth_pattern(_today())},
    ),
]
_TAX_TYPE = r"^[a-z][a-z0-9_]{1,31}$"
TaxType = Annotated[
    str,
    BeforeValidator(lambda value: value.strip().lower() if isinstance(value, str) else value),
    StringConstraints(pattern=_TAX_TYPE),
    # Written out: pydantic leaves a constraint checked after a BeforeValidator out of the document.
    Field(examples=["ssn"], json_schema_extra={"pattern": _TAX_TYPE}),
]
Meta = Annotated[
    dict[str, Any],
    Field(
        description="Up to 50 keys of at most 40 characters; values are strings (at most 500 characters), "
        "numbers, booleans or null.",
        examples=[{"internalUserId": "usr_9912"}],
        # rules.meta_problems, as the document writes it.
        json_schema_extra={
            "maxProperties": rules.MAX_META_KEYS,
            "propertyNames": {
                "minLength": 1,
                "maxLength": rules.MAX_META_KEY_LENGTH,
                "pattern": rules.PLAIN_TEXT_PATTERN,
            },
            "additionalProperties": {
                "anyOf": [
                    {
                        "type": "string",
                        "maxLength": rules.MAX_META_STRING_LENGTH,
                        "pattern": rules.FREE_TEXT_PATTERN,
                    },
                    {"type": "number"},
                    {"type": "boolean"},
                    {"type": "null"},
                ]
            },
        },
    ),
]


def us_address_rule(state: str, postal_code: str) -> dict[str, Any]:
    """``to_address``'s rule for US addresses, as the document writes it: a state code and a ZIP."""
    return {
        "if": {"properties": {"country": {"const": "USA"}}, "required": ["country"]},
        "then": {
            "required": [state, postal_code],
            "properties": {
                state: {"enum": rules.US_STATE_CODES},
                postal_code: {"pattern": rules.ZIP_PATTERN},
            },
        },
    }


def tax_rules(
    number: str, type: str, country: str, description: str, *extra: dict[str, Any]
) -> dict[str, Any]:
    """``to_tax``'s rules, as the document writes them: number, type and country together, a
    description with type ``other``, an SSN's form with type ``ssn``."""
    return {
        "dependentRequired": {
            number: [type, country],
            type: [number, country],
            country: [number, type],
            description: [number, type, country],
        },
        "allOf": [
            {
                "if": {"properties": {type: {"const": "other"}}, "required": [type]},
                "then": {"required": [description]},
            },
            {
                "if": {"properties": {type: {"const": "ssn"}}, "required": [type]},
                "then": {"properties": {number: {"pattern": rules.SSN_PATTERN}}},
            },
            *extra,
        ],
    }


def us_residents_give_an_ssn(country_at: list[str], tax_type_at: list[str]) -> dict[str, Any]:
    """The domain's rule that a US resident's tax identification is an SSN, within one body: when the
    address at ``country_at`` (a path of properties) is in the USA, the type at ``tax_type_at`` is
    ``ssn`` (a write that meets a stored US address is refused by the domain: 400)."""

    def nested(path: list[str], leaf: dict[str, Any], *, required: bool) -> dict[str, Any]:
        schema = leaf
        for name in reversed(path):
            schema = {"properties": {name: schema}, **({"required": [name]} if required else {})}
        return schema

    return {
        "if": nested(country_at, {"const": "USA"}, required=True),
        "then": nested(tax_type_at, {"const": "ssn"}, required=False),
    }


def to_address(
    *,
    line1: str,
    line2: str | None,
    city: str,
    state: str | None,
    postal_code: str | None,
    country: str,
    at: str,
    problems: Problems,
) -> Address:
    """An address from a dialect's fields (``at``: its pointer). US addresses must be deliverable: a real
    state code and a ZIP or ZIP+4 (normalised); what is wrong is recorded in ``problems``."""
    if country == "USA":
        state_at, postal_code_at = f"{at}/state", f"{at}/postalCode"
        if state is None:
            problems.add(state_at, "State is required for US addresses")
        else:
            state = problems.check(state_at, rules.us_state_code, state)
        if postal_code is None:
            problems.add(postal_code_at, "Postal code is required for US addresses")
        else:
            postal_code = problems.check(postal_code_at, rules.us_postal_code, postal_code)
    return Address(line1=line1, line2=line2, city=city, state=state, postal_code=postal_code, country=country)


def checked_meta(meta: dict[str, Any], pointer: str, problems: Problems) -> dict[str, MetaValue]:
    for relative, detail in rules.meta_problems(meta):
        problems.add(pointer + relative, detail)
    return meta


def to_tax(
    *,
    number: str | None,
    type: str | None,
    country: str | None,
    description: str | None,
    at: dict[str, str],
    problems: Problems,
) -> TaxIdentification:
    """A tax identification from a dialect's fields (``at``: the pointer of each of ``number``,
    ``type``, ``country`` and ``description``), by the rules both dialects share: number, type and
    country all given (400), a description for type ``other`` (400), an SSN well formed (422)."""
    if number is None or type is None or country is None:
        given = (("number", number), ("type", type), ("country", country))
        raise TaxIdentificationIncomplete(pointer=at[next(name for name, value in given if value is None)])
    if type == "other" and not description:
        name = at["description"].rsplit("/", 1)[-1]
        raise TaxDescriptionRequired(
            f"{name} is required when the type is 'other'.", pointer=at["description"]
        )
    if type == "ssn":
        number = problems.check(at["number"], rules.ssn, number)
    return TaxIdentification(number=number, type=type, country=country, description=description)
