"""Pure rules on the customer's facts: create, changes, documents, imports, decisions. No I/O.

Each function is one step of the verification lifecycle (``lifecycle.py`` decides which step may run
in which state, then settles the submission and the version): it returns a new Customer (the model is
immutable) or raises a typed error; nothing is half-applied, so a refused request leaves the stored
customer exactly as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import Enum
from typing import Any, Final

from kycrail.customers import rules
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
    ReviewReason,
    SumsubLink,
    TaxIdentification,
)
from kycrail.customers.provider import (
    ImportedDocument,
    ImportedKyc,
    ProviderVerdict,
    ReviewState,
    VerdictOutcome,
)
from kycrail.customers.verification import (
    SANCTIONS_SCREENING,
    document_criterion,
    needs_submission,
    profile_criteria_names,
    verification_profile,
)
from kycrail.errors import (
    DocumentTypeNotApplicable,
    FieldError,
    IdentityLocked,
    IdentityMismatch,
    KybFlowRequired,
    ReasonsRequired,
    SanctionsHitOpen,
    SsnRequired,
    TypeImmutable,
    ValidationFailed,
)


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
    return customer


def locked_fields(customer: Customer) -> frozenset[str]:
    """The identity fields that may not change now.

    Locks cover what was supplied, not what is missing: from submission (or a provider's
    verification) on, every locked identity field that holds a value keeps it, and a field never
    supplied can still be supplied (and locks then). A reviewer's error reopens the fields it covers.
    """
    if not customer.identity_locked:
        return frozenset()
    supplied = {name for name in LOCKED_IDENTITY_FIELDS if getattr(customer.identity, name) is not None}
    unlocked = set().union(*(_UNLOCKED_BY_ERROR.get(name, frozenset()) for name in customer.criterion_errors))
    return frozenset(supplied - unlocked)


def ensure_individual(customer: Customer) -> None:
    if customer.type is CustomerType.business:
        raise KybFlowRequired()


def apply_changes(customer: Customer, changes: CustomerChanges) -> Customer:
    """A client's own fields: refused whole if one touches a locked identity field."""
    if changes.type is not UNSET and changes.type is not customer.type:
        raise TypeImmutable(pointer="/type")
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
    return replace(
        updated,
        criterion_errors={k: v for k, v in customer.criterion_errors.items() if k not in resupplied},
    )


def _check_locks(customer: Customer, changes: CustomerChanges) -> None:
    locked = locked_fields(customer)
    for name in LOCKED_IDENTITY_FIELDS:
        if (
            name in locked
            and name in changes.identity
            and changes.identity[name] != getattr(customer.identity, name)
        ):
            raise IdentityLocked(pointer=changes.pointer(name))


def _check_tax_residency(customer: Customer, *, pointer_tax_type: str) -> None:
    """US residents are identified for tax by their SSN."""
    tax = customer.identity.tax
    resident_in_us = (customer.address is not None and customer.address.country == US) or (
        customer.identity.residency_country == US
    )
    if tax is not None and resident_in_us and tax.type != "ssn":
        raise SsnRequired(pointer=pointer_tax_type)


MAX_TAX_NUMBER_LENGTH = 64  # as a client may send one


def provided_tax(number: str, residence: str, provider_label: str) -> TaxIdentification | None:
    """A tax number a provider verified, as the rules a client's own follows: a US resident's must be
    a well-formed SSN (anything else is not usable, and stays required); elsewhere it is ``other``,
    described as the provider's."""
    if not 0 < len(number) <= MAX_TAX_NUMBER_LENGTH:
        return None
    if residence == US:
        try:
            return TaxIdentification(number=rules.ssn(number), type="ssn", country=US)
        except ValueError:
            return None
    description = f"Taxpayer identification number, as verified by {provider_label}"
    return TaxIdentification(number=number, type="other", country=residence, description=description)


def _residence(customer: Customer) -> str | None:
    if customer.address is not None:
        return customer.address.country
    return customer.identity.residency_country


