"""Errors in Swipelux's shape: ``{message, code, errors[{pointer, message}], retryable, requestId}``.

Swipelux documents ``{"message": ...}``; the extra keys keep that compatible while telling more. Codes are
``snake_case``, as in Swipelux's newer API. In this dialect a change to a verified identity, and an
import into a finally rejected customer, conflict with what is stored (409).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from kycrail import errors as e
from kycrail.api.common.errors import ErrorSpec, ErrorTable


class SwipeluxFieldErrorOut(BaseModel):
    message: str
    pointer: str | None = None
    parameter: str | None = None


class SwipeluxErrorOut(BaseModel):
    message: str
    code: str
    errors: list[SwipeluxFieldErrorOut]
    retryable: bool
    requestId: str


def _field_error(error: e.FieldError) -> dict[str, Any]:
    if error.pointer is not None:
        return {"pointer": error.pointer, "message": error.detail}
    return {"parameter": error.parameter, "message": error.detail}


def _body(error: e.KycrailError, spec: ErrorSpec, request_id: str) -> dict[str, Any]:
    return {
        "message": spec.message or error.detail,
        "code": spec.code,
        "errors": [_field_error(item) for item in error.errors],
        "retryable": error.retryable,
        "requestId": request_id,
    }


ERRORS = ErrorTable(
    {
        # Swipelux's documented wording for the two cases it documents ("Customer not found" is the
        # customer's NotFound detail itself: other things not found say what they are); its 401 says
        # only "Unauthorized", so how to send a key follows.
        e.Unauthenticated: ErrorSpec(401, "unauthorized", f"Unauthorized. {e.KEY_HEADERS}"),
        e.ProviderSignatureInvalid: ErrorSpec(401, "webhook_signature_invalid"),
        e.NotFound: ErrorSpec(404, "not_found"),
        e.RouteNotFound: ErrorSpec(404, "not_found", "Not found"),
        e.InvalidHeader: ErrorSpec(400, "invalid_header"),
        e.UnsupportedMediaType: ErrorSpec(415, "unsupported_media_type"),
        e.MalformedBody: ErrorSpec(400, "malformed_body"),
        e.Forbidden: ErrorSpec(403, "forbidden"),
        e.MethodNotAllowed: ErrorSpec(405, "method_not_allowed"),
        e.ValidationFailed: ErrorSpec(422, "validation_failed"),
        e.PayloadTooLarge: ErrorSpec(413, "payload_too_large"),
        e.RateLimited: ErrorSpec(429, "rate_limited"),
        e.RequestTimeout: ErrorSpec(408, "request_timeout"),
        e.PreconditionFailed: ErrorSpec(412, "precondition_failed"),
        e.IdempotencyKeyInvalid: ErrorSpec(400, "idempotency_key_invalid"),
        e.IdempotencyConflict: ErrorSpec(409, "idempotency_conflict"),
        e.IdempotencyInProgress: ErrorSpec(409, "idempotency_request_in_progress"),
        e.IdempotentAnswerGone: ErrorSpec(410, "idempotency_customer_deleted"),
        e.WebhookUrlRefused: ErrorSpec(400, "webhook_url_refused"),
        e.WebhookLimitReached: ErrorSpec(409, "webhook_limit_reached"),
        e.KybFlowRequired: ErrorSpec(400, "customer_kyb_flow_required"),
        e.TypeImmutable: ErrorSpec(400, "customer_type_immutable"),
        e.IdentityLocked: ErrorSpec(409, "customer_identity_locked"),
        e.AddressRequired: ErrorSpec(400, "address_required"),
        e.TaxIdentificationIncomplete: ErrorSpec(400, "tax_identification_incomplete"),
        e.TaxDescriptionRequired: ErrorSpec(400, "tax_identification_description_required"),
        e.SsnRequired: ErrorSpec(400, "tax_identification_ssn_required"),
        e.DocumentTypeNotApplicable: ErrorSpec(400, "document_type_not_applicable"),
        e.UnsupportedDocumentContent: ErrorSpec(415, "document_unsupported_content"),
        e.DocumentTooManyPixels: ErrorSpec(413, "document_too_many_pixels"),
        e.DuplicateDocument: ErrorSpec(409, "document_duplicate"),
        e.CustomerRejected: ErrorSpec(409, "customer_rejected"),
        e.ReviewNotPending: ErrorSpec(400, "customer_review_not_pending"),
        e.NotRejected: ErrorSpec(400, "customer_not_rejected"),
        e.SanctionsHitOpen: ErrorSpec(409, "customer_sanctions_hit_open"),
        e.HitAlreadyResolved: ErrorSpec(409, "screening_hit_already_resolved"),
        e.ReasonsRequired: ErrorSpec(400, "review_reasons_required"),
        e.DuplicateContact: ErrorSpec(409, "customer_duplicate_contact"),
        e.IdentityMismatch: ErrorSpec(409, "customer_identity_mismatch"),
        e.ConcurrentChange: ErrorSpec(409, "customer_concurrent_change"),
        e.InvalidShareToken: ErrorSpec(400, "share_token_invalid"),
        e.RejectedShareToken: ErrorSpec(422, "share_token_rejected"),
        e.KycProviderUnavailable: ErrorSpec(502, "kyc_provider_unavailable"),
        e.KycProviderMisconfigured: ErrorSpec(502, "kyc_provider_misconfigured"),
        e.DatabaseUnavailable: ErrorSpec(503, "database_unavailable"),
        e.DocumentStoreUnavailable: ErrorSpec(503, "document_store_unavailable"),
        e.Overloaded: ErrorSpec(503, "service_overloaded"),
        e.InternalError: ErrorSpec(500, "internal_error"),
    },
    body=_body,
    model=SwipeluxErrorOut,
    http_code=lambda status: f"http_{status}",
)
render_error = ERRORS.render
