"""Each dialect answers every error class in its own style, and each operation documents exactly the
errors it can raise (the ``client`` fixture holds every answer a test sees to that document)."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI

from kycrail import errors
from kycrail.api.common.errors import ErrorTable
from kycrail.api.sphere.errors import ERRORS as SPHERE
from kycrail.api.swipelux.errors import ERRORS as SWIPELUX
from kycrail.errors import HttpError, KycrailError, RuleViolation


def concrete_errors() -> set[type[KycrailError]]:
    """Every error class a client can meet (the bases and the HTTP layer's own aside)."""
    found: set[type[KycrailError]] = set()
    pending: list[type[KycrailError]] = [KycrailError]
    while pending:
        for subclass in pending.pop().__subclasses__():
            pending.append(subclass)
            found.add(subclass)
    return found - {RuleViolation, HttpError}


@pytest.mark.parametrize("table", [SPHERE, SWIPELUX], ids=["sphere", "swipelux"])
def test_every_error_class_is_mapped_in_both_dialects(table: ErrorTable) -> None:
    assert set(table.specs) == concrete_errors()


def test_sphere_codes_are_area_slash_kebab_case_but_for_its_own_unauthorized() -> None:
    for error, spec in SPHERE.specs.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*/[a-z]+(-[a-z]+)*", spec.code) or spec.code == "unauthorized", (
            error
        )


def test_swipelux_codes_are_snake_case() -> None:
    for error, spec in SWIPELUX.specs.items():
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", spec.code), error


def test_the_dialects_differ_only_where_swipelux_says_conflict() -> None:
    different = {
        error for error in SPHERE.specs if SPHERE.specs[error].status != SWIPELUX.specs[error].status
    }
    assert different == {errors.IdentityLocked, errors.CustomerRejected}
    assert {SWIPELUX.specs[error].status for error in different} == {409}


def test_an_error_of_the_http_layer_keeps_its_status_in_the_dialects_style() -> None:
    assert SPHERE.spec(HttpError(415, "Unsupported")).code == "http/415"
    assert SWIPELUX.spec(HttpError(415, "Unsupported")).code == "http_415"


def test_responses_group_the_codes_an_operation_can_raise_by_status() -> None:
    declared = SWIPELUX.responses((errors.Unauthenticated,), errors.IdentityLocked, errors.DuplicateContact)
    assert sorted(declared) == [401, 409]
    assert declared[409]["description"] == "`customer_identity_locked`, `customer_duplicate_contact`"


@pytest.mark.parametrize(
    "path", ["/v2/customer", "/v2/customer/{customer_id}", "/v1/customers/{customer_id}"]
)
def test_a_read_advertises_no_write_errors(app: FastAPI, path: str) -> None:
    responses = app.openapi()["paths"][path]["get"]["responses"]
    assert not {"409", "412", "413", "502"} & set(responses)
    assert "401" in responses
    if "400" in responses:  # a read's only 400: a malformed conditional header (If-None-Match)
        assert responses["400"]["description"] in ("`request/invalid-header`", "`invalid_header`")


def test_the_document_names_no_module_paths(app: FastAPI) -> None:
    names = app.openapi()["components"]["schemas"]
    assert not [name for name in names if "__" in name]
    assert "HTTPValidationError" not in names  # FastAPI's 422 shape is never what a dialect answers
