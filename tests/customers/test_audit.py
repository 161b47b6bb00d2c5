"""What a write changed, as audit paths: every changed path listed once, personal values masked."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings

from kycrail.customers import audit
from kycrail.customers.model import Customer
from tests.factories import T0, customers

SHOWN = (
    "type",
    "verification_status",
    "submitted_at",
    "deleted_at",
    "documents.",
    "review.",
    "criterion_errors.",
)


@settings(max_examples=60, deadline=None)
@given(customers(), customers())
def test_changes_are_listed_once_sorted_and_personal_values_masked(before: Customer, after: Customer) -> None:
    after = replace(after, id=before.id, tenant_id=before.tenant_id)
    changes = audit.changes(before, after)
    paths = [change["field"] for change in changes]
    assert paths == sorted(set(paths))
    for change in changes:
        if change["field"].startswith((*SHOWN, "sumsub.review_answer", "sumsub.level_name")):
            assert change["from"] != change["to"]
        else:
            assert {change["from"], change["to"]} <= {audit.MASK, None}, change


@given(customers())
def test_no_change_is_no_path_and_a_creation_lists_what_is_set(customer: Customer) -> None:
    assert audit.changes(customer, replace(customer, updated_at=T0, version=customer.version + 1)) == []
    created = audit.changes(None, customer)
    assert all(change["from"] is None for change in created)
    assert "verification_status" in [change["field"] for change in created]
