"""The WebSDK page a link opens (``/websdk/p/{token}``): where a sandbox person gives a name, a date of
birth and a document and submits them, and where a sandbox reviewer decides.

Authenticated by the link's token alone, as SumSub's hosted page is (never by the app signature): an
unknown token is a 404 page, an expired one a 410 page. What the page does is what the API does, so
the same webhooks follow: fixedInfo merged, the document added, the applicant pending; the reviewer's
buttons are ``testCompleted`` (and the emulator's onHold).
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from kycrail.sumsub.emulator import applicants, documents, fields, forms, page_html, sample
from kycrail.sumsub.emulator.errors import Failure
from kycrail.sumsub.emulator.websdk import LINK_PATH_PREFIX, LinkExpired
from kycrail.sumsub.emulator.wire import JsonObject

if TYPE_CHECKING:
    from kycrail.sumsub.emulator.app import Emulator

log = logging.getLogger(__name__)

# What the reviewer's buttons decide: SumSub's reject labels for a forged document and a bad photo.
_VERDICTS: dict[str, JsonObject] = {
    "approve": {"reviewAnswer": "GREEN"},
    "reject": {"reviewAnswer": "RED", "reviewRejectType": "FINAL", "rejectLabels": ["FORGERY"]},
    "retry": {"reviewAnswer": "RED", "reviewRejectType": "RETRY", "rejectLabels": ["UNSATISFACTORY_PHOTOS"]},
}


def is_page_path(path: str) -> bool:
    return path.startswith(LINK_PATH_PREFIX)


async def answer(emulator: Emulator, request: Request, path: str) -> Response:
    """The page's answer to ``request`` on ``path`` (the raw path)."""
    try:
        return await _answer(emulator, request, path)
    except Exception:
        # A bug, not the visitor's doing: a plain page, and a log line to fix it by.
        log.exception("the SumSub emulator's WebSDK page failed on %s", request.method)
        return HTMLResponse(
            "<!doctype html><title>Error</title><p>Something went wrong.</p>", status_code=500
        )


async def _answer(emulator: Emulator, request: Request, path: str) -> Response:
    token, _, action = path.removeprefix(LINK_PATH_PREFIX).partition("/")
    try:
        applicant = emulator.link_applicant(token)
    except KeyError:
        return _gone(404)
    except LinkExpired:
        return _gone(410)
    route = (request.method, action)
    if route == ("GET", ""):
        return _page(emulator, applicant, token)
    if route not in (("POST", "submit"), ("POST", "review")):
        return _gone(404)
    try:
        parts = _form(request.headers.get("content-type", ""), await request.body())
        if action == "submit":
            _submit(emulator, applicant, parts)
        else:
            _review(emulator, applicant, parts)
    except Failure as failure:
        return _page(emulator, applicant, token, error=failure.description, status=400)
    # Back to the page (a GET), so that reloading it does not post the form again; where the browser
    # reaches the emulator (``public_url``: under `serve --sandbox`, below kycrail's own paths).
    return RedirectResponse(
        f"{emulator.public_url or ''}{LINK_PATH_PREFIX}{token}", status_code=303, headers=_HEADERS
    )


def _submit(emulator: Emulator, applicant: JsonObject, parts: dict[str, forms.Part]) -> None:
    """Checks everything first, then changes the applicant: a refused submission changes nothing.
    Takes the steps the page asks for (``_asked_steps``): the document step with the person's name, a
    date of birth and the document; the selfie, which the sandbox person passes."""
    given = {name: _text(part) for name, part in parts.items() if name != "content"}
    applicants.ensure_submittable(applicant)
    asked = _asked_steps(emulator, applicant)
    document_step = _document_step(applicant)
    document: tuple[JsonObject, JsonObject, bytes] | None = None
    if document_step in asked:
        document = _document_given(applicant, given, parts)
    selfie = None
    if "SELFIE" in asked:
        # SumSub's WebSDK takes the selfie in its own liveness step; the sandbox person passes it.
        country = given.get("country") or _step_country(emulator, applicant, document_step)
        selfie = documents.metadata(json.dumps({"idDocType": "SELFIE", "country": country}))
    if document is not None:
        changes, metadata, image = document
        emulator.patch_fixed_info(applicant["id"], changes)
        emulator.add_document(applicant["id"], metadata, image)
    if selfie is not None:
        capture = len(emulator.images.get(applicant["id"], []))  # a new capture each time
        emulator.add_document(applicant["id"], selfie, sample.sample_selfie_png(capture))
    emulator.submit(applicant["id"])


