"""ID documents and the verification steps they complete (``requiredIdDocsStatus``).

A step (``IDENTITY``, ``SELFIE``, ``COMPANY``, ...) is ``null`` until a document for it arrives, then
names the document and its images, and carries a ``reviewResult`` once the applicant is reviewed.
"""

from __future__ import annotations

import json
import secrets

from kycrail.sumsub.emulator import fields
from kycrail.sumsub.emulator.errors import Failure
from kycrail.sumsub.emulator.wire import JsonObject

MAX_METADATA_BYTES = 16 * 1024
# Unconfirmed: SumSub's largest image; its dashboard lets a client allow up to 50 MB.
MAX_IMAGE_BYTES = 20 * 1024 * 1024
# Optional metadata SumSub reads from the client (the rest of a document it reads from the image).
_TEXT_FIELDS = ("idDocSubType", "firstName", "middleName", "lastName", "number", "placeOfBirth")
_DATE_FIELDS = ("issuedDate", "validUntil", "dob")
_SUB_TYPES = ("FRONT_SIDE", "BACK_SIDE")
_DOC_TYPE_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ_")


def empty_steps(required_id_docs: JsonObject) -> JsonObject:
    """Every step of a new applicant's level: nothing submitted yet."""
    return {doc_set["idDocSetType"]: None for doc_set in required_id_docs.get("docSets", [])}


def steps_at(steps: JsonObject, required_id_docs: JsonObject) -> JsonObject:
    """The steps of a level the applicant moved to: those it had keep what is on file, new ones are open."""
    return {name: steps.get(name) for name in empty_steps(required_id_docs)}


def metadata(raw: bytes | str) -> JsonObject:
    """The ``metadata`` part of an upload: ``idDocType`` and ``country`` required, known fields checked,
    the rest ignored."""
    if len(raw) > MAX_METADATA_BYTES:
        raise Failure(400, "metadata is too large")
    try:
        given = json.loads(raw)
    except ValueError:
        raise Failure(400, "metadata is not valid JSON") from None
    if not isinstance(given, dict):
        raise Failure(400, "metadata must be a JSON object")
    doc_type = fields.required_text(given, "idDocType")
    if len(doc_type) > 64 or not set(doc_type) <= _DOC_TYPE_CHARS:
        raise Failure(400, "idDocType must be a document type such as PASSPORT")
    document: JsonObject = {"idDocType": doc_type, "country": fields.country(given.get("country"), "country")}
    for name in _TEXT_FIELDS:
        value = fields.text(given, name)
        if value is not None:
            document[name] = value
    if document.get("idDocSubType") not in (None, *_SUB_TYPES):
        raise Failure(400, "idDocSubType must be FRONT_SIDE or BACK_SIDE")
    for name in _DATE_FIELDS:
        if given.get(name) is not None:
            document[name] = fields.iso_date(given[name], name)
    return document


def new_image_id() -> int:
    """SumSub's image ids are integers of about ten digits."""
    return 1_000_000_000 + secrets.randbelow(8_999_999_999)


def add(applicant: JsonObject, steps: JsonObject, document: JsonObject, image_id: int | None) -> JsonObject:
    """Files ``document`` (and its image) with the applicant: its step, and ``info.idDocs`` (a document
    of the same type and country is merged, as SumSub does). Answers the document as kept."""
    step_name = step_for(applicant, document["idDocType"])
    if step_name is not None:
        step = steps.get(step_name) or {}
        same_document = step.get("idDocType") == document["idDocType"]
        image_ids = list(step.get("imageIds", [])) if same_document else []
        if image_id is not None:
            image_ids.append(image_id)
        # A new document awaits a review: a previous answer on the step no longer stands.
        steps[step_name] = {
            "country": document["country"],
            "idDocType": document["idDocType"],
            "imageIds": image_ids,
            "imageReviewResults": {},
            "forbidden": False,
        }
    info = applicant.setdefault("info", {})
    kept = info.setdefault("idDocs", [])
    for existing in kept:
        if (existing.get("idDocType"), existing.get("country")) == (
            document["idDocType"],
            document["country"],
        ):
            existing.update(document)
            return dict(existing)
    kept.append(dict(document))
    return dict(document)


def step_for(applicant: JsonObject, doc_type: str) -> str | None:
    """The step of the applicant's level a document of this type belongs to (None: no step)."""
    for doc_set in applicant.get("requiredIdDocs", {}).get("docSets", []):
        if doc_type in doc_set.get("types", []):
            step: str = doc_set["idDocSetType"]
            return step
    return None


def review(steps: JsonObject, result: JsonObject) -> None:
    """A verdict on the applicant is a verdict on every step submitted, and on each of its images."""
    step_result = {key: value for key, value in result.items() if key != "clientComment"}
    for step in steps.values():
        if step is None:
            continue
        step["reviewResult"] = dict(step_result)
        step["imageReviewResults"] = {
            str(image_id): {"reviewAnswer": result["reviewAnswer"]} for image_id in step.get("imageIds", [])
        }


def deactivate(steps: JsonObject) -> None:
    """A reset marks every document inactive: each step is requested again."""
    for name in steps:
        steps[name] = None


def ensure_step(steps: JsonObject, step_name: str) -> None:
    """A step of the applicant's level. Unconfirmed: SumSub's answer for another name; a 400 like its
    other refusals of a request it cannot act on."""
    if step_name not in steps:
        raise Failure(400, f"'{step_name}' is not a verification step of the applicant's level")


def deactivate_step(steps: JsonObject, step_name: str) -> None:
    """A step reset marks that step's documents inactive: the step is requested again."""
    steps[step_name] = None


def open_steps(steps: JsonObject) -> list[str]:
    """The steps with nothing active on file: a new applicant's, or those a step reset opened again."""
    return [name for name, step in steps.items() if step is None]
