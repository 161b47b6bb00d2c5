"""The verification lifecycle as a state machine: its guards, its table, and properties over any
sequence of events (hypothesis), so that no path can slip past the rules."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kycrail.customers import lifecycle
from kycrail.customers.audit import EventKind
from kycrail.customers.domain import UNSET, CustomerChanges, NewCustomer
from kycrail.customers.lifecycle import (
    ApplicantUpdated,
    Deleted,
    DocumentAdded,
    Erased,
    FieldsSupplied,
    HitCleared,
    HitsRaised,
    KycImported,
    Party,
    Reopened,
    ReviewDecided,
    TrueMatch,
)
from kycrail.customers.model import (
    Address,
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
from kycrail.customers.provider import (
    ImportedDocument,
    ImportedKyc,
    ProviderVerdict,
    ReviewState,
    VerdictOutcome,
)
from kycrail.customers.verification import ProfileStatus
from kycrail.errors import (
    CustomerRejected,
    Forbidden,
    IdentityLocked,
    KycrailError,
    NotRejected,
    ReviewNotPending,
    SanctionsHitOpen,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ADDRESS = Address(line1="1 Elm St", city="Austin", state="TX", postal_code="73301", country="USA")
TAX = TaxIdentification(number="123-45-6789", type="ssn", country="USA")
JANE = Identity(first_name="Jane", last_name="Smith", date_of_birth=date(1990, 5, 17))
CRITERIA = (
    "email_address",
    "phone_number",
    "residential_address",
    "tax_identification_number",
    "identity_document",
    "liveness_report_document",
)


def start(**fields: Any) -> Customer:
    new = NewCustomer(type=CustomerType.individual, **fields)
    return lifecycle.start("customer_" + "0" * 32, "tenant_1", new, Party.client, T0).customer


def imported(identity: Identity = JANE, *, complete: bool = True) -> ImportedKyc:
    """An approved provider import of ``identity``; ``complete`` adds address, tax, email and phone."""
    person = {
        name: getattr(identity, name)
        for name in ("first_name", "last_name", "date_of_birth")
        if getattr(identity, name) is not None
    }
    return ImportedKyc(
        provider="sumsub",
        applicant_id="applicant-1",
        level_name="basic-kyc-level",
        approved=True,
        rejection_reason=None,
        review_answer="GREEN",
        identity={**person, "tax": TAX} if complete else person,
        address=ADDRESS if complete else None,
        email="jane@example.com" if complete else None,
        phone="+14155550123" if complete else None,
        documents=(
            ImportedDocument(DocumentType.passport, "sumsub:identity:PASSPORT:USA:1"),
            ImportedDocument(DocumentType.liveness_report, "sumsub:selfie"),
        ),
    )


def verdict(outcome: VerdictOutcome, reasons: tuple[ReviewReason, ...] = ()) -> ApplicantUpdated:
    """The provider's applicant read back with a completed review and nothing else: its verdict."""
    return ApplicantUpdated(
        ImportedKyc(
            provider="sumsub",
            applicant_id="applicant-2",
            level_name="basic-kyc-level",
            approved=outcome is VerdictOutcome.approved,
            rejection_reason=None,
            review_answer="GREEN" if outcome is VerdictOutcome.approved else "RED",
            review_state=ReviewState.completed,
            verdict=ProviderVerdict("sumsub", outcome, reasons),
        )
    )


def review(
    decision: ReviewDecision, *, final: bool = False, reasons: tuple[str, ...] = (), at: datetime = T0
) -> Review:
    return Review(
        decision=decision,
        final=final,
        reasons=tuple(ReviewReason(name, "please again") for name in reasons),
        reviewed_at=at,
        reviewer="kr_reviewer1",
    )


def apply(customer: Customer, event: lifecycle.Event, by: Party = Party.client) -> Customer:
    return lifecycle.apply(customer, event, by, T0 + timedelta(seconds=customer.version)).customer


def documents(customer: Customer) -> Customer:
    for n, kind in enumerate((DocumentType.passport, DocumentType.liveness_report)):
        summary = DocumentSummary(f"document_{n}", kind, DocumentStatus.pending, T0)
        customer = apply(customer, DocumentAdded(summary))
    return customer


def pending_jane() -> Customer:
    customer = documents(
        start(
            email="jane@example.com", phone="+14155550123", address=ADDRESS, identity=replace(JANE, tax=TAX)
        )
    )
    assert lifecycle.status(customer) is ProfileStatus.pending
    return customer


def finally_rejected_jane() -> Customer:
    rejected = apply(
        pending_jane(),
        ReviewDecided(review(ReviewDecision.rejected, final=True, reasons=("identity_document",))),
        Party.reviewer,
    )
    assert lifecycle.status(rejected) is ProfileStatus.rejected
    return rejected


