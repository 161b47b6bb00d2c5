"""Properties of the pure domain rules: the identity lock holds whatever the change, and covers what
was supplied, not what is missing."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kycrail.customers import domain
from kycrail.customers.domain import CustomerChanges
from kycrail.customers.model import (
    LOCKED_IDENTITY_FIELDS,
    Address,
    Customer,
    CustomerType,
    Identity,
    TaxIdentification,
)
from kycrail.errors import IdentityLocked

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
ADDRESS = Address(line1="1 Elm St", city="Austin", state="TX", postal_code="73301", country="USA")
TAX = TaxIdentification(number="123-45-6789", type="ssn", country="USA")
IDENTITY = Identity(first_name="Jane", last_name="Smith", date_of_birth=date(1990, 5, 17), tax=TAX)


def customer(submitted: bool) -> Customer:
    return Customer(
        id="customer_" + "a" * 32,
        tenant_id="tenant_1",
        type=CustomerType.individual,
        created_at=NOW - timedelta(days=1),
        updated_at=NOW - timedelta(days=1),
        email="jane@example.com",
        phone="+14155550123",
        address=ADDRESS,
        identity=IDENTITY,
        submitted_at=NOW - timedelta(hours=1) if submitted else None,
    )


names = st.sampled_from(["Jane", "Janet", "Smith", "Smyth", "Q"])
identity_changes = st.fixed_dictionaries(
    {},
    optional={
        "first_name": names,
        "middle_name": names,
        "last_name": names,
        "date_of_birth": st.dates(date(1950, 1, 1), date(2000, 1, 1)),
        "tax": st.sampled_from([TAX, TaxIdentification(number="234-56-7890", type="ssn", country="USA")]),
        "occupation_soc_code": st.sampled_from(["15-1252", "11-1011"]),
    },
)


@given(identity_changes, st.booleans())
def test_a_submitted_identity_never_changes(changes: dict[str, Any], with_meta: bool) -> None:
    before = customer(submitted=True)
    request = CustomerChanges(identity=changes, meta={"k": "v"} if with_meta else domain.UNSET)
    supplied = [name for name in LOCKED_IDENTITY_FIELDS if getattr(before.identity, name) is not None]
    changes_locked = any(
        name in changes and changes[name] != getattr(before.identity, name) for name in supplied
    )
    if changes_locked:
        with pytest.raises(IdentityLocked):
            domain.apply_changes(before, request)
        return
    after = domain.apply_changes(before, request)
    for name in supplied:
        assert getattr(after.identity, name) == getattr(before.identity, name)
    # What was never supplied (Jane has no middle name) can be supplied, and then locks.
    if "middle_name" in changes:
        assert after.identity.middle_name == changes["middle_name"]
        assert "middle_name" in domain.locked_fields(after)


@given(identity_changes)
def test_before_submission_every_change_applies(changes: dict[str, Any]) -> None:
    after = domain.apply_changes(customer(submitted=False), CustomerChanges(identity=changes))
    for name, value in changes.items():
        assert getattr(after.identity, name) == value