def _document_given(
    applicant: JsonObject, given: dict[str, str], parts: dict[str, forms.Part]
) -> tuple[JsonObject, JsonObject, bytes]:
    """The person's (or company's) details, the document's metadata and its image, checked."""
    if applicant.get("type") == "company":
        changes: JsonObject = {
            "companyInfo": {
                "companyName": fields.required_text(given, "companyName"),
                "registrationNumber": fields.required_text(given, "registrationNumber"),
            }
        }
    else:
        changes = {
            "firstName": fields.required_text(given, "firstName"),
            "lastName": fields.required_text(given, "lastName"),
            "dob": fields.iso_date(given.get("dob"), "Date of birth"),
        }
    if given.get("idDocType") not in _doc_types(applicant):
        raise Failure(400, "Choose one of the documents offered")
    metadata = documents.metadata(
        json.dumps({"idDocType": given["idDocType"], "country": given.get("country")})
    )
    content = parts.get("content")
    if content is None or not content.data:
        raise Failure(400, "Attach an image of your document")
    if len(content.data) > documents.MAX_IMAGE_BYTES:
        raise Failure(400, "The document image is too large")
    return changes, metadata, bytes(content.data)


def _asked_steps(emulator: Emulator, applicant: JsonObject) -> list[str]:
    """The steps a submission takes: those with nothing active on file (every step of a new applicant,
    or the steps a step reset opened again); when every step holds its document (a resubmission SumSub
    asked for, or one on hold), all of them again."""
    steps = emulator.required_id_docs_status[applicant["id"]]
    return documents.open_steps(steps) or list(steps)


def _document_step(applicant: JsonObject) -> str | None:
    """The level's first step, the document the page asks for (IDENTITY, or COMPANY for a company)."""
    doc_sets = applicant.get("requiredIdDocs", {}).get("docSets", [])
    return str(doc_sets[0]["idDocSetType"]) if doc_sets else None


def _step_country(emulator: Emulator, applicant: JsonObject, step_name: str | None) -> object:
    """The country of the document on file for a step (the selfie taken again goes with it)."""
    step = emulator.required_id_docs_status[applicant["id"]].get(step_name or "")
    return step.get("country") if isinstance(step, dict) else None


def _review(emulator: Emulator, applicant: JsonObject, parts: dict[str, forms.Part]) -> None:
    given = {name: _text(part) for name, part in parts.items()}
    decision = given.get("decision")
    if decision == "hold":
        emulator.hold(applicant["id"])
        return
    if decision not in _VERDICTS:
        raise Failure(400, "Unknown decision")
    verdict = dict(_VERDICTS[decision])
    comment = fields.text(given, "comment")
    if comment is not None:
        verdict["moderationComment"] = comment
    emulator.complete(applicant["id"], verdict)


def _form(content_type: str, body: bytes) -> dict[str, forms.Part]:
    """The page's forms are multipart; a browser's default encoding is taken too."""
    if content_type.split(";")[0].strip().lower() == "application/x-www-form-urlencoded":
        try:
            pairs = parse_qsl(body.decode("utf-8"), max_num_fields=forms.MAX_PARTS, errors="strict")
        except (UnicodeDecodeError, ValueError):
            raise Failure(400, "The form is malformed") from None
        parts: dict[str, forms.Part] = {}
        for name, value in pairs:
            parts.setdefault(name, forms.Part(bytearray(value.encode())))
        return parts
    return forms.parse(content_type, body)


def _text(part: forms.Part) -> str:
    if len(part.data) > fields.MAX_TEXT:
        raise Failure(400, f"A field is longer than {fields.MAX_TEXT} characters")
    try:
        return bytes(part.data).decode("utf-8")
    except UnicodeDecodeError:
        raise Failure(400, "A field is not UTF-8 text") from None


def _doc_types(applicant: JsonObject) -> list[str]:
    """The documents of the level's first step (IDENTITY, or COMPANY for a company)."""
    doc_sets = applicant.get("requiredIdDocs", {}).get("docSets", [])
    return list(doc_sets[0].get("types", [])) if doc_sets else []


def _submittable(applicant: JsonObject) -> bool:
    try:
        applicants.ensure_submittable(applicant)
    except Failure:
        return False
    return True


# Never cached, never framed, never sent on as a Referer (the URL is the credential).
_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
}


def _page(
    emulator: Emulator, applicant: JsonObject, token: str, *, error: str | None = None, status: int = 200
) -> Response:
    nonce = secrets.token_urlsafe(16)
    asks_document = _document_step(applicant) in _asked_steps(emulator, applicant)
    html = page_html.page(
        applicant,
        _doc_types(applicant) if asks_document else [],
        token,
        submittable=_submittable(applicant),
        nonce=nonce,
        error=error,
    )
    policy = (
        f"default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-{nonce}'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
    return HTMLResponse(html, status_code=status, headers={**_HEADERS, "Content-Security-Policy": policy})


def _gone(status: int) -> Response:
    policy = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    return HTMLResponse(
        page_html.gone(status), status_code=status, headers={**_HEADERS, "Content-Security-Policy": policy}
    )
