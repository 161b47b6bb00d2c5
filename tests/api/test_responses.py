"""Each dialect describes a customer once: the body its ``customer_out`` builds is exactly what its
documented model (the OpenAPI schema) says, for any customer the domain can hold."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from pydantic import BaseModel

from kycrail.api.sphere import responses as sphere
from kycrail.api.swipelux import responses as swipelux
from kycrail.customers.model import Customer
from tests.factories import customers


def same_shape(model: type[BaseModel], body: dict[str, Any]) -> None:
    # Validating ignores unknown keys and fills defaults: dumping back what was set must give the body
    # again, so that no key is undocumented and no documented one is left out.
    parsed = model.model_validate(body, strict=False)
    assert parsed.model_dump(mode="json", exclude_unset=True) == body


@settings(max_examples=200, deadline=None)
@given(customers())
def test_the_sphere_body_is_its_documented_shape(customer: Customer) -> None:
    same_shape(sphere.SphereCustomerOut, sphere.customer_out(customer))


@settings(max_examples=200, deadline=None)
@given(customers())
def test_the_swipelux_body_is_its_documented_shape(customer: Customer) -> None:
    same_shape(swipelux.SwipeluxCustomerOut, swipelux.customer_out(customer))