def _place_tin(customer: Customer, imported: ImportedKyc) -> Customer:
    """The provider's tax number that came without a country, once the customer's residence (its
    address, or its country of residence) places it; only where the customer has no tax number."""
    residence = _residence(customer)
    if customer.identity.tax is not None or imported.tin_without_residence is None or residence is None:
        return customer
    tax = provided_tax(imported.tin_without_residence, residence, imported.provider_label)
    if tax is None:
        return customer
    errors = {
        k: v for k, v in customer.criterion_errors.items() if k != Criterion.tax_identification_number.value
    }
    return replace(customer, identity=replace(customer.identity, tax=tax), criterion_errors=errors)


def accepts_document(customer_type: CustomerType, document_type: DocumentType) -> bool:
    if customer_type is CustomerType.individual:
        return document_type is not DocumentType.business_registration
    return document_criterion(customer_type, document_type) is not None


def add_document(customer: Customer, document: DocumentSummary) -> Customer:
    """A new document on file: its criterion awaits review, and a reviewer's error on it is answered."""
    if not accepts_document(customer.type, document.type):
        raise DocumentTypeNotApplicable(
            f"A {customer.type.value} customer does not take '{document.type.value}' documents.",
            pointer="/documentType",
        )
    criterion = document_criterion(customer.type, document.type)
    errors = {k: v for k, v in customer.criterion_errors.items() if k != criterion}
    return replace(customer, documents=(*customer.documents, document), criterion_errors=errors)


def decide(customer: Customer, review: Review) -> Customer:
    """A decision on the customer's verification (a reviewer's or a provider's), as facts.

    Approval accepts the documents awaiting review and clears every error. A rejection, and a
    reopening that names criteria, sends those criteria back: their errors show the reasons and the
    documents behind them no longer count, so they must be supplied again.
    """
    _check_reasons(customer, review.reasons)
    if review.decision is ReviewDecision.approved:
        if customer.open_hits:
            raise SanctionsHitOpen()
        documents = tuple(
            replace(d, status=DocumentStatus.accepted) if d.status is DocumentStatus.pending else d
            for d in customer.documents
        )
        return replace(customer, documents=documents, criterion_errors={}, review=review)
    if review.decision is ReviewDecision.rejected and not review.reasons:
        raise ReasonsRequired(pointer="/reasons")
    named = {reason.criterion for reason in review.reasons}
    documents = tuple(
        replace(d, status=DocumentStatus.rejected)
        if d.status is DocumentStatus.pending and document_criterion(customer.type, d.type) in named
        else d
        for d in customer.documents
    )
    errors = {reason.criterion: reason.message for reason in review.reasons}
    return replace(customer, documents=documents, criterion_errors=errors, review=review)


def _check_reasons(customer: Customer, reasons: tuple[ReviewReason, ...]) -> None:
    criteria = set(profile_criteria_names(customer.type))
    unknown = [
        FieldError(
            f"/reasons/{index}/criterion", f"Not a criterion of this customer's profile: {reason.criterion}"
        )
        for index, reason in enumerate(reasons)
        if reason.criterion not in criteria
    ]
    if unknown:
        raise ValidationFailed(errors=tuple(unknown))


def provider_approval(customer: Customer, provider: str, now: datetime) -> Customer:
    """A provider's approval is the customer's only when it leaves nothing to look at here.

    Otherwise what the provider verified counts (its documents are accepted, its identity locks), but
    what it did not cover (a field still missing, a document of ours awaiting review) is supplied and
    reviewed here: once nothing is missing the customer is submitted for review like any other,
    rather than approved unseen.
    """
    criteria = verification_profile(customer).criteria
    if criteria.required or criteria.errors or criteria.pending:
        return customer
    if _approved_by(customer, provider):  # said again (a webhook, a reconciliation): nothing new
        return customer
    review = Review(
        decision=ReviewDecision.approved, final=False, reasons=(), reviewed_at=now, reviewer=provider
    )
    return replace(customer, review=review, submitted_at=customer.submitted_at or now)


