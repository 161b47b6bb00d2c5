"""The verification profile: criteria buckets, profile status and when to submit for review."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kycrail.customers import verification
from kycrail.customers.model import (
    IDENTITY_DOCUMENT_TYPES,
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
from kycrail.customers.verification import (
    Criteria,
    CriterionError,
    ProfileStatus,
    VerificationProfile,
    needs_submission,
    profile_criteria_names,
    verification_profile,
)
from tests.factories import customer

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

INDIVIDUAL_CRITERIA = (
    "email_address",
    "phone_number",
    "residential_address",
    "tax_identification_number",
    "identity_document",
    "liveness_report_document",
)
BUSINESS_CRITERIA = (
    "email_address",
    "phone_number",
    "legal_name",
    "registered_address",
    "business_registration_document",
    "proof_of_address_document",
)

ADDRESS = Address(line1="1 Main St", city="Lisbon", country="PRT")
TAX = TaxIdentification(number="123456789", type="other", country="PRT", description="NIF")


def document(type_: DocumentType, status: DocumentStatus, n: int = 0) -> DocumentSummary:
    return DocumentSummary(id=f"document_{n}", type=type_, status=status, created_at=T0)


def review(decision: ReviewDecision, *, final: bool = False, at: datetime = T0) -> Review:
    reasons = (ReviewReason("identity_document", "blurry"),) if decision is ReviewDecision.rejected else ()
    return Review(decision=decision, final=final, reasons=reasons, reviewed_at=at, reviewer="kr_abcdefghi")


def complete_individual(**fields: Any) -> Customer:
    """An individual who has supplied everything, with both documents accepted."""
    base: dict[str, Any] = {
        "email": "ana@example.com",
        "phone": "+351912345678",
        "address": ADDRESS,
        "identity": Identity(first_name="Ana", tax=TAX),
        "documents": (
            document(DocumentType.passport, DocumentStatus.accepted, 1),
            document(DocumentType.liveness_report, DocumentStatus.accepted, 2),
        ),
    }
    return customer(**(base | fields))


def supplied_individual(**fields: Any) -> Customer:
    """An individual who has supplied everything, with both documents still under review."""
    base: dict[str, Any] = {
        "documents": (
            document(DocumentType.passport, DocumentStatus.pending, 1),
            document(DocumentType.liveness_report, DocumentStatus.pending, 2),
        )
    }
    return complete_individual(**(base | fields))


def complete_business(**fields: Any) -> Customer:
    base: dict[str, Any] = {
        "type": CustomerType.business,
        "email": "ops@acme.example",
        "phone": "+14155550100",
        "address": ADDRESS,
        "business": BusinessInformation(legal_name="Acme Lda"),
        "documents": (
            document(DocumentType.business_registration, DocumentStatus.accepted, 1),
            document(DocumentType.proof_of_address, DocumentStatus.accepted, 2),
        ),
    }
    return customer(**(base | fields))


def bucket_of(profile: VerificationProfile, name: str) -> str:
    """Which bucket holds ``name`` (fails the test if it is not in exactly one)."""
    criteria = profile.criteria
    found = [
        bucket
        for bucket, names in (
            ("complete", criteria.complete),
            ("pending", criteria.pending),
            ("required", criteria.required),
            ("errors", tuple(error.name for error in criteria.errors)),
        )
        if name in names
    ]
    assert len(found) == 1, (name, criteria)
    return found[0]


# --- the vendor example --------------------------------------------------------------------------


def test_vendor_example_individual_without_documents() -> None:
    subject = customer(
        email="ana@example.com",
        phone="+351912345678",
        address=ADDRESS,
        identity=Identity(first_name="Ana", last_name="Silva", tax=TAX),
    )
    assert verification_profile(subject) == VerificationProfile(
        name="kyc_profile_a",
        status=ProfileStatus.incomplete,
        criteria=Criteria(
            complete=("email_address", "phone_number", "residential_address", "tax_identification_number"),
            pending=(),
            required=("identity_document", "liveness_report_document"),
            errors=(),
        ),
    )
    assert verification_profile(subject).status == "incomplete"


def test_profile_criteria_names_are_the_canonical_lists() -> None:
    assert profile_criteria_names(CustomerType.individual) == INDIVIDUAL_CRITERIA
    assert profile_criteria_names(CustomerType.business) == BUSINESS_CRITERIA


def test_empty_individual_requires_everything() -> None:
    profile = verification_profile(customer())
    assert profile.name == "kyc_profile_a"
    assert profile.criteria == Criteria(complete=(), pending=(), required=INDIVIDUAL_CRITERIA, errors=())
    assert profile.status is ProfileStatus.incomplete


# --- individual criteria, one at a time ----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "field", "value"),
    [
        ("email_address", "email", "ana@example.com"),
        ("phone_number", "phone", "+351912345678"),
        ("residential_address", "address", ADDRESS),
        ("tax_identification_number", "identity", Identity(tax=TAX)),
    ],
)
def test_individual_field_criteria_go_from_required_to_complete(name: str, field: str, value: object) -> None:
    assert bucket_of(verification_profile(customer()), name) == "required"
    assert bucket_of(verification_profile(customer(**{field: value})), name) == "complete"


def test_identity_without_tax_identification_leaves_tax_required() -> None:
    subject = customer(identity=Identity(first_name="Ana", last_name="Silva"))
    assert bucket_of(verification_profile(subject), "tax_identification_number") == "required"


@pytest.mark.parametrize(
    ("name", "types"),
    [
        ("identity_document", sorted(IDENTITY_DOCUMENT_TYPES)),
        ("liveness_report_document", [DocumentType.liveness_report]),
    ],
)
@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((), "required"),
        ((DocumentStatus.pending,), "pending"),
        ((DocumentStatus.accepted,), "complete"),
        ((DocumentStatus.rejected,), "required"),
        ((DocumentStatus.rejected, DocumentStatus.rejected), "required"),
        ((DocumentStatus.rejected, DocumentStatus.pending), "pending"),
        ((DocumentStatus.pending, DocumentStatus.accepted), "complete"),
        ((DocumentStatus.accepted, DocumentStatus.pending), "complete"),
        ((DocumentStatus.rejected, DocumentStatus.accepted), "complete"),
    ],
)
def test_document_criteria(
    name: str, types: list[DocumentType], statuses: tuple[DocumentStatus, ...], expected: str
) -> None:
    for type_ in types:
        documents = tuple(document(type_, status, n) for n, status in enumerate(statuses))
        assert bucket_of(verification_profile(customer(documents=documents)), name) == expected, type_


def test_any_identity_document_type_counts_even_mixed() -> None:
    documents = (
        document(DocumentType.passport, DocumentStatus.rejected, 1),
        document(DocumentType.drivers, DocumentStatus.accepted, 2),
    )
    assert bucket_of(verification_profile(customer(documents=documents)), "identity_document") == "complete"


def test_documents_of_other_types_do_not_count() -> None:
    # Business documents and liveness reports are not identity documents, and vice versa.
    documents = (
        document(DocumentType.proof_of_address, DocumentStatus.accepted, 1),
        document(DocumentType.business_registration, DocumentStatus.accepted, 2),
        document(DocumentType.passport, DocumentStatus.accepted, 3),
    )
    profile = verification_profile(customer(documents=documents))
    assert bucket_of(profile, "identity_document") == "complete"
    assert bucket_of(profile, "liveness_report_document") == "required"

    only_liveness = (document(DocumentType.liveness_report, DocumentStatus.accepted),)
    profile = verification_profile(customer(documents=only_liveness))
    assert bucket_of(profile, "identity_document") == "required"
    assert bucket_of(profile, "liveness_report_document") == "complete"


def test_pending_documents_make_pending_bucket_in_order() -> None:
    documents = (
        document(DocumentType.liveness_report, DocumentStatus.pending, 1),
        document(DocumentType.id_card, DocumentStatus.pending, 2),
    )
    profile = verification_profile(customer(documents=documents))
    assert profile.criteria.pending == ("identity_document", "liveness_report_document")


# --- criterion errors -----------------------------------------------------------------------------


def test_errors_override_complete_and_pending() -> None:
    subject = supplied_individual(
        criterion_errors={"liveness_report_document": "face not visible", "email_address": "bounced"}
    )
    profile = verification_profile(subject)
    # Canonical order, not the dict's insertion order.
    assert profile.criteria.errors == (
        CriterionError("email_address", "bounced"),
        CriterionError("liveness_report_document", "face not visible"),
    )
    assert profile.criteria.complete == (
        "phone_number",
        "residential_address",
        "tax_identification_number",
    )
    assert profile.criteria.pending == ("identity_document",)
    assert profile.criteria.required == ()
    assert profile.status is ProfileStatus.incomplete


def test_errors_override_required() -> None:
    profile = verification_profile(customer(criterion_errors={"phone_number": "not a mobile"}))
    assert profile.criteria.errors == (CriterionError("phone_number", "not a mobile"),)
    assert "phone_number" not in profile.criteria.required
    assert profile.criteria.required == tuple(n for n in INDIVIDUAL_CRITERIA if n != "phone_number")


def test_errors_outside_the_profile_are_ignored() -> None:
    subject = complete_individual(criterion_errors={"legal_name": "mismatch"})
    profile = verification_profile(subject)
    assert profile.criteria.errors == ()
    assert profile.criteria.complete == INDIVIDUAL_CRITERIA


# --- profile status ------------------------------------------------------------------------------


def test_final_rejection_is_rejected_even_when_complete_or_incomplete() -> None:
    final = review(ReviewDecision.rejected, final=True)
    assert verification_profile(complete_individual(review=final)).status is ProfileStatus.rejected
    assert verification_profile(customer(review=final)).status is ProfileStatus.rejected


def test_approval_with_everything_supplied_is_approved() -> None:
    approval = review(ReviewDecision.approved, final=True)
    assert verification_profile(complete_individual(review=approval)).status is ProfileStatus.approved
    # Approval holds even if a document is still marked pending: nothing is required or errored.
    assert verification_profile(supplied_individual(review=approval)).status is ProfileStatus.approved


def test_approval_with_something_required_or_errored_is_incomplete() -> None:
    approval = review(ReviewDecision.approved)
    assert verification_profile(complete_individual(review=approval, phone=None)).status is (
        ProfileStatus.incomplete
    )
    errored = complete_individual(review=approval, criterion_errors={"email_address": "bounced"})
    assert verification_profile(errored).status is ProfileStatus.incomplete


def test_non_final_rejection_with_errors_is_incomplete() -> None:
    subject = complete_individual(
        review=review(ReviewDecision.rejected), criterion_errors={"identity_document": "blurry"}
    )
    assert verification_profile(subject).status is ProfileStatus.incomplete


def test_everything_supplied_without_decision_is_pending() -> None:
    assert verification_profile(complete_individual()).status is ProfileStatus.pending
    assert verification_profile(supplied_individual(submitted_at=T0)).status is ProfileStatus.pending
    non_final = review(ReviewDecision.rejected, final=False)
    assert verification_profile(complete_individual(review=non_final)).status is ProfileStatus.pending


# --- needs_submission ----------------------------------------------------------------------------


def test_new_complete_customer_needs_submission() -> None:
    assert needs_submission(supplied_individual())
    assert needs_submission(complete_individual())


def test_new_incomplete_customer_does_not_need_submission() -> None:
    assert not needs_submission(customer(email="ana@example.com"))
    assert not needs_submission(complete_individual(documents=()))


def test_already_submitted_customer_does_not_need_submission() -> None:
    assert not needs_submission(supplied_individual(submitted_at=T0))


def test_rejection_before_the_latest_submission_does_not_need_submission() -> None:
    # The customer was resubmitted after the rejection: that review is running.
    subject = supplied_individual(
        submitted_at=T0 + timedelta(hours=2),
        review=review(ReviewDecision.rejected, at=T0 + timedelta(hours=1)),
    )
    assert not needs_submission(subject)


@pytest.mark.parametrize("delay", [timedelta(0), timedelta(hours=1)])
def test_non_final_rejection_after_submission_with_errors_cleared_needs_submission(delay: timedelta) -> None:
    subject = supplied_individual(submitted_at=T0, review=review(ReviewDecision.rejected, at=T0 + delay))
    assert needs_submission(subject)


def test_non_final_rejection_with_errors_remaining_does_not_need_submission() -> None:
    subject = supplied_individual(
        submitted_at=T0,
        review=review(ReviewDecision.rejected, at=T0 + timedelta(hours=1)),
        criterion_errors={"identity_document": "blurry"},
    )
    assert not needs_submission(subject)


def test_approved_customer_does_not_need_submission() -> None:
    approval = review(ReviewDecision.approved, final=True, at=T0 + timedelta(hours=1))
    assert not needs_submission(complete_individual(submitted_at=T0, review=approval))


def test_final_rejected_customer_does_not_need_submission() -> None:
    final = review(ReviewDecision.rejected, final=True, at=T0 + timedelta(hours=1))
    assert not needs_submission(complete_individual(submitted_at=T0, review=final))
    assert not needs_submission(complete_individual(review=final))


# --- business profile ----------------------------------------------------------------------------


def test_empty_business_requires_everything() -> None:
    profile = verification_profile(customer(type=CustomerType.business))
    assert profile.name == "kyb_profile_a"
    assert profile.criteria == Criteria(complete=(), pending=(), required=BUSINESS_CRITERIA, errors=())
    assert profile.status is ProfileStatus.incomplete


def test_complete_business() -> None:
    profile = verification_profile(complete_business())
    assert profile == VerificationProfile(
        name="kyb_profile_a",
        status=ProfileStatus.pending,
        criteria=Criteria(complete=BUSINESS_CRITERIA, pending=(), required=(), errors=()),
    )
    assert needs_submission(complete_business())


def test_business_ignores_individual_only_facts() -> None:
    # Tax identification and identity documents are not part of kyb_profile_a.
    subject = complete_business(
        identity=Identity(tax=TAX), documents=(document(DocumentType.passport, DocumentStatus.accepted),)
    )
    profile = verification_profile(subject)
    assert profile.criteria.complete == ("email_address", "phone_number", "legal_name", "registered_address")
    assert profile.criteria.required == ("business_registration_document", "proof_of_address_document")


def test_business_legal_name() -> None:
    assert bucket_of(verification_profile(complete_business(business=None)), "legal_name") == "required"
    blank = BusinessInformation(legal_name="")
    assert bucket_of(verification_profile(complete_business(business=blank)), "legal_name") == "required"
    assert bucket_of(verification_profile(complete_business()), "legal_name") == "complete"


def test_business_registered_address() -> None:
    assert (
        bucket_of(verification_profile(complete_business(address=None)), "registered_address") == "required"
    )


@pytest.mark.parametrize(
    ("name", "type_"),
    [
        ("business_registration_document", DocumentType.business_registration),
        ("proof_of_address_document", DocumentType.proof_of_address),
    ],
)
@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((), "required"),
        ((DocumentStatus.rejected,), "required"),
        ((DocumentStatus.pending,), "pending"),
        ((DocumentStatus.rejected, DocumentStatus.pending), "pending"),
        ((DocumentStatus.pending, DocumentStatus.accepted), "complete"),
    ],
)
def test_business_document_criteria(
    name: str, type_: DocumentType, statuses: tuple[DocumentStatus, ...], expected: str
) -> None:
    documents = tuple(document(type_, status, n) for n, status in enumerate(statuses))
    subject = customer(type=CustomerType.business, documents=documents)
    assert bucket_of(verification_profile(subject), name) == expected


def test_business_errors_override() -> None:
    subject = complete_business(criterion_errors={"proof_of_address_document": "older than 3 months"})
    profile = verification_profile(subject)
    assert profile.criteria.errors == (CriterionError("proof_of_address_document", "older than 3 months"),)
    assert "proof_of_address_document" not in profile.criteria.complete
    assert profile.status is ProfileStatus.incomplete


# --- properties over arbitrary customers -------------------------------------------------------------

times = st.integers(min_value=0, max_value=4).map(lambda hours: T0 + timedelta(hours=hours))
documents = st.lists(
    st.builds(
        DocumentSummary,
        id=st.just("document_x"),
        type=st.sampled_from(DocumentType),
        status=st.sampled_from(DocumentStatus),
        created_at=st.just(T0),
    ),
    max_size=5,
).map(tuple)
reviews = st.none() | st.builds(
    Review,
    decision=st.sampled_from(ReviewDecision),
    final=st.booleans(),
    reasons=st.just(()),
    reviewed_at=times,
    reviewer=st.just("kr_abcdefghi"),
)


@st.composite
def customers(draw: st.DrawFn) -> Customer:
    type_ = draw(st.sampled_from(CustomerType))
    criterion_names = profile_criteria_names(type_)
    return customer(
        type=type_,
        email=draw(st.none() | st.just("ana@example.com")),
        phone=draw(st.none() | st.just("+351912345678")),
        address=draw(st.none() | st.just(ADDRESS)),
        identity=draw(st.sampled_from([Identity(), Identity(first_name="Ana"), Identity(tax=TAX)])),
        business=draw(
            st.none()
            | st.sampled_from([BusinessInformation(legal_name="Acme"), BusinessInformation(legal_name="")])
        ),
        documents=draw(documents),
        criterion_errors=draw(
            st.dictionaries(
                st.sampled_from(criterion_names), st.sampled_from(["blurry", "mismatch"]), max_size=6
            )
        ),
        submitted_at=draw(st.none() | times),
        review=draw(reviews),
    )


@given(customers())
def test_each_criterion_is_in_exactly_one_bucket_in_canonical_order(subject: Customer) -> None:
    profile = verification_profile(subject)
    canonical = INDIVIDUAL_CRITERIA if subject.type is CustomerType.individual else BUSINESS_CRITERIA
    assert profile.name == ("kyc_profile_a" if subject.type is CustomerType.individual else "kyb_profile_a")
    criteria = profile.criteria
    error_names = tuple(error.name for error in criteria.errors)
    buckets = (criteria.complete, criteria.pending, criteria.required, error_names)
    every = [name for bucket in buckets for name in bucket]
    assert sorted(every) == sorted(canonical)  # union is the profile and nothing appears twice
    for bucket in buckets:
        assert list(bucket) == [name for name in canonical if name in bucket]


@given(customers())
def test_errors_are_exactly_the_criterion_errors_with_their_messages(subject: Customer) -> None:
    errors = verification_profile(subject).criteria.errors
    assert {error.name: error.message for error in errors} == subject.criterion_errors


@given(customers())
def test_only_document_criteria_can_be_pending(subject: Customer) -> None:
    for name in verification_profile(subject).criteria.pending:
        assert name.endswith("_document")


@given(customers())
def test_status_follows_the_rules(subject: Customer) -> None:
    profile = verification_profile(subject)
    outstanding = bool(profile.criteria.required or profile.criteria.errors)
    decision = subject.review.decision if subject.review else None
    final = subject.review.final if subject.review else False
    if decision is ReviewDecision.rejected and final:
        assert profile.status is ProfileStatus.rejected
    elif decision is ReviewDecision.approved and not outstanding:
        assert profile.status is ProfileStatus.approved
    else:
        assert profile.status is (ProfileStatus.incomplete if outstanding else ProfileStatus.pending)


@given(customers())
def test_approved_implies_nothing_outstanding(subject: Customer) -> None:
    profile = verification_profile(subject)
    if profile.status is ProfileStatus.approved:
        assert profile.criteria.required == ()
        assert profile.criteria.errors == ()
        assert subject.review is not None
        assert subject.review.decision is ReviewDecision.approved


@given(customers())
# A reviewer's reopening after the submission sends the customer back too (hypothesis found it in CI).
@example(supplied_individual(submitted_at=T0, review=review(ReviewDecision.reopened, at=T0)))
def test_needs_submission_implies_pending_and_no_running_review(subject: Customer) -> None:
    if needs_submission(subject):
        assert verification_profile(subject).status is ProfileStatus.pending
        if subject.submitted_at is not None:
            assert subject.review is not None
            # What ended the last review sent the customer back: a non-final rejection, or a reopening.
            assert subject.review.decision in (ReviewDecision.rejected, ReviewDecision.reopened)
            assert not subject.review.final
            assert subject.review.reviewed_at >= subject.submitted_at


@given(customers())
def test_never_submitted_pending_customers_need_submission(subject: Customer) -> None:
    subject = replace(subject, submitted_at=None)
    assert needs_submission(subject) == (verification_profile(subject).status is ProfileStatus.pending)


@given(customers())
def test_a_fresh_submission_stops_needing_submission(subject: Customer) -> None:
    # Submitting after the latest review starts a new review, so there is nothing left to submit.
    latest = subject.review.reviewed_at if subject.review else T0
    assert not needs_submission(replace(subject, submitted_at=latest + timedelta(seconds=1)))


def test_a_customer_objects_profile_is_worked_out_once(monkeypatch: pytest.MonkeyPatch) -> None:
    worked_out: list[str | None] = []
    real = verification._criteria

    def counted(subject: Customer, rules: Any) -> Any:
        worked_out.append(subject.email)
        return real(subject, rules)

    monkeypatch.setattr(verification, "_criteria", counted)
    monkeypatch.setattr(verification, "_RECENT", {})  # what earlier tests left could fill it mid-test
    first = customer(email="jane@example.com")
    assert verification_profile(first) is verification_profile(first)
    changed = replace(first, email=None)
    assert verification_profile(changed).criteria != verification_profile(first).criteria
    assert worked_out == ["jane@example.com", None]  # once per customer object