# --- the guards --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "event",
    [
        KycImported(imported()),
        DocumentAdded(DocumentSummary("document_9", DocumentType.passport, DocumentStatus.pending, T0)),
        verdict(VerdictOutcome.approved),
        ReviewDecided(review(ReviewDecision.approved)),
    ],
    ids=["import", "document", "provider verdict", "review"],
)
def test_a_final_rejection_refuses_every_event_that_could_change_the_verdict(event: lifecycle.Event) -> None:
    rejected = finally_rejected_jane()
    by = Party.provider if isinstance(event, ApplicantUpdated) else Party.reviewer
    with pytest.raises((CustomerRejected, ReviewNotPending)):
        lifecycle.apply(rejected, event, by, T0)


def test_a_final_rejection_keeps_its_verdict_through_the_clients_own_changes() -> None:
    rejected = finally_rejected_jane()
    after = apply(rejected, FieldsSupplied(CustomerChanges(email="jane.new@example.com", meta={"k": "v"})))
    assert lifecycle.status(after) is ProfileStatus.rejected


def test_only_a_reviewer_reopens_and_a_reopening_never_approves() -> None:
    rejected = finally_rejected_jane()
    reopening = Reopened(review(ReviewDecision.reopened))
    for party in (Party.client, Party.provider):
        with pytest.raises(Forbidden):
            lifecycle.apply(rejected, reopening, party, T0)
    transition = lifecycle.apply(rejected, reopening, Party.reviewer, T0 + timedelta(hours=1))
    # The final rejection's named document no longer counts: it must be supplied again.
    assert (transition.before, transition.after) == (ProfileStatus.rejected, ProfileStatus.incomplete)
    assert transition.kind is EventKind.reopened
    # Supplied again, the review is submitted again; then the import may approve.
    resupplied = apply(
        transition.customer,
        DocumentAdded(DocumentSummary("document_7", DocumentType.passport, DocumentStatus.pending, T0)),
    )
    assert lifecycle.status(resupplied) is ProfileStatus.pending
    assert lifecycle.status(apply(resupplied, KycImported(imported()))) is ProfileStatus.approved


def test_a_reopening_with_reasons_sends_them_back_and_without_goes_back_to_review() -> None:
    rejected = apply(
        pending_jane(),
        ReviewDecided(review(ReviewDecision.rejected, final=True, reasons=("tax_identification_number",))),
        Party.reviewer,
    )
    later = T0 + timedelta(hours=1)
    again = lifecycle.apply(
        rejected, Reopened(review(ReviewDecision.reopened, at=later)), Party.reviewer, later
    )
    assert again.after is ProfileStatus.pending
    assert again.customer.submitted_at == later  # submitted again: a reviewer decides anew
    sent_back = lifecycle.apply(
        rejected,
        Reopened(review(ReviewDecision.reopened, reasons=("tax_identification_number",))),
        Party.reviewer,
        T0,
    )
    assert sent_back.after is ProfileStatus.incomplete
    assert sent_back.customer.criterion_errors == {"tax_identification_number": "please again"}


def test_only_a_rejected_customer_is_reopened() -> None:
    with pytest.raises(NotRejected):
        lifecycle.apply(pending_jane(), Reopened(review(ReviewDecision.reopened)), Party.reviewer, T0)


def test_only_a_reviewer_reviews_and_only_a_provider_sends_verdicts() -> None:
    with pytest.raises(Forbidden):
        lifecycle.apply(pending_jane(), ReviewDecided(review(ReviewDecision.approved)), Party.client, T0)
    with pytest.raises(Forbidden):
        lifecycle.apply(pending_jane(), verdict(VerdictOutcome.approved), Party.reviewer, T0)


def test_a_partial_import_approves_nothing_and_what_it_lacks_can_be_supplied_then_reviewed() -> None:
    partial = apply(
        start(email="jane@example.com", phone="+14155550123"), KycImported(imported(complete=False))
    )
    assert lifecycle.status(partial) is ProfileStatus.incomplete
    assert partial.review is None
    # Locks cover what was supplied: the verified name stays, the missing tax number can be given.
    with pytest.raises(IdentityLocked):
        apply(partial, FieldsSupplied(CustomerChanges(identity={"first_name": "Janet"})))
    completed = apply(partial, FieldsSupplied(CustomerChanges(address=ADDRESS, identity={"tax": TAX})))
    assert lifecycle.status(completed) is ProfileStatus.pending
    assert completed.submitted_at is not None
    # ... and then locks.
    other_tax = TaxIdentification(number="234-56-7890", type="ssn", country="USA")
    with pytest.raises(IdentityLocked):
        apply(completed, FieldsSupplied(CustomerChanges(identity={"tax": other_tax})))


