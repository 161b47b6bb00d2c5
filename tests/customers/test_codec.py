"""The personal document and the snapshot give back the customer they were made from, whole."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from kycrail.customers import codec
from kycrail.customers.model import Customer, SumsubLink
from tests.factories import customers as domain_customers

_times = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))
_links = st.builds(
    SumsubLink,
    applicant_id=st.text(min_size=1, max_size=24),
    level_name=st.none() | st.text(max_size=20),
    review_answer=st.none() | st.sampled_from(["GREEN", "RED"]),
    imported_at=_times,
)


@st.composite
def customers(draw: st.DrawFn) -> Customer:
    """The domain's customers, with what the factory leaves out: a SumSub link, criteria sent back
    (with a reviewer's words), a deletion."""
    return replace(
        draw(domain_customers()),
        sumsub=draw(st.none() | _links),
        criterion_errors=draw(
            st.dictionaries(
                st.sampled_from(["identity_document", "residential_address"]), st.text(max_size=40)
            )
        ),
        deleted_at=draw(st.none() | _times),
    )


@settings(max_examples=50, deadline=None)
@given(customers())
def test_the_personal_document_and_the_plain_columns_make_the_customer_again(customer: Customer) -> None:
    plain = SimpleNamespace(
        id=customer.id,
        tenant_id=customer.tenant_id,
        type=customer.type.value,
        submitted_at=customer.submitted_at,
        created_at=customer.created_at,
        updated_at=customer.updated_at,
        deleted_at=customer.deleted_at,
        version=customer.version,
    )
    assert codec.customer_from(plain, codec.personal_document(customer)) == customer


@settings(max_examples=50, deadline=None)
@given(customers())
def test_a_snapshot_makes_the_customer_again(customer: Customer) -> None:
    assert codec.customer_from_snapshot(codec.snapshot(customer)) == customer
