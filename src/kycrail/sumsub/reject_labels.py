"""Which of kycrail's criteria a SumSub reject label sends back (a RETRY verdict names labels, kycrail's
profile names criteria). SumSub documents many labels and adds more; an unknown one sends back the
document that proves who the person or company is, so that a retry always asks for something."""

from __future__ import annotations

from kycrail.customers.model import BusinessCriterion, Criterion

_INDIVIDUAL: dict[str, Criterion] = {
    **dict.fromkeys(
        (
            "BAD_SELFIE",
            "BAD_VIDEO_SELFIE",
            "BAD_FACE_MATCHING",
            "SELFIE_MISMATCH",
            "SELFIE_WITH_PAPER",
            "FRAUDULENT_LIVENESS",
            "LIVENESS_FAILED",
        ),
        Criterion.liveness_report_document,
    ),
    **dict.fromkeys(
        ("PROOF_OF_ADDRESS", "BAD_PROOF_OF_ADDRESS", "PROOF_OF_ADDRESS_MISSING", "WRONG_ADDRESS"),
        Criterion.residential_address,
    ),
    **dict.fromkeys(("PROBLEMATIC_APPLICANT_DATA", "REQUESTED_DATA_MISMATCH"), Criterion.identity_document),
    **dict.fromkeys(("WRONG_EMAIL",), Criterion.email_address),
    **dict.fromkeys(("WRONG_PHONE",), Criterion.phone_number),
}
_BUSINESS: dict[str, BusinessCriterion] = {
    **dict.fromkeys(
        ("PROOF_OF_ADDRESS", "BAD_PROOF_OF_ADDRESS", "PROOF_OF_ADDRESS_MISSING", "WRONG_ADDRESS"),
        BusinessCriterion.proof_of_address_document,
    ),
    **dict.fromkeys(("WRONG_EMAIL",), BusinessCriterion.email_address),
    **dict.fromkeys(("WRONG_PHONE",), BusinessCriterion.phone_number),
}


def criteria_for(labels: list[str], *, business: bool) -> list[str]:
    """The criteria ``labels`` send back, each once, in the labels' order (never empty)."""
    fallback = BusinessCriterion.business_registration_document if business else Criterion.identity_document
    table: dict[str, str] = dict(_BUSINESS) if business else dict(_INDIVIDUAL)
    found = [table.get(label, fallback) for label in labels] or [fallback]
    return [str(criterion) for criterion in dict.fromkeys(found)]
