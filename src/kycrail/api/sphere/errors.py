"""Errors in Sphere's shape: ``{status, detail, code, correlationId, errors[{detail, pointer}]}``.

Codes are ``area/kebab-case`` (SpherePay's own: ``resource/not-found``, ``validation/failed``), but for
``unauthorized``, which SpherePay documents as it is.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from kycrail import errors as e
from kycrail.api.common.errors import ErrorSpec, ErrorTable


class SphereFieldErrorOut(BaseModel):
    detail: str
    pointer: str | None = None
    parameter: str | None = None


class SphereErrorOut(BaseModel):
    status: int
    detail: str
    code: str
    correlationId: str
    errors: list[SphereFieldErrorOut]


def _field_error(error: e.FieldError) -> dict[str, Any]:
    if error.pointer is not None:
        return {"detail": error.detail, "pointer": error.pointer}
    return {"detail": error.detail, "parameter": error.parameter}


def _body(error: e.KycrailError, spec: ErrorSpec, request_id: str) -> dict[str, Any]:
    return {
        "status": spec.status,
        "detail": error.detail,
        "code": spec.code,
        "correlationId": request_id,
        "errors": [_field_error(item) for item in error.errors],
    }


ERRORS = ErrorTable(
    {
        e.Unauthenticated: ErrorSpec(401, "unauthorized"),
        e.ProviderSignatureInvalid: ErrorSpec(401, "webhook/signature-invalid"),
        e.Forbidden: ErrorSpec(403, "auth/forbidden"),
        e.NotFound: ErrorSpec(404, "resource/not-found"),
        e.RouteNotFound: ErrorSpec(404, "resource/not-found"),
        e.InvalidHeader: ErrorSpec(400, "request/invalid-header"),
        e.UnsupportedMediaType: ErrorSpec(415, "request/unsupported-media-type"),
        e.MalformedBody: ErrorSpec(400, "request/malformed-body"),
        e.MethodNotAllowed: ErrorSpec(405, "method/not-allowed"),
        e.ValidationFailed: ErrorSpec(422, "validation/failed"),
        e.PayloadTooLarge: ErrorSpec(413, "payload/too-large"),
        e.RateLimited: ErrorSpec(429, "rate-limit/exceeded"),
        e.RequestTimeout: ErrorSpec(408, "request/timeout"),
        e.PreconditionFailed: ErrorSpec(412, "precondition/failed"),
        e.IdempotencyKeyInvalid: ErrorSpec(400, "idempotency/key-invalid"),
        e.IdempotencyConflict: ErrorSpec(409, "idempotency/conflict"),
        e.IdempotencyInProgress: ErrorSpec(409, "idempotency/request-in-progress"),
        e.IdempotentAnswerGone: ErrorSpec(410, "idempotency/customer-deleted"),
        e.WebhookUrlRefused: ErrorSpec(400, "webhook/url-refused"),
        e.WebhookLimitReached: ErrorSpec(409, "webhook/limit-reached"),
        e.KybFlowRequired: ErrorSpec(400, "customer/kyb-flow-required"),
        e.TypeImmutable: ErrorSpec(400, "customer/type-immutable"),
        e.IdentityLocked: ErrorSpec(400, "customer/identity-locked"),
        e.AddressRequired: ErrorSpec(400, "address/required"),
        e.TaxIdentificationIncomplete: ErrorSpec(400, "tax-identification/incomplete"),
        e.TaxDescriptionRequired: ErrorSpec(400, "tax-identification/description-required"),
        e.SsnRequired: ErrorSpec(400, "tax-identification/ssn-required"),
        e.DocumentTypeNotApplicable: ErrorSpec(400, "document/type-not-applicable"),
        e.UnsupportedDocumentContent: ErrorSpec(415, "document/unsupported-content"),
        e.DocumentTooManyPixels: ErrorSpec(413, "document/too-many-pixels"),
        e.DuplicateDocument: ErrorSpec(409, "document/duplicate"),
        e.CustomerRejected: ErrorSpec(400, "customer/rejected"),
        e.ReviewNotPending: ErrorSpec(400, "customer/review-not-pending"),
        e.NotRejected: ErrorSpec(400, "customer/not-rejected"),
        e.SanctionsHitOpen: ErrorSpec(409, "customer/sanctions-hit-open"),
        e.HitAlreadyResolved: ErrorSpec(409, "screening/hit-already-resolved"),
        e.ReasonsRequired: ErrorSpec(400, "review/reasons-required"),
        e.DuplicateContact: ErrorSpec(409, "customer/duplicate-contact"),
        e.IdentityMismatch: ErrorSpec(409, "customer/identity-mismatch"),
        e.ConcurrentChange: ErrorSpec(409, "customer/concurrent-change"),
        e.InvalidShareToken: ErrorSpec(400, "share-token/invalid"),
        e.RejectedShareToken: ErrorSpec(422, "share-token/rejected"),
        e.KycProviderUnavailable: ErrorSpec(502, "kyc-provider/unavailable"),
        e.KycProviderMisconfigured: ErrorSpec(502, "kyc-provider/misconfigured"),
        e.DatabaseUnavailable: ErrorSpec(503, "database/unavailable"),
        e.DocumentStoreUnavailable: ErrorSpec(503, "document-store/unavailable"),
        e.Overloaded: ErrorSpec(503, "service/overloaded"),
        e.InternalError: ErrorSpec(500, "internal/error"),
    },
    body=_body,
    model=SphereErrorOut,
    http_code=lambda status: f"http/{status}",
)
render_error = ERRORS.render
