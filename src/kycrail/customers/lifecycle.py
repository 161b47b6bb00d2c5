"""The verification lifecycle: one pure state machine that every write of a customer goes through.

States are the profile's statuses (``incomplete``, ``pending``, ``approved``, ``rejected``). Events are
what can happen to a customer: fields supplied, a document added, a share-token import, a provider's
verdict, a reviewer's decision, a reopening, an erasure. For each event ``_RULES`` says who may send
it, in which states it is accepted, and which states it may lead to. ``apply`` refuses what the table
refuses, runs the event's step (``domain.py``), settles the submission, and checks that the move it
made is one the table allows: so "a final rejection holds until a reviewer reopens it" is enforced
here, once, whichever path the event came by. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kycrail.customers import domain
from kycrail.customers.audit import EventKind
from kycrail.customers.domain import CustomerChanges, NewCustomer
from kycrail.customers.model import Customer, DocumentSummary, Review, ReviewDecision
from kycrail.customers.provider import ImportedKyc
from kycrail.customers.verification import ProfileStatus, verification_profile
from kycrail.errors import CustomerRejected, Forbidden, NotRejected, ReviewNotPending, RuleViolation


class Party(StrEnum):
    """Who sends an event."""

    client = "client"  # the platform, with an API key
    reviewer = "reviewer"  # a person deciding, with a reviewer key
    admin = "admin"  # the platform's administrator, with an admin key (erasure on request)
    provider = "provider"  # a KYC provider's own verdict

    @classmethod
    def of_role(cls, role: str) -> Party:
        """The party behind an API key's role (``api`` keys are the platform's)."""
        return cls(role) if role in cls.__members__ else cls.client


# --- events --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldsSupplied:
    changes: CustomerChanges


@dataclass(frozen=True, slots=True)
class DocumentAdded:
    document: DocumentSummary


@dataclass(frozen=True, slots=True)
class KycImported:
    """A share-token import, with the request's own changes applied in the same write."""

    kyc: ImportedKyc
    changes: CustomerChanges | None = None


@dataclass(frozen=True, slots=True)
class VerificationStarted:
    """A verification link opened the provider's applicant ``applicant_id`` for the customer."""

    applicant_id: str
    level_name: str


@dataclass(frozen=True, slots=True)
class ApplicantUpdated:
    """The provider's applicant as it stands now: its data, where its review stands, its verdict."""

    kyc: ImportedKyc


@dataclass(frozen=True, slots=True)
class ReviewDecided:
    review: Review  # approved, or rejected (final or not)


@dataclass(frozen=True, slots=True)
class Reopened:
    review: Review  # decision ``reopened``; its reasons send criteria back


@dataclass(frozen=True, slots=True)
class HitsRaised:
    """A sanctions screening found new hits (their ids): open until a reviewer resolves each."""

    hit_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HitCleared:
    """A reviewer found a hit a false positive."""

    hit_id: str


@dataclass(frozen=True, slots=True)
class TrueMatch:
    """A reviewer confirmed a hit: a final rejection, by ``reviewer``."""

    hit_id: str
    reviewer: str


@dataclass(frozen=True, slots=True)
class Deleted:
    """Removed from the API; the encrypted record is kept for the retention period."""


@dataclass(frozen=True, slots=True)
class Erased:
    """Shredded: a data subject's erasure request, or the end of the retention period."""


Event = (
    FieldsSupplied
    | DocumentAdded
    | KycImported
    | VerificationStarted
    | ApplicantUpdated
    | ReviewDecided
    | Reopened
    | HitsRaised
    | HitCleared
    | TrueMatch
    | Deleted
    | Erased
)


# --- the table -----------------------------------------------------------------------------------

INCOMPLETE, PENDING, APPROVED, REJECTED = (
    ProfileStatus.incomplete,
    ProfileStatus.pending,
    ProfileStatus.approved,
    ProfileStatus.rejected,
)
ANYONE = frozenset(Party)


