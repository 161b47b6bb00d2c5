"""What SumSub does to applicants' JSON: create one, find one by reference, move its review along
(submitted, reviewed, on hold, reset, a step reset), copy a donor into a recipient's new applicant.
The applicants themselves are the ``Emulator``'s state."""

from __future__ import annotations

import copy
import secrets
import string
import uuid
from collections.abc import Mapping
from datetime import datetime

from kycrail.sumsub.emulator import fields
from kycrail.sumsub.emulator.errors import Failure
from kycrail.sumsub.emulator.levels import Level
from kycrail.sumsub.emulator.wire import JsonObject

_NAMES = ("firstName", "middleName", "lastName")
_UNDER_REVIEW = ("pending", "queued", "prechecked")


def new_id() -> str:
    """24 characters of digits and lower-case letters, like SumSub's applicant and inspection ids."""
    return secrets.token_hex(12)


def short_id() -> str:
    """SumSub's reviewId and attemptId look like "ezBRk": five letters."""
    return "".join(secrets.choice(string.ascii_letters) for _ in range(5))


def new_review(level_name: str, *, now: str) -> JsonObject:
    return {
        "reviewId": short_id(),
        "attemptId": short_id(),
        "attemptCnt": 0,
        "levelName": level_name,
        "createDate": now + "+0000",
        "reviewStatus": "init",
        "priority": 0,
    }


def new_applicant(request: JsonObject, level: Level, *, client_id: str, now: str) -> JsonObject:
    """The applicant ``POST /resources/applicants?levelName=`` creates from a checked ``request``."""
    applicant_type = fields.text(request, "type") or "individual"
    if applicant_type not in ("individual", "company"):
        raise Failure(400, "type must be individual or company")
    if applicant_type != level.applicant_type:
        raise Failure(
            400, f"Level '{level.name}' is for {level.applicant_type} applicants, not {applicant_type}"
        )
    fixed_info = fields.fixed_info(request.get("fixedInfo") or {})
    applicant: JsonObject = {
        "id": new_id(),
        "createdAt": now,
        "clientId": client_id,
        "inspectionId": new_id(),
        # SumSub makes one up when the client gives none.
        "externalUserId": fields.text(request, "externalUserId") or f"level-{uuid.uuid4()}",
        "fixedInfo": fixed_info,
        "info": _info_from(fixed_info),
        "applicantPlatform": "API",
        "requiredIdDocs": level.required_id_docs,
        "review": new_review(level.name, now=now),
        "lang": fields.text(request, "lang") or "en",
        "type": applicant_type,
    }
    for optional in ("email", "phone"):
        value = fields.text(request, optional)
        if value is not None:
            applicant[optional] = value
    return applicant


def _info_from(fixed_info: JsonObject) -> JsonObject:
    """What SumSub shows in ``info`` before any document is read: the names given, transliterated."""
    info: JsonObject = {name: fixed_info[name] for name in (*_NAMES, "dob", "country") if name in fixed_info}
    for name in _NAMES:
        if name in fixed_info:
            info[name + "En"] = fixed_info[name]
    return info


def merge_fixed_info(applicant: JsonObject, changes: object) -> JsonObject:
    """``PATCH .../fixedInfo``: the given fields replace the applicant's, the others stay."""
    merged: JsonObject = {**applicant.get("fixedInfo", {}), **fields.fixed_info(changes)}
    applicant["fixedInfo"] = merged
    return merged


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


def review_result(verdict: JsonObject) -> JsonObject:
    """A checked ``testCompleted`` body as the ``reviewResult`` it gives."""
    answer = verdict.get("reviewAnswer")
    labels = verdict.get("rejectLabels", [])
    reject_type = verdict.get("reviewRejectType")
    if answer not in ("GREEN", "RED"):
        raise Failure(400, "reviewAnswer must be GREEN or RED")
    if (
        not isinstance(labels, list)
        or len(labels) > 50
        or not all(isinstance(label, str) and 0 < len(label) <= 100 for label in labels)
    ):
        raise Failure(400, "rejectLabels must be a list of strings")
    if reject_type not in (None, "FINAL", "RETRY"):
        raise Failure(400, "reviewRejectType must be FINAL or RETRY")
    result: JsonObject = {"reviewAnswer": answer}
    # moderationComment may be shown to the person, clientComment never: both kept as given.
    for comment in ("moderationComment", "clientComment"):
        value = fields.text(verdict, comment)
        if value is not None:
            result[comment] = value
    if answer == "RED":
        result["rejectLabels"] = labels
        result["reviewRejectType"] = reject_type or "RETRY"
    return result


