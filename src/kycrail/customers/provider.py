"""The core's port for KYC providers: what the core asks of one (``KycProvider``) and what a provider
hands over (the KYC of a person it verified, its verdicts).

A provider adapter (``sumsub/``) implements the protocol and fills these values from its own payloads;
the core reads only these, so it never imports a provider. No I/O here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from kycrail.customers.model import Address, Customer, DocumentType, ReviewReason


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    type: DocumentType
    # Names the same document across imports of the same person, so a refresh does not duplicate it.
    reference: str
    accepted: bool = True  # False: submitted to the provider, its review still running


@dataclass(frozen=True, slots=True)
class ProviderImage:
    """One file the provider holds of an applicant's documents (a passport's page, a selfie): what
    kycrail fetches into its own store, so that a reviewer sees what the provider saw."""

    # Names the file at the provider for good ("sumsub:image:1234567890"): fetched once per customer.
    reference: str
    type: DocumentType
    country: str | None
    # The ``ImportedDocument.reference`` of the document this file is a page of, if the provider's
    # reading names it (its status is that document's); None for a file of no imported document.
    document_reference: str | None
    size_bytes: int | None  # as the provider lists it (None: not said), before anything is fetched
    locator: str  # what the adapter needs to download it again (its own format)


class ReviewState(StrEnum):
    """Where the provider's review of an applicant stands."""

    not_submitted = "not_submitted"  # documents asked for, nothing submitted yet
    in_review = "in_review"  # submitted: the provider is checking
    on_hold = "on_hold"  # the provider's own people look at it (or wait for something)
    completed = "completed"  # decided: see the verdict


class VerdictOutcome(StrEnum):
    approved = "approved"
    rejected = "rejected"  # final: the person cannot be verified
    resubmission_requested = "resubmission_requested"  # the named criteria must be supplied again


@dataclass(frozen=True, slots=True)
class ProviderVerdict:
    """A provider's decision on the customer's own applicant (its webhook, read back from it)."""

    provider: str  # "sumsub": recorded as the decision's author
    outcome: VerdictOutcome
    reasons: tuple[ReviewReason, ...] = ()  # criteria of the customer's profile, with the provider's words


@dataclass(frozen=True, slots=True)
class ImportedKyc:
    """A person as the provider's applicant (ours) holds them, and whether it is approved."""

    provider: str  # who verified: recorded as the author of the approval ("sumsub")
    applicant_id: str
    level_name: str | None
    approved: bool
    rejection_reason: str | None  # the provider's words when not approved
    review_answer: str | None
    # Identity attributes (names as on Identity) that the provider verified.
    identity: dict[str, Any] = field(default_factory=dict)
    # Identity attributes the provider sent in a form kycrail's rules refuse (a name holding a
    # right-to-left mark, a date that does not parse): left out of ``identity``, and named here, so
    # that "sent nothing" and "sent what cannot be read" stay apart. An import refuses the latter.
    unreadable: frozenset[str] = frozenset()
    address: Address | None = None
    email: str | None = None
    phone: str | None = None
    # A tax number the provider holds with no country to place it in (the applicant names neither a
    # country nor an address): taken once the customer's own residence says which (``domain``).
    tin_without_residence: str | None = None
    documents: tuple[ImportedDocument, ...] = ()
    # Where the review stands, its decision once completed, and when it was last started or decided
    # (what orders two readings of the same applicant: an older one never undoes a newer one).
    review_state: ReviewState = ReviewState.not_submitted
    verdict: ProviderVerdict | None = None
    reviewed_at: datetime | None = None
    provider_label: str = "The KYC provider"  # how messages name it ("SumSub")


@dataclass(frozen=True, slots=True)
class VerificationLink:
    """Where a person verifies with the provider, until when; and the applicant it verifies."""

    url: str
    expires_at: datetime
    applicant_id: str
    level_name: str


class KycProvider(Protocol):
    """What the core asks of a KYC provider. Its methods raise kycrail's own errors: ``InvalidShareToken``,
    ``RejectedShareToken``, ``KycProviderUnavailable``, ``KycProviderMisconfigured``."""

    name: str  # recorded as the author of the provider's decisions ("sumsub")
    label: str  # how messages name it ("SumSub")

    async def import_share_token(self, share_token: str) -> ImportedKyc:
        """Import the person a share token points at into a new applicant of ours, approved or not.

        Spends the single-use token: the applicant it created is only reachable by its id from then on.
        """
        ...

    async def read_applicant(self, applicant_id: str) -> ImportedKyc:
        """One of our applicants as it stands now."""
        ...

    async def document_images(self, applicant_id: str) -> tuple[ProviderImage, ...]:
        """The files of the applicant's documents the provider holds and still counts (a file it set
        aside, a step taken again, is left out), of the types kycrail keeps."""
        ...

    async def image_content(self, image: ProviderImage) -> bytes:
        """One of those files' bytes, as the provider holds them."""
        ...

    async def verification_link(self, customer: Customer) -> VerificationLink:
        """A fresh link to the provider's verification page for the customer's own applicant, which
        is created on the first call (at the level for the customer's type, with what kycrail knows
        of the person or company) and reused on every later one."""
        ...

    async def retake(self, customer: Customer, criteria: frozenset[str]) -> frozenset[str]:
        """Make the applicant kycrail follows for the customer (``customer.sumsub``) take these criteria
        again, before a verification link is given: documents a reviewer sent back after the provider
        had accepted them, which the provider's page would not take a second time. Only a criterion the
        provider accepted, on the applicant the customer's link opens, is opened again (another
        applicant, one the link creates, takes everything anyway). Returns the criteria opened again;
        none when there was nothing to do."""
        ...
