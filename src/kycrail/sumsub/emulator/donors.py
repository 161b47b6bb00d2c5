"""The seeded donor applicants: one person a verification outcome, as another SumSub client holds them.

Data only. Ids are derived from the external user id, so they are the same in every emulator.
"""

from __future__ import annotations

import hashlib
from typing import Any

from kycrail.sumsub.emulator.wire import JsonObject

DONOR_CLIENT_ID = "sandbox-donor-company"
DONOR_LEVEL_NAME = "basic-kyc-level"


def _stable_id(kind: str, key: str) -> str:
    """24 characters of digits and lower-case letters, like SumSub's ids; the same for the same seed."""
    return hashlib.sha256(f"kycrail-sandbox:{kind}:{key}".encode()).hexdigest()[:24]


def _step(doc_type: str, answer: str | None, **result: Any) -> JsonObject:
    image_id = int(_stable_id("image", doc_type)[:9], 16)
    step: JsonObject = {
        "country": "USA",
        "idDocType": doc_type,
        "imageIds": [image_id],
        "imageReviewResults": {},
        "forbidden": False,
    }
    if answer is not None:
        step["reviewResult"] = {"reviewAnswer": answer, **result}
        step["imageReviewResults"] = {str(image_id): {"reviewAnswer": answer}}
    return step


def _review(status: str, result: JsonObject | None) -> JsonObject:
    review: JsonObject = {
        "attemptCnt": 1,
        "levelName": DONOR_LEVEL_NAME,
        "createDate": "2025-01-15 10:02:11+0000",
        "reviewStatus": status,
        "priority": 0,
    }
    if result is not None:
        review["reviewDate"] = "2025-01-15 10:05:42+0000"
        review["reviewResult"] = result
    return review


def _seed(
    external_user_id: str,
    *,
    email: str,
    phone: str | None,
    info: JsonObject,
    review: JsonObject,
    required_id_docs_status: JsonObject,
) -> tuple[JsonObject, JsonObject]:
    # fixedInfo: what the person typed in; info: what was read from the documents (same facts here).
    fixed_info = {
        key: value for key, value in info.items() if key not in ("idDocs", "firstNameEn", "lastNameEn")
    }
    review = {
        "reviewId": _stable_id("review", external_user_id)[:5],
        "attemptId": _stable_id("attempt", external_user_id)[:5],
        **review,
    }
    applicant: JsonObject = {
        "id": _stable_id("applicant", external_user_id),
        "createdAt": "2025-01-15 10:00:00",
        "clientId": DONOR_CLIENT_ID,
        "inspectionId": _stable_id("inspection", external_user_id),
        "externalUserId": external_user_id,
        "email": email,
        "lang": "en",
        "type": "individual",
        "info": info,
        "fixedInfo": fixed_info,
        "requiredIdDocs": {
            "docSets": [
                {"idDocSetType": "IDENTITY", "types": ["PASSPORT", "ID_CARD", "DRIVERS"]},
                {"idDocSetType": "SELFIE", "types": ["SELFIE"]},
            ]
        },
        "review": review,
    }
    if phone is not None:
        applicant["phone"] = phone
    return applicant, required_id_docs_status


def _id_doc(doc_type: str, first: str, last: str, dob: str, number: str) -> JsonObject:
    return {
        "idDocType": doc_type,
        "country": "USA",
        "firstName": first.upper(),
        "lastName": last.upper(),
        "number": number,
        "dob": dob,
        "issuedDate": "2021-06-15",
        "validUntil": "2031-06-14",
    }


def _person(
    first: str, last: str, dob: str, gender: str, doc_type: str, number: str, **more: Any
) -> JsonObject:
    return {
        "firstName": first,
        "lastName": last,
        "firstNameEn": first,
        "lastNameEn": last,
        "dob": dob,
        "gender": gender,
        "country": "USA",
        **more,
        "idDocs": [_id_doc(doc_type, first, last, dob, number)],
    }


