"""``/v2/document`` routes (SpherePay dialect): a customer's documents uploaded, listed, read back.

Uploads are checked before anything is stored (documents/content.py: the type from the bytes, the
pixels from the header, the size; service: not a file the customer has already). Reads are the
tenant's own (another tenant's id is 404, as is a deleted customer's document); reading a file's
bytes is an audit event (``document.read``) naming the key.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile

from kycrail import errors as e
from kycrail.api.common.answers import WriteAnswer
from kycrail.api.common.dependencies import CanRead, CanWrite, DocumentId
from kycrail.api.common.errors import IDEMPOTENT, KEYED, WITH_BODY
from kycrail.api.common.fields import FormText
from kycrail.api.common.ids import checked_customer_id
from kycrail.api.common.routes import CheckedRoute
from kycrail.api.common.wire import JSONResponse
from kycrail.api.sphere import responses
from kycrail.api.sphere.errors import ERRORS
from kycrail.api.sphere.routes import MAX_PAGE_SIZE, Page
from kycrail.customers import rules, service
from kycrail.customers.model import DocumentType
from kycrail.customers.service import Upload
from kycrail.documents import service as documents
from kycrail.errors import FieldError, PayloadTooLarge, ValidationFailed

router = APIRouter(prefix="/v2", tags=["SpherePay v2"], route_class=CheckedRoute)

# A file answered as a download, never shown: no page can be made of a customer's passport.
FILE_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; sandbox",
}


@router.post(
    "/document",
    summary="Upload a customer document",
    description="JPEG, PNG, WEBP or PDF, judged by the file's own bytes; at most "
    "`KYCRAIL_DOCUMENT_MAX_BYTES` (10 MB by default; 413 past it) and, for an image, "
    "`KYCRAIL_DOCUMENT_MAX_PIXELS` (40 million by default, read from its header before anything is "
    "decoded). A file the customer already has is 409. Nothing is stored when a check fails.",
    status_code=201,
    response_model=responses.DocumentOut,
    responses=ERRORS.responses(
        KEYED,
        WITH_BODY,
        IDEMPOTENT,
        e.NotFound,
        e.DocumentTypeNotApplicable,
        e.UnsupportedDocumentContent,
        e.DocumentTooManyPixels,
        e.DuplicateDocument,
        e.CustomerRejected,
    ),
)
async def upload_document(
    request: Request,
    caller: CanWrite,
    target: Annotated[Literal["customer"], Form()],
    targetId: Annotated[FormText, Form()],
    documentType: Annotated[DocumentType, Form()],
    file: Annotated[UploadFile, File(description="JPEG, PNG, WEBP or PDF, at most 10 MB by default")],
    country: Annotated[
        FormText | None,
        Form(description="The issuing country (alpha-3).", json_schema_extra={"enum": rules.ALPHA3_CODES}),
    ] = None,
) -> Response:
    customer_id = await checked_customer_id(targetId)
    if country is not None:
        try:
            country = rules.country_alpha3(country)
        except ValueError as exc:
            raise ValidationFailed(errors=(FieldError("/country", str(exc)),)) from None
    settings = caller.resources.settings
    content = await file.read(settings.document_max_bytes + 1)
    if len(content) > settings.document_max_bytes:
        raise PayloadTooLarge(f"Documents are at most {settings.document_max_bytes:,} bytes.")
    upload = Upload(document_type=documentType, country=country, content=content)
    answer = WriteAnswer(request, responses.document_created)
    await service.add_document(
        caller.storage,
        caller.actor,
        customer_id,
        upload,
        max_pixels=settings.document_max_pixels,
        finish=answer,
    )
    return answer.response


@router.get(
    "/document",
    summary="List a customer's documents",
    description="The customer's documents, oldest first: those uploaded, and the files fetched from the "
    "KYC provider once it reviewed the customer (`source`); what each is, never its bytes.",
    response_model=responses.SphereDocumentListOut,
    responses=ERRORS.responses(KEYED, e.NotFound),
)
async def list_documents(
    caller: CanRead,
    targetId: Annotated[str, Query(description="The customer's id.")],
    page: Page = 1,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 10,
) -> JSONResponse:
    customer_id = await checked_customer_id(targetId)
    found, total = await documents.page_of_customer(
        caller.storage, caller.tenant_id, customer_id, limit=limit, offset=(page - 1) * limit
    )
    return JSONResponse(
        {
            "documents": [responses.document_out(view.document, view.status.value) for view in found],
            "pagination": responses.pagination(page, limit, total),
        }
    )


@router.get(
    "/document/{document_id}",
    summary="Get a document",
    response_model=responses.DocumentOut,
    responses=ERRORS.responses(KEYED, e.NotFound),
)
async def get_document(document_id: DocumentId, caller: CanRead) -> JSONResponse:
    view = await documents.one(caller.storage, caller.tenant_id, document_id)
    return JSONResponse(responses.document_out(view.document, view.status.value))


@router.get(
    "/document/{document_id}/file",
    summary="Download a document's file",
    description="The bytes as uploaded (or fetched), with their media type, as an attachment "
    "(`no-store`, `nosniff`). Each read is on the customer's audit trail (`document.read`, with the "
    "key that read it).",
    response_class=Response,
    responses={
        200: {
            "description": "The file.",
            "content": {
                media: {"schema": {"type": "string", "format": "binary"}}
                for media in ("image/jpeg", "image/png", "image/webp", "application/pdf")
            },
        },
        **ERRORS.responses(KEYED, e.NotFound),
    },
)
async def download_document(document_id: DocumentId, caller: CanRead) -> Response:
    stored, content = await documents.read_file(caller.storage, caller.actor, document_id)
    disposition = {"Content-Disposition": f'attachment; filename="{stored.id}"'}
    return Response(content, media_type=stored.content_type, headers={**FILE_HEADERS, **disposition})