def test_a_provider_approval_does_not_approve_a_document_of_ours_awaiting_review() -> None:
    ours = DocumentSummary("document_1", DocumentType.proof_of_address, DocumentStatus.pending, T0)
    customer = apply(start(), DocumentAdded(ours))
    without_selfie = replace(imported(), documents=imported().documents[:1])
    liveness = DocumentSummary("document_2", DocumentType.liveness_report, DocumentStatus.pending, T0)
    customer = apply(apply(customer, DocumentAdded(liveness)), KycImported(without_selfie))
    assert lifecycle.status(customer) is ProfileStatus.pending  # the liveness report awaits a reviewer
    assert customer.review is None


# --- properties over any sequence of events ----------------------------------------------------

OTHER_PERSON = Identity(first_name="Daniel", last_name="Okafor", date_of_birth=date(1985, 11, 3))
parties = st.sampled_from(Party)
criteria_subsets = st.lists(st.sampled_from(CRITERIA), max_size=3, unique=True).map(tuple)
field_changes = st.builds(
    CustomerChanges,
    email=st.sampled_from(["jane@example.com", "j2@example.com", UNSET]),
    phone=st.sampled_from(["+14155550123", UNSET]),
    address=st.sampled_from([ADDRESS, UNSET]),
    identity=st.fixed_dictionaries(
        {},
        optional={
            "first_name": st.sampled_from(["Jane", "Janet"]),
            "middle_name": st.sampled_from(["Ann"]),
            "tax": st.sampled_from([TAX]),
        },
    ),
)
events = st.one_of(
    field_changes.map(FieldsSupplied),
    st.builds(
        lambda n, kind: DocumentAdded(DocumentSummary(f"document_{n}", kind, DocumentStatus.pending, T0)),
        st.integers(0, 1000),
        st.sampled_from([DocumentType.passport, DocumentType.liveness_report, DocumentType.proof_of_address]),
    ),
    st.builds(
        lambda person, complete: KycImported(imported(person, complete=complete)),
        st.sampled_from([JANE, OTHER_PERSON]),
        st.booleans(),
    ),
    st.builds(
        lambda outcome, reasons: verdict(outcome, tuple(ReviewReason(r, "labels") for r in reasons)),
        st.sampled_from(VerdictOutcome),
        criteria_subsets,
    ),
    st.builds(
        lambda decision, final, reasons: ReviewDecided(review(decision, final=final, reasons=reasons)),
        st.sampled_from([ReviewDecision.approved, ReviewDecision.rejected]),
        st.booleans(),
        criteria_subsets,
    ),
    criteria_subsets.map(lambda reasons: Reopened(review(ReviewDecision.reopened, reasons=reasons))),
    st.sampled_from(
        [
            HitsRaised(("hit_a",)),
            HitsRaised(("hit_a", "hit_b")),
            HitCleared("hit_a"),
            HitCleared("hit_b"),
            TrueMatch("hit_b", "kr_reviewer1"),
        ]
    ),
)


@dataclass
class Run:
    customer: Customer
    finally_rejected: bool = False  # and not reopened by a reviewer since


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["empty", "jane", "pending", "rejected"]),
    st.lists(st.tuples(events, parties), min_size=1, max_size=25),
)
def test_no_sequence_of_events_slips_past_the_lifecycle(
    beginning: str, steps: list[tuple[lifecycle.Event, Party]]
) -> None:
    first = {
        "empty": lambda: start(),
        "jane": lambda: start(email="jane@example.com", identity=JANE),
        "pending": pending_jane,
        "rejected": finally_rejected_jane,
    }[beginning]()
    run = Run(first)
    for event, by in steps:
        before = run.customer
        now = T0 + timedelta(minutes=before.version)
        if isinstance(event, ReviewDecided | Reopened):
            event = type(event)(replace(event.review, reviewed_at=now))  # decided as it is applied
        try:
            transition = lifecycle.apply(before, event, by, now)
        except KycrailError:
            continue  # refused: nothing changed (the model is immutable; the service writes nothing)
        # LifecycleBroken (a step leaving the table) would fail the test here, whatever the sequence.
        after = transition.customer
        assert transition.before is lifecycle.status(before)
        assert transition.after is lifecycle.status(after)
        assert transition.by is by
        assert after.version == before.version + 1
        if transition.before is ProfileStatus.rejected and transition.after is not ProfileStatus.rejected:
            assert isinstance(event, Reopened)
            assert by is Party.reviewer
        if isinstance(event, Reopened):
            run.finally_rejected = False
        if transition.after is ProfileStatus.rejected:
            run.finally_rejected = True
        assert not (run.finally_rejected and transition.after is ProfileStatus.approved)
        # An open sanctions hit holds every approval back, whoever sends it.
        assert not (after.open_hits and transition.after is ProfileStatus.approved)
        # Supplied identity fields of a locked customer never change but where a reviewer reopened them.
        if before.identity_locked and not before.criterion_errors and not isinstance(event, Deleted | Erased):
            for name in ("first_name", "last_name", "date_of_birth", "tax"):
                if getattr(before.identity, name) is not None:
                    assert getattr(after.identity, name) == getattr(before.identity, name)
        run.customer = after


