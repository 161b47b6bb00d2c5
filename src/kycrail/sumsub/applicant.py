"""SumSub's payloads as typed, lenient models: unknown fields are ignored (SumSub adds them freely),
missing ones are None. See docs/sumsub.md."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class ApplicantAddress(_Lenient):
    country: str | None = None
    postCode: str | None = None
    town: str | None = None
    street: str | None = None
    subStreet: str | None = None
    state: str | None = None
    buildingName: str | None = None
    flatNumber: str | None = None
    buildingNumber: str | None = None


class IdDoc(_Lenient):
    idDocType: str | None = None
    country: str | None = None
    firstName: str | None = None
    lastName: str | None = None
    number: str | None = None
    dob: str | None = None
    validUntil: str | None = None
    issuedDate: str | None = None


class ApplicantInfo(_Lenient):
    """Shared shape of ``info`` (extracted from documents) and ``fixedInfo`` (provided)."""

    firstName: str | None = None
    middleName: str | None = None
    lastName: str | None = None
    firstNameEn: str | None = None
    middleNameEn: str | None = None
    lastNameEn: str | None = None
    dob: str | None = None  # YYYY-MM-DD
    gender: str | None = None  # M / F
    placeOfBirth: str | None = None
    countryOfBirth: str | None = None
    country: str | None = None  # alpha-3
    nationality: str | None = None  # alpha-3
    tin: str | None = None
    phone: str | None = None
    addresses: list[ApplicantAddress] = Field(default_factory=list)
    idDocs: list[IdDoc] = Field(default_factory=list)


class ReviewResult(_Lenient):
    reviewAnswer: str | None = None
    rejectLabels: list[str] = Field(default_factory=list)
    reviewRejectType: str | None = None
    moderationComment: str | None = None
    clientComment: str | None = None


class ApplicantReview(_Lenient):
    reviewStatus: str | None = None
    reviewResult: ReviewResult | None = None
    levelName: str | None = None
    createDate: str | None = None
    reviewDate: str | None = None

    @property
    def approved(self) -> bool:
        """GREEN means something only once the review is completed."""
        return self.reviewStatus == "completed" and (
            self.reviewResult is not None and self.reviewResult.reviewAnswer == "GREEN"
        )


class Applicant(_Lenient):
    id: str
    createdAt: str | None = None
    clientId: str | None = None
    inspectionId: str | None = None
    externalUserId: str | None = None
    email: str | None = None
    phone: str | None = None
    lang: str | None = None
    type: str | None = None  # individual | company
    info: ApplicantInfo = Field(default_factory=ApplicantInfo)
    fixedInfo: ApplicantInfo = Field(default_factory=ApplicantInfo)
    review: ApplicantReview = Field(default_factory=ApplicantReview)


class StepStatus(_Lenient):
    """One step of ``/requiredIdDocsStatus`` (IDENTITY, SELFIE, PROOF_OF_RESIDENCE, ...)."""

    reviewResult: ReviewResult | None = None
    idDocType: str | None = None

    @property
    def green(self) -> bool:
        return self.reviewResult is not None and self.reviewResult.reviewAnswer == "GREEN"


# requiredIdDocsStatus answers {"IDENTITY": {...} | null, "SELFIE": {...} | null, ...}
RequiredIdDocsStatus = dict[str, StepStatus | None]


class IdDocDef(_Lenient):
    country: str | None = None
    idDocType: str | None = None
    idDocSubType: str | None = None


class FileMetadata(_Lenient):
    fileType: str | None = None  # its media type
    fileSize: int | None = None


class ImageResource(_Lenient):
    """One item of ``GET .../metadata/resources``: an image the applicant's documents were uploaded with."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    id: str = Field(min_length=1, max_length=40)  # the image id (a number, as text or not: read as text)
    deactivated: bool = False
    idDocDef: IdDocDef = Field(default_factory=IdDocDef)
    fileMetadata: FileMetadata = Field(default_factory=FileMetadata)


class ImageResources(_Lenient):
    items: list[ImageResource] = Field(default_factory=list)
    totalItems: int | None = None
