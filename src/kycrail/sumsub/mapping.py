"""What a SumSub applicant tells us about a customer, checked by our own rules. Pure: no I/O.

Reusable KYC often carries only name, date of birth, selfie and identity document; whatever is missing
or does not pass our rules (a US address without a valid ZIP, say) is left out, so it stays "required"
on our side rather than being stored half-valid. That includes text a client could not send either
(control characters, lone surrogates; in names, bidirectional controls and combining marks no spelling
uses), and names are stored in NFC.

The fields that say who the person is (names, date of birth) are read from ``info`` (read from the
documents, verified), or from ``fixedInfo`` (what the person or a client typed) where ``info`` has
none. One that SumSub sent but our rules refuse is not merely left out: it is named in
``ImportedKyc.unreadable``, so that an import can refuse a person it cannot read rather than take
them for one who sent nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, Final, TypeVar

from kycrail.customers import domain, rules
from kycrail.customers.model import (
    Address,
    Criterion,
    Customer,
    CustomerType,
    DocumentType,
    ReviewReason,
    TaxIdentification,
)
from kycrail.customers.provider import (
    ImportedDocument,
    ImportedKyc,
    ProviderImage,
    ProviderVerdict,
    ReviewState,
    VerdictOutcome,
)
from kycrail.sumsub.applicant import (
    Applicant,
    ApplicantAddress,
    ApplicantInfo,
    ApplicantReview,
    ImageResources,
    RequiredIdDocsStatus,
    StepStatus,
)
from kycrail.sumsub.reject_labels import criteria_for

_IDENTITY_DOCUMENT_TYPES = {
    "PASSPORT": DocumentType.passport,
    "ID_CARD": DocumentType.id_card,
    "DRIVERS": DocumentType.drivers,
    "RESIDENCE_PERMIT": DocumentType.residence_permit,
}
# The images kycrail fetches (issue 27): the identity document's, the selfie's, a proof of address's.
_IMAGE_DOCUMENT_TYPES = {
    **_IDENTITY_DOCUMENT_TYPES,
    "SELFIE": DocumentType.liveness_report,
    "UTILITY_BILL": DocumentType.proof_of_address,
}
SELFIE_REFERENCE = "sumsub:selfie"
PROVIDER = "sumsub"  # the author of what SumSub decided, as kycrail records it
LABEL = "SumSub"  # how messages name it
_T = TypeVar("_T")


class _Unreadable(Enum):
    unreadable = "UNREADABLE"


_UNREADABLE: Final = _Unreadable.unreadable
"""A value SumSub sent that kycrail's rules refuse (unlike None: SumSub sent none)."""


def _text(value: str | None) -> str | None:
    """``value`` stripped; None when it is empty or holds what a client could not send."""
    value = value.strip() if value else None
    return _valid(rules.plain_text, value) if value else None


def _first(*values: str | None) -> str | None:
    return next(filter(None, map(_text, values)), None)


def _sent(value: str | None) -> bool:
    """Whether SumSub sent a value at all (blank is none)."""
    return bool(value and value.strip())


def _chosen(extracted: str | None, provided: str | None) -> str | None:
    """The document's value (``info``) when SumSub sent one, else the person's own (``fixedInfo``)."""
    if _sent(extracted):
        return extracted
    return provided if _sent(provided) else None


def _read(parse: Callable[[str | None], _T | None], value: str | None) -> _T | _Unreadable | None:
    """``value`` parsed; _UNREADABLE when it was sent but does not parse, None when none was sent."""
    if value is None:
        return None
    parsed = parse(value)
    return _UNREADABLE if parsed is None else parsed


def _name(extracted: str | None, provided: str | None) -> str | _Unreadable | None:
    """The document's name, or the person's where the document has none. Documents give names in
    capitals: the person's own spelling is preferred when it is the same name."""
    name = _read(_name_text, _chosen(extracted, provided))
    own = _name_text(provided)
    if isinstance(name, str) and own and rules.same_name(name, own):
        return own
    return name


def _name_text(value: str | None) -> str | None:
    return _valid(rules.normalise_name, _text(value))


