"""Customers built in code for tests: request payloads, and hypothesis strategies over the domain model."""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import strategies as st

from kycrail.customers.model import (
    Address,
    BusinessInformation,
    Customer,
    CustomerType,
    DocumentStatus,
    DocumentSummary,
    DocumentType,
    Identity,
    Review,
    ReviewDecision,
    ReviewReason,
    TaxIdentification,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=12)
maybe_words = st.none() | words
times = st.integers(min_value=0, max_value=10_000_000).map(lambda seconds: T0 + timedelta(seconds=seconds))
addresses = st.builds(
    Address,
    line1=words,
    city=words,
    country=st.sampled_from(["USA", "PRT", "DEU"]),
    line2=maybe_words,
    state=maybe_words,
    postal_code=maybe_words,
)
taxes = st.builds(
    TaxIdentification,
    number=words,
    type=st.sampled_from(["ssn", "other", "cpf"]),
    country=st.sampled_from(["USA", "BRA"]),
    description=maybe_words,
)
identities = st.builds(
    Identity,
    first_name=maybe_words,
    middle_name=maybe_words,
    last_name=maybe_words,
    date_of_birth=st.none() | st.dates(date(1900, 1, 1), date(2008, 1, 1)),
    tax=st.none() | taxes,
    nationality=st.none() | st.sampled_from(["USA", "PRT"]),
    country_of_birth=st.none() | st.sampled_from(["USA", "PRT"]),
    residency_country=st.none() | st.sampled_from(["USA", "PRT"]),
    gender=maybe_words,
    occupation_soc_code=st.none() | st.just("15-1252"),
    source_of_funds=maybe_words,
)
businesses = st.builds(
    BusinessInformation,
    legal_name=words,
    trade_name=maybe_words,
    registration_number=maybe_words,
    incorporation_country=st.none() | st.just("USA"),
    entity_type=maybe_words,
    website=maybe_words,
)
meta = st.dictionaries(
    st.text(min_size=1, max_size=10),
    st.none()
    | st.booleans()
    | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False)
    | words,
    max_size=4,
)
documents = st.lists(
    st.builds(
        DocumentSummary,
        id=st.uuids().map(lambda u: f"document_{u.hex}"),
        type=st.sampled_from(DocumentType),
        status=st.sampled_from(DocumentStatus),
        created_at=times,
    ),
    max_size=4,
).map(tuple)
reviews = st.none() | st.builds(
    Review,
    decision=st.sampled_from(ReviewDecision),
    final=st.booleans(),
    reasons=st.lists(
        st.builds(ReviewReason, criterion=st.just("identity_document"), message=words), max_size=2
    ).map(tuple),
    reviewed_at=times,
    reviewer=st.just("kr_reviewer1"),
)


def customer(**fields: Any) -> Customer:
    """A customer with id, tenant and timestamps filled in; everything else from ``fields``."""
    base: dict[str, Any] = {
        "id": "customer_" + "0" * 32,
        "tenant_id": "tenant_1",
        "type": CustomerType.individual,
        "created_at": T0,
        "updated_at": T0,
    }
    return Customer(**(base | fields))


@st.composite
def customers(draw: st.DrawFn) -> Customer:
    """Any customer the domain can hold, individual or business."""
    customer_type = draw(st.sampled_from(CustomerType))
    business = customer_type is CustomerType.business
    return Customer(
        id="customer_" + draw(st.uuids()).hex,
        tenant_id="tenant_1",
        type=customer_type,
        created_at=draw(times),
        updated_at=draw(times),
        version=draw(st.integers(1, 1000)),
        email=draw(st.none() | st.just("ana@example.com")),
        phone=draw(st.none() | st.just("+351912345678")),
        address=draw(st.none() | addresses),
        operating_address=draw(st.none() | addresses) if business else None,
        identity=Identity() if business else draw(identities),
        business=draw(businesses) if business else None,
        meta=draw(meta),
        documents=draw(documents),
        submitted_at=draw(st.none() | times),
        review=draw(reviews),
        open_hits=tuple(sorted(draw(st.sets(st.sampled_from(["hit_" + "a" * 32, "hit_" + "b" * 32]))))),
    )


# --- request payloads -------------------------------------------------------------------------

# An individual with everything but documents (the seed's starting point: 4 of 6 criteria complete).
JANE: dict[str, Any] = {
    "type": "individual",
    "email": "jane.smith@example.com",
    "phone": "+14155550123",
    "address": {
        "line1": "233 South Wacker Drive",
        "line2": "Suite 4700",
        "city": "Chicago",
        "state": "IL",
        "postalCode": "60606",
        "country": "USA",
    },
    "personalInformation": {
        "firstName": "Jane",
        "lastName": "Smith",
        "dateOfBirth": "1990-05-17",
        "nationality": "USA",
        "taxIdentificationNumber": "123-45-6789",
        "taxIdentificationNumberType": "ssn",
        "taxIdentificationNumberCountry": "USA",
    },
    "meta": {"source": "tests"},
}


def jane(**overrides: Any) -> dict[str, Any]:
    """A fresh copy of JANE with top-level fields replaced (None removes a field)."""
    body = copy.deepcopy(JANE)
    for key, value in overrides.items():
        if value is None:
            body.pop(key, None)
        else:
            body[key] = value
    return body
