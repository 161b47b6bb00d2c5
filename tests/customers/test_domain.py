"""Properties of the pure domain rules: the identity lock holds whatever the change, and covers what
was supplied, not what is missing; an import never turns one person into another."""

from __future__ import annotations

from dataclasses import replace
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
from kycrail.customers.provider import ImportedKyc
from kycrail.errors import IdentityLocked, IdentityMismatch

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


# --- imports: the same person, on one normal form -------------------------------------------------


def imported(identity: dict[str, Any], unreadable: frozenset[str] = frozenset()) -> ImportedKyc:
    """An approved import of a person (SumSub's applicant, as the mapping leaves it)."""
    return ImportedKyc(
        provider="sumsub",
        provider_label="SumSub",
        applicant_id="applicant-1",
        level_name="basic-kyc-level",
        approved=True,
        rejection_reason=None,
        review_answer="GREEN",
        identity=identity,
        unreadable=unreadable,
    )


def unverified(identity: Identity) -> Customer:
    return replace(customer(submitted=False), identity=identity)


JANE_SMITH = {"first_name": "Jane", "last_name": "Smith", "date_of_birth": date(1990, 5, 17)}
PERSON_FIELDS = ("first_name", "middle_name", "last_name", "date_of_birth")


@pytest.mark.parametrize("field", PERSON_FIELDS)
@pytest.mark.parametrize("held", [IDENTITY, Identity()], ids=["customer-holds-it", "customer-has-none"])
def test_an_unreadable_person_field_refuses_the_import(field: str, held: Identity) -> None:
    readable = {name: value for name, value in JANE_SMITH.items() if name != field}
    kyc = imported(readable, unreadable=frozenset({field}))
    with pytest.raises(IdentityMismatch) as refused:
        domain.check_same_person(unverified(held), kyc, None)
    words = field.replace("_", " ")
    assert refused.value.detail == (
        f"SumSub's applicant holds a {words} kycrail cannot read, so it cannot be confirmed to be this "
        "customer; nothing was imported."
    )
    assert [error.pointer for error in refused.value.errors] == ["/shareToken"]
    with pytest.raises(IdentityMismatch):
        domain.import_kyc(unverified(held), kyc, CustomerChanges(identity={"first_name": "Jane"}), NOW)


def test_every_unreadable_field_is_named_and_no_value_is_shown() -> None:
    kyc = imported({}, unreadable=frozenset({"last_name", "first_name", "date_of_birth"}))
    with pytest.raises(IdentityMismatch) as refused:
        domain.check_same_person(unverified(IDENTITY), kyc, None)
    assert "holds a first name, a last name and a date of birth kycrail cannot read" in refused.value.detail
    assert "Jane" not in refused.value.detail
    assert "Smith" not in refused.value.detail


def test_an_unreadable_field_that_does_not_say_who_the_person_is_does_not_refuse() -> None:
    kyc = imported(JANE_SMITH, unreadable=frozenset({"nationality"}))
    domain.check_same_person(unverified(IDENTITY), kyc, None)


@pytest.mark.parametrize(
    ("sumsubs", "declared", "kept"),
    [
        ("\uff2a\uff21\uff2e\uff25", None, "Jane"),  # fullwidth; the stored spelling is kept
        ("JANE", None, "Jane"),
        ("Jáne", {"first_name": "jane"}, "jane"),  # the spelling this request declares
        ("\uff2a\uff41\uff4e\uff45", {"first_name": "JANE"}, "JANE"),
    ],
)
def test_the_customers_spelling_of_the_same_name_is_kept(
    sumsubs: str, declared: dict[str, Any] | None, kept: str
) -> None:
    changes = CustomerChanges(identity=declared) if declared is not None else None
    after = domain.import_kyc(
        unverified(IDENTITY), imported({**JANE_SMITH, "first_name": sumsubs}), changes, NOW
    )
    assert after.identity.first_name == kept
    assert after.identity.last_name == "Smith"


def test_a_name_the_customer_lacks_is_taken_from_the_import() -> None:
    kyc = imported({**JANE_SMITH, "middle_name": "Rose"})
    after = domain.import_kyc(unverified(IDENTITY), kyc, None, NOW)
    assert after.identity.middle_name == "Rose"
    nameless = domain.import_kyc(unverified(Identity()), kyc, None, NOW)
    assert (nameless.identity.first_name, nameless.identity.last_name) == ("Jane", "Smith")


def test_the_webhook_path_leaves_unreadable_fields_out_and_applies_the_rest() -> None:
    kyc = imported({"last_name": "Smith"}, unreadable=frozenset({"first_name"}))
    after = domain.apply_applicant(unverified(Identity()), kyc, NOW)
    assert (after.identity.first_name, after.identity.last_name) == (None, "Smith")


# --- a provider's tax number, placed by the customer's residence ------------------------------------


def with_tin(tin: str) -> ImportedKyc:
    return replace(imported(JANE_SMITH), tin_without_residence=tin)


@pytest.mark.parametrize(
    ("address", "tin", "placed"),
    [
        (replace(ADDRESS, country="DEU", state=None, postal_code="10115"), "12345678901", ("other", "DEU")),
        (ADDRESS, "536221234", ("ssn", "USA")),  # a US resident's is an SSN, written with its dashes
        (ADDRESS, "12345678901", None),  # not an SSN: not usable for a US resident, stays required
        (None, "12345678901", None),  # nowhere to place it yet
    ],
)
def test_a_tin_sumsub_holds_without_a_country_is_placed_by_the_customers_residence(
    address: Address | None, tin: str, placed: tuple[str, str] | None
) -> None:
    lacking = replace(unverified(Identity()), address=address)
    for after in (
        domain.import_kyc(lacking, with_tin(tin), None, NOW),
        domain.apply_applicant(lacking, with_tin(tin), NOW),
    ):
        tax = after.identity.tax
        assert ((tax.type, tax.country) if tax else None) == placed
        if tax is not None and tax.type == "other":
            assert tax.description == "Taxpayer identification number, as verified by SumSub"


def test_an_address_sent_beside_the_token_places_the_tin_and_a_customers_own_tin_is_kept() -> None:
    lacking = replace(unverified(Identity()), address=None)
    berlin = Address(line1="Unter den Linden 1", city="Berlin", postal_code="10115", country="DEU")
    after = domain.import_kyc(lacking, with_tin("12345678901"), CustomerChanges(address=berlin), NOW)
    assert after.identity.tax is not None
    assert (after.identity.tax.number, after.identity.tax.country) == ("12345678901", "DEU")
    own = domain.import_kyc(unverified(IDENTITY), with_tin("12345678901"), None, NOW)
    assert own.identity.tax == TAX
