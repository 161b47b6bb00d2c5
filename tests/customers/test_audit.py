"""What a write changed, as audit paths: every changed path listed once, personal values masked."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

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
        if change["field"].startswith((*SHOWN, "sumsub.review_answer", "sumsub.level_name", "open_hits")):
            assert change["from"] != change["to"]
        else:
            assert {change["from"], change["to"]} <= {audit.MASK, None}, change


@given(customers())
def test_no_change_is_no_path_and_a_creation_lists_what_is_set(customer: Customer) -> None:
    assert audit.changes(customer, replace(customer, updated_at=T0, version=customer.version + 1)) == []
    created = audit.changes(None, customer)
    assert all(change["from"] is None for change in created)
    assert "verification_status" in [change["field"] for change in created]


def _every_field_compared(before: Customer, after: Customer) -> list[dict[str, object]]:
    """The diff as it was before unchanged fields were skipped: every field flattened on both sides."""
    old, new = audit._facts(before, audit._COMPARED), audit._facts(after, audit._COMPARED)
    return [
        audit._change(path, old.get(path), new.get(path))
        for path in sorted(old.keys() | new.keys())
        if old.get(path) != new.get(path)
    ]


@settings(max_examples=80, deadline=None)
@given(customers(), customers(), st.sampled_from(audit._COMPARED))
def test_skipping_unchanged_fields_changes_nothing_in_the_diff(
    before: Customer, other: Customer, name: str
) -> None:
    # An update shares every field it does not change with the customer it came from (``replace``).
    after = replace(before, **{name: getattr(other, name)}, version=before.version + 1)
    assert audit.changes(before, after) == _every_field_compared(before, after)
    unrelated = replace(other, id=before.id, tenant_id=before.tenant_id)
    assert audit.changes(before, unrelated) == _every_field_compared(before, unrelated)