@dataclass(frozen=True, slots=True)
class _Rule:
    kind: EventKind  # what the audit trail calls it
    senders: frozenset[Party]
    # From each state the event is accepted in, the states it may lead to. None: any, to any.
    moves: Mapping[ProfileStatus, frozenset[ProfileStatus]] | None
    refusal: type[RuleViolation] = CustomerRejected  # when sent in a state it is not accepted in


_RULES: Mapping[type, _Rule] = {
    # A client's own fields never change a verdict: they complete a profile, or leave it as it was.
    FieldsSupplied: _Rule(
        EventKind.updated,
        ANYONE,
        {
            INCOMPLETE: frozenset({INCOMPLETE, PENDING}),
            PENDING: frozenset({PENDING}),
            APPROVED: frozenset({APPROVED}),
            REJECTED: frozenset({REJECTED}),
        },
    ),
    DocumentAdded: _Rule(
        EventKind.document_added,
        ANYONE,
        {
            INCOMPLETE: frozenset({INCOMPLETE, PENDING}),
            PENDING: frozenset({PENDING}),
            APPROVED: frozenset({APPROVED}),
        },
    ),
    # The provider's approval counts only when it leaves nothing to review here (domain.provider_approval).
    KycImported: _Rule(
        EventKind.kyc_imported,
        ANYONE,
        {
            INCOMPLETE: frozenset({INCOMPLETE, PENDING, APPROVED}),
            PENDING: frozenset({PENDING, APPROVED}),
            APPROVED: frozenset({APPROVED}),
        },
    ),
    # A link to verify with the provider changes nothing yet; a final rejection gets none.
    VerificationStarted: _Rule(
        EventKind.verification_started,
        ANYONE,
        {INCOMPLETE: frozenset({INCOMPLETE}), PENDING: frozenset({PENDING}), APPROVED: frozenset({APPROVED})},
    ),
    # The provider's word on its own applicant: it may submit, approve, reject or send criteria back,
    # and change its mind (GREEN, later RED); a final rejection holds (only a reviewer reopens it).
    ApplicantUpdated: _Rule(
        EventKind.provider_updated,
        frozenset({Party.provider}),
        {
            INCOMPLETE: frozenset({INCOMPLETE, PENDING, APPROVED, REJECTED}),
            PENDING: frozenset({PENDING, INCOMPLETE, APPROVED, REJECTED}),
            APPROVED: frozenset({APPROVED, INCOMPLETE, REJECTED}),
        },
    ),
    ReviewDecided: _Rule(
        EventKind.reviewed,
        frozenset({Party.reviewer}),
        {PENDING: frozenset({APPROVED, REJECTED, INCOMPLETE})},
        ReviewNotPending,
    ),
    # The one way out of a final rejection, and only a reviewer takes it; it never lands on approved.
    Reopened: _Rule(
        EventKind.reopened,
        frozenset({Party.reviewer}),
        {REJECTED: frozenset({INCOMPLETE, PENDING})},
        NotRejected,
    ),
    # A hit holds an approval back: an approved customer is back in review (pending) until it is resolved.
    # Whoever's write brought the name (or the list update that brought the entry) raises it.
    HitsRaised: _Rule(
        EventKind.screening_hit,
        ANYONE,
        {
            INCOMPLETE: frozenset({INCOMPLETE}),
            PENDING: frozenset({PENDING}),
            APPROVED: frozenset({PENDING}),
            REJECTED: frozenset({REJECTED}),
        },
    ),
    # A false positive lets the standing decision stand again (an approval held back by the hit).
    HitCleared: _Rule(
        EventKind.screening_cleared,
        frozenset({Party.reviewer}),
        {
            INCOMPLETE: frozenset({INCOMPLETE}),
            PENDING: frozenset({PENDING, APPROVED}),
            REJECTED: frozenset({REJECTED}),
        },
    ),
    TrueMatch: _Rule(
        EventKind.reviewed,
        frozenset({Party.reviewer}),
        {
            INCOMPLETE: frozenset({REJECTED}),
            PENDING: frozenset({REJECTED}),
            REJECTED: frozenset({REJECTED}),
        },
    ),
    Deleted: _Rule(EventKind.deleted, ANYONE, None),
    # A data subject's request is the back office's to carry out (the retention purge acts as it).
    Erased: _Rule(EventKind.erased, frozenset({Party.admin}), None),
}