def seeded_donors() -> list[tuple[JsonObject, JsonObject]]:
    """(applicant, requiredIdDocsStatus) of each donor: fresh copies, safe to mutate."""
    green = {"reviewAnswer": "GREEN"}
    return [
        _seed(
            "sandbox-approved",
            email="emily.carter@example.com",
            phone="+14155550100",
            info=_person(
                "Emily",
                "Carter",
                "1990-04-12",
                "F",
                "PASSPORT",
                "561234567",
                middleName="Rose",
                middleNameEn="Rose",
                placeOfBirth="Sacramento",
                countryOfBirth="USA",
                nationality="USA",
                tin="536-22-1234",
                phone="+14155550100",
                addresses=[
                    {
                        "country": "USA",
                        "state": "CA",
                        "town": "San Francisco",
                        "postCode": "94105",
                        "street": "1 Market Street",
                        "subStreet": "Apt 4B",
                    }
                ],
            ),
            review=_review("completed", green),
            required_id_docs_status={
                "IDENTITY": _step("PASSPORT", "GREEN"),
                "SELFIE": _step("SELFIE", "GREEN"),
            },
        ),
        # What reusable KYC often carries: name, date of birth, identity document, selfie; nothing else.
        _seed(
            "sandbox-partial",
            email="daniel.okafor@example.com",
            phone=None,
            info=_person("Daniel", "Okafor", "1985-11-03", "M", "ID_CARD", "D4821937"),
            review=_review("completed", green),
            required_id_docs_status={
                "IDENTITY": _step("ID_CARD", "GREEN"),
                "SELFIE": _step("SELFIE", "GREEN"),
            },
        ),
        _seed(
            "sandbox-rejected-final",
            email="victor.hale@example.com",
            phone="+12025550143",
            info=_person("Victor", "Hale", "1979-02-20", "M", "PASSPORT", "548812093", nationality="USA"),
            review=_review(
                "completed",
                {
                    "reviewAnswer": "RED",
                    "reviewRejectType": "FINAL",
                    "rejectLabels": ["FORGERY", "SELFIE_MISMATCH"],
                    "moderationComment": "We could not verify your identity.",
                    "clientComment": "The passport shows signs of tampering; the selfie does not match.",
                },
            ),
            required_id_docs_status={
                "IDENTITY": _step("PASSPORT", "RED", reviewRejectType="FINAL", rejectLabels=["FORGERY"]),
                "SELFIE": _step("SELFIE", "RED", reviewRejectType="FINAL", rejectLabels=["SELFIE_MISMATCH"]),
            },
        ),
        _seed(
            "sandbox-rejected-retry",
            email="grace.lin@example.com",
            phone="+16505550123",
            info=_person("Grace", "Lin", "1995-07-08", "F", "DRIVERS", "F2281734", nationality="USA"),
            review=_review(
                "completed",
                {
                    "reviewAnswer": "RED",
                    "reviewRejectType": "RETRY",
                    "rejectLabels": ["UNSATISFACTORY_PHOTOS"],
                    "moderationComment": "The photo of your document is blurry. Please upload a sharper one.",
                },
            ),
            required_id_docs_status={
                "IDENTITY": _step(
                    "DRIVERS", "RED", reviewRejectType="RETRY", rejectLabels=["UNSATISFACTORY_PHOTOS"]
                ),
                "SELFIE": _step("SELFIE", "GREEN"),
            },
        ),
        _seed(
            "sandbox-pending",
            email="noah.bennett@example.com",
            phone="+14155552671",
            info=_person("Noah", "Bennett", "1988-12-01", "M", "PASSPORT", "530071846", nationality="USA"),
            review=_review("pending", None),
            required_id_docs_status={
                "IDENTITY": _step("PASSPORT", None),
                "SELFIE": _step("SELFIE", None),
            },
        ),
    ]
