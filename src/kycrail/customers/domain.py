"""Pure rules on the customer: create, apply changes, documents, reviews, submission. No I/O.

Every function returns a new Customer (the model is immutable) or raises a typed error; nothing is
half-applied, so a refused request leaves the stored customer exactly as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Any, Final

from kycrail.customers import rules
from kycrail.customers.imported import ImportedKyc
from kycrail.customers.model import (
    LOCKED_IDENTITY_FIELDS,
    Address,
    BusinessInformation,
    Criterion,
    Customer,
    CustomerType,
    DocumentStatus,
    DocumentSummary,
    DocumentType,
    Identity,
    MetaValue,
    Review,
    ReviewDecision,
    SumsubLink,
)
from kycrail.customers.verification import (
    ProfileStatus,
    document_criterion,
    needs_submission,
    profile_criteria_names,
    verification_profile,
)
from kycrail.errors import Conflict, FieldError, RuleViolation, ValidationFailed


class _Unset(Enum):
    unset = "UNSET"


UNSET: Final = _Unset.unset
"""A field the request did not send: it stays as it is."""

US = "USA"

# Which criterion a re-supplied field answers (clears a reviewer's error on it).
_FIELD_CRITERIA: Mapping[str, str] = {
    "email": Criterion.email_address.value,
    "phone": Criterion.phone_number.value,
    "address": Criterion.residential_address.value,
    "tax": Criterion.tax_identification_number.value,
}
# A reviewer's error on these criteria unlocks the identity fields they cover, so they can be corrected.
_UNLOCKED_BY_ERROR: Mapping[str, frozenset[str]] = {
    Criterion.tax_identification_number.value: frozenset({"tax"}),
    Criterion.identity_document.value: frozenset({"first_name", "middle_name", "last_name", "date_of_birth"}),
}


@dataclass(frozen=True, slots=True)
class NewCustomer:
    type: CustomerType
    email: str | None = None
    phone: str | None = None
    address: Address | None = None
    operating_address: Address | None = None
    identity: Identity = field(default_factory=Identity)
    business: BusinessInformation | None = None
    meta: dict[str, MetaValue] = field(default_factory=dict)
    pointers: Mapping[str, str] = field(default_factory=dict)  # as in CustomerChanges

    def pointer(self, name: str) -> str:
        return self.pointers.get(name, "/" + name)


@dataclass(frozen=True, slots=True)
class CustomerChanges:
    """What one request asks to change on an individual; what it did not send is UNSET or absent.

    ``pointers`` maps a domain field (``email``, ``address``, an Identity attribute such as
    ``first_name``) to the JSON pointer it came from in the request, so errors point at the
    client's own field whatever the dialect.
    """

    email: str | _Unset = UNSET
    phone: str | _Unset = UNSET
    address: Address | _Unset = UNSET
    type: CustomerType | _Unset = UNSET  # a request may restate the type; it may not change it
    identity: Mapping[str, Any] = field(default_factory=dict)
    meta: dict[str, MetaValue] | _Unset = UNSET
    pointers: Mapping[str, str] = field(default_factory=dict)

    def pointer(self, name: str) -> str:
        return self.pointers.get(name, "/" + name)


def create(customer_id: str, tenant_id: str, new: NewCustomer, now: datetime) -> Customer:
    customer = Customer(
        id=customer_id,
        tenant_id=tenant_id,
        type=new.type,
        created_at=now,
        updated_at=now,
        email=new.email,
        phone=new.phone,
        address=new.address,
        operating_address=new.operating_address,
        identity=new.identity,
        business=new.business,
        meta=dict(new.meta),
    )
    _check_tax_residency(customer, pointer_tax_type=new.pointer("tax_type"))
    return settle_submission(customer, now)


def locked_fields(customer: Customer) -> frozenset[str]:
    """The identity fields that may not change now: all of them from submission on, except those a
    reviewer's error asks to be supplied again."""
    if not customer.identity_locked:
        return frozenset()
    unlocked = set().union(*(_UNLOCKED_BY_ERROR.get(name, frozenset()) for name in customer.criterion_errors))
    return frozenset(LOCKED_IDENTITY_FIELDS) - unlocked


def ensure_individual(customer: Customer) -> None:
    if customer.type is CustomerType.business:
        raise RuleViolation(
            "customer/kyb-flow-required",
            "Business customers are updated through the KYB link flow, not this endpoint.",
        )