def complete_review(applicant: JsonObject, verdict: JsonObject, *, now: str) -> JsonObject:
    """Sandbox only (``testCompleted``): the review completes with ``verdict``'s answer, returned."""
    result = review_result(verdict)
    applicant["review"].update(reviewStatus="completed", reviewResult=result, reviewDate=now + "+0000")
    return result


def ensure_submittable(applicant: JsonObject) -> None:
    """Refused once a final verdict stands or while one is awaited. Unconfirmed: SumSub's exact
    answer then; a 400 like its other refusals."""
    review = applicant["review"]
    status = review.get("reviewStatus")
    result = review.get("reviewResult") or {}
    if status in _UNDER_REVIEW:
        raise Failure(400, "Applicant is already pending review")
    if status == "completed" and (
        result.get("reviewAnswer") == "GREEN" or result.get("reviewRejectType") == "FINAL"
    ):
        raise Failure(400, "Applicant has a final review answer and cannot be submitted again")


def review_status(applicant: JsonObject, *, now: float) -> JsonObject:
    """``GET .../status``: the review, and ``elapsedSincePendingMs`` (how long it has waited since it
    was submitted) while it is being checked."""
    review = dict(applicant["review"])
    if review.get("reviewStatus") in _UNDER_REVIEW and review.get("createDate"):
        since = datetime.strptime(review["createDate"], "%Y-%m-%d %H:%M:%S%z").timestamp()
        review["elapsedSincePendingMs"] = max(0, int((now - since) * 1000))
    return review


def submit(applicant: JsonObject, *, now: str) -> None:
    """``status/pending``: a new review attempt starts."""
    ensure_submittable(applicant)
    review = applicant["review"]
    review.pop("reviewResult", None)
    review.pop("reviewDate", None)
    review.update(
        reviewStatus="pending",
        attemptId=short_id(),
        attemptCnt=int(review.get("attemptCnt", 0)) + 1,
        createDate=now + "+0000",
    )


def hold(applicant: JsonObject) -> None:
    """Sandbox only: the review needs action (SumSub's ``onHold``), no answer yet."""
    applicant["review"].pop("reviewResult", None)
    applicant["review"]["reviewStatus"] = "onHold"


def reset(applicant: JsonObject, *, now: str) -> None:
    """``/reset``: back to ``init`` with no answer, for a fresh attempt (the caller deactivates the
    documents). Refused while a review is under way, as SumSub documents; the 400 is unconfirmed."""
    review = applicant["review"]
    if review.get("reviewStatus") in _UNDER_REVIEW:
        raise Failure(400, "Applicant is being reviewed and cannot be reset")
    review.pop("reviewResult", None)
    review.pop("reviewDate", None)
    review.update(reviewStatus="init", attemptId=short_id(), createDate=now + "+0000")


def reopen_step(applicant: JsonObject, *, now: str) -> None:
    """``/resetStep/{idDocSetType}``: the review goes back to ``init`` with no answer, so that the WebSDK
    takes a new submission (the caller deactivates the step's documents; the other steps keep theirs
    and their answers). Refused while a review is under way or on hold, as SumSub documents for its
    level and step changes; the 400, and the review's state afterwards, are unconfirmed."""
    review = applicant["review"]
    if review.get("reviewStatus") in (*_UNDER_REVIEW, "onHold"):
        raise Failure(400, "Applicant is being reviewed: its steps cannot be reset now")
    review.pop("reviewResult", None)
    review.pop("reviewDate", None)
    review.update(reviewStatus="init", createDate=now + "+0000")


def move_to_level(applicant: JsonObject, level: Level) -> None:
    """``/moveToLevel?name=``: the applicant is asked for the new level's documents (its
    ``requiredIdDocs``, its review's ``levelName``). Refused while it is pending, queued or on hold, as
    SumSub documents, and for a level of the other applicant type; both 400s are unconfirmed."""
    review = applicant["review"]
    if review.get("reviewStatus") in (*_UNDER_REVIEW, "onHold"):
        raise Failure(400, "Applicant is being reviewed: it cannot be moved to another level now")
    if level.applicant_type != applicant.get("type", "individual"):
        raise Failure(400, f"Level '{level.name}' is for applicants of type {level.applicant_type}")
    applicant["requiredIdDocs"] = level.required_id_docs
    review["levelName"] = level.name


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
        id=new_id(),
        createdAt=now,
        clientId=client_id,
        inspectionId=new_id(),
        externalUserId=f"copy-{uuid.uuid4()}",
    )
    recipient["review"].update(reviewId=short_id(), attemptId=short_id())  # the recipient's own review
    return recipient
