"""What a KYC provider hands over about a person it verified: the core's port for providers.

A provider adapter (``sumsub/``) fills this value from its own payloads; the core reads only this, so
it never imports a provider. Pure data: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kycrail.customers.model import Address, DocumentType


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