class LifecycleBroken(AssertionError):
    """A step made a move the table does not allow: a bug, and the write is rolled back."""


@dataclass(frozen=True, slots=True)
class Transition:
    """What one event did: who sent it, the status before and after, and the customer to store."""

    kind: EventKind
    by: Party
    before: ProfileStatus | None  # None: the customer did not exist
    after: ProfileStatus
    customer: Customer
    # Whether the event changed any fact of the customer (beyond the version and time it is stored at).
    changed: bool = True


def status(customer: Customer) -> ProfileStatus:
    return verification_profile(customer).status


def check(customer: Customer, event_type: type, by: Party) -> None:
    """Refuse an event its sender may not send, or that the customer's state does not accept.

    ``apply`` checks this too; services call it alone to refuse early (before a share token is spent).
    """
    _refuse_unless_accepted(_RULES[event_type], status(customer), by)


def _refuse_unless_accepted(rule: _Rule, current: ProfileStatus, by: Party) -> None:
    if by not in rule.senders:
        raise Forbidden(f"Only a {' or '.join(sorted(rule.senders))} may do this.")
    if rule.moves is not None and current not in rule.moves:
        raise rule.refusal()


def start(customer_id: str, tenant_id: str, new: NewCustomer, by: Party, now: datetime) -> Transition:
    """A new customer enters the lifecycle."""
    customer = domain.settle_submission(domain.create(customer_id, tenant_id, new, now), now)
    return Transition(EventKind.created, by, None, status(customer), customer)


def apply(customer: Customer, event: Event, by: Party, now: datetime) -> Transition:
    """Run one event on the customer, or raise what refuses it (nothing is then changed)."""
    rule = _RULES[type(event)]
    before = status(customer)
    _refuse_unless_accepted(rule, before, by)
    stepped = domain.settle_submission(_step(customer, event, now), now)
    updated = domain.touched(stepped, now)
    after = status(updated)
    if rule.moves is not None and after not in rule.moves[before]:
        raise LifecycleBroken(f"{type(event).__name__} moved a customer from {before} to {after}")
    return Transition(rule.kind, by, before, after, updated, changed=stepped != customer)


def _step(customer: Customer, event: Event, now: datetime) -> Customer:
    match event:
        case FieldsSupplied(changes):
            return domain.apply_changes(customer, changes)
        case DocumentAdded(document):
            return domain.add_document(customer, document)
        case KycImported(kyc, changes):
            return domain.import_kyc(customer, kyc, changes, now)
        case VerificationStarted(applicant_id, level_name):
            return domain.start_verification(customer, applicant_id, level_name)
        case ApplicantUpdated(kyc):
            return domain.apply_applicant(customer, kyc, now)
        case ReviewDecided(review):
            if review.decision is ReviewDecision.reopened:
                raise ValueError("a reopening is a Reopened event")
            return domain.decide(customer, review)
        case Reopened(review):
            if review.decision is not ReviewDecision.reopened:
                raise ValueError("a Reopened event carries a reopening")
            return domain.decide(customer, review)
        case HitsRaised(hit_ids):
            return domain.raise_hits(customer, hit_ids)
        case HitCleared(hit_id):
            return domain.clear_hit(customer, hit_id)
        case TrueMatch(hit_id, reviewer):
            return domain.true_match(customer, hit_id, reviewer, now)
        case Deleted():
            return domain.delete(customer, now)
        case Erased():
            return domain.erase(customer, now)
    raise TypeError(f"not a lifecycle event: {event!r}")  # pragma: no cover
