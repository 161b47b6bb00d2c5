"""What a KYC provider hands over: the KYC of a person it verified, and its verdicts.

These are the core's port for providers: a provider adapter (``sumsub/``) fills them from its own
payloads; the core reads only these, so it never imports a provider. Pure data: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kycrail.customers.model import Address, DocumentType, ReviewReason


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    type: DocumentType
    # Names the same document across imports of the same person, so a refresh does not duplicate it.
    reference: str


@dataclass(frozen=True, slots=True)
class ImportedKyc:
    applicant_id: str
    level_name: str | None
    approved: bool
    rejection_reason: str | None  # the provider's words when not approved
    review_answer: str | None
    # Identity attributes (names as on Identity) that the provider verified.
    identity: dict[str, Any] = field(default_factory=dict)
    address: Address | None = None
    email: str | None = None
    phone: str | None = None
    documents: tuple[ImportedDocument, ...] = ()


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