def _valid(validate: Callable[[str], _T], value: str | None) -> _T | None:
    if value is None:
        return None
    try:
        return validate(value)
    except ValueError:
        return None


def _date(value: str | None) -> date | None:
    value = _text(value)
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _address(source: ApplicantAddress | None) -> Address | None:
    if source is None:
        return None
    country = _valid(rules.country_alpha3, source.country)
    street = _first(" ".join(part for part in (source.buildingNumber, source.street) if part), source.street)
    city = _first(source.town)
    if not (country and street and city):
        return None
    state, postal_code = _first(source.state), _first(source.postCode)
    if country == "USA":
        state = _valid(rules.us_state_code, state)
        postal_code = _valid(rules.us_postal_code, postal_code)
        if state is None or postal_code is None:
            return None
    line2 = _first(source.subStreet, source.flatNumber)
    return Address(
        line1=street, line2=line2, city=city, state=state, postal_code=postal_code, country=country
    )


def _residence(info: ApplicantInfo, fixed: ApplicantInfo, address: Address | None) -> str | None:
    """The person's country of residence as SumSub holds it: ``country``, else its address's. SumSub's
    applicant carries no country of its own for ``tin`` (docs/sumsub.md, "Applicants"): the tax number
    is the one of where the person lives."""
    country = _valid(rules.country_alpha3, _first(info.country)) or _valid(
        rules.country_alpha3, _first(fixed.country)
    )
    return country or (address.country if address else None)


def _tax(tin: str | None, residence: str | None) -> TaxIdentification | None:
    """A US resident's must be an SSN (anything else stays required); elsewhere ``other``, described."""
    return domain.provided_tax(tin, residence, LABEL) if tin and residence else None


def _person(info: ApplicantInfo, fixed: ApplicantInfo) -> dict[str, Any]:
    """Who the person is: each field's value, _UNREADABLE, or None when SumSub sent none."""
    return {
        "first_name": _name(info.firstName, fixed.firstName),
        "middle_name": _name(info.middleName, fixed.middleName),
        "last_name": _name(info.lastName, fixed.lastName),
        "date_of_birth": _read(_date, _chosen(info.dob, fixed.dob)),
    }


def _identity(
    info: ApplicantInfo, fixed: ApplicantInfo, person: dict[str, Any], address: Address | None
) -> dict[str, Any]:
    residence = _residence(info, fixed, address)
    values: dict[str, Any] = {
        **{name: value for name, value in person.items() if value is not _UNREADABLE},
        "nationality": _valid(rules.country_alpha3, _first(info.nationality, fixed.nationality)),
        "country_of_birth": _valid(rules.country_alpha3, _first(info.countryOfBirth, fixed.countryOfBirth)),
        "residency_country": residence,
        "tax": _tax(_first(info.tin, fixed.tin), residence),
    }
    return {name: value for name, value in values.items() if value is not None}


def _under_review(step: StepStatus | None) -> bool:
    """Submitted (SumSub knows its document type) and not decided yet."""
    return (
        step is not None
        and step.idDocType is not None
        and (step.reviewResult is None or not step.reviewResult.reviewAnswer)
    )


def _identity_reference(applicant: Applicant, doc_type: str) -> str:
    """What names the applicant's identity document of this type across imports: its type, country
    and number as SumSub extracted them (not stripped), or the applicant where it has no number."""
    matching = [doc for doc in applicant.info.idDocs if doc.idDocType == doc_type]
    number = _valid(rules.plain_text, matching[0].number) if matching else None
    country = _valid(rules.plain_text, matching[0].country) if matching else None
    return f"sumsub:identity:{doc_type}:{country or '-'}:{number or applicant.id}"


def _documents(applicant: Applicant, steps: RequiredIdDocsStatus) -> tuple[ImportedDocument, ...]:
    """The identity document and the selfie SumSub accepted (GREEN), or holds for review; a RED one
    is left out (its verdict sends the criterion back)."""
    documents = []
    identity_step = steps.get("IDENTITY")
    if identity_step is not None and (identity_step.green or _under_review(identity_step)):
        doc_type = identity_step.idDocType or ""
        if doc_type in _IDENTITY_DOCUMENT_TYPES:
            reference = _identity_reference(applicant, doc_type)
            documents.append(
                ImportedDocument(_IDENTITY_DOCUMENT_TYPES[doc_type], reference, accepted=identity_step.green)
            )
    selfie_step = steps.get("SELFIE")
    if selfie_step is not None and (selfie_step.green or _under_review(selfie_step)):
        documents.append(
            ImportedDocument(DocumentType.liveness_report, SELFIE_REFERENCE, accepted=selfie_step.green)
        )
    return tuple(documents)


