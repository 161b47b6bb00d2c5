"""The images an applicant's documents were uploaded with, kept with their bytes, and the checks SumSub
makes on an upload (``POST .../info/idDoc``), each refused with SumSub's own error code
(``../shared/reference/sumsub-documents.md``, section 3):

- 1003 ``empty-file`` (400): no bytes;
- 1005 ``unsupported-file-format`` (400): not an image or a PDF SumSub takes (JPEG, PNG, WEBP, PDF here);
- 1004 ``corrupted-file`` (400): it says it is one, but cannot be read (a cut-off image);
- 1000 ``duplicate-document`` (409): the very same file again on the applicant (its active images);
- 1006 ``no-upload-verification-in-progress`` (409): the applicant is being checked.

What kycrail fetches afterwards (issue 27, item 4): ``GET .../metadata/resources`` lists them, and
``GET /resources/inspections/{inspectionId}/resources/{imageId}`` answers an image's bytes.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field

from kycrail.documents.content import checked_content_type, sniff_content_type
from kycrail.errors import KycrailError
from kycrail.sumsub.emulator.errors import Failure
from kycrail.sumsub.emulator.sample import sample_png, sample_selfie_png
from kycrail.sumsub.emulator.wire import JsonObject

_UNDER_REVIEW = ("pending", "queued", "prechecked", "onHold")
# No pixel limit of SumSub's is documented: a generous one, only to keep a bomb from being decoded.
_MAX_PIXELS = 250_000_000


@dataclass(slots=True)
class Image:
    id: int
    content: bytes
    file_type: str  # its media type
    file_name: str | None
    document: JsonObject  # idDocType, country, idDocSubType
    added: str  # SumSub's "yyyy-MM-dd HH:mm:ss"
    step: str | None
    deactivated: bool = False
    digest: str = field(init=False)

    def __post_init__(self) -> None:
        self.digest = hashlib.sha256(self.content).hexdigest()


def checked(applicant: JsonObject, kept: list[Image], content: bytes) -> str:
    """The upload's media type, or SumSub's refusal of it."""
    if applicant.get("review", {}).get("reviewStatus") in _UNDER_REVIEW:
        raise Failure(
            409,
            "Documents cannot be uploaded while the applicant is being checked",
            error_code=1006,
            error_name="no-upload-verification-in-progress",
        )
    if not content:
        raise Failure(400, "The file is empty", error_code=1003, error_name="empty-file")
    if sniff_content_type(content) is None:
        raise Failure(400, "Unsupported file format", error_code=1005, error_name="unsupported-file-format")
    try:
        file_type = checked_content_type(content, max_pixels=_MAX_PIXELS)
    except KycrailError:
        raise Failure(400, "The file is corrupted", error_code=1004, error_name="corrupted-file") from None
    digest = hashlib.sha256(content).hexdigest()
    if any(image.digest == digest and not image.deactivated for image in kept):
        raise Failure(409, "Duplicate document", error_code=1000, error_name="duplicate-document")
    return file_type


def deactivate(kept: list[Image], step: str | None = None) -> None:
    """A reset deactivates every image (``step`` None), a step reset that step's."""
    for image in kept:
        if step is None or image.step == step:
            image.deactivated = True


def seeded(steps: JsonObject, added: str) -> list[Image]:
    """A seeded donor's images, one per image id its steps name: the sample card for its identity
    document, a selfie for its selfie (what a share-token import brings along, and kycrail fetches)."""
    kept = []
    for step_name, step in steps.items():
        for capture, image_id in enumerate(step.get("imageIds", [])):
            selfie = step_name == "SELFIE"
            content = sample_selfie_png(capture) if selfie else sample_png()
            document = {"idDocType": step["idDocType"], "country": step.get("country"), "idDocSubType": None}
            kept.append(Image(image_id, content, "image/png", None, document, added, step_name))
    return kept


def copies(kept: list[Image]) -> list[Image]:
    """A recipient's own copies of a donor's images (deactivating one leaves the donor's as it was)."""
    return [dataclasses.replace(image, document=dict(image.document)) for image in kept]


def metadata_resources(kept: list[Image]) -> JsonObject:
    """``GET .../metadata/resources``: ``{items, totalItems}``, one item per image."""
    items = [
        {
            "id": str(image.id),
            "previewId": str(image.id),
            "addedDate": image.added,
            "attemptId": None,
            "deactivated": image.deactivated,
            "fileMetadata": {
                "fileName": image.file_name,
                "fileType": image.file_type,
                "fileSize": len(image.content),
            },
            "idDocDef": {
                "country": image.document.get("country"),
                "idDocType": image.document.get("idDocType"),
                "idDocSubType": image.document.get("idDocSubType"),
            },
            "reviewResult": {},
            "source": "fileupload",
        }
        for image in kept
    ]
    return {"items": items, "totalItems": len(items)}


def moderation_states(applicant: JsonObject, kept: list[Image], steps: JsonObject) -> JsonObject:
    """``GET /resources/moderationStates/-;applicantId=``: why a rejected applicant was rejected, its
    review's labels (``applicantState``) and each active image's of a rejected step (``imagesStates``),
    each label ``{"value": true}``. Only once rejected: none otherwise. The ``list`` wrapper and the
    item's fields are the typed ``sumsub-node-sdk``'s (unconfirmed by SumSub's reference); ``key``
    here is the review attempt's id (unconfirmed)."""
    review = applicant["review"]
    result = review.get("reviewResult") or {}
    if review.get("reviewStatus") != "completed" or result.get("reviewAnswer") != "RED":
        return {"list": {"items": [], "totalItems": 0}}
    images_states = {}
    for image in kept:
        step_result = (steps.get(image.step or "") or {}).get("reviewResult") or {}
        if not image.deactivated and step_result.get("reviewAnswer") == "RED":
            labels = step_result.get("rejectLabels") or result.get("rejectLabels", [])
            images_states[str(image.id)] = {"state": {label: {"value": True} for label in labels}}
    item = {
        "id": hashlib.sha256(f"moderation:{applicant['id']}:{review.get('attemptId')}".encode()).hexdigest()[
            :24
        ],
        "applicantId": applicant["id"],
        "key": review.get("attemptId"),
        "applicantState": {label: {"value": True} for label in result.get("rejectLabels", [])},
        "imagesStates": images_states,
    }
    return {"list": {"items": [item], "totalItems": 1}}


def find(kept: list[Image], image_id: str) -> Image:
    for image in kept:
        if str(image.id) == image_id:
            return image
    raise Failure(404, "Image not found")
