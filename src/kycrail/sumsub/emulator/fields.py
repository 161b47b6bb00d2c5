"""Reading fields out of hostile request bodies and queries: each helper answers the value or raises a
400 ``Failure`` naming the field, never lets a wrong type through to the state."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from kycrail.sumsub.emulator.errors import Failure
from kycrail.sumsub.emulator.wire import JsonObject

MAX_TEXT = 1024  # no SumSub field kycrail knows of is longer; a cap keeps hostile bodies out of the state
MAX_NESTED = 16 * 1024
_ALPHA3 = re.compile(r"[A-Z]{3}")
_DIGITS = re.compile(r"\d{1,12}")


def text(fields: Mapping[str, Any], name: str, *, required: bool = False) -> str | None:
    """A non-blank string of at most MAX_TEXT characters, or None when absent (and not required)."""
    value = fields.get(name)
    if value is None or value == "":
        if required:
            raise Failure(400, f"{name} is required")
        return None
    if not isinstance(value, str) or len(value) > MAX_TEXT or not value.strip():
        raise Failure(400, f"{name} must be a non-blank string of at most {MAX_TEXT} characters")
    return value


def required_text(fields: Mapping[str, Any], name: str) -> str:
    value = text(fields, name, required=True)
    assert value is not None  # text() raised otherwise
    return value


def ttl(fields: Mapping[str, Any], *, default: int, maximum: int) -> int:
    """``ttlInSecs`` from a JSON body (an integer) or a query (digits), within 1..maximum."""
    value = fields.get("ttlInSecs", default)
    if isinstance(value, str) and _DIGITS.fullmatch(value):
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= maximum:
        raise Failure(400, f"ttlInSecs must be an integer between 1 and {maximum}")
    return value


def obj(fields: Mapping[str, Any], name: str) -> JsonObject:
    """A JSON object, {} when absent."""
    value = fields.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise Failure(400, f"{name} must be a JSON object")
    return value


def country(value: object, name: str) -> str:
    if not isinstance(value, str) or not _ALPHA3.fullmatch(value):
        raise Failure(400, f"{name} must be an ISO 3166-1 alpha-3 country code such as USA")
    return value


def iso_date(value: object, name: str) -> str:
    if isinstance(value, str) and len(value) == 10:
        try:
            date.fromisoformat(value)
            return value
        except ValueError:
            pass
    raise Failure(400, f"{name} must be a date written YYYY-MM-DD")


# fixedInfo fields with a format SumSub checks; every other field only has to be short text.
_DATES = ("dob", "issuedDate", "validUntil")
_COUNTRIES = ("country", "nationality", "countryOfBirth")
_NESTED = ("addresses", "idDocs", "companyInfo")


def fixed_info(value: object) -> JsonObject:
    """``fixedInfo`` as given by a client: flat text fields, checked dates and country codes, and the
    nested ``addresses``/``idDocs`` lists and ``companyInfo`` object kept if they are objects."""
    if not isinstance(value, dict):
        raise Failure(400, "fixedInfo must be a JSON object")
    checked: JsonObject = {}
    for name, field in value.items():
        if field is None:
            continue
        path = f"fixedInfo.{name}"
        if name in _NESTED:
            checked[name] = _nested(field, path, as_list=name != "companyInfo")
        elif name in _DATES:
            checked[name] = iso_date(field, path)
        elif name in _COUNTRIES:
            checked[name] = country(field, path)
        else:
            checked[name] = _flat(field, path)
    return checked


def _flat(value: object, path: str) -> str:
    if not isinstance(value, str) or len(value) > MAX_TEXT:
        raise Failure(400, f"{path} must be a string of at most {MAX_TEXT} characters")
    return value


def _nested(value: object, path: str, *, as_list: bool) -> Any:
    # Kept as given (SumSub's nested shapes are many), but only objects, and small.
    items = value if as_list else [value]
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise Failure(400, f"{path} must be {'a list of JSON objects' if as_list else 'a JSON object'}")
    if len(json.dumps(value)) > MAX_NESTED:
        raise Failure(400, f"{path} is larger than {MAX_NESTED} characters")
    return value