def test_a_deleted_customer_leaves_the_api_from_any_state_and_keeps_its_record() -> None:
    jane = finally_rejected_jane()
    transition = lifecycle.apply(jane, Deleted(), Party.client, T0)
    assert transition.kind is EventKind.deleted
    assert transition.customer.deleted_at == T0
    assert transition.customer.identity == jane.identity  # kept, sealed, for the retention period


def test_only_an_admin_erases_and_nothing_personal_is_left() -> None:
    jane = finally_rejected_jane()
    for not_allowed in (Party.client, Party.reviewer, Party.provider):
        with pytest.raises(Forbidden):
            lifecycle.apply(jane, Erased(), not_allowed, T0)
    erased = lifecycle.apply(jane, Erased(), Party.admin, T0)
    assert erased.kind is EventKind.erased
    assert erased.customer.deleted_at == T0
    assert erased.customer.identity == Identity()
    assert (erased.customer.email, erased.customer.phone, erased.customer.address) == (None, None, None)
    assert (erased.customer.meta, erased.customer.review, erased.customer.sumsub) == ({}, None, None)
    assert erased.customer.documents == ()


@pytest.mark.parametrize("complete", [True, False])
def test_reading_the_imported_applicant_again_changes_nothing(complete: bool) -> None:
    """A webhook or a reconciliation reads the applicant an import took over: the same reading is no
    change (no new approval, no new take-over time), and the service writes nothing for it."""
    kyc = imported(complete=complete)
    after_import = apply(start(), KycImported(kyc))
    read_again = replace(
        kyc, review_state=ReviewState.completed, verdict=ProviderVerdict("sumsub", VerdictOutcome.approved)
    )
    transition = lifecycle.apply(
        after_import, ApplicantUpdated(read_again), Party.provider, T0 + timedelta(hours=1)
    )
    assert not transition.changed
    assert (
        replace(transition.customer, updated_at=after_import.updated_at, version=after_import.version)
        == after_import
    )
    changed_mind = lifecycle.apply(
        after_import,
        verdict(VerdictOutcome.rejected, (ReviewReason("identity_document", "Forged"),)),
        Party.provider,
        T0,
    )
    assert changed_mind.changed


# --- sanctions screening hits ------------------------------------------------------------------------


def test_a_hit_puts_an_approved_customer_back_in_review_and_no_one_approves_past_it() -> None:
    approved = apply(pending_jane(), ReviewDecided(review(ReviewDecision.approved)), Party.reviewer)
    assert lifecycle.status(approved) is ProfileStatus.approved
    held = lifecycle.apply(approved, HitsRaised(("hit_a",)), Party.admin, T0)
    assert (held.kind, held.before, held.after) == (
        EventKind.screening_hit,
        ProfileStatus.approved,
        ProfileStatus.pending,
    )
    with pytest.raises(SanctionsHitOpen):
        apply(held.customer, ReviewDecided(review(ReviewDecision.approved)), Party.reviewer)
    # The provider's approval is recorded as what it verified, never as an approval here.
    assert (
        lifecycle.status(apply(held.customer, verdict(VerdictOutcome.approved), Party.provider))
        is not ProfileStatus.approved
    )
    with pytest.raises(Forbidden):  # only a reviewer resolves a hit
        apply(held.customer, HitCleared("hit_a"), Party.client)
    cleared = lifecycle.apply(held.customer, HitCleared("hit_a"), Party.reviewer, T0)
    assert (cleared.kind, cleared.after) == (
        EventKind.screening_cleared,
        ProfileStatus.approved,
    )  # it stands again


def test_a_true_match_is_final_from_any_state_a_hit_can_be_open_in() -> None:
    for customer in (start(email="jane@example.com", identity=JANE), pending_jane()):
        held = apply(customer, HitsRaised(("hit_a",)))
        matched = lifecycle.apply(held, TrueMatch("hit_a", "kr_reviewer1"), Party.reviewer, T0)
        assert matched.after is ProfileStatus.rejected
        assert matched.customer.review is not None
        assert matched.customer.review.final
        with pytest.raises(CustomerRejected):
            apply(matched.customer, KycImported(imported()))