def provider_images(applicant: Applicant, resources: ImageResources) -> tuple[ProviderImage, ...]:
    """The applicant's active images of the document types kycrail keeps, each linked to the imported
    document it is a page of (the same reference ``_documents`` gives it). Without an inspection id
    SumSub's images cannot be downloaded: none."""
    if not applicant.inspectionId:
        return ()
    images = []
    for item in resources.items:
        doc_type = item.idDocDef.idDocType or ""
        if item.deactivated or doc_type not in _IMAGE_DOCUMENT_TYPES:
            continue
        if doc_type in _IDENTITY_DOCUMENT_TYPES:
            document_reference: str | None = _identity_reference(applicant, doc_type)
        else:
            document_reference = SELFIE_REFERENCE if doc_type == "SELFIE" else None
        images.append(
            ProviderImage(
                reference=f"sumsub:image:{item.id}",
                type=_IMAGE_DOCUMENT_TYPES[doc_type],
                country=_valid(rules.country_alpha3, item.idDocDef.country),
                document_reference=document_reference,
                size_bytes=item.fileMetadata.fileSize,
                locator=f"{applicant.inspectionId}/{item.id}",
            )
        )
    return tuple(images)


# The SumSub step whose document answers a criterion (``_documents`` reads them back): what a retake
# opens again. Business documents have none: kycrail reads no company step back as a document, so a
# business's documents are supplied again by upload (POST /v2/document).
_STEP_OF_CRITERION = {
    Criterion.identity_document.value: "IDENTITY",
    Criterion.liveness_report_document.value: "SELFIE",
}
# A review SumSub runs (or holds) refuses a step reset: only a decided or unsubmitted applicant takes one.
_RESETTABLE_REVIEWS = {ReviewState.completed, ReviewState.not_submitted}


def steps_for(criteria: frozenset[str]) -> dict[str, str]:
    """SumSub's step for each of ``criteria`` that has one (step -> criterion)."""
    return {_STEP_OF_CRITERION[c]: c for c in sorted(criteria) if c in _STEP_OF_CRITERION}


def steps_to_retake(
    applicant: Applicant, steps: RequiredIdDocsStatus, wanted: Mapping[str, str]
) -> dict[str, str]:
    """Of the ``wanted`` steps (``steps_for``), those to open again: each one whose document SumSub
    accepted (GREEN). A step not accepted takes a new submission as it is; none while SumSub's own
    review runs (it refuses a reset then)."""
    if _review_state(applicant.review) not in _RESETTABLE_REVIEWS:
        return {}
    return {name: criterion for name, criterion in wanted.items() if (step := steps.get(name)) and step.green}


def _rejection_reason(applicant: Applicant) -> str | None:
    review = applicant.review
    if review.approved:
        return None
    result = review.reviewResult
    if review.reviewStatus == "completed" and result is not None and result.reviewAnswer == "RED":
        labels = ", ".join(result.rejectLabels) or "no labels"
        comment = f": {result.moderationComment}" if result.moderationComment else ""
        kind = "finally" if result.reviewRejectType == "FINAL" else "with a request to retry"
        return f"The applicant was rejected {kind} ({labels}){comment}"
    return (
        f"The applicant's verification is not completed (review status: {review.reviewStatus or 'unknown'})"
    )