def apply_changes(customer: Customer, changes: CustomerChanges, now: datetime) -> Customer:
    if changes.type is not UNSET and changes.type is not customer.type:
        raise RuleViolation("customer/type-immutable", "A customer's type never changes.", pointer="/type")
    ensure_individual(customer)
    _check_locks(customer, changes)
    identity = replace(customer.identity, **changes.identity)
    updated = replace(
        customer,
        email=customer.email if changes.email is UNSET else changes.email,
        phone=customer.phone if changes.phone is UNSET else changes.phone,
        address=customer.address if changes.address is UNSET else changes.address,
        identity=identity,
        meta=customer.meta if changes.meta is UNSET else dict(changes.meta),
    )
    if "tax" in changes.identity:
        _check_tax_residency(updated, pointer_tax_type=changes.pointer("tax_type"))
    elif changes.address is not UNSET:
        # The new address made the stored tax type wrong: point at what the request sent.
        _check_tax_residency(updated, pointer_tax_type=changes.pointer("address") + "/country")
    sent = {name for name in ("email", "phone", "address") if getattr(changes, name) is not UNSET}
    sent |= set(changes.identity)
    resupplied = {_FIELD_CRITERIA[name] for name in sent if name in _FIELD_CRITERIA}
    updated = replace(
        updated,
        criterion_errors={k: v for k, v in customer.criterion_errors.items() if k not in resupplied},
    )
    return settle_submission(_touched(updated, now), now)


def _check_locks(customer: Customer, changes: CustomerChanges) -> None:
    locked = locked_fields(customer)
    for name in LOCKED_IDENTITY_FIELDS:
        if (
            name in locked
            and name in changes.identity
            and changes.identity[name] != getattr(customer.identity, name)
        ):
            raise RuleViolation(
                "customer/identity-locked",
                "Name, date of birth and tax identification are locked once a KYC review has been "
                "submitted; only contact details and meta can change.",
                pointer=changes.pointer(name),
            )


def _check_tax_residency(customer: Customer, *, pointer_tax_type: str) -> None:
    """US residents are identified for tax by their SSN."""
    tax = customer.identity.tax
    resident_in_us = (customer.address is not None and customer.address.country == US) or (
        customer.identity.residency_country == US
    )
    if tax is not None and resident_in_us and tax.type != "ssn":
        raise RuleViolation(
            "tax-identification/ssn-required",
            "US residents must give their SSN: taxIdentificationNumberType must be 'ssn'.",
            pointer=pointer_tax_type,
        )


def accepts_document(customer_type: CustomerType, document_type: DocumentType) -> bool:
    if customer_type is CustomerType.individual:
        return document_type is not DocumentType.business_registration
    return document_criterion(customer_type, document_type) is not None


def record_document(customer: Customer, document: DocumentSummary, now: datetime) -> Customer:
    """A new document on file: its criterion awaits review, and a reviewer's error on it is answered."""
    if not accepts_document(customer.type, document.type):
        raise RuleViolation(
            "document/type-not-applicable",
            f"A {customer.type.value} customer does not take '{document.type.value}' documents.",
            pointer="/documentType",
        )
    if verification_profile(customer).status is ProfileStatus.rejected:
        raise RuleViolation("customer/rejected", "This customer's verification was rejected for good.")
    criterion = document_criterion(customer.type, document.type)
    errors = {k: v for k, v in customer.criterion_errors.items() if k != criterion}
    updated = replace(customer, documents=(*customer.documents, document), criterion_errors=errors)
    return settle_submission(_touched(updated, now), now)


def apply_review(customer: Customer, review: Review, now: datetime) -> Customer:
    """A reviewer's decision on a submitted customer (status ``pending``)."""
    if verification_profile(customer).status is not ProfileStatus.pending:
        raise RuleViolation(
            "customer/review-not-pending",
            "Only a customer whose KYC review is pending can be reviewed.",
        )
    criteria = set(profile_criteria_names(customer.type))
    unknown = [
        FieldError(
            f"/reasons/{index}/criterion", f"Not a criterion of this customer's profile: {reason.criterion}"
        )
        for index, reason in enumerate(review.reasons)
        if reason.criterion not in criteria
    ]
    if unknown:
        raise ValidationFailed(errors=tuple(unknown))
    if review.decision is ReviewDecision.approved:
        documents = tuple(
            replace(d, status=DocumentStatus.accepted) if d.status is DocumentStatus.pending else d
            for d in customer.documents
        )
        updated = replace(customer, documents=documents, criterion_errors={}, review=review)
        return _touched(updated, now)
    if not review.reasons:
        raise RuleViolation(
            "review/reasons-required", "A rejection names at least one criterion and why.", pointer="/reasons"
        )
    named = {reason.criterion for reason in review.reasons}
    # Documents behind a named criterion must be supplied again: they no longer count.
    documents = tuple(
        replace(d, status=DocumentStatus.rejected)
        if d.status is DocumentStatus.pending and document_criterion(customer.type, d.type) in named
        else d
        for d in customer.documents
    )
    errors = {reason.criterion: reason.message for reason in review.reasons}
    return _touched(replace(customer, documents=documents, criterion_errors=errors, review=review), now)


