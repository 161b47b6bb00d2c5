"""What SumSub does to applicants' JSON: find one by reference, give it a test verdict, copy a donor
into a recipient's new applicant. The applicants themselves are the ``Emulator``'s state."""

from __future__ import annotations

import copy
import secrets
import uuid
from collections.abc import Mapping

from kycrail.sumsub.emulator.errors import Failure
from kycrail.sumsub.emulator.wire import JsonObject


def id_for(applicants: Mapping[str, JsonObject], external_user_id: str) -> str:
    """Raises KeyError for an unknown external user id."""
    for applicant_id, applicant in applicants.items():
        if applicant.get("externalUserId") == external_user_id:
            return applicant_id
    raise KeyError(external_user_id)


def resolve(applicants: Mapping[str, JsonObject], ref: str) -> JsonObject:
    """An applicant id, or SumSub's matrix form ``-;externalUserId=...`` (already percent-decoded)."""
    if ref.startswith("-;"):
        key, _, value = ref[2:].partition("=")
        if key != "externalUserId" or not value:
            raise Failure(400, "Unsupported applicant reference")
        try:
            return applicants[id_for(applicants, value)]
        except KeyError:
            raise Failure(404, f"Applicant with external user id '{value}' not found") from None
    applicant = applicants.get(ref)
    if applicant is None:
        raise Failure(404, f"Applicant with id '{ref}' not found")
    return applicant


def complete_review(applicant: JsonObject, verdict: JsonObject, *, now: str) -> None:
    """Sandbox only (``testCompleted``): the review completes with ``verdict``'s answer."""
    answer = verdict.get("reviewAnswer")
    labels = verdict.get("rejectLabels", [])
    reject_type = verdict.get("reviewRejectType")
    if answer not in ("GREEN", "RED"):
        raise Failure(400, "reviewAnswer must be GREEN or RED")
    if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
        raise Failure(400, "rejectLabels must be a list of strings")
    if reject_type not in (None, "FINAL", "RETRY"):
        raise Failure(400, "reviewRejectType must be FINAL or RETRY")
    result: JsonObject = {"reviewAnswer": answer}
    if answer == "RED":
        result["rejectLabels"] = labels
        result["reviewRejectType"] = reject_type or "RETRY"
    applicant["review"].update(reviewStatus="completed", reviewResult=result, reviewDate=now + "+0000")


def is_approved(applicant: JsonObject) -> bool:
    review = applicant["review"]
    return (
        review.get("reviewStatus") == "completed"
        and (review.get("reviewResult") or {}).get("reviewAnswer") == "GREEN"
    )


def recipient_copy(donor: JsonObject, *, client_id: str, now: str) -> JsonObject:
    """A new applicant of ``client_id`` holding the donor's data and review; the donor is left as it was."""
    recipient = copy.deepcopy(donor)
    recipient.update(
        id=secrets.token_hex(12),
        createdAt=now,
        clientId=client_id,
        inspectionId=secrets.token_hex(12),
        externalUserId=f"copy-{uuid.uuid4()}",
    )
    return recipient
