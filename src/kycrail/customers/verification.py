"""A customer's verification profile, derived from its stored facts. Pure: no I/O, no framework.

Individuals are verified against ``kyc_profile_a`` (Sphere's profile), businesses against
``kyb_profile_a`` (kycrail's own). Each criterion of the profile lands in exactly one bucket:
``complete``, ``pending`` (supplied, awaiting review), ``required`` (missing) or ``errors`` (sent back
by a review). The profile's status and whether the customer should be submitted for review follow
from those buckets and the latest review.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import Enum, StrEnum

from kycrail.customers.model import (
    IDENTITY_DOCUMENT_TYPES,
    BusinessCriterion,
    Criterion,
    Customer,
    CustomerType,
    DocumentStatus,
    DocumentType,
    ReviewDecision,
)

KYC_PROFILE_NAME = "kyc_profile_a"
KYB_PROFILE_NAME = "kyb_profile_a"
# Not a criterion the customer supplies: it shows, pending, while a sanctions screening hit is open,
# on either profile; no review reason can name it (a reviewer resolves the hit instead).
SANCTIONS_SCREENING = "sanctions_screening"


class ProfileStatus(StrEnum):
    incomplete = "incomplete"  # something is missing or was sent back
    pending = "pending"  # everything is supplied; the review is submitted or about to be
    approved = "approved"
    rejected = "rejected"  # finally: the customer cannot be resubmitted


class Stage(StrEnum):
    """Where a customer is in its verification: the profile's status, with ``incomplete`` told apart
    by how far it has come. Stored beside the status so that lists filter and count by it."""

    not_started = "not_started"  # created, nothing of the verification supplied yet
    incomplete = "incomplete"  # something missing and nothing awaiting review, or sent back
    awaiting_review = "awaiting_review"  # supplied documents await review; something else is missing
    in_review = "in_review"  # everything supplied (profile ``pending``)
    approved = "approved"
    rejected = "rejected"


@dataclass(frozen=True, slots=True)
class CriterionError:
    name: str
    message: str


@dataclass(frozen=True, slots=True)
class Criteria:
    """The profile's criteria split into disjoint buckets, each in the profile's canonical order."""

    complete: tuple[str, ...]
    pending: tuple[str, ...]
    required: tuple[str, ...]
    errors: tuple[CriterionError, ...]


@dataclass(frozen=True, slots=True)
class VerificationProfile:
    name: str
    status: ProfileStatus
    criteria: Criteria


class _State(Enum):
    complete = "complete"
    pending = "pending"
    required = "required"


def _present(value: object) -> _State:
    # Empty strings count as absent, like None: nothing was actually supplied.
    return _State.complete if value else _State.required


def _documents(customer: Customer, types: Collection[DocumentType]) -> _State:
    # Rejected documents were asked for again, so they count as absent; one accepted
    # document is enough even while another of the same kind is still under review.
    statuses = {document.status for document in customer.documents if document.type in types}
    if DocumentStatus.accepted in statuses:
        return _State.complete
    if DocumentStatus.pending in statuses:
        return _State.pending
    return _State.required


_Rule = Callable[[Customer], _State]

# Which documents answer which criterion: the one place that says so (domain.document_criterion
# reads it too, to know what a new document answers).
DOCUMENT_CRITERIA: dict[CustomerType, dict[str, frozenset[DocumentType]]] = {
    CustomerType.individual: {
        Criterion.identity_document.value: IDENTITY_DOCUMENT_TYPES,
        Criterion.liveness_report_document.value: frozenset({DocumentType.liveness_report}),
    },
    CustomerType.business: {
        BusinessCriterion.business_registration_document.value: frozenset(
            {DocumentType.business_registration}
        ),
        BusinessCriterion.proof_of_address_document.value: frozenset({DocumentType.proof_of_address}),
    },
}


def _documents_rule(customer_type: CustomerType, criterion: str) -> _Rule:
    types = DOCUMENT_CRITERIA[customer_type][criterion]
    return lambda c: _documents(c, types)


# Dict order is the canonical order: the enums' declared order.
_INDIVIDUAL_RULES: dict[str, _Rule] = {
    Criterion.email_address.value: lambda c: _present(c.email),
    Criterion.phone_number.value: lambda c: _present(c.phone),
    Criterion.residential_address.value: lambda c: _present(c.address),
    Criterion.tax_identification_number.value: lambda c: _present(c.identity.tax),
    **{
        criterion: _documents_rule(CustomerType.individual, criterion)
        for criterion in (Criterion.identity_document.value, Criterion.liveness_report_document.value)
    },
}

_BUSINESS_RULES: dict[str, _Rule] = {
    BusinessCriterion.email_address.value: lambda c: _present(c.email),
    BusinessCriterion.phone_number.value: lambda c: _present(c.phone),
    BusinessCriterion.legal_name.value: lambda c: _present(c.business and c.business.legal_name),
    BusinessCriterion.registered_address.value: lambda c: _present(c.address),
    **{
        criterion: _documents_rule(CustomerType.business, criterion)
        for criterion in (
            BusinessCriterion.business_registration_document.value,
            BusinessCriterion.proof_of_address_document.value,
        )
    },
}


def document_criterion(customer_type: CustomerType, document_type: DocumentType) -> str | None:
    """The profile criterion a document of this type answers, or None when it answers none."""
    for criterion, types in DOCUMENT_CRITERIA[customer_type].items():
        if document_type in types:
            return criterion
    return None


# Both tables must list every criterion of their enum, in declared order.
assert tuple(_INDIVIDUAL_RULES) == tuple(c.value for c in Criterion)
assert tuple(_BUSINESS_RULES) == tuple(c.value for c in BusinessCriterion)


def _profile(customer_type: CustomerType) -> tuple[str, dict[str, _Rule]]:
    if customer_type is CustomerType.business:
        return KYB_PROFILE_NAME, _BUSINESS_RULES
    return KYC_PROFILE_NAME, _INDIVIDUAL_RULES


def profile_criteria_names(customer_type: CustomerType) -> tuple[str, ...]:
    """The criteria of the customer type's profile, in canonical order."""
    return tuple(_profile(customer_type)[1])