def _approved_by(customer: Customer, provider: str) -> bool:
    review = customer.review
    return review is not None and review.decision is ReviewDecision.approved and review.reviewer == provider


def start_verification(customer: Customer, applicant_id: str, level_name: str) -> Customer:
    """The provider's applicant a verification link opened is the one followed from now on; what an
    earlier import verified stays verified (``imported_at`` is kept)."""
    kept = customer.sumsub.imported_at if customer.sumsub is not None else None
    link = SumsubLink(applicant_id=applicant_id, level_name=level_name, review_answer=None, imported_at=kept)
    return replace(customer, sumsub=link)


def apply_verdict(customer: Customer, verdict: ProviderVerdict, now: datetime) -> Customer:
    """A provider's decision on the customer's own applicant."""
    if verdict.outcome is VerdictOutcome.approved:
        return provider_approval(customer, verdict.provider, now)
    review = Review(
        decision=ReviewDecision.rejected,
        final=verdict.outcome is VerdictOutcome.rejected,
        reasons=verdict.reasons,
        reviewed_at=now,
        reviewer=verdict.provider,
    )
    return decide(customer, review)


IMPORT_POINTER = "/shareToken"
# The identity fields that say who a person is: an import must agree with them.
PERSON_FIELDS = ("first_name", "middle_name", "last_name", "date_of_birth")
_NAME_FIELDS = ("first_name", "middle_name", "last_name")


def imported_document_id(customer_id: str, reference: str) -> str:
    """The same document imported again for the same customer gets the same id: no duplicates."""
    return "document_" + hashlib.sha256(f"{customer_id}|{reference}".encode()).hexdigest()[:32]


def check_same_person(customer: Customer, imported: ImportedKyc, changes: CustomerChanges | None) -> None:
    """An import never turns one person into another.

    A person the provider holds in a form kycrail cannot read (a name or date of birth its rules
    refuse) cannot be confirmed to be anyone: refused, whatever the customer holds. Wherever the
    customer holds a name or date of birth (stored, or declared by this very request) and the imported
    person has one too, they must agree: names on ``rules.same_name``'s normal form, dates of birth
    exactly. Otherwise 409 ``customer/identity-mismatch``, pointing at the request's own field or else
    at the share token.
    """
    _check_readable(imported)
    for name in PERSON_FIELDS:
        theirs = imported.identity.get(name)
        mine, pointer = _customers_value(customer, changes, name)
        if mine is None or theirs is None:
            continue
        differs = mine != theirs if name == "date_of_birth" else not rules.same_name(mine, theirs)
        if differs:
            raise IdentityMismatch(
                "The share token belongs to another person than this customer (name or date of birth "
                "differ); nothing was imported.",
                errors=(FieldError(pointer, "Differs from the person the share token verifies."),),
            )


def _customers_value(customer: Customer, changes: CustomerChanges | None, name: str) -> tuple[Any, str]:
    """The customer's value of an identity field (declared by this request, else stored), and where an
    error about it points."""
    if changes is not None and name in changes.identity:
        return changes.identity[name], changes.pointer(name)
    return getattr(customer.identity, name), IMPORT_POINTER


def _check_readable(imported: ImportedKyc) -> None:
    """The value is never shown: it is personal data, and what the rules refused in it may not print."""
    unreadable = [f"a {name.replace('_', ' ')}" for name in PERSON_FIELDS if name in imported.unreadable]
    if not unreadable:
        return
    raise IdentityMismatch(
        f"{imported.provider_label}'s applicant holds {_listed(unreadable)} kycrail cannot read, so it "
        "cannot be confirmed to be this customer; nothing was imported.",
        errors=(FieldError(IMPORT_POINTER, "Holds a name or date of birth kycrail cannot read."),),
    )


