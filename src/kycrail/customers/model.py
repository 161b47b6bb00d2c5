"""The dialect-neutral customer, as plain immutable data. No I/O, no framework.

Both wire dialects (Sphere's /v2, Swipelux's /v1) read and write this one model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Union

# Meta values: JSON primitives or null (see rules.meta_problems for the limits).
MetaValue = Union[str, int, float, bool, None]  # noqa: UP007 (used at runtime by pydantic too)


class CustomerType(StrEnum):
    individual = "individual"
    business = "business"


class Criterion(StrEnum):
    """The criteria of ``kyc_profile_a`` (individuals), in the order Sphere lists them."""

    email_address = "email_address"
    phone_number = "phone_number"
    residential_address = "residential_address"
    tax_identification_number = "tax_identification_number"
    identity_document = "identity_document"
    liveness_report_document = "liveness_report_document"


class BusinessCriterion(StrEnum):
    """The criteria of ``kyb_profile_a`` (businesses), kycrail's own definition."""

    email_address = "email_address"
    phone_number = "phone_number"
    legal_name = "legal_name"
    registered_address = "registered_address"
    business_registration_document = "business_registration_document"
    proof_of_address_document = "proof_of_address_document"


class DocumentType(StrEnum):
    passport = "passport"
    id_card = "id_card"
    drivers = "drivers"
    residence_permit = "residence_permit"
    liveness_report = "liveness_report"
    proof_of_address = "proof_of_address"
    business_registration = "business_registration"


IDENTITY_DOCUMENT_TYPES = frozenset(
    {DocumentType.passport, DocumentType.id_card, DocumentType.drivers, DocumentType.residence_permit}
)


class DocumentStatus(StrEnum):
    pending = "pending"  # on file, awaiting review
    accepted = "accepted"  # a review approved it
    rejected = "rejected"  # a review asked for it again


class ReviewDecision(StrEnum):
    approved = "approved"
    rejected = "rejected"
    reopened = "reopened"  # a reviewer took back a final rejection: the verification runs again


@dataclass(frozen=True, slots=True)
class Address:
    line1: str
    city: str
    country: str  # ISO 3166-1 alpha-3
    line2: str | None = None
    state: str | None = None
    postal_code: str | None = None


@dataclass(frozen=True, slots=True)
class TaxIdentification:
    number: str
    type: str  # "ssn", "passport", "national_id", "other", or a national code such as "cpf"
    country: str  # ISO 3166-1 alpha-3
    description: str | None = None  # required when type is "other"


@dataclass(frozen=True, slots=True)
class Identity:
    """Who an individual is. Name, date of birth and tax identification lock once a review is submitted."""

    first_name: str | None = None
    middle_name: str | None = None
    last_name: str | None = None
    date_of_birth: date | None = None
    tax: TaxIdentification | None = None
    nationality: str | None = None  # alpha-3
    country_of_birth: str | None = None  # alpha-3
    residency_country: str | None = None  # alpha-3
    gender: str | None = None
    occupation_soc_code: str | None = None
    source_of_funds: str | None = None


# The identity fields that lock, once supplied, from submission or a provider's verification on,
# by their attribute name on Identity.
LOCKED_IDENTITY_FIELDS = ("first_name", "middle_name", "last_name", "date_of_birth", "tax")


@dataclass(frozen=True, slots=True)
class BusinessInformation:
    legal_name: str
    trade_name: str | None = None
    registration_number: str | None = None
    incorporation_country: str | None = None  # alpha-3
    entity_type: str | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """What the customer row knows of a document; the file itself lives in the documents table."""

    id: str
    type: DocumentType
    status: DocumentStatus
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ReviewReason:
    criterion: str
    message: str


@dataclass(frozen=True, slots=True)
class Review:
    """The latest decision on the customer's verification: a reviewer's, or a KYC provider's."""

    decision: ReviewDecision
    final: bool
    reasons: tuple[ReviewReason, ...]
    reviewed_at: datetime
    reviewer: str  # the reviewer key's prefix, or the provider's name ("sumsub")


@dataclass(frozen=True, slots=True)
class SumsubLink:
    """The SumSub applicant kycrail follows for this customer: the one a share-token import created, or
    the one a verification link opened (the latest)."""

    applicant_id: str
    level_name: str | None
    review_answer: str | None  # GREEN / RED as SumSub last said
    # When kycrail first took over what this applicant verified (None: a link was issued, nothing came
    # back yet); reading the same applicant again keeps it.
    imported_at: datetime | None


@dataclass(frozen=True, slots=True)
class Customer:
    id: str  # "customer_" + 32 hex
    tenant_id: str
    type: CustomerType
    created_at: datetime
    updated_at: datetime
    version: int = 1
    email: str | None = None  # stored lower-case
    phone: str | None = None  # E.164
    address: Address | None = None  # residential (individual) or registered (business)
    operating_address: Address | None = None  # business only
    identity: Identity = field(default_factory=Identity)
    business: BusinessInformation | None = None
    meta: dict[str, MetaValue] = field(default_factory=dict)
    documents: tuple[DocumentSummary, ...] = ()
    # Criteria a non-final rejection sent back, with the reviewer's message; cleared when re-supplied.
    criterion_errors: dict[str, str] = field(default_factory=dict)
    submitted_at: datetime | None = None  # when the review started
    review: Review | None = None
    sumsub: SumsubLink | None = None
    deleted_at: datetime | None = None
    # Sanctions screening hits awaiting a reviewer (their ids, sorted): while any is open the customer
    # cannot be approved (verification.py); the hits themselves live in the screening package.
    open_hits: tuple[str, ...] = ()

    @property
    def identity_locked(self) -> bool:
        """From submission, or from a provider's verification, the supplied identity fields lock."""
        return self.submitted_at is not None or (
            self.sumsub is not None and self.sumsub.imported_at is not None
        )