def _criteria(customer: Customer, rules: dict[str, _Rule]) -> Criteria:
    buckets: dict[_State, list[str]] = {state: [] for state in _State}
    errors: list[CriterionError] = []
    for name, rule in rules.items():
        # A reviewer's complaint stands until the criterion is re-supplied (which clears it),
        # whatever the stored facts say. Errors naming criteria outside the profile are ignored.
        if name in customer.criterion_errors:
            errors.append(CriterionError(name, customer.criterion_errors[name]))
        else:
            buckets[rule(customer)].append(name)
    if customer.open_hits:
        buckets[_State.pending].append(SANCTIONS_SCREENING)
    return Criteria(
        complete=tuple(buckets[_State.complete]),
        pending=tuple(buckets[_State.pending]),
        required=tuple(buckets[_State.required]),
        errors=tuple(errors),
    )


def _final_rejected(customer: Customer) -> bool:
    review = customer.review
    return review is not None and review.decision is ReviewDecision.rejected and review.final


def _status(customer: Customer, criteria: Criteria) -> ProfileStatus:
    if _final_rejected(customer):
        return ProfileStatus.rejected
    outstanding = bool(criteria.required or criteria.errors)
    approved = customer.review is not None and customer.review.decision is ReviewDecision.approved
    # An approval only stands while everything is still supplied (otherwise the customer owes something)
    # and no sanctions hit is open (the customer is back in review until a reviewer resolves it).
    if approved and not outstanding and not customer.open_hits:
        return ProfileStatus.approved
    if outstanding:
        return ProfileStatus.incomplete
    return ProfileStatus.pending


# A customer is immutable, and one write asks for its profile several times (its row's status, the
# live counts, the audit diff, the answer): each customer object's profile is worked out once. Keyed
# by identity, the object kept beside it so that a reused id never matches.
_RECENT: dict[int, tuple[Customer, VerificationProfile]] = {}
_RECENT_LIMIT = 64


def verification_profile(customer: Customer) -> VerificationProfile:
    """The customer's profile (``kyc_profile_a`` or ``kyb_profile_a``), its criteria and its status."""
    recent = _RECENT.get(id(customer))
    if recent is not None and recent[0] is customer:
        return recent[1]
    name, rules = _profile(customer.type)
    criteria = _criteria(customer, rules)
    profile = VerificationProfile(name=name, status=_status(customer, criteria), criteria=criteria)
    if len(_RECENT) >= _RECENT_LIMIT:
        _RECENT.clear()
    _RECENT[id(customer)] = (customer, profile)
    return profile


def _nothing_supplied(customer: Customer) -> bool:
    identity = customer.identity
    return (
        customer.address is None
        and not customer.documents
        and customer.submitted_at is None
        and customer.review is None
        and identity.first_name is None
        and identity.last_name is None
        and identity.date_of_birth is None
        and identity.tax is None
    )


_STAGE_OF_STATUS = {
    ProfileStatus.approved: Stage.approved,
    ProfileStatus.rejected: Stage.rejected,
    ProfileStatus.pending: Stage.in_review,
}


def verification_stage(customer: Customer) -> Stage:
    """The customer's stage, read off its profile (see ``Stage``)."""
    profile = verification_profile(customer)
    if profile.status is not ProfileStatus.incomplete:
        return _STAGE_OF_STATUS[profile.status]
    if profile.criteria.errors:
        return Stage.incomplete
    if profile.criteria.pending:
        return Stage.awaiting_review
    return Stage.not_started if _nothing_supplied(customer) else Stage.incomplete


def needs_submission(customer: Customer) -> bool:
    """Whether everything asked for is now supplied and no review is running, so one should start.

    Pending status already means nothing is required or errored, no final rejection and no
    standing approval. On top of that, no review may be running: either the customer was never
    submitted, or a decision that sends the customer back (a non-final rejection, a reopening) came
    at or after the latest submission.
    """
    if verification_profile(customer).status is not ProfileStatus.pending:
        return False
    if customer.submitted_at is None:
        return True
    review = customer.review
    return (
        review is not None
        and sends_back(review.decision, review.final)
        and review.reviewed_at >= customer.submitted_at
    )


def sends_back(decision: ReviewDecision, final: bool) -> bool:
    """Whether a decision ends a review without closing the verification: it must run again."""
    return decision is ReviewDecision.reopened or (decision is ReviewDecision.rejected and not final)
