"""Errors in Swipelux's shape: ``{message, code, errors[{pointer, message}], requestId}``.

Swipelux documents ``{"message": ...}``; the extra keys keep that compatible while telling more.
Codes are snake_case here, as in Swipelux's newer API.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from kycrail.api.common.wire import JSONResponse
from kycrail.errors import FieldError, KycrailError

_CODES = {
    "unauthorized": "unauthorized",
    "forbidden": "forbidden",
    "resource/not-found": "not_found",
    "validation/failed": "validation_failed",
    "conflict": "conflict",
    "payload/too-large": "payload_too_large",
    "method/not-allowed": "method_not_allowed",
    "internal/error": "internal_error",
}
# Swipelux's documented wording for the cases it documents.
_MESSAGES = {"unauthorized": "Unauthorized", "not_found": "Customer not found"}
# In this dialect a change to a verified (locked) identity is a conflict with the verified data, and so
# is an import into a customer whose verification was rejected for good.
_STATUSES = {"customer_identity_locked": 409, "customer_rejected": 409}


def swipelux_code(code: str) -> str:
    return _CODES.get(code) or code.replace("/", "_").replace("-", "_")


def _field_error(error: FieldError) -> dict[str, Any]:
    if error.pointer is not None:
        return {"pointer": error.pointer, "message": error.detail}
    return {"parameter": error.parameter, "message": error.detail}


def render_error(error: KycrailError, request_id: str) -> JSONResponse:
    code = swipelux_code(error.code)
    body = {
        "message": _MESSAGES.get(code, error.detail),
        "code": code,
        "errors": [_field_error(item) for item in error.errors],
        "retryable": error.retryable,
        "requestId": request_id,
    }
    return JSONResponse(body, status_code=_STATUSES.get(code, error.status), headers=error.headers)


class FieldErrorOut(BaseModel):
    message: str
    pointer: str | None = None
    parameter: str | None = None


class ErrorOut(BaseModel):
    message: str
    code: str
    errors: list[FieldErrorOut]
    retryable: bool
    requestId: str


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": description}
    for status, description in {
        400: "Invalid share token, or a rule refused the request",
        401: "Unauthorized",
        404: "Customer not found",
        409: "Another person than the customer's, a verified identity changed, a finally rejected "
        "customer, or a duplicate email or phone",
        412: "If-Match named another version than the customer's current one",
        413: "Payload too large",
        422: "A field is malformed, or the share token's KYC cannot be taken over",
        429: "Too many requests for this API key (see Retry-After)",
        502: "The KYC provider is unavailable (retryable) or misconfigured",
    }.items()
}