def imported_kyc(applicant: Applicant, steps: RequiredIdDocsStatus) -> ImportedKyc:
    address = _address(_first_address(applicant.info) or _first_address(applicant.fixedInfo))
    person = _person(applicant.info, applicant.fixedInfo)
    result = applicant.review.reviewResult
    tin = _first(applicant.info.tin, applicant.fixedInfo.tin)
    placed = _residence(applicant.info, applicant.fixedInfo, address) is not None
    return ImportedKyc(
        provider=PROVIDER,
        applicant_id=applicant.id,
        level_name=_valid(rules.plain_text, applicant.review.levelName),
        approved=applicant.review.approved,
        rejection_reason=_rejection_reason(applicant),
        review_answer=result.reviewAnswer if result else None,
        identity=_identity(applicant.info, applicant.fixedInfo, person, address),
        unreadable=frozenset(name for name, value in person.items() if value is _UNREADABLE),
        address=address,
        email=_valid(rules.normalise_email, _text(applicant.email)),
        phone=_valid(
            rules.normalise_phone, _first(applicant.phone, applicant.info.phone, applicant.fixedInfo.phone)
        ),
        tin_without_residence=None if placed else tin,
        documents=_documents(applicant, steps),
        review_state=_review_state(applicant.review),
        verdict=_verdict(applicant),
        reviewed_at=_sumsub_datetime(applicant.review.reviewDate or applicant.review.createDate),
        provider_label=LABEL,
    )


# SumSub's review statuses; newer ones it may add count as "in review" (they are neither new nor decided).
_NOT_SUBMITTED = {"init", None}
_ON_HOLD = {"onHold"}


def _review_state(review: ApplicantReview) -> ReviewState:
    if review.reviewStatus == "completed":
        return ReviewState.completed
    if review.reviewStatus in _NOT_SUBMITTED:
        return ReviewState.not_submitted
    return ReviewState.on_hold if review.reviewStatus in _ON_HOLD else ReviewState.in_review


def _verdict(applicant: Applicant) -> ProviderVerdict | None:
    """The completed review's decision: GREEN approves; RED FINAL rejects for good; RED RETRY (or RED
    with no type) sends back the criteria its labels name, with SumSub's words for the person."""
    review = applicant.review
    result = review.reviewResult
    if review.reviewStatus != "completed" or result is None or result.reviewAnswer not in ("GREEN", "RED"):
        return None
    if result.reviewAnswer == "GREEN":
        return ProviderVerdict(provider=PROVIDER, outcome=VerdictOutcome.approved)
    message = _text(result.moderationComment) or "Rejected by SumSub: " + (
        ", ".join(_text(label) or "" for label in result.rejectLabels) or "no reason given"
    )
    criteria = criteria_for(result.rejectLabels, business=applicant.type == "company")
    reasons = tuple(ReviewReason(criterion=criterion, message=message[:500]) for criterion in criteria)
    final = result.reviewRejectType == "FINAL"
    outcome = VerdictOutcome.rejected if final else VerdictOutcome.resubmission_requested
    return ProviderVerdict(provider=PROVIDER, outcome=outcome, reasons=reasons)


def _sumsub_datetime(value: str | None) -> datetime | None:
    """SumSub writes "2020-06-24 05:12:58+0000" (reviews) or "2020-06-24 05:12:58" (GMT)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def _first_address(info: ApplicantInfo) -> ApplicantAddress | None:
    return info.addresses[0] if info.addresses else None


# --- the other way: what kycrail tells SumSub when it creates an applicant -----------------------


def applicant_type(customer: Customer) -> str:
    return "company" if customer.type is CustomerType.business else "individual"


def fixed_info(customer: Customer) -> dict[str, Any]:
    """What kycrail already knows of the person or company, as SumSub's ``fixedInfo`` (given, not
    verified: SumSub checks it against the documents). No tax number: the level asks for it if needed."""
    if customer.type is CustomerType.business:
        business = customer.business
        company = (
            {
                "companyName": business.legal_name,
                "registrationNumber": business.registration_number,
                "country": business.incorporation_country,
            }
            if business is not None
            else {}
        )
        known = {key: value for key, value in company.items() if value}
        return {"companyInfo": known} if known else {}
    person = customer.identity
    info = {
        "firstName": person.first_name,
        "middleName": person.middle_name,
        "lastName": person.last_name,
        "dob": person.date_of_birth.isoformat() if person.date_of_birth else None,
        "nationality": person.nationality,
        "countryOfBirth": person.country_of_birth,
        "country": person.residency_country,
    }
    return {key: value for key, value in info.items() if value}