IMPORT_REVIEWER = "sumsub"


def imported_document_id(customer_id: str, reference: str) -> str:
    """The same document imported again for the same customer gets the same id: no duplicates."""
    return "document_" + hashlib.sha256(f"{customer_id}|{reference}".encode()).hexdigest()[:32]


def same_person(identity: Identity, imported: Mapping[str, Any]) -> bool:
    """Names and date of birth agree wherever both sides know them."""
    for name in ("first_name", "last_name", "date_of_birth"):
        mine, theirs = getattr(identity, name), imported.get(name)
        if mine is None or theirs is None:
            continue
        if name == "date_of_birth" and mine != theirs:
            return False
        if name != "date_of_birth" and not rules.same_name(mine, theirs):
            return False
    return True


def apply_import(customer: Customer, imported: ImportedKyc, now: datetime) -> Customer:
    """Take over SumSub's verified KYC: identity, contact details the customer lacks, documents, verdict."""
    if customer.type is CustomerType.business:
        raise RuleViolation(
            "customer/kyb-flow-required", "Business customers are verified through the KYB flow."
        )
    if not imported.approved:
        raise ValueError("only an approved applicant is imported")  # the importer refuses the others
    if customer.identity_locked and not same_person(customer.identity, imported.identity):
        raise Conflict(
            "The share token belongs to a different person than this customer's locked identity.",
            errors=(FieldError("/shareToken", "Name or date of birth differ from the verified identity."),),
            code="customer/identity-mismatch",
        )
    locked = locked_fields(customer)
    identity = replace(
        customer.identity, **{name: value for name, value in imported.identity.items() if name not in locked}
    )
    imported_ids = {imported_document_id(customer.id, d.reference): d.type for d in imported.documents}
    on_file = {document.id for document in customer.documents}
    documents = tuple(
        replace(d, status=DocumentStatus.accepted) if d.id in imported_ids else d for d in customer.documents
    ) + tuple(
        DocumentSummary(id=document_id, type=doc_type, status=DocumentStatus.accepted, created_at=now)
        for document_id, doc_type in imported_ids.items()
        if document_id not in on_file
    )
    updated = replace(
        customer,
        identity=identity,
        email=customer.email or imported.email,
        phone=customer.phone or imported.phone,
        address=customer.address or imported.address,
        documents=documents,
        review=Review(
            decision=ReviewDecision.approved,
            final=False,
            reasons=(),
            reviewed_at=now,
            reviewer=IMPORT_REVIEWER,
        ),
        submitted_at=customer.submitted_at or now,
        sumsub=SumsubLink(
            applicant_id=imported.applicant_id,
            level_name=imported.level_name,
            review_answer=imported.review_answer,
            imported_at=now,
        ),
    )
    answered = {
        criterion
        for criterion, present in (
            (Criterion.email_address.value, updated.email),
            (Criterion.phone_number.value, updated.phone),
            (Criterion.residential_address.value, imported.address),
            (Criterion.tax_identification_number.value, imported.identity.get("tax")),
        )
        if present
    } | {document_criterion(customer.type, document.type) for document in imported.documents}
    errors = {name: message for name, message in customer.criterion_errors.items() if name not in answered}
    return _touched(replace(updated, criterion_errors=errors), now)


def check_agrees_with_import(requested: Mapping[str, Any], imported: ImportedKyc, pointer: Any) -> None:
    """Identity fields a request sends beside a share token must say what SumSub verified."""
    for name in ("first_name", "middle_name", "last_name", "date_of_birth"):
        sent, verified = requested.get(name), imported.identity.get(name)
        if sent is None or verified is None:
            continue
        differs = sent != verified if name == "date_of_birth" else not rules.same_name(sent, verified)
        if differs:
            raise Conflict(
                "A field of this request contradicts the identity SumSub verified.",
                errors=(FieldError(pointer(name), "Differs from the verified identity."),),
                code="customer/identity-conflict",
            )


def erase(customer: Customer, now: datetime) -> Customer:
    """Soft delete: personal data gone, the record of what happened (documents' types, review) kept."""
    return _touched(
        replace(
            customer,
            email=None,
            phone=None,
            address=None,
            operating_address=None,
            identity=Identity(),
            meta={},
            deleted_at=now,
        ),
        now,
    )


def settle_submission(customer: Customer, now: datetime) -> Customer:
    """Submit the review on its own once nothing is required any more (no submit call exists)."""
    return replace(customer, submitted_at=now) if needs_submission(customer) else customer


def _touched(customer: Customer, now: datetime) -> Customer:
    return replace(customer, updated_at=now, version=customer.version + 1)