def _listed(items: list[str]) -> str:
    """The items in words: "a", "a and b", "a, b and c"."""
    return " and ".join((", ".join(items[:-1]), items[-1])) if len(items) > 1 else items[0]


def import_kyc(
    customer: Customer, imported: ImportedKyc, changes: CustomerChanges | None, now: datetime
) -> Customer:
    """Take over a provider's verified KYC (identity, contact details the customer lacks, documents,
    verdict) together with the request's own changes."""
    if customer.type is CustomerType.business:
        raise KybFlowRequired("Business customers are verified through the KYB flow.")
    if not imported.approved:
        raise ValueError("only an approved applicant is imported")  # the service refuses the others
    check_same_person(customer, imported, changes)
    locked = locked_fields(customer)
    verified = {
        name: _spelling(customer, changes, name, value)
        for name, value in imported.identity.items()
        if name not in locked
    }
    updated = _take_over(customer, imported, verified, now)
    if changes is not None:
        # What the import verified is answered by it (in the customer's own spelling); the rest applies.
        unverified = {
            name: value for name, value in changes.identity.items() if name not in imported.identity
        }
        updated = apply_changes(updated, replace(changes, identity=unverified))
    # After the request's own changes: an address sent beside the token places a tax number too.
    return provider_approval(_place_tin(updated, imported), imported.provider, now)


def _spelling(customer: Customer, changes: CustomerChanges | None, name: str, verified: Any) -> Any:
    """The value an import verified, as the customer holds it: a name the customer already holds (or
    declares now) is the same name (``check_same_person`` said so) and keeps the customer's spelling,
    never the provider's form of it ("Jane", not "JANE" or fullwidth letters)."""
    mine, _ = _customers_value(customer, changes, name)
    return mine if name in _NAME_FIELDS and mine is not None else verified


def apply_applicant(customer: Customer, imported: ImportedKyc, now: datetime) -> Customer:
    """The provider's applicant as it stands now (a webhook, or a reconciliation, read it): what it
    verified fills what the customer lacks (never what the platform gave); a submitted review
    submits the customer's, a completed one approves, rejects or sends criteria back."""
    lacking = {
        name: value for name, value in imported.identity.items() if getattr(customer.identity, name) is None
    }
    updated = _place_tin(_take_over(customer, imported, lacking, now), imported)
    if imported.review_state in (ReviewState.in_review, ReviewState.on_hold):
        return replace(updated, submitted_at=updated.submitted_at or now)
    if imported.review_state is ReviewState.completed and imported.verdict is not None:
        return apply_verdict(updated, imported.verdict, now)
    return updated


def _take_over(
    customer: Customer, imported: ImportedKyc, identity: dict[str, Any], now: datetime
) -> Customer:
    """The provider's data on the customer: ``identity`` (what may be taken of its identity), contact
    details and address the customer lacks, its documents (accepted, or pending while it reviews them),
    its applicant as the one followed; the criteria sent back that this answers are cleared."""
    imported_ids = {imported_document_id(customer.id, d.reference): d for d in imported.documents}

    def status_of(document: ImportedDocument) -> DocumentStatus:
        return DocumentStatus.accepted if document.accepted else DocumentStatus.pending

    on_file = {document.id for document in customer.documents}
    documents = tuple(
        replace(d, status=status_of(imported_ids[d.id])) if d.id in imported_ids else d
        for d in customer.documents
    ) + tuple(
        DocumentSummary(id=document_id, type=d.type, status=status_of(d), created_at=now)
        for document_id, d in imported_ids.items()
        if document_id not in on_file
    )
    updated = replace(
        customer,
        identity=replace(customer.identity, **identity),
        email=customer.email or imported.email,
        phone=customer.phone or imported.phone,
        address=customer.address or imported.address,
        documents=documents,
        sumsub=SumsubLink(
            applicant_id=imported.applicant_id,
            level_name=imported.level_name,
            review_answer=imported.review_answer,
            imported_at=_taken_over_at(customer, imported.applicant_id, now),
        ),
    )
    # Only what is taken from the provider answers a criterion sent back: a value the customer holds
    # already (the email the provider was given, say) is no new one, and its error stands.
    answered = {
        criterion
        for criterion, taken in (
            (Criterion.email_address.value, customer.email is None and imported.email),
            (Criterion.phone_number.value, customer.phone is None and imported.phone),
            (Criterion.residential_address.value, customer.address is None and imported.address),
            (Criterion.tax_identification_number.value, identity.get("tax")),
        )
        if taken
    } | {document_criterion(customer.type, d.type) for d in imported.documents if d.accepted}
    errors = {name: message for name, message in customer.criterion_errors.items() if name not in answered}
    return replace(updated, criterion_errors=errors)


def _taken_over_at(customer: Customer, applicant_id: str, now: datetime) -> datetime:
    """When kycrail first took over this applicant: reading it again (a webhook, a reconciliation)
    is no new take-over, so a reading that brings nothing new leaves the customer as it was."""
    link = customer.sumsub
    if link is not None and link.applicant_id == applicant_id and link.imported_at is not None:
        return link.imported_at
    return now


def contacts_from_import(
    customer: Customer, imported: ImportedKyc, changes: CustomerChanges | None
) -> frozenset[str]:
    """The contact fields an import fills from the provider's data rather than from the request: a
    conflict on one of them is the provider's data, and the error must say so."""
    return frozenset(
        name
        for name in ("email", "phone")
        if getattr(customer, name) is None
        and getattr(imported, name) is not None
        and (changes is None or getattr(changes, name) is UNSET)
    )


def delete(customer: Customer, now: datetime) -> Customer:
    """Gone from the API at once (its email and phone freed); the record is kept for the retention."""
    return replace(customer, deleted_at=now)


def erase(customer: Customer, now: datetime) -> Customer:
    """What remains once the customer is shredded: nothing personal (the store then destroys its key)."""
    return replace(
        customer,
        email=None,
        phone=None,
        address=None,
        operating_address=None,
        identity=Identity(),
        business=None,
        meta={},
        documents=(),
        criterion_errors={},
        review=None,
        sumsub=None,
        open_hits=(),
        deleted_at=customer.deleted_at or now,
    )


# --- sanctions screening: what a hit does to the customer ---------------------------------------------


def raise_hits(customer: Customer, hit_ids: tuple[str, ...]) -> Customer:
    """New screening hits, open until a reviewer resolves them: the customer cannot be approved, and
    an approved one is back in review (verification.py)."""
    return replace(customer, open_hits=tuple(sorted({*customer.open_hits, *hit_ids})))


def clear_hit(customer: Customer, hit_id: str) -> Customer:
    """A reviewer found the hit a false positive: it no longer holds the customer back."""
    return replace(customer, open_hits=tuple(h for h in customer.open_hits if h != hit_id))


TRUE_MATCH_MESSAGE = "A reviewer confirmed a match on a sanctions list."


def true_match(customer: Customer, hit_id: str, reviewer: str, now: datetime) -> Customer:
    """A reviewer confirmed the hit: the customer is on a sanctions list, a final rejection (only a
    reviewer's reopening takes it back). Its other open hits stay for the record."""
    review = Review(
        decision=ReviewDecision.rejected,
        final=True,
        reasons=(ReviewReason(SANCTIONS_SCREENING, TRUE_MATCH_MESSAGE),),
        reviewed_at=now,
        reviewer=reviewer,
    )
    return replace(clear_hit(customer, hit_id), review=review)


def settle_submission(customer: Customer, now: datetime) -> Customer:
    """Submit the review on its own once nothing is required any more (no submit call exists)."""
    return replace(customer, submitted_at=now) if needs_submission(customer) else customer


def touched(customer: Customer, now: datetime) -> Customer:
    return replace(customer, updated_at=now, version=customer.version + 1)
